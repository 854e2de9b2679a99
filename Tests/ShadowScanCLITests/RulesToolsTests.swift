import Foundation
import XCTest

/// `shadowscan rules list | lint | test`, end to end, with golden output where the output is the point.
final class RulesToolsTests: XCTestCase {
    let fixtures = "Tests/Fixtures/rules-tools"
    var golden: URL { CLI.packageRoot.appendingPathComponent("\(fixtures)/golden") }

    func run(_ arguments: [String]) throws -> CLI.Output {
        try CLI.run(arguments, directory: CLI.packageRoot)
    }

    func expected(_ name: String) throws -> String {
        try String(contentsOf: golden.appendingPathComponent(name), encoding: .utf8)
    }

    // MARK: list

    func testListJSONIsAnArrayOfServices() throws {
        let out = try run(["rules", "list", "--rules", "Rules", "--format", "json"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let services = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(services.count, 120)
        let dropbox = try XCTUnwrap(services.first { $0["id"] as? String == "dropbox" })
        XCTAssertEqual(dropbox["name"] as? String, "Dropbox")
        XCTAssertEqual(dropbox["category"] as? String, "cloud-storage")
        XCTAssertEqual(dropbox["risk"] as? String, "high")
        XCTAssertEqual(dropbox["personal"] as? Bool, true)
        XCTAssertTrue((dropbox["domains"] as? [String])?.contains("dropboxapi.com") ?? false)
    }

    func testListFiltersByCategoryAndRejectsUnknownOnes() throws {
        let out = try run(["rules", "list", "--rules", "\(fixtures)/catalogue", "--category", "paste", "--category", "vpn"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertEqual(out.stdout, """
            id           category  risk    personal  domains  name
            github-gist  paste     high    yes       2        GitHub Gist
            proton-vpn   vpn       high    yes       1        Proton VPN

            2 service(s) in 2 categories: paste 1, vpn 1

            """)
        let bad = try run(["rules", "list", "--rules", "\(fixtures)/catalogue", "--category", "nope"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("unknown category 'nope'"), bad.stderr)
    }

    // MARK: lint

    func testLintGoldenText() throws {
        let out = try run(["rules", "lint", "\(fixtures)/lint"])
        XCTAssertEqual(out.status, 1, "errors exit 1")
        XCTAssertEqual(out.stdout, try expected("lint.txt"))
    }

    func testLintGoldenJSON() throws {
        let out = try run(["rules", "lint", "\(fixtures)/lint", "--format", "json"])
        XCTAssertEqual(out.status, 1)
        XCTAssertEqual(out.stdout, try expected("lint.json"))
    }

    func testLintOfTheProjectRulesPassesAndSingleFilesWork() throws {
        let all = try run(["rules", "lint", "Rules"])
        XCTAssertEqual(all.status, 0, all.stdout)
        XCTAssertTrue(all.stdout.contains(" 0 error(s)"), all.stdout)
        let one = try run(["rules", "lint", "\(fixtures)/lint/storage.yaml"])
        XCTAssertEqual(one.status, 0, "storage.yaml alone has warnings only: \(one.stdout)")
        XCTAssertTrue(one.stdout.hasSuffix("1 file(s), 2 service(s): 0 error(s), 5 warning(s)\n"), one.stdout)
        let missing = try run(["rules", "lint", "no/such/dir"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stdout.contains("no/such/dir:0:0: error: no such file or directory"), missing.stdout)
    }

    // MARK: test

    func testRulesTestPassesOnTheProjectCatalogue() throws {
        let out = try run(["rules", "test", "Rules"])
        XCTAssertEqual(out.status, 0, out.stdout)
        XCTAssertTrue(out.stdout.contains("all passed"), out.stdout)
    }

    func testRulesTestReportsFailuresWithFileAndLine() throws {
        let out = try run(["rules", "test", "\(fixtures)/examples"])
        XCTAssertEqual(out.status, 1)
        let lines = out.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 6, out.stdout)
        XCTAssertTrue(lines[0].hasPrefix("\(fixtures)/examples/services.yaml:15:11: error: files-example: match example 'https://notfiles.example/' matched nothing"), lines[0])
        XCTAssertTrue(lines[4].hasPrefix("\(fixtures)/examples/services.yaml:33:11: error: files-example: line example does not parse"), lines[4])
        XCTAssertEqual(lines[5], "11 example(s) of 1 service(s) (2 match, 2 no_match, 2 upload, 5 line): 5 failed")
        let json = try CLI.json(try run(["rules", "test", "\(fixtures)/examples", "--format", "json"]).stdout)
        XCTAssertEqual((json["failures"] as? [Any])?.count, 5)
    }

    func testRulesTestOnABrokenCatalogueExitsTwo() throws {
        let out = try run(["rules", "test", "\(fixtures)/lint"])
        XCTAssertEqual(out.status, 2)
        XCTAssertTrue(out.stderr.contains("risk must be low, medium or high"), out.stderr)
        let unknown = try run(["rules", "test", "Rules", "--service", "no-such-service"])
        XCTAssertEqual(unknown.status, 2)
    }
}
