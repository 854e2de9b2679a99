import Dispatch
import Foundation

public struct AnalysisOptions: Sendable {
    /// Concurrent workers; each keeps its own aggregates and PCRE2 match data.
    public var workers: Int
    /// Bytes read per block; chunks are cut at newline boundaries inside blocks.
    public var blockSize: Int
    /// Lines longer than this are counted as malformed ("oversized") and skipped.
    public var maxLineLength: Int
    /// nil: detect each input's format from its first lines.
    public var format: LogFormat?
    /// Distinct unknown registrable domains tallied per worker before further ones are only counted.
    public var maxUnknownDomains: Int
    /// Which JSON fields hold what, for `--log-format json` (Formats/JSONFieldMap.swift).
    public var fieldMap: JSONFieldMap?
    /// The organisation's policy for workaround detection and decisions; nil: every service unlisted.
    public var policy: WorkaroundPolicy?
    /// Workaround events kept per worker (32 bytes each) before further ones are only counted.
    public var maxWorkaroundEvents = 64_000_000
    /// Workaround events a worker holds in memory before it sorts and spills them to a temporary file
    /// in `spillDirectory` (Analysis/WorkaroundSpill.swift).
    public var workaroundRunCapacity = AnalysisOptions.defaultWorkaroundRunCapacity
    /// 256 Ki events: 8 MiB per worker.
    public static let defaultWorkaroundRunCapacity = 1 << 18
    public var spillDirectory = WorkaroundSetup.defaultSpillDirectory
    /// Identity partitions the workaround merge runs on in parallel; nil: one per core. The result is
    /// the same for any value (tested).
    public var workaroundPartitions: Int?
    /// Mail-gateway analysis settings (Analysis/MailOptions.swift).
    public var mail = MailOptions()

    public init(workers: Int = ProcessInfo.processInfo.activeProcessorCount, blockSize: Int = 4 << 20,
                maxLineLength: Int = 1 << 20, format: LogFormat? = nil, maxUnknownDomains: Int = 200_000) {
        self.workers = max(1, workers)
        self.blockSize = max(1, blockSize)
        self.maxLineLength = max(1, maxLineLength)
        self.format = format
        self.maxUnknownDomains = maxUnknownDomains
    }
}

/// Runs the streaming pipeline: one reader thread cuts inputs into chunks of whole lines; Dispatch
/// workers parse, match and count into their own aggregates; the aggregates merge once, in a fixed
/// order, into a sorted `AnalysisResult`.
public final class Analyzer: Sendable {
    public let catalog: ServiceCatalog
    public let options: AnalysisOptions

    public init(catalog: ServiceCatalog, options: AnalysisOptions = AnalysisOptions()) {
        self.catalog = catalog
        self.options = options
        policy = options.policy ?? .default(for: catalog)
    }

    /// The policy in force (the built-in default without one).
    public let policy: WorkaroundPolicy

    /// Expands `paths` (files, directories, "-") and analyses them; paths that do not exist are listed
    /// among the inputs with their problem.
    public func run(paths: [String], mailRoutes: MailRouteEvents = MailRouteEvents()) -> AnalysisResult {
        let (sources, problems) = InputDiscovery.expand(paths)
        var result = run(sources, mailRoutes: mailRoutes)
        result.inputs += problems.map { AnalysisResult.Input(path: $0.path, problem: $0.message) }
        return result
    }

    /// `mailRoutes`: messages to personal addresses from mail logs, for mail-route workarounds.
    public func run(_ sources: [InputSource], mailRoutes: MailRouteEvents = MailRouteEvents()) -> AnalysisResult {
        let started = DispatchTime.now()
        let workers = options.workers
        let capacity = ChunkReader.bufferCapacity(blockSize: options.blockSize, maxLineLength: options.maxLineLength)
        let pool = BufferPool(count: workers + 2, capacity: capacity)
        let queue = WorkQueue()
        let outcomes = OutcomeSlots(count: sources.count)
        let readerDone = DispatchSemaphore(value: 0)
        let options = self.options

        let reader = Thread {
            let chunkReader = ChunkReader(pool: pool, blockSize: options.blockSize, maxLineLength: options.maxLineLength)
            chunkReader.fieldMap = options.fieldMap
            for (index, source) in sources.enumerated() {
                outcomes.set(index, chunkReader.read(source, input: Int32(index), formatOverride: options.format) { queue.push($0) })
            }
            queue.close(workers: workers)
            readerDone.signal()
        }
        reader.name = "shadowscan-reader"
        reader.start()

        let aggregates = (0..<workers).map { _ in
            WorkerAggregates(catalog: catalog, maxLineLength: options.maxLineLength, maxUnknownDomains: options.maxUnknownDomains,
                             workarounds: WorkaroundSetup(catalog: catalog, policy: policy, maxEvents: options.maxWorkaroundEvents,
                                                          runCapacity: options.workaroundRunCapacity, spillDirectory: options.spillDirectory))
        }
        let shared = UncheckedBox(aggregates)
        // Mail events go back into input order for correlation (Analysis/MailSequencer.swift).
        let mail = MailSequencer(correlator: MailCorrelator(options: options.mail, catalog: catalog, sources: sources), window: 2 * workers + 2)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let mine = shared.value[w]
            while let (item, ordinal) = queue.popNumbered() {
                if item.format.isMail { mail.waitForRoom(ordinal) }
                mine.process(item)
                if let buffer = item.buffer { pool.release(buffer) }
                mail.deposit(ordinal, input: item.input, events: mine.takeMailEvents())
            }
        }
        readerDone.wait()
        let streamed = DispatchTime.now()
        // Messages to personal addresses join the caller's for mail-route workarounds.
        let (mailSection, routes) = mail.finish(adding: mailRoutes)
        var result = ResultMerger(catalog: catalog, sources: sources, outcomes: outcomes.values, workers: aggregates, policy: policy,
                                  mailRoutes: routes, workaroundPartitions: options.workaroundPartitions ?? WorkaroundMerge.defaultPartitions).merge()
        result.mail = mailSection
        result.streamSeconds = Double(streamed.uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        result.mergeSeconds = Double(DispatchTime.now().uptimeNanoseconds - streamed.uptimeNanoseconds) / 1e9
        return result
    }
}

/// Lets the reader thread hand back per-input outcomes.
final class OutcomeSlots: @unchecked Sendable {
    private(set) var values: [InputReadOutcome]
    private let lock = NSLock()
    init(count: Int) { values = Array(repeating: InputReadOutcome(), count: count) }
    func set(_ index: Int, _ value: InputReadOutcome) { lock.lock(); values[index] = value; lock.unlock() }
}

/// Carries per-worker state into `concurrentPerform`: worker `w` touches only element `w`.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
