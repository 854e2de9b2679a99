/// Recognises a file's format from its first lines: every parser tries up to `sampleLines` non-empty
/// lines and the one that parses most wins (the more specific format on a tie).
public enum FormatDetector {
    public struct Detection: Sendable {
        public let format: LogFormat
        public let parsedLines: Int
        public let sampledLines: Int
        public var reason: String { "\(parsedLines) of the first \(sampledLines) lines parse as \(format.rawValue)" }
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

    /// nil when no format parses any sampled line.
    public static func detect(_ prefix: UnsafeRawBufferPointer) -> Detection? {
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
        guard !lines.isEmpty else { return nil }
        var best: Detection?
        var record = ProxyRecord()
        for format in preference {
            let parser = format.detectionParser
            let parsed = lines.reduce(0) { $0 + (parser.parse($1, into: &record) ? 1 : 0) }
            if parsed > (best?.parsedLines ?? 0) {
                best = Detection(format: format, parsedLines: parsed, sampledLines: lines.count)
            }
        }
        return best
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

extension LogFormat {
    /// The parser for this format, as an existential: for tools, not the hot loop.
    public var parser: any LogLineParser {
        switch self {
        case .squidNative: return SquidNativeParser()
        case .squidCommon, .squidCombined: return SquidCommonParser()
        }
    }

    /// The parser detection tries: stricter where two formats share a parser.
    var detectionParser: any LogLineParser {
        self == .squidCombined ? SquidCommonParser(requireUserAgent: true) : parser
    }
}
