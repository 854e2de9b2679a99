import XCTest
@testable import ShadowScanCore

final class RuleCoverageTests: XCTestCase {
    static let samples = TestSupport.packageRoot.appendingPathComponent("SampleLogs").path

    func write(_ lines: [String]) throws -> String {
        let file = TestSupport.temporaryDirectory().appendingPathComponent("access.log")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    /// Per-service requests and identities and the unknown domains equal what the analyser reports.
    func testAgreesWithTheAnalyserOnTheSampleLogs() throws {
        let catalog = try RuleCatalogLoader.load(directory: TestSupport.rulesDirectory)
        let report = RuleCoverage(catalog: catalog).run(paths: [Self.samples])
        let result = Analyzer(catalog: catalog, options: AnalysisOptions(workers: 2)).run(paths: [Self.samples])
        XCTAssertEqual(report.totals.lines, result.totals.lines)
        XCTAssertEqual(report.totals.records, result.totals.records)
        XCTAssertEqual(report.totals.malformed, result.totals.malformed)
        XCTAssertEqual(report.totals.matched, result.totals.matched)
        for service in result.services {
            let hits = try XCTUnwrap(report.services.first { $0.id == service.id })
            XCTAssertEqual(hits.requests, service.requests, service.id)
            XCTAssertEqual(hits.users, service.users, service.id)
            XCTAssertEqual(hits.domains.reduce(0) { $0 + $1.hits }, service.requests, "every request is decided by one domain: \(service.id)")
        }
        XCTAssertEqual(Set(report.neverHitServices), Set(catalog.services.map(\.id)).subtracting(result.services.map(\.id)))
        for (a, b) in zip(result.unknownDomains, report.unknownByUsers) {
            XCTAssertEqual([a.domain, "\(a.users)", "\(a.requests)", "\(a.bytes)"], [b.domain, "\(b.users)", "\(b.requests)", "\(b.bytes)"])
        }
        XCTAssertEqual(report.unknownByBytes.first?.bytes, report.unknownByUsers.map(\.bytes).max())
    }

    /// The real Squid logs of the corpus: coverage reads them as the analyser does (skipped when absent).
    func testCorpusSquidLogsAgreeWithTheAnalyser() throws {
        let dir = TestSupport.corpus.appendingPathComponent("squid-native").path
        guard FileManager.default.fileExists(atPath: dir) else { throw XCTSkip("corpus not present at \(dir)") }
        let catalog = try RuleCatalogLoader.load(directory: TestSupport.rulesDirectory)
        let report = RuleCoverage(catalog: catalog).run(paths: [dir])
        let result = Analyzer(catalog: catalog, options: AnalysisOptions(workers: 2)).run(paths: [dir])
        XCTAssertEqual(report.totals.lines, result.totals.lines)
        XCTAssertEqual(report.totals.records, result.totals.records)
        XCTAssertEqual(report.totals.matched, result.totals.matched)
        XCTAssertGreaterThan(report.totals.matched, 0, "the corpus has Google Docs, YouTube, Facebook, Yahoo traffic")
        for service in result.services {
            XCTAssertEqual(report.services.first { $0.id == service.id }?.requests, service.requests, service.id)
        }
    }

    func testPerRuleHitsAndRulesNeverHit() throws {
        let catalog = try TestSupport.catalog(TestSupport.smallCatalogue)
        let log = try write([
            "1794038400.000 1 10.0.0.1 TCP_MISS/200 100 GET https://www.dropbox.com/ alice HIER_DIRECT/1.1.1.1 -",
            "1794038401.000 1 10.0.0.2 TCP_MISS/200 100 GET https://www.dropbox.com/ bob HIER_DIRECT/1.1.1.1 -",
            "1794038402.000 1 10.0.0.2 TCP_MISS/200 100 GET https://drive.example.net/s/x bob HIER_DIRECT/1.1.1.1 -",
            "1794038403.000 1 10.0.0.2 TCP_MISS/200 100 GET https://drive.example.net/other bob HIER_DIRECT/1.1.1.1 -",
            "1794038404.000 1 10.0.0.3 TCP_MISS/200 900 GET https://cdn.unknown.example/ - HIER_DIRECT/1.1.1.1 -",
            "1794038405.000 1 10.0.0.4 TCP_MISS/200 50 GET https://www.other.example/ carol HIER_DIRECT/1.1.1.1 -",
            "1794038406.000 1 10.0.0.4 TCP_MISS/200 50 GET https://other.example/ dave HIER_DIRECT/1.1.1.1 -",
            "junk",
        ])
        let report = RuleCoverage(catalog: catalog).run(paths: [log])
        XCTAssertEqual(report.totals.malformed, 1)
        let dropbox = try XCTUnwrap(report.services.first { $0.id == "dropbox" })
        XCTAssertEqual(dropbox.requests, 2)
        XCTAssertEqual(dropbox.users, 2)
        XCTAssertEqual(dropbox.domains.map(\.hits), [2, 0])
        let drive = try XCTUnwrap(report.services.first { $0.id == "drive-share" })
        XCTAssertEqual(drive.patterns.map(\.hits), [1])
        XCTAssertEqual(drive.patternMisses, 1)
        XCTAssertEqual(report.neverHitServices, ["github-gist"])
        XCTAssertEqual(report.neverHitDomains.map(\.rule), ["dropboxapi.com", "gist.github.com"])
        XCTAssertEqual(report.unknownByUsers.map(\.domain), ["other.example", "unknown.example"])
        XCTAssertEqual(report.unknownByBytes.map(\.domain), ["unknown.example", "other.example"])
        XCTAssertEqual(report.unknownByUsers.first?.users, 2)
    }

    func testComparisonReportsGainedLostAndChanged() throws {
        let old = try TestSupport.catalog(TestSupport.smallCatalogue)
        let new = try TestSupport.catalog(TestSupport.smallCatalogue
            .replacingOccurrences(of: "domains: [dropbox.com, dropboxapi.com]", with: "domains: [dropbox.com, dropboxusercontent.com]")
            .replacingOccurrences(of: "domains: [gist.github.com]", with: "domains: [gist.github.com, drive.example.net]")
            .replacingOccurrences(of: "domains: [drive.example.net]", with: "domains: [share.example.net]"))
        let log = try write([
            "1794038400.000 1 10.0.0.1 TCP_MISS/200 100 GET https://dl.dropboxusercontent.com/x alice HIER_DIRECT/1.1.1.1 -",
            "1794038401.000 1 10.0.0.1 TCP_MISS/200 100 GET https://content.dropboxapi.com/x alice HIER_DIRECT/1.1.1.1 -",
            "1794038402.000 1 10.0.0.2 TCP_MISS/200 100 GET https://drive.example.net/s/x bob HIER_DIRECT/1.1.1.1 -",
            "1794038403.000 1 10.0.0.2 TCP_MISS/200 100 GET https://www.dropbox.com/ bob HIER_DIRECT/1.1.1.1 -",
        ])
        let report = RuleCoverage(catalog: new, baseline: old).run(paths: [log])
        let c = try XCTUnwrap(report.comparison)
        XCTAssertEqual(c.gained.map { "\($0.from ?? "-")>\($0.to ?? "-") \($0.requests) \($0.samples)" }, ["->dropbox 1 [\"\(log):1\"]"])
        XCTAssertEqual(c.lost.map { "\($0.from ?? "-")>\($0.to ?? "-") \($0.requests)" }, ["dropbox>- 1"])
        XCTAssertEqual(c.changed.map { "\($0.from ?? "-")>\($0.to ?? "-") \($0.requests)" }, ["drive-share>github-gist 1"])
        XCTAssertEqual(c.services.map { "\($0.id) \($0.before)->\($0.after)" }.sorted(), ["drive-share 1->0", "github-gist 0->1"])
    }

    func testGitSnapshotOfTheRulesAtARevision() throws {
        let repo = TestSupport.temporaryDirectory()
        let rules = repo.appendingPathComponent("Rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        func git(_ args: [String]) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["git", "-C", repo.path, "-c", "user.name=t", "-c", "user.email=t@example.invalid"] + args
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run(); p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, args.joined(separator: " "))
        }
        try git(["init", "-q"])
        try TestSupport.smallCatalogue.write(to: rules.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        try git(["add", "."]); try git(["commit", "-q", "-m", "one"])
        try "changed".write(to: rules.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        let snapshot = try GitRuleSnapshot.export(revision: "HEAD", rulesDirectory: rules.path)
        defer { try? FileManager.default.removeItem(atPath: snapshot) }
        XCTAssertEqual(try String(contentsOfFile: snapshot + "/a.yaml", encoding: .utf8), TestSupport.smallCatalogue)
        XCTAssertThrowsError(try GitRuleSnapshot.export(revision: "no-such-rev", rulesDirectory: rules.path))
        XCTAssertThrowsError(try GitRuleSnapshot.export(revision: "--output=/tmp/x", rulesDirectory: rules.path))
    }

    func testLineReaderCountsOversizedLinesOnceAndKeepsGoing() throws {
        let catalog = try TestSupport.catalog(TestSupport.smallCatalogue)
        let ok = "1794038400.000 1 10.0.0.1 TCP_MISS/200 100 GET https://www.dropbox.com/ alice HIER_DIRECT/1.1.1.1 -"
        let log = try write([ok, String(repeating: "x", count: (1 << 20) + 10), ok, ok + "\r"])
        let report = RuleCoverage(catalog: catalog).run(paths: [log])
        XCTAssertEqual(report.totals.lines, 4)
        XCTAssertEqual(report.totals.malformed, 1)
        XCTAssertEqual(report.totals.matched, 3)
    }
}
