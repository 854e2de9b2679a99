import XCTest
@testable import ShadowScanCore

final class PipelineTests: XCTestCase {
    static let lines = [
        "1794038400.123    245 10.1.2.3 TCP_MISS/200 5123 GET http://www.example.com/a.html jsmith HIER_DIRECT/93.184.216.34 text/html",
        "1794038401.004  60012 10.1.2.3 TCP_TUNNEL/200 48213 CONNECT www.dropbox.com:443 jsmith HIER_DIRECT/162.125.1.18 -",
        "1794038402.517      0 10.1.2.9 TCP_DENIED/403 3960 CONNECT dropbox.com:443 a.khan HIER_NONE/- text/html",
        "garbage line",
        "1794038403.000      0 10.1.2.9 TCP_DENIED/407 3960 GET http://www.dropbox.com/ - HIER_NONE/- text/html",
        "1794038404.000     10 10.1.2.7 TCP_MISS/200 100 POST https://content.dropboxapi.com/2/files/upload bob HIER_DIRECT/1.1.1.1 -",
        "1794038405.000     10 10.1.2.7 TCP_MISS/200 100 GET https://gist.github.com/x bob HIER_DIRECT/1.1.1.1 -",
        "1794038406.000     10 10.1.2.7 TCP_MISS/200 100 GET https://notdropbox.com/ bob HIER_DIRECT/1.1.1.1 -",
        "",
        "1794038407.000     10 10.1.2.8 TCP_MISS/200 100 GET https://drive.example.net/other carol HIER_DIRECT/1.1.1.1 -",
    ]

    func analyse(_ text: String, workers: Int = 2, blockSize: Int = 4 << 20, maxLine: Int = 1 << 20) throws -> (AnalysisResult, String) {
        let dir = TestSupport.temporaryDirectory()
        let file = dir.appendingPathComponent("access.log")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let catalog = try TestSupport.catalog(TestSupport.smallCatalogue)
        let options = AnalysisOptions(workers: workers, blockSize: blockSize, maxLineLength: maxLine, format: .squidNative)
        let result = Analyzer(catalog: catalog, options: options).run(paths: [file.path])
        var json = JSONReport.document(result).serialized()
        json = json.replacingOccurrences(of: dir.path, with: "DIR")
        return (result, json)
    }

    func testCountsByHand() throws {
        let (r, _) = try analyse(Self.lines.joined(separator: "\n") + "\n")
        XCTAssertEqual(r.totals.lines, 10)
        XCTAssertEqual(r.totals.records, 8)
        XCTAssertEqual(r.totals.malformed, 2)
        XCTAssertEqual(r.inputs[0].malformedSamples, [4, 9])
        XCTAssertEqual(r.totals.matched, 5)
        let dropbox = try XCTUnwrap(r.services.first { $0.id == "dropbox" })
        XCTAssertEqual(dropbox.requests, 4)
        XCTAssertEqual(dropbox.denied, 1)
        XCTAssertEqual(dropbox.challenges, 1)
        XCTAssertEqual(dropbox.allowed, 2)
        XCTAssertEqual(dropbox.users, 4, "jsmith, a.khan, 10.1.2.9 (no user), bob")
        XCTAssertEqual(dropbox.uploads, 1)
        XCTAssertEqual(dropbox.bytesIn, 48213 + 3960 + 3960 + 100)
        XCTAssertNil(dropbox.bytesOut)
        XCTAssertEqual(dropbox.hostOnlyRequests, 2)
        XCTAssertEqual(CivilTime.iso8601(millis: dropbox.firstSeenMillis), "2026-11-07T08:00:01.004Z")
        XCTAssertEqual(r.services.map(\.id), ["dropbox", "github-gist"])
        XCTAssertEqual(r.categories.map(\.category), ["cloud-storage", "paste"])
        XCTAssertEqual(r.categories[0].users, 4)
        let bob = try XCTUnwrap(r.users.first { $0.user == "bob" })
        XCTAssertEqual(bob.services, ["dropbox", "github-gist"])
        XCTAssertEqual(bob.requests, 2)
        XCTAssertEqual(r.users.first { $0.user == "a.khan" }?.denied, 1)
        // drive.example.net is a catalogue domain (its URL pattern did not match): not "unknown".
        XCTAssertEqual(Set(r.unknownDomains.map(\.domain)), ["example.com", "notdropbox.com"])
    }

    func testSameBytesForAnyWorkerCountAndBlockSize() throws {
        var text = ""
        for i in 0..<400 { text += Self.lines[i % Self.lines.count] + "\n" }
        text += "1794038409.000 1 10.9.9.9 TCP_MISS/200 7 GET http://last.example.org/no-newline-at-end - HIER_DIRECT/1.1.1.1 -"
        let (reference, referenceJSON) = try analyse(text, workers: 1)
        XCTAssertEqual(reference.totals.lines, 401)
        for (workers, block) in [(2, 4 << 20), (8, 4 << 20), (2, 1), (3, 7), (2, 64), (4, 1000)] {
            let (_, json) = try analyse(text, workers: workers, blockSize: block)
            XCTAssertEqual(json, referenceJSON, "workers \(workers), block \(block)")
        }
    }

    func testOversizedLinesAreCountedAndSkippedWithBoundedMemory() throws {
        let long = String(repeating: "x", count: 5000)
        let text = Self.lines[1] + "\n" + long + "\n" + Self.lines[1] + "\n" + long
        for block in [1, 100, 3000, 10_000, 1 << 20] {
            let (r, _) = try analyse(text, blockSize: block, maxLine: 1000)
            XCTAssertEqual(r.totals.lines, 4, "block \(block)")
            XCTAssertEqual(r.totals.oversized, 2, "block \(block)")
            XCTAssertEqual(r.totals.records, 2, "block \(block)")
            XCTAssertEqual(r.inputs[0].malformedSamples, [2, 4], "block \(block)")
        }
    }

    func testCRLFLineEndings() throws {
        let (r, _) = try analyse(Self.lines[1] + "\r\n" + Self.lines[2] + "\r\n")
        XCTAssertEqual(r.totals.records, 2)
        XCTAssertEqual(r.services.first?.requests, 2)
    }

    func testMissingEmptyAndUnknownInputsAreReportedAndTheRestIsRead() throws {
        let dir = TestSupport.temporaryDirectory()
        try Self.lines.joined(separator: "\n").write(to: dir.appendingPathComponent("b.log"), atomically: true, encoding: .utf8)
        try "".write(to: dir.appendingPathComponent("a-empty.log"), atomically: true, encoding: .utf8)
        try "<html>not a log</html>\n".write(to: dir.appendingPathComponent("c.html"), atomically: true, encoding: .utf8)
        let catalog = try TestSupport.catalog(TestSupport.smallCatalogue)
        let r = Analyzer(catalog: catalog, options: AnalysisOptions(workers: 2)).run(paths: [dir.path, "/nonexistent/x.log"])
        let problems = Dictionary(uniqueKeysWithValues: r.inputProblems.map { (URL(fileURLWithPath: $0.path).lastPathComponent, $0.message) })
        XCTAssertEqual(problems["a-empty.log"], "empty file")
        XCTAssertEqual(problems["x.log"], "no such file or directory")
        XCTAssertTrue(problems["c.html"]?.hasPrefix("not in a known log format (first line: \"<html>not a log</html>\")") ?? false)
        XCTAssertEqual(r.totals.records, 8)
        XCTAssertEqual(r.inputs.first { $0.path.hasSuffix("b.log") }?.format, .squidNative)
    }
}
