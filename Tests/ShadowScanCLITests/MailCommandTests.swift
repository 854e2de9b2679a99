import Foundation
import XCTest

/// `shadowscan analyse` on mail logs: options, exit codes, the summary, mixed runs, hostile addresses,
/// and the real Exim and Exchange logs of the corpus.
final class MailCommandTests: XCTestCase {
    let rules = CLI.packageRoot.appendingPathComponent("Rules").path

    /// Two messages: a large one from staff to a personal address, and one forwarded to one (shared with
    /// the core's store tests).
    static var postfix: String {
        (try? String(contentsOf: CLI.packageRoot.appendingPathComponent("Tests/Fixtures/mail/postfix-forwarding.log"), encoding: .utf8)) ?? ""
    }

    func write(_ text: String, _ name: String, in dir: URL) throws -> URL {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    func testMailSectionFindingsAndSummary() throws {
        let dir = CLI.temporaryDirectory()
        let log = try write(Self.postfix, "mail.log", in: dir)
        let out = try CLI.run(["analyse", log.path, "--rules", rules, "--org-domain", "council.gov.uk", "--mail-year", "2026", "--identities", "plain"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("Mail: 2 message(s), 2 to personal mailboxes"), out.stdout)
        XCTAssertTrue(out.stdout.contains("Possible self-forwarding"), out.stdout)
        XCTAssertTrue(out.stdout.contains("janesmith1975@gmail.com"), out.stdout)
        XCTAssertTrue(out.stdout.contains("Automatic forwarding to personal mailboxes"), out.stdout)

        let json = try CLI.run(["analyse", log.path, "--rules", rules, "--org-domain", "council.gov.uk", "--mail-year", "2026",
                                "--identities", "plain", "--json", "-", "--quiet"])
        let mail = try XCTUnwrap(try CLI.json(json.stdout)["mail"] as? [String: Any])
        XCTAssertEqual(mail["messages"] as? Int, 2)
        XCTAssertEqual(mail["to_personal"] as? Int, 2)
        XCTAssertEqual(mail["bytes_to_personal"] as? Int, 25_001_000)
        XCTAssertEqual(mail["large_to_personal"] as? Int, 1)
        let sender = try XCTUnwrap((mail["senders"] as? [[String: Any]])?.first)
        XCTAssertEqual(sender["sender"] as? String, "jane.smith@council.gov.uk")
        XCTAssertEqual(sender["findings"] as? [String], ["large-messages", "self-forwarding"])
        XCTAssertEqual(sender["first_seen"] as? String, "2026-11-14T09:00:00.000Z")
        let forward = try XCTUnwrap((mail["auto_forwards"] as? [[String: Any]])?.first)
        XCTAssertEqual(forward["mailbox"] as? String, "bob.jones@council.gov.uk")
        XCTAssertEqual(forward["evidence"] as? String, "orig_to")
        let settings = try XCTUnwrap(mail["settings"] as? [String: Any])
        XCTAssertEqual(settings["organisation_domains"] as? [String], ["council.gov.uk"])

        XCTAssertEqual(settings["forward_window_seconds"] as? Int, 120)
        XCTAssertEqual(settings["forward_min_messages"] as? Int, 5)
        XCTAssertEqual(settings["forward_share_percent"] as? Int, 80)

        // A lower threshold makes both messages large.
        let lower = try CLI.run(["analyse", log.path, "--rules", rules, "--large-message", "500B", "--mail-year", "2026", "--json", "-", "--quiet"])
        XCTAssertEqual((try CLI.json(lower.stdout)["mail"] as? [String: Any])?["large_to_personal"] as? Int, 2)
    }

    /// The forwarding-pattern thresholds come from the command line: a client-side rule that forwards
    /// three messages is a pattern once three are enough, and not with the default minimum of five.
    func testForwardingPatternThresholdsFromTheCommandLine() throws {
        // Three messages from outside to kim's mailbox, each sent on to her private address 90 s later.
        let log = CLI.packageRoot.appendingPathComponent("Tests/Fixtures/mail/postfix-client-rule.log")
        func forwards(_ extra: [String]) throws -> [[String: Any]] {
            let out = try CLI.run(["analyse", log.path, "--rules", rules, "--org-domain", "council.gov.uk", "--mail-year", "2026",
                                   "--identities", "plain", "--json", "-", "--quiet"] + extra)
            XCTAssertEqual(out.status, 0, out.stderr)
            return (try CLI.json(out.stdout)["mail"] as? [String: Any])?["auto_forwards"] as? [[String: Any]] ?? []
        }
        XCTAssertTrue(try forwards([]).isEmpty, "three messages are below the default minimum of five")
        // 90 seconds after the incoming mail: inside the default two minutes, outside one minute.
        XCTAssertEqual(try forwards(["--forward-min-messages", "3"]).first?["evidence"] as? String, "forwarding-pattern")
        XCTAssertTrue(try forwards(["--forward-min-messages", "3", "--forward-window", "1m"]).isEmpty)
        let bad = try CLI.run(["analyse", log.path, "--rules", rules, "--forward-share", "101"])
        XCTAssertEqual(bad.status, 2, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("--forward-share"), bad.stderr)
    }

    func testIdentitiesArePseudonymisedByDefault() throws {
        let dir = CLI.temporaryDirectory()
        let log = try write(Self.postfix, "mail.log", in: dir)
        let key = dir.appendingPathComponent("key")
        _ = try CLI.run(["key", "new", key.path])
        let out = try CLI.run(["analyse", log.path, "--rules", rules, "--org-domain", "council.gov.uk", "--mail-year", "2026",
                               "--key-file", key.path, "--json", "-", "--quiet"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertFalse(out.stdout.contains("jane.smith@council.gov.uk"), "sender addresses are identities")
    }

    func testAProxyLogAloneHasAnEmptyMailSection() throws {
        let out = try CLI.run(["analyse", CLI.packageRoot.appendingPathComponent("SampleLogs/squid-native.log").path, "--rules", rules, "--json", "-", "--quiet"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let mail = try XCTUnwrap(try CLI.json(out.stdout)["mail"] as? [String: Any])
        XCTAssertEqual(mail["messages"] as? Int, 0)
        XCTAssertEqual((mail["senders"] as? [Any])?.count, 0)
        XCTAssertEqual((mail["personal_domains"] as? [Any])?.count, 0)
    }

    func testProxyAndMailLogsInOneRun() throws {
        let dir = CLI.temporaryDirectory()
        _ = try write(Self.postfix, "a-mail.log", in: dir)
        try FileManager.default.copyItem(at: CLI.packageRoot.appendingPathComponent("SampleLogs/squid-native.log"), to: dir.appendingPathComponent("b-access.log"))
        let out = try CLI.run(["analyse", dir.path, "--rules", rules, "--mail-year", "2026", "--json", "-", "--quiet"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let report = try CLI.json(out.stdout)
        let formats = (report["inputs"] as? [[String: Any]] ?? []).map { $0["format"] as? String }
        XCTAssertEqual(formats, ["postfix", "squid-native"])
        XCTAssertEqual((report["mail"] as? [String: Any])?["messages"] as? Int, 2)
        XCTAssertFalse((report["services"] as? [Any] ?? []).isEmpty)
    }

    func testBadMailOptionsExitTwoAndWriteNothing() throws {
        let dir = CLI.temporaryDirectory()
        let log = try write(Self.postfix, "mail.log", in: dir)
        let json = dir.appendingPathComponent("out.json")
        for bad in [["--mail-flush-after", "soon"], ["--large-message", "huge"], ["--org-domain", "jane@council.gov.uk"], ["--mail-year", "12"]] {
            let out = try CLI.run(["analyse", log.path, "--rules", rules, "--json", json.path] + bad)
            XCTAssertEqual(out.status, 2, "\(bad): \(out.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: json.path), "\(bad) wrote a report")
        }
        let ok = try CLI.run(["analyse", log.path, "--rules", rules, "--mail-flush-after", "90m", "--quiet"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
    }

    func testHostileAddressesStayInert() throws {
        let dir = CLI.temporaryDirectory()
        let hostile = "Nov 14 09:00:00 gw postfix/qmgr[1]: CCCC00003: from=<\u{1B}[31mevil\"\\n@council.gov.uk>, size=10, nrcpt=1 (queue active)\n"
            + "Nov 14 09:00:01 gw postfix/smtp[2]: CCCC00003: to=<\"<script>\"@gmail.com>, relay=x[1.2.3.4]:25, status=sent (ok)\n"
            + "Nov 14 09:00:02 gw postfix/qmgr[1]: CCCC00003: removed\n"
        let log = try write(hostile, "mail.log", in: dir)
        let out = try CLI.run(["analyse", log.path, "--rules", rules, "--mail-year", "2026", "--identities", "plain", "--json", "-"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertFalse(out.stderr.contains("\u{1B}"), "no escape sequence reaches the terminal")
        let mail = try XCTUnwrap(try CLI.json(out.stdout)["mail"] as? [String: Any])
        let sender = try XCTUnwrap((mail["senders"] as? [[String: Any]])?.first)
        XCTAssertEqual(sender["sender"] as? String, "\u{1B}[31mevil\"\\n@council.gov.uk")
    }

    func testCorpusEximAndExchangeLogsThroughTheCLI() throws {
        let exim = CLI.corpus.appendingPathComponent("exim/exim-testsuite")
        let exchange = CLI.corpus.appendingPathComponent("exchange-tracking/elastic-integrations-test-messagetracking.log")
        guard FileManager.default.fileExists(atPath: exim.path) else { throw XCTSkip("corpus not found at \(CLI.corpus.path): Exim and Exchange runs not checked") }
        let out = try CLI.run(["analyse", exim.path, "--rules", rules, "--log-format", "exim", "--json", "-", "--quiet"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let report = try CLI.json(out.stdout)
        let totals = try XCTUnwrap(report["totals"] as? [String: Any])
        XCTAssertEqual(totals["lines"] as? Int, 1381)
        XCTAssertEqual(totals["malformed"] as? Int, 0)
        XCTAssertGreaterThan((report["mail"] as? [String: Any])?["messages"] as? Int ?? 0, 100)
        let detected = try CLI.run(["analyse", exchange.path, "--rules", rules, "--json", "-", "--quiet"])
        XCTAssertEqual(detected.status, 0, detected.stderr)
        let input = try XCTUnwrap((try CLI.json(detected.stdout)["inputs"] as? [[String: Any]])?.first)
        XCTAssertEqual(input["format"] as? String, "exchange-tracking", "header-less rows are detected")
        XCTAssertEqual(input["records"] as? Int, 4)
        XCTAssertEqual(input["malformed"] as? Int, 0)
    }
}
