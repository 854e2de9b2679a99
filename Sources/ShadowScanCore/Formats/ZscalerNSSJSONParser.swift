/// Zscaler NSS web logs, JSON feed: the Splunk/Sentinel form `{"sourcetype":"zscalernss-web","event":{…}}`
/// or a bare object of NSS fields, one per line.
///
/// ```
/// {"sourcetype":"zscalernss-web","event":{"time":"Fri Dec 31 07:07:07 2021","login":"test@example.com","proto":"HTTP","eurl":"www.example.com","action":"Blocked","reqsize":"600","respsize":"65","cip":"81.2.69.193","reqmethod":"CONNECT","respcode":"200",…}}
/// ```
/// Keys are matched at any depth (only their names count); string escapes are decoded in the values
/// used. Records of other NSS feeds (audit, dns, firewall, tunnel) are skipped; a pretty-printed object
/// spread over several lines is malformed (one record per line is the feed's format).
public struct ZscalerNSSJSONParser: LogLineParser {
    public static let format = LogFormat.zscalerJSON
    let scratch = ParserScratch()
    public init() {}

    public func parse(_ line: UnsafeRawBufferPointer, into record: inout ProxyRecord) -> Bool {
        var values = ZscalerValues()
        var fields = 0
        var escaped = false
        let wellFormed = JSONWalker.walk(line) { _, key, value, kind in
            let field = ZscalerField.named(line, key)
            guard field != .ignore, kind != .array else { return }
            fields += 1
            if kind == .string && !escaped && line.containsBackslash(value) { escaped = true }
            values.set(field, value)
        }
        guard wellFormed, fields >= 3 || !values.sourceType.isEmpty else { return false }
        values.escaped = escaped
        return values.build(line, scratch, &record)
    }
}
