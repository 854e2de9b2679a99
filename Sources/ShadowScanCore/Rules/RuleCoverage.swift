import PCRE2

/// `shadowscan rules coverage`: which services, domains and URL patterns sample logs hit, which rules
/// never fire, the unknown registrable domains worth a rule (by distinct identities and by bytes), and,
/// against a baseline catalogue, what a rule change gained, lost or moved between services.
///
/// A sequential pass for analysts over sample logs, not the analyser's parallel pipeline: it reads the
/// same inputs (directories, compressed files, detected formats) through the same parsers and suffix
/// index, and tallies per rule rather than per service. Memory is bounded by distinct identities and
/// domains (capped), never by lines.
public final class RuleCoverage {
    public let catalog: ServiceCatalog
    public let baseline: ServiceCatalog?
    public var format: LogFormat?
    /// Distinct identities and unknown domains tracked before further ones are only counted.
    public var maxDistinct = 1_000_000
    /// Example positions kept per change between catalogues.
    public var samplesPerChange = 3

    private let ruleIndex: DomainSuffixIndex
    /// Global domain entry → (service, position in its `domains`).
    private let entries: [(service: Int, entry: Int)]
    private let matcher: ServiceMatcher
    private let baselineMatcher: ServiceMatcher?
    private let scratch = MatchScratch()

    public init(catalog: ServiceCatalog, baseline: ServiceCatalog? = nil, format: LogFormat? = nil) {
        self.catalog = catalog
        self.baseline = baseline
        self.format = format
        var list: [(String, Int32)] = []
        var entries: [(Int, Int)] = []
        for (s, service) in catalog.services.enumerated() {
            for (e, domain) in service.domains.enumerated() {
                list.append((domain, Int32(entries.count)))
                entries.append((s, e))
            }
        }
        ruleIndex = DomainSuffixIndex(list)
        self.entries = entries
        matcher = ServiceMatcher(catalog: catalog)
        baselineMatcher = baseline.map { ServiceMatcher(catalog: $0) }
    }

    // MARK: Tallies

    private var totals = CoverageReport.Totals()
    private var inputs: [CoverageReport.Input] = []
    private var serviceRequests: [Int64] = []
    private var domainHits: [Int64] = []
    private var patternHits: [[Int64]] = []
    private var patternMisses: [Int64] = []
    private var identities: [[UInt8]: Int32] = [:]
    private var servicePairs = Set<Int64>()
    private var unknown: [String: (requests: Int64, bytes: Int64)] = [:]
    private var unknownPairs = Set<UInt64>()
    private var unknownIDs: [String: Int32] = [:]
    private var transitions: [TransitionKey: TransitionTally] = [:]
    private var baselineRequests: [String: Int64] = [:]

    struct TransitionKey: Hashable { let from: Int32; let to: Int32 }
    struct TransitionTally { var requests: Int64 = 0; var users = Set<Int32>(); var samples: [String] = [] }

    /// Reads every input (files, directories read recursively, "-" for standard input) and reports.
    public func run(paths: [String]) -> CoverageReport {
        serviceRequests = Array(repeating: 0, count: catalog.services.count)
        domainHits = Array(repeating: 0, count: entries.count)
        patternHits = catalog.services.map { Array(repeating: 0, count: $0.urlPatterns.count) }
        patternMisses = Array(repeating: 0, count: catalog.services.count)
        let (sources, problems) = InputDiscovery.expand(paths)
        for source in sources { read(source) }
        inputs += problems.map { CoverageReport.Input(path: $0.path, problem: $0.message) }
        return report()
    }

    private func read(_ source: InputSource) {
        var input = CoverageReport.Input(path: source.path)
        defer { inputs.append(input) }
        let bytes: any ByteSource
        switch InputOpener.open(source) {
        case .success(let opened): bytes = opened
        case .failure(let error): input.problem = error.message; return
        }
        defer { bytes.close() }
        var reader = ToolLineReader(source: bytes)
        let prefix = reader.prefix(64 * 1024)
        if prefix.isEmpty { input.problem = reader.error ?? "empty file"; return }
        let chosen: LogFormat
        if let format {
            chosen = format
        } else {
            guard let detected = prefix.withUnsafeBytes({ FormatDetector.detect($0) }) else {
                input.problem = "not in a known log format; skipped"
                return
            }
            chosen = detected.format
        }
        input.format = chosen
        if chosen.isMail {
            input.problem = "a \(chosen.rawValue) mail log: coverage reads proxy logs; skipped"
            return
        }
        // As the analyser's loop: header lines configure the parser and are skipped, well-formed lines
        // without a web request are skipped, spans index the line or the parser's own bytes.
        var parser = chosen.parser
        let takesDirectives = type(of: parser).hasDirectives
        var record = ProxyRecord()
        var number: Int64 = 0
        let label = source.path
        reader.forEachLine { line, oversized in
            number += 1
            input.lines += 1
            if oversized { input.malformed += 1; return }
            if takesDirectives && parser.directive(line) { input.skipped += 1; return }
            guard parser.parse(line, into: &record) else { input.malformed += 1; return }
            guard record.isRequest else { input.skipped += 1; return }
            input.records += 1
            tally(record, record.base(line), label: label, number: number)
        }
        if let error = reader.error { input.problem = "read error: \(error)" }
        totals.lines += input.lines
        totals.records += input.records
        totals.malformed += input.malformed
        totals.skipped += input.skipped
    }

    private func tally(_ record: ProxyRecord, _ line: UnsafeRawBufferPointer, label: String, number: Int64) {
        let host = UnsafeRawBufferPointer(rebasing: line[record.host.start..<record.host.end])
        guard host.count > 0 && host.count <= 253 else { return }
        let url = UnsafeRawBufferPointer(rebasing: line[record.url.start..<record.url.end])
        let identitySpan = record.user.isEmpty ? record.client : record.user
        let user = intern(Array(line[identitySpan.start..<identitySpan.end]))

        var (service, catalogueHost) = matcher.match(host: host, url: url)
        if service >= 0 && matcher.hasConditions { service = matcher.resolveCondition(service: service, host: host, url: url, record: record, base: line) }
        catalogueHost = catalogueHost || service >= 0
        if service >= 0 {
            let s = Int(service)
            totals.matched += 1
            serviceRequests[s] += 1
            if user >= 0 { servicePairs.insert(Int64(s) << 32 | Int64(user)) }
            let entry = ruleIndex.longestSuffixMatch(host)
            if entry >= 0 { domainHits[Int(entry)] += 1 }
            for (p, pattern) in catalog.urlPatterns[s].enumerated() where (try? pattern.firstMatch(in: url, scratch: scratch)) != nil {
                patternHits[s][p] += 1
                break
            }
        } else if catalogueHost {
            totals.patternMisses += 1
            let entry = ruleIndex.longestSuffixMatch(host)
            if entry >= 0 { patternMisses[entries[Int(entry)].service] += 1 }
        } else if let start = RegistrableDomain.start(of: host) {
            totals.unknownRecords += 1
            let domain = String(decoding: host[start...], as: UTF8.self).lowercased()
            if unknown[domain] != nil || unknown.count < maxDistinct {
                unknown[domain, default: (0, 0)].requests += 1
                unknown[domain, default: (0, 0)].bytes += record.bytesToClient
                let id: Int32
                if let known = unknownIDs[domain] { id = known } else { id = Int32(unknownIDs.count); unknownIDs[domain] = id }
                if user >= 0 { unknownPairs.insert(UInt64(UInt32(bitPattern: id)) << 32 | UInt64(UInt32(bitPattern: user))) }
            } else {
                totals.unknownOverflow += 1
            }
        }

        if let baselineMatcher, let baseline {
            var old = baselineMatcher.match(host: host, url: url).service
            if old >= 0 && baselineMatcher.hasConditions { old = baselineMatcher.resolveCondition(service: old, host: host, url: url, record: record, base: line) }
            if old >= 0 { baselineRequests[baseline.services[Int(old)].id, default: 0] += 1 }
            let oldID = old >= 0 ? baseline.services[Int(old)].id : nil
            let newID = service >= 0 ? catalog.services[Int(service)].id : nil
            if oldID != newID {
                // Ids are compared, not numbers: the two catalogues number their services differently.
                let key = TransitionKey(from: old, to: service)
                var tally = transitions[key] ?? TransitionTally()
                tally.requests += 1
                if user >= 0 && tally.users.count < 100_000 { tally.users.insert(user) }
                if tally.samples.count < samplesPerChange { tally.samples.append("\(label):\(number)") }
                transitions[key] = tally
            }
        }
    }

    private func intern(_ identity: [UInt8]) -> Int32 {
        if let id = identities[identity] { return id }
        guard identities.count < maxDistinct else { totals.identityOverflow += 1; return -1 }
        let id = Int32(identities.count)
        identities[identity] = id
        return id
    }

    // MARK: Report

    private func report() -> CoverageReport {
        var report = CoverageReport(totals: totals, inputs: inputs)
        var users = Array(repeating: Int64(0), count: catalog.services.count)
        for pair in servicePairs { users[Int(pair >> 32)] += 1 }
        var entryBase = 0
        for (s, service) in catalog.services.enumerated() {
            var hits = CoverageReport.ServiceHits(id: service.id, name: service.name, category: service.category,
                                                  requests: serviceRequests[s], users: users[s], patternMisses: patternMisses[s])
            for (e, domain) in service.domains.enumerated() {
                let location = service.domainLocations.indices.contains(e) ? service.domainLocations[e] : service.location
                let rule = CoverageReport.RuleHits(rule: domain, serviceID: service.id, location: location, hits: domainHits[entryBase + e])
                hits.domains.append(rule)
                if rule.hits == 0 { report.neverHitDomains.append(rule) }
            }
            entryBase += service.domains.count
            for (p, pattern) in service.urlPatterns.enumerated() {
                let location = service.urlPatternLocations.indices.contains(p) ? service.urlPatternLocations[p] : service.location
                let rule = CoverageReport.RuleHits(rule: pattern, serviceID: service.id, location: location, hits: patternHits[s][p])
                hits.patterns.append(rule)
                if rule.hits == 0 { report.neverHitPatterns.append(rule) }
            }
            if hits.requests == 0 { report.neverHitServices.append(service.id) }
            report.services.append(hits)
        }
        report.services.sort { $0.requests != $1.requests ? $0.requests > $1.requests : $0.id < $1.id }

        var unknownUsers: [Int32: Int64] = [:]
        for pair in unknownPairs { unknownUsers[Int32(bitPattern: UInt32(pair >> 32)), default: 0] += 1 }
        let domains = unknown.map { domain, tally in
            CoverageReport.UnknownDomain(domain: domain, users: unknownUsers[unknownIDs[domain] ?? -1] ?? 0, requests: tally.requests, bytes: tally.bytes)
        }
        report.unknownByUsers = domains.sorted { a, b in
            a.users != b.users ? a.users > b.users : (a.requests != b.requests ? a.requests > b.requests : a.domain < b.domain)
        }
        report.unknownByBytes = domains.sorted { a, b in a.bytes != b.bytes ? a.bytes > b.bytes : a.domain < b.domain }

        if let baseline {
            var comparison = CoverageReport.Comparison()
            for (key, tally) in transitions {
                let change = CoverageReport.Change(
                    from: key.from >= 0 ? baseline.services[Int(key.from)].id : nil,
                    to: key.to >= 0 ? catalog.services[Int(key.to)].id : nil,
                    requests: tally.requests, users: Int64(tally.users.count), samples: tally.samples)
                switch (change.from, change.to) {
                case (nil, _): comparison.gained.append(change)
                case (_, nil): comparison.lost.append(change)
                default: comparison.changed.append(change)
                }
            }
            let order: (CoverageReport.Change, CoverageReport.Change) -> Bool = { a, b in
                a.requests != b.requests ? a.requests > b.requests : (a.from ?? "", a.to ?? "") < (b.from ?? "", b.to ?? "")
            }
            comparison.gained.sort(by: order)
            comparison.lost.sort(by: order)
            comparison.changed.sort(by: order)
            let after = Dictionary(uniqueKeysWithValues: catalog.services.enumerated().map { ($1.id, serviceRequests[$0]) })
            let ids = Set(after.keys).union(baseline.services.map(\.id))
            comparison.services = ids.compactMap { id -> CoverageReport.ServiceDelta? in
                let before = baselineRequests[id] ?? 0, now = after[id] ?? 0
                guard before != now else { return nil }
                return CoverageReport.ServiceDelta(id: id, before: before, after: now,
                                                   status: catalog.service(id: id) == nil ? "removed" : (baseline.service(id: id) == nil ? "added" : "changed"))
            }.sorted { abs($0.after - $0.before) != abs($1.after - $1.before) ? abs($0.after - $0.before) > abs($1.after - $1.before) : $0.id < $1.id }
            comparison.addedServices = catalog.services.map(\.id).filter { baseline.service(id: $0) == nil }
            comparison.removedServices = baseline.services.map(\.id).filter { catalog.service(id: $0) == nil }
            report.comparison = comparison
        }
        return report
    }
}

/// Reads lines from a byte source for the tools: a reused buffer, lines handed out as byte ranges,
/// lines longer than 1 MiB reported as oversized without being held.
struct ToolLineReader {
    let source: any ByteSource
    private var buffer: [UInt8] = []
    private var start = 0
    private var finished = false
    private(set) var error: String?
    static let maxLine = 1 << 20

    init(source: any ByteSource) { self.source = source }

    /// Up to `count` bytes from the start (kept for the lines), for format detection.
    mutating func prefix(_ count: Int) -> [UInt8] {
        while buffer.count < count && !finished { fill() }
        return Array(buffer.prefix(count))
    }

    private mutating func fill() {
        let chunk = 1 << 20
        if start > 0 { buffer.removeFirst(start); start = 0 }
        let old = buffer.count
        buffer.append(contentsOf: repeatElement(0, count: chunk))
        let (n, failure) = buffer.withUnsafeMutableBytes { source.readFully(into: $0.baseAddress! + old, count: chunk) }
        buffer.removeLast(chunk - n)
        if let failure { error = failure.message; finished = true }
        if n < chunk { finished = true }
    }

    /// Calls `body` with each line (without its newline or a CR before it) and whether it was too long.
    mutating func forEachLine(_ body: (UnsafeRawBufferPointer, Bool) -> Void) {
        var skippingOversized = false
        while true {
            let newline = buffer[start...].firstIndex(of: 0x0A)
            if let newline {
                if skippingOversized {
                    skippingOversized = false
                } else {
                    var end = newline
                    if end > start && buffer[end - 1] == 0x0D { end -= 1 }
                    buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<end]), end - start > Self.maxLine) }
                }
                start = newline + 1
                continue
            }
            if buffer.count - start > Self.maxLine && !skippingOversized {
                body(UnsafeRawBufferPointer(start: nil, count: 0), true)   // counted once, then skipped to its newline
                skippingOversized = true
            }
            if skippingOversized { buffer.removeAll(keepingCapacity: true); start = 0 }
            if finished {
                if start < buffer.count && !skippingOversized {
                    var end = buffer.count
                    if buffer[end - 1] == 0x0D { end -= 1 }
                    buffer.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<end]), end - start > Self.maxLine) }
                }
                return
            }
            fill()
        }
    }
}

/// What `RuleCoverage` found.
public struct CoverageReport: Sendable {
    public struct Totals: Sendable {
        public var lines: Int64 = 0
        public var records: Int64 = 0
        public var malformed: Int64 = 0
        public var skipped: Int64 = 0
        public var matched: Int64 = 0
        /// Records on a catalogue domain whose service's URL patterns all failed.
        public var patternMisses: Int64 = 0
        public var unknownRecords: Int64 = 0
        public var unknownOverflow: Int64 = 0
        public var identityOverflow: Int64 = 0
    }

    public struct Input: Sendable {
        public var path: String
        public var format: LogFormat?
        public var lines: Int64 = 0
        public var records: Int64 = 0
        public var malformed: Int64 = 0
        /// Header lines and well-formed lines that record no web request.
        public var skipped: Int64 = 0
        public var problem: String?
        init(path: String, problem: String? = nil) { self.path = path; self.problem = problem }
    }

    /// Hits of one domain or URL pattern.
    public struct RuleHits: Sendable {
        public let rule: String
        public let serviceID: String
        public let location: SourceLocation
        public let hits: Int64
    }

    public struct ServiceHits: Sendable {
        public let id: String
        public let name: String
        public let category: String
        public let requests: Int64
        public let users: Int64
        public let patternMisses: Int64
        /// Requests decided by each of the service's domains (the most specific claim).
        public var domains: [RuleHits] = []
        /// Requests each URL pattern matched first.
        public var patterns: [RuleHits] = []
    }

    public struct UnknownDomain: Sendable {
        public let domain: String
        public let users: Int64
        public let requests: Int64
        public let bytes: Int64
    }

    /// Requests that moved between services (or to or from none) from the baseline to these rules.
    public struct Change: Sendable {
        public let from: String?
        public let to: String?
        public let requests: Int64
        public let users: Int64
        /// `file:line` of the first such records.
        public let samples: [String]
    }

    public struct ServiceDelta: Sendable {
        public let id: String
        public let before: Int64
        public let after: Int64
        /// added | removed | changed
        public let status: String
    }

    public struct Comparison: Sendable {
        public var gained: [Change] = []
        public var lost: [Change] = []
        public var changed: [Change] = []
        public var services: [ServiceDelta] = []
        public var addedServices: [String] = []
        public var removedServices: [String] = []
    }

    public var totals: Totals
    public var inputs: [Input]
    /// Every service, by requests (then id).
    public var services: [ServiceHits] = []
    public var neverHitServices: [String] = []
    public var neverHitDomains: [RuleHits] = []
    public var neverHitPatterns: [RuleHits] = []
    public var unknownByUsers: [UnknownDomain] = []
    public var unknownByBytes: [UnknownDomain] = []
    public var comparison: Comparison?

    init(totals: Totals, inputs: [Input]) { self.totals = totals; self.inputs = inputs }
}
