/// FortiGate UTM key=value syslog. Web filter records (`type="utm" subtype="webfilter"`) are requests;
/// every other well-formed FortiGate record (traffic, dns, app-ctrl, ssl, virus, ips, event) is skipped:
/// web traffic is logged once by the web filter, and counting app-ctrl or virus records as well would
/// count one request twice.
///
/// ```
/// <188>date=2020-04-23 time=12:17:48 devname="fw1" logid="0316013056" type="utm" subtype="webfilter" eventtype="ftgd_blk" eventtime=1587230269052907555 tz="-0500" user="jdoe" srcip=192.168.2.1 service="HTTPS" hostname="elastic.co" action="blocked" url="/config/" sentbyte=1152 rcvdbyte=1130 catdesc="Internet Telephony"
/// ```
/// `blocked` is a denial; `passthrough`/`monitored` are allowed. `url` is a path (older) or a whole URL
/// (newer); `httpmethod` (newer FortiOS) the method; an HTTPS record whose path is just `/` is taken as host-only (certificate inspection sees
/// the SNI, not the path). `sentbyte` is the request size, `rcvdbyte` the response.
public struct FortiGateParser: LogLineParser {
    public static let format = LogFormat.fortigate
    let scratch = ParserScratch()
    public init() {}

    public func parse(_ line: UnsafeRawBufferPointer, into record: inout ProxyRecord) -> Bool {
        var date = ByteSpan(), time = ByteSpan(), tz = ByteSpan(), eventTime = ByteSpan(), type = ByteSpan(), subtype = ByteSpan()
        var client = ByteSpan(), user = ByteSpan(), unauthUser = ByteSpan(), host = ByteSpan(), url = ByteSpan(), action = ByteSpan()
        var sent = ByteSpan(), received = ByteSpan(), service = ByteSpan(), agent = ByteSpan(), logid = ByteSpan(), port = ByteSpan()
        var method = ByteSpan()
        var scanner = KeyValueScanner(line)
        while let pair = scanner.next() {
            let k = pair.key, v = pair.value
            switch k.count {
            case 3: if line.equals(k, "url") { url = v }
            case 2: if line.equals(k, "tz") { tz = v }
            case 4:
                if line.equals(k, "date") { date = v } else if line.equals(k, "time") { time = v }
                else if line.equals(k, "type") { type = v } else if line.equals(k, "user") { user = v }
            case 5:
                if line.equals(k, "srcip") { client = v } else if line.equals(k, "logid") { logid = v }
                else if line.equals(k, "agent") { agent = v }
            case 6: if line.equals(k, "action") { action = v }
            case 7:
                if line.equals(k, "subtype") { subtype = v } else if line.equals(k, "service") { service = v }
                else if line.equals(k, "dstport") { port = v }
            case 8:
                if line.equals(k, "hostname") { host = v } else if line.equals(k, "sentbyte") { sent = v }
                else if line.equals(k, "rcvdbyte") { received = v }
            case 9: if line.equals(k, "eventtime") { eventTime = v }
            case 10: if line.equals(k, "unauthuser") { unauthUser = v } else if line.equals(k, "httpmethod") { method = v }
            default: break
            }
        }
        // A FortiGate record names its log id and type; anything else is not this format.
        guard !logid.isEmpty, !type.isEmpty, !subtype.isEmpty else { return false }
        let millis: Int64
        if let t = TimeParsing.epoch(line, eventTime) {
            millis = t
        } else if let day = TimeParsing.ymd(line, date), var t = TimeParsing.withTime(line, date: day, rest: time) {
            if let offset = TimeParsing.zoneOffset(line, tz) { t -= Int64(offset) * 1000 }
            millis = t
        } else {
            return false
        }
        record = ProxyRecord()
        record.timeMillis = millis
        guard line.equals(subtype, "webfilter") else { record.isRequest = false; return true }
        guard !host.isEmpty || RecordAssembler.schemeEnd(line, url) != nil else { return false }

        if let bytes = line.parseUInt(received) { record.bytesToClient = bytes }
        if let bytes = line.parseUInt(sent) { record.bytesFromClient = bytes }
        if ActionWords.isDenial(line, action) { record.action = .denied }
        let https = line.equalsIgnoringCase(service, "HTTPS") || line.equals(port, "443")
        let out = RecordAssembler(scratch: scratch, line: line)
        record.client = out.copy(client)
        record.user = out.copy(!line.isNoValue(user) ? user : (line.isNoValue(unauthUser) ? ByteSpan() : unauthUser))
        record.userAgent = out.copy(agent)
        record.method = out.copy(method)
        if RecordAssembler.schemeEnd(line, url) != nil {
            record.url = out.schemedURL(url, defaultScheme: "http")
        } else if https && (url.isEmpty || (url.count == 1 && line[url.start] == ASCII.slash)) {
            record.hostOnly = true
            record.url = out.composeURL(scheme: ByteSpan(), host: host, port: line.parseUInt(port) ?? 443, path: ByteSpan(), query: ByteSpan(), tunnel: true)
        } else {
            let scheme = out.scratch.count
            out.scratch.append(https ? "https" : "http")
            let schemeSpan = ByteSpan(start: scheme, count: out.scratch.count - scheme)
            // composeURL reads the scheme from the line; write it by hand here instead.
            out.scratch.append("://")
            _ = out.scratch.append(line, host)
            if url.isEmpty || line[url.start] != ASCII.slash { out.scratch.append(byte: ASCII.slash) }
            _ = out.scratch.append(line, url)
            record.url = ByteSpan(start: schemeSpan.start, count: out.scratch.count - schemeSpan.start)
        }
        out.finish(&record)
        return true
    }
}
