/// Cisco WSA (Secure Web Appliance, IronPort S-series) native access log: Squid's native fields, then the
/// ACL decision tag and a `<…>` block of scanning verdicts; AsyncOS may insert `CMF:… DCF:… ERR:…` before
/// the tag, and syslog forwarding prefixes `Info: `.
///
/// ```
/// 1651830000.175 430 192.168.30.103 TCP_DENIED/403 0 TCP_CONNECT tunnel://192.168.34.32:443/ - DIRECT/192.168.34.32 - DROP_WBRS-DefaultGroup-test.id-NONE-NONE-DefaultRouting <IW_csec,-9.1.0,-,…> -
/// ```
/// Denied: an ACL decision tag starting `BLOCK_` or `DROP_`, or a `*_DENIED` result other than 407 (an
/// authentication challenge). `CONNECT`/`TCP_CONNECT` and `tunnel://` URLs are host-only.
public struct CiscoWSAParser: LogLineParser {
    public static let format = LogFormat.ciscoWSA
    public init() {}

    @inline(__always)
    public func parse(_ line: UnsafeRawBufferPointer, into record: inout ProxyRecord) -> Bool {
        var cursor = FieldCursor(line)
        if line.count > 0 && !ASCII.isDigit(line[0]) {
            // `Info: 1649097617.352 ...` (syslog-forwarded); anything else before the timestamp is not WSA.
            guard line.hasPrefix(ByteSpan(start: 0, count: line.count), "Info: ") else { return false }
            cursor.position = 6
        }
        guard let timeField = cursor.nextSpaceSeparated(), let millis = line.parseEpochMillis(timeField),
              let elapsed = cursor.nextSpaceSeparated(), line.parseUInt(elapsed) != nil,
              let client = cursor.nextSpaceSeparated(),
              let codeStatus = cursor.nextSpaceSeparated(),
              let size = cursor.nextSpaceSeparated(), let bytes = line.parseUInt(size),
              let method = cursor.nextSpaceSeparated(),
              let url = cursor.nextSpaceSeparated(),
              let user = cursor.nextSpaceSeparated(),
              cursor.nextSpaceSeparated() != nil,      // hierarchy/peer
              cursor.nextSpaceSeparated() != nil       // MIME type
        else { return false }
        var slash = codeStatus.end - 1
        while slash > codeStatus.start && line[slash] != ASCII.slash { slash -= 1 }
        guard slash > codeStatus.start, let status = line.parseUInt(ByteSpan(start: slash + 1, count: codeStatus.end - slash - 1)) else { return false }
        // The ACL decision tag is the word before the `<verdict>` block.
        var tag = ByteSpan()
        var previous = ByteSpan()
        var sawVerdict = false
        while let word = cursor.nextSpaceSeparated() {
            if line[word.start] == 0x3C { tag = previous; sawVerdict = true; break }
            previous = word
        }
        guard sawVerdict, !tag.isEmpty else { return false }

        record = ProxyRecord()
        record.timeMillis = millis
        record.client = client
        let code = ByteSpan(start: codeStatus.start, count: slash - codeStatus.start)
        record.resultCode = code
        record.status = Int32(truncatingIfNeeded: status)
        record.action = SquidResultCode.action(line: line, code: code, status: record.status)
        if record.action == .allowed && (line.hasPrefix(tag, "BLOCK_") || line.hasPrefix(tag, "DROP_")) { record.action = .denied }
        record.bytesToClient = bytes
        record.method = method
        record.url = url
        if !(user.count == 1 && line[user.start] == ASCII.dash) { record.user = user }
        _ = line.splitURL(url, into: &record)
        record.hostOnly = line.equals(method, "CONNECT") || line.equals(method, "TCP_CONNECT") || line.hasPrefix(url, "tunnel://")
        return true
    }
}
