import Foundation
import PCRE2
import Yams

/// Loads and validates `Rules/*.yaml`. Every problem in every file is collected (unknown keys, missing or
/// mistyped values, duplicate ids, a domain claimed twice, regexes that do not compile) and reported
/// together with file, line and column; nothing is returned unless the whole catalogue is valid.
public enum RuleCatalogLoader {
    public static func load(directory: String) throws(RuleLoadError) -> ServiceCatalog {
        let (sources, problems) = sources(directory: directory)
        if sources.isEmpty { throw RuleLoadError(problems: problems) }
        return try load(sources: sources, earlierProblems: problems)
    }

    /// Loads from (file name, YAML text) pairs; used by `load(directory:)` and by tests.
    public static func load(sources: [(name: String, text: String)], earlierProblems: [RuleProblem] = []) throws(RuleLoadError) -> ServiceCatalog {
        let (services, problems) = read(sources: sources, earlierProblems: earlierProblems)
        guard problems.isEmpty else { throw RuleLoadError(problems: problems) }
        do {
            return try ServiceCatalog(services: services)
        } catch {
            // Unreachable in practice: every pattern was compiled once already while validating.
            throw RuleLoadError(problems: [RuleProblem(location: SourceLocation(file: "rules", line: 0, column: 0), message: "\(error)")])
        }
    }

    /// Every problem `load` would report, and the services that had none of their own: for the linter,
    /// which goes on to look for warnings in a catalogue that does not load.
    public static func read(sources: [(name: String, text: String)], earlierProblems: [RuleProblem] = []) -> (services: [ServiceDefinition], problems: [RuleProblem]) {
        var reader = RuleFileReader()
        reader.problems = earlierProblems
        for (name, text) in sources { reader.read(file: name, text: text) }
        reader.checkCatalogue()
        return (reader.services, reader.problems)
    }

    /// The rule files of a directory (`*.yaml`, `*.yml`, sorted) as (path, text) pairs, or the problem.
    public static func sources(directory: String) -> (sources: [(name: String, text: String)], problems: [RuleProblem]) {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                .filter { !$0.hasPrefix("policy") }   // policy files (`--policy`) live beside the rules, e.g. policy.example.yaml
                .sorted()
                .map { (directory as NSString).appendingPathComponent($0) }
        } catch {
            return ([], [RuleProblem(location: SourceLocation(file: directory, line: 0, column: 0),
                                     message: "cannot read the rules directory: \(error.localizedDescription)")])
        }
        if files.isEmpty {
            return ([], [RuleProblem(location: SourceLocation(file: directory, line: 0, column: 0), message: "no rule files (*.yaml) in this directory")])
        }
        return sources(files: files)
    }

    /// Reads the named rule files as (path, text) pairs; unreadable files become problems.
    public static func sources(files: [String]) -> (sources: [(name: String, text: String)], problems: [RuleProblem]) {
        var sources: [(name: String, text: String)] = []
        var problems: [RuleProblem] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                problems.append(RuleProblem(location: SourceLocation(file: file, line: 0, column: 0), message: "cannot read file"))
                continue
            }
            sources.append((file, String(decoding: data, as: UTF8.self)))
        }
        return (sources, problems)
    }
}

/// Walks the YAML node tree of each file, keeping marks so every problem has a position.
struct RuleFileReader: YAMLProblems {
    var problems: [RuleProblem] = []
    var services: [ServiceDefinition] = []
    /// Every service's id and domains, also of services with other problems, for the checks across files.
    private var claims: [(id: String?, domains: [String], location: SourceLocation)] = []
    /// `mail_domains` entries: a mail domain belongs to one provider only.
    private var mailClaims: [(id: String, domain: String, location: SourceLocation)] = []
    private(set) var file = ""

    static let serviceKeys: Set<String> = ["id", "name", "category", "risk", "personal", "domains", "url", "upload", "examples", "mail_domains", "when"]
    static let uploadKeys: Set<String> = ["methods", "url"]
    static let exampleKeys: Set<String> = ["match", "no_match", "upload", "lines"]
    static let lineExampleKeys: Set<String> = ["line", "service", "format", "upload", "action"]

    mutating func read(file: String, text: String) {
        self.file = file
        let root: Node?
        switch compose(text) {
        case .success(let node): root = node
        case .failure(let problem): problems.append(problem); return
        }
        guard let root, let mapping = root.mapping else {
            problems.append(problem(root, "expected a mapping with a 'services' list at the top of the file"))
            return
        }
        var sawServices = false
        for (key, value) in mapping {
            guard let name = key.string else { problems.append(problem(key, "expected a key")); continue }
            guard name == "services" else { problems.append(problem(key, "unknown key '\(name)' (expected 'services')")); continue }
            sawServices = true
            guard let list = value.sequence else { problems.append(problem(value, "'services' must be a list")); continue }
            for item in list { readService(item) }
        }
        if !sawServices { problems.append(problem(root, "missing key 'services'")) }
    }

    private mutating func readService(_ node: Node) {
        guard let mapping = node.mapping else { problems.append(problem(node, "a service must be a mapping")); return }
        var values: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string else { continue }
            if !Self.serviceKeys.contains(name) {
                problems.append(problem(key, "unknown key '\(name)' (expected one of: \(Self.serviceKeys.sorted().joined(separator: ", ")))"))
            } else if values[name] != nil {
                problems.append(problem(key, "key '\(name)' given twice"))
            } else {
                values[name] = value
            }
        }
        let before = problems.count
        let id = requiredString(values["id"], "id", in: node)
        if let id, !Self.isKebabCase(id) {
            problems.append(problem(values["id"], "id '\(id)' is not kebab-case ([a-z0-9]+(-[a-z0-9]+)*)"))
        }
        let name = requiredString(values["name"], "name", in: node)
        let category = requiredString(values["category"], "category", in: node)
        if let category, !Self.isKebabCase(category) {
            problems.append(problem(values["category"], "category '\(category)' is not kebab-case"))
        }
        var risk: RiskLevel?
        if let text = requiredString(values["risk"], "risk", in: node) {
            risk = RiskLevel(rawValue: text)
            if risk == nil { problems.append(problem(values["risk"], "risk must be low, medium or high, not '\(text)'")) }
        }
        var personal: Bool?
        if let node = values["personal"] {
            personal = node.scalar.flatMap { $0.string == "true" ? true : ($0.string == "false" ? false : nil) }
            if personal == nil { problems.append(problem(node, "personal must be true or false")) }
        } else {
            problems.append(problem(node, "missing key 'personal'"))
        }
        var domains: [String] = []
        var domainLocations: [SourceLocation] = []
        if let list = stringList(values["domains"], "domains", required: true, in: node) {
            for (domain, domainNode) in list {
                if let reason = Self.domainProblem(domain) {
                    problems.append(problem(domainNode, "domain '\(domain)' \(reason)"))
                } else {
                    domains.append(domain)
                    domainLocations.append(location(domainNode))
                }
            }
            if list.isEmpty { problems.append(problem(values["domains"], "a service needs at least one domain")) }
        }
        // Where the provider's users have mailboxes (user@gmail.com): recipients there are personal.
        var mailDomains: [String] = []
        if let list = stringList(values["mail_domains"], "mail_domains", required: false, in: node) {
            for (domain, domainNode) in list {
                if let reason = Self.domainProblem(domain) {
                    problems.append(problem(domainNode, "mail domain '\(domain)' \(reason)"))
                } else {
                    mailDomains.append(domain)
                    mailClaims.append((id ?? "?", domain, location(domainNode)))
                }
            }
        }
        var urlPatterns: [String] = []
        var urlPatternLocations: [SourceLocation] = []
        if let list = stringList(values["url"], "url", required: false, in: node) {
            for (pattern, patternNode) in list where checkPattern(pattern, patternNode) {
                urlPatterns.append(pattern)
                urlPatternLocations.append(location(patternNode))
            }
        }
        // Fields only a log line has (user agent, method, status), checked after domains and patterns.
        var condition: RecordCondition?
        if let whenNode = values["when"] { condition = readCondition(whenNode) }
        var uploads: [UploadIndicator] = []
        if let uploadNode = values["upload"] {
            if let list = uploadNode.sequence {
                for item in list { if let indicator = readUpload(item) { uploads.append(indicator) } }
            } else {
                problems.append(problem(uploadNode, "'upload' must be a list of {methods, url}"))
            }
        }
        var examples = ServiceExamples()
        if let examplesNode = values["examples"] {
            examples = readExamples(examplesNode, serviceID: id)
            if examples.match.isEmpty { problems.append(problem(examplesNode, "examples need at least one 'match' entry")) }
        } else {
            problems.append(problem(node, "missing key 'examples' (match / no_match URLs that the test suite runs)"))
        }
        claims.append((id, domains, location(node)))
        guard problems.count == before, let id, let name, let category, let risk, let personal else { return }
        var definition = ServiceDefinition(
            id: id, name: name, category: category, risk: risk, personal: personal, domains: domains,
            urlPatterns: urlPatterns, uploads: uploads, examples: examples, location: location(node),
            domainLocations: domainLocations, urlPatternLocations: urlPatternLocations)
        definition.mailDomains = mailDomains
        definition.condition = condition
        services.append(definition)
    }

    private mutating func readUpload(_ node: Node) -> UploadIndicator? {
        guard let mapping = node.mapping else { problems.append(problem(node, "an upload indicator must be a mapping {methods, url}")); return nil }
        var methods: [String] = []
        var pattern: String?
        var sawMethods = false
        for (key, value) in mapping {
            switch key.string {
            case "methods":
                sawMethods = true
                if let list = stringList(value, "methods", required: true, in: node) {
                    for (method, methodNode) in list {
                        if method.isEmpty || !method.allSatisfy({ $0.isASCII && ($0.isUppercase || $0 == "-") }) {
                            problems.append(problem(methodNode, "method '\(method)' must be an upper-case HTTP method"))
                        } else {
                            methods.append(method)
                        }
                    }
                }
            case "url":
                if let text = value.scalar?.string {
                    if checkPattern(text, value) { pattern = text }
                } else {
                    problems.append(problem(value, "'url' must be a string (a PCRE2 pattern)"))
                }
            default:
                problems.append(problem(key, "unknown key '\(key.string ?? "?")' in upload (expected methods, url)"))
            }
        }
        if !sawMethods { problems.append(problem(node, "upload indicator needs 'methods'")); return nil }
        return methods.isEmpty ? nil : UploadIndicator(methods: methods, urlPattern: pattern, location: location(node))
    }

    private mutating func readExamples(_ node: Node, serviceID: String?) -> ServiceExamples {
        var examples = ServiceExamples()
        guard let mapping = node.mapping else { problems.append(problem(node, "'examples' must be a mapping with match / no_match")); return examples }
        for (key, value) in mapping {
            guard let name = key.string, Self.exampleKeys.contains(name) else {
                problems.append(problem(key, "unknown key '\(key.string ?? "?")' in examples (expected match, no_match, upload, lines)"))
                continue
            }
            if name == "lines" {
                examples.lines = readLineExamples(value, serviceID: serviceID)
                continue
            }
            let list = (stringList(value, name, required: true, in: node) ?? []).map { ($0.0, location($0.1)) }
            switch name {
            case "match": examples.match = list
            case "no_match": examples.noMatch = list
            default:
                for (line, loc) in list where line.split(separator: " ").count != 2 {
                    problems.append(RuleProblem(location: loc, message: "upload example '\(line)' must be 'METHOD URL'"))
                }
                examples.upload = list
            }
        }
        return examples
    }

    /// `examples.lines`: plain strings (the line must match this service) or mappings
    /// `{line, service, format, upload, action}`.
    private mutating func readLineExamples(_ node: Node, serviceID: String?) -> [LineExample] {
        guard let list = node.sequence else { problems.append(problem(node, "'lines' must be a list of log lines")); return [] }
        var out: [LineExample] = []
        for item in list {
            if let scalar = item.scalar {
                out.append(LineExample(line: scalar.string, service: serviceID, format: nil, upload: nil, action: nil, location: location(item)))
                continue
            }
            guard let mapping = item.mapping else {
                problems.append(problem(item, "a 'lines' entry must be a log line or a mapping {line, service, format, upload, action}"))
                continue
            }
            var line: String?
            var service = serviceID
            var format: LogFormat?
            var upload: Bool?
            var action: ProxyAction?
            let before = problems.count
            for (key, value) in mapping {
                let name = key.string ?? "?"
                guard Self.lineExampleKeys.contains(name) else {
                    problems.append(problem(key, "unknown key '\(name)' in a lines entry (expected \(Self.lineExampleKeys.sorted().joined(separator: ", ")))"))
                    continue
                }
                guard let text = value.scalar?.string else { problems.append(problem(value, "'\(name)' must be a string")); continue }
                switch name {
                case "line": line = text
                case "service":
                    if text == "none" { service = nil } else if Self.isKebabCase(text) { service = text } else {
                        problems.append(problem(value, "service '\(text)' is not a service id (or none)"))
                    }
                case "format":
                    format = LogFormat(rawValue: text)
                    if format == nil {
                        problems.append(problem(value, "unknown format '\(text)' (expected one of: \(LogFormat.allCases.map(\.rawValue).joined(separator: ", ")))"))
                    }
                case "upload":
                    upload = text == "true" ? true : (text == "false" ? false : nil)
                    if upload == nil { problems.append(problem(value, "upload must be true or false")) }
                case "action":
                    action = ProxyAction(name: text)
                    if action == nil { problems.append(problem(value, "action must be allowed, denied or challenge, not '\(text)'")) }
                default: break
                }
            }
            guard let line, !line.isEmpty else {
                if problems.count == before { problems.append(problem(item, "a 'lines' entry needs a non-empty 'line'")) }
                continue
            }
            if problems.count == before {
                out.append(LineExample(line: line, service: service, format: format, upload: upload, action: action, location: location(item)))
            }
        }
        return out
    }

    // MARK: Checks across files

    mutating func checkCatalogue() {
        var ids: [String: SourceLocation] = [:]
        var domains: [String: (String, SourceLocation)] = [:]
        for claim in claims {
            let id = claim.id ?? "?"
            if let claimID = claim.id {
                if let first = ids[claimID] {
                    problems.append(RuleProblem(location: claim.location, message: "duplicate id '\(claimID)' (first defined at \(first))"))
                } else {
                    ids[claimID] = claim.location
                }
            }
            for domain in claim.domains {
                if let (owner, loc) = domains[domain] {
                    let who = owner == id && loc == claim.location ? "this service already" : "service '\(owner)'"
                    problems.append(RuleProblem(location: claim.location, message: "domain '\(domain)' is already claimed by \(who) (\(loc))"))
                } else {
                    domains[domain] = (id, claim.location)
                }
            }
        }
        var mailDomains: [String: (String, SourceLocation)] = [:]
        for claim in mailClaims {
            if let (owner, loc) = mailDomains[claim.domain] {
                let who = owner == claim.id ? "this service already" : "service '\(owner)'"
                problems.append(RuleProblem(location: claim.location, message: "mail domain '\(claim.domain)' is already claimed by \(who) (\(loc))"))
            } else {
                mailDomains[claim.domain] = (claim.id, claim.location)
            }
        }
    }

    // MARK: Helpers

    private mutating func checkPattern(_ pattern: String, _ node: Node) -> Bool {
        do {
            _ = try Pattern(pattern)
            return true
        } catch {
            problems.append(problem(node, error.description))
            return false
        }
    }

    private mutating func requiredString(_ node: Node?, _ key: String, in parent: Node) -> String? {
        guard let node else { problems.append(problem(parent, "missing key '\(key)'")); return nil }
        guard let scalar = node.scalar, !scalar.string.isEmpty else {
            problems.append(problem(node, "'\(key)' must be a non-empty string"))
            return nil
        }
        return scalar.string
    }

    private mutating func stringList(_ node: Node?, _ key: String, required: Bool, in parent: Node) -> [(String, Node)]? {
        guard let node else {
            if required { problems.append(problem(parent, "missing key '\(key)'")) }
            return nil
        }
        if let scalar = node.scalar, node.sequence == nil { return [(scalar.string, node)] }
        guard let list = node.sequence else { problems.append(problem(node, "'\(key)' must be a list of strings")); return nil }
        var out: [(String, Node)] = []
        for item in list {
            if let scalar = item.scalar { out.append((scalar.string, item)) } else { problems.append(problem(item, "'\(key)' entries must be strings")) }
        }
        return out
    }

    static func isKebabCase(_ text: String) -> Bool {
        guard let first = text.first, let last = text.last, first != "-", last != "-", !text.contains("--") else { return false }
        return text.allSatisfy { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }
    }

    /// Why a catalogue domain is not acceptable, or nil if it is a lower-case host name.
    static func domainProblem(_ domain: String) -> String? {
        if domain.isEmpty { return "is empty" }
        if domain.utf8.count > 253 { return "is longer than 253 bytes" }
        if domain.hasPrefix("*.") { return "must not be a wildcard: a domain already matches all its subdomains" }
        if domain.contains("://") || domain.contains("/") { return "must be a host name, not a URL" }
        if domain.contains(":") { return "must not carry a port" }
        if domain.hasSuffix(".") || domain.hasPrefix(".") || domain.contains("..") { return "has an empty label" }
        if domain != domain.lowercased() { return "must be lower case" }
        for label in domain.split(separator: ".") {
            if label.hasPrefix("-") || label.hasSuffix("-") { return "has a label starting or ending with '-'" }
            if !label.allSatisfy({ ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" || $0 == "_" }) {
                return "has characters other than a-z, 0-9, '-' and '_'"
            }
        }
        return nil
    }
}
