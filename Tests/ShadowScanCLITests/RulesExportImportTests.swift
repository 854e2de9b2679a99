import Foundation
import XCTest

/// `rules export`, `rules import ut1`, `policy import squidguard`, end to end.
final class RulesExportImportTests: XCTestCase {
    let fixtures = "Tests/Fixtures/rules-tools"

    func run(_ arguments: [String]) throws -> CLI.Output {
        try CLI.run(arguments, directory: CLI.packageRoot)
    }

    func testExportFormats() throws {
        let acl = try run(["rules", "export", "squid-acl", "--rules", "\(fixtures)/catalogue", "--category", "cloud-storage"])
        XCTAssertEqual(acl.status, 0, acl.stderr)
        XCTAssertTrue(acl.stdout.contains("acl shadowscan_cloud_storage dstdomain .dropboxapi.com\n"), acl.stdout)
        let perService = try run(["rules", "export", "squid-acl", "--rules", "\(fixtures)/catalogue", "--service", "box", "--group", "service"])
        XCTAssertTrue(perService.stdout.contains("acl shadowscan_box dstdomain .box.com\n"), perService.stdout)
        let domains = try run(["rules", "export", "domains", "--rules", "\(fixtures)/catalogue", "--category", "ai-chat"])
        XCTAssertEqual(domains.stdout, "")
        XCTAssertTrue(domains.stderr.contains("warning: hf-chat not exported: narrowed by URL patterns"), domains.stderr)
        let bad = try run(["rules", "export", "squid-acl", "--rules", "\(fixtures)/catalogue", "--category", "nope"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertEqual(try run(["rules", "export", "pf-table"]).status, 2)
    }

    /// The round trip through the CLI: export a category, re-import it, same services.
    func testSquidGuardExportReimportRoundTrip() throws {
        let dir = CLI.temporaryDirectory()
        let tree = dir.appendingPathComponent("db")
        let export = try run(["rules", "export", "squidguard", "--rules", "Rules", "--category", "file-transfer", "--out", tree.path])
        XCTAssertEqual(export.status, 0, export.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: tree.appendingPathComponent("shadowscan-file-transfer/domains").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: tree.appendingPathComponent("shadowscan-dest.conf").path))
        let yaml = dir.appendingPathComponent("restored.yaml")
        let reimport = try run(["rules", "import", "ut1", tree.path, "--no-dedupe", "--out", yaml.path])
        XCTAssertEqual(reimport.status, 0, reimport.stderr)
        let restored = dir.appendingPathComponent("restored")
        try FileManager.default.createDirectory(at: restored, withIntermediateDirectories: true)
        try FileManager.default.moveItem(at: yaml, to: restored.appendingPathComponent("restored.yaml"))
        func listing(_ rules: String) throws -> [[String: Any]] {
            let out = try run(["rules", "list", "--rules", rules, "--category", "file-transfer", "--format", "json"])
            XCTAssertEqual(out.status, 0, out.stderr)
            return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [[String: Any]])
        }
        let before = try listing("Rules"), after = try listing(restored.path)
        XCTAssertEqual(after.count, before.count)
        for (a, b) in zip(before, after) {
            for key in ["id", "name", "category", "risk", "domains"] { XCTAssertEqual("\(a[key]!)", "\(b[key]!)", key) }
            XCTAssertEqual(a["personal"] as? Bool, b["personal"] as? Bool)
        }
        XCTAssertEqual(try run(["rules", "test", restored.path]).status, 0)
    }

    func testUT1ImportFromTheCLI() throws {
        let out = try run(["rules", "import", "ut1", "\(fixtures)/ut1", "--rules", "\(fixtures)/catalogue", "--category", "vpn", "--category", "webmail"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("# Licence: Creative Commons Attribution-ShareAlike 4.0"), out.stdout)
        XCTAssertTrue(out.stdout.contains("  - id: ut1-vpn\n"), out.stdout)
        XCTAssertFalse(out.stdout.contains("ut1-remote-control"))
        XCTAssertTrue(out.stderr.contains("webmail: 6 domain(s) into ut1-webmail (webmail), ut1-webmail-urls (webmail), 1 already in the catalogue"), out.stderr)
        XCTAssertEqual(try run(["rules", "import", "ut1", "\(fixtures)/ut1", "--map", "oops"]).status, 2)
        XCTAssertEqual(try run(["rules", "import", "ut1", "no/such/dir", "--no-dedupe"]).status, 2)
    }

    func testPolicyImportSquidGuard() throws {
        let out = try run(["policy", "import", "squidguard", "\(fixtures)/squidGuard.conf", "--rules", "\(fixtures)/catalogue", "--acl", "staff"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.hasSuffix("blocked:\n  - webmail\n  - file-transfer\n  - social\nsanctioned:\n  - box\ntolerated: []\n"), out.stdout)
        let missing = try run(["policy", "import", "squidguard", "\(fixtures)/squidGuard.conf", "--rules", "\(fixtures)/catalogue", "--acl", "nobody"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("no acl 'nobody'"), missing.stderr)
    }
}

final class RulesImportSigmaTests: XCTestCase {
    func testSigmaImportThroughTheCLIAndAnalyseWithIt() throws {
        let dir = CLI.temporaryDirectory()
        let rules = dir.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        for name in ["storage.yaml", "more.yaml"] {
            try FileManager.default.copyItem(at: CLI.packageRoot.appendingPathComponent("Tests/Fixtures/rules-tools/catalogue/\(name)"),
                                             to: rules.appendingPathComponent(name))
        }
        let out = try CLI.run(["rules", "import", "sigma", "Tests/Fixtures/rules-tools/sigma", "--rules", rules.path,
                               "--out", rules.appendingPathComponent("sigma.yaml").path], directory: CLI.packageRoot)
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stderr.contains("3 of 7 rule(s) imported"), out.stderr)
        XCTAssertTrue(out.stderr.contains("uri_only.yml: Raw Paste Access By URI Only: not imported: the condition does not bound the host"), out.stderr)
        XCTAssertEqual(try CLI.run(["rules", "lint", rules.path]).status, 0)
        XCTAssertEqual(try CLI.run(["rules", "test", rules.path]).status, 0)
        let log = dir.appendingPathComponent("access.log")
        try """
            10.0.0.5 - alice [18/Nov/2025:06:40:00 +0000] "POST https://up.anonfiles.example/upload HTTP/1.1" 200 10 "-" "curl/8.0" TCP_MISS:HIER_DIRECT
            10.0.0.5 - alice [18/Nov/2025:06:40:01 +0000] "GET https://up.anonfiles.example/file/1 HTTP/1.1" 200 10 "-" "curl/8.0" TCP_MISS:HIER_DIRECT
            10.0.0.6 - bob [18/Nov/2025:06:40:02 +0000] "GET https://paste.example.org/raw/abc HTTP/1.1" 200 10 "-" "python-requests/2.31" TCP_MISS:HIER_DIRECT

            """.write(to: log, atomically: true, encoding: .utf8)
        let json = dir.appendingPathComponent("report.json")
        let analyse = try CLI.run(["analyse", log.path, "--rules", rules.path, "--json", json.path, "--quiet"])
        XCTAssertEqual(analyse.status, 0, analyse.stderr)
        let services = try XCTUnwrap(try CLI.json(json)["services"] as? [[String: Any]])
        XCTAssertEqual(Set(services.map { $0["id"] as? String ?? "" }), ["sigma-upload-to-anonymous-file-hosts", "sigma-script-client-fetching-paste-raw-content"])
        XCTAssertTrue(services.allSatisfy { $0["requests"] as? Int == 1 }, "the GET to the file host fails the rule's method test")
        XCTAssertEqual(try CLI.run(["rules", "import", "sigma", "no/such/file.yml", "--no-dedupe"]).status, 1)
    }
}
