/// One UTC day of catalogue traffic, for the report's timeline.
public struct TimelineDay: Sendable {
    /// Days since 1970-01-01 (UTC).
    public var day: Int64
    /// `YYYY-MM-DD`.
    public var date: String
    public var requests: Int64
    public var denied: Int64
    /// Distinct identities that day, over all services.
    public var users: Int64
    /// Services used that day, by requests then id.
    public var services: [TimelineCell]
    /// The day's distinct identities split by the size of the largest cell (service that day) each was
    /// in, smallest cell first: how many of them the cells of at least k people hold, which a manager
    /// report restates the day over (`users(inCellsOfAtLeast:)`) without keeping any identity. Empty
    /// for a day built by hand, which a manager report then leaves out.
    public var usersByLargestCell: [LargestCell] = []

    public struct LargestCell: Sendable, Equatable {
        /// Identities in the cell.
        public var cellUsers: Int64
        /// Identities of the day whose largest cell that day is this size.
        public var users: Int64
        public init(cellUsers: Int64, users: Int64) {
            self.cellUsers = cellUsers
            self.users = users
        }
    }

    /// Distinct identities that day in the cells of at least `k` identities.
    public func users(inCellsOfAtLeast k: Int64) -> Int64 {
        usersByLargestCell.reduce(0) { $1.cellUsers >= k ? $0 + $1.users : $0 }
    }
}

public struct TimelineCell: Sendable {
    public var service: String
    public var category: String
    public var requests: Int64
    public var denied: Int64
    /// Distinct identities that used the service that day.
    public var users: Int64
}

/// Requests, denials and distinct identities per (UTC day, service), counted by one worker.
///
/// Rows are days in the order first seen; a cell is `row × serviceCount + service`. Logs run in time
/// order, so the row of the previous record is nearly always the right one: the hot path compares one
/// number and increments two array slots; only a new day takes the dictionary.
struct DailyCounts {
    let serviceCount: Int
    private(set) var days: [Int64] = []
    private var rowOfDay: [Int64: Int] = [:]
    private(set) var requests: [Int64] = []
    private(set) var denied: [Int64] = []
    /// (cell, identity) pairs.
    private(set) var users = DistinctPairs()
    private var lastDay = Int64.min
    private var lastRow = 0
    /// Records on days beyond `maxDays` distinct days (hostile or broken timestamps): left out of the
    /// timeline, so its memory stays bounded.
    private(set) var overflow: Int64 = 0

    static let maxDays = 3660
    static let millisPerDay: Int64 = 86_400_000

    init(serviceCount: Int) { self.serviceCount = serviceCount }

    @inline(__always)
    static func day(ofMillis t: Int64) -> Int64 {
        t >= 0 ? t / millisPerDay : (t - (millisPerDay - 1)) / millisPerDay
    }

    @inline(__always)
    mutating func add(timeMillis: Int64, service: Int, user: Int32, denied isDenied: Bool) {
        let day = Self.day(ofMillis: timeMillis)
        if day != lastDay && !selectRow(day) { overflow += 1; return }
        let cell = lastRow &* serviceCount &+ service
        requests.withUnsafeMutableBufferPointer { $0[cell] += 1 }
        if isDenied { denied.withUnsafeMutableBufferPointer { $0[cell] += 1 } }
        users.insert(row: Int32(truncatingIfNeeded: cell), column: user)
    }

    private mutating func selectRow(_ day: Int64) -> Bool {
        if let row = rowOfDay[day] {
            lastDay = day
            lastRow = row
            return true
        }
        guard days.count < Self.maxDays else { return false }
        lastRow = days.count
        lastDay = day
        rowOfDay[day] = lastRow
        days.append(day)
        requests.append(contentsOf: repeatElement(0, count: serviceCount))
        denied.append(contentsOf: repeatElement(0, count: serviceCount))
        return true
    }
}

/// Merges the workers' daily counts, identities mapped to global ids, into the sorted timeline.
struct DailyMerge {
    let serviceCount: Int
    private var rowOfDay: [Int64: Int] = [:]
    private var days: [Int64] = []
    private var requests: [Int64] = []
    private var denied: [Int64] = []
    private var users = DistinctPairs(maxBitmapBytes: 64 << 20)
    private(set) var overflow: Int64 = 0

    init(serviceCount: Int) { self.serviceCount = serviceCount }

    mutating func add(_ worker: DailyCounts, globalUser: [Int]) {
        var globalRow = [Int](repeating: 0, count: worker.days.count)
        for (row, day) in worker.days.enumerated() {
            if let existing = rowOfDay[day] {
                globalRow[row] = existing
            } else {
                globalRow[row] = days.count
                rowOfDay[day] = days.count
                days.append(day)
                requests.append(contentsOf: repeatElement(0, count: serviceCount))
                denied.append(contentsOf: repeatElement(0, count: serviceCount))
            }
            for s in 0..<serviceCount {
                requests[globalRow[row] * serviceCount + s] += worker.requests[row * serviceCount + s]
                denied[globalRow[row] * serviceCount + s] += worker.denied[row * serviceCount + s]
            }
        }
        let s = serviceCount
        worker.users.forEach { cell, user in
            let c = Int(cell)
            users.insert(row: Int32(globalRow[c / s] * s + c % s), column: Int32(globalUser[Int(user)]))
        }
        overflow += worker.overflow
    }

    func timeline(_ catalog: ServiceCatalog) -> [TimelineDay] {
        let s = serviceCount
        var cellUsers = [Int64](repeating: 0, count: days.count * s)
        users.forEach { cell, _ in cellUsers[Int(cell)] += 1 }
        // Each identity's largest cell per day (day row << 32 | identity): the day's distinct identities,
        // split by the size of the largest group they were in that day.
        var largest: [UInt64: Int64] = [:]
        users.forEach { cell, user in
            let key = UInt64(UInt32(cell) / UInt32(s)) << 32 | UInt64(UInt32(bitPattern: user))
            let size = cellUsers[Int(cell)]
            if let seen = largest[key], seen >= size { return }
            largest[key] = size
        }
        var byLargestCell = [[Int64: Int64]](repeating: [:], count: days.count)
        for (key, size) in largest { byLargestCell[Int(key >> 32)][size, default: 0] += 1 }
        return days.indices.sorted { days[$0] < days[$1] }.map { row in
            var day = TimelineDay(day: days[row], date: Self.date(days[row]), requests: 0, denied: 0,
                                  users: byLargestCell[row].values.reduce(0, +), services: [])
            day.usersByLargestCell = byLargestCell[row].sorted { $0.key < $1.key }.map { .init(cellUsers: $0.key, users: $0.value) }
            for service in 0..<s where requests[row * s + service] > 0 {
                let cell = row * s + service
                day.requests += requests[cell]
                day.denied += denied[cell]
                day.services.append(TimelineCell(service: catalog.services[service].id, category: catalog.services[service].category,
                                                 requests: requests[cell], denied: denied[cell], users: cellUsers[cell]))
            }
            day.services.sort { ($0.requests, $1.service) > ($1.requests, $0.service) }
            return day
        }
    }

    static func date(_ day: Int64) -> String {
        let (y, m, d) = CivilTime.civilFromDays(Int(day))
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let year = y >= 0 && y < 10000 ? String(repeating: "0", count: 4 - String(y).count) + String(y) : String(y)
        return "\(year)-\(two(m))-\(two(d))"
    }
}
