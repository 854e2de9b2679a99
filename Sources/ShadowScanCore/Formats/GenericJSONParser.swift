/// JSON lines in any shape, read through a field mapping (`--field-map`, `--field-map-file`; ECS names
/// by default): logs exported from Elastic, Vector, Fluent Bit or a SIEM.
///
/// ```
/// {"@timestamp":"2026-11-02T07:00:01.123Z","source":{"ip":"10.1.2.3"},"user":{"name":"jsmith"},"url":{"original":"https://www.dropbox.com/home","domain":"www.dropbox.com"},"http":{"request":{"method":"GET","bytes":420},"response":{"status_code":200,"bytes":5123}},"event":{"action":"allowed"}}
/// ```
/// A mapped path matches nested objects and flattened keys alike (`url.domain` finds `{"url":{"domain":…}}`
/// and `{"url.domain":…}`). `time` may be ISO 8601 or epoch seconds/milliseconds. The URL is `url`, or is
/// composed from `scheme`, `host`, `port`, `path` and `query`; with only a host the record is host-only.
/// An `action` value in the map's `denied` list is a denial (any case). A line that is not one JSON
/// object, or has no time or host, is malformed.
public struct GenericJSONParser: LogLineParser {
    public static let format = LogFormat.json
    let map: JSONFieldMap
    /// The mapped fields with their paths, in one flat array (read per leaf without dictionary lookups).
    private let fields: [(field: JSONFieldMap.Field, path: [UInt8])]
    let scratch = ParserScratch()

    public init(map: JSONFieldMap = .ecs) {
        self.map = map
        fields = JSONFieldMap.Field.allCases.compactMap { f in map.paths[f].map { (f, $0) } }
    }

    /// True when the keys on `path` followed by `key`, joined by dots, spell `target`.
    @inline(__always)
    static func matches(_ line: UnsafeRawBufferPointer, _ path: borrowing JSONWalker.Path, _ key: ByteSpan, _ target: [UInt8]) -> Bool {
        var length = key.count + path.depth
        for d in 0..<path.depth { length += path.key(d).count }
        guard length == target.count else { return false }
        var at = 0
        for d in 0...path.depth {
            let segment = d < path.depth ? path.key(d) : key
            for k in 0..<segment.count where line[segment.start + k] != target[at + k] { return false }
            at += segment.count
            if d < path.depth { guard target[at] == ASCII.dot else { return false }; at += 1 }
        }
        return true
    }

    public func parse(_ line: UnsafeRawBufferPointer, into record: inout ProxyRecord) -> Bool {
        var time = ByteSpan(), client = ByteSpan(), user = ByteSpan(), method = ByteSpan(), url = ByteSpan(), scheme = ByteSpan()
        var host = ByteSpan(), port = ByteSpan(), path = ByteSpan(), query = ByteSpan(), status = ByteSpan(), action = ByteSpan()
        var bytesIn = ByteSpan(), bytesOut = ByteSpan(), agent = ByteSpan()
        var escaped = false
        let fields = self.fields
        let ok = JSONWalker.walk(line) { keys, key, value, kind in
            guard kind != .array, !(kind == .literal) else { return }
            for (field, target) in fields where Self.matches(line, keys, key, target) {
                if kind == .string && !escaped && line.containsBackslash(value) { escaped = true }
                switch field {
                case .time: time = value
                case .client: client = value
                case .user: user = value
                case .method: method = value
                case .url: url = value
                case .scheme: scheme = value
                case .host: host = value
                case .port: port = value
                case .path: path = value
                case .query: query = value
                case .status: status = value
                case .action: action = value
                case .bytesIn: bytesIn = value
                case .bytesOut: bytesOut = value
                case .userAgent: agent = value
                }
            }
        }
        guard ok, let millis = TimeParsing.any(line, time), !url.isEmpty || !host.isEmpty else { return false }
        record = ProxyRecord()
        record.timeMillis = millis
        if let code = line.parseUInt(status) { record.status = Int32(truncatingIfNeeded: code) }
        if let bytes = line.parseUInt(bytesIn) { record.bytesToClient = bytes }
        if let bytes = line.parseUInt(bytesOut) { record.bytesFromClient = bytes }
        if !action.isEmpty {
            for denied in map.deniedValues where denied.count == action.count {
                var same = true
                for k in 0..<action.count where (line[action.start + k] | 0x20) != denied[k] { same = false; break }
                if same { record.action = record.status == 407 ? .challenge : .denied; break }
            }
        }
        if record.action == .allowed && record.status == 407 { record.action = .challenge }
        let connect = line.equalsIgnoringCase(method, "CONNECT")
        let out = RecordAssembler(scratch: scratch, line: line)
        record.client = out.copyJSON(client, escaped: escaped)
        record.user = out.copyJSON(line.isNoValue(user) ? ByteSpan() : user, escaped: escaped)
        record.method = out.copyJSON(method, escaped: false)
        record.userAgent = out.copyJSON(agent, escaped: escaped)
        if !url.isEmpty {
            let decoded = out.copyJSON(url, escaped: escaped)
            record.url = decoded
            record.hostOnly = connect
        } else {
            let tunnel = connect || path.isEmpty
            record.hostOnly = tunnel
            record.url = out.composeURL(scheme: scheme, host: host, port: line.parseUInt(port) ?? (tunnel ? 443 : 0), path: path, query: query, tunnel: tunnel)
        }
        out.finish(&record)
        return true
    }
}
