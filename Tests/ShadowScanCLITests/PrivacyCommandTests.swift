import Foundation
import XCTest

/// Pseudonyms by default, keys, the manager audience and `reveal` under audit, end to end.
final class PrivacyCommandTests: XCTestCase {
    let rules = CLI.packageRoot.appendingPathComponent("Rules").path
    let samples = CLI.packageRoot.appendingPathComponent("SampleLogs").path

    /// Every identity in the committed samples (user names and client addresses), from the generator's truth.
    func sampleIdentities() throws -> Set<String> {
        var names: Set<String> = []
        for format in ["squid-native", "squid-common", "squid-combined"] {
            let truth = try CLI.json(CLI.packageRoot.appendingPathComponent("Tests/Fixtures/samples/\(format).truth.json"))
            for user in try XCTUnwrap(truth["users"] as? [[String: Any]]) { names.insert(try XCTUnwrap(user["user"] as? String)) }
        }
        XCTAssertGreaterThan(names.count, 100)
        return names
    }

    /// Words of an output: runs of characters an identity can hold, so "a.wood" is not found inside "tea.wood.example".
    func tokens(_ text: String) -> Set<String> {
        Set(text.split { !($0.isLetter || $0.isNumber || "._@-:".contains($0)) }.map(String.init))
    }

    /// Runs analyse with every output into a fresh folder; returns the folder and every output's text.
    func analyse(_ extra: [String], paths: [String]? = nil, environment: [String: String] = [:]) throws -> (URL, [String: String], CLI.Output) {
        let dir = CLI.temporaryDirectory()
        let out = try CLI.run(["analyse"] + (paths ?? [samples]) + ["--rules", rules, "--json", dir.appendingPathComponent("r.json").path,
                               "--html", dir.appendingPathComponent("r.html").path, "--markdown", dir.appendingPathComponent("r.md").path,
                               "--csv", dir.appendingPathComponent("csv").path] + extra, environment: environment)
        XCTAssertEqual(out.status, 0, out.stderr)
        var outputs = ["summary": out.stdout, "stderr": out.stderr]
        for name in ["r.json", "r.html", "r.md"] { outputs[name] = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8) }
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("csv").path) {
            outputs["csv/" + name] = try String(contentsOf: dir.appendingPathComponent("csv/" + name), encoding: .utf8)
        }
        return (dir, outputs, out)
    }

    func users(_ dir: URL) throws -> [String] {
        try XCTUnwrap(try CLI.json(dir.appendingPathComponent("r.json"))["users"] as? [[String: Any]]).map { $0["user"] as! String }
    }

    func testByDefaultNoIdentityFromTheInputAppearsInAnyOutput() throws {
        let identities = try sampleIdentities()
        let (dir, outputs, _) = try analyse([])
        XCTAssertGreaterThanOrEqual(outputs.count, 10)
        for (name, text) in outputs {
            let leaked = tokens(text).intersection(identities)
            XCTAssertTrue(leaked.isEmpty, "\(name) holds \(leaked.sorted().prefix(5))")
        }
        let shown = try users(dir)
        XCTAssertFalse(shown.isEmpty)
        XCTAssertTrue(shown.allSatisfy { $0.wholeMatch(of: /u-[0-9a-f]{12}/) != nil }, "\(shown.prefix(3))")
        let privacy = try XCTUnwrap(try CLI.json(dir.appendingPathComponent("r.json"))["privacy"] as? [String: Any])
        XCTAssertEqual(privacy["identities"] as? String, "pseudonym")
        XCTAssertNotNil((privacy["key_id"] as? String)?.wholeMatch(of: /k-[0-9a-f]{8}/))
    }

    func testTheSameKeyGivesTheSamePseudonymsAcrossRuns() throws {
        let keys = CLI.temporaryDirectory()
        let key1 = keys.appendingPathComponent("k1").path, key2 = keys.appendingPathComponent("k2").path
        XCTAssertEqual(try CLI.run(["key", "new", key1]).status, 0)
        XCTAssertEqual(try CLI.run(["key", "new", key2]).status, 0)
        let (a, _, _) = try analyse(["--key-file", key1])
        let (b, _, _) = try analyse(["--key-file", key1, "--workers", "1"])
        let (c, _, _) = try analyse(["--key-file", key2])
        XCTAssertEqual(try users(a), try users(b), "same key, same pseudonyms")
        XCTAssertTrue(Set(try users(a)).isDisjoint(with: try users(c)), "another key, other pseudonyms")
        XCTAssertEqual(Set(try users(a)).count, try users(a).count, "no collision among the samples' identities")
    }

    func testPlainIdentitiesAreAnExplicitChoice() throws {
        let (dir, outputs, _) = try analyse(["--identities", "plain"])
        XCTAssertTrue(try users(dir).contains("a.wood"))
        XCTAssertTrue(outputs["r.html"]!.contains("handle this report as personal data"))
        XCTAssertEqual(try CLI.json(dir.appendingPathComponent("r.json"))["privacy"].flatMap { ($0 as? [String: Any])?["identities"] as? String }, "plain")
    }

    func testManagerReportsListNobodyAndHideSmallGroups() throws {
        let identities = try sampleIdentities()
        let (dir, outputs, _) = try analyse(["--audience", "manager"])
        for (name, text) in outputs {
            XCTAssertTrue(tokens(text).intersection(identities).isEmpty, "\(name) lists an individual")
            XCTAssertFalse(tokens(text).contains { $0.wholeMatch(of: /u-[0-9a-f]{12}/) != nil }, "\(name) lists a pseudonym")
        }
        let doc = try CLI.json(dir.appendingPathComponent("r.json"))
        XCTAssertEqual((doc["users"] as? [Any])?.count, 0)
        let services = try XCTUnwrap(doc["services"] as? [[String: Any]])
        XCTAssertFalse(services.isEmpty)
        XCTAssertTrue(services.allSatisfy { ($0["users"] as? Int ?? 0) >= 5 })
        let privacy = try XCTUnwrap(doc["privacy"] as? [String: Any])
        XCTAssertEqual(privacy["identities"] as? String, "none")
        XCTAssertEqual(privacy["min_group_size"] as? Int, 5)
        let suppressed = try XCTUnwrap(privacy["suppressed"] as? [[String: Any]])
        XCTAssertTrue(suppressed.contains { $0["table"] as? String == "services" && ($0["rows"] as? Int ?? 0) > 0 }, "\(suppressed)")
        XCTAssertTrue(outputs["r.html"]!.contains("row(s) not shown (fewer than 5 people)"))
        XCTAssertEqual(outputs["csv/users.csv"], "user,requests,denied,services\r\n")

        let (strict, _, _) = try analyse(["--audience", "manager", "--min-group-size", "40"])
        let strictServices = try XCTUnwrap(try CLI.json(strict.appendingPathComponent("r.json"))["services"] as? [[String: Any]])
        XCTAssertLessThan(strictServices.count, services.count)
        XCTAssertTrue(strictServices.allSatisfy { ($0["users"] as? Int ?? 0) >= 40 })
        XCTAssertEqual(try CLI.run(["analyse", samples, "--audience", "boss"]).status, 2)
        XCTAssertEqual(try CLI.run(["analyse", samples, "--min-group-size", "1"]).status, 2)
    }

    func testKeyNewWritesA0600FileAndNeverOverwrites() throws {
        let path = CLI.temporaryDirectory().appendingPathComponent("key").path
        let out = try CLI.run(["key", "new", path])
        XCTAssertEqual(out.status, 0, out.stderr)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        XCTAssertEqual((attributes[.size] as? NSNumber)?.intValue, 32)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let again = try CLI.run(["key", "new", path])
        XCTAssertEqual(again.status, 2)
        XCTAssertTrue(again.stderr.contains("refusing to overwrite"), again.stderr)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
        let id = try CLI.run(["key", "id", path])
        XCTAssertEqual(id.status, 0)
        XCTAssertTrue(out.stdout.contains(id.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    func testTheDefaultKeyIsCreatedOnFirstUseWithANotice() throws {
        let home = CLI.temporaryDirectory()
        let first = try CLI.run(["analyse", samples + "/squid-native.log", "--rules", rules, "--json", "-", "--quiet"], environment: ["XDG_DATA_HOME": home.path])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertTrue(first.stderr.contains("notice: created a pseudonym key at \(home.path)/shadowscan/key"), first.stderr)
        let second = try CLI.run(["analyse", samples + "/squid-native.log", "--rules", rules, "--json", "-", "--quiet"], environment: ["XDG_DATA_HOME": home.path])
        XCTAssertFalse(second.stderr.contains("notice"), second.stderr)
        XCTAssertEqual(first.stdout, second.stdout, "stable pseudonyms")
        let attributes = try FileManager.default.attributesOfItem(atPath: home.path + "/shadowscan/key")
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
    }

    func testAMissingOrBadKeyStopsTheRunWithNothingWritten() throws {
        let dir = CLI.temporaryDirectory()
        let json = dir.appendingPathComponent("r.json")
        let out = try CLI.run(["analyse", samples, "--rules", rules, "--key-file", dir.appendingPathComponent("none").path, "--json", json.path])
        XCTAssertEqual(out.status, 2)
        XCTAssertTrue(out.stderr.contains("cannot read key file"), out.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: json.path))
        try "short".write(to: dir.appendingPathComponent("bad"), atomically: true, encoding: .utf8)
        let bad = try CLI.run(["analyse", samples, "--rules", rules, "--key-file", dir.appendingPathComponent("bad").path, "--json", json.path])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("not a ShadowScan key"), bad.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: json.path))
    }

    func testRevealResolvesUnderAuditAndRefusesWithoutAReason() throws {
        let dir = CLI.temporaryDirectory()
        let key = dir.appendingPathComponent("key").path
        XCTAssertEqual(try CLI.run(["key", "new", key]).status, 0)
        let log = samples + "/squid-native.log"
        let report = try CLI.run(["analyse", log, "--rules", rules, "--key-file", key, "--json", "-", "--quiet"])
        let plain = try CLI.run(["analyse", log, "--rules", rules, "--identities", "plain", "--json", "-", "--quiet"])
        let pseudonym = try XCTUnwrap((try CLI.json(report.stdout)["users"] as? [[String: Any]])?.first?["user"] as? String)
        let name = try XCTUnwrap((try CLI.json(plain.stdout)["users"] as? [[String: Any]])?.first?["user"] as? String)
        let audit = dir.appendingPathComponent("reveal-audit.log").path

        let noReason = try CLI.run(["reveal", pseudonym, "--key-file", key, "--logs", log, "--rules", rules])
        XCTAssertEqual(noReason.status, 2)
        XCTAssertTrue(noReason.stderr.contains("--reason is required"), noReason.stderr)
        XCTAssertEqual(try CLI.run(["reveal", pseudonym, "--key-file", key, "--logs", log, "--rules", rules, "--reason", "   "]).status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: audit), "nothing revealed, nothing to audit")
        XCTAssertEqual(try CLI.run(["reveal", "jsmith", "--key-file", key, "--logs", log, "--reason", "x"]).status, 2, "not a pseudonym")

        let found = try CLI.run(["reveal", pseudonym, "--key-file", key, "--logs", log, "--rules", rules, "--reason", "INC-4711 \"approved\" by the DPO"],
                                environment: ["LOGNAME": "analyst1", "SUDO_USER": ""])
        XCTAssertEqual(found.status, 0, found.stderr)
        XCTAssertEqual(found.stdout, name + "\n")
        XCTAssertTrue(found.stderr.contains("recorded in \(audit)"), found.stderr)

        let missing = try CLI.run(["reveal", "u-000000000000", "--key-file", key, "--logs", log, "--rules", rules, "--reason", "typo check",
                                   "--audit-log", audit], environment: ["LOGNAME": "analyst2"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stdout, "")

        let lines = try String(contentsOfFile: audit, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 2, "one line per reveal, appended")
        let entry = try CLI.json(String(lines[0]))
        XCTAssertEqual(entry["user"] as? String, "analyst1")
        XCTAssertEqual(entry["pseudonym"] as? String, pseudonym)
        XCTAssertEqual(entry["reason"] as? String, "INC-4711 \"approved\" by the DPO")
        XCTAssertEqual(entry["outcome"] as? String, "found")
        XCTAssertNotNil((entry["time"] as? String)?.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/))
        XCTAssertEqual(try CLI.json(String(lines[1]))["outcome"] as? String, "not-found")
        XCTAssertEqual(try CLI.json(String(lines[1]))["user"] as? String, "analyst2")
        XCTAssertFalse(lines.contains { $0.contains(name) }, "the audit log never holds the identity")
        let mode = (try FileManager.default.attributesOfItem(atPath: audit)[.posixPermissions] as? NSNumber)?.intValue
        XCTAssertEqual(mode, 0o600)
    }

    func testRevealWithABrokenCatalogueNamesEveryProblemAndExitsTwo() throws {
        let dir = CLI.temporaryDirectory()
        let key = dir.appendingPathComponent("key").path, rulesDir = dir.appendingPathComponent("rules")
        XCTAssertEqual(try CLI.run(["key", "new", key]).status, 0)
        try FileManager.default.createDirectory(at: rulesDir, withIntermediateDirectories: true)
        try "services:\n  - id: x\n    colour: red\n".write(to: rulesDir.appendingPathComponent("bad.yaml"), atomically: true, encoding: .utf8)
        let out = try CLI.run(["reveal", "u-000000000000", "--key-file", key, "--logs", samples + "/squid-common.log",
                               "--rules", rulesDir.path, "--reason", "INC-1"])
        XCTAssertEqual(out.status, 2)
        XCTAssertTrue(out.stderr.contains("bad.yaml:3:5: unknown key 'colour'"), out.stderr)
        XCTAssertTrue(out.stderr.contains("problem(s) in the service catalogue \(rulesDir.path); nothing revealed"), out.stderr)
        XCTAssertEqual(out.stdout, "")
    }

    func testRevealFromTheHistoryStore() throws {
        let dir = CLI.temporaryDirectory()
        let key = dir.appendingPathComponent("key").path, store = dir.appendingPathComponent("history.sqlite").path
        XCTAssertEqual(try CLI.run(["key", "new", key]).status, 0)
        let log = samples + "/squid-common.log"
        let report = try CLI.run(["analyse", log, "--rules", rules, "--key-file", key, "--store", store, "--json", "-", "--quiet"])
        XCTAssertEqual(report.status, 0, report.stderr)
        let users = try XCTUnwrap(try CLI.json(report.stdout)["users"] as? [[String: Any]])
        let pseudonym = try XCTUnwrap(users.last?["user"] as? String)
        let plain = try CLI.run(["analyse", log, "--rules", rules, "--identities", "plain", "--json", "-", "--quiet"])
        let names = Set(try XCTUnwrap(try CLI.json(plain.stdout)["users"] as? [[String: Any]]).map { $0["user"] as! String })

        // The logs may be gone: the store holds the run's identities.
        let found = try CLI.run(["reveal", pseudonym, "--key-file", key, "--store", store, "--reason", "INC-9"])
        XCTAssertEqual(found.status, 0, found.stderr)
        XCTAssertTrue(names.contains(found.stdout.trimmingCharacters(in: .newlines)), found.stdout)
        let entry = try CLI.json(String(try String(contentsOfFile: dir.appendingPathComponent("reveal-audit.log").path, encoding: .utf8)
            .split(separator: "\n").last!))
        XCTAssertEqual((entry["sources"] as? [String])?.first, "store:" + URL(fileURLWithPath: store).standardizedFileURL.path)
        XCTAssertEqual(try CLI.run(["reveal", pseudonym, "--key-file", key, "--store", dir.appendingPathComponent("none.sqlite").path, "--reason", "x"]).status, 2)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("none.sqlite").path), "a typo creates no store")
        XCTAssertEqual(try CLI.run(["reveal", pseudonym, "--key-file", key, "--reason", "x"]).status, 2, "logs or a store are needed")
    }

    func testMailAddressesAreHiddenInEveryOutputAndRevealable() throws {
        let dir = CLI.temporaryDirectory()
        let mailLog = dir.appendingPathComponent("mail.log")
        try MailCommandTests.postfix.write(to: mailLog, atomically: true, encoding: .utf8)
        let key = dir.appendingPathComponent("key").path
        XCTAssertEqual(try CLI.run(["key", "new", key]).status, 0)
        let (out, outputs, _) = try analyse(["--key-file", key, "--org-domain", "council.gov.uk", "--mail-year", "2026"],
                                            paths: [mailLog.path, samples + "/squid-native.log"])
        XCTAssertTrue(outputs["r.html"]!.contains("Mail to personal mailboxes"))
        XCTAssertTrue(outputs.keys.contains("csv/mail_senders.csv"))
        for (name, text) in outputs {
            for secret in ["jane.smith", "janesmith1975", "bob.jones", "bob1980", "'jane'", "'smith'"] {
                XCTAssertFalse(text.contains(secret), "\(name) holds \(secret)")
            }
        }
        let mail = try XCTUnwrap(try CLI.json(out.appendingPathComponent("r.json"))["mail"] as? [String: Any])
        let sender = try XCTUnwrap((mail["senders"] as? [[String: Any]])?.first?["sender"] as? String)
        XCTAssertNotNil(sender.wholeMatch(of: /u-[0-9a-f]{12}@council\.gov\.uk/), sender)
        let found = try CLI.run(["reveal", sender, "--key-file", key, "--logs", mailLog.path, "--rules", rules, "--reason", "INC-7"])
        XCTAssertEqual(found.status, 0, found.stderr)
        XCTAssertEqual(found.stdout, "jane.smith@council.gov.uk\n")
    }
}
