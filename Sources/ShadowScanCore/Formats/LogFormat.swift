/// The log formats ShadowScan reads. The raw value is the name `--log-format` takes.
public enum LogFormat: String, CaseIterable, Sendable {
    case squidNative = "squid-native"
    case squidCommon = "squid-common"
    case squidCombined = "squid-combined"

    public var summary: String {
        switch self {
        case .squidNative: return "Squid native access.log (logformat squid)"
        case .squidCommon: return "Squid common log format (logformat common: %>a %[ui %[un [%tl] \"%rm %ru HTTP/%rv\" %>Hs %<st %Ss:%Sh)"
        case .squidCombined: return "Squid combined log format (common + \"referer\" \"user agent\")"
        }
    }

    /// Whether records in this format carry the request size (bytes from the client).
    public var hasRequestSize: Bool { false }
}

/// One parser per format. `parse` reads one line (without its newline) and fills `record` with spans
/// into that line; it returns false for a malformed line. Implementations are value types with no
/// per-line allocation; the pipeline is generic over them so each is specialised.
public protocol LogLineParser: Sendable {
    static var format: LogFormat { get }
    func parse(_ line: UnsafeRawBufferPointer, into record: inout ProxyRecord) -> Bool
}
