import Foundation
import PCRE2

/// Says why a request matched a service, or why it did not: for `shadowscan explain`, `rules test` and
/// `rules coverage`. Not for the hot loop: it allocates freely. The verdict itself always comes from the
/// same `ServiceMatcher` the analyser uses; the explanation is worked out beside it and checked against it.
public final class MatchExplainer {
    public let catalog: ServiceCatalog
    private let matcher: ServiceMatcher
    private let scratch = MatchScratch()
    /// Catalogue domain → (service number, position in the service's `domains`).
    private let claims: [String: (service: Int, entry: Int)]
    /// Every catalogue domain with its service, for near-miss search.
    private let allDomains: [(domain: String, service: Int)]
    private let urlPatterns: [[Pattern]]
    private let uploadPatterns: [[Pattern?]]

    public init(catalog: ServiceCatalog) {
        self.catalog = catalog
        matcher = ServiceMatcher(catalog: catalog)
        var claims: [String: (Int, Int)] = [:]
        var all: [(String, Int)] = []
        for (s, service) in catalog.services.enumerated() {
            for (e, domain) in service.domains.enumerated() where claims[domain] == nil {
                claims[domain] = (s, e)
                all.append((domain, s))
            }
        }
        self.claims = claims
        allDomains = all
        urlPatterns = catalog.urlPatterns
        uploadPatterns = catalog.uploadRules.map { $0.map(\.pattern) }
    }

    // MARK: Requests

    /// Explains a URL as logged (`https://host/path`, `host:port` for CONNECT, ...), with the request
    /// method when known (uploads depend on it).
    public func explain(url: String, method: String? = nil) -> MatchExplanation {
        var bytes = Array(url.utf8)
        var record = ProxyRecord()
        let parsed = bytes.withUnsafeMutableBytes { raw in
            UnsafeRawBufferPointer(raw).splitURL(ByteSpan(start: 0, count: raw.count), into: &record)
        }
        guard parsed else {
            return MatchExplanation(url: url, method: method, host: nil, reason: "no host in '\(url)': nothing to match (the analyser counts the record, but no service)")
        }
        let host = String(decoding: bytes[record.host.start..<record.host.end], as: UTF8.self)
        return explain(host: host, url: url, method: method)
    }

    /// Explains a request whose host and URL are known (a parsed log line, or `--host`). With the parsed
    /// line, a service's `when:` condition is evaluated too; without it, it is reported as not evaluated.
    public func explain(host: String, url: String, method: String?, line: ParsedLogLine? = nil) -> MatchExplanation {
        var explanation = MatchExplanation(url: url, method: method, host: host, reason: "")
        let lowered = host.lowercased()
        guard !host.isEmpty, host.utf8.count <= 253 else {
            explanation.reason = "host is longer than 253 bytes: the analyser does not match it"
            return explanation
        }
        // The verdict, exactly as the hot path computes it.
        let hostBytes = Array(host.utf8)
        let urlBytes = Array(url.utf8)
        var (verdict, catalogueHost) = hostBytes.withUnsafeBytes { h in
            urlBytes.withUnsafeBytes { u in matcher.match(host: h, url: u) }
        }
        if verdict >= 0, let line, matcher.hasConditions {
            verdict = hostBytes.withUnsafeBytes { h in urlBytes.withUnsafeBytes { u in line.bytes.withUnsafeBytes { b in
                matcher.resolveCondition(service: verdict, host: h, url: u, record: line.record, base: b)
            } } }
        }

        // Every label-boundary suffix, most specific first.
        var suffixes: [String] = [lowered]
        var rest = Substring(lowered)
        while let dot = rest.firstIndex(of: ".") {
            rest = rest[rest.index(after: dot)...]
            if !rest.isEmpty { suffixes.append(String(rest)) }
        }
        explanation.suffixes = suffixes.map { suffix in (suffix, claims[suffix].map { claim(domain: suffix, $0) }) }
        let hits = explanation.suffixes.compactMap(\.claim)
        explanation.domain = hits.first
        explanation.shadowed = Array(hits.dropFirst())

        if let domain = explanation.domain {
            let s = domain.serviceIndex
            let service = catalog.services[s]
            let how = domain.domain == lowered ? "equals" : "ends with"
            for (p, pattern) in urlPatterns[s].enumerated() {
                let outcome = search(pattern, url)
                explanation.patterns.append(PatternTrial(
                    pattern: pattern.source, location: service.urlPatternLocations.indices.contains(p) ? service.urlPatternLocations[p] : service.location,
                    outcome: outcome))
            }
            let shadowNote = explanation.shadowed.isEmpty ? "" :
                "; it is more specific than " + explanation.shadowed.map { "\($0.domain) (\($0.serviceID))" }.joined(separator: ", ") + ", which it shadows"
            if explanation.patterns.isEmpty {
                explanation.reason = "host \(lowered) \(how) \(domain.domain), a domain of \(service.id) (\(domain.location))\(shadowNote)"
            } else if let hit = explanation.patterns.first(where: \.matched) {
                explanation.reason = "host \(lowered) \(how) \(domain.domain), a domain of \(service.id) (\(domain.location))\(shadowNote); "
                    + "URL pattern '\(hit.pattern)' (\(hit.location)) matched \(hit.span.map { "bytes \($0.lowerBound)..<\($0.upperBound)" } ?? "")"
            } else {
                let limit = explanation.patterns.contains { $0.outcome == .limit }
                explanation.reason = "host \(lowered) \(how) \(domain.domain), a domain of \(service.id) (\(domain.location)), but none of its "
                    + "\(explanation.patterns.count) URL pattern(s) matched the URL\(limit ? " (one stopped at PCRE2's match limit)" : ""): "
                    + "a catalogue host, not counted for any service and not an unknown domain"
            }
            var matchedService = explanation.patterns.isEmpty || explanation.patterns.contains(where: \.matched)
            if matchedService, let condition = service.condition {
                if let line {
                    let holds = line.bytes.withUnsafeBytes { matcher.conditionHolds(service: Int32(s), record: line.record, base: $0) }
                    explanation.condition = holds ? .holds : .fails
                    if !holds {
                        matchedService = false
                        explanation.reason += "; but its when: condition does not hold for this request, so it falls through to "
                            + (explanation.shadowed.first.map { "the wider claim \($0.domain) (\($0.serviceID))" } ?? "no service (a catalogue host, not an unknown domain)")
                    } else {
                        explanation.reason += "; its when: condition holds"
                    }
                } else {
                    explanation.condition = .notEvaluated
                    explanation.reason += "; its when: condition needs a whole log line (user agent, method, status) and was not evaluated"
                }
                explanation.conditionText = condition.yaml(indent: 0)
            }
            explanation.service = matchedService ? service : nil
            if !matchedService && explanation.condition == .fails, let line, !explanation.shadowed.isEmpty {
                // The same fall-through the analyser makes (its patterns and condition checked there).
                let final = hostBytes.withUnsafeBytes { h in urlBytes.withUnsafeBytes { u in line.bytes.withUnsafeBytes { b in
                    matcher.resolveCondition(service: Int32(s), host: h, url: u, record: line.record, base: b)
                } } }
                explanation.service = final >= 0 ? catalog.services[Int(final)] : nil
            }
        } else {
            explanation.nearMisses = nearMisses(lowered)
            if let nearest = explanation.nearMisses.first {
                explanation.reason = "host \(lowered): no catalogue domain is a label-boundary suffix; nearest: \(nearest.domain) (\(nearest.serviceID)): \(nearest.why)"
            } else {
                explanation.reason = "host \(lowered): no catalogue domain is a label-boundary suffix, and none is close"
            }
            if let registrable = Self.registrableDomain(lowered) { explanation.unknownDomain = registrable }
        }

        // Uploads: only for a matched service, only with a method.
        if let service = explanation.service, let s = catalog.services.firstIndex(where: { $0.id == service.id }) {
            for (u, indicator) in service.uploads.enumerated() {
                let methodMatched = method.map { indicator.methods.contains($0) } ?? false
                var outcome: PatternOutcome?
                if let pattern = uploadPatterns[s][u] { outcome = search(pattern, url) }
                explanation.uploads.append(UploadTrial(methods: indicator.methods, pattern: indicator.urlPattern, location: indicator.location,
                                                       methodMatched: methodMatched, outcome: outcome))
            }
            if let method {
                let methodBytes = Array(method.utf8)
                explanation.isUpload = urlBytes.withUnsafeBytes { u in methodBytes.withUnsafeBytes { m in matcher.isUpload(service: Int32(s), method: m, url: u) } }
            }
        }

        // The explanation must agree with the matcher; if it ever does not, say so rather than mislead.
        let verdictID = verdict >= 0 ? catalog.services[Int(verdict)].id : nil
        if verdictID != explanation.service?.id || catalogueHost != (explanation.domain != nil) {
            explanation.reason += " [inconsistent: the matcher says \(verdictID ?? "no service")]"
            explanation.service = verdictID.flatMap { catalog.service(id: $0) }
        }
        return explanation
    }

    private func claim(domain: String, _ entry: (service: Int, entry: Int)) -> DomainClaim {
        let service = catalog.services[entry.service]
        let location = service.domainLocations.indices.contains(entry.entry) ? service.domainLocations[entry.entry] : service.location
        return DomainClaim(domain: domain, serviceIndex: entry.service, serviceID: service.id, location: location)
    }

    private func search(_ pattern: Pattern, _ subject: String) -> PatternOutcome {
        var bytes = Array(subject.utf8)
        do {
            let range = try bytes.withUnsafeMutableBytes { raw throws(PCRE2MatchError) in try pattern.firstMatch(in: UnsafeRawBufferPointer(raw), scratch: scratch) }
            return range.map { .matched($0) } ?? .noMatch
        } catch {
            return .limit
        }
    }

    // MARK: Near misses

    /// Catalogue domains a host almost matched: one it ends with but not on a label boundary
    /// (`notdropbox.com`), one it carries inside (`dropbox.com.evil.net`), or one a typo away from its
    /// registrable domain (`dropb0x.com`). Best first, at most five.
    public func nearMisses(_ host: String) -> [NearMiss] {
        var found: [(rank: Int, NearMiss)] = []
        let registrable = Self.registrableDomain(host) ?? host
        for (domain, s) in allDomains {
            let id = catalog.services[s].id
            if host.hasSuffix(domain) {
                // Not on a label boundary, or the claim would have matched.
                // `x.com` at the end of `dropb0x.com` is a coincidence more often than a look-alike.
                let telling = (domain.split(separator: ".").first?.count ?? 0) >= 4
                found.append((telling ? 0 : 3, NearMiss(domain: domain, serviceID: id, why: "the host ends with \(domain), but not on a label boundary")))
            } else if host.contains(domain + ".") || host.contains(domain + "-") {
                found.append((1, NearMiss(domain: domain, serviceID: id, why: "the host contains \(domain), but its registrable domain is \(registrable)")))
            } else if domain.contains("."), host.contains(domain.replacingOccurrences(of: ".", with: "-")) {
                found.append((1, NearMiss(domain: domain, serviceID: id, why: "the host spells \(domain) with '-' for '.' (a look-alike), but its registrable domain is \(registrable)")))
            } else if abs(domain.utf8.count - registrable.utf8.count) <= 2, domain.utf8.count >= 5 {
                let distance = Self.editDistance(Array(domain.utf8), Array(registrable.utf8), limit: 2)
                if distance <= 2 {
                    found.append((1 + distance, NearMiss(domain: domain, serviceID: id, why: "\(registrable) is \(distance) edit(s) away from \(domain)")))
                }
            }
        }
        // A service's name inside another registrable domain (`dropbox-login.net`): weakest evidence.
        if found.isEmpty {
            for (domain, s) in allDomains {
                guard let label = domain.split(separator: ".").first, label.count >= 5, domain.split(separator: ".").count == 2,
                      registrable.contains(label) else { continue }
                found.append((4, NearMiss(domain: domain, serviceID: catalog.services[s].id,
                                          why: "\(registrable) contains '\(label)', the name in \(domain), but is not one of its domains")))
            }
        }
        // Longest domain first within a rank: the most telling near miss.
        found.sort { a, b in a.rank != b.rank ? a.rank < b.rank : (a.1.domain.count != b.1.domain.count ? a.1.domain.count > b.1.domain.count : a.1.domain < b.1.domain) }
        // `box.com` says nothing `dropbox.com` did not already say about `notdropbox.com`.
        var kept: [NearMiss] = []
        for (_, miss) in found where !kept.contains(where: { $0.domain.hasSuffix(miss.domain) }) {
            kept.append(miss)
            if kept.count == 5 { break }
        }
        return kept
    }

    /// Levenshtein distance, stopping early once every path exceeds `limit`.
    static func editDistance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        if a == b { return 0 }
        var previous = Array(0...b.count)
        var current = previous
        for i in 1...max(a.count, 1) where !a.isEmpty {
            current[0] = i
            var rowMin = current[0]
            for j in 1..<(b.count + 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                rowMin = min(rowMin, current[j])
            }
            if rowMin > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return a.isEmpty ? b.count : previous[b.count]
    }

    /// The host's registrable domain, as the analyser groups unknown domains (nil for IP literals).
    public static func registrableDomain(_ host: String) -> String? {
        var bytes = Array(host.utf8)
        return bytes.withUnsafeMutableBytes { raw -> String? in
            let h = UnsafeRawBufferPointer(raw)
            guard let start = RegistrableDomain.start(of: h) else { return nil }
            return String(decoding: h[start...], as: UTF8.self).lowercased()
        }
    }
}

/// A catalogue domain that claims (a suffix of) a host.
public struct DomainClaim: Sendable, Equatable {
    public let domain: String
    public let serviceIndex: Int
    public let serviceID: String
    /// Where the domain is written in the rules.
    public let location: SourceLocation
}

public enum ConditionOutcome: String, Sendable {
    case holds, fails
    case notEvaluated = "not evaluated"
}

public enum PatternOutcome: Sendable, Equatable {
    case matched(Range<Int>)
    case noMatch
    /// PCRE2 stopped at its match limit: the analyser counts it in `regex_limit_hits` as no match.
    case limit
}

public struct PatternTrial: Sendable {
    public let pattern: String
    public let location: SourceLocation
    public let outcome: PatternOutcome
    public var matched: Bool { if case .matched = outcome { return true }; return false }
    public var span: Range<Int>? { if case .matched(let r) = outcome { return r }; return nil }
}

public struct UploadTrial: Sendable {
    public let methods: [String]
    public let pattern: String?
    public let location: SourceLocation
    public let methodMatched: Bool
    /// nil when the indicator has no URL pattern.
    public let outcome: PatternOutcome?
    public var counts: Bool {
        guard methodMatched else { return false }
        guard let outcome else { return true }
        if case .matched = outcome { return true }
        return false
    }
}

public struct NearMiss: Sendable, Equatable {
    public let domain: String
    public let serviceID: String
    public let why: String
}

/// What `MatchExplainer` found for one request.
public struct MatchExplanation: Sendable {
    public let url: String
    public let method: String?
    /// nil when the URL has no host.
    public let host: String?
    /// Every label-boundary suffix of the host, most specific first, with the catalogue claim on it.
    public var suffixes: [(suffix: String, claim: DomainClaim?)] = []
    /// The most specific claim: the one that decides.
    public var domain: DomainClaim?
    /// Less specific claims the decisive one overrides (by other services, or the same one).
    public var shadowed: [DomainClaim] = []
    /// The claiming service's URL patterns, each tried on the URL as logged.
    public var patterns: [PatternTrial] = []
    /// The service the request counts for.
    public var service: ServiceDefinition?
    public var uploads: [UploadTrial] = []
    public var isUpload = false
    public var nearMisses: [NearMiss] = []
    /// The decisive service's `when:` condition: evaluated on a log line, or not (URL and host inputs).
    public var condition: ConditionOutcome?
    /// That condition as YAML, for display.
    public var conditionText: String?
    /// The registrable domain the analyser tallies among `unknown_domains` when nothing matched.
    public var unknownDomain: String?
    /// One sentence: why it matched, or why not.
    public var reason: String

    init(url: String, method: String?, host: String?, reason: String) {
        self.url = url
        self.method = method
        self.host = host
        self.reason = reason
    }
}
