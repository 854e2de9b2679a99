import Foundation
import Yams

/// `shadowscan rules import sigma FILES`: Sigma rules of `logsource: category: proxy` as catalogue
/// services with a `when:` condition.
///
/// Supported: the fields that map onto ShadowScan's record — `cs-host` (host), `c-uri` (the URL as
/// logged), `c-useragent`, `cs-method`, `sc-status` — with no modifier (equals, `*`/`?` wildcards),
/// `contains`, `startswith`, `endswith`, `re` (also `re|i`) and `all`; selections as maps (all fields)
/// or lists of maps (any); conditions with `and`, `or`, `not`, parentheses, `1 of X*`, `all of X*`,
/// `1 of them`, `all of them`. ShadowScan finds a service by its host first, so a rule is imported
/// only when its condition bounds the host: every match needs a `cs-host` equal to (or ending with)
/// a domain; those domains become the service's `domains` and the whole condition its `when:`.
///
/// Everything else is reported: other fields (`c-uri-extension`, `cs-referrer`, `r-dns`, ...), other
/// modifiers (`base64`, `cidr`, `windash`, `exists`, ...), keyword lists, aggregations, rules for other
/// log sources, rules that do not bound the host. With `partial`, an unsupported test is dropped from
/// its rule instead (and named in the output): inside `and` or under `not` that widens the rule.
public enum SigmaImporter {
    public struct Options: Sendable {
        /// Catalogue category of the imported services.
        public var category = "sigma"
        /// Drop unsupported tests instead of skipping their rules.
        public var partial = false
        /// The catalogue the result must load beside (its domains cannot be claimed again).
        public var existing: ServiceCatalog?
        public init() {}
    }

    public struct Outcome: Sendable {
        public let file: String
        public let title: String
        /// nil: imported (maybe partly).
        public let skipped: String?
        /// Unsupported parts dropped (with `partial`) or that made the rule skip.
        public let notes: [String]
        public let serviceID: String?
    }

    public struct Result: Sendable {
        public let yaml: String
        public let outcomes: [Outcome]
        public var imported: Int { outcomes.filter { $0.skipped == nil }.count }
    }

    static let fields: [String: RecordCondition.Field] = [
        "cs-host": .host, "c-uri": .url, "c-useragent": .userAgent, "cs-method": .method, "sc-status": .status,
    ]

    struct Unsupported: Error { let reason: String }

    /// Imports every rule of every (name, YAML text) source; a file may hold several documents.
    public static func convert(_ sources: [(name: String, text: String)], options: Options = Options()) -> Result {
        var outcomes: [Outcome] = []
        var blocks: [String] = []
        var usedIDs = Set(options.existing?.services.map(\.id) ?? [])
        var claimed: [String: String] = [:]
        for service in options.existing?.services ?? [] { for domain in service.domains { claimed[domain] = service.id } }

        for (file, text) in sources {
            let documents: [Any]
            do {
                documents = try Array(Yams.load_all(yaml: text)).compactMap { $0 }
            } catch {
                outcomes.append(Outcome(file: file, title: "-", skipped: "not YAML: \(error)", notes: [], serviceID: nil))
                continue
            }
            var global: [String: Any] = [:]
            for document in documents {
                guard let rule = document as? [String: Any] else { continue }
                // Sigma rule collections: `action: global` holds keys every following rule shares.
                if rule["action"] as? String == "global" { global = rule; continue }
                let merged = global.merging(rule) { _, new in new }
                let title = (merged["title"] as? String) ?? "untitled"
                var notes: [String] = []
                do {
                    let (condition, domains) = try translate(merged, partial: options.partial, notes: &notes)
                    var kept: [String] = []
                    for domain in domains {
                        if let owner = claimed[domain] {
                            notes.append("domain \(domain) already belongs to '\(owner)': not claimed again")
                        } else {
                            kept.append(domain)
                        }
                    }
                    guard !kept.isEmpty else { throw Unsupported(reason: "every host it needs is already a catalogue domain (\(domains.joined(separator: ", ")))") }
                    var id = "sigma-" + slug(title)
                    while usedIDs.contains(id) { id += "-2" }
                    usedIDs.insert(id)
                    for domain in kept { claimed[domain] = id }
                    blocks.append(render(merged, id: id, title: title, file: file, domains: kept, condition: condition, notes: notes, options: options))
                    outcomes.append(Outcome(file: file, title: title, skipped: nil, notes: notes, serviceID: id))
                } catch let failure as Unsupported {
                    outcomes.append(Outcome(file: file, title: title, skipped: failure.reason, notes: notes, serviceID: nil))
                } catch {
                    outcomes.append(Outcome(file: file, title: title, skipped: "\(error)", notes: notes, serviceID: nil))
                }
            }
        }
        var out = "# Generated by `shadowscan rules import sigma` from \(sources.count) file(s).\n"
        out += "# Sigma rules are shared under the Detection Rule License (DRL) 1.1,\n"
        out += "#   https://github.com/SigmaHQ/Detection-Rule-License: keep each rule's author and references\n"
        out += "#   (above its service) when you share this file.\n"
        out += "# Each service is a rule: found by its host, then its `when:` condition checks the whole request.\n#\n"
        for outcome in outcomes {
            let status = outcome.skipped.map { "NOT imported: \($0)" } ?? "imported as \(outcome.serviceID!)"
            out += "# \(ToolText.terminal(outcome.file)): \(ToolText.terminal(outcome.title, limit: 120)): \(ToolText.terminal(status, limit: 400))\n"
            for note in outcome.notes { out += "#     \(ToolText.terminal(note, limit: 400))\n" }
        }
        out += blocks.isEmpty ? "services: []\n" : "services:\n" + blocks.joined(separator: "\n")
        return Result(yaml: out, outcomes: outcomes)
    }

    // MARK: Translation

    static func translate(_ rule: [String: Any], partial: Bool, notes: inout [String]) throws -> (RecordCondition, [String]) {
        let logsource = rule["logsource"] as? [String: Any] ?? [:]
        guard (logsource["category"] as? String) == "proxy" else {
            throw Unsupported(reason: "logsource is not category: proxy (\(logsource.map { "\($0.key): \($0.value)" }.sorted().joined(separator: ", ")))")
        }
        guard let detection = rule["detection"] as? [String: Any] else { throw Unsupported(reason: "no detection") }
        var selections: [String: RecordCondition?] = [:]
        for (name, value) in detection where name != "condition" && name != "timeframe" {
            selections[name] = try selection(name, value, partial: partial, notes: &notes)
        }
        if detection["timeframe"] != nil { throw Unsupported(reason: "timeframe (a correlation over time) is not supported") }
        let conditions: [String]
        if let one = detection["condition"] as? String { conditions = [one] }
        else if let many = detection["condition"] as? [String] { conditions = many }
        else { throw Unsupported(reason: "no condition") }
        var parsed: [RecordCondition] = []
        for text in conditions {
            var parser = ConditionParser(text: text, selections: selections)
            if let condition = try parser.parse(partial: partial, notes: &notes) { parsed.append(condition) }
        }
        guard let condition = parsed.count == 1 ? parsed.first : (parsed.isEmpty ? nil : .any(parsed)) else {
            throw Unsupported(reason: "nothing supported is left of the condition")
        }
        guard let domains = bound(condition), !domains.isEmpty else {
            throw Unsupported(reason: "the condition does not bound the host (no cs-host equals/endswith on every path): ShadowScan finds services by host first")
        }
        for value in hostSuffixValues(condition) where !value.hasPrefix(".") && !value.hasPrefix("*") {
            notes.append("cs-host|endswith '\(value)' is taken on label boundaries: the domain and its subdomains (Sigma would also match 'x\(value)')")
        }
        return (condition, domains.sorted())
    }

    private static func hostSuffixValues(_ condition: RecordCondition) -> [String] {
        switch condition {
        case .all(let items), .any(let items): return items.flatMap(hostSuffixValues)
        case .not(let item): return hostSuffixValues(item)
        case .test(.host, .endswith, let values, _): return values
        case .test: return []
        }
    }

    /// A named selection: a map (every field test holds) or a list of maps (any map holds).
    static func selection(_ name: String, _ value: Any, partial: Bool, notes: inout [String]) throws -> RecordCondition? {
        if let map = value as? [String: Any] {
            var tests: [RecordCondition] = []
            for (key, values) in map.sorted(by: { $0.key < $1.key }) {
                do {
                    tests.append(try fieldTest(key, values))
                } catch let failure as Unsupported {
                    guard partial else { throw Unsupported(reason: "selection '\(name)': \(failure.reason)") }
                    notes.append("dropped from selection '\(name)': \(failure.reason) (the rule now matches more)")
                }
            }
            if tests.isEmpty { return nil }
            return tests.count == 1 ? tests[0] : .all(tests)
        }
        if let list = value as? [Any] {
            if list.allSatisfy({ $0 is [String: Any] }) {
                var alternatives: [RecordCondition] = []
                for item in list { if let c = try selection(name, item, partial: partial, notes: &notes) { alternatives.append(c) } }
                if alternatives.isEmpty { return nil }
                return alternatives.count == 1 ? alternatives[0] : .any(alternatives)
            }
            throw Unsupported(reason: "selection '\(name)' is a keyword list (full-text search over the log line is not supported)")
        }
        throw Unsupported(reason: "selection '\(name)' is a keyword (full-text search over the log line is not supported)")
    }

    /// `field|modifier|...: value(s)` as one test.
    static func fieldTest(_ key: String, _ raw: Any) throws -> RecordCondition {
        let parts = key.split(separator: "|").map(String.init)
        guard let name = parts.first, let field = fields[name] else {
            throw Unsupported(reason: "field '\(parts.first ?? key)' is not in ShadowScan's record (supported: \(fields.keys.sorted().joined(separator: ", ")))")
        }
        var op: RecordCondition.Operator = .equals
        var requireAll = false
        var caseless = false
        for modifier in parts.dropFirst() {
            switch modifier {
            case "contains": op = .contains
            case "startswith": op = .startswith
            case "endswith": op = .endswith
            case "re": op = .re
            case "all": requireAll = true
            case "i" where op == .re: caseless = true
            default: throw Unsupported(reason: "modifier '\(modifier)' on \(name) is not supported")
            }
        }
        let list = raw as? [Any] ?? [raw]
        var values: [String] = []
        for item in list {
            switch item {
            case let s as String: values.append(s)
            case let i as Int: values.append(String(i))
            default: throw Unsupported(reason: "value '\(item)' of \(name) is not a string or number (null and field-exists tests are not supported)")
            }
        }
        if values.isEmpty { throw Unsupported(reason: "\(name) has no values") }
        if op == .re {
            return .test(field, .re, values.map { caseless ? "(?i)" + $0 : $0 }, requireAll: requireAll)
        }
        // Sigma values may hold * and ? wildcards (\* and \? are literal): those become a pattern.
        if values.contains(where: hasWildcard) || (field == .url && (op == .startswith || op == .equals) && values.contains { $0.hasPrefix("/") }) {
            let patterns = values.map { pattern($0, op, field) }
            return .test(field, .re, patterns, requireAll: requireAll)
        }
        return .test(field, op, values, requireAll: requireAll)
    }

    static func hasWildcard(_ value: String) -> Bool {
        var escaped = false
        for ch in value {
            if escaped { escaped = false; continue }
            if ch == "\\" { escaped = true; continue }
            if ch == "*" || ch == "?" { return true }
        }
        return false
    }

    /// A Sigma value as a case-insensitive PCRE2 pattern, anchored as its operator says. A URL path
    /// (`/gate.php`) may follow the scheme and host, since ShadowScan's URL is as logged.
    static func pattern(_ value: String, _ op: RecordCondition.Operator, _ field: RecordCondition.Field) -> String {
        var body = ""
        var escaped = false
        for ch in value {
            if escaped { body += escape(ch); escaped = false; continue }
            switch ch {
            case "\\": escaped = true
            case "*": body += ".*"
            case "?": body += "."
            default: body += escape(ch)
            }
        }
        if escaped { body += "\\\\" }
        let urlPrefix = field == .url && value.hasPrefix("/") ? "(?:[a-z][a-z0-9+.-]*://[^/]*)?" : ""
        switch op {
        case .equals: return "(?i)^" + urlPrefix + body + "$"
        case .startswith: return "(?i)^" + urlPrefix + body
        case .endswith: return "(?i)" + body + "$"
        case .contains, .re: return "(?i)" + body
        }
    }

    private static func escape(_ ch: Character) -> String {
        "\\^$.|?*+()[]{}".contains(ch) ? "\\" + String(ch) : String(ch)
    }

    /// The host domains every match needs, or nil when some way to match leaves the host open.
    static func bound(_ condition: RecordCondition) -> Set<String>? {
        switch condition {
        case .test(.host, let op, let values, let requireAll):
            guard !requireAll || values.count == 1 else { return nil }
            switch op {
            case .equals, .endswith:
                var domains = Set<String>()
                for value in values {
                    var domain = value.lowercased()
                    while domain.hasPrefix(".") || domain.hasPrefix("*.") { domain.removeFirst(domain.hasPrefix("*.") ? 2 : 1) }
                    guard domain.contains("."), RuleFileReader.domainProblem(domain) == nil else { return nil }
                    domains.insert(domain)
                }
                return domains
            default: return nil
            }
        case .test: return nil
        case .not: return nil
        case .all(let items):
            // One bounded conjunct bounds them all; take the narrowest.
            return items.compactMap(bound).min { $0.count < $1.count }
        case .any(let items):
            var union = Set<String>()
            for item in items {
                guard let domains = bound(item) else { return nil }
                union.formUnion(domains)
            }
            return union
        }
    }

    // MARK: Condition expressions

    struct ConditionParser {
        let tokens: [String]
        let selections: [String: RecordCondition?]
        var index = 0

        init(text: String, selections: [String: RecordCondition?]) {
            var tokens: [String] = []
            var word = ""
            for ch in text {
                if ch == "(" || ch == ")" || ch == "|" {
                    if !word.isEmpty { tokens.append(word); word = "" }
                    tokens.append(String(ch))
                } else if ch.isWhitespace {
                    if !word.isEmpty { tokens.append(word); word = "" }
                } else {
                    word.append(ch)
                }
            }
            if !word.isEmpty { tokens.append(word) }
            self.tokens = tokens
            self.selections = selections
        }

        mutating func parse(partial: Bool, notes: inout [String]) throws -> RecordCondition? {
            if tokens.contains("|") { throw Unsupported(reason: "aggregations (| count(), | near ...) are not supported") }
            let result = try orExpression(notes: &notes)
            if index < tokens.count { throw Unsupported(reason: "condition: unexpected '\(tokens[index])'") }
            return result
        }

        private mutating func next() -> String? { index < tokens.count ? tokens[index] : nil }

        private mutating func orExpression(notes: inout [String]) throws -> RecordCondition? {
            var items: [RecordCondition] = []
            var sawNil = false
            repeat {
                if let item = try andExpression(notes: &notes) { items.append(item) } else { sawNil = true }
            } while eat("or")
            if sawNil && !items.isEmpty { notes.append("an alternative of the condition had nothing supported left and was dropped") }
            return items.isEmpty ? nil : (items.count == 1 ? items[0] : .any(items))
        }

        private mutating func andExpression(notes: inout [String]) throws -> RecordCondition? {
            var items: [RecordCondition] = []
            repeat {
                if let item = try notExpression(notes: &notes) { items.append(item) }
            } while eat("and")
            return items.isEmpty ? nil : (items.count == 1 ? items[0] : .all(items))
        }

        private mutating func notExpression(notes: inout [String]) throws -> RecordCondition? {
            if eat("not") {
                guard let inner = try notExpression(notes: &notes) else { return nil }
                return .not(inner)
            }
            return try primary(notes: &notes)
        }

        private mutating func primary(notes: inout [String]) throws -> RecordCondition? {
            guard let token = next() else { throw Unsupported(reason: "condition ends too early") }
            index += 1
            if token == "(" {
                let inner = try orExpression(notes: &notes)
                guard eat(")") else { throw Unsupported(reason: "condition: missing ')'") }
                return inner
            }
            if (token == "1" || token == "any" || token == "all"), eat("of") {
                guard let target = next() else { throw Unsupported(reason: "condition: '\(token) of' needs a name") }
                index += 1
                let names = target == "them" ? selections.keys.sorted() : selections.keys.filter { Self.glob(target, $0) }.sorted()
                if names.isEmpty { throw Unsupported(reason: "condition names '\(target)', which matches no selection") }
                let items = names.compactMap { selections[$0] ?? nil }
                if items.isEmpty { return nil }
                return token == "all" ? (items.count == 1 ? items[0] : .all(items)) : (items.count == 1 ? items[0] : .any(items))
            }
            guard let selection = selections[token] else { throw Unsupported(reason: "condition names '\(token)', which is not a selection") }
            return selection   // nil when every test in it was dropped
        }

        private mutating func eat(_ word: String) -> Bool {
            if next() == word { index += 1; return true }
            return false
        }

        /// `selection*` style names.
        static func glob(_ pattern: String, _ name: String) -> Bool {
            if pattern.hasSuffix("*") { return name.hasPrefix(String(pattern.dropLast())) }
            if pattern.hasPrefix("*") { return name.hasSuffix(String(pattern.dropFirst())) }
            return pattern == name
        }
    }

    // MARK: Output

    static func slug(_ title: String) -> String {
        var out = ""
        for ch in title.lowercased() {
            if ch.isASCII && (ch.isLetter || ch.isNumber) { out.append(ch) } else if !out.hasSuffix("-") && !out.isEmpty { out.append("-") }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return String((out.isEmpty ? "rule" : out).prefix(60)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }

    static func render(_ rule: [String: Any], id: String, title: String, file: String, domains: [String], condition: RecordCondition,
                       notes: [String], options: Options) -> String {
        let level = (rule["level"] as? String)?.lowercased() ?? "medium"
        let risk = ["informational": "low", "low": "low", "medium": "medium", "high": "high", "critical": "high"][level] ?? "medium"
        var out = "  # Sigma rule: \(ToolText.terminal(title, limit: 200))"
        if let ruleID = rule["id"] as? String { out += " (id \(ToolText.terminal(ruleID, limit: 80)))" }
        out += "\n"
        if let author = rule["author"] as? String { out += "  # author: \(ToolText.terminal(author, limit: 200))\n" }
        if let status = rule["status"] as? String { out += "  # status: \(ToolText.terminal(status, limit: 40)), level: \(ToolText.terminal(level, limit: 40))\n" }
        if let description = rule["description"] as? String {
            out += "  # \(ToolText.terminal(description.split(whereSeparator: \.isNewline).joined(separator: " "), limit: 300))\n"
        }
        for reference in (rule["references"] as? [Any] ?? []).prefix(5) { out += "  # reference: \(ToolText.terminal("\(reference)", limit: 200))\n" }
        out += "  # from \(ToolText.terminal(file))\n"
        for note in notes { out += "  # \(ToolText.terminal(note, limit: 300))\n" }
        out += "  - id: \(id)\n"
        out += "    name: \(ToolText.yamlQuoted(title + " (Sigma)"))\n"
        out += "    category: \(options.category)\n"
        out += "    risk: \(risk)\n"
        out += "    personal: false\n"
        out += "    domains:\n" + domains.map { "      - \($0)\n" }.joined()
        out += "    when:\n" + condition.yaml(indent: 6)
        out += "    examples:\n"
        out += "      match:                       # URL examples check the domains; the condition needs log lines\n"
        out += "        - \(ToolText.yamlQuoted("https://\(domains[0])/"))\n"
        out += "      no_match:\n        - \(ToolText.yamlQuoted("https://\(domains[0]).invalid/"))\n"
        return out
    }
}
