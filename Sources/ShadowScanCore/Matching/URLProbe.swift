/// Matches a single URL (or CONNECT `host:port`) against the catalogue exactly as the hot path does:
/// for rule examples, tests and tools. Not for the hot loop.
public final class URLProbe {
    private let matcher: ServiceMatcher
    public var catalog: ServiceCatalog { matcher.catalog }

    public init(catalog: ServiceCatalog) { matcher = ServiceMatcher(catalog: catalog) }

    /// The service `url` belongs to, or nil.
    public func service(forURL url: String) -> ServiceDefinition? {
        let index = withRecord(url) { host, urlBytes in matcher.match(host: host, url: urlBytes).service } ?? -1
        return index >= 0 ? catalog.services[Int(index)] : nil
    }

    /// Whether `method url` belongs to a service and counts as an upload to it.
    public func isUpload(method: String, url: String) -> Bool {
        var methodBytes = Array(method.utf8)
        return withRecord(url) { host, urlBytes in
            let service = matcher.match(host: host, url: urlBytes).service
            guard service >= 0 else { return false }
            return methodBytes.withUnsafeMutableBytes { matcher.isUpload(service: service, method: UnsafeRawBufferPointer($0), url: urlBytes) }
        } ?? false
    }

    private func withRecord<R>(_ url: String, _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) -> R) -> R? {
        var bytes = Array(url.utf8)
        return bytes.withUnsafeMutableBytes { raw in
            let line = UnsafeRawBufferPointer(raw)
            var record = ProxyRecord()
            let span = ByteSpan(start: 0, count: line.count)
            guard line.splitURL(span, into: &record) else { return nil }
            return body(UnsafeRawBufferPointer(rebasing: line[record.host.start..<record.host.end]), line)
        }
    }
}
