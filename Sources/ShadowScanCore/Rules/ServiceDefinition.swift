/// Where something was written in a rule file.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public init(file: String, line: Int, column: Int) { self.file = file; self.line = line; self.column = column }
    public var description: String { "\(file):\(line):\(column)" }
}

public enum RiskLevel: String, Sendable, CaseIterable, Comparable {
    case low, medium, high
    public static func < (a: RiskLevel, b: RiskLevel) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// What counts as an upload to a service: a request method among `methods` and, if given, a URL
/// matching `urlPattern`.
public struct UploadIndicator: Sendable {
    public let methods: [String]
    public let urlPattern: String?
    public let location: SourceLocation
}

public struct ServiceExamples: Sendable {
    public var match: [(String, SourceLocation)] = []
    public var noMatch: [(String, SourceLocation)] = []
    /// "METHOD URL" lines that must count as uploads.
    public var upload: [(String, SourceLocation)] = []
}

/// One service of the catalogue, as written in `Rules/*.yaml`.
public struct ServiceDefinition: Sendable {
    public let id: String
    public let name: String
    public let category: String
    public let risk: RiskLevel
    public let personal: Bool
    public let domains: [String]
    public let urlPatterns: [String]
    public let uploads: [UploadIndicator]
    public let examples: ServiceExamples
    public let location: SourceLocation
}

/// A problem found while loading rules, reported as `file:line:column: message`.
public struct RuleProblem: Error, Sendable, CustomStringConvertible, Equatable {
    public let location: SourceLocation
    public let message: String
    public var description: String { "\(location): \(message)" }
}

/// All problems found in a rule catalogue; loading reports every one before failing.
public struct RuleLoadError: Error, Sendable, CustomStringConvertible {
    public let problems: [RuleProblem]
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
