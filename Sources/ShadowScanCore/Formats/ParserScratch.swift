/// Bytes a parser builds for one record when the line alone cannot hold them: a URL composed from
/// W3C's scheme, host, port, path and query fields, a JSON string with its escapes decoded, a lower-cased
/// scheme. The record's spans then index these bytes (`ProxyRecord.storage`).
///
/// One per parser, reused for every line: `reset(reserving:)` makes room for the whole record up front,
/// so spans stay offsets into one allocation, and the buffer only grows when a longer line arrives
/// (bounded by the line limit). Appends past the reservation are cut, never written out of bounds.
public final class ParserScratch: @unchecked Sendable {
    private(set) var memory: UnsafeMutableRawPointer
    private(set) var capacity: Int
    private(set) var count = 0

    public init(capacity: Int = 4096) {
        self.capacity = max(64, capacity)
        memory = .allocate(byteCount: self.capacity, alignment: 16)
    }

    deinit { memory.deallocate() }

    /// Empties the buffer and makes sure `bytes` fit without moving it.
    @inline(__always)
    func reset(reserving bytes: Int) {
        count = 0
        if bytes > capacity {
            memory.deallocate()
            capacity = max(bytes, capacity * 2)
            memory = .allocate(byteCount: capacity, alignment: 16)
        }
    }

    /// What was built so far, for `ProxyRecord.storage`.
    @inline(__always)
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: memory, count: count) }

    @inline(__always)
    func append(_ source: UnsafeRawBufferPointer, _ span: ByteSpan) -> ByteSpan {
        let start = count
        let n = min(span.count, capacity - count)
        if n > 0 { (memory + count).copyMemory(from: source.baseAddress! + span.start, byteCount: n) }
        count += max(n, 0)
        return ByteSpan(start: start, count: count - start)
    }

    @inline(__always)
    func append(_ literal: StaticString) {
        let n = min(literal.utf8CodeUnitCount, capacity - count)
        if n > 0 { (memory + count).copyMemory(from: literal.utf8Start, byteCount: n) }
        count += max(n, 0)
    }

    @inline(__always)
    func append(byte: UInt8) {
        guard count < capacity else { return }
        memory.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    /// ASCII letters lower-cased (schemes: Forcepoint logs `HTTPS://`).
    func appendLowercased(_ source: UnsafeRawBufferPointer, _ span: ByteSpan) -> ByteSpan {
        let start = count
        for i in span.start..<span.end {
            let b = source[i]
            append(byte: b >= 0x41 && b <= 0x5A ? b | 0x20 : b)
        }
        return ByteSpan(start: start, count: count - start)
    }

    func appendDecimal(_ value: Int64) {
        guard value >= 0 else { return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var v = value, n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat { d[n] = UInt8(v % 10) + 0x30; v /= 10; n += 1 } while v > 0 && n < 20
            while n > 0 { n -= 1; append(byte: d[n]) }
        }
    }

    /// A JSON string's contents (between the quotes) with its escapes decoded to UTF-8. Invalid escapes
    /// are kept as they are: a hostile value stays bounded and is escaped again on output.
    func appendJSONUnescaped(_ source: UnsafeRawBufferPointer, _ span: ByteSpan) -> ByteSpan {
        let start = count
        var i = span.start
        let end = span.end
        while i < end {
            let b = source[i]
            guard b == ASCII.backslash, i + 1 < end else { append(byte: b); i += 1; continue }
            let e = source[i + 1]
            switch e {
            case 0x22, 0x5C, 0x2F: append(byte: e); i += 2
            case 0x62: append(byte: 0x08); i += 2
            case 0x66: append(byte: 0x0C); i += 2
            case 0x6E: append(byte: 0x0A); i += 2
            case 0x72: append(byte: 0x0D); i += 2
            case 0x74: append(byte: 0x09); i += 2
            case 0x75:
                guard i + 6 <= end, var scalar = Self.hex4(source, i + 2) else { append(byte: b); i += 1; continue }
                i += 6
                // A surrogate pair spells one scalar; a lone surrogate becomes U+FFFD.
                if scalar >= 0xD800 && scalar < 0xDC00, i + 6 <= end, source[i] == ASCII.backslash, source[i + 1] == 0x75,
                   let low = Self.hex4(source, i + 2), low >= 0xDC00 && low < 0xE000 {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    i += 6
                } else if scalar >= 0xD800 && scalar < 0xE000 {
                    scalar = 0xFFFD
                }
                appendUTF8(scalar)
            default:
                append(byte: b); i += 1
            }
        }
        return ByteSpan(start: start, count: count - start)
    }

    private func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80: append(byte: UInt8(scalar))
        case 0x80..<0x800:
            append(byte: UInt8(0xC0 | (scalar >> 6))); append(byte: UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            append(byte: UInt8(0xE0 | (scalar >> 12))); append(byte: UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            append(byte: UInt8(0x80 | (scalar & 0x3F)))
        default:
            append(byte: UInt8(0xF0 | (scalar >> 18))); append(byte: UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            append(byte: UInt8(0x80 | ((scalar >> 6) & 0x3F))); append(byte: UInt8(0x80 | (scalar & 0x3F)))
        }
    }

    private static func hex4(_ s: UnsafeRawBufferPointer, _ at: Int) -> UInt32? {
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = s[at + k]
            let d: UInt8
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x37
            case 0x61...0x66: d = c - 0x57
            default: return nil
            }
            v = v << 4 | UInt32(d)
        }
        return v
    }
}

/// Builds a record's URL and copies its other fields into a parser's scratch, for formats that log the
/// URL in pieces (W3C's `cs-uri-scheme cs-host cs-uri-port cs-uri-path cs-uri-query`, FortiGate's
/// `hostname` + `url`) or without a scheme (Zscaler, Palo Alto). The composed URL reads like Squid's:
/// `https://host/path?query`, and `host:443` for a tunnel, so the same rule patterns match every format.
struct RecordAssembler {
    let scratch: ParserScratch
    let line: UnsafeRawBufferPointer

    init(scratch: ParserScratch, line: UnsafeRawBufferPointer, extra: Int = 0) {
        self.scratch = scratch
        self.line = line
        // A record never needs more than its line, a composed URL (at most the line again) and a few
        // literals: reserving that keeps every span an offset into one buffer.
        scratch.reset(reserving: 2 * line.count + extra + 256)
    }

    @inline(__always)
    func copy(_ span: ByteSpan) -> ByteSpan { span.isEmpty ? ByteSpan() : scratch.append(line, span) }

    /// A JSON string value (span between its quotes): decoded only when it holds an escape.
    @inline(__always)
    func copyJSON(_ span: ByteSpan, escaped: Bool) -> ByteSpan {
        guard !span.isEmpty else { return ByteSpan() }
        return escaped ? scratch.appendJSONUnescaped(line, span) : scratch.append(line, span)
    }

    /// Composes `scheme://host[:port]path[?query]`, or `host:port` when `tunnel` (a CONNECT the proxy
    /// did not decrypt). Empty pieces are left out; a port equal to the scheme's default is dropped.
    func composeURL(scheme: ByteSpan, host: ByteSpan, port: Int64, path: ByteSpan, query: ByteSpan, tunnel: Bool) -> ByteSpan {
        let start = scratch.count
        if tunnel {
            _ = scratch.append(line, host)
            scratch.append(byte: ASCII.colon)
            scratch.appendDecimal(port > 0 ? port : 443)
            return ByteSpan(start: start, count: scratch.count - start)
        }
        let schemeSpan = scheme.isEmpty ? ByteSpan() : scratch.appendLowercased(line, scheme)
        if schemeSpan.isEmpty { scratch.append("http") }
        scratch.append("://")
        _ = scratch.append(line, host)
        if port > 0 && !isDefaultPort(port, scheme: schemeSpan) {
            scratch.append(byte: ASCII.colon)
            scratch.appendDecimal(port)
        }
        if path.isEmpty || line[path.start] != ASCII.slash { scratch.append(byte: ASCII.slash) }
        _ = scratch.append(line, path)
        if !query.isEmpty {
            if line[query.start] != ASCII.question { scratch.append(byte: ASCII.question) }
            _ = scratch.append(line, query)
        }
        return ByteSpan(start: start, count: scratch.count - start)
    }

    /// Prefixes a scheme-less URL as logged (`www.example.com/path`, Zscaler and Palo Alto) with `scheme://`;
    /// a URL that already has one is copied with its scheme lower-cased.
    func schemedURL(_ url: ByteSpan, defaultScheme: StaticString) -> ByteSpan {
        let start = scratch.count
        if let schemeEnd = Self.schemeEnd(line, url) {
            _ = scratch.appendLowercased(line, ByteSpan(start: url.start, count: schemeEnd - url.start))
            _ = scratch.append(line, ByteSpan(start: schemeEnd, count: url.end - schemeEnd))
        } else {
            scratch.append(defaultScheme)
            scratch.append("://")
            _ = scratch.append(line, url)
        }
        return ByteSpan(start: start, count: scratch.count - start)
    }

    /// Offset of the `://` after a URL's scheme, if it has one.
    static func schemeEnd(_ line: UnsafeRawBufferPointer, _ url: ByteSpan) -> Int? {
        var i = url.start
        while i < url.end && i - url.start < 16 {
            let b = line[i] | 0x20
            if (b >= 0x61 && b <= 0x7A) || (i > url.start && (ASCII.isDigit(line[i]) || line[i] == ASCII.plus || line[i] == ASCII.dash || line[i] == ASCII.dot)) {
                i += 1
            } else { break }
        }
        guard i > url.start, i + 2 < url.end, line[i] == ASCII.colon, line[i + 1] == ASCII.slash, line[i + 2] == ASCII.slash else { return nil }
        return i
    }

    private func isDefaultPort(_ port: Int64, scheme: ByteSpan) -> Bool {
        let s = scratch.bytes
        if s.equals(scheme, "https") { return port == 443 }
        if s.equals(scheme, "http") || scheme.isEmpty { return port == 80 }
        if s.equals(scheme, "ftp") { return port == 21 }
        return false
    }

    /// Points the record at the scratch bytes and derives host, port and path from its URL.
    @inline(__always)
    func finish(_ record: inout ProxyRecord) {
        let bytes = scratch.bytes
        record.storage = bytes
        if !record.url.isEmpty { _ = bytes.splitURL(record.url, into: &record) }
    }
}
