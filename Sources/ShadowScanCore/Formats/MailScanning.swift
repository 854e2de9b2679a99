#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The header of a syslog line as mail servers write it to files:
/// `Mar 14 00:08:33 host prog[pid]: message` (RFC 3164) or
/// `2023-03-14T00:08:33.628392+01:00 host prog[pid]: message` (RFC 3339, rsyslog's high-precision
/// template). A leading `<PRI>` is skipped.
struct SyslogHeader {
    var time: Int64 = 0
    /// RFC 3164: `time` is year-less (MailTime.yearless).
    var yearless = false
    var host = ByteSpan()
    var program = ByteSpan()
    var message = ByteSpan()

    /// nil when the line is not a syslog line.
    @inline(__always)
    static func parse(_ line: UnsafeRawBufferPointer) -> SyslogHeader? {
        var h = SyslogHeader()
        let n = line.count
        var i = 0
        if n > 0 && line[0] == 0x3C {   // <PRI>
            i = 1
            while i < n && i < 5 && ASCII.isDigit(line[i]) { i += 1 }
            guard i < n, line[i] == 0x3E else { return nil }
            i += 1
        }
        guard n - i >= 16 else { return nil }
        if ASCII.isDigit(line[i]) {
            var end = i
            while end < n && line[end] != ASCII.space { end += 1 }
            guard let t = MailScan.rfc3339(line, ByteSpan(start: i, count: end - i)) else { return nil }
            h.time = t
            i = end
        } else {
            guard let month = SquidCommonParser.monthNumber(line[i], line[i + 1], line[i + 2]), line[i + 3] == ASCII.space else { return nil }
            var d = i + 4
            if line[d] == ASCII.space { d += 1 }
            var day = 0, digits = 0
            while d < n && ASCII.isDigit(line[d]) && digits < 2 { day = day * 10 + Int(line[d] - ASCII.zero); d += 1; digits += 1 }
            guard digits > 0, (1...31).contains(day), d + 9 <= n, line[d] == ASCII.space,
                  let seconds = MailScan.clock(line, d + 1) else { return nil }
            h.time = MailTime.yearless(month: month, day: day, secondOfDay: seconds, millis: 0)
            h.yearless = true
            i = d + 9
        }
        guard i < n, line[i] == ASCII.space else { return nil }
        while i < n && line[i] == ASCII.space { i += 1 }
        let hostStart = i
        while i < n && line[i] != ASCII.space { i += 1 }
        guard i > hostStart, i < n else { return nil }
        h.host = ByteSpan(start: hostStart, count: i - hostStart)
        i += 1
        // prog[pid]: or prog:
        let programStart = i
        while i < n && line[i] != ASCII.colon && line[i] != ASCII.openBracket && line[i] != ASCII.space { i += 1 }
        guard i < n, i > programStart else { return nil }
        h.program = ByteSpan(start: programStart, count: i - programStart)
        if line[i] == ASCII.openBracket {
            while i < n && line[i] != ASCII.closeBracket { i += 1 }
            guard i + 1 < n else { return nil }
            i += 1
        }
        guard i < n, line[i] == ASCII.colon else { return nil }
        i += 1
        if i < n && line[i] == ASCII.space { i += 1 }
        h.message = ByteSpan(start: i, count: n - i)
        return h
    }
}

/// Byte helpers of the mail parsers (a namespace, so they never collide with other formats' helpers).
enum MailScan {
    /// `HH:MM:SS` at `at` → seconds of the day.
    @inline(__always)
    static func clock(_ s: UnsafeRawBufferPointer, _ at: Int) -> Int? {
        guard at + 8 <= s.count, s[at + 2] == ASCII.colon, s[at + 5] == ASCII.colon,
              let h = two(s, at), let m = two(s, at + 3), let sec = two(s, at + 6), h < 24, m < 60, sec < 61 else { return nil }
        return h * 3600 + m * 60 + sec
    }

    @inline(__always)
    static func two(_ s: UnsafeRawBufferPointer, _ at: Int) -> Int? {
        let a = s[at] &- ASCII.zero, b = s[at + 1] &- ASCII.zero
        guard a < 10, b < 10 else { return nil }
        return Int(a) * 10 + Int(b)
    }

    @inline(__always)
    static func four(_ s: UnsafeRawBufferPointer, _ at: Int) -> Int? {
        guard let hi = two(s, at), let lo = two(s, at + 2) else { return nil }
        return hi * 100 + lo
    }

    /// `YYYY-MM-DD` at `at` → days since the epoch.
    @inline(__always)
    static func date(_ s: UnsafeRawBufferPointer, _ at: Int) -> Int? {
        guard at + 10 <= s.count, s[at + 4] == ASCII.dash, s[at + 7] == ASCII.dash,
              let y = four(s, at), let m = two(s, at + 5), let d = two(s, at + 8), (1...12).contains(m), (1...31).contains(d) else { return nil }
        return CivilTime.daysFromCivil(year: y, month: m, day: d)
    }

    /// Fractional seconds after a dot at `at` (any number of digits) → (milliseconds, index after).
    @inline(__always)
    static func fraction(_ s: UnsafeRawBufferPointer, _ at: Int, _ end: Int) -> (Int64, Int) {
        guard at < end, s[at] == ASCII.dot else { return (0, at) }
        var i = at + 1, millis: Int64 = 0, scale: Int64 = 100
        while i < end && ASCII.isDigit(s[i]) {
            if scale > 0 { millis += Int64(s[i] - ASCII.zero) * scale; scale /= 10 }
            i += 1
        }
        return (millis, i)
    }

    /// `+01:00`, `+0100`, `-05:00`, `Z` at `at` → (offset seconds, index after); nil when malformed.
    @inline(__always)
    static func zone(_ s: UnsafeRawBufferPointer, _ at: Int, _ end: Int) -> (Int, Int)? {
        guard at < end else { return (0, at) }
        let c = s[at]
        if c == 0x5A || c == 0x7A { return (0, at + 1) }   // Z
        guard c == ASCII.plus || c == ASCII.dash, at + 3 <= end, let hh = two(s, at + 1) else { return nil }
        var i = at + 3
        if i < end && s[i] == ASCII.colon { i += 1 }
        guard i + 2 <= end, let mm = two(s, i) else { return nil }
        let offset = (hh * 3600 + mm * 60) * (c == ASCII.dash ? -1 : 1)
        return (offset, i + 2)
    }

    /// RFC 3339 / ISO 8601 date-time filling `span`: `2023-03-14T00:08:33[.fff][Z|±hh:mm]`; a space may
    /// stand for the `T`. Without a zone the time is taken as UTC.
    @inline(__always)
    static func rfc3339(_ s: UnsafeRawBufferPointer, _ span: ByteSpan) -> Int64? {
        let at = span.start, end = span.end
        guard span.count >= 19, let days = date(s, at), s[at + 10] == 0x54 || s[at + 10] == ASCII.space || s[at + 10] == 0x74,
              let seconds = clock(s, at + 11) else { return nil }
        let (millis, afterFraction) = fraction(s, at + 19, end)
        guard let (offset, after) = zone(s, afterFraction, end), after == end else { return nil }
        return (Int64(days) * 86_400 + Int64(seconds) - Int64(offset)) * 1000 + millis
    }

    /// The first occurrence of `literal` in `s[from..<to]`.
    @inline(__always)
    static func find(_ s: UnsafeRawBufferPointer, _ literal: StaticString, from: Int, to: Int) -> Int? {
        let m = literal.utf8CodeUnitCount
        guard m > 0, to - from >= m, let base = s.baseAddress else { return nil }
        let p = literal.utf8Start
        let first = Int32(p[0])
        var i = from
        let last = to - m
        // memchr for the first byte, then compare (Glibc's memmem is not exposed to Swift).
        while i <= last {
            guard let hit = memchr(base + i, first, last - i + 1) else { return nil }
            let at = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(base + at, p, m) == 0 { return at }
            i = at + 1
        }
        return nil
    }

    @inline(__always)
    static func hasPrefix(_ s: UnsafeRawBufferPointer, at: Int, _ literal: StaticString) -> Bool {
        let m = literal.utf8CodeUnitCount
        guard at + m <= s.count else { return false }
        let p = literal.utf8Start
        for k in 0..<m where s[at + k] != p[k] { return false }
        return true
    }

    @inline(__always)
    static func isAlnum(_ b: UInt8) -> Bool { b &- ASCII.zero < 10 || (b | 0x20) &- 0x61 < 26 }

    /// The end of a `<…>` address starting at `at` (which holds `<`): the index of the `>` that is
    /// followed by `,`, a blank or the end of the line (so a `>` quoted in a local part does not end it).
    @inline(__always)
    static func angleEnd(_ s: UnsafeRawBufferPointer, _ at: Int, _ end: Int) -> Int? {
        var i = at + 1
        while i < end {
            if s[i] == 0x3E && (i + 1 == end || s[i + 1] == 0x2C || ASCII.isBlank(s[i + 1])) { return i }
            i += 1
        }
        return nil
    }
}
