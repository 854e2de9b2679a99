#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Per-service counters, indexed by service number.
struct ServiceCounters {
    var requests: Int64 = 0
    var denied: Int64 = 0
    var challenges: Int64 = 0
    var bytesIn: Int64 = 0
    var bytesOut: Int64 = 0
    /// Records of this service whose format logs the request size.
    var bytesOutKnown: Int64 = 0
    var uploads: Int64 = 0
    var hostOnly: Int64 = 0
    var firstSeen: Int64 = .max
    var lastSeen: Int64 = .min

    mutating func merge(_ other: ServiceCounters) {
        requests += other.requests; denied += other.denied; challenges += other.challenges
        bytesIn += other.bytesIn; bytesOut += other.bytesOut; bytesOutKnown += other.bytesOutKnown
        uploads += other.uploads; hostOnly += other.hostOnly
        firstSeen = min(firstSeen, other.firstSeen); lastSeen = max(lastSeen, other.lastSeen)
    }
}

struct UserCounters {
    var requests: Int64 = 0
    var denied: Int64 = 0
}

struct DomainCounters {
    var requests: Int64 = 0
    var bytes: Int64 = 0
    /// The identity of the previous request, so a run of requests by one user inserts one pair.
    var lastUser: Int32 = -1
}

/// Line accounting for one chunk, put back in input order at merge time to number malformed lines.
struct ChunkStats {
    let input: Int32
    let sequence: Int32
    var lines = 0
    var records = 0
    var malformed = 0
    var oversized = 0
    /// Well-formed lines that are no web request: W3C `#` header lines, non-web events of a gateway log.
    var skipped = 0
    /// Line numbers within the chunk (1-based) of the first malformed lines.
    var malformedSamples: [Int] = []

    static let maxSamples = 5

    @inline(__always)
    mutating func noteMalformed(oversized isOversized: Bool) {
        malformed += 1
        if isOversized { oversized += 1 }
        if malformedSamples.count < Self.maxSamples { malformedSamples.append(lines) }
    }
}

/// Everything one worker counts. One worker owns it, so there are no locks; the pipeline merges all of
/// them once. The counters live in a struct that `process` moves into a local for the duration of a
/// chunk, so the hot loop touches no class storage (and pays no dynamic exclusivity checks).
final class WorkerAggregates {
    var tallies: WorkerTallies

    init(catalog: ServiceCatalog, maxLineLength: Int, maxUnknownDomains: Int, workarounds: WorkaroundSetup = .disabled) {
        tallies = WorkerTallies(matcher: ServiceMatcher(catalog: catalog), maxLineLength: maxLineLength,
                                maxUnknownDomains: maxUnknownDomains, serviceCount: catalog.services.count)
        tallies.workarounds = WorkaroundCollector(workarounds)
    }

    func process(_ item: WorkItem) {
        var local = WorkerTallies.placeholder
        swap(&local, &tallies)
        local.process(item)
        swap(&local, &tallies)
    }
}

struct WorkerTallies {
    let matcher: ServiceMatcher
    let maxLineLength: Int
    let maxUnknownDomains: Int

    var services: [ServiceCounters]
    var users = ByteInterner(capacity: 4096)
    var userCounters: [UserCounters] = []
    /// (service, user) pairs: distinct identities per service.
    var serviceUsers = DistinctPairs()
    /// Requests, denials and identities per (UTC day, service), for the timeline.
    var daily: DailyCounts
    /// Compact events for workaround detection (WorkaroundEvents.swift).
    var workarounds = WorkaroundCollector(.disabled)
    var domains = ByteInterner(capacity: 4096)
    var domainCounters: [DomainCounters] = []
    /// (domain, user) pairs: distinct identities per unknown domain.
    var domainUsers = DistinctPairs()
    var chunks: [ChunkStats] = []
    /// The events of the mail chunk just parsed, for the sequential pass (Analysis/MailWorker.swift).
    var mailEvents: MailEventBuffer?

    var records: Int64 = 0
    var matched: Int64 = 0
    var bytes: Int64 = 0
    var bytesOut: Int64 = 0
    var unknownDomainOverflow: Int64 = 0

    init(matcher: ServiceMatcher, maxLineLength: Int, maxUnknownDomains: Int, serviceCount: Int) {
        self.matcher = matcher
        self.maxLineLength = maxLineLength
        self.maxUnknownDomains = maxUnknownDomains
        self.services = Array(repeating: ServiceCounters(), count: serviceCount)
        self.daily = DailyCounts(serviceCount: serviceCount)
    }

    /// An empty value to swap in while a worker's real tallies are out in a local.
    nonisolated(unsafe) static let placeholder = WorkerTallies(
        matcher: ServiceMatcher(catalog: try! ServiceCatalog(services: [])), maxLineLength: 0, maxUnknownDomains: 0, serviceCount: 0)

    mutating func process(_ item: WorkItem) {
        var stats = ChunkStats(input: item.input, sequence: item.sequence)
        guard let buffer = item.buffer else {
            stats.lines = 1
            stats.noteMalformed(oversized: item.length == 0)
            chunks.append(stats)
            return
        }
        let chunk = UnsafeRawBufferPointer(start: buffer.memory.baseAddress! + item.offset, count: item.length)
        switch item.format {
        case .squidNative: processLines(chunk, SquidNativeParser(), &stats)
        case .squidCommon, .squidCombined: processLines(chunk, SquidCommonParser(), &stats)
        default: processGatewayFormat(chunk, item, &stats)   // Formats/FormatDispatch.swift
        }
        chunks.append(stats)
        if workarounds.isFull { users.allHashes.withUnsafeBufferPointer { workarounds.spill(identityHashes: $0) } }
    }

    /// The hot loop: split the chunk into lines, parse, match, count. Generic so each parser is
    /// specialised; nothing here allocates per line.
    @inline(__always)
    mutating func processLines<P: LogLineParser>(_ chunk: UnsafeRawBufferPointer, _ parser: P, _ stats: inout ChunkStats) {
        var parser = parser
        var record = ProxyRecord()
        var lines = ChunkLines(chunk, maxLineLength: maxLineLength)
        while let line = lines.next(&stats) {
            if P.hasDirectives && parser.directive(line) {
                stats.skipped += 1
            } else if parser.parse(line, into: &record) {
                if record.isRequest {
                    stats.records += 1
                    // Spans index the line, or bytes the parser built (a composed URL): pass those.
                    tally(record, record.base(line))
                } else {
                    stats.skipped += 1
                }
            } else {
                stats.noteMalformed(oversized: false)
            }
        }
    }

    @inline(__always)
    private mutating func tally(_ record: ProxyRecord, _ line: UnsafeRawBufferPointer) {
        records += 1
        bytes += record.bytesToClient
        if record.bytesFromClient > 0 { bytesOut += record.bytesFromClient }
        let host = UnsafeRawBufferPointer(rebasing: line[record.host.start..<record.host.end])
        guard host.count > 0 && host.count <= 253 else { return }
        let url = UnsafeRawBufferPointer(rebasing: line[record.url.start..<record.url.end])
        var suffixes = HostSuffixes()
        let found = matcher.match(host: host, url: url, suffixes: &suffixes)
        var service = found.service
        let catalogueHost = found.catalogueHost
        // A `when:` condition (user agent, method, status) needs the whole record; the host stays known.
        if service >= 0 && matcher.hasConditions { service = matcher.resolveCondition(service: service, host: host, url: url, record: record, base: line) }
        let identitySpan = record.user.isEmpty ? record.client : record.user
        let identity = UnsafeRawBufferPointer(rebasing: line[identitySpan.start..<identitySpan.end])
        // A raw IP host the policy maps to a service: a side-door candidate (counted nowhere else).
        if service < 0 && workarounds.hasIPRanges {
            let mapped = workarounds.ipRanges.service(ofHost: host)
            if mapped >= 0 {
                workarounds.noteRequest(service: mapped, record: record, host: host, identity: internUser(identity), upload: false,
                                        chunk: Int32(chunks.count), ipLiteral: true)
            }
        }

        if service >= 0 {
            matched += 1
            let s = Int(service)
            let method = UnsafeRawBufferPointer(rebasing: line[record.method.start..<record.method.end])
            let upload = matcher.isUpload(service: service, method: method, url: url)
            services.withUnsafeMutableBufferPointer { services in
                services[s].requests += 1
                switch record.action {
                case .denied: services[s].denied += 1
                case .challenge: services[s].challenges += 1
                case .allowed: break
                }
                services[s].bytesIn += record.bytesToClient
                if record.bytesFromClient >= 0 {
                    services[s].bytesOut += record.bytesFromClient
                    services[s].bytesOutKnown += 1
                }
                if record.hostOnly { services[s].hostOnly += 1 }
                if upload { services[s].uploads += 1 }
                if record.timeMillis < services[s].firstSeen { services[s].firstSeen = record.timeMillis }
                if record.timeMillis > services[s].lastSeen { services[s].lastSeen = record.timeMillis }
            }
            let user = internUser(identity)
            userCounters[Int(user)].requests += 1
            if record.action == .denied { userCounters[Int(user)].denied += 1 }
            serviceUsers.insert(row: service, column: user)
            daily.add(timeMillis: record.timeMillis, service: s, user: user, denied: record.action == .denied)
            if workarounds.isEnabled {
                workarounds.noteRequest(service: service, record: record, host: host, identity: user, upload: upload, chunk: Int32(chunks.count))
            }
        } else if !catalogueHost, let which = RegistrableDomain.suffixIndex(of: host, suffixes) {
            let (start, hash) = which == 1 ? (suffixes.start.1, suffixes.hash.1) : (suffixes.start.2, suffixes.hash.2)
            let domain = domains.intern(folding: UnsafeRawBufferPointer(rebasing: host[start...]), hash: hash, limit: maxUnknownDomains)
            guard domain >= 0 else { unknownDomainOverflow += 1; return }
            let d = Int(domain)
            if d == domainCounters.count { domainCounters.append(DomainCounters()) }
            let user = internUser(identity)
            let repeatUser = domainCounters.withUnsafeMutableBufferPointer { counters in
                counters[d].requests += 1
                counters[d].bytes += record.bytesToClient
                defer { counters[d].lastUser = user }
                return counters[d].lastUser == user
            }
            if !repeatUser { domainUsers.insert(row: domain, column: user) }
        }
    }

    @inline(__always)
    private mutating func internUser(_ identity: UnsafeRawBufferPointer) -> Int32 {
        let user = users.intern(identity)
        if Int(user) == userCounters.count { userCounters.append(UserCounters()) }
        return user
    }
}
