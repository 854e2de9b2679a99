/// Zscaler NSS web-log field names, shared by the JSON, CSV and key=value feeds. NSS feed formats are
/// written by the admin, so the same value comes under several names (`login`/`user`/`usrName`,
/// `reqsize`/`requestsize`/`srcBytes`...): all are read.
enum ZscalerField: UInt8 {
    case ignore, time, epoch, login, obfuscatedLogin, client, url, host, proto, action, method, status
    case requestSize, responseSize, userAgent, sourceType

    static func named(_ s: UnsafeRawBufferPointer, _ key: ByteSpan) -> ZscalerField {
        switch key.count {
        case 2:
            if s.equals(key, "ua") { return .userAgent }
        case 3:
            if s.equals(key, "url") { return .url }
            if s.equals(key, "cip") || s.equals(key, "src") { return .client }
        case 4:
            if s.equals(key, "time") { return .time }
            if s.equals(key, "user") { return .login }
            if s.equals(key, "eurl") { return .url }
            if s.equals(key, "host") { return .host }
        case 5:
            if s.equals(key, "login") { return .login }
            if s.equals(key, "proto") { return .proto }
            if s.equals(key, "cltip") { return .client }
        case 6:
            if s.equals(key, "action") { return .action }
            if s.equals(key, "status") { return .status }
            if s.equals(key, "ologin") { return .obfuscatedLogin }
        case 7:
            if s.equals(key, "reqsize") { return .requestSize }
            if s.equals(key, "usrName") { return .login }
            if s.equals(key, "devTime") { return .time }
        case 8:
            if s.equals(key, "datetime") { return .time }
            if s.equals(key, "hostname") { return .host }
            if s.equals(key, "protocol") { return .proto }
            if s.equals(key, "ClientIP") { return .client }
            if s.equals(key, "respsize") { return .responseSize }
            if s.equals(key, "respcode") { return .status }
            if s.equals(key, "srcBytes") { return .requestSize }
            if s.equals(key, "dstBytes") { return .responseSize }
        case 9:
            if s.equals(key, "epochtime") { return .epoch }
            if s.equals(key, "reqmethod") { return .method }
            if s.equals(key, "useragent") { return .userAgent }
            if s.equals(key, "appproto") { return .proto }
        case 10:
            if s.equals(key, "sourcetype") { return .sourceType }
        case 11:
            if s.equals(key, "requestsize") { return .requestSize }
        case 12:
            if s.equals(key, "responsesize") { return .responseSize }
        case 13:
            if s.equals(key, "requestmethod") { return .method }
        default: break
        }
        return .ignore
    }

    /// The default NSS web feed field order (the CSV/TSV feeds of Zscaler's Splunk and QRadar guides).
    static let defaultCSVOrder = [
        "time", "login", "proto", "eurl", "action", "appname", "appclass", "reqsize", "respsize", "stime", "ctime",
        "urlclass", "urlsupercat", "urlcat", "malwarecat", "threatname", "riskscore", "dlpeng", "dlpdict", "location",
        "dept", "cip", "sip", "reqmethod", "respcode", "ua", "ereferer", "ruletype", "rulelabel", "contenttype",
        "unscannabletype", "deviceowner", "devicehostname",
    ]
}

/// The values of one NSS record, by field, and how they become a `ProxyRecord`.
struct ZscalerValues {
    var time = ByteSpan(), epoch = ByteSpan(), login = ByteSpan(), obfuscatedLogin = ByteSpan(), client = ByteSpan()
    var url = ByteSpan(), host = ByteSpan(), proto = ByteSpan(), action = ByteSpan(), method = ByteSpan(), status = ByteSpan()
    var requestSize = ByteSpan(), responseSize = ByteSpan(), userAgent = ByteSpan(), sourceType = ByteSpan()
    /// JSON strings that hold escapes (decoded when copied).
    var escaped = false

    @inline(__always)
    mutating func set(_ field: ZscalerField, _ value: ByteSpan) {
        switch field {
        case .ignore: break
        case .time: time = value
        case .epoch: epoch = value
        case .login: if login.isEmpty { login = value }
        case .obfuscatedLogin: obfuscatedLogin = value
        case .client: if client.isEmpty { client = value }
        case .url: if url.isEmpty { url = value }
        case .host: if host.isEmpty { host = value }
        case .proto: proto = value
        case .action: action = value
        case .method: method = value
        case .status: status = value
        case .requestSize: requestSize = value
        case .responseSize: responseSize = value
        case .userAgent: userAgent = value
        case .sourceType: sourceType = value
        }
    }

    /// Fills `record`; false when the values are not a web record (no time, no URL or host).
    func build(_ line: UnsafeRawBufferPointer, _ scratch: ParserScratch, _ record: inout ProxyRecord) -> Bool {
        record = ProxyRecord()
        // Other NSS feeds (audit, dns, firewall, tunnel, casb) are well-formed, but not web requests.
        if !sourceType.isEmpty && !line.equals(sourceType, "zscalernss-web") {
            record.isRequest = false
            return true
        }
        guard let millis = TimeParsing.any(line, time) ?? TimeParsing.epoch(line, epoch) else { return false }
        record.timeMillis = millis
        let url = line.isNoValue(self.url) ? ByteSpan() : self.url
        let host = line.isNoValue(self.host) ? ByteSpan() : self.host
        guard !url.isEmpty || !host.isEmpty else { return false }
        if let size = line.parseUInt(responseSize) { record.bytesToClient = size }
        if let size = line.parseUInt(requestSize) { record.bytesFromClient = size }
        if let code = line.parseUInt(status) { record.status = Int32(truncatingIfNeeded: code) }

        let method = line.isNoValue(self.method) || line.equals(self.method, "NA") ? ByteSpan() : self.method
        let connect = line.equalsIgnoringCase(method, "CONNECT")
        // `SSL`: a TLS session Zscaler did not decrypt; only the host (SNI) is known.
        let tunnel = connect || line.equalsIgnoringCase(proto, "SSL") || line.equalsIgnoringCase(proto, "TUNNEL") || url.isEmpty
        record.hostOnly = tunnel
        if line.equalsIgnoringCase(action, "Blocked") || line.equalsIgnoringCase(action, "Block") || line.equalsIgnoringCase(action, "Denied") {
            record.action = record.status == 407 ? .challenge : .denied
        } else if record.status == 407 {
            record.action = .challenge
        }

        let out = RecordAssembler(scratch: scratch, line: line)
        record.client = out.copyJSON(line.isNoValue(client) ? ByteSpan() : client, escaped: escaped)
        // Obfuscated NSS values (`ologin`) are opaque, stable identities: kept as they are.
        let user = !line.isNoValue(login) ? login : (!line.isNoValue(obfuscatedLogin) ? obfuscatedLogin : ByteSpan())
        record.user = out.copyJSON(user, escaped: escaped && line.containsBackslash(user))
        record.method = out.copy(method)
        record.userAgent = out.copyJSON(line.isNoValue(userAgent) ? ByteSpan() : userAgent, escaped: escaped && line.containsBackslash(userAgent))
        if url.isEmpty {
            record.url = out.composeURL(scheme: ByteSpan(), host: host, port: 443, path: ByteSpan(), query: ByteSpan(), tunnel: true)
        } else if tunnel && RecordAssembler.schemeEnd(line, url) == nil {
            // `host:443`, or a bare host: logged as a CONNECT target like Squid's.
            var hasPort = false
            for i in url.start..<url.end where line[i] == ASCII.colon { hasPort = true }
            record.url = hasPort ? out.copyJSON(url, escaped: escaped && line.containsBackslash(url))
                                 : out.composeURL(scheme: ByteSpan(), host: url, port: 443, path: ByteSpan(), query: ByteSpan(), tunnel: true)
        } else if escaped && line.containsBackslash(url) {
            // Decode first, then add the scheme.
            let decoded = out.copyJSON(url, escaped: true)
            let start = scratch.count
            scratch.append(line.equalsIgnoringCase(proto, "HTTP") ? "http://" : "https://")
            _ = scratch.append(scratch.bytes, decoded)
            record.url = ByteSpan(start: start, count: scratch.count - start)
        } else {
            record.url = out.schemedURL(url, defaultScheme: line.equalsIgnoringCase(proto, "HTTP") ? "http" : "https")
        }
        out.finish(&record)
        return true
    }
}
