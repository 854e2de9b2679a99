#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Byte-level scanners shared by the gateway formats: key=value pairs, CSV fields, JSON members. Each
// hands out spans into the line and allocates nothing; each is tolerant (a broken line ends the scan,
// it never reads past the line).

extension ASCII {
    static let equals: UInt8 = 0x3D, comma: UInt8 = 0x2C, caret: UInt8 = 0x5E, pipe: UInt8 = 0x7C
    static let openBrace: UInt8 = 0x7B, closeBrace: UInt8 = 0x7D

    /// Characters of a key in `key=value` logs: letters, digits, `_ - . ( )`.
    @inline(__always) static func isKeyByte(_ b: UInt8) -> Bool {
        let l = b | 0x20
        return (l >= 0x61 && l <= 0x7A) || (b &- zero < 10) || b == 0x5F || b == dash || b == dot || b == 0x28 || b == 0x29
    }
}

extension UnsafeRawBufferPointer {
    /// Like `equals`, ignoring ASCII case (keys such as `cs(User-Agent)` vary in case between products).
    @inline(__always)
    func equalsIgnoringCase(_ span: ByteSpan, _ literal: StaticString) -> Bool {
        guard span.count == literal.utf8CodeUnitCount else { return false }
        let p = literal.utf8Start
        for k in 0..<span.count where (self[span.start + k] | 0x20) != (p[k] | 0x20) { return false }
        return true
    }

    @inline(__always)
    func hasPrefix(_ span: ByteSpan, _ literal: StaticString) -> Bool {
        let m = literal.utf8CodeUnitCount
        guard span.count >= m else { return false }
        let p = literal.utf8Start
        for k in 0..<m where self[span.start + k] != p[k] { return false }
        return true
    }

    @inline(__always)
    func hasPrefixIgnoringCase(_ span: ByteSpan, _ literal: StaticString) -> Bool {
        let m = literal.utf8CodeUnitCount
        guard span.count >= m else { return false }
        let p = literal.utf8Start
        for k in 0..<m where (self[span.start + k] | 0x20) != (p[k] | 0x20) { return false }
        return true
    }

    /// `-`, empty, `None`, `null`, `N/A`: the ways gateways write "no value".
    @inline(__always)
    func isNoValue(_ span: ByteSpan) -> Bool {
        switch span.count {
        case 0: return true
        case 1: return self[span.start] == ASCII.dash
        case 3: return equals(span, "N/A") || equals(span, "n/a")
        case 4: return equals(span, "None") || equals(span, "null") || equals(span, "NONE")
        default: return false
        }
    }

    /// An integer, tolerating a leading `-` for "unknown" (returns nil then).
    @inline(__always)
    func parseCount(_ span: ByteSpan) -> Int64? { parseUInt(span) }

    /// True when the span holds a backslash (a JSON string that needs decoding).
    @inline(__always)
    func containsBackslash(_ span: ByteSpan) -> Bool {
        guard span.count > 0 else { return false }
        return memchr(baseAddress! + span.start, Int32(ASCII.backslash), span.count) != nil
    }

    /// Trims blanks at both ends.
    @inline(__always)
    func trimmed(_ span: ByteSpan) -> ByteSpan {
        var s = span.start, e = span.end
        while s < e && ASCII.isBlank(self[s]) { s += 1 }
        while e > s && ASCII.isBlank(self[e - 1]) { e -= 1 }
        return ByteSpan(start: s, count: e - s)
    }
}

/// `key=value` pairs: FortiGate, Skyhigh, CEF extensions, Blue Coat's key=value forwarding, Zscaler's
/// key=value feeds. A value is `"quoted"` (backslash escapes honoured) or runs to a tab, to `^^` when
/// `caretSeparated` (Zscaler's RSA template), or to the space before the next `key=`: so unquoted values
/// may hold spaces (`category=Business, Software/Hardware`, CEF's `requestClientApplication=Mozilla/5.0 (…)`).
/// Words that are not `key=` (a syslog header, `bluecoat - splunk_format -`) are stepped over.
struct KeyValueScanner {
    let line: UnsafeRawBufferPointer
    var position: Int
    let caretSeparated: Bool

    init(_ line: UnsafeRawBufferPointer, from start: Int = 0, caretSeparated: Bool = false) {
        self.line = line
        self.position = start
        self.caretSeparated = caretSeparated
    }

    struct Pair {
        var key: ByteSpan
        var value: ByteSpan
        var quoted: Bool
    }

    @inline(__always)
    mutating func next() -> Pair? {
        let n = line.count
        var i = position
        var keyStart = i
        while true {
            while i < n && (line[i] == ASCII.space || line[i] == ASCII.tab || (caretSeparated && line[i] == ASCII.caret)) { i += 1 }
            guard i < n else { position = n; return nil }
            keyStart = i
            while i < n && ASCII.isKeyByte(line[i]) { i += 1 }
            if i < n && i > keyStart && line[i] == ASCII.equals { break }
            // Not a key here: a quoted word is stepped over whole; otherwise the next key may start
            // right after this byte (`<188>date=…`: a syslog priority glued to the first key).
            if i < n && line[i] == ASCII.quote { i = skipQuoted(i + 1) } else if i < n { i += 1 }
        }
        let key = ByteSpan(start: keyStart, count: i - keyStart)
        i += 1   // '='
        if i < n && line[i] == ASCII.quote {
            let valueStart = i + 1
            let close = skipQuoted(valueStart)
            // An unterminated quote runs to the end of the line.
            let valueEnd = close <= n && close > valueStart && line[close - 1] == ASCII.quote ? close - 1 : n
            position = close
            return Pair(key: key, value: ByteSpan(start: valueStart, count: max(0, valueEnd - valueStart)), quoted: true)
        }
        let valueStart = i
        while i < n {
            let b = line[i]
            if b == ASCII.tab { break }
            if b == ASCII.space && startsKey(i + 1) { break }
            if caretSeparated && b == ASCII.caret && i + 1 < n && line[i + 1] == ASCII.caret { break }
            i += 1
        }
        position = i
        return Pair(key: key, value: ByteSpan(start: valueStart, count: i - valueStart), quoted: false)
    }

    /// True when a `key=` starts at `at` (a value ends at the space before it).
    @inline(__always)
    private func startsKey(_ at: Int) -> Bool {
        let n = line.count
        var j = at
        while j < n && ASCII.isKeyByte(line[j]) { j += 1 }
        return j > at && j < n && line[j] == ASCII.equals
    }

    @inline(__always)
    private func skipQuoted(_ from: Int) -> Int {
        let n = line.count
        var i = from
        while i < n {
            let b = line[i]
            if b == ASCII.backslash { i += 2; continue }
            if b == ASCII.quote { return i + 1 }
            i += 1
        }
        return n
    }
}

/// Fields of a delimited line (`,` or tab): `"quoted"` with `""` for a quote inside, or bare. Forcepoint's
/// export, Palo Alto's syslog CSV and Zscaler's CSV/TSV feeds. A quoted field's span excludes the quotes
/// and keeps any doubled quotes as they are (no value ShadowScan reads contains one in practice, and a
/// hostile one stays bounded and escaped on output).
struct DelimitedScanner {
    let line: UnsafeRawBufferPointer
    var position: Int
    let separator: UInt8
    private(set) var exhausted = false

    init(_ line: UnsafeRawBufferPointer, from start: Int = 0, separator: UInt8) {
        self.line = line
        self.position = start
        self.separator = separator
    }

    /// The next field, or nil past the last one (an empty line has one empty field).
    @inline(__always)
    mutating func next() -> ByteSpan? {
        guard !exhausted else { return nil }
        let n = line.count
        var i = position
        if i < n && line[i] == ASCII.quote {
            let start = i + 1
            i = start
            while i < n {
                if line[i] == ASCII.quote {
                    if i + 1 < n && line[i + 1] == ASCII.quote { i += 2; continue }
                    break
                }
                i += 1
            }
            let field = ByteSpan(start: start, count: min(i, n) - start)
            i += 1
            // Anything between the closing quote and the separator is ignored.
            while i < n && line[i] != separator { i += 1 }
            if i >= n { exhausted = true } else { position = i + 1 }
            return field
        }
        let start = i
        if let found = memchr(line.baseAddress! + i, Int32(separator), n - i) {
            i = line.baseAddress!.distance(to: UnsafeRawPointer(found))
            position = i + 1
        } else {
            i = n
            exhausted = true
        }
        return ByteSpan(start: start, count: i - start)
    }

    /// Skips `count` fields; false when the line ends first.
    @inline(__always)
    mutating func skip(_ count: Int) -> Bool {
        for _ in 0..<count { guard next() != nil else { return false } }
        return true
    }
}

/// One JSON object per line, walked without building anything: `visit` is called for every member whose
/// value is a string (span between the quotes), a number or a literal, with the keys of the enclosing
/// objects on `path`; arrays are handed over whole. Returns false for a line that is not one well-formed
/// object (a pretty-printed record's first line, a truncated write), so it counts as malformed.
struct JSONWalker {
    enum Kind { case string, number, literal, array }

    /// Keys of the objects around the current member, outermost first (at most `maxDepth`).
    struct Path {
        static let maxDepth = 8
        var keys: (ByteSpan, ByteSpan, ByteSpan, ByteSpan, ByteSpan, ByteSpan, ByteSpan, ByteSpan) =
            (ByteSpan(), ByteSpan(), ByteSpan(), ByteSpan(), ByteSpan(), ByteSpan(), ByteSpan(), ByteSpan())
        var depth = 0
        @inline(__always) func key(_ i: Int) -> ByteSpan {
            withUnsafeBytes(of: keys) { $0.load(fromByteOffset: i * MemoryLayout<ByteSpan>.stride, as: ByteSpan.self) }
        }
        @inline(__always) mutating func push(_ key: ByteSpan) {
            withUnsafeMutableBytes(of: &keys) { $0.storeBytes(of: key, toByteOffset: depth * MemoryLayout<ByteSpan>.stride, as: ByteSpan.self) }
            depth += 1
        }
    }

    @inline(__always)
    static func walk(_ s: UnsafeRawBufferPointer, _ visit: (_ path: borrowing Path, _ key: ByteSpan, _ value: ByteSpan, _ kind: Kind) -> Void) -> Bool {
        let n = s.count
        var i = 0
        @inline(__always) func skipBlanks() { while i < n && (s[i] == ASCII.space || s[i] == ASCII.tab || s[i] == 0x0D) { i += 1 } }
        /// Index of the closing quote of a string whose contents start at `from`, or n.
        @inline(__always) func stringEnd(_ from: Int) -> Int {
            var j = from
            while j < n {
                guard let q = memchr(s.baseAddress! + j, Int32(ASCII.quote), n - j) else { return n }
                let k = s.baseAddress!.distance(to: UnsafeRawPointer(q))
                var backslashes = 0
                var b = k - 1
                while b >= from && s[b] == ASCII.backslash { backslashes += 1; b -= 1 }
                if backslashes % 2 == 0 { return k }
                j = k + 1
            }
            return n
        }
        skipBlanks()
        guard i < n, s[i] == ASCII.openBrace else { return false }
        i += 1
        var path = Path()
        while true {
            skipBlanks()
            guard i < n else { return false }
            var c = s[i]
            if c == ASCII.comma { i += 1; skipBlanks(); guard i < n else { return false }; c = s[i] }
            if c == ASCII.closeBrace {
                i += 1
                if path.depth == 0 { skipBlanks(); return i == n }
                path.depth -= 1
                continue
            }
            guard c == ASCII.quote else { return false }
            let keyStart = i + 1
            let keyEnd = stringEnd(keyStart)
            guard keyEnd < n else { return false }
            let key = ByteSpan(start: keyStart, count: keyEnd - keyStart)
            i = keyEnd + 1
            skipBlanks()
            guard i < n, s[i] == ASCII.colon else { return false }
            i += 1
            skipBlanks()
            guard i < n else { return false }
            switch s[i] {
            case ASCII.quote:
                let end = stringEnd(i + 1)
                guard end < n else { return false }
                visit(path, key, ByteSpan(start: i + 1, count: end - i - 1), .string)
                i = end + 1
            case ASCII.openBrace:
                guard path.depth < Path.maxDepth else { return false }
                path.push(key)
                i += 1
            case ASCII.openBracket:
                // Skip to the matching bracket, stepping over strings and nested objects.
                let start = i
                var depth = 0
                while i < n {
                    let b = s[i]
                    if b == ASCII.quote { i = stringEnd(i + 1) + 1; continue }
                    if b == ASCII.openBracket || b == ASCII.openBrace { depth += 1 }
                    else if b == ASCII.closeBracket || b == ASCII.closeBrace {
                        depth -= 1
                        if depth == 0 { i += 1; break }
                    }
                    i += 1
                }
                guard depth == 0 else { return false }
                visit(path, key, ByteSpan(start: start, count: i - start), .array)
            default:
                let start = i
                while i < n {
                    let b = s[i]
                    if b == ASCII.comma || b == ASCII.closeBrace || b == ASCII.space || b == ASCII.tab || b == 0x0D { break }
                    i += 1
                }
                guard i > start else { return false }
                let first = s[start]
                visit(path, key, ByteSpan(start: start, count: i - start), first == ASCII.dash || ASCII.isDigit(first) ? .number : .literal)
            }
        }
    }
}
