/// Zscaler NSS web logs as key=value: pairs separated by tabs (the QRadar LEEF feed), by `^^` (the RSA
/// NetWitness feed) or by spaces, with NSS field names. A LEEF header's event name (`Allowed`, `Blocked`)
/// is the action.
///
/// ```
/// <134>Jun 23 15:16:42 zscaler-nss: LEEF:1.0|Zscaler|NSS|4.1|Blocked|cat=Web Search	devTime=…	src=10.1.2.3	usrName=jdoe@example.com	url=www.example.com/a	hostname=www.example.com	reqmethod=GET	respcode=403	srcBytes=600	dstBytes=65
/// ZSCALERNSS: time=Mon Jun 23 15:16:42 2017^^action=Allowed^^hostname=www.example.com^^url=…^^ClientIP=10.1.2.3^^user=jdoe^^requestsize=600^^responsesize=65
/// ```
public struct ZscalerNSSKeyValueParser: LogLineParser {
    public static let format = LogFormat.zscalerKV
    let scratch = ParserScratch()
    public init() {}

    public func parse(_ line: UnsafeRawBufferPointer, into record: inout ProxyRecord) -> Bool {
        var values = ZscalerValues()
        var start = 0
        // LEEF:1.0|Vendor|Product|Version|EventID|attributes
        if let leef = Self.find(line, "LEEF:"), SyslogPrefix.isPlain(line, upTo: leef) {
            var bars = 0, i = leef
            var eventStart = 0
            while i < line.count && bars < 5 {
                if line[i] == ASCII.pipe { bars += 1; if bars == 4 { eventStart = i + 1 } ; if bars == 5 { values.action = ByteSpan(start: eventStart, count: i - eventStart) } }
                i += 1
            }
            guard bars == 5 else { return false }
            start = i
        }
        var scanner = KeyValueScanner(line, from: start, caretSeparated: true)
        var fields = 0
        while let pair = scanner.next() {
            let field = ZscalerField.named(line, pair.key)
            guard field != .ignore else { continue }
            fields += 1
            values.set(field, pair.value)
        }
        guard fields >= 3 else { return false }
        // Template placeholders (`<hostname>`) are not values.
        if values.host.count > 0 && line[values.host.start] == 0x3C { return false }
        return values.build(line, scratch, &record)
    }

    static func find(_ line: UnsafeRawBufferPointer, _ literal: StaticString) -> Int? {
        let m = literal.utf8CodeUnitCount
        guard line.count >= m else { return nil }
        for i in 0...(line.count - m) where line.hasPrefix(ByteSpan(start: i, count: line.count - i), literal) { return i }
        return nil
    }
}

/// What may come before `CEF:` or `LEEF:` on a line: a syslog header (`<134>Jun 23 15:16:42 host app: `),
/// never a quote or a brace (then the line is a JSON document that merely quotes a CEF message).
enum SyslogPrefix {
    static func isPlain(_ line: UnsafeRawBufferPointer, upTo end: Int) -> Bool {
        guard end <= 256 else { return false }
        for i in 0..<end where line[i] == ASCII.quote || line[i] == ASCII.openBrace { return false }
        return true
    }
}
