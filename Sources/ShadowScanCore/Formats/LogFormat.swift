/// The log formats ShadowScan reads. The raw value is the name `--log-format` takes.
public enum LogFormat: String, CaseIterable, Sendable {
    case squidNative = "squid-native"
    case squidCommon = "squid-common"
    case squidCombined = "squid-combined"
    case w3c = "w3c"
    case bluecoatW3C = "bluecoat-w3c"
    case bluecoatKV = "bluecoat-kv"
    case ciscoWSA = "cisco-wsa"
    case zscalerJSON = "zscaler-nss-json"
    case zscalerCSV = "zscaler-nss-csv"
    case zscalerKV = "zscaler-nss-kv"
    case fortigate = "fortigate"
    case skyhigh = "skyhigh-web-gateway"
    case forcepointCSV = "forcepoint-csv"
    case cef = "cef"
    case paloAlto = "paloalto-url"
    case squidGuard = "squidguard"
    case ufdbGuard = "ufdbguard"
    case json = "json"
    // Mail gateways (message events, not proxy records: Analysis/MailWorker.swift).
    case postfix = "postfix"
    case exim = "exim"
    case exchangeTracking = "exchange-tracking"
    case m365MessageTrace = "m365-message-trace"

    public var summary: String {
        switch self {
        case .squidNative: return "Squid native access.log (logformat squid)"
        case .squidCommon: return "Squid common log format (logformat common: %>a %[ui %[un [%tl] \"%rm %ru HTTP/%rv\" %>Hs %<st %Ss:%Sh)"
        case .squidCombined: return "Squid combined log format (common + \"referer\" \"user agent\")"
        default: return description
        }
    }

    /// Whether records in this format can carry the request size (bytes from the client).
    public var hasRequestSize: Bool { requestSize != .never }
}

/// One parser per format. `parse` reads one line (without its newline) and fills `record` with spans
/// into that line; it returns false for a malformed line. Implementations are value types with no
/// per-line allocation; the pipeline is generic over them so each is specialised.
public protocol LogLineParser: Sendable {
    static var format: LogFormat { get }
    func parse(_ line: UnsafeRawBufferPointer, into record: inout ProxyRecord) -> Bool
    /// True for formats whose header lines configure the parser (W3C `#Fields:`, a CSV header row):
    /// the hot loop then offers each line to `directive` before `parse`.
    static var hasDirectives: Bool { get }
    /// Reads `line` if it is a header or comment line of the format (counted as skipped, not malformed).
    mutating func directive(_ line: UnsafeRawBufferPointer) -> Bool
}

extension LogLineParser {
    public static var hasDirectives: Bool { false }
    public mutating func directive(_ line: UnsafeRawBufferPointer) -> Bool { false }
}
