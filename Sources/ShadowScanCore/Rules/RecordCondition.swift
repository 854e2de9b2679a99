import PCRE2
import Yams

/// A service's optional `when:`: a condition on the request's fields that only a log line has (user
/// agent, method, status), checked after the service's domains and URL patterns matched. Sigma proxy
/// rules import into it.
///
/// ```yaml
/// when:
///   all:                                   # all | any | not, nested freely
///     - user_agent: {contains: [python-requests, 'curl/']}
///     - not: {method: {equals: [GET, HEAD]}}
///     - status: {equals: ['200']}
///     - url: {re: ['/api/v[0-9]+/upload'], all: false}
/// ```
/// Fields: `host`, `url` (as logged), `user_agent`, `method`, `status`. Operators: `equals`, `contains`,
/// `startswith`, `endswith` (case-insensitive), `re` (PCRE2, case-sensitive unless `(?i)`). A list of
/// values matches when any value does, or every value with `all: true`.
public indirect enum RecordCondition: Sendable, Equatable {
    case all([RecordCondition])
    case any([RecordCondition])
    case not(RecordCondition)
    case test(Field, Operator, [String], requireAll: Bool)

    public enum Field: String, Sendable, CaseIterable { case host, url, userAgent = "user_agent", method, status }
    public enum Operator: String, Sendable, CaseIterable { case equals, contains, startswith, endswith, re }

    /// Every regular expression in the condition (for compiling and linting).
    public var patterns: [String] {
        switch self {
        case .all(let c), .any(let c): return c.flatMap(\.patterns)
        case .not(let c): return c.patterns
        case .test(_, let op, let values, _): return op == .re ? values : []
        }
    }

    /// The condition as YAML under `when:` at `indent` spaces (for importers).
    public func yaml(indent: Int) -> String {
        let pad = String(repeating: " ", count: indent)
        switch self {
        case .all(let c), .any(let c):
            let key = { if case .all = self { return "all" } else { return "any" } }()
            return "\(pad)\(key):\n" + c.map { item in
                let body = item.yaml(indent: indent + 4)
                return pad + "  - " + body.dropFirst(indent + 4)
            }.joined()
        case .not(let c):
            let body = c.yaml(indent: indent + 2)
            return "\(pad)not:\n" + body
        case .test(let field, let op, let values, let requireAll):
            let list = values.map { ToolText.yamlQuoted($0) }.joined(separator: ", ")
            return "\(pad)\(field.rawValue): {\(op.rawValue): [\(list)]\(requireAll ? ", all: true" : "")}\n"
        }
    }
}

extension RuleFileReader {
    /// Reads a `when:` node; problems are recorded with their positions, nil when there were any.
    mutating func readCondition(_ node: Node) -> RecordCondition? {
        let before = problems.count
        let condition = condition(node)
        return problems.count == before ? condition : nil
    }

    private mutating func condition(_ node: Node) -> RecordCondition? {
        guard let mapping = node.mapping, mapping.count == 1, let (keyNode, value) = mapping.first, let key = keyNode.string else {
            problems.append(problem(node, "a condition is a mapping with one key: all, any, not, or a field (\(RecordCondition.Field.allCases.map(\.rawValue).joined(separator: ", ")))"))
            return nil
        }
        switch key {
        case "all", "any":
            guard let list = value.sequence, !list.isEmpty else { problems.append(problem(value, "'\(key)' takes a non-empty list of conditions")); return nil }
            let items = list.compactMap { condition($0) }
            guard items.count == list.count else { return nil }
            return key == "all" ? .all(items) : .any(items)
        case "not":
            return condition(value).map { .not($0) }
        default:
            guard let field = RecordCondition.Field(rawValue: key) else {
                problems.append(problem(keyNode, "unknown condition '\(key)' (expected all, any, not, or a field: \(RecordCondition.Field.allCases.map(\.rawValue).joined(separator: ", ")))"))
                return nil
            }
            guard let test = value.mapping else {
                problems.append(problem(value, "'\(key)' takes {OPERATOR: [values]} with OPERATOR one of \(RecordCondition.Operator.allCases.map(\.rawValue).joined(separator: ", "))"))
                return nil
            }
            var op: RecordCondition.Operator?
            var values: [String] = []
            var requireAll = false
            for (k, v) in test {
                let name = k.string ?? "?"
                if name == "all" {
                    guard let flag = v.scalar?.string, flag == "true" || flag == "false" else { problems.append(problem(v, "all must be true or false")); continue }
                    requireAll = flag == "true"
                } else if let parsed = RecordCondition.Operator(rawValue: name) {
                    if op != nil { problems.append(problem(k, "one operator per field test")); continue }
                    op = parsed
                    let items = v.sequence ?? [v]
                    for item in items {
                        guard let text = item.scalar?.string else { problems.append(problem(item, "'\(name)' values must be strings")); continue }
                        if parsed == .re {
                            do { _ = try Pattern(text) } catch { problems.append(problem(item, error.description)); continue }
                        }
                        values.append(text)
                    }
                    if items.isEmpty { problems.append(problem(v, "'\(name)' needs at least one value")) }
                } else {
                    problems.append(problem(k, "unknown operator '\(name)' (expected \(RecordCondition.Operator.allCases.map(\.rawValue).joined(separator: ", ")), all)"))
                }
            }
            guard let op else { problems.append(problem(value, "'\(key)' needs an operator")); return nil }
            return .test(field, op, values, requireAll: requireAll)
        }
    }
}
