/// Skyhigh (formerly McAfee) Web Gateway access logs as key="value": the on-premises MWG syslog format
/// and the cloud SWG's key=value export (unquoted values with spaces).
///
/// ```
/// date="2022-03-11T10:39:16.390Z" username="" source_ip=1.2.3.4 destination_host="www.forbiddensite.com" http_status_code=403 source_bytes=131 destination_bytes=0 http_request_first_line="GET http://www.forbiddensite.com/ HTTP/1.1" block_id=10 …
/// user_id=-1 username=user source_ip=1.2.3.4 http_action=PUT server_to_client_bytes=7976 client_to_server_bytes=860 requested_host=wetransfer.com requested_path=/api/v4/… result=OBSERVED request_timestamp_epoch=1699464228 uri_scheme=https … client_ip=4.3.2.1 …
/// ```
/// Denied: a non-zero `block_id`, or `result=DENIED`; with status 407 it is an authentication challenge.
public struct SkyhighWebGatewayParser: LogLineParser {
    public static let format = LogFormat.skyhigh
    let scratch = ParserScratch()
    public init() {}

    public func parse(_ line: UnsafeRawBufferPointer, into record: inout ProxyRecord) -> Bool {
        var date = ByteSpan(), epoch = ByteSpan(), stamp = ByteSpan(), user = ByteSpan(), sourceIP = ByteSpan(), clientIP = ByteSpan()
        var host = ByteSpan(), firstLine = ByteSpan(), method = ByteSpan(), scheme = ByteSpan(), path = ByteSpan()
        var status = ByteSpan(), blockID = ByteSpan(), result = ByteSpan(), fromClient = ByteSpan(), toClient = ByteSpan()
        var agent = ByteSpan(), agentComment = ByteSpan(), port = ByteSpan()
        var known = 0
        var scanner = KeyValueScanner(line)
        while let pair = scanner.next() {
            let k = pair.key, v = pair.value
            switch k.count {
            case 4: if line.equals(k, "date") { date = v; known += 1 }
            case 6: if line.equals(k, "result") { result = v; known += 1 }
            case 8:
                if line.equals(k, "username") { user = v; known += 1 }
                else if line.equals(k, "block_id") { blockID = v; known += 1 }
            case 9: if line.equals(k, "source_ip") { sourceIP = v; known += 1 } else if line.equals(k, "client_ip") { clientIP = v }
            case 10:
                if line.equals(k, "user_agent") { agent = v }
                else if line.equals(k, "uri_scheme") { scheme = v }
            case 11: if line.equals(k, "http_action") { method = v; known += 1 }
            case 12: if line.equals(k, "source_bytes") { fromClient = v }
            case 14: if line.equals(k, "requested_host") { host = v; known += 1 } else if line.equals(k, "requested_path") { path = v }
            case 16:
                if line.equals(k, "destination_host") { host = v; known += 1 }
                else if line.equals(k, "http_status_code") { status = v; known += 1 }
                else if line.equals(k, "destination_port") { port = v }
            case 17:
                if line.equals(k, "destination_bytes") { toClient = v }
                else if line.equals(k, "request_timestamp") { stamp = v }
            case 18: if line.equals(k, "user_agent_comment") { agentComment = v }
            case 22:
                if line.equals(k, "server_to_client_bytes") { toClient = v }
                else if line.equals(k, "client_to_server_bytes") { fromClient = v }
            case 23:
                if line.equals(k, "http_request_first_line") { firstLine = v; known += 1 }
                else if line.equals(k, "request_timestamp_epoch") { epoch = v }
            default: break
            }
        }
        guard known >= 4 else { return false }
        guard let millis = TimeParsing.iso8601(line, date) ?? TimeParsing.epoch(line, epoch) ?? TimeParsing.iso8601(line, stamp) else { return false }

        // "METHOD URL HTTP/x" (on premises), or method, scheme, host and path (cloud).
        var url = ByteSpan()
        if !firstLine.isEmpty {
            var words = FieldCursor(UnsafeRawBufferPointer(rebasing: line[firstLine.start..<firstLine.end]))
            if let m = words.next() { method = ByteSpan(start: firstLine.start + m.start, count: m.count) }
            if let u = words.next() { url = ByteSpan(start: firstLine.start + u.start, count: u.count) }
        }
        let connect = line.equalsIgnoringCase(method, "CONNECT")
        record = ProxyRecord()
        record.timeMillis = millis
        if let code = line.parseUInt(status) { record.status = Int32(truncatingIfNeeded: code) }
        if let bytes = line.parseUInt(toClient) { record.bytesToClient = bytes }
        if let bytes = line.parseUInt(fromClient) { record.bytesFromClient = bytes }
        let blocked = (!blockID.isEmpty && !line.equals(blockID, "0")) || line.equalsIgnoringCase(result, "DENIED") || line.equalsIgnoringCase(result, "BLOCKED")
        if blocked { record.action = record.status == 407 ? .challenge : .denied }
        record.hostOnly = connect

        let out = RecordAssembler(scratch: scratch, line: line)
        record.client = out.copy(clientIP.isEmpty ? sourceIP : clientIP)
        record.user = out.copy(line.isNoValue(user) ? ByteSpan() : user)
        record.method = out.copy(method)
        record.userAgent = out.copy(agentComment.isEmpty ? agent : agentComment)
        if !url.isEmpty {
            record.url = RecordAssembler.schemeEnd(line, url) != nil ? out.schemedURL(url, defaultScheme: "http") : out.copy(url)
        } else if !host.isEmpty {
            record.url = out.composeURL(scheme: scheme, host: host, port: line.parseUInt(port) ?? 0, path: path, query: ByteSpan(), tunnel: connect)
        }
        out.finish(&record)
        // `CONNECT :80` with no host: a request, but to nothing a catalogue can name.
        return true
    }
}
