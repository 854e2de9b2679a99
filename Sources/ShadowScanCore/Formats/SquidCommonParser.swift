/// Squid's common and combined formats:
/// `%>a %[ui %[un [%tl] "%rm %ru HTTP/%rv" %>Hs %<st %Ss:%Sh`, combined adding ` "%{Referer}>h" "%{User-Agent}>h"`.
///
/// ```
/// 10.1.2.3 - jsmith [02/Nov/2026:07:00:01 +0000] "GET http://www.example.com/ HTTP/1.1" 200 5123 TCP_MISS:HIER_DIRECT
/// ```
/// `%Ss:%Sh` is optional (Apache-style common logs omit it); without it a 403 cannot be told apart from an
/// origin server's refusal, so the record counts as allowed. Squid's own `combined` writes `%Ss:%Sh`
/// after the user agent; other setups write it before the referer. Both are read, and one file may mix
/// common and combined lines (the corpus has one that does).
public struct SquidCommonParser: LogLineParser {
    public static let format = LogFormat.squidCommon
    /// Reject lines without the quoted referer and user agent: used to tell combined from common when
    /// detecting a file's format, never to read one.
    public let requireUserAgent: Bool
    public init(requireUserAgent: Bool = false) { self.requireUserAgent = requireUserAgent }

    public func parse(_ line: UnsafeRawBufferPointer, into record: inout ProxyRecord) -> Bool {
        var cursor = FieldCursor(line)
        guard let client = cursor.next(),
              cursor.next() != nil,              // %[ui (ident)
              let user = cursor.next(),
              cursor.expect(ASCII.openBracket),
              let stamp = cursor.until(ASCII.closeBracket),
              let millis = Self.parseCommonLogTime(line, stamp),
              cursor.expect(ASCII.quote),
              let request = cursor.quotedRest(),
              let statusField = cursor.next(), let status = line.parseUInt(statusField),
              let sizeField = cursor.next()
        else { return false }
        // "%rm %ru HTTP/%rv" inside the quotes.
        var requestCursor = FieldCursor(UnsafeRawBufferPointer(rebasing: line[request.start..<request.end]))
        guard let methodRel = requestCursor.next(), let urlRel = requestCursor.next() else { return false }
        let method = ByteSpan(start: request.start + methodRel.start, count: methodRel.count)
        let url = ByteSpan(start: request.start + urlRel.start, count: urlRel.count)

        record = ProxyRecord()
        record.timeMillis = millis
        record.client = client
        if !(user.count == 1 && line[user.start] == ASCII.dash) { record.user = user }
        record.method = method
        record.url = url
        record.status = Int32(truncatingIfNeeded: status)
        // "-" for no body.
        if let bytes = line.parseUInt(sizeField) { record.bytesToClient = bytes }
        else if !(sizeField.count == 1 && line[sizeField.start] == ASCII.dash) { return false }

        readResultCode(&cursor, line, &record)
        let mark = cursor.position
        if cursor.expect(ASCII.quote), cursor.quotedRest() != nil, cursor.expect(ASCII.quote), let agent = cursor.quotedRest() {
            if !(agent.count == 1 && line[agent.start] == ASCII.dash) { record.userAgent = agent }
            if record.resultCode.isEmpty { readResultCode(&cursor, line, &record) }
        } else {
            if requireUserAgent { return false }
            cursor.position = mark
        }
        // A request without a host (Squid's `NONE_NONE/400 GET /favicon.ico`) is still a record.
        _ = line.splitURL(url, into: &record)
        record.hostOnly = line.equals(method, "CONNECT")
        return true
    }

    /// An optional `%Ss:%Sh` field at the cursor; leaves the cursor alone when the next field is quoted.
    @inline(__always)
    private func readResultCode(_ cursor: inout FieldCursor, _ line: UnsafeRawBufferPointer, _ record: inout ProxyRecord) {
        let mark = cursor.position
        guard let codeHier = cursor.next(), line[codeHier.start] != ASCII.quote else { cursor.position = mark; return }
        var colon = codeHier.start
        while colon < codeHier.end && line[colon] != ASCII.colon { colon += 1 }
        let code = ByteSpan(start: codeHier.start, count: colon - codeHier.start)
        record.resultCode = code
        record.action = SquidResultCode.action(line: line, code: code, status: record.status)
    }

    /// `%tl`: `02/Nov/2026:07:00:01 +0100` → UTC milliseconds.
    static func parseCommonLogTime(_ line: UnsafeRawBufferPointer, _ span: ByteSpan) -> Int64? {
        // dd/Mon/yyyy:HH:MM:SS +zzzz  (26 bytes)
        guard span.count >= 20 else { return nil }
        let s = span.start
        func num(_ offset: Int, _ width: Int) -> Int? {
            guard let v = line.parseUInt(ByteSpan(start: s + offset, count: width)) else { return nil }
            return Int(v)
        }
        guard let day = num(0, 2), line[s + 2] == ASCII.slash, line[s + 6] == ASCII.slash,
              let year = num(7, 4), line[s + 11] == ASCII.colon,
              let hour = num(12, 2), let minute = num(15, 2), let second = num(18, 2),
              let month = monthNumber(line[s + 3], line[s + 4], line[s + 5])
        else { return nil }
        var offsetSeconds = 0
        if span.count >= 26 {
            let sign = line[s + 21]
            guard sign == ASCII.plus || sign == ASCII.dash, let hh = num(22, 2), let mm = num(24, 2) else { return nil }
            offsetSeconds = (hh * 3600 + mm * 60) * (sign == ASCII.dash ? -1 : 1)
        }
        guard (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        let days = CivilTime.daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Int64(seconds) * 1000
    }

    @inline(__always)
    static func monthNumber(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
        switch (a | 0x20, b | 0x20, c | 0x20) {
        case (0x6A, 0x61, 0x6E): return 1   // jan
        case (0x66, 0x65, 0x62): return 2   // feb
        case (0x6D, 0x61, 0x72): return 3   // mar
        case (0x61, 0x70, 0x72): return 4   // apr
        case (0x6D, 0x61, 0x79): return 5   // may
        case (0x6A, 0x75, 0x6E): return 6   // jun
        case (0x6A, 0x75, 0x6C): return 7   // jul
        case (0x61, 0x75, 0x67): return 8   // aug
        case (0x73, 0x65, 0x70): return 9   // sep
        case (0x6F, 0x63, 0x74): return 10  // oct
        case (0x6E, 0x6F, 0x76): return 11  // nov
        case (0x64, 0x65, 0x63): return 12  // dec
        default: return nil
        }
    }
}
