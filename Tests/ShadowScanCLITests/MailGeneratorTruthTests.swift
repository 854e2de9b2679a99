import Foundation
import XCTest

/// The CLI's `mail` section on generated Postfix, Exim and Exchange logs must equal the generator's
/// truth exactly — messages, senders with their findings, personal domains, automatic forwarding — for
/// 1, 2 and 8 workers and small blocks (messages spanning chunks and workers).
final class MailGeneratorTruthTests: XCTestCase {
    let rules = CLI.packageRoot.appendingPathComponent("Rules").path

    func assertMatchesTruth(report: [String: Any], truth: [String: Any], _ label: String) throws {
        let input = try XCTUnwrap((report["inputs"] as? [[String: Any]])?.first)
        let totals = try XCTUnwrap(truth["totals"] as? [String: Any])
        for key in ["lines", "records", "skipped", "malformed"] {
            XCTAssertEqual(input[key] as? Int, totals[key] as? Int, "\(label): inputs[0].\(key)")
        }
        let mail = try XCTUnwrap(report["mail"] as? [String: Any])
        let expected = try XCTUnwrap(truth["mail"] as? [String: Any])
        for (key, value) in expected where !(value is [Any]) {
            XCTAssertEqual(mail[key] as? Int, value as? Int, "\(label): mail.\(key)")
        }
        // Senders: every truth key, in order (the report adds first/last seen and match reasons).
        let senders = try XCTUnwrap(mail["senders"] as? [[String: Any]])
        let truthSenders = try XCTUnwrap(expected["senders"] as? [[String: Any]])
        XCTAssertEqual(senders.map { $0["sender"] as! String }, truthSenders.map { $0["sender"] as! String }, "\(label): senders and their order")
        for (got, want) in zip(senders, truthSenders) {
            let who = "\(label): \(want["sender"]!)"
            for key in ["messages", "bytes", "recipients", "days_active", "bounced", "deferred", "large_messages"] {
                XCTAssertEqual(got[key] as? Int, want[key] as? Int, "\(who).\(key)")
            }
            XCTAssertEqual(got["domains"] as? [String], want["domains"] as? [String], "\(who).domains")
            XCTAssertEqual(got["findings"] as? [String], want["findings"] as? [String], "\(who).findings")
            let matches = (got["self_forwarding"] as? [[String: Any]] ?? []).map { "\($0["recipient"]!) \($0["confidence"]!) \($0["messages"]!)" }
            let truthMatches = (want["self_forwarding"] as? [[String: Any]] ?? []).map { "\($0["recipient"]!) \($0["confidence"]!) \($0["messages"]!)" }
            XCTAssertEqual(matches, truthMatches, "\(who).self_forwarding")
        }
        let domains = try XCTUnwrap(mail["personal_domains"] as? [[String: Any]])
        let truthDomains = try XCTUnwrap(expected["personal_domains"] as? [[String: Any]])
        XCTAssertEqual(domains.count, truthDomains.count, "\(label): personal domains")
        for (got, want) in zip(domains, truthDomains) {
            for (key, value) in want { XCTAssertEqual("\(got[key] ?? "absent")", "\(value)", "\(label): personal_domains \(want["domain"]!).\(key)") }
        }
        let forwards = try XCTUnwrap(mail["auto_forwards"] as? [[String: Any]])
        let truthForwards = try XCTUnwrap(expected["auto_forwards"] as? [[String: Any]])
        XCTAssertEqual(forwards.count, truthForwards.count, "\(label): auto forwards")
        for (got, want) in zip(forwards, truthForwards) {
            for (key, value) in want { XCTAssertEqual("\(got[key] ?? "absent")", "\(value)", "\(label): auto_forwards \(want["mailbox"]!).\(key)") }
        }
    }

    func testGeneratedMailLogsMatchTheirTruthForAnyWorkerCount() throws {
        let dir = CLI.temporaryDirectory()
        for (seed, format, extra) in [(21, "postfix", ["--syslog-time", "rfc3164"]), (22, "postfix", ["--syslog-time", "rfc3339"]),
                                      (23, "exim", []), (24, "exchange", [])] {
            let name = "\(format)-\(seed)"
            let log = dir.appendingPathComponent("\(name).log"), truth = dir.appendingPathComponent("\(name).truth.json")
            let gen = try CLI.run(["--rules", rules, "--seed", "\(seed)", "--lines", "40000", "--format", format,
                                   "--out", log.path, "--truth", truth.path] + extra, tool: "shadowscan-loggen")
            XCTAssertEqual(gen.status, 0, gen.stderr)
            let truthJSON = try CLI.json(truth)
            let mail = try XCTUnwrap(truthJSON["mail"] as? [String: Any])
            // The log must exercise every finding, or matching the truth proves little.
            for key in ["to_personal", "bounced", "deferred", "auto_forwarded", "large_to_personal"] {
                XCTAssertGreaterThan(mail[key] as? Int ?? 0, 0, "\(name): the generated log has no \(key)")
            }
            XCTAssertTrue((mail["senders"] as? [[String: Any]] ?? []).contains { !($0["self_forwarding"] as? [Any] ?? []).isEmpty }, "\(name): no self-forwarder")
            XCTAssertTrue((mail["auto_forwards"] as? [[String: Any]] ?? []).contains { $0["evidence"] as? String == "forwarding-pattern" }, "\(name): no forwarding pattern")
            var outputs: [String] = []
            for (workers, block) in [(1, "4194304"), (2, "65536"), (8, "20000")] {
                let out = try CLI.run(["analyse", log.path, "--rules", rules, "--org-domain", "council.gov.uk", "--mail-year", "2026",
                                       "--workers", "\(workers)", "--block-size", block, "--identities", "plain", "--json", "-", "--quiet"])
                XCTAssertEqual(out.status, 0, out.stderr)
                try assertMatchesTruth(report: try CLI.json(out.stdout), truth: truthJSON, "\(name) workers \(workers)")
                outputs.append(out.stdout)
            }
            XCTAssertEqual(Set(outputs).count, 1, "\(name): output differs between worker counts and block sizes")
        }
    }

    func testGeneratorIsDeterministic() throws {
        let dir = CLI.temporaryDirectory()
        var logs: [Data] = []
        for i in 0..<2 {
            let log = dir.appendingPathComponent("exim-\(i).log")
            let gen = try CLI.run(["--rules", rules, "--seed", "5", "--lines", "5000", "--format", "exim", "--out", log.path], tool: "shadowscan-loggen")
            XCTAssertEqual(gen.status, 0, gen.stderr)
            logs.append(try Data(contentsOf: log))
        }
        XCTAssertEqual(logs[0], logs[1])
    }
}
