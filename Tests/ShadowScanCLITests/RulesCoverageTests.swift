import Foundation
import XCTest

final class RulesCoverageTests: XCTestCase {
    func testCoverageOfTheSampleLogsAsJSON() throws {
        let out = try CLI.run(["rules", "coverage", "SampleLogs", "--rules", "Rules", "--format", "json", "--top", "3"], directory: CLI.packageRoot)
        XCTAssertEqual(out.status, 0, out.stderr)
        let doc = try CLI.json(out.stdout)
        XCTAssertEqual(doc["schema"] as? String, "shadowscan.coverage/1")
        let truthFile = CLI.packageRoot.appendingPathComponent("Tests/Fixtures/samples/squid-native.truth.json")
        XCTAssertTrue(FileManager.default.fileExists(atPath: truthFile.path))
        let totals = try XCTUnwrap(doc["totals"] as? [String: Any])
        XCTAssertEqual(totals["lines"] as? Int, 7000)
        let unknown = try XCTUnwrap(doc["unknown_domains"] as? [String: Any])
        XCTAssertEqual((unknown["by_users"] as? [Any])?.count, 3)
        XCTAssertEqual((unknown["by_bytes"] as? [Any])?.count, 3)
        XCTAssertTrue(doc["comparison"] is NSNull)
        let services = try XCTUnwrap(doc["services"] as? [[String: Any]])
        let first = try XCTUnwrap(services.first)
        XCTAssertNotNil(first["domains"] as? [[String: Any]])
        XCTAssertTrue(((doc["never_hit"] as? [String: Any])?["services"] as? [String]) != nil)
    }

    func testCompareWithAnotherFolderShowsWhatAChangeGainedAndLost() throws {
        let old = CLI.temporaryDirectory()
        let rules = CLI.packageRoot.appendingPathComponent("Rules")
        for name in try FileManager.default.contentsOfDirectory(atPath: rules.path) where name.hasSuffix(".yaml") {
            var text = try String(contentsOf: rules.appendingPathComponent(name), encoding: .utf8)
            // The old catalogue lacked dropboxapi.com.
            text = text.replacingOccurrences(of: "      - dropboxapi.com             # api.dropboxapi.com, content.dropboxapi.com\n", with: "")
            try text.write(to: old.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let out = try CLI.run(["rules", "coverage", "SampleLogs", "--rules", "Rules", "--compare", old.path], directory: CLI.packageRoot)
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("gained: new matches (1)\n    none -> dropbox: "), out.stdout)
        XCTAssertTrue(out.stdout.contains("lost: no longer matched (0): none"), out.stdout)
        XCTAssertTrue(out.stdout.contains("e.g. SampleLogs/"), out.stdout)
    }

    func testUsageAndInputErrors() throws {
        let both = try CLI.run(["rules", "coverage", "SampleLogs", "--compare", "Rules", "--since-rules", "HEAD"], directory: CLI.packageRoot)
        XCTAssertEqual(both.status, 2)
        let missing = try CLI.run(["rules", "coverage", "no-such.log", "--rules", "Rules"], directory: CLI.packageRoot)
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("no-such.log"), missing.stderr)
        let badRev = try CLI.run(["rules", "coverage", "SampleLogs", "--rules", "Rules", "--since-rules", "no-such-revision"], directory: CLI.packageRoot)
        XCTAssertEqual(badRev.status, 2)
        XCTAssertTrue(badRev.stderr.contains("--since-rules no-such-revision"), badRev.stderr)
    }
}
