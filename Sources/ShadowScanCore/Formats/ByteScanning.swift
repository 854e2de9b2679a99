/// Byte-level helpers shared by the parsers: ASCII numbers, field splitting, URLs and timestamps.
/// Everything works on raw buffers and integer offsets; nothing allocates.
@usableFromInline
enum ASCII {
    static let space: UInt8 = 0x20, tab: UInt8 = 0x09, dot: UInt8 = 0x2E, colon: UInt8 = 0x3A
    static let slash: UInt8 = 0x2F, quote: UInt8 = 0x22, backslash: UInt8 = 0x5C, dash: UInt8 = 0x2D
    static let openBracket: UInt8 = 0x5B, closeBracket: UInt8 = 0x5D, plus: UInt8 = 0x2B
    static let question: UInt8 = 0x3F, hash: UInt8 = 0x23, at: UInt8 = 0x40
    static let zero: UInt8 = 0x30, nine: UInt8 = 0x39

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- zero < 10 }
    @inline(__always) static func isBlank(_ b: UInt8) -> Bool { b == space || b == tab }
}

/// A cursor over one line that hands out whitespace-separated fields.
struct FieldCursor {
    let line: UnsafeRawBufferPointer
    var position: Int

    init(_ line: UnsafeRawBufferPointer) { self.line = line; self.position = 0 }

    /// The next run of non-blank bytes, or nil at the end of the line.
    @inline(__always)
    mutating func next() -> ByteSpan? {
        let n = line.count
        var i = position
        while i < n && ASCII.isBlank(line[i]) { i += 1 }
        if i == n { position = n; return nil }
        let start = i
        while i < n && !ASCII.isBlank(line[i]) { i += 1 }
        position = i
        return ByteSpan(start: start, count: i - start)
    }

    /// The next run of bytes other than space (tabs are not separators here), scanning eight bytes at
    /// a time: the fast path for formats that separate fields by spaces only (Squid native).
    @inline(__always)
    mutating func nextSpaceSeparated() -> ByteSpan? {
        let n = line.count
        var i = position
        while i < n && line[i] == ASCII.space { i += 1 }
        if i == n { position = n; return nil }
        let start = i
        let base = line.baseAddress!
        while i + 8 <= n {
            let word = (base + i).loadUnaligned(as: UInt64.self)
            let x = word ^ 0x2020_2020_2020_2020
            // Non-zero exactly when some byte of x is zero, i.e. some byte of the word is a space;
            // the lowest set bit marks the first one (little-endian).
            let found = (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
            if found != 0 {
                i += found.trailingZeroBitCount >> 3
                position = i
                return ByteSpan(start: start, count: i - start)
            }
            i += 8
        }
        while i < n && line[i] != ASCII.space { i += 1 }
        position = i
        return ByteSpan(start: start, count: i - start)
    }

    /// Skips blanks and expects `byte`; returns false (cursor unchanged past the blanks) otherwise.
    @inline(__always)
    mutating func expect(_ byte: UInt8) -> Bool {
        let n = line.count
        while position < n && ASCII.isBlank(line[position]) { position += 1 }
        guard position < n, line[position] == byte else { return false }
        position += 1
        return true
    }

    /// The bytes up to (not including) the next `byte`; the cursor moves past it. Nil if absent.
    @inline(__always)
    mutating func until(_ byte: UInt8) -> ByteSpan? {
        let n = line.count
        var i = position
        while i < n && line[i] != byte { i += 1 }
        guard i < n else { return nil }
        let span = ByteSpan(start: position, count: i - position)
        position = i + 1
        return span
    }

    /// A double-quoted string whose opening quote was consumed: up to the closing quote, honouring
    /// backslash escapes. The cursor moves past the closing quote.
    mutating func quotedRest() -> ByteSpan? {
        let n = line.count
        var i = position
        while i < n {
            let b = line[i]
            if b == ASCII.backslash { i += 2; continue }
            if b == ASCII.quote {
                let span = ByteSpan(start: position, count: i - position)
                position = i + 1
                return span
            }
            i += 1
        }
        return nil
    }
}

extension UnsafeRawBufferPointer {
    @inline(__always)
    func equals(_ span: ByteSpan, _ literal: StaticString) -> Bool {
        guard span.count == literal.utf8CodeUnitCount else { return false }
        let p = literal.utf8Start
        for k in 0..<span.count where self[span.start + k] != p[k] { return false }
        return true
    }

    /// True when the span contains `literal`.
    func contains(_ span: ByteSpan, _ literal: StaticString) -> Bool {
        let m = literal.utf8CodeUnitCount
        guard m > 0, span.count >= m else { return m == 0 }
        let p = literal.utf8Start
        var i = span.start
        let last = span.end - m
        outer: while i <= last {
            for k in 0..<m where self[i + k] != p[k] { i += 1; continue outer }
            return true
        }
        return false
    }

    /// An unsigned decimal integer filling the whole span; nil when empty, non-digit, or too long.
    @inline(__always)
    func parseUInt(_ span: ByteSpan) -> Int64? {
        guard span.count > 0, span.count <= 18 else { return nil }
        var value: Int64 = 0
        for i in span.start..<span.end {
            let d = self[i] &- ASCII.zero
            guard d < 10 else { return nil }
            value = value &* 10 &+ Int64(d)
        }
        return value
    }

    /// Squid's `%ts.%03tu`: seconds since the epoch, a dot, milliseconds (1-3 digits).
    @inline(__always)
    func parseEpochMillis(_ span: ByteSpan) -> Int64? {
        var i = span.start
        var seconds: Int64 = 0
        var digits = 0
        while i < span.end && ASCII.isDigit(self[i]) && digits < 12 {
            seconds = seconds * 10 + Int64(self[i] - ASCII.zero); i += 1; digits += 1
        }
        guard digits > 0 else { return nil }
        if i == span.end { return seconds * 1000 }
        guard self[i] == ASCII.dot else { return nil }
        i += 1
        var millis: Int64 = 0
        var scale: Int64 = 100
        var fraction = 0
        while i < span.end {
            let d = self[i] &- ASCII.zero
            guard d < 10 else { return nil }
            if fraction < 3 { millis += Int64(d) * scale; scale /= 10 }
            fraction += 1; i += 1
        }
        guard fraction > 0 else { return nil }
        return seconds * 1000 + millis
    }

    /// Splits a URL as logged into host, port and path. Handles `scheme://[user@]host[:port]/path`,
    /// `host:port` (CONNECT), `[v6]:port`, and scheme-less `host/path`. Returns false when there is
    /// no host (e.g. a bare `/path` or `error:invalid-request`).
    @inline(__always)
    func splitURL(_ url: ByteSpan, into record: inout ProxyRecord) -> Bool {
        var i = url.start
        let end = url.end
        guard i < end else { return false }
        if self[i] == ASCII.slash { return false }
        // Scheme: letters, digits, + - . followed by "://". Fast path for http and https.
        var j = i
        if end - i > 8 && (self[i] | 0x20) == 0x68 && (self[i + 1] | 0x20) == 0x74 && (self[i + 2] | 0x20) == 0x74 && (self[i + 3] | 0x20) == 0x70 {
            j = (self[i + 4] | 0x20) == 0x73 ? i + 5 : i + 4
        }
        while j < end {
            let b = self[j] | 0x20
            if (b >= 0x61 && b <= 0x7A) || ASCII.isDigit(self[j]) || self[j] == ASCII.plus || self[j] == ASCII.dash || self[j] == ASCII.dot { j += 1 } else { break }
        }
        if j + 2 < end && self[j] == ASCII.colon && self[j + 1] == ASCII.slash && self[j + 2] == ASCII.slash {
            i = j + 3
        }
        // Authority ends at '/', '?' or '#'.
        var authorityEnd = i
        while authorityEnd < end {
            let b = self[authorityEnd]
            if b == ASCII.slash || b == ASCII.question || b == ASCII.hash { break }
            authorityEnd += 1
        }
        // Drop user info.
        var hostStart = i
        var k = authorityEnd
        while k > i { k -= 1; if self[k] == ASCII.at { hostStart = k + 1; break } }
        var hostEnd = authorityEnd
        var port: Int32 = 0
        if hostStart < authorityEnd && self[hostStart] == ASCII.openBracket {
            // IPv6 literal.
            var c = hostStart + 1
            while c < authorityEnd && self[c] != ASCII.closeBracket { c += 1 }
            guard c < authorityEnd else { return false }
            hostEnd = c
            hostStart += 1
            if c + 1 < authorityEnd && self[c + 1] == ASCII.colon {
                port = Int32(truncatingIfNeeded: parseUInt(ByteSpan(start: c + 2, count: authorityEnd - c - 2)) ?? 0)
            }
        } else {
            // A colon in an unbracketed authority must introduce a numeric port; anything else
            // (`error:transaction-end-before-headers`) has no host.
            var c = hostStart
            while c < authorityEnd && self[c] != ASCII.colon { c += 1 }
            if c < authorityEnd {
                guard let p = parseUInt(ByteSpan(start: c + 1, count: authorityEnd - c - 1)), p < 65536 else { return false }
                port = Int32(p)
                hostEnd = c
            }
        }
        // A fully qualified host may end with a dot.
        if hostEnd > hostStart && self[hostEnd - 1] == ASCII.dot { hostEnd -= 1 }
        guard hostEnd > hostStart else { return false }
        record.host = ByteSpan(start: hostStart, count: hostEnd - hostStart)
        record.port = port
        record.path = ByteSpan(start: authorityEnd, count: end - authorityEnd)
        return true
    }
}

/// Calendar arithmetic without Foundation (proleptic Gregorian, UTC).
public enum CivilTime {
    /// Days since 1970-01-01 for a civil date (Howard Hinnant's algorithm).
    @inline(__always)
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// (year, month, day) for days since 1970-01-01.
    public static func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// ISO 8601 UTC with milliseconds, e.g. `2026-11-02T07:00:01.123Z`.
    public static func iso8601(millis: Int64) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(24)
        iso8601(millis: millis, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `iso8601(millis:)` appended as bytes, for documents with many timestamps.
    static func iso8601(millis: Int64, into out: inout [UInt8]) {
        let totalSeconds = Int(millis >= 0 ? millis / 1000 : (millis - 999) / 1000)
        let ms = Int(millis - Int64(totalSeconds) * 1000)
        let days = totalSeconds >= 0 ? totalSeconds / 86400 : (totalSeconds - 86399) / 86400
        let secondsOfDay = totalSeconds - days * 86400
        let (y, m, d) = civilFromDays(days)
        guard (0...9999).contains(y) else { out.append(contentsOf: iso8601Padded(millis: millis).utf8); return }
        @inline(__always) func digit(_ v: Int) -> UInt8 { UInt8(truncatingIfNeeded: 0x30 + v) }
        let hour = secondsOfDay / 3600, minute = secondsOfDay / 60 % 60, second = secondsOfDay % 60
        // One fixed-width write: YYYY-MM-DDTHH:MM:SS.mmmZ
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { b in
            b[0] = digit(y / 1000); b[1] = digit(y / 100 % 10); b[2] = digit(y / 10 % 10); b[3] = digit(y % 10)
            b[4] = 0x2D; b[5] = digit(m / 10); b[6] = digit(m % 10); b[7] = 0x2D; b[8] = digit(d / 10); b[9] = digit(d % 10)
            b[10] = 0x54; b[11] = digit(hour / 10); b[12] = digit(hour % 10); b[13] = 0x3A
            b[14] = digit(minute / 10); b[15] = digit(minute % 10); b[16] = 0x3A; b[17] = digit(second / 10); b[18] = digit(second % 10)
            b[19] = 0x2E; b[20] = digit(ms / 100); b[21] = digit(ms / 10 % 10); b[22] = digit(ms % 10); b[23] = 0x5A
            out.append(contentsOf: UnsafeBufferPointer(b))
        }
    }

    /// Years outside 0...9999, written as ever (wider or signed).
    private static func iso8601Padded(millis: Int64) -> String {
        let totalSeconds = Int(millis >= 0 ? millis / 1000 : (millis - 999) / 1000)
        let ms = Int(millis - Int64(totalSeconds) * 1000)
        let days = totalSeconds >= 0 ? totalSeconds / 86400 : (totalSeconds - 86399) / 86400
        let secondsOfDay = totalSeconds - days * 86400
        let (y, m, d) = civilFromDays(days)
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secondsOfDay / 3600, 2)):\(pad(secondsOfDay / 60 % 60, 2)):\(pad(secondsOfDay % 60, 2)).\(pad(ms, 3))Z"
    }
}

/// FNV-1a, 64 bits: the one byte hash of interned names, mail keys and addresses. Deterministic (no
/// per-process seed), so every worker hashes a name alike: workaround runs are ordered by it.
enum FNV1a {
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return h
    }
}
