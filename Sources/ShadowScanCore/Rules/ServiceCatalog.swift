import PCRE2

/// A validated catalogue, ready for matching: services in load order (index = service number used by
/// the hot path), their categories, the domain-suffix index and compiled PCRE2 patterns.
public final class ServiceCatalog: @unchecked Sendable {
    public let services: [ServiceDefinition]
    /// Sorted category names; `categoryIndex[s]` is the category of service `s`.
    public let categories: [String]
    public let categoryIndex: [Int]
    let domainIndex: DomainSuffixIndex
    /// URL patterns per service (empty: the domain alone decides).
    let urlPatterns: [[Pattern]]
    let uploadRules: [[CompiledUploadIndicator]]
    /// `when:` conditions per service (nil: none).
    let conditions: [CompiledCondition?]

    public init(services: [ServiceDefinition]) throws(PCRE2CompileError) {
        self.services = services
        let categories = Array(Set(services.map(\.category))).sorted()
        self.categories = categories
        self.categoryIndex = services.map { categories.firstIndex(of: $0.category)! }
        var entries: [(String, Int32)] = []
        for (index, service) in services.enumerated() {
            for domain in service.domains { entries.append((domain, Int32(index))) }
        }
        self.domainIndex = DomainSuffixIndex(entries)
        var patterns: [[Pattern]] = []
        var uploads: [[CompiledUploadIndicator]] = []
        for service in services {
            var compiled: [Pattern] = []
            for source in service.urlPatterns { compiled.append(try Pattern(source)) }
            patterns.append(compiled)
            var indicators: [CompiledUploadIndicator] = []
            for indicator in service.uploads {
                indicators.append(CompiledUploadIndicator(
                    methods: indicator.methods.map { Array($0.utf8) },
                    pattern: try indicator.urlPattern.map { source throws(PCRE2CompileError) in try Pattern(source) }))
            }
            uploads.append(indicators)
        }
        self.urlPatterns = patterns
        self.uploadRules = uploads
        var conditions: [CompiledCondition?] = []
        for service in services { conditions.append(try service.condition.map { condition throws(PCRE2CompileError) in try CompiledCondition(condition) }) }
        self.conditions = conditions
    }

    public func service(id: String) -> ServiceDefinition? { services.first { $0.id == id } }
    public var usesJIT: Bool { urlPatterns.joined().allSatisfy(\.isJITCompiled) && uploadRules.joined().compactMap(\.pattern).allSatisfy(\.isJITCompiled) }
}

struct CompiledUploadIndicator: @unchecked Sendable {
    let methods: [[UInt8]]
    let pattern: Pattern?
}
