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
    /// Whole log lines, in any supported format, with the service they must match.
    public var lines: [LineExample] = []
}

/// An `examples.lines` entry: a log line and what analysing it must give.
///
/// ```yaml
/// lines:
///   - '1763448000.000 12 10.0.0.5 TCP_MISS/200 512 GET https://www.dropbox.com/home alice HIER_DIRECT/1.2.3.4 text/html'
///   - line: '10.0.0.5 - - [18/Nov/2026:06:38:46 +0000] "GET https://notdropbox.com/ HTTP/1.1" 200 512 TCP_MISS:HIER_DIRECT'
///     service: none          # default: the enclosing service
///     format: squid-common   # optional: the format the line must parse as
///     upload: false          # optional
///     action: allowed        # optional: allowed | denied | challenge
/// ```
public struct LineExample: Sendable {
    public let line: String
    /// The service id the line must match; nil: it must match no service.
    public let service: String?
    public let format: LogFormat?
    public let upload: Bool?
    public let action: ProxyAction?
    public let location: SourceLocation
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
    /// Where each of `domains` is written (same order), for tools that point at a single entry.
    public var domainLocations: [SourceLocation] = []
    /// Where each of `urlPatterns` is written (same order).
    public var urlPatternLocations: [SourceLocation] = []
    /// Mail domains of the provider (`mail_domains`): a recipient there is a personal mailbox.
    public var mailDomains: [String] = []
    /// `when:`: what the request must also satisfy beyond domains and URL patterns (nil: nothing).
    public var condition: RecordCondition?
}

/// A problem found while loading rules, reported as `file:line:column: message`.
public struct RuleProblem: Error, Sendable, CustomStringConvertible, Equatable {
    public let location: SourceLocation
    public let message: String
    public init(location: SourceLocation, message: String) { self.location = location; self.message = message }
    public var description: String { "\(location): \(message)" }
}

/// All problems found in a rule catalogue; loading reports every one before failing.
public struct RuleLoadError: Error, Sendable, CustomStringConvertible {
    public let problems: [RuleProblem]
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
