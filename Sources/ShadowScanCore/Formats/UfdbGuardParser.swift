/// ufdbGuard's log (`ufdbguardd.log`): its BLOCK lines, and PASS lines when `logall` is on. The daemon's
/// other messages (start-up, statistics) are well-formed but no request: skipped.
///
/// ```
/// 2019-04-05 09:25:30 [26455] BLOCK jdoe       10.1.1.44  staff  adult  www.example.com:443 CONNECT
/// 2019-04-05 09:25:31 [26455] PASS  -          10.1.1.45  staff  news   http://www.example.org/a GET
/// ```
/// BLOCK (and REDIR) lines are denials even when Squid's access.log shows the redirect as a 302.
public struct UfdbGuardParser: LogLineParser {
    public static let format = LogFormat.ufdbGuard
    public init() {}

    @inline(__always)
    public func parse(_ line: UnsafeRawBufferPointer, into record: inout ProxyRecord) -> Bool {
        var cursor = FieldCursor(line)
        guard let date = cursor.next(), let time = cursor.next(), let day = TimeParsing.ymd(line, date),
              let millis = TimeParsing.withTime(line, date: day, rest: time),
              let pid = cursor.next(), line[pid.start] == ASCII.openBracket, let verdict = cursor.next()
        else { return false }
        record = ProxyRecord()
        record.timeMillis = millis
        let block = line.hasPrefix(verdict, "BLOCK") || line.hasPrefix(verdict, "REDIR")
        guard block || line.hasPrefix(verdict, "PASS") else { record.isRequest = false; return true }
        guard let user = cursor.next(), let client = cursor.next(), cursor.next() != nil, cursor.next() != nil,
              let url = cursor.next() else { return false }
        record.client = client
        if !line.isNoValue(user) { record.user = user }
        record.method = cursor.next() ?? ByteSpan()
        record.url = url
        record.action = block ? .denied : .allowed
        _ = line.splitURL(url, into: &record)
        record.hostOnly = line.equals(record.method, "CONNECT")
        return true
    }
}
