import Foundation
import GRDB

/// The history store (`--store FILE`): a SQLite file that every run appends its period, decision
/// evidence, substitutes, workarounds and the identities it saw to, so the next run can report a trend
/// and `shadowscan reveal` can resolve pseudonyms. Each run is written in one transaction; a store
/// written by a newer ShadowScan, or a SQLite file that is not a ShadowScan store, is refused.
///
/// ```swift
/// let store = try HistoryStore(path: "history.sqlite")
/// try store.attachTrends(to: &result, advisor: advisor)   // compare with the previous period
/// try store.record(result, policy: "policy.yaml")          // then append this run
/// ```
public final class HistoryStore {
    /// `PRAGMA application_id`: "SSCN".
    static let applicationID: Int32 = 0x5353_434E
    /// The schema versions this build knows, oldest first (GRDB migrations).
    static let migrations = ["v1"]

    public let path: String
    let queue: DatabaseQueue

    /// Opens (creating and migrating when needed) the store at `path`.
    public init(path: String) throws(StoreError) {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(10)          // another run may be writing
        config.foreignKeysEnabled = true
        do {
            queue = try DatabaseQueue(path: path, configuration: config)
        } catch {
            throw StoreError("cannot open the store \(path): \(Self.message(error))")
        }
        let migrator = Self.migrator
        do {
            try queue.write { db in
                let id = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table'") ?? 0
                if id != Self.applicationID && tables > 0 {
                    throw StoreError("\(path) is not a ShadowScan history store (a SQLite file with other tables); nothing written")
                }
                if try migrator.hasBeenSuperseded(db) {
                    let known = try migrator.appliedIdentifiers(db).subtracting(Self.migrations).sorted()
                    throw StoreError("the store \(path) was written by a newer ShadowScan (schema \(known.joined(separator: ", "))); this version reads up to \(Self.migrations.last!); nothing written")
                }
            }
            try migrator.migrate(queue)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError("cannot use the store \(path): \(Self.message(error))")
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.execute(sql: """
                CREATE TABLE runs (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    recorded_at TEXT NOT NULL,
                    period_from_ms INTEGER,
                    period_to_ms INTEGER,
                    lines INTEGER NOT NULL,
                    records INTEGER NOT NULL,
                    matched INTEGER NOT NULL,
                    inputs TEXT NOT NULL,
                    policy TEXT
                );
                CREATE TABLE decisions (
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    service TEXT NOT NULL,
                    status TEXT NOT NULL,
                    blocked_by TEXT,
                    identities_tried INTEGER NOT NULL,
                    attempts INTEGER NOT NULL,
                    denied_attempts INTEGER NOT NULL,
                    allowed_requests INTEGER NOT NULL,
                    days_with_attempts INTEGER NOT NULL,
                    identities_worked_around INTEGER NOT NULL,
                    episodes INTEGER NOT NULL,
                    bytes_to_substitutes INTEGER NOT NULL,
                    identities_moved_to_alternative INTEGER NOT NULL,
                    recommendation TEXT NOT NULL,
                    PRIMARY KEY (run_id, service)
                );
                CREATE TABLE substitutes (
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    service TEXT NOT NULL,
                    substitute TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    identities INTEGER NOT NULL,
                    episodes INTEGER NOT NULL,
                    requests INTEGER NOT NULL,
                    bytes INTEGER NOT NULL,
                    PRIMARY KEY (run_id, service, substitute, kind)
                );
                CREATE TABLE workarounds (
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    identity TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    blocked TEXT NOT NULL,
                    substitute TEXT NOT NULL,
                    count INTEGER NOT NULL,
                    requests INTEGER NOT NULL,
                    bytes INTEGER NOT NULL,
                    first_ms INTEGER NOT NULL,
                    gap_ms INTEGER NOT NULL,
                    PRIMARY KEY (run_id, identity, blocked, substitute, kind)
                );
                -- Every identity a run saw, as it appears in the log: what `reveal` resolves pseudonyms against.
                CREATE TABLE identities (
                    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    identity TEXT NOT NULL,
                    PRIMARY KEY (run_id, identity)
                );
                CREATE INDEX identities_by_identity ON identities(identity);
                CREATE INDEX runs_by_period ON runs(period_from_ms, period_to_ms);
                """)
        }
        return migrator
    }

    // MARK: Reading

    /// A recorded run.
    public struct Run: Sendable, Equatable {
        public var id: Int64
        public var recordedAt: String
        public var fromMillis: Int64?
        public var toMillis: Int64?
        public var lines: Int64
        public var records: Int64
        public var matched: Int64
        public var inputs: [String]
        public var policy: String?
    }

    /// A service's evidence as a run recorded it.
    public struct StoredDecision: Sendable, Equatable {
        public var runID: Int64
        public var service: String
        public var status: String
        public var identitiesTried: Int64
        public var attempts: Int64
        public var deniedAttempts: Int64
        public var identitiesWorkedAround: Int64
        public var episodes: Int64
        public var bytesToSubstitutes: Int64
        public var recommendation: String
    }

    public func runs() throws(StoreError) -> [Run] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY period_from_ms, id").map(Self.run) }
    }

    /// The run to compare a period starting at `fromMillis` with: the latest-ending run that started
    /// before it (re-recording the same period never compares it with itself).
    public func previousRun(before fromMillis: Int64) throws(StoreError) -> Run? {
        try read { db in
            try Row.fetchOne(db, sql: """
                SELECT * FROM runs WHERE period_from_ms IS NOT NULL AND period_from_ms < ?
                ORDER BY period_to_ms DESC, id DESC LIMIT 1
                """, arguments: [fromMillis]).map(Self.run)
        }
    }

    public func decisions(run: Int64) throws(StoreError) -> [StoredDecision] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM decisions WHERE run_id = ? ORDER BY service", arguments: [run]).map(Self.decision)
        }
    }

    /// One service's evidence over every recorded run, oldest period first.
    public func history(service: String) throws(StoreError) -> [(Run, StoredDecision)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT r.*, d.run_id, d.service, d.status, d.identities_tried, d.attempts, d.denied_attempts,
                       d.identities_worked_around, d.episodes, d.bytes_to_substitutes, d.recommendation
                FROM decisions d JOIN runs r ON r.id = d.run_id WHERE d.service = ?
                ORDER BY r.period_from_ms, r.id
                """, arguments: [service]).map { (Self.run($0), Self.decision($0)) }
        }
    }

    /// The identities one run saw, sorted (what `reveal` resolves pseudonyms against).
    public func identities(run: Int64) throws(StoreError) -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT identity FROM identities WHERE run_id = ? ORDER BY identity", arguments: [run]) }
    }

    /// Every distinct identity in the store, sorted.
    public func allIdentities() throws(StoreError) -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT DISTINCT identity FROM identities ORDER BY identity") }
    }

    // MARK: Trend

    /// Fills each decision's `trend` from the previous period in the store (when there is one) and
    /// re-derives its recommendation with the trend as a reason.
    public func attachTrends(to result: inout AnalysisResult, advisor: DecisionAdvisor) throws(StoreError) {
        guard let (from, _) = Self.period(of: result), let previous = try previousRun(before: from),
              let previousFrom = previous.fromMillis, let previousTo = previous.toMillis else { return }
        let before = Dictionary(uniqueKeysWithValues: try decisions(run: previous.id).map { ($0.service, $0) })
        let threshold = advisor.thresholds.trendPercent
        for i in result.decisions.indices {
            let d = result.decisions[i]
            var trend = AnalysisResult.Decision.Trend(previousFromMillis: previousFrom, previousToMillis: previousTo, direction: "new")
            if let b = before[d.service] {
                trend.identitiesTried = b.identitiesTried
                trend.deniedAttempts = b.deniedAttempts
                trend.identitiesWorkedAround = b.identitiesWorkedAround
                trend.bytesToSubstitutes = b.bytesToSubstitutes
                let change = b.identitiesTried > 0 ? (d.identitiesTried - b.identitiesTried) * 100 / b.identitiesTried : (d.identitiesTried > 0 ? 100 : 0)
                trend.direction = change >= threshold ? "rising" : (change <= -threshold ? "falling" : "steady")
            }
            result.decisions[i].trend = trend
            result.decisions[i].recommendation = advisor.recommend(result.decisions[i])
        }
    }

    /// The span of the run's catalogue records (nil when there were none).
    public static func period(of result: AnalysisResult) -> (Int64, Int64)? {
        let seen = result.services.filter { $0.requests > 0 }
        guard let from = seen.map(\.firstSeenMillis).min(), let to = seen.map(\.lastSeenMillis).max() else { return nil }
        return (from, to)
    }

    // MARK: Writing

    /// Appends the run in one transaction and returns its id.
    @discardableResult
    public func record(_ result: AnalysisResult, policy: String?, recordedAt: Date = Date()) throws(StoreError) -> Int64 {
        let period = Self.period(of: result)
        do {
            return try queue.write { db -> Int64 in
                try db.execute(sql: """
                    INSERT INTO runs (recorded_at, period_from_ms, period_to_ms, lines, records, matched, inputs, policy)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [CivilTime.iso8601(millis: Int64(recordedAt.timeIntervalSince1970 * 1000)), period?.0, period?.1,
                                     result.totals.lines, result.totals.records, result.totals.matched,
                                     JSONValue.array(result.inputs.map { .string($0.path) }).serialized(), policy])
                let run = db.lastInsertedRowID
                for d in result.decisions {
                    try db.execute(sql: """
                        INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [run, d.service, d.status, d.blockedBy, d.identitiesTried, d.attempts, d.deniedAttempts,
                                         d.allowedRequests, d.daysWithAttempts, d.identitiesWorkedAround, d.episodes,
                                         d.bytesToSubstitutes, d.identitiesMovedToAlternative, d.recommendation.action])
                    for s in d.substitutes {
                        try db.execute(sql: "INSERT INTO substitutes VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                                       arguments: [run, d.service, s.service, s.kind.rawValue, s.identities, s.episodes, s.requests, s.bytes])
                    }
                }
                for w in result.workarounds {
                    try db.execute(sql: "INSERT INTO workarounds VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                   arguments: [run, w.identity, w.kind.rawValue, w.blocked, w.substitute, w.count, w.requests,
                                               w.bytes, w.firstMillis, w.gapMillis])
                }
                // Every identity a report can pseudonymise (users, workarounds, mail senders, recipients
                // and mailboxes), so `reveal --store` resolves any pseudonym a report of this run shows.
                let identities = Set(PrivacyTransform.identities(in: result).map(\.1))
                let insert = try db.makeStatement(sql: "INSERT OR IGNORE INTO identities VALUES (?, ?)")
                for identity in identities.sorted() { try insert.execute(arguments: [run, identity]) }
                return run
            }
        } catch {
            throw StoreError("cannot write to the store \(path): \(Self.message(error)); the store is unchanged")
        }
    }

    // MARK: Helpers

    private func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try queue.read(body) } catch { throw StoreError("cannot read the store \(path): \(Self.message(error))") }
    }

    private static func run(_ row: Row) -> Run {
        let inputs = (row["inputs"] as String?).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String] } ?? []
        return Run(id: row["id"], recordedAt: row["recorded_at"], fromMillis: row["period_from_ms"], toMillis: row["period_to_ms"],
                   lines: row["lines"], records: row["records"], matched: row["matched"], inputs: inputs, policy: row["policy"])
    }

    private static func decision(_ row: Row) -> StoredDecision {
        StoredDecision(runID: row["run_id"], service: row["service"], status: row["status"], identitiesTried: row["identities_tried"],
                       attempts: row["attempts"], deniedAttempts: row["denied_attempts"],
                       identitiesWorkedAround: row["identities_worked_around"], episodes: row["episodes"],
                       bytesToSubstitutes: row["bytes_to_substitutes"], recommendation: row["recommendation"])
    }

    private static func message(_ error: any Error) -> String {
        if let e = error as? DatabaseError { return e.message ?? "\(e.resultCode)" }
        return "\(error)"
    }
}

/// A problem with the history store, with a message a user can act on.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
