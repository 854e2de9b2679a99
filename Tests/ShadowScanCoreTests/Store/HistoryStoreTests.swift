import GRDB
import XCTest
@testable import ShadowScanCore

final class HistoryStoreTests: XCTestCase {
    /// A result for one day: `tried` people tried dropbox, `around` of them worked around it.
    func result(day: Int, tried: Int64, around: Int64, identities: [String] = ["jsmith", "a.khan"]) -> AnalysisResult {
        var r = AnalysisResult()
        let start = Int64(CivilTime.daysFromCivil(year: 2026, month: 11, day: day)) * 86_400_000
        r.totals.lines = 100
        r.services = [AnalysisResult.Service(
            id: "dropbox", name: "Dropbox", category: "cloud-storage", risk: .high, personal: true,
            usage: AnalysisResult.Usage(requests: 10, allowed: 2, denied: 8, users: tried),
            hostOnlyRequests: 0, firstSeenMillis: start + 3_600_000, lastSeenMillis: start + 7_200_000)]
        r.users = identities.map { AnalysisResult.User(user: $0, requests: 1, denied: 1, services: ["dropbox"]) }
        r.decisions = [decision(tried: tried, around: around)]
        r.workarounds = [AnalysisResult.Workaround(
            identity: "jsmith", department: nil, kind: .substitution, blocked: "dropbox", blockedHost: "www.dropbox.com",
            substitute: "box", substituteHost: "app.box.com", count: 1, requests: 2, bytes: 300, uploads: 0,
            firstMillis: start + 3_700_000, lastMillis: start + 3_800_000, gapMillis: 60_000, outOfHours: nil)]
        return r
    }

    func decision(tried: Int64, around: Int64, service: String = "dropbox") -> AnalysisResult.Decision {
        AnalysisResult.Decision(
            service: service, name: "Dropbox", category: "cloud-storage", risk: .high, status: "blocked", blockedBy: "proxy",
            identitiesTried: tried, attempts: 10, deniedAttempts: 8, allowedRequests: 2, daysWithAttempts: 1, attemptsOutOfHours: nil,
            identitiesWorkedAround: around, workedAroundPercent: DecisionEvidence.percent(around, of: tried),
            identitiesToHighRiskSubstitutes: 0, episodes: around, bytesToSubstitutes: 300, uploadsToSubstitutes: 0,
            alternative: nil, identitiesMovedToAlternative: 0,
            substitutes: [.init(service: "box", name: "Box", category: "cloud-storage", risk: .medium, kind: .substitution,
                                identities: around, episodes: around, requests: 2, bytes: 300, uploads: 0)],
            substitutesByBytes: ["box"], departments: [], trend: nil,
            recommendation: .init(action: "monitor", summary: "", reasons: []))
    }

    func advisor() throws -> DecisionAdvisor {
        DecisionAdvisor(thresholds: DecisionThresholds(), catalog: try TestSupport.catalog(WorkaroundDetectionTests.catalogue))
    }

    func path() -> String { TestSupport.temporaryDirectory().appendingPathComponent("history.sqlite").path }

    func testTrendAgainstThePreviousPeriod() throws {
        let file = path()
        let store = try HistoryStore(path: file)
        var first = result(day: 10, tried: 10, around: 2)
        try store.attachTrends(to: &first, advisor: advisor())
        XCTAssertNil(first.decisions[0].trend, "no history yet")
        try store.record(first, policy: nil)

        // A new process opening the same file sees the first run.
        var second = result(day: 11, tried: 25, around: 9)
        let reopened = try HistoryStore(path: file)
        try reopened.attachTrends(to: &second, advisor: advisor())
        let trend = try XCTUnwrap(second.decisions[0].trend)
        XCTAssertEqual(trend.identitiesTried, 10)
        XCTAssertEqual(trend.identitiesWorkedAround, 2)
        XCTAssertEqual(trend.direction, "rising")
        XCTAssertEqual(CivilTime.iso8601(millis: trend.previousFromMillis), "2026-11-10T01:00:00.000Z")
        XCTAssertTrue(second.decisions[0].recommendation.reasons.contains("Demand is rising: 25 people tried it, against 10 in the previous period."))
        try reopened.record(second, policy: "/etc/policy.yaml")

        // Re-recording day 11 compares with day 10, never with itself; a service new since then is "new".
        var again = result(day: 11, tried: 10, around: 0)
        again.decisions.append(decision(tried: 3, around: 0, service: "box"))
        try reopened.attachTrends(to: &again, advisor: advisor())
        XCTAssertEqual(again.decisions[0].trend?.direction, "steady")
        XCTAssertEqual(again.decisions[1].trend?.direction, "new")
        XCTAssertNil(again.decisions[1].trend?.identitiesTried)

        let runs = try reopened.runs()
        XCTAssertEqual(runs.count, 2)
        XCTAssertEqual(runs[1].policy, "/etc/policy.yaml")
        XCTAssertEqual(try reopened.history(service: "dropbox").map(\.1.identitiesTried), [10, 25])
        XCTAssertEqual(try reopened.identities(run: runs[0].id), ["a.khan", "jsmith"])
        XCTAssertEqual(try reopened.allIdentities(), ["a.khan", "jsmith"])
    }

    func testAFailedWriteLeavesTheStoreUnchanged() throws {
        let store = try HistoryStore(path: path())
        try store.record(result(day: 10, tried: 10, around: 2), policy: nil)
        var broken = result(day: 11, tried: 10, around: 2)
        broken.decisions.append(broken.decisions[0])   // the same service twice violates the primary key midway
        XCTAssertThrowsError(try store.record(broken, policy: nil)) { error in
            XCTAssertTrue("\(error)".contains("the store is unchanged"), "\(error)")
        }
        XCTAssertEqual(try store.runs().count, 1)
        XCTAssertEqual(try store.allIdentities(), ["a.khan", "jsmith"])
    }

    func testANewerSchemaIsRefused() throws {
        let file = path()
        _ = try HistoryStore(path: file)
        let queue = try DatabaseQueue(path: file)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v2')") }
        XCTAssertThrowsError(try HistoryStore(path: file)) { error in
            XCTAssertTrue("\(error)".contains("was written by a newer ShadowScan (schema v2)"), "\(error)")
        }
    }

    func testForeignFilesAreRefused() throws {
        let other = path()
        let queue = try DatabaseQueue(path: other)
        try queue.write { db in try db.execute(sql: "CREATE TABLE invoices (id INTEGER)") }
        XCTAssertThrowsError(try HistoryStore(path: other)) { error in
            XCTAssertTrue("\(error)".contains("is not a ShadowScan history store"), "\(error)")
        }
        let text = path()
        try "not a database, just text that is long enough to fill a header page".write(toFile: text, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try HistoryStore(path: text)) { error in
            XCTAssertTrue("\(error)".contains("cannot"), "\(error)")
        }
    }

    /// `reveal --store` resolves against the store's identities: every pseudonym a report shows, mail
    /// senders, recipients and mailboxes included, must be found there.
    func testMailIdentitiesAreRecordedSoTheirPseudonymsCanBeRevealed() throws {
        let postfix = try String(contentsOf: TestSupport.packageRoot.appendingPathComponent("Tests/Fixtures/mail/postfix-forwarding.log"), encoding: .utf8)
        var mail = MailOptions()
        mail.organisationDomains = ["council.gov.uk"]
        mail.year = 2026
        let (analysed, _) = try MailTest.analyse(postfix, format: nil, mail: mail)
        XCTAssertFalse(analysed.mail.senders.isEmpty)
        XCTAssertFalse(analysed.mail.autoForwards.isEmpty)
        let store = try HistoryStore(path: path())
        try store.record(analysed, policy: nil)

        // What the reports show: pseudonyms (mail ones keep the organisation's or a provider's domain).
        let pseudonyms = Pseudonyms(key: PseudonymKey(bytes: Array(repeating: 9, count: 32), path: "key"))
        let shown = PrivacyTransform.apply(analysed, PrivacyOptions(pseudonyms: pseudonyms))
        let plain = PrivacyTransform.identities(in: analysed).map(\.1)
        let pseudonymous = PrivacyTransform.identities(in: shown).map(\.1)
        XCTAssertEqual(plain.count, pseudonymous.count)
        XCTAssertTrue(plain.contains("jane.smith@council.gov.uk"), "\(plain)")
        XCTAssertTrue(plain.contains("bob.jones@council.gov.uk"), "\(plain)")
        let stored = try store.allIdentities()
        for (identity, pseudonym) in zip(plain, pseudonymous) {
            XCTAssertNotEqual(identity, pseudonym)
            XCTAssertEqual(PseudonymResolver.resolve(pseudonym, among: stored, with: pseudonyms), [identity],
                           "\(pseudonym) (\(identity)) cannot be revealed from the store")
        }
    }

    func testPeriodIsTheSpanOfCatalogueRecords() {
        XCTAssertNil(HistoryStore.period(of: AnalysisResult()))
        let (from, to) = HistoryStore.period(of: result(day: 10, tried: 1, around: 0))!
        XCTAssertEqual(to - from, 3_600_000)
    }
}
