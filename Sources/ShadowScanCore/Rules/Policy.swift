import Foundation

/// The organisation's policy, resolved against the catalogue: what is blocked, sanctioned or tolerated,
/// what counts as internal, and the knobs of workaround detection and decision evidence. Loaded from
/// `--policy FILE` by `PolicyLoader`; without a file, `WorkaroundPolicy.default(for:)` applies (every
/// service unlisted: a denial seen in the log marks it as blocked).
public struct WorkaroundPolicy: Sendable {
    /// How the policy classes a service. Service-level entries win over category-level ones.
    public enum Status: String, Sendable {
        /// Listed (or its category listed) under `blocked`.
        case blocked
        /// Listed under `sanctioned`, or the alternative of some category: never a substitute.
        case sanctioned
        /// Listed under `tolerated`: accepted, not a decision subject; may still be a substitute.
        case tolerated
        /// Not mentioned: blocked for the run once the proxy denies it.
        case unlisted
    }

    /// Categories whose allowed traffic after a denial counts as evasion. Those missing from the
    /// catalogue are simply never seen.
    public static let defaultEvasionCategories = ["anonymiser", "doh", "remote-access", "translation", "vpn", "web-proxy"]
    /// Categories whose denial can be followed by a mail-route workaround.
    public static let mailRouteCategories: Set<String> = ["cloud-storage", "file-transfer"]

    /// Where the policy came from (nil: the built-in default).
    public var source: String?
    public var organisationName: String?
    /// The organisation's own domains and tenants (suffix match): traffic to them is internal.
    public var internalDomains: [String] = []
    /// Per catalogue service (index = service number).
    public var status: [Status]
    /// Sanctioned alternative per category index (service number).
    public var alternatives: [Int: Int] = [:]
    public var evasionCategories: Set<String> = Set(defaultEvasionCategories)
    /// Categories whose services substitute for each other (besides a category for itself): moving a
    /// file through a transfer service after a storage service was denied is a substitution.
    public var substituteGroups: [[String]] = defaultSubstituteGroups
    public static let defaultSubstituteGroups = [["cloud-storage", "file-transfer"]]
    /// A substitute request within this many milliseconds after a denial is a workaround.
    public var windowMillis: Int64 = 30 * 60_000
    /// Smallest mail attachment (bytes) for a mail-route workaround; also marks a proxy request as an
    /// upload when the format logs request sizes.
    public var uploadThreshold: Int64 = 10_000_000
    /// Raw IP hosts that belong to a service (side doors).
    public var ipRanges = IPRangeTable()
    public var workingHours: WorkingHours?
    /// Lower-cased identity → department, from the directory CSV.
    public var directory: [String: String] = [:]
    public var directorySource: String?
    public var thresholds = DecisionThresholds()

    /// Every service unlisted, default window and threshold.
    public static func `default`(for catalog: ServiceCatalog) -> WorkaroundPolicy {
        WorkaroundPolicy(status: Array(repeating: .unlisted, count: catalog.services.count))
    }

    public init(status: [Status]) { self.status = status }

    /// The department of `identity` from the directory, if any.
    public func department(of identity: String) -> String? {
        directory.isEmpty ? nil : directory[identity.lowercased()]
    }
}

/// Thresholds of the decision recommendation (documented in the README; set under `decisions:`).
public struct DecisionThresholds: Sendable, Equatable {
    /// Distinct identities that tried a service for demand to count as high.
    public var highDemand: Int64 = 20
    /// At most this many identities (and nobody working around) is low demand.
    public var lowDemand: Int64 = 5
    /// Share of those who tried that worked around, in percent, that signals an unmet need.
    public var workaroundSharePercent: Int64 = 25
    /// Share of a policy-blocked service's requests the proxy allowed, in percent, that signals an
    /// enforcement gap.
    public var enforcementGapPercent: Int64 = 10
    /// Change against the previous period, in percent, reported as rising or falling.
    public var trendPercent: Int64 = 10
    public init() {}
}

/// Working hours in one time zone (IANA name or fixed offset), for "out of hours" counts and local days.
public struct WorkingHours: Sendable {
    /// Days of the week, 0 = Sunday.
    public var days: Set<Int>
    /// Minutes after local midnight; `end` is exclusive.
    public var start: Int
    public var end: Int
    public var clock: LocalClock

    public func contains(millis: Int64) -> Bool {
        contains(localMillis: clock.localMillis(millis), dayMask: dayMask)
    }

    /// Bit d set: weekday d (0 = Sunday) is a working day.
    var dayMask: UInt8 { days.reduce(0) { $0 | (1 << UInt8(clamping: $1 & 7)) } }

    /// For loops that convert times through their own `LocalClock.Cursor` and computed `dayMask` once.
    @inline(__always)
    func contains(localMillis local: Int64, dayMask: UInt8) -> Bool {
        let dayIndex = floorDivision(local, 86_400_000)
        let weekday = Int(((dayIndex % 7) + 11) % 7)   // 1970-01-01 was a Thursday
        let minute = Int((local - dayIndex * 86_400_000) / 60_000)
        return dayMask & (1 << UInt8(weekday)) != 0 && minute >= start && minute < end
    }
}

/// UTC → local time, by an IANA zone (DST-aware, offsets cached per UTC hour) or a fixed offset.
public final class LocalClock: @unchecked Sendable {
    public let name: String
    private let zone: TimeZone?
    private let fixedOffsetMillis: Int64
    private var cache: [Int64: Int64] = [:]
    private let lock = NSLock()

    public init(zone: TimeZone, name: String) { self.zone = zone; self.name = name; fixedOffsetMillis = 0 }
    public init(offsetMinutes: Int, name: String) { zone = nil; self.name = name; fixedOffsetMillis = Int64(offsetMinutes) * 60_000 }
    public static let utc = LocalClock(offsetMinutes: 0, name: "UTC")

    public func localMillis(_ utc: Int64) -> Int64 {
        guard let zone else { return utc + fixedOffsetMillis }
        let hour = floorDivision(utc, 3_600_000)
        lock.lock(); defer { lock.unlock() }
        if let offset = cache[hour] { return utc + offset }
        let offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(hour * 3600)))) * 1000
        if cache.count > 100_000 { cache.removeAll() }
        cache[hour] = offset
        return utc + offset
    }

    /// Days since 1970-01-01 in local time.
    public func localDay(_ utc: Int64) -> Int64 { floorDivision(localMillis(utc), 86_400_000) }

    /// One thread's view of the clock for times that mostly stay within an hour (a sorted pass): the
    /// last hour's offset is kept, so the shared cache and its lock are consulted once per hour.
    struct Cursor {
        let clock: LocalClock
        private var hour: Int64 = .min
        private var offset: Int64 = 0

        init(_ clock: LocalClock) { self.clock = clock }

        @inline(__always)
        mutating func localMillis(_ utc: Int64) -> Int64 {
            let h = floorDivision(utc, 3_600_000)
            if h != hour {
                hour = h
                offset = clock.localMillis(h * 3_600_000) - h * 3_600_000
            }
            return utc + offset
        }

        @inline(__always)
        mutating func localDay(_ utc: Int64) -> Int64 { floorDivision(localMillis(utc), 86_400_000) }
    }
}

@inline(__always)
func floorDivision(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }
