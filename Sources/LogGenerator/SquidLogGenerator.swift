import Foundation

/// Generates a realistic Squid access log and the exact truth a correct analyser must report.
///
/// ```swift
/// let catalogue = try GeneratorCatalogue.load(directory: "Rules")
/// let generator = try SquidLogGenerator(catalogue: catalogue,
///                                       options: GeneratorOptions(seed: 42, format: .native, limit: .lines(5_000)))
/// let (log, truth) = generator.generate()             // in memory
/// let truth2 = try generator.write(toFile: "/tmp/access.log")   // streamed to disk
/// ```
public struct SquidLogGenerator: Sendable {
    public let catalogue: GeneratorCatalogue
    public let options: GeneratorOptions

    public init(catalogue: GeneratorCatalogue, options: GeneratorOptions) throws {
        guard options.users >= 1 else { throw GeneratorError.invalidOption("users must be at least 1") }
        guard (0...0.5).contains(options.malformedRate) else {
            throw GeneratorError.invalidOption("malformed rate must be between 0 and 0.5")
        }
        guard (0...1).contains(options.serviceRate) else {
            throw GeneratorError.invalidOption("service rate must be between 0 and 1")
        }
        guard options.oversized >= 0 else { throw GeneratorError.invalidOption("oversized must not be negative") }
        switch options.limit {
        case .lines(let n):
            guard n >= options.oversized, n >= 0 else {
                throw GeneratorError.invalidOption("--lines must be at least the number of oversized lines")
            }
        case .bytes(let n):
            guard n >= 0 else { throw GeneratorError.invalidOption("size must not be negative") }
        }
        self.catalogue = catalogue
        self.options = options
    }

    /// Generates the whole log in memory.
    public func generate() -> (log: [UInt8], truth: LogTruth) {
        var log: [UInt8] = []
        let truth = run(flushAt: .max) { buffer in log.append(contentsOf: buffer) }
        return (log, truth)
    }

    /// Streams the log to `path` (created or truncated) and returns its truth.
    public func write(toFile path: String) throws -> LogTruth {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path) else {
            throw GeneratorError.cannotWrite(path)
        }
        defer { try? handle.close() }
        return try write(to: handle)
    }

    /// Streams the log to an open handle (e.g. standard output) and returns its truth.
    public func write(to handle: FileHandle) throws -> LogTruth {
        var failure: Error?
        let truth = run(flushAt: 8 << 20) { buffer in
            guard failure == nil else { return }
            do { try handle.write(contentsOf: Data(buffer)) } catch { failure = error }
        }
        if let failure { throw failure }
        return truth
    }

    /// Catalogue services no request could safely be generated for (no usable examples).
    public var skippedServices: [String] {
        var rng = SeededRandom(seed: options.seed)
        var populationRandom = rng.fork()
        return Population(catalogue: catalogue, userCount: options.users, rng: &populationRandom).skippedServices
    }

    // MARK: The main loop

    private func run(flushAt threshold: Int, flush: ([UInt8]) -> Void) -> LogTruth {
        // Separate streams, so e.g. adding a malformed kind does not reshuffle the population.
        var rng = SeededRandom(seed: options.seed)
        var populationRandom = rng.fork()
        let population = Population(catalogue: catalogue, userCount: options.users, rng: &populationRandom)
        var model = TrafficModel(population: population, options: options, rng: rng.fork())
        var malformedRandom = rng.fork()
        var oversizedAt = oversizedPositions(&rng)
        var workaroundTruth: WorkaroundTruthAccumulator?
        if options.workaroundEpisodes > 0 {
            let expected: Int
            switch options.limit { case .lines(let n): expected = n; case .bytes(let n): expected = n / 150 }
            model.episodes = EpisodeInjector(population: population, catalogue: catalogue, episodes: options.workaroundEpisodes,
                                             expectedLines: expected, windowMillis: options.workaroundWindowMillis)
            workaroundTruth = WorkaroundTruthAccumulator(catalogue: catalogue, windowMillis: options.workaroundWindowMillis, format: options.format)
        }

        var truth = TruthAccumulator(serviceCount: catalogue.services.count, format: options.format)
        var lineWriter = RecordLineWriter(format: options.format)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(threshold == .max ? 1 << 20 : threshold + (2 << 20))
        var written = 0   // bytes already flushed
        var hasRecord = false

        while true {
            let total = written + buffer.count
            // The limit ends the run, but only once every oversized line is out (with --size they may
            // push the file past the size).
            let progress: Double
            switch options.limit {
            case .lines(let n):
                progress = truth.lines >= n ? 1 : Double(truth.lines) / Double(n)
            case .bytes(let n):
                progress = total >= n ? 1 : Double(total) / Double(n)
            }
            if progress >= 1 && oversizedAt.isEmpty { break }

            if let next = oversizedAt.last, progress >= next || onlyOversizedLinesLeft(truth.lines, oversizedAt.count) {
                oversizedAt.removeLast()
                MalformedWriter.appendOversized(to: &buffer, rng: &malformedRandom)
                truth.addMalformed(.oversized)
            } else if malformedRandom.chance(options.malformedRate) {
                let kind = writeMalformed(to: &buffer, after: hasRecord ? model.record : nil,
                                          rng: &malformedRandom)
                truth.addMalformed(kind)
            } else {
                let facts = model.next()
                truth.addHeaderLines(lineWriter.append(model.record, to: &buffer))
                truth.addRecord(model.record, facts: facts)
                workaroundTruth?.add(model.record, facts: facts)
                hasRecord = true
            }
            if buffer.count >= threshold {
                flush(buffer)
                written += buffer.count
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if !buffer.isEmpty { flush(buffer) }

        let users = population.users.count
        let name = { (identity: Int) in
            identity < users ? String(decoding: population.users[identity].name, as: UTF8.self)
                             : String(decoding: population.clients[identity - users], as: UTF8.self)
        }
        var result = truth.finish(catalogue: catalogue, identityName: name)
        if let workaroundTruth {
            (result.workarounds, result.blockedServices) = workaroundTruth.finish(identityName: name)
            result.injectedEpisodes = model.episodes?.injected
        }
        return result
    }

    /// With `--lines`, the oversized lines must all fit: once only they are left, write them.
    private func onlyOversizedLinesLeft(_ lines: Int, _ oversizedLeft: Int) -> Bool {
        guard case .lines(let n) = options.limit else { return false }
        return n - lines <= oversizedLeft
    }

    /// Where the oversized lines go, as fractions of the run, last one first (popped from the end).
    private func oversizedPositions(_ rng: inout SeededRandom) -> [Double] {
        (0..<options.oversized).map { _ in rng.unit() }.sorted(by: >)
    }

    private func writeMalformed(to buffer: inout [UInt8], after lastRecord: SquidRecord?,
                                rng: inout SeededRandom) -> MalformedKind {
        let roll = rng.below(100)
        switch roll {
        case 0..<30:
            MalformedWriter.appendGarbage(to: &buffer, rng: &rng)
            return .garbage
        case 30..<65 where lastRecord != nil:
            // The previous record again, cut short (as when a writer dies mid-line).
            var line: [UInt8] = []
            SquidLineWriter.append(lastRecord!, format: options.format, to: &line)
            MalformedWriter.appendTruncated(line[...], fields: rng.int(1...4), to: &buffer)
            return .truncated
        case 30..<85:
            MalformedWriter.appendBinary(to: &buffer, rng: &rng)
            return .binary
        default:
            buffer.append(UInt8(ascii: "\n"))
            return .empty
        }
    }
}

public enum GeneratorError: Error, CustomStringConvertible {
    case invalidOption(String)
    case cannotWrite(String)

    public var description: String {
        switch self {
        case .invalidOption(let message): return message
        case .cannotWrite(let path): return "cannot write \(path)"
        }
    }
}
