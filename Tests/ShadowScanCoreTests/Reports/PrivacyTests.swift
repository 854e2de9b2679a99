import XCTest
@testable import ShadowScanCore

final class PrivacyTests: XCTestCase {
    func testPseudonymsAreKeyedStableAndShort() {
        let a = ReportFixtures.pseudonyms
        let b = Pseudonyms(key: PseudonymKey(bytes: Array(repeating: 7, count: 32), path: "other"))
        XCTAssertEqual(a.pseudonym("jsmith"), a.pseudonym("jsmith"))
        XCTAssertNotEqual(a.pseudonym("jsmith"), a.pseudonym("jsmith2"))
        XCTAssertNotEqual(a.pseudonym("jsmith"), b.pseudonym("jsmith"), "another key, other pseudonyms")
        XCTAssertNotNil(a.pseudonym("jsmith").wholeMatch(of: /u-[0-9a-f]{12}/))
        XCTAssertEqual(Pseudonyms.digestPart(of: a.pseudonym("x").uppercased()), String(a.pseudonym("x").dropFirst(2)))
        XCTAssertNil(Pseudonyms.digestPart(of: "jsmith"))
        XCTAssertNil(Pseudonyms.digestPart(of: "u-12345"))
        XCTAssertNotNil(ReportFixtures.key.id.wholeMatch(of: /k-[0-9a-f]{8}/))
    }

    func testHMACMatchesAnIndependentComputation() throws {
        // HMAC-SHA-256(key 00..1f, "shadowscan.identity.v1" NUL "jsmith"), computed with Python's hmac module.
        XCTAssertEqual(ReportFixtures.pseudonyms.pseudonym("jsmith"), "u-" + String(try Self.pythonHMAC("jsmith").prefix(12)))
    }

    static func pythonHMAC(_ identity: String) throws -> String {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") else { throw XCTSkip("python3 is not installed") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", "import hmac,hashlib,sys; print(hmac.new(bytes(range(32)), b'shadowscan.identity.v1\\0' + sys.argv[1].encode(), hashlib.sha256).hexdigest())", identity]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testMailAddressesKeepOnlyKnownDomains() {
        let p = ReportFixtures.pseudonyms
        let keep: (String) -> Bool = { ["gmail.com", "corp.example"].contains($0) }
        XCTAssertEqual(p.pseudonym(address: "jane@gmail.com", keepDomain: keep), p.pseudonym("jane@gmail.com") + "@gmail.com")
        XCTAssertEqual(p.pseudonym(address: "jane@smith-family.example", keepDomain: keep), p.pseudonym("jane@smith-family.example"))
    }

    func testDefaultReportsHoldNoIdentityInAnyOutput() throws {
        let shown = PrivacyTransform.apply(ReportFixtures.result(), PrivacyOptions(pseudonyms: ReportFixtures.pseudonyms))
        XCTAssertEqual(shown.privacy.identities, "pseudonym")
        XCTAssertEqual(shown.privacy.keyID, ReportFixtures.key.id)
        let outputs = [JSONReport.document(shown).serialized(), TextSummary.render(shown), try HTMLReport.render(shown, version: "t"),
                       try MarkdownReport.render(shown, version: "t")] + CSVReport.tables(shown).map(\.text)
        for identity in ReportFixtures.identityOnly {
            for (i, output) in outputs.enumerated() {
                XCTAssertFalse(output.contains(identity), "output \(i) holds \(identity.debugDescription)")
                XCTAssertFalse(output.contains(HTMLEscaping.escape(identity)), "output \(i) holds \(identity.debugDescription), escaped")
            }
        }
        XCTAssertTrue(shown.users.allSatisfy { Pseudonyms.digestPart(of: $0.user) != nil })
        XCTAssertTrue(shown.workarounds.allSatisfy { Pseudonyms.digestPart(of: $0.identity) != nil })
        XCTAssertTrue(shown.mail.senders[0].sender.hasSuffix("@corp.example"))
        XCTAssertFalse(shown.mail.autoForwards[0].recipient.contains("vanity-domain"), "a vanity domain names the person")
        XCTAssertEqual(shown.mail.senders[0].selfForwarding[0].reason, "first name '…' and surname '…' both appear", "matched name parts are names")
        for (i, output) in outputs.enumerated() { XCTAssertFalse(output.contains("'jane'"), "output \(i) quotes a name") }
    }

    func testEveryIdentityIsMappedOnceAndResolvable() {
        let result = ReportFixtures.result()
        let all = PrivacyTransform.identities(in: result).map(\.1)
        XCTAssertTrue(Set(all).isSuperset(of: ["jsmith", "jane.doe@corp.example", "jane.doe1980@gmail.com", "boss@corp.example",
                                                "boss.private@vanity-domain.example", ReportFixtures.hostile[0]]))
        let p = ReportFixtures.pseudonyms
        XCTAssertEqual(PseudonymResolver.resolve(p.pseudonym("jsmith"), in: result, with: p), ["jsmith"])
        XCTAssertEqual(PseudonymResolver.resolve(p.pseudonym("jane.doe@corp.example") + "@corp.example", in: result, with: p), ["jane.doe@corp.example"])
        XCTAssertEqual(PseudonymResolver.resolve(p.pseudonym("nobody"), in: result, with: p), [])
    }

    func testManagerAudienceSuppressesSmallGroupsAndAllIndividuals() {
        var options = PrivacyOptions(audience: .manager, minGroupSize: 5)
        options.recommend = { d in .init(action: "re-run", summary: "\(d.substitutes.count) substitutes", reasons: []) }
        let r = PrivacyTransform.apply(ReportFixtures.result(), options)
        XCTAssertEqual(r.privacy.identities, "none")
        XCTAssertEqual(r.privacy.minGroupSize, 5)
        XCTAssertTrue(r.users.isEmpty && r.workarounds.isEmpty && r.mail.senders.isEmpty && r.mail.autoForwards.isEmpty)
        XCTAssertEqual(r.services.map(\.id), ["dropbox", "wetransfer"], "Gmail had 3 people")
        XCTAssertEqual(r.categories.map(\.category), ["cloud-storage", "file-transfer"])
        XCTAssertEqual(r.unknownDomains.count, 1)
        XCTAssertEqual(r.timeline.count, 2, "the day with 3 people is hidden")
        XCTAssertTrue(r.timeline.allSatisfy { $0.services.map(\.service) == ["dropbox"] })
        XCTAssertEqual(r.decisions[0].substitutes.map(\.service), ["wetransfer"])
        XCTAssertEqual(r.decisions[0].substitutesByBytes, ["wetransfer"])
        XCTAssertEqual(r.decisions[0].departments.map(\.department), ["Finance"])
        XCTAssertEqual(r.decisions[0].recommendation.action, "re-run", "the advisor words it again without the hidden substitute")
        XCTAssertEqual(r.mail.personalDomains.count, 0, "1 sender")
        let tables = Dictionary(uniqueKeysWithValues: r.privacy.suppressed.map { ($0.table, $0.rows) })
        XCTAssertEqual(tables["users"], 15)
        XCTAssertEqual(tables["services"], 1)
        XCTAssertEqual(tables["timeline"], 1)
        XCTAssertEqual(tables["timeline.services"], 4)
        XCTAssertEqual(tables["decisions.substitutes"], 1)
        XCTAssertEqual(tables["decisions.departments"], 1)
    }

    /// A manager report's totals count only what it shows: otherwise subtracting the shown rows from a
    /// total gives back a hidden group (here Drive sharing, 2 people, and a day on which 2 people used Dropbox).
    func testManagerTotalsCountOnlyTheRowsShown() throws {
        var lines: [String] = []
        func request(_ seconds: Int, _ user: String, _ url: String) {
            lines.append("\(1_763_449_200 + seconds).000 100 10.0.0.1 TCP_MISS/200 1000 GET \(url) \(user) HIER_DIRECT/192.0.2.1 text/html")
        }
        let day = 86_400
        for i in 1...6 { request(i, "u\(i)", "https://www.dropbox.com/home") }         // day 1: Dropbox, 6 people
        for i in 6...7 { request(10 + i, "u\(i)", "https://drive.example.net/s/abc") }  // day 1: Drive sharing, 2 people (u7 nothing else)
        for i in 8...12 { request(20 + i, "u\(i)", "https://gist.github.com/x") }       // day 1: Gist, 5 people
        for i in 1...2 { request(day + i, "u\(i)", "https://www.dropbox.com/home") }   // day 2: Dropbox, 2 people
        let file = TestSupport.temporaryDirectory().appendingPathComponent("access.log")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let analysed = Analyzer(catalog: try TestSupport.catalog(TestSupport.smallCatalogue), options: AnalysisOptions(workers: 1, format: .squidNative))
            .run(paths: [file.path])
        XCTAssertEqual(analysed.totals.matched, 15)
        XCTAssertEqual(analysed.timeline.map(\.users), [12, 2])
        XCTAssertEqual(analysed.timeline[0].usersByLargestCell, [.init(cellUsers: 2, users: 1), .init(cellUsers: 5, users: 5), .init(cellUsers: 6, users: 6)])

        let r = PrivacyTransform.apply(analysed, PrivacyOptions(audience: .manager, minGroupSize: 5))
        XCTAssertEqual(r.services.map(\.id), ["dropbox", "github-gist"])
        XCTAssertEqual(r.totals.matched, 13, "requests to the services shown")
        let storage = try XCTUnwrap(r.categories.first { $0.category == "cloud-storage" })
        XCTAssertEqual([storage.services, storage.requests, storage.users], [1, 8, 6], "Dropbox alone: not Drive sharing's 2 requests, nor u7")
        XCTAssertEqual(r.timeline.map(\.date), [analysed.timeline[0].date], "day 2 had only a group of 2")
        XCTAssertEqual([r.timeline[0].requests, r.timeline[0].users], [11, 11], "day 1 without Drive sharing's cell")
        // Every total equals the sum of the rows shown under it.
        for category in r.categories {
            let members = r.services.filter { $0.category == category.category }
            XCTAssertEqual(category.requests, members.reduce(0) { $0 + $1.requests }, category.category)
            XCTAssertEqual(category.denied, members.reduce(0) { $0 + $1.denied }, category.category)
            XCTAssertEqual(category.bytesIn, members.reduce(0) { $0 + $1.bytesIn }, category.category)
        }
        for d in r.timeline {
            XCTAssertEqual(d.requests, d.services.reduce(0) { $0 + $1.requests }, d.date)
            XCTAssertEqual(d.denied, d.services.reduce(0) { $0 + $1.denied }, d.date)
        }
        // And so in what is rendered.
        let csv = Dictionary(uniqueKeysWithValues: CSVReport.tables(r).map { ($0.name, CSVReportTests.parse($0.text)) })
        let categories = try XCTUnwrap(csv["categories"])
        let row = try XCTUnwrap(categories.first { $0.first == "cloud-storage" })
        XCTAssertEqual(row[categories[0].firstIndex(of: "requests")!], "8")
        XCTAssertEqual(row[categories[0].firstIndex(of: "users")!], "6")
        let markdown = try MarkdownReport.render(r, version: "test")
        XCTAssertTrue(markdown.contains("13 requests to 2 catalogue services"), markdown)
        XCTAssertTrue(TextSummary.render(r).contains("13 to the catalogue services shown"))
    }

    func testWithoutTheAdvisorReasonsNamingHiddenSubstitutesGo() {
        let r = PrivacyTransform.apply(ReportFixtures.result(), PrivacyOptions(audience: .manager))
        let recommendation = r.decisions[0].recommendation
        XCTAssertFalse(recommendation.reasons.contains { $0.contains("Gmail") }, "\(recommendation.reasons)")
        XCTAssertFalse(recommendation.summary.contains("Gmail"))
    }

    func testKeyFilesAreCreatedOnceWithMode0600() throws {
        let dir = TestSupport.temporaryDirectory()
        let path = dir.appendingPathComponent("key").path
        let key = try PseudonymKey.create(at: path)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        XCTAssertEqual((attributes[.size] as? NSNumber)?.intValue, 32)
        XCTAssertThrowsError(try PseudonymKey.create(at: path)) { XCTAssertTrue("\($0)".contains("refusing to overwrite"), "\($0)") }
        XCTAssertEqual(try PseudonymKey.load(from: path).id, key.id)
        XCTAssertNotEqual(try PseudonymKey.create(at: dir.appendingPathComponent("key2").path).id, key.id, "random keys")

        let hex = dir.appendingPathComponent("hex").path
        try (String(repeating: "0f", count: 32) + "\n").write(toFile: hex, atomically: true, encoding: .utf8)
        XCTAssertEqual(try PseudonymKey.load(from: hex).bytes, Array(repeating: 0x0f, count: 32))
        XCTAssertFalse(try PseudonymKey.load(from: hex).warnings.isEmpty, "a world-readable key is worth a warning")

        let short = dir.appendingPathComponent("short").path
        try "abc".write(toFile: short, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try PseudonymKey.load(from: short)) { XCTAssertTrue("\($0)".contains("not a ShadowScan key")) }
        XCTAssertThrowsError(try PseudonymKey.load(from: dir.appendingPathComponent("none").path))
    }

    func testDefaultKeyIsCreatedOnceAndReused() throws {
        let dir = TestSupport.temporaryDirectory()
        let path = try XCTUnwrap(PseudonymKey.defaultPath(environment: ["XDG_DATA_HOME": dir.path]))
        XCTAssertEqual(path, dir.path + "/shadowscan/key")
        XCTAssertEqual(PseudonymKey.defaultPath(environment: ["HOME": "/home/x"]), "/home/x/.local/share/shadowscan/key")
        XCTAssertNil(PseudonymKey.defaultPath(environment: [:]))
        let first = try PseudonymKey.loadOrCreate(at: path)
        let second = try PseudonymKey.loadOrCreate(at: path)
        XCTAssertTrue(first.created)
        XCTAssertFalse(second.created)
        XCTAssertEqual(first.key.id, second.key.id)
        let folder = try FileManager.default.attributesOfItem(atPath: dir.path + "/shadowscan")
        XCTAssertEqual((folder[.posixPermissions] as? NSNumber)?.intValue, 0o700)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/shadowscan"), ["key"], "no temporary file left")
    }

    func testAuditLogAppendsOneJSONLinePerEntry() throws {
        let path = TestSupport.temporaryDirectory().appendingPathComponent("audit.log").path
        let entry = RevealAudit.Entry(timeMillis: 1_794_038_400_000, user: "analyst", account: "root", sudoUser: nil, uid: 0, host: "h",
                                      pseudonym: "u-000000000000", reason: "INC-1 \"quoted\"\nnext line", keyID: "k-1", sources: ["/logs"],
                                      outcome: "found", matches: 1)
        for _ in 0..<2 {
            let audit = try RevealAudit(path: path)
            try audit.append(entry)
            audit.finish()
        }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[1].utf8)) as? [String: Any])
        XCTAssertEqual(object["reason"] as? String, "INC-1 \"quoted\"\nnext line")
        XCTAssertEqual(object["time"] as? String, "2026-11-07T08:00:00.000Z")
        XCTAssertEqual(object["pseudonym"] as? String, "u-000000000000")
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue, 0o600)
    }
}
