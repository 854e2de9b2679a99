import Foundation

/// What a correct analyser must report for a generated log. Written as JSON with sorted keys.
public struct LogTruth: Codable, Equatable, Sendable {
    public struct Totals: Codable, Equatable, Sendable {
        /// Every newline-terminated line, empty and oversized ones included.
        public var lines: Int
        /// Well-formed lines.
        public var records: Int
        /// `lines - records`.
        public var malformed: Int
        /// Records that belong to a catalogue service.
        public var matched: Int
        /// Sum of `%<st` (bytes to the client) over all records.
        public var bytes: Int
        /// Sum of request sizes: only for formats that log them (absent for Squid's).
        public var bytesOut: Int? = nil
        /// Header lines (W3C `#Software`…`#Fields:`): only for formats that have them.
        public var skipped: Int? = nil

        enum CodingKeys: String, CodingKey {
            case lines, records, malformed, matched, bytes, skipped
            case bytesOut = "bytes_out"
        }
    }

    public struct Service: Codable, Equatable, Sendable {
        public var id: String
        public var requests: Int
        /// `requests - denied - challenges`.
        public var allowed: Int
        /// `TCP_DENIED` with a status other than 407.
        public var denied: Int
        /// `TCP_DENIED/407`.
        public var challenges: Int
        /// Distinct identities (user name, or client address when the user is `-`).
        public var users: Int
        public var bytesIn: Int
        /// Records made from the service's `examples.upload`.
        public var uploads: Int
        /// ISO 8601 UTC with milliseconds (`.000` for second-precision formats).
        public var firstSeen: String
        public var lastSeen: String
        /// Request sizes: only for formats that log them (absent for Squid's).
        public var bytesOut: Int? = nil

        enum CodingKeys: String, CodingKey {
            case id, requests, allowed, denied, challenges, users, uploads
            case bytesIn = "bytes_in", firstSeen = "first_seen", lastSeen = "last_seen", bytesOut = "bytes_out"
        }
    }

    public struct User: Codable, Equatable, Sendable {
        /// User name, or client address for unauthenticated records.
        public var user: String
        /// Catalogue-service records only.
        public var requests: Int
        public var denied: Int
        /// Sorted service ids.
        public var services: [String]
    }

    public var totals: Totals
    /// Sorted by requests (descending), then id. Only services that appear in the log.
    public var services: [Service]
    /// Sorted by identity; only identities that touched a catalogue service.
    public var users: [User]
    /// Breakdown of `totals.malformed` (extra to the contract; for the generator's own tests).
    public var malformedKinds: [String: Int]
    /// Only with scripted workaround episodes (WorkaroundEpisodes.swift); absent otherwise.
    public var workarounds: [Workaround]?
    public var blockedServices: [BlockedService]?
    public var injectedEpisodes: [String: Int]?

    enum CodingKeys: String, CodingKey {
        case totals, services, users, workarounds
        case malformedKinds = "malformed_kinds", blockedServices = "blocked_services", injectedEpisodes = "injected_episodes"
    }

    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    public static func decode(from data: Data) throws -> LogTruth {
        try JSONDecoder().decode(LogTruth.self, from: data)
    }

    public func service(_ id: String) -> Service? { services.first { $0.id == id } }
}

/// Accumulates the truth while lines are written.
struct TruthAccumulator {
    private struct ServiceStats {
        var requests = 0, denied = 0, challenges = 0, bytesIn = 0, uploads = 0, bytesOut = 0
        var firstMillis = Int64.max, lastMillis = Int64.min
        var identities = Set<Int>()
    }

    private struct UserStats {
        var requests = 0, denied = 0
        var services = Set<Int>()
    }

    private(set) var lines = 0
    private var records = 0, matched = 0, bytes = 0
    private var malformed: [MalformedKind: Int] = [:]
    private var services: [ServiceStats]
    private var users: [Int: UserStats] = [:]
    private let secondPrecision: Bool
    private let requestSizes: Bool
    private var bytesOut = 0, headerLines = 0

    init(serviceCount: Int, format: SquidLogFormat) {
        services = Array(repeating: ServiceStats(), count: serviceCount)
        secondPrecision = !format.hasMillisecondTimes
        requestSizes = format.hasRequestSizes
    }

    /// Header lines the format writes (W3C): lines, but neither records nor malformed.
    mutating func addHeaderLines(_ count: Int) {
        lines += count
        headerLines += count
    }

    mutating func addMalformed(_ kind: MalformedKind) {
        lines += 1
        malformed[kind, default: 0] += 1
    }

    mutating func addRecord(_ record: SquidRecord, facts: RecordFacts) {
        lines += 1
        records += 1
        bytes += record.bytes
        let requestSize = requestSizes ? GatewayLineWriter.requestSize(record) : 0
        bytesOut += requestSize
        guard let index = facts.service else { return }
        matched += 1
        let isDenied = record.resultCode == Bytes.tcpDenied
        let isChallenge = isDenied && record.status == 407
        let millis = secondPrecision ? record.millis / 1000 * 1000 : record.millis

        services[index].requests += 1
        services[index].bytesIn += record.bytes
        services[index].bytesOut += requestSize
        if isChallenge { services[index].challenges += 1 } else if isDenied { services[index].denied += 1 }
        if facts.isUpload { services[index].uploads += 1 }
        services[index].firstMillis = min(services[index].firstMillis, millis)
        services[index].lastMillis = max(services[index].lastMillis, millis)
        services[index].identities.insert(facts.identity)

        users[facts.identity, default: UserStats()].requests += 1
        if isDenied && !isChallenge { users[facts.identity]!.denied += 1 }
        users[facts.identity]!.services.insert(index)
    }

    func finish(catalogue: GeneratorCatalogue, identityName: (Int) -> String) -> LogTruth {
        let malformedCount = malformed.values.reduce(0, +)
        let serviceTruth = services.enumerated()
            .filter { $0.element.requests > 0 }
            .map { index, s in
                LogTruth.Service(
                    id: catalogue.services[index].id, requests: s.requests,
                    allowed: s.requests - s.denied - s.challenges, denied: s.denied, challenges: s.challenges,
                    users: s.identities.count, bytesIn: s.bytesIn, uploads: s.uploads,
                    firstSeen: iso8601(millis: s.firstMillis), lastSeen: iso8601(millis: s.lastMillis),
                    bytesOut: requestSizes ? s.bytesOut : nil)
            }
            .sorted { ($0.requests, $1.id) > ($1.requests, $0.id) }
        let userTruth = users.map { identity, u in
            LogTruth.User(user: identityName(identity), requests: u.requests, denied: u.denied,
                          services: u.services.map { catalogue.services[$0].id }.sorted())
        }
        .sorted { $0.user < $1.user }
        return LogTruth(
            totals: .init(lines: lines, records: records, malformed: malformedCount, matched: matched, bytes: bytes,
                          bytesOut: requestSizes ? bytesOut : nil, skipped: requestSizes ? headerLines : nil),
            services: serviceTruth,
            users: userTruth,
            malformedKinds: Dictionary(uniqueKeysWithValues: MalformedKind.allCases.map { ($0.rawValue, malformed[$0] ?? 0) })
        )
    }
}
