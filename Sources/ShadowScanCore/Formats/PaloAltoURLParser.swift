/// Palo Alto Networks PAN-OS URL filtering logs (THREAT, subtype `url`): the syslog CSV, with or without
/// a syslog header, and the Cortex Data Lake JSON form. Other log types (TRAFFIC, other THREAT subtypes)
/// are well-formed but no web request: skipped.
///
/// ```
/// Nov 30 16:44:36 PA-220 1,2018/11/30 16:44:36,012801096514,THREAT,url,2049,2018/11/30 16:44:36,192.168.15.224,175.16.199.1,…,ssl,…,block-url,"consent.cmp.oath.com/",(9999),business-and-economy,…
/// {"LogType":"THREAT","Subtype":"url","TimeGenerated":"2024-06-25T21:30:00.000000Z","SourceAddress":"1.2.3.4","SourceUser":"jdoe@example.org","Application":"web-browsing","Action":"alert","URL":"www.example.com/connecttest.txt","HTTPMethod":"get",…}
/// ```
/// CSV columns (0-based from the leading `FUTURE_USE` field): 3 type, 4 subtype, 6 generated time,
/// 7 source address, 12 source user, 14 application, 30 action, 31 URL, 46 user agent, 63 HTTP method.
/// Denied: `block-url`, `block-continue`, `block-override`, `override-lockout`, `drop`, `reset-*`, `deny`.
/// The URL is logged without a scheme; application `ssl` (not decrypted) makes it host-only. PAN-OS logs
/// no byte counts in URL records. Times are the firewall's, taken as UTC.
public struct PaloAltoURLParser: LogLineParser {
    public static let format = LogFormat.paloAlto
    let scratch = ParserScratch()
    public init() {}

    public func parse(_ line: UnsafeRawBufferPointer, into record: inout ProxyRecord) -> Bool {
        var first = 0
        while first < line.count && ASCII.isBlank(line[first]) { first += 1 }
        if first < line.count && line[first] == ASCII.openBrace { return parseJSON(line, into: &record) }
        // Skip a syslog header: the CSV starts at the first `<digit>,YYYY/` field.
        guard let start = Self.csvStart(line) else { return false }
        var fields = DelimitedScanner(line, from: start, separator: ASCII.comma)
        var type = ByteSpan(), subtype = ByteSpan(), time = ByteSpan(), source = ByteSpan(), user = ByteSpan(), app = ByteSpan()
        var action = ByteSpan(), url = ByteSpan(), agent = ByteSpan(), method = ByteSpan()
        var index = 0
        while index <= 63, let field = fields.next() {
            switch index {
            case 3: type = field
            case 4: subtype = field
            case 6: time = field
            case 7: source = field
            case 12: user = field
            case 14: app = field
            case 30: action = field
            case 31: url = field
            case 46: agent = field
            case 63: method = field
            default: break
            }
            index += 1
        }
        guard index >= 8, let millis = TimeParsing.iso8601(line, time) else { return false }
        record = ProxyRecord()
        record.timeMillis = millis
        guard line.equals(type, "THREAT"), line.equals(subtype, "url") else { record.isRequest = false; return index > 31 || !line.equals(type, "THREAT") }
        guard index > 31 else { return false }
        return build(line, source: source, user: user, app: app, action: action, url: url, agent: agent, method: method, escaped: false, &record)
    }

    /// Offset of the CSV's first field (`1,2018/11/30 …`), past any syslog header.
    static func csvStart(_ line: UnsafeRawBufferPointer) -> Int? {
        var i = 0
        let n = line.count
        while i < n {
            if (i == 0 || line[i - 1] == ASCII.space) && ASCII.isDigit(line[i]) {
                var j = i
                while j < n && ASCII.isDigit(line[j]) { j += 1 }
                if j + 5 < n && line[j] == ASCII.comma && ASCII.isDigit(line[j + 1]) && line[j + 5] == ASCII.slash { return i }
            }
            i += 1
            if i > 256 { return nil }
        }
        return nil
    }

    private func parseJSON(_ line: UnsafeRawBufferPointer, into record: inout ProxyRecord) -> Bool {
        var type = ByteSpan(), subtype = ByteSpan(), time = ByteSpan(), source = ByteSpan(), user = ByteSpan(), app = ByteSpan()
        var action = ByteSpan(), url = ByteSpan(), agent = ByteSpan(), method = ByteSpan()
        var escaped = false
        let ok = JSONWalker.walk(line) { _, k, v, kind in
            guard kind == .string else { return }
            switch k.count {
            case 3: if line.equals(k, "URL") { url = v }
            case 6: if line.equals(k, "Action") { action = v }
            case 7: if line.equals(k, "LogType") { type = v } else if line.equals(k, "Subtype") { subtype = v }
            case 9: if line.equals(k, "UserAgent") { agent = v }
            case 10: if line.equals(k, "SourceUser") { user = v; escaped = escaped || line.containsBackslash(v) } else if line.equals(k, "HTTPMethod") { method = v }
            case 11: if line.equals(k, "Application") { app = v }
            case 13: if line.equals(k, "TimeGenerated") { time = v } else if line.equals(k, "SourceAddress") { source = v }
            default: break
            }
        }
        guard ok, !type.isEmpty, let millis = TimeParsing.iso8601(line, time) else { return false }
        record = ProxyRecord()
        record.timeMillis = millis
        guard line.equals(type, "THREAT"), line.equals(subtype, "url") else { record.isRequest = false; return true }
        return build(line, source: source, user: user, app: app, action: action, url: url, agent: agent, method: method, escaped: escaped, &record)
    }

    private func build(_ line: UnsafeRawBufferPointer, source: ByteSpan, user: ByteSpan, app: ByteSpan, action: ByteSpan, url: ByteSpan,
                       agent: ByteSpan, method: ByteSpan, escaped: Bool, _ record: inout ProxyRecord) -> Bool {
        guard !url.isEmpty else { return false }
        if ActionWords.isDenial(line, action) || line.equals(action, "block-continue") { record.action = .denied }
        let ssl = line.equals(app, "ssl")
        record.hostOnly = ssl
        let out = RecordAssembler(scratch: scratch, line: line)
        record.client = out.copy(source)
        record.user = out.copyJSON(line.isNoValue(user) ? ByteSpan() : user, escaped: escaped)
        if !line.equalsIgnoringCase(method, "unknown") {
            let m = out.scratch.count
            for i in method.start..<method.end { let b = line[i]; out.scratch.append(byte: b >= 0x61 && b <= 0x7A ? b - 0x20 : b) }
            record.method = ByteSpan(start: m, count: out.scratch.count - m)
        }
        record.userAgent = out.copy(line.isNoValue(agent) ? ByteSpan() : agent)
        if ssl {
            // Only the host (SNI) is known: `host:443` like a CONNECT.
            var hostEnd = url.start
            while hostEnd < url.end && line[hostEnd] != ASCII.slash && line[hostEnd] != ASCII.colon { hostEnd += 1 }
            record.url = out.composeURL(scheme: ByteSpan(), host: ByteSpan(start: url.start, count: hostEnd - url.start), port: 443,
                                        path: ByteSpan(), query: ByteSpan(), tunnel: true)
        } else {
            let https = line.contains(url, ":443")
            record.url = out.schemedURL(url, defaultScheme: https ? "https" : "http")
        }
        out.finish(&record)
        return true
    }
}
