/// Recognises a file's format from its first lines: every parser tries up to `sampleLines` non-empty
/// lines and the one that parses most wins (the more specific format on a tie).
public enum FormatDetector {
    public struct Detection: Sendable {
        public let format: LogFormat
        public let parsedLines: Int
        public let sampledLines: Int
        /// Header or comment lines of the format among the first lines (W3C `#Fields:`, a CSV header).
        public var headerLines = 0
        public var reason: String {
            let header = headerLines > 0 ? " after \(headerLines) header line\(headerLines == 1 ? "" : "s")" : ""
            return "\(parsedLines) of the first \(sampledLines) lines\(header) parse as \(format.rawValue)"
        }
    }

    public static let sampleLines = 20
    /// Most specific first, so a tie goes to the format that explains more: WSA lines also parse as Squid
    /// native, combined lines as common, a W3C file with a header also as header-less Blue Coat.
    public static let preference: [LogFormat] = [
        .w3c, .bluecoatKV, .ciscoWSA, .squidCombined, .squidCommon, .squidNative, .bluecoatW3C,
        .zscalerJSON, .paloAlto, .fortigate, .skyhigh, .forcepointCSV, .cef, .zscalerKV, .zscalerCSV,
        .squidGuard, .ufdbGuard, .json,
        .postfix, .exim, .exchangeTracking, .m365MessageTrace,
    ]

    /// nil when no format parses any sampled line. `fieldMap`: the mapping generic JSON lines are tried
    /// with (ECS field names when nil).
    public static func detect(_ prefix: UnsafeRawBufferPointer, fieldMap: JSONFieldMap? = nil) -> Detection? {
        let lines = sample(prefix)
        guard !lines.isEmpty else { return nil }
        var best: Detection?
        var record = ProxyRecord()
        for format in preference {
            var parser = format.detectionParser(fieldMap: fieldMap)
            var parsed = 0, headers = 0
            for line in lines {
                if type(of: parser).hasDirectives && parser.directive(line) { headers += 1 }
                else if parser.parse(line, into: &record) { parsed += 1 }
            }
            // A quarter of the lines at least: a JSON test case that happens to quote one log line
            // is not a log in that format.
            if parsed > (best?.parsedLines ?? 0) && parsed * 4 >= lines.count - headers {
                best = Detection(format: format, parsedLines: parsed, sampledLines: lines.count - headers, headerLines: headers)
            }
        }
        return best
    }

    /// Up to `sampleLines` non-empty lines from the start of `prefix` (a last line without its newline
    /// counts only when the prefix ends there).
    static func sample(_ prefix: UnsafeRawBufferPointer) -> [UnsafeRawBufferPointer] {
        var lines: [UnsafeRawBufferPointer] = []
        var start = 0
        while start < prefix.count && lines.count < sampleLines {
            var end = start
            while end < prefix.count && prefix[end] != 0x0A { end += 1 }
            var lineEnd = end
            if lineEnd > start && prefix[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            if lineEnd > start { lines.append(UnsafeRawBufferPointer(rebasing: prefix[start..<lineEnd])) }
            start = end + 1
        }
        return lines
    }

    /// The first line of `prefix`, printable and bounded, for "not in a known format" messages.
    public static func firstLinePreview(_ prefix: UnsafeRawBufferPointer, limit: Int = 120) -> String {
        var bytes: [UInt8] = []
        for b in prefix {
            if b == 0x0A || bytes.count >= limit { break }
            bytes.append(b >= 0x20 && b < 0x7F ? b : UInt8(ascii: "?"))
        }
        let text = String(decoding: bytes, as: UTF8.self)
        return prefix.count > bytes.count && bytes.count >= limit ? text + "…" : text
    }
}
