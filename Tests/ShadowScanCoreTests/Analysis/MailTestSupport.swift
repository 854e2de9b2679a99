import Foundation
import XCTest
@testable import ShadowScanCore

/// A mail event with its bytes as strings, for assertions.
struct ReadableMailEvent: Equatable, CustomStringConvertible {
    var kind: MailEvent.Kind
    var status: MailEvent.Status = .none
    var forward: MailEvent.Forward = .none
    var key = ""
    var address = ""
    var original = ""
    var next = ""
    var size: Int64 = -1
    var time: Int64 = 0
    var flags: UInt8 = 0

    var description: String { "\(kind) \(status) key=\(key) address=\(address) original=\(original) next=\(next) size=\(size) time=\(time) flags=\(flags)" }
}

enum MailTest {
    static func readable(_ buffer: MailEventBuffer) -> [ReadableMailEvent] {
        buffer.events.map { e in
            ReadableMailEvent(kind: e.kind, status: e.status, forward: e.forward, key: buffer.string(e.key), address: buffer.string(e.address),
                              original: buffer.string(e.original), next: buffer.string(e.next), size: e.size, time: e.time, flags: e.flags)
        }
    }

    static func parse<P: MailLineParser>(_ parser: inout P, _ line: String) -> (MailLineOutcome, [ReadableMailEvent]) {
        var buffer = MailEventBuffer()
        let outcome = Array(line.utf8).withUnsafeBytes { parser.parse($0, into: &buffer) }
        return (outcome, readable(buffer))
    }

    static func parse<P: MailLineParser>(_ parser: P, _ line: String) -> (MailLineOutcome, [ReadableMailEvent]) {
        var p = parser
        return parse(&p, line)
    }

    /// Milliseconds for an ISO date-time (UTC).
    static func millis(_ iso: String) -> Int64 {
        let bytes = Array(iso.utf8)
        return bytes.withUnsafeBytes { MailScan.rfc3339($0, ByteSpan(start: 0, count: bytes.count))! }
    }

    /// A catalogue with two personal mail providers and one service without mail domains.
    static let catalogueYAML = """
        services:
          - id: gmail
            name: Gmail
            category: webmail
            risk: high
            personal: false
            domains: [mail.google.com]
            mail_domains: [gmail.com, googlemail.com]
            examples:
              match: [https://mail.google.com/]
          - id: gmx-mail
            name: GMX
            category: webmail
            risk: high
            personal: true
            domains: [gmx.net]
            mail_domains: [gmx.net, gmx.de]
            examples:
              match: [https://www.gmx.net/]
          - id: dropbox
            name: Dropbox
            category: cloud-storage
            risk: high
            personal: true
            domains: [dropbox.com]
            examples:
              match: [https://www.dropbox.com/]
        """

    static func catalog() throws -> ServiceCatalog { try TestSupport.catalog(catalogueYAML, name: "mail.yaml") }

    /// Analyses `text` as one file of `format`; returns the result and the JSON with the path replaced.
    static func analyse(_ text: String, format: LogFormat?, workers: Int = 2, blockSize: Int = 4 << 20,
                        mail: MailOptions = MailOptions(), catalog: ServiceCatalog? = nil, name: String = "mail.log") throws -> (AnalysisResult, String) {
        let dir = TestSupport.temporaryDirectory()
        let file = dir.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        var options = AnalysisOptions(workers: workers, blockSize: blockSize, format: format)
        options.mail = mail
        let result = Analyzer(catalog: try catalog ?? self.catalog(), options: options).run(paths: [file.path])
        let json = JSONReport.document(result).serialized().replacingOccurrences(of: dir.path, with: "DIR")
        return (result, json)
    }

    /// Parses `lines` with `parser` and runs the correlator over them (one chunk), keeping every
    /// finished message.
    static func correlate<P: MailLineParser>(_ parser: P, _ lines: [String], options: MailOptions = MailOptions(),
                                             catalog: ServiceCatalog? = nil) throws
        -> (messages: [FinishedMailMessage], mail: AnalysisResult.Mail, outcomes: [MailLineOutcome]) {
        var parser = parser
        var buffer = MailEventBuffer()
        var outcomes: [MailLineOutcome] = []
        for line in lines {
            outcomes.append(Array(line.utf8).withUnsafeBytes { parser.parse($0, into: &buffer) })
        }
        let correlator = MailCorrelator(options: options, catalog: try catalog ?? self.catalog(), sources: [])
        correlator.aggregator.finished = []
        correlator.consume(buffer, input: 0)
        let mail = correlator.finishAll()
        return (correlator.aggregator.finished ?? [], mail, outcomes)
    }

    /// The lines of a corpus file (xz-compressed ones through the `xz` command), or nil when the file or
    /// the command is missing.
    static func corpusLines(_ relative: String) -> [String]? {
        let url = TestSupport.corpus.appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let data: Data
        if relative.hasSuffix(".xz") {
            guard let xz = ["/usr/bin/xz", "/bin/xz", "/usr/local/bin/xz"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: xz)
            process.arguments = ["-dc", url.path]
            let pipe = Pipe()
            process.standardOutput = pipe
            guard (try? process.run()) != nil else { return nil }
            data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
        } else {
            guard let read = FileManager.default.contents(atPath: url.path) else { return nil }
            data = read
        }
        var lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
