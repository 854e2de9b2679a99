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
    /// Matches PCRE2 abandoned at its match or depth limit (counted, treated as no match).
    private(set) var regexLimitHits = 0

    init(catalog: ServiceCatalog) {
        self.catalog = catalog
        domainIndex = catalog.domainIndex.privateCopy()
        urlPatterns = catalog.urlPatterns.map { patterns in patterns.withUnsafeBufferPointer { Array($0) } }
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
