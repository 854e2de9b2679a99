import Foundation
import XCTest

/// `analyse --policy / --store / --workaround-window` and `history`, end to end.
final class WorkaroundCommandTests: XCTestCase {
    let rules = CLI.packageRoot.appendingPathComponent("Rules").path
    let example = CLI.packageRoot.appendingPathComponent("Rules/policy.example.yaml").path

    static let t0 = 1_794_038_400   // 2026-11-07 08:00 UTC

    /// Squid native lines: (seconds after `day` days past t0, user, URL, denied).
    func log(_ entries: [(Int, String, String, Bool)], day: Int = 0) -> String {
        entries.map { s, user, url, denied in
            let connect = !url.contains("://")
            let code = denied ? "TCP_DENIED/403" : (connect ? "TCP_TUNNEL/200" : "TCP_MISS/200")
            return "\(Self.t0 + day * 86_400 + s).000     10 10.0.0.1 \(code) 2048 \(connect ? "CONNECT" : "GET") \(url) \(user) HIER_DIRECT/1.2.3.4 text/html"
        }.joined(separator: "\n") + "\n"
    }

    func write(_ text: String, _ name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func testPolicyProblemsExitTwoAndWriteNothing() throws {
        let dir = CLI.temporaryDirectory()
        let policy = try write("blocked: [dropbx]\nworkarounds:\n  window: soon\n", "policy.yaml", in: dir)
        let access = try write(log([(0, "ann", "https://www.dropbox.com/", true)]), "access.log", in: dir)
        let json = dir.appendingPathComponent("out.json").path, store = dir.appendingPathComponent("h.sqlite").path
        let out = try CLI.run(["analyse", access, "--rules", rules, "--policy", policy, "--json", json, "--store", store])
        XCTAssertEqual(out.status, 2)
        XCTAssertTrue(out.stderr.contains("\(policy):1:11: unknown service id or category 'dropbx'"), out.stderr)
        XCTAssertTrue(out.stderr.contains("\(policy):3:11: window 'soon' must be a duration"), out.stderr)
        XCTAssertTrue(out.stderr.contains("2 problem(s) in the policy"), out.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: json))
        XCTAssertFalse(FileManager.default.fileExists(atPath: store))

        let missing = try CLI.run(["analyse", access, "--rules", rules, "--policy", dir.appendingPathComponent("nope.yaml").path])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("cannot read the policy file"), missing.stderr)
        let badWindow = try CLI.run(["analyse", access, "--rules", rules, "--workaround-window", "30"])
        XCTAssertEqual(badWindow.status, 2)
        XCTAssertTrue(badWindow.stderr.contains("--workaround-window '30' must be a duration"), badWindow.stderr)
    }

    func testTheExamplePolicyDrivesDecisions() throws {
        let dir = CLI.temporaryDirectory()
        let access = try write(log([
            (0, "jsmith", "https://www.dropbox.com/home", true),
            (60, "jsmith", "https://wetransfer.com/", false),           // blocked by the policy, allowed by the proxy
            (70, "jsmith", "https://pastebin.com/raw/x", false),
            (0, "p.novak", "https://www.dropbox.com/", true),
            (30, "p.novak", "https://council.sharepoint.com/sites/it", false),   // the sanctioned alternative
            (0, "a.khan", "https://mega.nz/", true),
            (20, "a.khan", "162.125.1.18:443", false),                   // an IP the example maps to Dropbox
        ]), "access.log", in: dir)
        let out = try CLI.run(["analyse", access, "--rules", rules, "--policy", example, "--json", "-", "--identities", "plain"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let report = try CLI.json(out.stdout)
        let decisions = try XCTUnwrap(report["decisions"] as? [[String: Any]])
        let dropbox = try XCTUnwrap(decisions.first { $0["service"] as? String == "dropbox" })
        XCTAssertEqual(dropbox["blocked_by"] as? String, "policy")
        XCTAssertEqual(dropbox["alternative"] as? String, "microsoft-365")
        XCTAssertEqual(dropbox["identities_moved_to_alternative"] as? Int, 1)
        XCTAssertEqual(dropbox["identities_tried"] as? Int, 2)
        XCTAssertEqual((dropbox["departments"] as? [[String: Any]])?.map { $0["department"] as? String }, ["Finance", "IT"])
        XCTAssertNotNil(dropbox["attempts_out_of_hours"] as? Int)
        let recommendation = try XCTUnwrap(dropbox["recommendation"] as? [String: Any])
        XCTAssertFalse((recommendation["summary"] as? String ?? "").isEmpty)
        // wetransfer is blocked by the policy yet allowed: an enforcement gap.
        let wetransfer = try XCTUnwrap(decisions.first { $0["service"] as? String == "wetransfer" })
        XCTAssertEqual((wetransfer["recommendation"] as? [String: Any])?["action"] as? String, "fix-enforcement")
        // WeTransfer substitutes for Dropbox (storage and transfer form one group); pastebin does not; the
        // raw IP is Dropbox's, a substitute for Mega.
        let workarounds = try XCTUnwrap(report["workarounds"] as? [[String: Any]])
        XCTAssertEqual(workarounds.map { "\($0["identity"]!) \($0["blocked"]!)>\($0["substitute"]!) \($0["kind"]!) \($0["substitute_host"]!)" },
                       ["a.khan mega>dropbox substitution 162.125.1.18", "jsmith dropbox>wetransfer substitution wetransfer.com"])
        XCTAssertTrue(out.stderr.contains("Blocked tools: decision evidence") || out.stdout.contains("Blocked tools"), out.stderr)
    }

    func testStoreTrendHistoryAndRefusals() throws {
        let dir = CLI.temporaryDirectory()
        let store = dir.appendingPathComponent("history.sqlite").path
        var day0: [(Int, String, String, Bool)] = [], day1: [(Int, String, String, Bool)] = []
        for i in 0..<3 { day0.append((i, "u\(i)", "https://www.dropbox.com/", true)) }
        for i in 0..<8 { day1.append((i, "u\(i)", "https://www.dropbox.com/", true)); day1.append((i + 60, "u\(i)", "https://app.box.com/", false)) }
        let first = try write(log(day0), "day0.log", in: dir), second = try write(log(day1, day: 1), "day1.log", in: dir)

        XCTAssertEqual(try CLI.run(["analyse", first, "--rules", rules, "--store", store, "--quiet"]).status, 0)
        let out = try CLI.run(["analyse", second, "--rules", rules, "--store", store, "--json", "-", "--quiet", "--identities", "plain"])
        XCTAssertEqual(out.status, 0, out.stderr)
        let decisions = try XCTUnwrap(try CLI.json(out.stdout)["decisions"] as? [[String: Any]])
        let trend = try XCTUnwrap(decisions.first { $0["service"] as? String == "dropbox" }?["trend"] as? [String: Any])
        XCTAssertEqual(trend["identities_tried"] as? Int, 3)
        XCTAssertEqual(trend["direction"] as? String, "rising")
        XCTAssertEqual(trend["previous_from"] as? String, "2026-11-07T08:00:00.000Z")

        let runs = try CLI.run(["history", "--store", store, "--json"])
        XCTAssertEqual(runs.status, 0, runs.stderr)
        XCTAssertEqual((try CLI.json(runs.stdout)["runs"] as? [[String: Any]])?.count, 2)
        let series = try CLI.run(["history", "--store", store, "--service", "dropbox"])
        XCTAssertEqual(series.status, 0, series.stderr)
        XCTAssertTrue(series.stdout.contains("worked around"), series.stdout)
        XCTAssertEqual(series.stdout.split(separator: "\n").count, 3, series.stdout)

        // A file that is not a store: exit 2 before anything is analysed or written.
        let foreign = try write("just text, not SQLite, long enough to look like a header page of a database file.......", "notes.sqlite", in: dir)
        let json = dir.appendingPathComponent("r.json").path
        let refused = try CLI.run(["analyse", second, "--rules", rules, "--store", foreign, "--json", json])
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: json))
        XCTAssertEqual(try CLI.run(["history", "--store", dir.appendingPathComponent("none.sqlite").path]).status, 2)
    }

    func testMailRouteFromAPostfixLogBesideTheProxyLog() throws {
        let dir = CLI.temporaryDirectory()
        // 2026-11-14 08:45 UTC: the transfer service is denied; 15 minutes later a 25 MB mail goes to Gmail.
        let denied = 1_794_645_900
        let proxy = try write("\(denied).000     10 10.0.0.1 TCP_DENIED/403 3900 CONNECT wetransfer.com:443 jane.smith HIER_NONE/- text/html\n"
                              + "\(denied + 10).000     10 10.0.0.2 TCP_DENIED/403 3900 CONNECT wetransfer.com:443 bob HIER_NONE/- text/html\n",
                              "access.log", in: dir)
        let mail = try write("""
            Nov 14 09:00:00 gw postfix/qmgr[1]: AAAA00001: from=<Jane.Smith@council.gov.uk>, size=25000000, nrcpt=1 (queue active)
            Nov 14 09:00:01 gw postfix/smtp[2]: AAAA00001: to=<janesmith1975@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.1.26]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 OK)
            Nov 14 09:00:02 gw postfix/qmgr[1]: AAAA00001: removed
            Nov 14 09:01:00 gw postfix/qmgr[1]: BBBB00002: from=<bob@council.gov.uk>, size=2000, nrcpt=1 (queue active)
            Nov 14 09:01:01 gw postfix/smtp[2]: BBBB00002: to=<bob1980@gmx.de>, relay=mx00.gmx.net[212.227.15.9]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 ok)
            Nov 14 09:01:02 gw postfix/qmgr[1]: BBBB00002: removed

            """, "mail.log", in: dir)
        let policy = try write("organisation: {domains: [council.gov.uk]}\n", "policy.yaml", in: dir)
        var outputs: [String] = []
        for workers in [1, 2, 8] {
            let out = try CLI.run(["analyse", proxy, mail, "--rules", rules, "--policy", policy, "--mail-year", "2026", "--workers", "\(workers)",
                                   "--json", "-", "--quiet", "--identities", "plain"])
            XCTAssertEqual(out.status, 0, out.stderr)
            outputs.append(out.stdout)
        }
        XCTAssertEqual(Set(outputs).count, 1)
        let rows = try XCTUnwrap(try CLI.json(outputs[0])["workarounds"] as? [[String: Any]])
        XCTAssertEqual(rows.map { "\($0["identity"]!) \($0["blocked"]!)>\($0["substitute"]!) \($0["kind"]!) \($0["gap_ms"]!) \($0["bytes"]!)" },
                       ["jane.smith wetransfer>gmail mail-route 900000 25000000"], "bob's small message is below the upload threshold")
    }

    func testTheRealLogCorpusWithThePolicy() throws {
        guard FileManager.default.fileExists(atPath: CLI.corpus.path) else {
            throw XCTSkip("the log corpus is not at \(CLI.corpus.path): skipped")
        }
        var outputs: [String] = []
        for workers in [1, 8] {
            let out = try CLI.run(["analyse", CLI.corpus.path, "--rules", rules, "--policy", example, "--workers", "\(workers)",
                                   "--json", "-", "--quiet", "--identities", "plain"])
            XCTAssertTrue(out.status == 0 || out.status == 1, "exit \(out.status): \(out.stderr.suffix(500))")
            outputs.append(out.stdout)
        }
        XCTAssertEqual(outputs[0], outputs[1], "the corpus gives the same document for 1 and 8 workers")
        let report = try CLI.json(outputs[0])
        let decisions = try XCTUnwrap(report["decisions"] as? [[String: Any]])
        // The corpus has Google Drive traffic the example policy blocks (cloud-storage) and the proxies allowed.
        XCTAssertEqual(decisions.first { $0["service"] as? String == "google-drive" }?["blocked_by"] as? String, "policy")
        XCTAssertNotNil(report["workarounds"] as? [[String: Any]])
    }

    func testTextSummaryShowsWorkaroundsWithHostileNamesMadePrintable() throws {
        let dir = CLI.temporaryDirectory()
        let access = try write(log([(0, "evil\u{1B}[31m", "https://www.dropbox.com/", true), (5, "evil\u{1B}[31m", "https://app.box.com/", false)]),
                               "access.log", in: dir)
        let out = try CLI.run(["analyse", access, "--rules", rules, "--identities", "plain"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.contains("Workarounds"), out.stdout)
        XCTAssertTrue(out.stdout.contains("substitution"), out.stdout)
        XCTAssertFalse(out.stdout.contains("\u{1B}"), "no terminal escapes from a log")
    }
}
