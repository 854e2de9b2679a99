import Foundation
import XCTest

/// The CLI's workarounds and decisions on generated logs with scripted episodes must equal the
/// generator's own, independently computed truth, exactly, in every format and for any worker count.
final class WorkaroundTruthTests: XCTestCase {
    let rules = CLI.packageRoot.appendingPathComponent("Rules").path
    static let workaroundFields = ["count", "requests", "bytes", "uploads", "first_time", "last_time", "gap_ms", "blocked_host", "substitute_host"]
    static let decisionFields = ["identities_tried", "denied_attempts", "days_with_attempts", "identities_worked_around", "episodes", "bytes_to_substitutes"]

    func key(_ row: [String: Any]) -> String {
        "\(row["identity"]!) \(row["blocked"]!)>\(row["substitute"]!) \(row["kind"]!)"
    }

    func assertWorkaroundsMatch(report: [String: Any], truth: [String: Any], _ label: String) throws {
        let expected = try XCTUnwrap(truth["workarounds"] as? [[String: Any]], "\(label): truth has workarounds")
        let found = try XCTUnwrap(report["workarounds"] as? [[String: Any]])
        let byKey = Dictionary(uniqueKeysWithValues: found.map { (key($0), $0) })
        XCTAssertEqual(Set(byKey.keys), Set(expected.map(key)), "\(label): the same identity × blocked × substitute × kind rows")
        for row in expected {
            guard let got = byKey[key(row)] else { continue }
            for field in Self.workaroundFields {
                XCTAssertEqual("\(got[field] ?? "absent")", "\(row[field] ?? "absent")", "\(label): \(key(row)).\(field)")
            }
        }
        let decisions = try XCTUnwrap(report["decisions"] as? [[String: Any]])
        let byService = Dictionary(uniqueKeysWithValues: decisions.map { ($0["service"] as! String, $0) })
        let blocked = try XCTUnwrap(truth["blocked_services"] as? [[String: Any]])
        XCTAssertEqual(Set(byService.keys), Set(blocked.map { $0["service"] as! String }), "\(label): one decision per denied service")
        for expected in blocked {
            let id = expected["service"] as! String
            guard let got = byService[id] else { continue }
            XCTAssertEqual(got["blocked_by"] as? String, "proxy")
            for field in Self.decisionFields {
                XCTAssertEqual(got[field] as? Int, expected[field] as? Int, "\(label): decision \(id).\(field)")
            }
        }
    }

    func testScriptedEpisodesInEveryFormatAndWorkerCount() throws {
        let dir = CLI.temporaryDirectory()
        for (seed, format) in [(21, "squid-native"), (22, "squid-common"), (23, "squid-combined"), (24, "w3c"), (25, "zscaler-nss-json"),
                               (26, "skyhigh-web-gateway")] {
            let log = dir.appendingPathComponent("\(format).log"), truthFile = dir.appendingPathComponent("\(format).truth.json")
            let gen = try CLI.run(["--rules", rules, "--seed", "\(seed)", "--lines", "20000", "--format", format, "--out", log.path,
                                   "--truth", truthFile.path, "--workaround-episodes", "60"], tool: "shadowscan-loggen")
            XCTAssertEqual(gen.status, 0, gen.stderr)
            let truth = try CLI.json(truthFile)
            // Every kind was scripted, and the truth found at least the scripted episodes.
            let injected = try XCTUnwrap(truth["injected_episodes"] as? [String: Int])
            XCTAssertEqual(Set(injected.keys), ["substitution", "side-door", "evasion"], format)
            let rows = try XCTUnwrap(truth["workarounds"] as? [[String: Any]])
            for kind in injected.keys {
                XCTAssertGreaterThanOrEqual(rows.filter { $0["kind"] as? String == kind }.reduce(0) { $0 + ($1["count"] as! Int) }, injected[kind]!,
                                            "\(format): \(kind) episodes")
            }
            var outputs: [String] = []
            for workers in [1, 2, 8] {
                let out = try CLI.run(["analyse", log.path, "--rules", rules, "--workers", "\(workers)", "--block-size", "200000",
                                       "--json", "-", "--quiet", "--identities", "plain"])
                XCTAssertEqual(out.status, 0, out.stderr)
                try assertWorkaroundsMatch(report: try CLI.json(out.stdout), truth: truth, "\(format) workers \(workers)")
                outputs.append(out.stdout)
            }
            XCTAssertEqual(Set(outputs).count, 1, "\(format): output differs between worker counts")
        }
    }

    /// `--temp-dir` with a tiny run size (hidden `--workaround-run-events`): events spill to sorted runs
    /// there, the document is the in-memory one, and nothing is left in the directory.
    func testSpillingToTempDirGivesTheSameDocument() throws {
        let dir = CLI.temporaryDirectory()
        let log = dir.appendingPathComponent("s.log"), truthFile = dir.appendingPathComponent("s.truth.json")
        let gen = try CLI.run(["--rules", rules, "--seed", "41", "--lines", "8000", "--out", log.path, "--truth", truthFile.path,
                               "--workaround-episodes", "20"], tool: "shadowscan-loggen")
        XCTAssertEqual(gen.status, 0, gen.stderr)
        let common = ["analyse", log.path, "--rules", rules, "--json", "-", "--quiet", "--identities", "plain", "--workers", "2"]
        let inMemory = try CLI.run(common)
        XCTAssertEqual(inMemory.status, 0, inMemory.stderr)
        let spillDir = dir.appendingPathComponent("spill")
        try FileManager.default.createDirectory(at: spillDir, withIntermediateDirectories: true)
        let spilled = try CLI.run(common + ["--temp-dir", spillDir.path, "--workaround-run-events", "7", "--timings"])
        XCTAssertEqual(spilled.status, 0, spilled.stderr)
        XCTAssertTrue(spilled.stderr.contains("workaround events spilled:"), spilled.stderr)
        XCTAssertEqual(spilled.stdout, inMemory.stdout)
        try assertWorkaroundsMatch(report: try CLI.json(spilled.stdout), truth: try CLI.json(truthFile), "spilled")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: spillDir.path), [], "spill files are unlinked")

        let bad = try CLI.run(common + ["--temp-dir", dir.appendingPathComponent("missing").path])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("--temp-dir"), bad.stderr)
    }

    func testAShorterWindowInTheGeneratorAndTheAnalyser() throws {
        let dir = CLI.temporaryDirectory()
        let log = dir.appendingPathComponent("w.log"), truthFile = dir.appendingPathComponent("w.truth.json")
        let gen = try CLI.run(["--rules", rules, "--seed", "31", "--lines", "15000", "--out", log.path, "--truth", truthFile.path,
                               "--workaround-episodes", "40", "--workaround-window", "120"], tool: "shadowscan-loggen")
        XCTAssertEqual(gen.status, 0, gen.stderr)
        let out = try CLI.run(["analyse", log.path, "--rules", rules, "--workaround-window", "2m", "--json", "-", "--quiet", "--identities", "plain"])
        XCTAssertEqual(out.status, 0, out.stderr)
        try assertWorkaroundsMatch(report: try CLI.json(out.stdout), truth: try CLI.json(truthFile), "2-minute window")
    }

    func testWithoutEpisodesTheTruthHasNoWorkaroundKeys() throws {
        let dir = CLI.temporaryDirectory()
        let log = dir.appendingPathComponent("s.log"), truthFile = dir.appendingPathComponent("s.truth.json")
        let gen = try CLI.run(["--rules", rules, "--seed", "42", "--lines", "2000", "--out", log.path, "--truth", truthFile.path], tool: "shadowscan-loggen")
        XCTAssertEqual(gen.status, 0, gen.stderr)
        let truth = try CLI.json(truthFile)
        XCTAssertNil(truth["workarounds"])
        XCTAssertNil(truth["blocked_services"])
        XCTAssertNil(truth["injected_episodes"])
    }
}
