/// What the logs could show about a service's requests: the whole URL, or only the host (a CONNECT
/// tunnel the proxy did not decrypt, an undecrypted TLS session logged by its SNI), and whether the
/// format logged request sizes (upload volume). Counting never invents what a format lacks: `bytes_out`
/// stays null when no request of the service had a request size.
public struct ServiceFidelity: Sendable, Equatable {
    public let requests: Int64
    /// Requests whose URL (path, query) was visible.
    public let url: Int64
    /// Requests seen only as a host.
    public let hostOnly: Int64
    /// Requests whose format logged the request size.
    public let requestSizeKnown: Int64

    /// `url`, `host-only`, or `mixed`.
    public var visibility: String { hostOnly == 0 ? "url" : (url == 0 ? "host-only" : "mixed") }
    /// `known` (every request had a size), `partial`, or `unknown`.
    public var uploadBytes: String { requestSizeKnown == 0 ? "unknown" : (requestSizeKnown >= requests ? "known" : "partial") }
}

extension AnalysisResult.Service {
    public var fidelity: ServiceFidelity {
        ServiceFidelity(requests: usage.requests, url: usage.requests - hostOnlyRequests, hostOnly: hostOnlyRequests, requestSizeKnown: requestSizeKnown)
    }
}

extension JSONReport {
    /// `"fidelity": {"visibility": "mixed", "url": 7, "host_only": 4, "request_size_known": 0, "upload_bytes": "unknown"}`
    static func fidelityMembers(_ f: ServiceFidelity) -> JSONValue {
        .object([("visibility", .string(f.visibility)), ("url", .int(f.url)), ("host_only", .int(f.hostOnly)),
                 ("request_size_known", .int(f.requestSizeKnown)), ("upload_bytes", .string(f.uploadBytes))])
    }
}

extension TextSummary {
    /// One line saying how much the logs could show, when it is less than everything.
    static func fidelityLines(_ services: [AnalysisResult.Service]) -> [String] {
        let hostOnly = services.filter { $0.fidelity.visibility == "host-only" }.count
        let mixed = services.filter { $0.fidelity.visibility == "mixed" }.count
        let noSize = services.filter { $0.fidelity.uploadBytes == "unknown" }.count
        guard hostOnly + mixed > 0 || noSize > 0 else { return [] }
        var parts: [String] = []
        if hostOnly > 0 { parts.append("\(hostOnly) seen only as host names (tunnels without TLS inspection)") }
        if mixed > 0 { parts.append("\(mixed) partly as host names") }
        if noSize > 0 { parts.append("\(noSize) without request sizes (\"from client\" n/a: the log format has none)") }
        return ["  Visibility: of \(services.count) services, " + parts.joined(separator: ", ") + "."]
    }
}
