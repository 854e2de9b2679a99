import Foundation
import XCTest

/// `shadowscan explain`, end to end: golden output for a line, a denial, a near miss and a shadowing URL.
final class ExplainCommandTests: XCTestCase {
    let rules = "Tests/Fixtures/rules-tools/catalogue"
    var golden: URL { CLI.packageRoot.appendingPathComponent("Tests/Fixtures/rules-tools/golden") }

    func explain(_ arguments: [String]) throws -> CLI.Output {
        try CLI.run(["explain", "--rules", rules] + arguments, directory: CLI.packageRoot)
    }

    func expected(_ name: String) throws -> String {
        try String(contentsOf: golden.appendingPathComponent(name), encoding: .utf8)
    }

    func testUploadLineGolden() throws {
        let out = try explain(["1763448000.125    310 10.20.1.15 TCP_MISS/200 1822 POST https://content.dropboxapi.com/2/files/upload?x=1 alice HIER_DIRECT/162.125.66.14 application/json"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertEqual(out.stdout, try expected("explain-upload.txt"))
    }

    func testDeniedConnectGolden() throws {
        let out = try explain(["10.0.0.9 - - [18/Nov/2025:06:40:03 +0000] \"CONNECT www.dropbox.com:443 HTTP/1.1\" 403 3960 TCP_DENIED:HIER_NONE"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertEqual(out.stdout, try expected("explain-denied.txt"))
    }

    func testNearMissGolden() throws {
        let out = try explain(["--host", "notdropbox.com"])
        XCTAssertEqual(out.stdout, try expected("explain-near-miss.txt"))
        XCTAssertTrue(out.stdout.contains("host notdropbox.com: no catalogue domain is a label-boundary suffix; nearest: dropbox.com"))
    }

    func testShadowingURLGoldenJSON() throws {
        let out = try explain(["--url", "https://gist.github.com/alice/1", "--format", "json"])
        XCTAssertEqual(out.stdout, try expected("explain-shadow.json"))
        let doc = try CLI.json(out.stdout)
        XCTAssertEqual((doc["service"] as? [String: Any])?["id"] as? String, "github-gist")
        XCTAssertEqual((doc["shadowed"] as? [[String: Any]])?.first?["service"] as? String, "github")
    }

    func testFileAndLine() throws {
        let dir = CLI.temporaryDirectory()
        let log = dir.appendingPathComponent("access.log")
        try """
            1763448000.000     12 10.0.0.5 TCP_MISS/200 512 GET https://example.org/ alice HIER_DIRECT/192.0.2.1 text/html
            1763448001.000     12 10.0.0.5 TCP_MISS/200 512 PUT https://content.dropboxapi.com/2/files/upload alice HIER_DIRECT/192.0.2.1 -
            """.write(to: log, atomically: true, encoding: .utf8)
        let out = try explain(["--file", log.path, "--line", "2", "--format", "json"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let doc = try CLI.json(out.stdout)
        XCTAssertEqual((doc["service"] as? [String: Any])?["id"] as? String, "dropbox")
        XCTAssertEqual(doc["upload"] as? Bool, true)
        XCTAssertEqual((doc["parsed"] as? [String: Any])?["format"] as? String, "squid-native")
        let beyond = try explain(["--file", log.path, "--line", "9"])
        XCTAssertEqual(beyond.status, 1)
        XCTAssertTrue(beyond.stderr.contains("there is no line 9"), beyond.stderr)
    }

    /// A W3C file: line N is read under the `#Fields:` header in effect, as the analyser reads it.
    func testFileLineUnderAW3CHeader() throws {
        let log = CLI.temporaryDirectory().appendingPathComponent("proxysg.log")
        try """
            #Software: SGOS 6.7.5.3
            #Fields: date time time-taken c-ip sc-status s-action sc-bytes cs-bytes cs-method cs-uri-scheme cs-host cs-uri-port cs-uri-path cs-uri-query cs-username cs-auth-group s-hierarchy s-supplier-name rs(Content-Type) cs(Referer) cs(User-Agent) sc-filter-result cs-categories x-virus-id s-ip
            2026-11-02 07:00:01 15 10.1.2.3 200 TCP_NC_MISS 5123 912 POST https content.dropboxapi.com 443 /2/files/upload ?x=1 jsmith "Staff" DIRECT content.dropboxapi.com application/json - "Mozilla/5.0 (X11; Linux)" OBSERVED "Personal Storage" - 10.0.0.1

            """.write(to: log, atomically: true, encoding: .utf8)
        let out = try explain(["--file", log.path, "--line", "3", "--format", "json"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let doc = try CLI.json(out.stdout)
        let parsed = try XCTUnwrap(doc["parsed"] as? [String: Any])
        XCTAssertEqual(parsed["format"] as? String, "w3c")
        XCTAssertEqual((parsed["fields"] as? [String: Any])?["url"] as? String, "https://content.dropboxapi.com/2/files/upload?x=1")
        XCTAssertEqual((doc["service"] as? [String: Any])?["id"] as? String, "dropbox")
        XCTAssertEqual(doc["upload"] as? Bool, true)
        let header = try explain(["--file", log.path, "--line", "2"])
        XCTAssertTrue(header.stdout.contains("a w3c header line"), header.stdout)
    }

    func testMailLineIsNamedAsSuch() throws {
        let out = try explain(["Nov 18 06:40:01 mx1 postfix/smtp[1234]: 4F2A31C0D2: to=<bob@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.1.26]:25, delay=1.2, delays=0.1/0/0.3/0.8, dsn=2.0.0, status=sent (250 2.0.0 OK)"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("mail-gateway line"), out.stdout)
    }

    func testHostileLineIsEscapedAndUsageErrorsExitTwo() throws {
        let out = try explain(["1763448000.000 12 10.0.0.5 TCP_MISS/200 512 GET https://a.example/\u{1B}[2J\u{07} alice HIER_DIRECT/192.0.2.1 -"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertFalse(out.stdout.contains("\u{1B}"), "no escape sequence reaches the terminal")
        XCTAssertTrue(out.stdout.contains("\\x1B[2J\\x07"), out.stdout)
        XCTAssertEqual(try explain([]).status, 2)
        XCTAssertEqual(try explain(["--host", "a.example", "--url", "https://a.example/"]).status, 2)
        XCTAssertEqual(try explain(["--file", "x.log"]).status, 2)
        let junk = try explain(["not a log line"])
        XCTAssertEqual(junk.status, 0)
        XCTAssertTrue(junk.stdout.contains("parsed        no: no supported format parses this line"), junk.stdout)
    }
}
