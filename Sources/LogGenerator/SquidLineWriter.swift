/// One access-log record, as bytes ready to be laid out in any of the three formats.
struct SquidRecord {
    var millis: Int64 = 0
    /// Only used by common/combined (`%tl` is local time with its offset).
    var utcOffsetMinutes = 0
    var elapsed = 0
    var client: [UInt8] = []
    /// `%Ss`, e.g. `TCP_MISS`.
    var resultCode: [UInt8] = []
    var status = 0
    var bytes = 0
    var method: [UInt8] = []
    var url: [UInt8] = []
    /// `-` when unauthenticated.
    var user: [UInt8] = []
    /// `%Sh`, e.g. `HIER_DIRECT`.
    var hierarchy: [UInt8] = []
    /// `%<a`: server address, or `-`.
    var peer: [UInt8] = []
    var mime: [UInt8] = []
    var httpVersion: [UInt8] = []
    var referer: [UInt8] = []
    var userAgent: [UInt8] = []
}

enum SquidLineWriter {
    private static let space = UInt8(ascii: " ")
    private static let quote = UInt8(ascii: "\"")

    /// Appends the record's line (with its newline) to `out`.
    static func append(_ r: SquidRecord, format: SquidLogFormat, to out: inout [UInt8]) {
        switch format {
        case .w3c, .zscalerJSON, .skyhigh:
            GatewayLineWriter.append(r, format: format, to: &out)
            return
        case .native:
            // %ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt
            out.appendSquidTimestamp(millis: r.millis)
            out.append(space)
            out.appendDecimal(r.elapsed, width: 6, pad: space)
            out.append(space)
            out.append(contentsOf: r.client)
            out.append(space)
            out.append(contentsOf: r.resultCode)
            out.append(UInt8(ascii: "/"))
            out.appendDecimal(r.status, width: 3, pad: UInt8(ascii: "0"))
            out.append(space)
            out.appendDecimal(r.bytes)
            out.append(space)
            out.append(contentsOf: r.method)
            out.append(space)
            out.append(contentsOf: r.url)
            out.append(space)
            out.append(contentsOf: r.user)
            out.append(space)
            out.append(contentsOf: r.hierarchy)
            out.append(UInt8(ascii: "/"))
            out.append(contentsOf: r.peer)
            out.append(space)
            out.append(contentsOf: r.mime)
        case .common, .combined:
            // %>a %[ui %[un [%tl] "%rm %ru HTTP/%rv" %>Hs %<st ["referer" "user agent"] %Ss:%Sh
            out.append(contentsOf: r.client)
            out.append(contentsOf: " - ".utf8)
            out.append(contentsOf: r.user)
            out.append(contentsOf: " [".utf8)
            out.appendCommonLogTime(millis: r.millis, utcOffsetMinutes: r.utcOffsetMinutes)
            out.append(contentsOf: "] \"".utf8)
            out.append(contentsOf: r.method)
            out.append(space)
            out.append(contentsOf: r.url)
            out.append(contentsOf: " HTTP/".utf8)
            out.append(contentsOf: r.httpVersion)
            out.append(contentsOf: "\" ".utf8)
            out.appendDecimal(r.status)
            out.append(space)
            out.appendDecimal(r.bytes)
            if format == .combined {
                // Squid's `logformat combined`: ... %<st "%{Referer}>h" "%{User-Agent}>h" %Ss:%Sh
                out.append(contentsOf: " \"".utf8)
                out.append(contentsOf: r.referer)
                out.append(contentsOf: "\" \"".utf8)
                out.append(contentsOf: r.userAgent)
                out.append(quote)
            }
            out.append(space)
            out.append(contentsOf: r.resultCode)
            out.append(UInt8(ascii: ":"))
            out.append(contentsOf: r.hierarchy)
        }
        out.append(UInt8(ascii: "\n"))
    }
}
