import PCRE2

/// A service's `when:` condition, compiled: values lower-cased once, patterns compiled once. Evaluated
/// on a record's spans without copying them; only services that have a condition pay for it, and only
/// for requests already on their domains.
final class CompiledCondition: @unchecked Sendable {
    indirect enum Node {
        case all([Node])
        case any([Node])
        case not(Node)
        case test(RecordCondition.Field, RecordCondition.Operator, [[UInt8]], [Pattern], requireAll: Bool)
    }

    let root: Node

    init(_ condition: RecordCondition) throws(PCRE2CompileError) {
        root = try Self.compile(condition)
    }

    private static func compile(_ condition: RecordCondition) throws(PCRE2CompileError) -> Node {
        switch condition {
        case .all(let items):
            var nodes: [Node] = []
            for item in items { nodes.append(try compile(item)) }
            return .all(nodes)
        case .any(let items):
            var nodes: [Node] = []
            for item in items { nodes.append(try compile(item)) }
            return .any(nodes)
        case .not(let item):
            return .not(try compile(item))
        case .test(let field, let op, let values, let requireAll):
            var patterns: [Pattern] = []
            if op == .re { for value in values { patterns.append(try Pattern(value)) } }
            return .test(field, op, op == .re ? [] : values.map { Array($0.utf8).map(DomainSuffixIndex.lower) }, patterns, requireAll: requireAll)
        }
    }

    /// Whether the record satisfies the condition; `base` holds the bytes the record's spans index.
    func holds(_ record: ProxyRecord, base: UnsafeRawBufferPointer, scratch: MatchScratch) -> Bool {
        evaluate(root, record, base, scratch)
    }

    private func evaluate(_ node: Node, _ record: ProxyRecord, _ base: UnsafeRawBufferPointer, _ scratch: MatchScratch) -> Bool {
        switch node {
        case .all(let items): return items.allSatisfy { evaluate($0, record, base, scratch) }
        case .any(let items): return items.contains { evaluate($0, record, base, scratch) }
        case .not(let item): return !evaluate(item, record, base, scratch)
        case .test(let field, let op, let values, let patterns, let requireAll):
            if field == .status {
                // The status is a number in the record: test its three digits.
                var digits: (UInt8, UInt8, UInt8) = (0, 0, 0)
                let status = max(0, min(999, Int(record.status)))
                digits.0 = UInt8(48 + status / 100); digits.1 = UInt8(48 + status / 10 % 10); digits.2 = UInt8(48 + status % 10)
                return withUnsafeBytes(of: &digits) { test(UnsafeRawBufferPointer($0), op, values, patterns, requireAll, scratch) }
            }
            let span: ByteSpan
            switch field {
            case .host: span = record.host
            case .url: span = record.url
            case .userAgent: span = record.userAgent
            case .method: span = record.method
            case .status: span = ByteSpan()
            }
            return test(UnsafeRawBufferPointer(rebasing: base[span.start..<span.end]), op, values, patterns, requireAll, scratch)
        }
    }

    private func test(_ subject: UnsafeRawBufferPointer, _ op: RecordCondition.Operator, _ values: [[UInt8]], _ patterns: [Pattern],
                      _ requireAll: Bool, _ scratch: MatchScratch) -> Bool {
        if op == .re {
            let hit: (Pattern) -> Bool = { pattern in ((try? pattern.firstMatch(in: subject, scratch: scratch)) ?? nil) != nil }
            return requireAll ? patterns.allSatisfy(hit) : patterns.contains(where: hit)
        }
        let hit: ([UInt8]) -> Bool = { value in
            switch op {
            case .equals: return subject.count == value.count && Self.equalFolded(subject, 0, value)
            case .startswith: return subject.count >= value.count && Self.equalFolded(subject, 0, value)
            case .endswith: return subject.count >= value.count && Self.equalFolded(subject, subject.count - value.count, value)
            case .contains: return Self.containsFolded(subject, value)
            case .re: return false
            }
        }
        return requireAll ? values.allSatisfy(hit) : values.contains(where: hit)
    }

    @inline(__always)
    private static func equalFolded(_ subject: UnsafeRawBufferPointer, _ at: Int, _ value: [UInt8]) -> Bool {
        for k in 0..<value.count where DomainSuffixIndex.lower(subject[at + k]) != value[k] { return false }
        return true
    }

    private static func containsFolded(_ subject: UnsafeRawBufferPointer, _ value: [UInt8]) -> Bool {
        if value.isEmpty { return true }
        guard subject.count >= value.count else { return false }
        let first = value[0]
        for start in 0...(subject.count - value.count) where DomainSuffixIndex.lower(subject[start]) == first {
            if equalFolded(subject, start, value) { return true }
        }
        return false
    }
}
