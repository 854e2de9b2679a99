/// Blue Coat / Symantec ProxySG (Edge SWG) access logs forwarded as ELFF key=value pairs, as the
/// `splunk_format` and similar custom formats write them. The keys are W3C/ELFF field names, read with
/// the same meanings as the `w3c` format; the time comes from `date`/`time` pairs or the ISO timestamp
/// that starts the syslog line.
///
/// ```
/// 2024-01-12T09:46:02PROXY01.EXAMPLE.ORG bluecoat - access_log - c-ip=1.2.3.4 cs-bytes=63 cs-categories="none" cs-host=example.org cs-method=CONNECT cs-uri-port=443 cs-uri-scheme=tcp cs-username=- s-action=TCP_ACCELERATED sc-bytes=39 sc-filter-result=OBSERVED sc-status=200 c-url="tcp://example.org:443/" …
/// ```
public struct BlueCoatKeyValueParser: LogLineParser {
    public static let format = LogFormat.bluecoatKV
    let scratch = ParserScratch()
    public init() {}

    public func parse(_ line: UnsafeRawBufferPointer, into record: inout ProxyRecord) -> Bool {
        // A syslog line that starts with an ISO time; the pairs follow.
        let stamp = line.count >= 19 ? TimeParsing.iso8601(line, ByteSpan(start: 0, count: 19)) : nil
        var f = W3CValues()
        var known = 0
        var scanner = KeyValueScanner(line)
        while let pair = scanner.next() {
            let role = W3CRole.named(line, pair.key)
            guard role != .ignore else { continue }
            known += 1
            f.set(role, line.isNoValue(pair.value) ? ByteSpan(start: pair.value.start, count: 0) : pair.value)
        }
        guard known >= 4 else { return false }
        return f.build(line, scratch, fallbackTime: stamp, &record)
    }
}
