/// Timestamps as the web gateways write them, parsed from ASCII into UTC milliseconds without Foundation.
/// Times without a zone (W3C `date time`, Palo Alto's `2018/11/30 16:44:36`) are taken as UTC, which is
/// what W3C specifies and what most gateways are set to log.
enum TimeParsing {
    /// `2022-03-11T10:39:16.390Z`, `2024-01-12T11:21:15.190+01:00`, `2023-08-28 15:43:14`, `2018/11/30 16:44:36`,
    /// with any fraction, and a zone of `Z`, `±HH:MM`, `±HHMM` or none (UTC).
    static func iso8601(_ s: UnsafeRawBufferPointer, _ span: ByteSpan) -> Int64? {
        guard span.count >= 19 else { return nil }
        let p = span.start
        guard let date = ymd(s, ByteSpan(start: p, count: 10)) else { return nil }
        let sep = s[p + 10]
        guard sep == 0x54 || sep == 0x74 || sep == ASCII.space else { return nil }
        return withTime(s, date: date, rest: ByteSpan(start: p + 11, count: span.count - 11))
    }

    /// Days since the epoch for `YYYY-MM-DD` or `YYYY/MM/DD` (exactly 10 bytes).
    static func ymd(_ s: UnsafeRawBufferPointer, _ span: ByteSpan) -> Int? {
        guard span.count == 10 else { return nil }
        let p = span.start
        let sep = s[p + 4]
        guard sep == ASCII.dash || sep == ASCII.slash, s[p + 7] == sep,
              let y = digits(s, p, 4), let m = digits(s, p + 5, 2), let d = digits(s, p + 8, 2),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        return CivilTime.daysFromCivil(year: y, month: m, day: d)
    }

    /// Days since the epoch for `DD/MM/YYYY` (Forcepoint's export).
    static func dmy(_ s: UnsafeRawBufferPointer, _ span: ByteSpan) -> Int? {
        guard span.count == 10 else { return nil }
        let p = span.start
        guard s[p + 2] == ASCII.slash, s[p + 5] == ASCII.slash,
              let d = digits(s, p, 2), let m = digits(s, p + 3, 2), let y = digits(s, p + 6, 4),
              (1...12).contains(m), (1...31).contains(d) else { return nil }
        return CivilTime.daysFromCivil(year: y, month: m, day: d)
    }

    /// `HH:MM:SS[.fff][zone]` after a date.
    static func withTime(_ s: UnsafeRawBufferPointer, date: Int, rest: ByteSpan) -> Int64? {
        guard rest.count >= 8 else { return nil }
        let p = rest.start
        guard let hh = digits(s, p, 2), s[p + 2] == ASCII.colon, let mm = digits(s, p + 3, 2), s[p + 5] == ASCII.colon,
              let ss = digits(s, p + 6, 2), hh < 24, mm < 60, ss < 61 else { return nil }
        var i = p + 8
        var millis = 0
        if i < rest.end && (s[i] == ASCII.dot || s[i] == 0x2C) {
            i += 1
            var scale = 100
            let fractionStart = i
            while i < rest.end && ASCII.isDigit(s[i]) {
                millis += Int(s[i] - ASCII.zero) * scale
                scale /= 10
                i += 1
            }
            guard i > fractionStart else { return nil }
        }
        var offsetSeconds = 0
        if i < rest.end {
            let z = s[i]
            if z == 0x5A || z == 0x7A { i += 1 }
            else if z == ASCII.plus || z == ASCII.dash {
                guard let zone = zoneOffset(s, ByteSpan(start: i, count: rest.end - i)) else { return nil }
                offsetSeconds = zone
                i = rest.end
            } else if z == ASCII.space {
                // A trailing zone: ` GMT`, ` UTC`, ` CEST` (CEF, Zscaler), or ` +0100`.
                let word = ByteSpan(start: i + 1, count: rest.end - i - 1)
                if let zone = zoneOffset(s, word) {
                    offsetSeconds = zone
                } else {
                    guard word.count >= 1 && word.count <= 5 else { return nil }
                    for k in word.start..<word.end where !((s[k] | 0x20) >= 0x61 && (s[k] | 0x20) <= 0x7A) { return nil }
                }
                i = rest.end
            } else { return nil }
        }
        guard i == rest.end else { return nil }
        let seconds = date * 86400 + hh * 3600 + mm * 60 + ss - offsetSeconds
        return Int64(seconds) * 1000 + Int64(millis)
    }

    /// `+0100`, `-05:00`, `+09` → seconds east of UTC.
    static func zoneOffset(_ s: UnsafeRawBufferPointer, _ span: ByteSpan) -> Int? {
        guard span.count >= 3 else { return nil }
        let sign = s[span.start]
        guard sign == ASCII.plus || sign == ASCII.dash, let hh = digits(s, span.start + 1, 2) else { return nil }
        var mm = 0
        if span.count == 5 { guard let m = digits(s, span.start + 3, 2) else { return nil }; mm = m }
        else if span.count == 6 { guard s[span.start + 3] == ASCII.colon, let m = digits(s, span.start + 4, 2) else { return nil }; mm = m }
        else if span.count != 3 { return nil }
        guard hh < 24, mm < 60 else { return nil }
        return (hh * 3600 + mm * 60) * (sign == ASCII.dash ? -1 : 1)
    }

    /// An epoch number in seconds, milliseconds, microseconds or nanoseconds (told apart by length,
    /// as FortiGate's `eventtime` changed unit between releases), optionally with a `.fraction`.
    static func epoch(_ s: UnsafeRawBufferPointer, _ span: ByteSpan) -> Int64? {
        var i = span.start
        var value: Int64 = 0
        var n = 0
        while i < span.end && ASCII.isDigit(s[i]) && n < 19 { value = value * 10 + Int64(s[i] - ASCII.zero); i += 1; n += 1 }
        guard n >= 9 else { return nil }
        if i < span.end {
            guard s[i] == ASCII.dot, n <= 11 else { return nil }
            // Seconds with a fraction (`1578128400.123`).
            var millis: Int64 = 0, scale: Int64 = 100
            i += 1
            while i < span.end && ASCII.isDigit(s[i]) { millis += Int64(s[i] - ASCII.zero) * scale; scale /= 10; i += 1 }
            guard i == span.end else { return nil }
            return value * 1000 + millis
        }
        switch n {
        case ...11: return value * 1000
        case 12...14: return value
        case 15...17: return value / 1000
        default: return value / 1_000_000
        }
    }

    /// C's `ctime`: `Mon Oct 16 22:55:48 2023` (Zscaler NSS `time`), also without the weekday.
    static func ctime(_ s: UnsafeRawBufferPointer, _ span: ByteSpan) -> Int64? {
        var p = span.start
        if span.count >= 24 && s[p + 3] == ASCII.space { p += 4 }
        // Mon DD HH:MM:SS YYYY
        guard span.end - p >= 20, let month = SquidCommonParser.monthNumber(s[p], s[p + 1], s[p + 2]), s[p + 3] == ASCII.space else { return nil }
        let dayStart = s[p + 4] == ASCII.space ? p + 5 : p + 4
        let dayLength = s[p + 4] == ASCII.space ? 1 : 2
        guard let day = digits(s, dayStart, dayLength), s[p + 6] == ASCII.space,
              let year = digits(s, p + 16, 4), s[p + 15] == ASCII.space else { return nil }
        let date = CivilTime.daysFromCivil(year: year, month: month, day: day)
        return withTime(s, date: date, rest: ByteSpan(start: p + 7, count: 8))
    }

    /// `Mar 01 2021 20:48:21` (CEF `rt`/`start`), optionally followed by a zone word.
    static func monthDayYear(_ s: UnsafeRawBufferPointer, _ span: ByteSpan) -> Int64? {
        let p = span.start
        guard span.count >= 20, let month = SquidCommonParser.monthNumber(s[p], s[p + 1], s[p + 2]), s[p + 3] == ASCII.space,
              let day = digits(s, p + 4, 2), s[p + 6] == ASCII.space, let year = digits(s, p + 7, 4), s[p + 11] == ASCII.space
        else { return nil }
        let date = CivilTime.daysFromCivil(year: year, month: month, day: day)
        return withTime(s, date: date, rest: ByteSpan(start: p + 12, count: span.count - 12))
    }

    /// Whichever of the above the value looks like: epoch digits, ISO 8601, ctime or `Mon DD YYYY`.
    static func any(_ s: UnsafeRawBufferPointer, _ span: ByteSpan) -> Int64? {
        guard span.count > 0 else { return nil }
        if ASCII.isDigit(s[span.start]) {
            if span.count >= 5 && (s[span.start + 4] == ASCII.dash || s[span.start + 4] == ASCII.slash) { return iso8601(s, span) }
            return epoch(s, span)
        }
        return ctime(s, span) ?? monthDayYear(s, span)
    }

    @inline(__always)
    static func digits(_ s: UnsafeRawBufferPointer, _ at: Int, _ count: Int) -> Int? {
        var v = 0
        for k in 0..<count {
            let d = s[at + k] &- ASCII.zero
            guard d < 10 else { return nil }
            v = v * 10 + Int(d)
        }
        return v
    }
}
