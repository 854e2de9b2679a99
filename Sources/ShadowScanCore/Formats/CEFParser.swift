/// ArcSight Common Event Format from web gateways: Forcepoint Web Security, Palo Alto, FortiGate,
/// Skyhigh and others forward their access logs as CEF.
///
/// ```
/// CEF:0|Forcepoint|Security|8.5.4|222|Transaction permitted|1| act=permitted app=https dhost=outlook.office365.com src=1.2.3.4 suser=LDAP://… loginID=n_nini rt=1653555521000 in=1038458 out=3967 requestMethod=POST request=https://outlook.office365.com/ …
/// ```
/// A syslog header before `CEF:` is skipped (Sekoia's captures also drop the `CEF:` itself: a line that
/// starts with `0|Vendor|` is read too). Values follow CEF escaping (`\=`, spaces allowed). `act`
/// decides denials (`blocked`, `block-url`, `deny`...); `in` is the response size and `out` the request
/// size, as Forcepoint documents them. The identity is `loginID`, else `suser`, else `duser` (FortiGate
/// puts the user there). Records without `request` or `dhost` (a firewall session) are skipped.
public struct CEFParser: LogLineParser {
    public static let format = LogFormat.cef
    let scratch = ParserScratch()
    public init() {}

    /// Where the extension starts (after the 7th `|`), or nil when the line has no CEF header.
    static func extensionStart(_ line: UnsafeRawBufferPointer) -> Int? {
        var i = 0
        if let cef = ZscalerNSSKeyValueParser.find(line, "CEF:"), SyslogPrefix.isPlain(line, upTo: cef) {
            i = cef + 4
        } else {
            while i < line.count && line[i] == ASCII.space { i += 1 }
            guard i + 1 < line.count, ASCII.isDigit(line[i]), line[i + 1] == ASCII.pipe else { return nil }
        }
        var bars = 0
        while i < line.count {
            let b = line[i]
            if b == ASCII.backslash { i += 2; continue }
            if b == ASCII.pipe { bars += 1; if bars == 7 { return i + 1 } }
            i += 1
        }
        return nil
    }

    public func parse(_ line: UnsafeRawBufferPointer, into record: inout ProxyRecord) -> Bool {
        guard let start = Self.extensionStart(line) else { return false }
        var act = ByteSpan(), rt = ByteSpan(), startTime = ByteSpan(), src = ByteSpan(), suser = ByteSpan(), duser = ByteSpan()
        var login = ByteSpan(), request = ByteSpan(), dhost = ByteSpan(), method = ByteSpan(), bytesIn = ByteSpan(), bytesOut = ByteSpan()
        var agent = ByteSpan(), app = ByteSpan(), dpt = ByteSpan()
        var scanner = KeyValueScanner(line, from: start)
        while let pair = scanner.next() {
            let k = pair.key, v = pair.value
            switch k.count {
            case 2: if line.equals(k, "rt") { rt = v } else if line.equals(k, "in") { bytesIn = v }
            case 3:
                if line.equals(k, "act") { act = v } else if line.equals(k, "src") { src = v } else if line.equals(k, "out") { bytesOut = v }
                else if line.equals(k, "app") { app = v } else if line.equals(k, "dpt") { dpt = v }
            case 5:
                if line.equals(k, "suser") { suser = v } else if line.equals(k, "duser") { duser = v }
                else if line.equals(k, "dhost") { dhost = v } else if line.equals(k, "start") { startTime = v }
            case 7: if line.equals(k, "request") { request = v } else if line.equals(k, "loginID") { login = v }
            case 13: if line.equals(k, "requestMethod") { method = v }
            case 24: if line.equals(k, "requestClientApplication") { agent = v }
            default: break
            }
        }
        record = ProxyRecord()
        guard let millis = TimeParsing.any(line, rt) ?? TimeParsing.any(line, startTime) else { return false }
        record.timeMillis = millis
        let requestURL = line.isNoValue(request) || line.equals(request, "?%") ? ByteSpan() : request
        guard !requestURL.isEmpty || !dhost.isEmpty else { record.isRequest = false; return true }

        if let bytes = line.parseUInt(bytesIn) { record.bytesToClient = bytes }
        if let bytes = line.parseUInt(bytesOut) { record.bytesFromClient = bytes }
        if ActionWords.isDenial(line, act) { record.action = .denied }
        let connect = line.equalsIgnoringCase(method, "CONNECT")
        let out = RecordAssembler(scratch: scratch, line: line)
        record.client = out.copy(src)
        let user = !line.isNoValue(login) ? login : (!line.isNoValue(suser) ? suser : (line.isNoValue(duser) ? ByteSpan() : duser))
        record.user = out.copy(user)
        let m = out.scratch.count
        for i in method.start..<method.end { let b = line[i]; out.scratch.append(byte: b >= 0x61 && b <= 0x7A ? b - 0x20 : b) }
        record.method = ByteSpan(start: m, count: out.scratch.count - m)
        record.userAgent = out.copy(agent)
        let https = line.equalsIgnoringCase(app, "https") || line.equals(dpt, "443")
        if !requestURL.isEmpty && RecordAssembler.schemeEnd(line, requestURL) != nil {
            record.url = out.schemedURL(requestURL, defaultScheme: "http")
            record.hostOnly = connect
        } else if !dhost.isEmpty && (requestURL.isEmpty || connect) {
            record.hostOnly = true
            record.url = out.composeURL(scheme: ByteSpan(), host: dhost, port: line.parseUInt(dpt) ?? 443, path: ByteSpan(), query: ByteSpan(), tunnel: true)
        } else if !dhost.isEmpty && line[requestURL.start] == ASCII.slash {
            // FortiGate: `request=/path` with the host in `dhost`.
            let s = out.scratch.count
            out.scratch.append(https ? "https://" : "http://")
            _ = out.scratch.append(line, dhost)
            _ = out.scratch.append(line, requestURL)
            record.url = ByteSpan(start: s, count: out.scratch.count - s)
        } else {
            record.url = out.schemedURL(requestURL, defaultScheme: https ? "https" : "http")
        }
        out.finish(&record)
        return true
    }
}
