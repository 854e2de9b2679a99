/// What each format is, what it reads, and how to get its parser: `shadowscan formats` prints this.
extension LogFormat {
    /// Whether a format's records carry the request size (bytes from the client, `bytes_out`).
    public enum RequestSize: String, Sendable {
        case always = "yes"
        /// Only when the file logs the field (a W3C header with `cs-bytes`, a mapped JSON field).
        case whenLogged = "when logged"
        case never = "no"
    }

    public var description: String {
        switch self {
        case .squidNative: return "Squid native access.log (logformat squid)"
        case .squidCommon: return "Squid common log format (%>a %[ui %[un [%tl] \"%rm %ru HTTP/%rv\" %>Hs %<st %Ss:%Sh)"
        case .squidCombined: return "Squid combined log format (common + \"referer\" \"user agent\")"
        case .w3c: return "W3C extended / ELFF with a #Fields: header: Blue Coat ProxySG, Microsoft TMG/ISA, Cisco WSA W3C, IIS"
        case .bluecoatW3C: return "Blue Coat ProxySG ELFF without a header, in bcreportermain_v1 order (a #Fields: line still takes over)"
        case .bluecoatKV: return "Blue Coat / Symantec Edge SWG access log forwarded as ELFF key=value (c-ip=… cs-host=… sc-filter-result=…)"
        case .ciscoWSA: return "Cisco WSA (Secure Web Appliance) native access log: Squid-like with ACL decision tag and <verdict> block"
        case .zscalerJSON: return "Zscaler NSS web log, JSON feed (Splunk/Sentinel/Sumo style, {\"sourcetype\":\"zscalernss-web\",\"event\":{…}} or bare)"
        case .zscalerCSV: return "Zscaler NSS web log, CSV or tab-separated feed (default NSS field order, or a header row of NSS names)"
        case .zscalerKV: return "Zscaler NSS web log, key=value feed (tab, ^^ or space separated; LEEF too)"
        case .fortigate: return "FortiGate key=value syslog: web filter records (other types and subtypes are skipped)"
        case .skyhigh: return "Skyhigh / McAfee Web Gateway key=\"value\" access log (on-premises and cloud SWG)"
        case .forcepointCSV: return "Forcepoint Web Security CSV export (Elastic's column order, or the export's header row)"
        case .cef: return "ArcSight CEF from web gateways: Forcepoint, Palo Alto, FortiGate, Skyhigh, Zscaler..."
        case .paloAlto: return "Palo Alto Networks PAN-OS THREAT/url log: syslog CSV or Cortex Data Lake JSON"
        case .squidGuard: return "squidGuard redirect log (Request(src/dest/-) URL client/fqdn ident method REDIRECT)"
        case .ufdbGuard: return "ufdbGuard log (BLOCK/PASS user client acl category URL method)"
        case .json: return "JSON lines with a field mapping (--field-map / --field-map-file; ECS names by default)"
        case .postfix, .exim, .exchangeTracking, .m365MessageTrace: return mailDescription
        @unknown default: return rawValue
        }
    }

    /// The fields the parser reads, in the format's own names.
    public var fieldsRead: String {
        switch self {
        case .squidNative: return "%ts.%03tu %>a %Ss/%03>Hs %<st %rm %ru %[un"
        case .squidCommon, .squidCombined: return "%>a %[un [%tl] \"%rm %ru\" %>Hs %<st %Ss (+ User-Agent)"
        case .w3c, .bluecoatW3C:
            return "date time | x-timestamp-unix | timestamp, c-ip, cs-username | cs-userdn, cs-method | s-operation, cs-uri | cs-url | c-url or cs-uri-scheme cs-host | r-host cs-uri-port cs-uri-path | cs-uri-stem cs-uri-query, sc-status, sc-filter-result, s-action, action, x-acltag, x-resultcode-httpstatus, sc-bytes, cs-bytes, cs(User-Agent) | c-agent"
        case .bluecoatKV: return "the same ELFF names as w3c, as key=value pairs; time from the syslog header"
        case .ciscoWSA: return "timestamp, client, result/status, bytes, method, URL, user, ACL decision tag (BLOCK_*/DROP_* = denied)"
        case .zscalerJSON, .zscalerCSV, .zscalerKV:
            return "time | datetime | epochtime, login | user | usrName, cip | cltip | ClientIP | src, url | eurl, host | hostname, proto | protocol, action, reqmethod | requestmethod, respcode | status, reqsize | requestsize | srcBytes, respsize | responsesize | dstBytes, ua | useragent, sourcetype"
        case .fortigate: return "date time tz | eventtime, type subtype, srcip, user, hostname, url, action, sentbyte, rcvdbyte, method, agent"
        case .skyhigh: return "date | request_timestamp_epoch, username, source_ip | client_ip, destination_host | requested_host, http_request_first_line | http_action uri_scheme requested_path, http_status_code, block_id | result, source_bytes | client_to_server_bytes, destination_bytes | server_to_client_bytes, user_agent"
        case .forcepointCSV: return "Date, Time, User, Action, URL, Source IP, HTTP Status Code, Request Method, User Agent (+ Bytes Sent / Bytes Received when the export has them)"
        case .cef: return "act, rt | start, src, suser | duser | loginID, request | dhost, requestMethod, out, in, requestClientApplication"
        case .paloAlto: return "Generated Time, Source Address, Source User, Action, URL/Filename, Application, HTTP method, User Agent"
        case .squidGuard: return "date time, URL, client/fqdn, ident, method, REDIRECT"
        case .ufdbGuard: return "date time, BLOCK|PASS, user, client, category, URL, method"
        case .json: return "any of: " + JSONFieldMap.Field.allCases.map(\.rawValue).joined(separator: ", ")
        case .postfix, .exim, .exchangeTracking, .m365MessageTrace: return mailFieldsRead
        @unknown default: return ""
        }
    }

    public var requestSize: RequestSize {
        switch self {
        case .squidNative, .squidCommon, .squidCombined, .ciscoWSA, .paloAlto, .squidGuard, .ufdbGuard: return .never
        case .forcepointCSV, .w3c, .bluecoatW3C, .bluecoatKV, .json, .cef: return .whenLogged
        case .zscalerJSON, .zscalerCSV, .zscalerKV, .fortigate, .skyhigh: return .always
        case .postfix, .exim, .exchangeTracking, .m365MessageTrace: return .never
        @unknown default: return .never
        }
    }

    /// The parser for this format with no header seen yet, as an existential: for tools, not the hot loop.
    public var parser: any LogLineParser { makeParser(context: nil) }

    /// The parser for a chunk that starts under `context`.
    public func makeParser(context: ParserContext?) -> any LogLineParser {
        let header: [UInt8]?
        if case .header(let bytes)? = context { header = bytes } else { header = nil }
        switch self {
        case .squidNative: return SquidNativeParser()
        case .squidCommon, .squidCombined: return SquidCommonParser()
        case .w3c: return W3CParser(header: header)
        case .bluecoatW3C: return W3CParser(header: header, blueCoatDefault: true)
        case .bluecoatKV: return BlueCoatKeyValueParser()
        case .ciscoWSA: return CiscoWSAParser()
        case .zscalerJSON: return ZscalerNSSJSONParser()
        case .zscalerCSV: return ZscalerNSSCSVParser(header: header)
        case .zscalerKV: return ZscalerNSSKeyValueParser()
        case .fortigate: return FortiGateParser()
        case .skyhigh: return SkyhighWebGatewayParser()
        case .forcepointCSV: return ForcepointCSVParser(header: header)
        case .cef: return CEFParser()
        case .paloAlto: return PaloAltoURLParser()
        case .squidGuard: return SquidGuardParser()
        case .ufdbGuard: return UfdbGuardParser()
        case .json:
            if case .fieldMap(let map)? = context { return GenericJSONParser(map: map) }
            return GenericJSONParser()
        case .postfix, .exim, .exchangeTracking, .m365MessageTrace: return mailDetectionParser(context: context)!
        @unknown default: return RejectingParser()
        }
    }

    /// The parser detection tries: stricter where two formats share a parser.
    func detectionParser(fieldMap: JSONFieldMap?) -> any LogLineParser {
        switch self {
        case .squidCombined: return SquidCommonParser(requireUserAgent: true)
        case .json: return makeParser(context: fieldMap.map { .fieldMap($0) })
        default: return parser
        }
    }
}

/// Rejects every line: the parser of a format that is not read as proxy records here.
struct RejectingParser: LogLineParser {
    static let format = LogFormat.json
    func parse(_ line: UnsafeRawBufferPointer, into record: inout ProxyRecord) -> Bool { false }
}
