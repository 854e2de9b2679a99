/// What a W3C extended / ELFF field means to ShadowScan. Field names from Blue Coat ProxySG (ELFF),
/// Microsoft TMG/ISA, Cisco WSA's W3C logs and IIS; matched without regard to case. Fields not listed
/// are read past.
enum W3CRole: UInt8 {
    case ignore
    case date, time, epoch
    case client, user, userDN
    case method
    /// A whole URL (`cs-uri`, `cs-url`, `c-url`).
    case uri
    case scheme, host, remoteHost, port, path, query
    case status
    /// Blue Coat's `sc-filter-result` (`DENIED`), TMG's `action` (`Denied`), WSA's `x-acltag` (`BLOCK_…`),
    /// Blue Coat's `s-action` / WSA's `x-resultcode-httpstatus` (`TCP_DENIED`).
    case filterResult, tmgAction, aclTag, proxyAction
    case bytesToClient, bytesFromClient
    case userAgent

    static func named(_ s: UnsafeRawBufferPointer, _ name: ByteSpan) -> W3CRole {
        switch name.count {
        case 4:
            if s.equalsIgnoringCase(name, "date") { return .date }
            if s.equalsIgnoringCase(name, "time") { return .time }
            if s.equalsIgnoringCase(name, "c-ip") { return .client }
        case 5:
            if s.equalsIgnoringCase(name, "c-url") { return .uri }
        case 6:
            if s.equalsIgnoringCase(name, "cs-uri") { return .uri }
            if s.equalsIgnoringCase(name, "cs-url") { return .uri }
            if s.equalsIgnoringCase(name, "r-host") { return .remoteHost }
            if s.equalsIgnoringCase(name, "r-port") { return .port }
            if s.equalsIgnoringCase(name, "action") { return .tmgAction }
        case 7:
            if s.equalsIgnoringCase(name, "cs-host") { return .host }
            if s.equalsIgnoringCase(name, "c-agent") { return .userAgent }
        case 8:
            if s.equalsIgnoringCase(name, "cs-bytes") { return .bytesFromClient }
            if s.equalsIgnoringCase(name, "sc-bytes") { return .bytesToClient }
            if s.equalsIgnoringCase(name, "s-action") { return .proxyAction }
            if s.equalsIgnoringCase(name, "x-acltag") { return .aclTag }
        case 9:
            if s.equalsIgnoringCase(name, "cs-method") { return .method }
            if s.equalsIgnoringCase(name, "sc-status") { return .status }
            if s.equalsIgnoringCase(name, "cs-userdn") { return .userDN }
            if s.equalsIgnoringCase(name, "timestamp") { return .epoch }
        case 11:
            if s.equalsIgnoringCase(name, "cs-username") { return .user }
            if s.equalsIgnoringCase(name, "cs-uri-path") { return .path }
            if s.equalsIgnoringCase(name, "cs-uri-stem") { return .path }
            if s.equalsIgnoringCase(name, "cs-uri-port") { return .port }
            if s.equalsIgnoringCase(name, "s-operation") { return .method }
        case 12:
            if s.equalsIgnoringCase(name, "cs-uri-query") { return .query }
        case 13:
            if s.equalsIgnoringCase(name, "cs-uri-scheme") { return .scheme }
        case 14:
            if s.equalsIgnoringCase(name, "cs(user-agent)") { return .userAgent }
            if s.equalsIgnoringCase(name, "cs-user-agent") { return .userAgent }
        case 16:
            if s.equalsIgnoringCase(name, "sc-filter-result") { return .filterResult }
            if s.equalsIgnoringCase(name, "x-timestamp-unix") { return .epoch }
        case 23:
            if s.equalsIgnoringCase(name, "x-resultcode-httpstatus") { return .proxyAction }
        default: break
        }
        return .ignore
    }
}

/// A `#Fields:` header compiled once into a role per column, so a line is read in one pass without
/// looking at field names again (GoAccess re-reads its format string for every line; this does not).
struct W3CFieldLayout: Sendable {
    /// The role of each column, in order.
    let roles: [W3CRole]
    /// Columns after this one carry nothing ShadowScan reads: the line scan stops there.
    let lastUsefulColumn: Int
    /// ISA/TMG separate fields by tabs (values then hold spaces); ELFF by spaces, with quotes.
    let tabSeparated: Bool

    init(roles: [W3CRole], tabSeparated: Bool) {
        self.roles = roles
        self.tabSeparated = tabSeparated
        lastUsefulColumn = roles.lastIndex { $0 != .ignore } ?? -1
    }

    /// Compiles a `#Fields:` line; nil when it is not one.
    init?(fieldsLine line: UnsafeRawBufferPointer) {
        let prefix: StaticString = "#Fields:"
        guard line.hasPrefixIgnoringCase(ByteSpan(start: 0, count: line.count), prefix) else { return nil }
        var roles: [W3CRole] = []
        var i = prefix.utf8CodeUnitCount
        let n = line.count
        var tabs = false
        while i < n {
            while i < n && (line[i] == ASCII.space || line[i] == ASCII.tab || line[i] == 0x0D) { if line[i] == ASCII.tab { tabs = true }; i += 1 }
            let start = i
            while i < n && line[i] != ASCII.space && line[i] != ASCII.tab && line[i] != 0x0D { i += 1 }
            if i > start { roles.append(W3CRole.named(line, ByteSpan(start: start, count: i - start))) }
            if roles.count >= 512 { break }
        }
        self.init(roles: roles, tabSeparated: tabs)
    }

    /// Names to a layout, for defaults and tests.
    init(names: [String], tabSeparated: Bool = false) {
        let roles = names.map { name -> W3CRole in
            let bytes = Array(name.utf8)
            return bytes.withUnsafeBytes { W3CRole.named($0, ByteSpan(start: 0, count: bytes.count)) }
        }
        self.init(roles: roles, tabSeparated: tabSeparated)
    }

    /// Blue Coat ProxySG's `bcreportermain_v1` access-log format, for header-less files.
    static let blueCoatMainV1Names = [
        "date", "time", "time-taken", "c-ip", "cs-username", "cs-auth-group", "x-exception-id", "sc-filter-result",
        "cs-categories", "cs(Referer)", "sc-status", "s-action", "cs-method", "rs(Content-Type)", "cs-uri-scheme",
        "cs-host", "cs-uri-port", "cs-uri-path", "cs-uri-query", "cs-uri-extension", "cs(User-Agent)", "s-ip",
        "sc-bytes", "cs-bytes", "x-virus-id", "x-bluecoat-application-name", "x-bluecoat-application-operation",
    ]
    static let blueCoatMainV1 = W3CFieldLayout(names: blueCoatMainV1Names)
    /// Whether records can carry the request size.
    var hasRequestSize: Bool { roles.contains(.bytesFromClient) }
}

/// The values of one W3C/ELFF record by role (`-` already made empty), and how they become a record.
struct W3CValues {
    var date = ByteSpan(), time = ByteSpan(), epoch = ByteSpan()
    var client = ByteSpan(), user = ByteSpan(), userDN = ByteSpan(), method = ByteSpan()
    var uri = ByteSpan(), scheme = ByteSpan(), host = ByteSpan(), remoteHost = ByteSpan(), port = ByteSpan()
    var path = ByteSpan(), query = ByteSpan(), status = ByteSpan()
    var filterResult = ByteSpan(), tmgAction = ByteSpan(), aclTag = ByteSpan(), proxyAction = ByteSpan()
    var toClient = ByteSpan(), fromClient = ByteSpan(), userAgent = ByteSpan()

    @inline(__always)
    mutating func set(_ role: W3CRole, _ value: ByteSpan) {
        switch role {
        case .ignore: break
        case .date: date = value
        case .time: time = value
        case .epoch: epoch = value
        case .client: client = value
        case .user: user = value
        case .userDN: userDN = value
        case .method: method = value
        case .uri: uri = value
        case .scheme: scheme = value
        case .host: host = value
        case .remoteHost: remoteHost = value
        case .port: port = value
        case .path: path = value
        case .query: query = value
        case .status: status = value
        case .filterResult: filterResult = value
        case .tmgAction: tmgAction = value
        case .aclTag: aclTag = value
        case .proxyAction: proxyAction = value
        case .bytesToClient: toClient = value
        case .bytesFromClient: fromClient = value
        case .userAgent: userAgent = value
        }
    }

    /// Fills `record`; false when there is no usable time or a number is not one. A record without URL
    /// or host (a connection closed before its request) is still a record, as in Squid's logs.
    func build(_ line: UnsafeRawBufferPointer, _ scratch: ParserScratch, fallbackTime: Int64?, _ record: inout ProxyRecord) -> Bool {
        // Time: `date time` (UTC, as W3C specifies), or an epoch field, or the caller's (a syslog header).
        let millis: Int64
        if !date.isEmpty, !time.isEmpty, let day = TimeParsing.ymd(line, date), let t = TimeParsing.withTime(line, date: day, rest: time) {
            millis = t
        } else if !epoch.isEmpty, let t = TimeParsing.epoch(line, epoch) {
            millis = t
        } else if let fallbackTime {
            millis = fallbackTime
        } else {
            return false
        }
        let host = self.host.isEmpty ? remoteHost : self.host

        record = ProxyRecord()
        record.timeMillis = millis
        if !status.isEmpty {
            guard let code = line.parseUInt(status) else { return false }
            record.status = Int32(truncatingIfNeeded: code)
        } else if !proxyAction.isEmpty {
            // Cisco WSA's `x-resultcode-httpstatus`: `TCP_DENIED/407`.
            var slash = proxyAction.end - 1
            while slash > proxyAction.start && line[slash] != ASCII.slash { slash -= 1 }
            if slash > proxyAction.start, let code = line.parseUInt(ByteSpan(start: slash + 1, count: proxyAction.end - slash - 1)) {
                record.status = Int32(truncatingIfNeeded: code)
            }
        }
        if !toClient.isEmpty {
            guard let bytes = line.parseUInt(toClient) else { return false }
            record.bytesToClient = bytes
        }
        if !fromClient.isEmpty, let bytes = line.parseUInt(fromClient) { record.bytesFromClient = bytes }

        let connect = line.equalsIgnoringCase(method, "CONNECT")
        // Blue Coat logs an uninspected tunnel with scheme `tcp` (or `ssl`); WSA with `tunnel://`.
        let tunnel = connect || line.equalsIgnoringCase(scheme, "tcp") || line.equalsIgnoringCase(scheme, "ssl")
            || line.hasPrefixIgnoringCase(uri, "tunnel://") || line.hasPrefixIgnoringCase(uri, "ssl://") || line.hasPrefixIgnoringCase(uri, "tcp://")
        record.hostOnly = tunnel

        let denial = line.equalsIgnoringCase(filterResult, "DENIED") || line.contains(proxyAction, "DENIED")
            || line.equalsIgnoringCase(tmgAction, "Denied") || line.hasPrefix(aclTag, "BLOCK_") || line.hasPrefix(aclTag, "DROP_")
        if denial { record.action = record.status == 407 ? .challenge : .denied }

        let out = RecordAssembler(scratch: scratch, line: line)
        record.client = out.copy(client)
        record.user = out.copy(user.isEmpty ? userDN : user)
        record.method = out.copy(method)
        record.userAgent = out.copy(userAgent)
        record.resultCode = out.copy(proxyAction)
        let portNumber = line.parseUInt(port)
        if tunnel && !host.isEmpty {
            record.url = out.composeURL(scheme: ByteSpan(), host: host, port: portNumber ?? 443, path: ByteSpan(), query: ByteSpan(), tunnel: true)
        } else if !uri.isEmpty {
            if RecordAssembler.schemeEnd(line, uri) != nil {
                record.url = out.schemedURL(uri, defaultScheme: "http")
            } else {
                record.url = out.copy(uri)   // `host:port` of a CONNECT, or a bare path
            }
        } else if !host.isEmpty {
            record.url = out.composeURL(scheme: scheme, host: host, port: portNumber ?? 0, path: path, query: query, tunnel: false)
        }
        out.finish(&record)
        return true
    }
}
