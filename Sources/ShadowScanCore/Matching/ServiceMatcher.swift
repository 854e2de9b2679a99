import PCRE2

/// Per-worker matcher: the shared catalogue's suffix index first, PCRE2 only for services with URL
/// patterns and only after their domain matched. Holds this worker's PCRE2 match data.
final class ServiceMatcher {
    let catalog: ServiceCatalog
    private let scratch = MatchScratch()
    // Private copies of the catalogue's tables: shared arrays would be retained and released from every
    // core at once, and that contention costs more than the copies.
    private let domainIndex: DomainSuffixIndex
    private let urlPatterns: [[Pattern]]
    private let uploadRules: [[CompiledUploadIndicator]]
    private let conditions: [CompiledCondition?]
    /// True when some service has a `when:` condition: only then does a match need the whole record.
    let hasConditions: Bool
    private let conditionFallbacks: [[(domain: [UInt8], parent: Int32)]]
    /// Matches PCRE2 abandoned at its match or depth limit (counted, treated as no match).
    private(set) var regexLimitHits = 0

    init(catalog: ServiceCatalog) {
        self.catalog = catalog
        domainIndex = catalog.domainIndex.privateCopy()
        urlPatterns = catalog.urlPatterns.map { patterns in patterns.withUnsafeBufferPointer { Array($0) } }
        conditions = catalog.conditions
        hasConditions = catalog.conditions.contains { $0 != nil }
        conditionFallbacks = hasConditions ? Self.fallbacks(catalog) : []
        uploadRules = catalog.uploadRules.map { rules in
            rules.map { CompiledUploadIndicator(methods: $0.methods.map { m in m.withUnsafeBufferPointer { Array($0) } }, pattern: $0.pattern) }
        }
    }

    /// The service a request belongs to (-1 for none), and whether its host is a catalogue domain at all
    /// (a host on a service's domains whose URL patterns did not match is known, not "unknown").
    @inline(__always)
    func match(host: UnsafeRawBufferPointer, url: UnsafeRawBufferPointer) -> (service: Int32, catalogueHost: Bool) {
        var suffixes = HostSuffixes()
        return match(host: host, url: url, suffixes: &suffixes)
    }

    /// As `match`, also returning the host's label suffixes for grouping unknown hosts.
    @inline(__always)
    func match(host: UnsafeRawBufferPointer, url: UnsafeRawBufferPointer, suffixes: inout HostSuffixes) -> (service: Int32, catalogueHost: Bool) {
        let service = domainIndex.lookup(host, suffixes: &suffixes)
        guard service >= 0 else { return (-1, false) }
        let patterns = urlPatterns[Int(service)]
        if patterns.isEmpty { return (service, true) }
        for pattern in patterns where search(pattern, url) { return (service, true) }
        return (-1, true)
    }

    /// Whether a request matched to `service` satisfies the service's `when:` condition (true without
    /// one); `base` holds the bytes the record's spans index.
    @inline(__always)
    func conditionHolds(service: Int32, record: ProxyRecord, base: UnsafeRawBufferPointer) -> Bool {
        guard let condition = conditions[Int(service)] else { return true }
        return condition.holds(record, base: base, scratch: scratch)
    }

    /// The service a request matched to `service` counts for once `when:` conditions are applied: the
    /// service itself when its condition holds; otherwise the claim on the nearest parent of the domain
    /// that matched (so `api.telegram.org` in a Sigma rule does not take requests from a `telegram.org`
    /// service when the rule's condition fails), with that service's URL patterns and condition; -1
    /// when none is left. Only called for services that have a condition: off the hot path.
    @inline(never)
    func resolveCondition(service: Int32, host: UnsafeRawBufferPointer, url: UnsafeRawBufferPointer,
                          record: ProxyRecord, base: UnsafeRawBufferPointer) -> Int32 {
        var current = service
        for _ in 0..<8 {
            guard current >= 0, let condition = conditions[Int(current)] else { return current }
            if condition.holds(record, base: base, scratch: scratch) { return current }
            var parent: Int32 = -1
            var longest = -1
            for entry in conditionFallbacks[Int(current)] where entry.domain.count > longest && Self.hasLabelSuffix(host, entry.domain) {
                parent = entry.parent
                longest = entry.domain.count
            }
            current = parent
            if current >= 0 {
                let patterns = urlPatterns[Int(current)]
                if !patterns.isEmpty && !patterns.contains(where: { search($0, url) }) { return -1 }
            }
        }
        return -1
    }

    private static func hasLabelSuffix(_ host: UnsafeRawBufferPointer, _ domain: [UInt8]) -> Bool {
        guard host.count >= domain.count else { return false }
        let start = host.count - domain.count
        if start > 0 && host[start - 1] != 0x2E { return false }
        for k in 0..<domain.count where DomainSuffixIndex.lower(host[start + k]) != domain[k] { return false }
        return true
    }

    /// Per service with a condition: each of its domains and the service claiming that domain's nearest
    /// parent domain (-1: none).
    private static func fallbacks(_ catalog: ServiceCatalog) -> [[(domain: [UInt8], parent: Int32)]] {
        var owner: [String: Int32] = [:]
        for (s, service) in catalog.services.enumerated() { for domain in service.domains where owner[domain] == nil { owner[domain] = Int32(s) } }
        return catalog.services.map { service in
            guard service.condition != nil else { return [] }
            return service.domains.map { domain in
                var parent: Int32 = -1
                var rest = Substring(domain)
                while let dot = rest.firstIndex(of: ".") {
                    rest = rest[rest.index(after: dot)...]
                    if let found = owner[String(rest)] { parent = found; break }
                }
                return (Array(domain.utf8), parent)
            }
        }
    }

    /// Whether a request matched to `service` is an upload by the service's indicators.
    @inline(__always)
    func isUpload(service: Int32, method: UnsafeRawBufferPointer, url: UnsafeRawBufferPointer) -> Bool {
        let rules = uploadRules[Int(service)]
        if rules.isEmpty { return false }
        for rule in rules where rule.methods.contains(where: { $0.elementsEqual(method) }) {
            guard let pattern = rule.pattern else { return true }
            if search(pattern, url) { return true }
        }
        return false
    }

    @inline(__always)
    private func search(_ pattern: Pattern, _ subject: UnsafeRawBufferPointer) -> Bool {
        do {
            return try pattern.firstMatch(in: subject, scratch: scratch) != nil
        } catch {
            regexLimitHits += 1
            return false
        }
    }
}
