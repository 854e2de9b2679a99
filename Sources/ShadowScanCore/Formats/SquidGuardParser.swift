/// squidGuard's redirect log: one line per request it redirected to a block page.
///
/// ```
/// 2021-03-13 19:46:49 [21] Request(default/hacking/-) http://hackpage.com/random.html 172.17.0.1/172.17.0.1 - GET REDIRECT
/// 2021-02-14 00:02:33 [26] Request(default/porn/-) pornpage.com:443 172.17.0.1/172.17.0.1 - CONNECT REDIRECT
/// ```
/// Every line is a denial (older versions do not write the final `REDIRECT`), even though Squid's own
/// access.log shows the same request as a 302 to the block page; a final `PASS` is allowed. The ident
/// field is the user (`-` for none); the client is the address before the `/`.
public struct SquidGuardParser: LogLineParser {
    public static let format = LogFormat.squidGuard
    public init() {}

    @inline(__always)
    public func parse(_ line: UnsafeRawBufferPointer, into record: inout ProxyRecord) -> Bool {
        var cursor = FieldCursor(line)
        guard let date = cursor.next(), let time = cursor.next(), let day = TimeParsing.ymd(line, date),
              let millis = TimeParsing.withTime(line, date: day, rest: time),
              let pid = cursor.next(), line[pid.start] == ASCII.openBracket,
              let request = cursor.next(), line.hasPrefix(request, "Request("),
              let url = cursor.next(), let clientField = cursor.next(), let ident = cursor.next()
        else { return false }
        let method = cursor.next() ?? ByteSpan()
        let result = cursor.next() ?? ByteSpan()
        record = ProxyRecord()
        record.timeMillis = millis
        var slash = clientField.start
        while slash < clientField.end && line[slash] != ASCII.slash { slash += 1 }
        record.client = ByteSpan(start: clientField.start, count: slash - clientField.start)
        if !line.isNoValue(ident) { record.user = ident }
        record.method = method
        record.url = url
        record.action = line.equals(result, "PASS") ? .allowed : .denied
        _ = line.splitURL(url, into: &record)
        record.hostOnly = line.equals(method, "CONNECT")
        return true
    }
}
