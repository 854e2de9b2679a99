import PCRE2

/// Per-worker matcher: the shared catalogue's suffix index first, PCRE2 only for services with URL
/// patterns and only after their domain matched. Holds this worker's PCRE2 match data.
final class ServiceMatcher {
    let catalog: ServiceCatalog
    private let scratch = MatchScratch()
    /// Matches PCRE2 abandoned at its match or depth limit (counted, treated as no match).
    private(set) var regexLimitHits = 0

    init(catalog: ServiceCatalog) { self.catalog = catalog }

    /// The service a request belongs to (-1 for none), and whether its host is a catalogue domain at all
    /// (a host on a service's domains whose URL patterns did not match is known, not "unknown").
    @inline(__always)
    func match(host: UnsafeRawBufferPointer, url: UnsafeRawBufferPointer) -> (service: Int32, catalogueHost: Bool) {
        let service = catalog.domainIndex.longestSuffixMatch(host)
        guard service >= 0 else { return (-1, false) }
        let patterns = catalog.urlPatterns[Int(service)]
        if patterns.isEmpty { return (service, true) }
        for pattern in patterns where search(pattern, url) { return (service, true) }
        return (-1, true)
    }

    /// Whether a request matched to `service` is an upload by the service's indicators.
    @inline(__always)
    func isUpload(service: Int32, method: UnsafeRawBufferPointer, url: UnsafeRawBufferPointer) -> Bool {
        let rules = catalog.uploadRules[Int(service)]
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
