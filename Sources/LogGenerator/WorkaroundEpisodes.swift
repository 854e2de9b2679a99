import Foundation

// Workaround episodes: a user is denied a service, then reaches the same goal another way within the
// window. The generator scripts such episodes on top of its normal traffic (whose random denials make
// accidental ones too), and recomputes the workarounds of the whole log independently of the analyser.

/// The categories whose allowed traffic after a denial is evasion (the analyser's default).
let evasionCategories: Set<String> = ["anonymiser", "doh", "remote-access", "translation", "vpn", "web-proxy"]
/// Categories whose services substitute for each other (the analyser's default `substitute_groups`).
let substituteGroup: [String: String] = ["cloud-storage": "storage-or-transfer", "file-transfer": "storage-or-transfer"]

extension LogTruth {
    /// One identity × blocked service × substitute × kind, as the analyser's `workarounds` reports it.
    public struct Workaround: Codable, Equatable, Sendable {
        public var identity: String
        public var kind: String
        public var blocked: String
        public var blockedHost: String
        public var substitute: String
        public var substituteHost: String
        /// Episodes: a new one starts with the first substitute request after each new denial.
        public var count: Int
        public var requests: Int
        public var bytes: Int
        public var uploads: Int
        public var firstTime: String
        public var lastTime: String
        public var gapMs: Int

        enum CodingKeys: String, CodingKey {
            case identity, kind, blocked, substitute, count, requests, bytes, uploads
            case blockedHost = "blocked_host", substituteHost = "substitute_host", firstTime = "first_time",
                 lastTime = "last_time", gapMs = "gap_ms"
        }
    }

    /// Per blocked service (denied at least once), what the analyser's `decisions` must report.
    public struct BlockedService: Codable, Equatable, Sendable {
        public var service: String
        public var identitiesTried: Int
        public var deniedAttempts: Int
        public var daysWithAttempts: Int
        public var identitiesWorkedAround: Int
        public var episodes: Int
        public var bytesToSubstitutes: Int

        enum CodingKeys: String, CodingKey {
            case service, episodes
            case identitiesTried = "identities_tried", deniedAttempts = "denied_attempts", daysWithAttempts = "days_with_attempts",
                 identitiesWorkedAround = "identities_worked_around", bytesToSubstitutes = "bytes_to_substitutes"
        }
    }
}

/// Plans episodes and hands their records to the traffic model when they are due.
struct EpisodeInjector {
    enum Kind: String, CaseIterable { case substitution, sideDoor = "side-door", evasion }

    /// A request that belongs to one service, with its host.
    struct Target {
        var traffic: Int          // index into population.services
        var method: [UInt8]
        var url: [UInt8]
        var host: String
        var peer: [UInt8]
        var isConnect: Bool
        var isUpload: Bool
    }

    private struct Scripted { var due: Int64; var target: Target; var user: Int }

    let startChance: Double
    let windowMillis: Int64
    /// Per traffic index: its requests.
    private var targets: [[Target]] = []
    private var substitutionPairs: [(Int, Int)] = []
    private var sideDoorServices: [Int] = []
    private var evasionTargets: [Int] = []
    private var evasionSources: [Int] = []
    private var kinds: [Kind] = []
    private var nextKind = 0
    private var queue: [Scripted] = []
    private(set) var injected: [String: Int] = [:]

    init(population: Population, catalogue: GeneratorCatalogue, episodes: Int, expectedLines: Int, windowMillis: Int64) {
        startChance = min(0.2, Double(episodes) / Double(max(expectedLines, 1)))
        self.windowMillis = windowMillis
        for traffic in population.services {
            var list: [Target] = []
            for request in traffic.examples + traffic.uploads {
                guard let host = Self.host(ofURL: request.url) else { continue }
                list.append(Target(traffic: list.count, method: request.method, url: request.url, host: host, peer: request.peer,
                                   isConnect: request.isConnect, isUpload: request.isUpload))
            }
            for host in traffic.hosts {
                if traffic.canConnect {
                    list.append(Target(traffic: 0, method: Bytes.connect, url: host.name + Bytes.port443, host: String(decoding: host.name, as: UTF8.self),
                                       peer: host.peer, isConnect: true, isUpload: false))
                } else if let method = traffic.browseMethod {
                    list.append(Target(traffic: 0, method: method, url: Bytes.https + host.name + Array("/".utf8),
                                       host: String(decoding: host.name, as: UTF8.self), peer: host.peer, isConnect: false, isUpload: false))
                }
            }
            targets.append(list)
        }
        for i in targets.indices { for j in targets[i].indices { targets[i][j].traffic = i } }
        let category = population.services.map { catalogue.services[$0.index].category }
        for i in targets.indices where !targets[i].isEmpty {
            for j in targets.indices where j != i && !targets[j].isEmpty
                && WorkaroundTruthAccumulator.group(category[i]) == WorkaroundTruthAccumulator.group(category[j]) {
                substitutionPairs.append((i, j))
            }
            if Set(targets[i].map(\.host)).count >= 2 { sideDoorServices.append(i) }
            if evasionCategories.contains(category[i]) { evasionTargets.append(i) } else { evasionSources.append(i) }
        }
        if !substitutionPairs.isEmpty { kinds.append(.substitution) }
        if !sideDoorServices.isEmpty { kinds.append(.sideDoor) }
        if !evasionTargets.isEmpty && !evasionSources.isEmpty { kinds.append(.evasion) }
    }

    /// The first scripted request due at `now`, if any.
    mutating func popDue(_ now: Int64) -> (Target, user: Int)? {
        guard let first = queue.first, first.due <= now else { return nil }
        queue.removeFirst()
        return (first.target, first.user)
    }

    /// Maybe starts an episode: returns the denied request and schedules what follows it.
    mutating func start(now: Int64, user: Int, rng: inout SeededRandom) -> Target? {
        guard !kinds.isEmpty, rng.chance(startChance) else { return nil }
        let kind = kinds[nextKind % kinds.count]
        nextKind += 1
        let denied: Target, substitutes: [Target]
        switch kind {
        case .substitution:
            let (b, s) = rng.pick(substitutionPairs)
            let browsing = targets[b].filter { !$0.isUpload }
            denied = rng.pick(browsing.isEmpty ? targets[b] : browsing)
            substitutes = [rng.pick(targets[s])]
        case .sideDoor:
            let b = rng.pick(sideDoorServices)
            denied = rng.pick(targets[b])
            substitutes = [rng.pick(targets[b].filter { $0.host != denied.host })]
        case .evasion:
            denied = rng.pick(targets[rng.pick(evasionSources)])
            substitutes = [rng.pick(targets[rng.pick(evasionTargets)])]
        }
        injected[kind.rawValue, default: 0] += 1
        // One to three substitute requests, the first well inside the window.
        var due = now + Int64(rng.int(2_000...Int(max(windowMillis / 2, 3_000))))
        for _ in 0..<(1 + rng.below(3)) {
            queue.append(Scripted(due: due, target: rng.pick(substitutes), user: user))
            due += Int64(rng.int(1_000...60_000))
        }
        queue.sort { $0.due < $1.due }
        return denied
    }

    /// Host of a URL as logged (`https://host/...` or `host:port`), lower-cased.
    static func host(ofURL url: [UInt8]) -> String? {
        var text = String(decoding: url, as: UTF8.self)
        if let scheme = text.range(of: "://") { text = String(text[scheme.upperBound...]) }
        var authority = Substring(text.prefix { $0 != "/" && $0 != "?" && $0 != "#" })
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            authority = authority[authority.index(after: authority.startIndex)..<close]
        } else if let colon = authority.lastIndex(of: ":") {
            authority = authority[..<colon]
        }
        if authority.hasSuffix(".") { authority = authority.dropLast() }
        return authority.isEmpty ? nil : authority.lowercased()
    }
}

extension TrafficModel {
    /// A scripted record when one is due or an episode starts now (fills `record`), else nil.
    mutating func nextScripted() -> RecordFacts? {
        if let (target, user) = episodes!.popDue(clockMillis) {
            fillScripted(target, user: user, denied: false)
            return RecordFacts(service: population.services[target.traffic].index, isUpload: target.isUpload, identity: user)
        }
        let user = population.userPicker.pick(&rng)
        guard let target = episodes!.start(now: clockMillis, user: user, rng: &rng) else { return nil }
        fillScripted(target, user: user, denied: true)
        return RecordFacts(service: population.services[target.traffic].index, isUpload: target.isUpload, identity: user)
    }

    private mutating func fillScripted(_ target: Target, user index: Int, denied: Bool) {
        let user = population.users[index]
        record.client = population.clients[user.homeClient]
        record.user = user.name
        record.userAgent = Bytes.userAgents[user.userAgent]
        record.httpVersion = Bytes.http11
        record.method = target.method
        record.url = target.url
        record.referer = Bytes.dash
        if denied {
            setDenied(status: 403)
        } else if target.isConnect {
            setTunnel(peer: target.peer)
        } else {
            setFetched(code: Bytes.tcpMiss, status: 200, bytes: target.isUpload ? rng.int(150...2500) : paretoBytes(min: 800),
                       mime: Bytes.html, peer: target.peer)
        }
    }

    typealias Target = EpisodeInjector.Target
}

/// Recomputes the log's workarounds from every record written, in order, with the definitions of the
/// README (no policy: every denial opens a window; side door = same service, other host than the
/// latest denial; substitution = same category or substitute group; evasion = an evasion category).
struct WorkaroundTruthAccumulator {
    private struct Window { var time: Int64; var host: String; var sequence: Int }
    private struct Key: Hashable { var identity: Int; var blocked: Int; var substitute: Int; var kind: String }
    private struct Tally {
        var count = 0, requests = 0, bytes = 0, uploads = 0
        var first: Int64 = 0, last: Int64 = 0, gap: Int64 = 0
        var blockedHost = "", substituteHost = ""
        var lastSequence = -1
    }

    let catalogue: GeneratorCatalogue
    let windowMillis: Int64
    let secondPrecision: Bool
    /// Formats that log the request size: the analyser counts it in a workaround's bytes too.
    let requestSizes: Bool
    private var windows: [Int: [Int: Window]] = [:]     // identity → blocked service → latest denial
    private var sequence = 0
    private var tallies: [Key: Tally] = [:]
    private var tried: [Int: Set<Int>] = [:]
    private var denied: [Int: Int] = [:]
    private var days: [Int: Set<Int64>] = [:]

    init(catalogue: GeneratorCatalogue, windowMillis: Int64, format: SquidLogFormat) {
        self.catalogue = catalogue
        self.windowMillis = windowMillis
        secondPrecision = !format.hasMillisecondTimes
        requestSizes = format.hasRequestSizes
    }

    static func group(_ category: String) -> String { substituteGroup[category] ?? category }

    mutating func add(_ record: SquidRecord, facts: RecordFacts) {
        guard let service = facts.service, let host = EpisodeInjector.host(ofURL: record.url) else { return }
        let isDenied = record.resultCode == Bytes.tcpDenied
        let who = facts.identity
        tried[service, default: []].insert(who)            // every identity, challenged ones too (as `users`)
        if isDenied && record.status == 407 { return }   // a challenge: neither allowed nor denied
        let time = secondPrecision ? record.millis / 1000 * 1000 : record.millis
        days[service, default: []].insert(time >= 0 ? time / 86_400_000 : (time - 86_399_999) / 86_400_000)
        if isDenied {
            denied[service, default: 0] += 1
            sequence += 1
            windows[who, default: [:]][service] = Window(time: time, host: host, sequence: sequence)
            return
        }
        guard let open = windows[who] else { return }
        let category = catalogue.services[service].category
        for (blocked, window) in open where time - window.time <= windowMillis {
            let kind: String
            if blocked == service {
                if window.host == host { continue }
                kind = "side-door"
            } else if Self.group(catalogue.services[blocked].category) == Self.group(category) {
                kind = "substitution"
            } else if evasionCategories.contains(category) {
                kind = "evasion"
            } else {
                continue
            }
            let key = Key(identity: who, blocked: blocked, substitute: service, kind: kind)
            var t = tallies[key] ?? Tally()
            if t.lastSequence != window.sequence {
                if t.count == 0 {
                    t.first = time
                    t.gap = time - window.time
                    t.blockedHost = window.host
                    t.substituteHost = host
                }
                t.count += 1
                t.lastSequence = window.sequence
            }
            t.requests += 1
            t.bytes += record.bytes + (requestSizes ? GatewayLineWriter.requestSize(record) : 0)
            if facts.isUpload { t.uploads += 1 }
            t.last = time
            tallies[key] = t
        }
    }

    func finish(identityName: (Int) -> String) -> ([LogTruth.Workaround], [LogTruth.BlockedService]) {
        let rows = tallies.map { key, t in
            LogTruth.Workaround(
                identity: identityName(key.identity), kind: key.kind, blocked: catalogue.services[key.blocked].id,
                blockedHost: t.blockedHost, substitute: catalogue.services[key.substitute].id, substituteHost: t.substituteHost,
                count: t.count, requests: t.requests, bytes: t.bytes, uploads: t.uploads,
                firstTime: iso8601(millis: t.first), lastTime: iso8601(millis: t.last), gapMs: Int(t.gap))
        }.sorted { ($0.identity, $0.blocked, $0.substitute, $0.kind) < ($1.identity, $1.blocked, $1.substitute, $1.kind) }
        var blocked: [LogTruth.BlockedService] = []
        for (service, count) in denied {
            let mine = tallies.filter { $0.key.blocked == service }
            blocked.append(LogTruth.BlockedService(
                service: catalogue.services[service].id, identitiesTried: tried[service]?.count ?? 0, deniedAttempts: count,
                daysWithAttempts: days[service]?.count ?? 0, identitiesWorkedAround: Set(mine.keys.map(\.identity)).count,
                episodes: mine.values.reduce(0) { $0 + $1.count }, bytesToSubstitutes: mine.values.reduce(0) { $0 + $1.bytes }))
        }
        return (rows, blocked.sorted { $0.service < $1.service })
    }
}
