#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps the memory of workaround detection bounded whatever the input size: each worker holds at most
/// `runCapacity` events (32 bytes each); when its buffer is full at the end of a chunk, it sorts the
/// buffer into a *run* ordered by (identity hash, time, input order) and appends it to its own temporary
/// file. At merge time `WorkaroundRunMerge` reads every run back through small buffers and merges them
/// into one stream per identity, in exactly the order a single in-memory sort would give: an external
/// merge sort. Results are the same whether or not anything was spilled.

/// Sorts a worker's buffered events into run order: identity hash, then time, then their place in the
/// buffer (which is input order: a worker receives its chunks in input order). A counting sort by hash
/// first (few identities, many events), then each hash's events by time: usually already in order, as
/// log lines mostly are.
func sortedRunOrder(_ events: UnsafeBufferPointer<WorkaroundEvent>, identityHashes: UnsafeBufferPointer<UInt64>) -> [Int32] {
    // Identities ranked by hash; identities that share a hash share a bucket.
    let byHash = (0..<identityHashes.count).sorted { identityHashes[$0] < identityHashes[$1] }
    var bucketOf = [Int32](repeating: 0, count: identityHashes.count)
    var buckets = 0
    for (i, identity) in byHash.enumerated() {
        if i > 0 && identityHashes[identity] != identityHashes[byHash[i - 1]] { buckets += 1 }
        bucketOf[identity] = Int32(buckets)
    }
    var starts = [Int](repeating: 0, count: buckets + 2)
    for e in events { starts[Int(bucketOf[Int(e.identity)]) + 1] += 1 }
    for b in 0..<(buckets + 1) { starts[b + 1] += starts[b] }
    var next = starts
    var order = [Int32](repeating: 0, count: events.count)
    for (i, e) in events.enumerated() {
        let b = Int(bucketOf[Int(e.identity)])
        order[next[b]] = Int32(i)
        next[b] += 1
    }
    order.withUnsafeMutableBufferPointer { order in
        for b in 0...buckets where starts[b + 1] - starts[b] > 1 {
            var bucket = UnsafeMutableBufferPointer(rebasing: order[starts[b]..<starts[b + 1]])
            var sorted = true
            for i in 1..<bucket.count where events[Int(bucket[i])].time < events[Int(bucket[i - 1])].time { sorted = false; break }
            if !sorted { bucket.sort { (events[Int($0)].time, $0) < (events[Int($1)].time, $1) } }
        }
    }
    return order
}

/// A worker's last run, sorted, in memory it owns.
final class WorkaroundEventBlock: @unchecked Sendable {
    let events: UnsafeMutableBufferPointer<WorkaroundEvent>

    /// `events` in the order `order` gives.
    init(_ events: UnsafeBufferPointer<WorkaroundEvent>, order: [Int32]) {
        self.events = .allocate(capacity: order.count)
        for (i, index) in order.enumerated() { self.events.initializeElement(at: i, to: events[Int(index)]) }
    }

    deinit { events.deallocate() }
}

/// A worker's temporary file of sorted runs. Unlinked as soon as it is created, so nothing is left
/// behind, whatever way the process ends.
final class WorkaroundSpillFile {
    struct Run { var offset: Int; var count: Int }

    private let fd: Int32
    private(set) var runs: [Run] = []
    private var end = 0
    static let stride = MemoryLayout<WorkaroundEvent>.stride

    /// nil when no temporary file can be made in `directory`.
    init?(directory: String) {
        var template = Array((directory.hasSuffix("/") ? directory : directory + "/").utf8CString.dropLast())
        template.append(contentsOf: "shadowscan-events-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Appends one run: `events` in the order `order` gives. False when the write failed (disk full):
    /// the file is then as it was before.
    func append(_ events: UnsafeBufferPointer<WorkaroundEvent>, order: [Int32]) -> Bool {
        let staging = UnsafeMutableBufferPointer<WorkaroundEvent>.allocate(capacity: 4096)
        defer { staging.deallocate() }
        var written = 0
        while written < order.count {
            let n = min(staging.count, order.count - written)
            for i in 0..<n { staging[i] = events[Int(order[written + i])] }
            guard writeAll(UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(staging)[0..<(n * Self.stride)]),
                           at: end + written * Self.stride) else { return false }
            written += n
        }
        runs.append(Run(offset: end, count: order.count))
        end += order.count * Self.stride
        return true
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }

    /// Reads up to `into.count` events of `run` from event `index`; the number read (0 on a read error).
    func read(run: Run, from index: Int, into buffer: UnsafeMutableBufferPointer<WorkaroundEvent>) -> Int {
        let wanted = min(buffer.count, run.count - index)
        guard wanted > 0 else { return 0 }
        let raw = UnsafeMutableRawBufferPointer(buffer)
        var done = 0
        while done < wanted * Self.stride {
            let n = pread(fd, raw.baseAddress! + done, wanted * Self.stride - done, off_t(run.offset + index * Self.stride + done))
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            done += n
        }
        return done / Self.stride
    }
}

/// One sorted run being merged: a worker's spilled run read through a small buffer, a worker's last
/// (in-memory) run, or the mail hook's events; only the events in `range` (one partition of identities).
struct WorkaroundRunCursor {
    enum Source {
        case file(WorkaroundSpillFile, WorkaroundSpillFile.Run)
        case memory(WorkaroundEventBlock)
        case detector([DetectorEvent], hashes: [UInt64])

        var count: Int {
            switch self {
            case .file(_, let run): return run.count
            case .memory(let block): return block.events.count
            case .detector(let events, _): return events.count
            }
        }
    }

    let source: Source
    /// Worker whose local ids the events carry (unused for `.detector`).
    let worker: Int
    private var buffer: UnsafeMutableBufferPointer<WorkaroundEvent>
    private var buffered = 0
    private var bufferIndex = 0
    /// Index of the next event of the run to load into `buffer` (file runs), or to return (the others).
    private var next: Int
    private let end: Int
    /// Events that could not be read back (a failing disk); counted as overflow.
    private(set) var lost = 0

    /// A memory run's events, read in place (binding the enum's payload on every event would retain it);
    /// `source` keeps the block alive.
    private let memoryEvents: UnsafeBufferPointer<WorkaroundEvent>?

    init(_ source: Source, worker: Int, range: Range<Int>, bufferEvents: Int) {
        self.source = source
        self.worker = worker
        next = range.lowerBound
        end = range.upperBound
        if case .file = source { buffer = .allocate(capacity: max(1, bufferEvents)) } else { buffer = .allocate(capacity: 0) }
        if case .memory(let block) = source { memoryEvents = UnsafeBufferPointer(block.events) } else { memoryEvents = nil }
    }

    func release() { buffer.deallocate() }

    /// The identity hash of event `i` of `source` (for partitioning; a file run reads that one event).
    static func hash(of source: Source, at i: Int, identityHashes: [UInt64]) -> UInt64 {
        switch source {
        case .memory(let block): return identityHashes[Int(block.events[i].identity)]
        case .detector(_, let hashes): return hashes[i]
        case .file(let file, let run):
            let one = UnsafeMutableBufferPointer<WorkaroundEvent>.allocate(capacity: 1)
            defer { one.deallocate() }
            // An unreadable event sorts last: the partition boundary moves, the events stay counted as lost.
            return file.read(run: run, from: i, into: one) == 1 ? identityHashes[Int(one[0].identity)] : .max
        }
    }

    /// The next worker event, nil at the end (not for `.detector` cursors).
    mutating func nextEvent() -> WorkaroundEvent? {
        if let memoryEvents {
            guard next < end else { return nil }
            defer { next += 1 }
            return memoryEvents[next]
        }
        switch source {
        case .memory, .detector:   // memory runs are read through `memoryEvents` above; mail runs elsewhere
            return nil
        case .file(let file, let run):
            if bufferIndex == buffered {
                guard next < end else { return nil }
                let want = UnsafeMutableBufferPointer(rebasing: buffer[0..<min(buffer.count, end - next)])
                buffered = file.read(run: run, from: next, into: want)
                if buffered == 0 { lost += end - next; next = end; return nil }
                next += buffered
                bufferIndex = 0
            }
            defer { bufferIndex += 1 }
            return buffer[bufferIndex]
        }
    }

    /// The next mail event with its identity hash, nil at the end (only `.detector` cursors).
    mutating func nextDetectorEvent() -> (DetectorEvent, UInt64)? {
        guard case .detector(let events, let hashes) = source, next < end else { return nil }
        defer { next += 1 }
        return (events[next], hashes[next])
    }
}

/// Merges sorted runs into one stream ordered by (identity hash, time, input order): a binary heap of
/// the runs' next events. Worker events leave with global identity and host ids. The hash space splits
/// into partitions that merge independently (on separate cores): an identity's events all fall in one.
struct WorkaroundRunMerge {
    private(set) var sources: [(source: WorkaroundRunCursor.Source, worker: Int)] = []

    /// Read buffers of all file runs together stay under this, however many runs there are.
    static let readBufferBudget = 8 << 20

    mutating func add(_ source: WorkaroundRunCursor.Source, worker: Int) {
        sources.append((source, worker))
    }

    /// Per partition, the range of each source's events whose identity hash falls in it.
    func partitions(_ count: Int, identityHashes: [[UInt64]]) -> [[Range<Int>]] {
        let bounds = (0...count).map { p -> UInt64? in p == 0 ? 0 : p == count ? nil : UInt64.max / UInt64(count) * UInt64(p) }
        let starts = sources.map { entry -> [Int] in
            let hashes = entry.worker >= 0 ? identityHashes[entry.worker] : []
            return bounds.map { bound in
                guard let bound else { return entry.source.count }
                var low = 0, high = entry.source.count   // first event whose hash is >= bound
                while low < high {
                    let mid = (low + high) / 2
                    if WorkaroundRunCursor.hash(of: entry.source, at: mid, identityHashes: hashes) < bound { low = mid + 1 } else { high = mid }
                }
                return low
            }
        }
        return (0..<count).map { p in starts.map { $0[p]..<$0[p + 1] } }
    }

    private struct Head {
        var hash: UInt64
        var time: Int64
        /// Global chunk rank of the event (mail events: after every proxy event of the same millisecond).
        var rank: UInt64
        var cursor: Int
        var event: DetectorEvent

        @inline(__always)
        static func < (a: Head, b: Head) -> Bool {
            if a.hash != b.hash { return a.hash < b.hash }
            if a.time != b.time { return a.time < b.time }
            return a.rank < b.rank
        }
    }

    /// Calls `body` with every event of the partition `ranges` (one per source) in order; returns the
    /// number of events that could not be read back.
    func merge(_ ranges: [Range<Int>], readBufferBudget: Int = WorkaroundRunMerge.readBufferBudget,
               chunkRank: [[UInt64]], identityMaps: [[Int]], identityHashes: [[UInt64]], hostMaps: [[Int32]],
               _ body: (UInt64, DetectorEvent) -> Void) -> Int {
        let fileRuns = sources.filter { if case .file = $0.source { return true }; return false }.count
        let bufferEvents = max(64, min(8192, readBufferBudget / WorkaroundSpillFile.stride / max(1, fileRuns)))
        var cursors = zip(sources, ranges).map { entry, range in
            WorkaroundRunCursor(entry.source, worker: entry.worker, range: range, bufferEvents: bufferEvents)
        }
        defer { for c in cursors { c.release() } }

        func next(_ c: Int) -> Head? {
            if case .detector = cursors[c].source {
                guard let (e, hash) = cursors[c].nextDetectorEvent() else { return nil }
                return Head(hash: hash, time: e.time, rank: .max, cursor: c, event: e)
            }
            guard let e = cursors[c].nextEvent() else { return nil }
            let w = cursors[c].worker
            let rank = chunkRank[w][Int(e.chunk)]
            return Head(hash: identityHashes[w][Int(e.identity)], time: e.time, rank: rank, cursor: c, event: DetectorEvent(
                time: e.time, position: rank << 32, bytes: e.bytes, identity: Int32(identityMaps[w][Int(e.identity)]),
                host: e.host >= 0 ? hostMaps[w][Int(e.host)] : -1, service: Int32(e.service), flags: e.flags))
        }

        var heap: [Head] = []
        heap.reserveCapacity(cursors.count)
        for c in cursors.indices { if let head = next(c) { heap.append(head) } }
        // Heapify, then pop the smallest and refill from its run until every run is done.
        for i in stride(from: heap.count / 2 - 1, through: 0, by: -1) { siftDown(&heap, i) }
        while let top = heap.first {
            body(top.hash, top.event)
            if let refill = next(top.cursor) {
                heap[0] = refill
            } else {
                heap[0] = heap[heap.count - 1]
                heap.removeLast()
            }
            if !heap.isEmpty { siftDown(&heap, 0) }
        }
        return cursors.reduce(0) { $0 + $1.lost }
    }

    private func siftDown(_ heap: inout [Head], _ start: Int) {
        var i = start
        let n = heap.count
        while true {
            let left = 2 * i + 1
            guard left < n else { return }
            var smallest = left
            if left + 1 < n && heap[left + 1] < heap[left] { smallest = left + 1 }
            guard heap[smallest] < heap[i] else { return }
            heap.swapAt(i, smallest)
            i = smallest
        }
    }
}
