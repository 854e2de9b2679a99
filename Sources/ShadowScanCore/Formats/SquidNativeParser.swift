/// Squid's native format (`logformat squid`):
/// `%ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt`
///
/// ```
/// 1431966856.793  48016 ::1 TCP_MISS/200 16674 CONNECT 0.docs.google.com:443 - DIRECT/173.194.206.189 -
/// ```
/// The first seven fields are required; user, hierarchy and MIME type may be missing in older logs.
public struct SquidNativeParser: LogLineParser {
    public static let format = LogFormat.squidNative
    public init() {}

    @inline(__always)
    public func parse(_ line: UnsafeRawBufferPointer, into record: inout ProxyRecord) -> Bool {
        var cursor = FieldCursor(line)
        guard let timeField = cursor.nextSpaceSeparated(), let millis = line.parseEpochMillis(timeField),
              let elapsed = cursor.nextSpaceSeparated(), line.parseUInt(elapsed) != nil,
              let client = cursor.nextSpaceSeparated(),
              let codeStatus = cursor.nextSpaceSeparated(),
              let size = cursor.nextSpaceSeparated(), let bytes = line.parseUInt(size),
              let method = cursor.nextSpaceSeparated(),
              let url = cursor.nextSpaceSeparated()
        else { return false }

        // "%Ss/%03>Hs": result code, slash, three-digit status.
        var slash = codeStatus.end - 1
        while slash > codeStatus.start && line[slash] != ASCII.slash { slash -= 1 }
        guard slash > codeStatus.start,
              let status = line.parseUInt(ByteSpan(start: slash + 1, count: codeStatus.end - slash - 1))
        else { return false }
        let code = ByteSpan(start: codeStatus.start, count: slash - codeStatus.start)

        record = ProxyRecord()
        record.timeMillis = millis
        record.client = client
        record.resultCode = code
        record.status = Int32(truncatingIfNeeded: status)
        record.action = SquidResultCode.action(line: line, code: code, status: record.status)
        record.bytesToClient = bytes
        record.method = method
        record.url = url
        if let user = cursor.nextSpaceSeparated(), !(user.count == 1 && line[user.start] == ASCII.dash) {
            record.user = user
        }
        // A request without a host (Squid's `NONE_NONE/400 GET /favicon.ico`) is still a record.
        _ = line.splitURL(url, into: &record)
        record.hostOnly = line.equals(method, "CONNECT")
        return true
    }
}
