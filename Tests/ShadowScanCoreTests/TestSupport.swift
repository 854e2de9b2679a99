import Foundation
@testable import ShadowScanCore

/// Paths and helpers shared by the core tests.
enum TestSupport {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let rulesDirectory = packageRoot.appendingPathComponent("Rules").path
    static let corpus = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/corpus")

    static func catalog(_ yaml: String, name: String = "test.yaml") throws -> ServiceCatalog {
        try RuleCatalogLoader.load(sources: [(name: name, text: yaml)])
    }

    /// A small catalogue for parser and pipeline tests.
    static let smallCatalogue = """
        services:
          - id: dropbox
            name: Dropbox
            category: cloud-storage
            risk: high
            personal: true
            domains: [dropbox.com, dropboxapi.com]
            upload:
              - methods: [POST, PUT]
                url: '/2/files/upload'
            examples:
              match: [https://www.dropbox.com/home]
          - id: github-gist
            name: GitHub Gist
            category: paste
            risk: high
            personal: true
            domains: [gist.github.com]
            examples:
              match: [https://gist.github.com/x]
          - id: drive-share
            name: Drive sharing links
            category: cloud-storage
            risk: high
            personal: false
            domains: [drive.example.net]
            url: ['^https?://drive\\.example\\.net/s/']
            examples:
              match: [https://drive.example.net/s/abc]
        """

    /// Parses one line with `parser`, returning the record and field accessor.
    static func parse(_ parser: some LogLineParser, _ line: String) -> ParsedLine? {
        let bytes = Array(line.utf8)
        var record = ProxyRecord()
        // Spans may index bytes the parser built (a composed URL): keep a copy of those instead.
        var built: [UInt8]?
        let ok = bytes.withUnsafeBytes { buffer -> Bool in
            let ok = parser.parse(buffer, into: &record)
            if ok, let storage = record.storage { built = Array(storage) }
            return ok
        }
        record.storage = nil
        return ok ? ParsedLine(bytes: built ?? bytes, record: record) : nil
    }

    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("shadowscan-tests-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

struct ParsedLine {
    let bytes: [UInt8]
    let record: ProxyRecord
    func text(_ span: ByteSpan) -> String { String(decoding: bytes[span.start..<span.end], as: UTF8.self) }
    var host: String { text(record.host) }
    var user: String { text(record.user) }
    var client: String { text(record.client) }
    var method: String { text(record.method) }
    var url: String { text(record.url) }
    var path: String { text(record.path) }
    var userAgent: String { text(record.userAgent) }
}
