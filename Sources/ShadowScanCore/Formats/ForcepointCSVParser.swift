/// Forcepoint Web Security CSV export (one quoted row per request). Columns follow Elastic's
/// `forcepoint_web` order (date, time, user, workstation, category, action, risk class, policy, URL,
/// connection IP, destination IP, source IP, threat type, threat name, user agent, status, method) unless
/// the export starts with its header row ("Date","Time","User",…), which then decides the columns and
/// may add "Bytes Sent" / "Bytes Received".
///
/// ```
/// "16/12/2022","07:05:38","dom.ag015@…","u123456","Information Technology","Allowed","Business Usage","Org Internal Workstations","HTTPS://ss-prod-an1-notif-37.aws.adobess.com/api/v1/notifications","203.0.113.126","192.0.2.182","10.0.0.8","None","None","CoreSync: 6.1.0.10 …","200","Get"
/// ```
/// Dates are day/month/year. `Blocked` is a denial. The client is the source IP when known, else the
/// connection IP; "Not available" and "anonymous" users have no name.
public struct ForcepointCSVParser: LogLineParser {
    public static let format = LogFormat.forcepointCSV
    public static var hasDirectives: Bool { true }

    enum Column: UInt8 { case ignore, date, time, user, action, url, connectionIP, sourceIP, agent, status, method, bytesSent, bytesReceived }

    var columns: [Column]
    let scratch = ParserScratch()

    static let defaultColumns: [Column] = [.date, .time, .user, .ignore, .ignore, .action, .ignore, .ignore, .url, .connectionIP,
                                           .ignore, .sourceIP, .ignore, .ignore, .agent, .status, .method]

    public init(header: [UInt8]? = nil) {
        columns = Self.defaultColumns
        if let header, let compiled = Self.columns(fromHeader: header) { columns = compiled }
    }

    static func columns(fromHeader bytes: [UInt8]) -> [Column]? {
        bytes.withUnsafeBytes { line -> [Column]? in
            guard CSVHeader.looksLikeHeader(line) else { return nil }
            let columns = CSVHeader.names(line).map { name -> Column in
                switch name {
                case "date": return .date
                case "time": return .time
                case "user", "user name", "username": return .user
                case "action", "disposition": return .action
                case "url", "full url", "url   full", "url full": return .url
                case "connection ip": return .connectionIP
                case "source ip", "source ip address": return .sourceIP
                case "user agent string", "user agent": return .agent
                case "http status code", "status code": return .status
                case "http request method", "request method": return .method
                case "bytes sent": return .bytesSent
                case "bytes received": return .bytesReceived
                default: return .ignore
                }
            }
            return columns.contains(.url) && columns.contains(.date) ? columns : nil
        }
    }

    public mutating func directive(_ line: UnsafeRawBufferPointer) -> Bool {
        guard line.count > 0, !ASCII.isDigit(line[0]) && !(line.count > 1 && line[0] == ASCII.quote && ASCII.isDigit(line[1])),
              let compiled = Self.columns(fromHeader: Array(line)) else { return false }
        columns = compiled
        return true
    }

    public func parse(_ line: UnsafeRawBufferPointer, into record: inout ProxyRecord) -> Bool {
        var date = ByteSpan(), time = ByteSpan(), user = ByteSpan(), action = ByteSpan(), url = ByteSpan(), connectionIP = ByteSpan()
        var sourceIP = ByteSpan(), agent = ByteSpan(), status = ByteSpan(), method = ByteSpan(), sent = ByteSpan(), received = ByteSpan()
        var scanner = DelimitedScanner(line, separator: ASCII.comma)
        var count = 0
        columns.withUnsafeBufferPointer { columns in
            while count < columns.count, let field = scanner.next() {
                switch columns[count] {
                case .ignore: break
                case .date: date = field
                case .time: time = field
                case .user: user = field
                case .action: action = field
                case .url: url = field
                case .connectionIP: connectionIP = field
                case .sourceIP: sourceIP = field
                case .agent: agent = field
                case .status: status = field
                case .method: method = field
                case .bytesSent: sent = field
                case .bytesReceived: received = field
                }
                count += 1
            }
        }
        guard count == columns.count, let day = TimeParsing.dmy(line, date) ?? TimeParsing.ymd(line, date),
              let millis = TimeParsing.withTime(line, date: day, rest: time), !url.isEmpty else { return false }
        record = ProxyRecord()
        record.timeMillis = millis
        if let code = line.parseUInt(status) { record.status = Int32(truncatingIfNeeded: code) }
        if let bytes = line.parseUInt(received) { record.bytesToClient = bytes }
        if let bytes = line.parseUInt(sent) { record.bytesFromClient = bytes }
        if ActionWords.isDenial(line, action) { record.action = .denied }
        let connect = line.equalsIgnoringCase(method, "CONNECT")
        record.hostOnly = connect
        let out = RecordAssembler(scratch: scratch, line: line)
        func unknown(_ span: ByteSpan) -> Bool { line.isNoValue(span) || line.equals(span, "Not available") }
        record.client = out.copy(unknown(sourceIP) ? (unknown(connectionIP) ? ByteSpan() : connectionIP) : sourceIP)
        record.user = out.copy(unknown(user) || line.equalsIgnoringCase(user, "anonymous") ? ByteSpan() : user)
        // `Get`, `Post`, `Connect`: upper-cased so upload rules (`methods: [POST, PUT]`) match.
        let m = out.scratch.count
        for i in method.start..<method.end { let b = line[i]; out.scratch.append(byte: b >= 0x61 && b <= 0x7A ? b - 0x20 : b) }
        record.method = ByteSpan(start: m, count: out.scratch.count - m)
        record.userAgent = out.copy(unknown(agent) ? ByteSpan() : agent)
        if RecordAssembler.schemeEnd(line, url) != nil {
            record.url = out.schemedURL(url, defaultScheme: "http")
        } else {
            // `host:443/` for a CONNECT.
            var end = url.end
            if connect && end > url.start && line[end - 1] == ASCII.slash { end -= 1 }
            record.url = out.copy(ByteSpan(start: url.start, count: end - url.start))
        }
        out.finish(&record)
        return true
    }
}
