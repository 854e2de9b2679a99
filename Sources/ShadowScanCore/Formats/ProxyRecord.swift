/// A field of a log line: a byte range relative to the start of the line. Parsers never copy bytes.
public struct ByteSpan: Equatable, Sendable {
    public var start: Int
    public var count: Int
    public init(start: Int = 0, count: Int = 0) { self.start = start; self.count = count }
    @inlinable public var isEmpty: Bool { count == 0 }
    @inlinable public var end: Int { start + count }
}

/// What the proxy did with a request, as far as policy goes.
public enum ProxyAction: UInt8, Sendable {
    case allowed
    /// Refused by policy (Squid `TCP_DENIED/403`, `*_DENIED` codes other than 407, a filter's block).
    case denied
    /// An authentication challenge (`TCP_DENIED/407`): a request, but neither allowed nor denied.
    case challenge
}

/// The canonical proxy record every format parser fills in. Spans point into the parsed line (or, when
/// `storage` is set, into the parser's scratch buffer); numbers are parsed straight from ASCII. Unknown
/// values stay at their defaults (`-1` for unknown sizes).
public struct ProxyRecord: @unchecked Sendable {
    /// Milliseconds since the Unix epoch, UTC.
    public var timeMillis: Int64 = 0
    public var client = ByteSpan()
    /// Authenticated user name; empty when the log shows none (`-`).
    public var user = ByteSpan()
    public var method = ByteSpan()
    /// The URL exactly as logged (`https://host/path`, `host:443` for CONNECT, ...).
    public var url = ByteSpan()
    public var host = ByteSpan()
    /// Port from the URL or CONNECT target; 0 when the URL gives none.
    public var port: Int32 = 0
    public var path = ByteSpan()
    /// HTTP status the proxy returned (0 when none, as in Squid's `NONE/000`).
    public var status: Int32 = 0
    /// The proxy's own result code, e.g. `TCP_DENIED`, when the format has one.
    public var resultCode = ByteSpan()
    public var action: ProxyAction = .allowed
    /// Bytes sent to the client (response size).
    public var bytesToClient: Int64 = 0
    /// Bytes received from the client (request size); -1 when the format does not log it.
    public var bytesFromClient: Int64 = -1
    public var userAgent = ByteSpan()
    /// True when the log only shows a host (a CONNECT tunnel without TLS inspection).
    public var hostOnly = false
    /// False for a well-formed line of the format that records no web request (a FortiGate DNS event, a
    /// Zscaler audit record): counted as skipped, neither a record nor malformed.
    public var isRequest = true
    /// nil: the spans index the parsed line. Otherwise they index these bytes, which the parser built
    /// (a URL composed from W3C fields, an unescaped JSON string); valid until the parser's next line.
    public var storage: UnsafeRawBufferPointer?

    /// The bytes the spans index: the parser's storage, or the line itself.
    @inline(__always)
    public func base(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer { storage ?? line }

    public init() {}
}
