import ArgumentParser
import Foundation
import ShadowScanCore

/// `analyse --policy FILE --store FILE`: the organisation's policy (workarounds, decisions) and the
/// history store (trends, and the identities `reveal` resolves).
struct WorkaroundOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The organisation's policy (YAML; see Rules/policy.example.yaml): its domains and tenants, blocked / sanctioned / tolerated services, the workaround window, working hours, a directory CSV.", valueName: "FILE"))
    var policy: String?

    @Option(name: .long, help: ArgumentHelp("A SQLite history store: the run's period and decision evidence are appended to it, and decisions gain a trend against the previous period (created when missing).", valueName: "FILE"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("Override the policy's workaround window: a duration such as 30m, 90s or 2h.", valueName: "DURATION"))
    var workaroundWindow: String?

    @Option(name: .long, help: ArgumentHelp("Workaround events kept per worker (32 bytes each, in memory up to 8 MiB, then in sorted runs in $TMPDIR; 0 turns detection off).", visibility: .hidden))
    var maxWorkaroundEvents = 64_000_000

    @Option(name: .long, help: ArgumentHelp("Where workaround events go once a worker holds 8 MiB of them (sorted runs in an unlinked file; default: $TMPDIR, else /tmp). Prefer a disk to a tmpfs: tmpfs files take RAM.", valueName: "DIR"))
    var tempDir: String?

    /// Past this many events in memory a worker spills a run (hidden: for tests and experiments).
    @Option(name: .long, help: ArgumentHelp("Workaround events a worker holds in memory before it spills a sorted run.", visibility: .hidden))
    var workaroundRunEvents = AnalysisOptions.defaultWorkaroundRunCapacity

    func validate() throws {
        if maxWorkaroundEvents < 0 { throw ValidationError("--max-workaround-events must not be negative") }
        if workaroundRunEvents < 1 { throw ValidationError("--workaround-run-events must be at least 1") }
        if let tempDir {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: tempDir, isDirectory: &isDirectory), isDirectory.boolValue,
                  FileManager.default.isWritableFile(atPath: tempDir) else {
                throw ValidationError("--temp-dir '\(tempDir)' is not a writable directory")
            }
        }
        if let workaroundWindow, PolicyLoader.duration(workaroundWindow) == nil {
            throw ValidationError("--workaround-window '\(workaroundWindow)' must be a duration between 1s and 7d, like 30m, 90s or 2h")
        }
    }

    /// The policy in force; prints every problem and exits 2 when the file has any.
    func loadPolicy(catalog: ServiceCatalog) throws -> WorkaroundPolicy? {
        var loaded: WorkaroundPolicy?
        if let policy {
            do {
                loaded = try PolicyLoader.load(file: policy, catalog: catalog)
            } catch {
                warn(error.description)
                warn("error: \(error.problems.count) problem(s) in the policy \(policy); nothing analysed")
                throw ExitCode(2)
            }
        }
        if let workaroundWindow, let millis = PolicyLoader.duration(workaroundWindow) {
            var p = loaded ?? .default(for: catalog)
            p.windowMillis = millis
            loaded = p
        }
        return loaded
    }

    /// Opens the store before anything is analysed, so a store that cannot be used stops the run
    /// (exit 2, nothing written).
    func openStore() throws -> HistoryStore? {
        guard let store else { return nil }
        do {
            return try HistoryStore(path: store)
        } catch {
            warn("error: \(error)")
            throw ExitCode(2)
        }
    }

    /// Adds trends from the previous period and appends this run (plain identities: the store is what
    /// `reveal` resolves against). Returns false when the store could not be written.
    func record(_ result: inout AnalysisResult, in store: HistoryStore?, policy: WorkaroundPolicy, catalog: ServiceCatalog) -> Bool {
        guard let store else { return true }
        do {
            try store.attachTrends(to: &result, advisor: DecisionAdvisor(thresholds: policy.thresholds, catalog: catalog))
            try store.record(result, policy: self.policy.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
            return true
        } catch {
            warn("error: \(error)")
            return false
        }
    }
}
