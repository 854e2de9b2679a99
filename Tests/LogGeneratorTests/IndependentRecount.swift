import Foundation
@testable import LogGenerator

/// A deliberately naive, independent reader of generated logs: Foundation string handling,
/// `NSRegularExpression` for the catalogue's patterns, `DateFormatter` for `%tl`. It recomputes the
/// whole truth from the bytes, to check the generator's bookkeeping (and its choice of requests).
struct IndependentRecount {
    struct Record {
        var millis: Int64
        var client: String
        var user: String?
        var code: String
        var status: Int
        var bytes: Int
        var method: String
        var url: String
    }

    private struct CompiledService {
        var id: String
        var patterns: [NSRegularExpression]
        var uploads: [(methods: Set<String>, url: NSRegularExpression?)]
    }

    private let services: [CompiledService]
    private let domainOwner: [String: Int]
    private let format: SquidLogFormat
    private let commonLine: NSRegularExpression
    private let timeFormatter: DateFormatter

    /// Nil when a pattern does not compile as an ICU regular expression.
    init?(catalogue: GeneratorCatalogue, format: SquidLogFormat) {
        var compiled: [CompiledService] = []
        for service in catalogue.services {
            guard let patterns = try? service.urlPatterns.map({ try NSRegularExpression(pattern: $0) }),
                  let uploads = try? service.uploadRules.map({ rule in
                      (Set(rule.methods), try rule.url.map { try NSRegularExpression(pattern: $0) })
                  })
            else { return nil }
            compiled.append(CompiledService(id: service.id, patterns: patterns, uploads: uploads))
        }
        services = compiled
        var owner: [String: Int] = [:]
        for (i, s) in catalogue.services.enumerated() { for d in s.domains { owner[d.lowercased()] = i } }
        domainOwner = owner
        self.format = format
        commonLine = try! NSRegularExpression(pattern:
            #"^(\S+) (\S+) (\S+) \[([^\]]+)\] "(\S+) (\S+) HTTP/(\d\.\d)" (\d{1,3}) (\d+)( "([^"]*)" "([^"]*)")? ([A-Z_]+):([A-Z_]+)$"#)
        timeFormatter = DateFormatter()
        timeFormatter.locale = Locale(identifier: "en_US_POSIX")
        timeFormatter.dateFormat = "dd/MMM/yyyy:HH:mm:ss Z"
    }

    // MARK: Parsing

    func parse(_ line: String) -> Record? {
        switch format {
        case .native: return parseNative(line)
        case .common, .combined: return parseCommon(line)
        case .w3c, .zscalerJSON, .skyhigh: return nil   // recounts Squid layouts only (GatewayFormatTests covers the rest)
        }
    }

    private func parseNative(_ line: String) -> Record? {
        let f = line.split(separator: " ").map(String.init)
        guard f.count == 10 else { return nil }
        let time = f[0].split(separator: ".", omittingEmptySubsequences: false)
        guard time.count == 2, time[1].count == 3, let seconds = Int64(time[0]), let ms = Int64(time[1]),
              Int(f[1]) != nil else { return nil }
        let codeStatus = f[3].split(separator: "/")
        guard codeStatus.count == 2, let status = Int(codeStatus[1]), let bytes = Int(f[4]) else { return nil }
        return Record(millis: seconds * 1000 + ms, client: f[2], user: f[7] == "-" ? nil : f[7],
                      code: String(codeStatus[0]), status: status, bytes: bytes, method: f[5], url: f[6])
    }

    private func parseCommon(_ line: String) -> Record? {
        let ns = line as NSString
        guard let m = commonLine.firstMatch(in: line, range: NSRange(location: 0, length: ns.length)) else { return nil }
        let combinedPart = m.range(at: 10).location != NSNotFound
        guard combinedPart == (format == .combined) else { return nil }
        func group(_ i: Int) -> String { ns.substring(with: m.range(at: i)) }
        guard let date = timeFormatter.date(from: group(4)) else { return nil }
        return Record(millis: Int64(date.timeIntervalSince1970.rounded()) * 1000, client: group(1),
                      user: group(3) == "-" ? nil : group(3), code: group(13), status: Int(group(8))!,
                      bytes: Int(group(9))!, method: group(5), url: group(6))
    }

    // MARK: Matching (the README's rules)

    func service(of record: Record) -> Int? {
        guard let host = host(of: record) else { return nil }
        // The most specific domain wins.
        guard let owner = labelSuffixes(host).lazy.compactMap({ domainOwner[$0] }).first else { return nil }
        let patterns = services[owner].patterns
        if !patterns.isEmpty && !patterns.contains(where: { matches($0, record.url) }) { return nil }
        return owner
    }

    func isUpload(_ record: Record, service: Int) -> Bool {
        services[service].uploads.contains { rule in
            rule.methods.contains(record.method) && (rule.url.map { matches($0, record.url) } ?? true)
        }
    }

    private func host(of record: Record) -> String? {
        let url = record.url
        if let scheme = url.range(of: "://") {
            var authority = String(url[scheme.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" })
            if let at = authority.lastIndex(of: "@") { authority = String(authority[authority.index(after: at)...]) }
            if let colon = authority.lastIndex(of: ":") { authority = String(authority[..<colon]) }
            return authority.lowercased()
        }
        if record.method == "CONNECT", let colon = url.lastIndex(of: ":") { return String(url[..<colon]).lowercased() }
        return nil
    }

    private func matches(_ regex: NSRegularExpression, _ text: String) -> Bool {
        regex.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) != nil
    }

    // MARK: The truth

    func recount(_ log: [UInt8]) -> LogTruth {
        var kinds: [String: Int] = Dictionary(uniqueKeysWithValues: MalformedKind.allCases.map { ($0.rawValue, 0) })
        var totals = LogTruth.Totals(lines: 0, records: 0, malformed: 0, matched: 0, bytes: 0)
        var perService: [Int: (requests: Int, denied: Int, challenges: Int, bytes: Int, uploads: Int,
                               first: Int64, last: Int64, identities: Set<String>)] = [:]
        var perUser: [String: (requests: Int, denied: Int, services: Set<String>)] = [:]

        for slice in splitLines(log).lines {
            totals.lines += 1
            if slice.isEmpty { kinds["empty"]! += 1; continue }
            if slice.count > 1 << 20 { kinds["oversized"]! += 1; continue }
            guard let line = String(validating: slice, as: UTF8.self) else { kinds["binary"]! += 1; continue }
            guard let record = parse(line) else {
                kinds[slice.first!.isASCIIDigit ? "truncated" : "garbage"]! += 1
                continue
            }
            totals.records += 1
            totals.bytes += record.bytes
            guard let index = service(of: record) else { continue }
            totals.matched += 1
            let identity = record.user ?? record.client
            let denied = record.code.hasSuffix("_DENIED") && record.status != 407
            let challenge = record.code.hasSuffix("_DENIED") && record.status == 407
            var s = perService[index] ?? (0, 0, 0, 0, 0, .max, .min, [])
            s.requests += 1
            s.denied += denied ? 1 : 0
            s.challenges += challenge ? 1 : 0
            s.bytes += record.bytes
            s.uploads += isUpload(record, service: index) ? 1 : 0
            s.first = min(s.first, record.millis)
            s.last = max(s.last, record.millis)
            s.identities.insert(identity)
            perService[index] = s
            var u = perUser[identity] ?? (0, 0, [])
            u.requests += 1
            u.denied += denied ? 1 : 0
            u.services.insert(services[index].id)
            perUser[identity] = u
        }
        totals.malformed = totals.lines - totals.records
        let serviceList = perService.map { index, s in
            LogTruth.Service(id: services[index].id, requests: s.requests,
                             allowed: s.requests - s.denied - s.challenges, denied: s.denied,
                             challenges: s.challenges, users: s.identities.count, bytesIn: s.bytes,
                             uploads: s.uploads, firstSeen: isoTime(s.first), lastSeen: isoTime(s.last))
        }.sorted { $0.requests != $1.requests ? $0.requests > $1.requests : $0.id < $1.id }
        let userList = perUser.map { LogTruth.User(user: $0.key, requests: $0.value.requests,
                                                   denied: $0.value.denied, services: $0.value.services.sorted()) }
            .sorted { Array($0.user.utf8).lexicographicallyPrecedes(Array($1.user.utf8)) }
        return LogTruth(totals: totals, services: serviceList, users: userList, malformedKinds: kinds)
    }

    private func isoTime(_ millis: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        let date = Date(timeIntervalSince1970: TimeInterval(millis / 1000))
        return formatter.string(from: date) + String(format: ".%03dZ", Int(millis % 1000))
    }
}
