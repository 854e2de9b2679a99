import Foundation
import XCTest

final class AnalyseCommandTests: XCTestCase {
    let rules = CLI.packageRoot.appendingPathComponent("Rules").path
    let nativeLines = """
        1794038400.123    245 10.1.2.3 TCP_MISS/200 5123 GET http://www.example.com/a.html jsmith HIER_DIRECT/93.184.216.34 text/html
        1794038401.004  60012 10.1.2.3 TCP_TUNNEL/200 48213 CONNECT www.dropbox.com:443 jsmith HIER_DIRECT/162.125.1.18 -
        1794038402.517      0 10.1.2.9 TCP_DENIED/403 3960 CONNECT mega.nz:443 a.khan HIER_NONE/- text/html

        """

    func write(_ text: String, name: String = "access.log") throws -> URL {
        let url = CLI.temporaryDirectory().appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func testVersionNamesPCRE2AndJIT() throws {
        let out = try CLI.run(["--version"])
        XCTAssertEqual(out.status, 0)
        XCTAssertTrue(out.stdout.contains("PCRE2 10."), out.stdout)
        XCTAssertTrue(out.stdout.contains("JIT"), out.stdout)
    }

    func testAnalyseWritesJSONAndSummary() throws {
        let log = try write(nativeLines)
        let json = log.deletingLastPathComponent().appendingPathComponent("report.json")
        let out = try CLI.run(["analyse", log.path, "--rules", rules, "--json", json.path])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("dropbox"), out.stdout)
        let doc = try CLI.json(json)
        XCTAssertEqual(doc["schema"] as? String, "shadowscan.report/1")
        let totals = try XCTUnwrap(doc["totals"] as? [String: Any])
        XCTAssertEqual(totals["lines"] as? Int, 3)
        XCTAssertEqual(totals["matched"] as? Int, 2)
        for key in ["totals", "inputs", "services", "categories", "users", "unknown_domains"] { XCTAssertNotNil(doc[key], key) }
        let services = try XCTUnwrap(doc["services"] as? [[String: Any]])
        let mega = try XCTUnwrap(services.first { $0["id"] as? String == "mega" })
        XCTAssertEqual(mega["denied"] as? Int, 1)
        XCTAssertTrue(mega["bytes_out"] is NSNull, "native Squid logs have no request size")
    }

    func testJSONToStandardOutputAndStandardInput() throws {
        let out = try CLI.run(["analyse", "-", "--rules", rules, "--json", "-"], stdin: Data(nativeLines.utf8))
        XCTAssertEqual(out.status, 0, out.stderr)
        let doc = try CLI.json(out.stdout)
        XCTAssertEqual((doc["inputs"] as? [[String: Any]])?.first?["path"] as? String, "-")
        XCTAssertTrue(out.stderr.contains("Top services"), "the summary goes to stderr when JSON takes stdout")
    }

    func testUnreadableInputsExitOneAndTheRestIsAnalysed() throws {
        let log = try write(nativeLines)
        let empty = try write("", name: "empty.log")
        let json = log.deletingLastPathComponent().appendingPathComponent("r.json")
        let out = try CLI.run(["analyse", log.path, empty.path, "/nonexistent/access.log", "--rules", rules, "--json", json.path])
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("/nonexistent/access.log: no such file or directory"), out.stderr)
        XCTAssertTrue(out.stderr.contains("empty.log: empty file"), out.stderr)
        let inputs = try XCTUnwrap(try CLI.json(json)["inputs"] as? [[String: Any]])
        XCTAssertEqual(inputs.count, 3)
        XCTAssertEqual(inputs.compactMap { $0["problem"] as? String }.count, 2)
    }

    func testBadRulesExitTwoAndWriteNothing() throws {
        let dir = CLI.temporaryDirectory()
        try "services:\n  - id: x\n    colour: red\n".write(to: dir.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let log = try write(nativeLines)
        let json = dir.appendingPathComponent("r.json")
        let out = try CLI.run(["analyse", log.path, "--rules", dir.path, "--json", json.path])
        XCTAssertEqual(out.status, 2)
        XCTAssertTrue(out.stderr.contains("bad.yaml:3:5: unknown key 'colour'"), out.stderr)
        XCTAssertTrue(out.stderr.contains("nothing analysed"), out.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: json.path))
    }

    func testUsageErrorsExitTwo() throws {
        XCTAssertEqual(try CLI.run(["analyse"]).status, 2)
        XCTAssertEqual(try CLI.run(["analyse", "x.log", "--workers", "0"]).status, 2)
        XCTAssertEqual(try CLI.run(["analyse", "x.log", "--log-format", "nope"]).status, 2)
        XCTAssertEqual(try CLI.run(["analyse", "x.log", "--no-such-flag"]).status, 2)
        XCTAssertEqual(try CLI.run(["frobnicate"]).status, 2)
    }

    func testDefaultRulesAreFoundWhenRunFromElsewhere() throws {
        let log = try write(nativeLines)
        let out = try CLI.run(["analyse", log.path, "--json", "-"], environment: ["SHADOWSCAN_RULES": ""], directory: URL(fileURLWithPath: "/"))
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertEqual((try CLI.json(out.stdout)["totals"] as? [String: Any])?["matched"] as? Int, 2)
    }

    func testSameJSONForAnyWorkerCount() throws {
        var text = ""
        for i in 0..<3000 { text += nativeLines.split(separator: "\n")[i % 3] + "\n" }
        let log = try write(text)
        let outputs = try [1, 2, 8].map { workers in
            try CLI.run(["analyse", log.path, "--rules", rules, "--workers", "\(workers)", "--block-size", "4096", "--json", "-", "--quiet"]).stdout
        }
        XCTAssertEqual(outputs[0], outputs[1])
        XCTAssertEqual(outputs[0], outputs[2])
    }

    func testHostileLogValuesStayInertInTheSummary() throws {
        let line = "1794038400.123 1 10.0.0.1 TCP_MISS/200 5 GET http://www.dropbox.com/ \u{1B}[31mevil\u{07} HIER_DIRECT/1.1.1.1 -\n"
        let out = try CLI.run(["analyse", "-", "--rules", rules, "--identities", "plain"], stdin: Data(line.utf8))
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertFalse(out.stdout.contains("\u{1B}"), "terminal escapes from a log must not reach the terminal")
        XCTAssertTrue(out.stdout.contains("?[31mevil?"), out.stdout)
    }
}
