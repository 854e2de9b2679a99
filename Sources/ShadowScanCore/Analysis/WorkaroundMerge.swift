import Dispatch
import Foundation

/// The merge side of workaround detection: maps every worker's events to global identities and hosts,
/// puts them in input order per identity, runs `WorkaroundDetector`, and builds the result's
/// `workarounds` and `decisions`.
struct WorkaroundMerge {
    let catalog: ServiceCatalog
    let policy: WorkaroundPolicy
    var partitions = WorkaroundMerge.defaultPartitions

    static var defaultPartitions: Int { max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8)) }

    /// `userMaps[w][local]` is worker `w`'s identity `local` as a global id into `userNames`.
    func run(workers: [WorkerAggregates], userMaps: [[Int]], userNames: [[UInt8]], mail: MailRouteEvents = MailRouteEvents(),
             into result: inout AnalysisResult) {
        let chunkRank = Self.chunkRanks(workers)
        let (hostNames, hostMaps) = Self.globalHosts(workers)
        for worker in workers { result.totals.workaroundEventOverflow += worker.tallies.workarounds.overflow }
        let identityHashes = workers.map { $0.tallies.users.allHashes }
        let runs = sortedRuns(workers, identityHashes: identityHashes, mail: mail, userNames: userNames, into: &result)
        let (detector, lost) = detect(runs, chunkRank: chunkRank, userMaps: userMaps, identityHashes: identityHashes, hostMaps: hostMaps)
        result.totals.workaroundEventOverflow += Int64(lost)
        (result.workarounds, result.decisions) = rowsAndDecisions(detector, services: result.services, userNames: userNames, hostNames: hostNames)
    }

    /// Chunks in input order: (input, sequence) → rank, whichever worker read them.
    private static func chunkRanks(_ workers: [WorkerAggregates]) -> [[UInt64]] {
        var chunkKeys: [(input: Int32, sequence: Int32, worker: Int, local: Int)] = []
        for (w, worker) in workers.enumerated() {
            for (local, chunk) in worker.tallies.chunks.enumerated() { chunkKeys.append((chunk.input, chunk.sequence, w, local)) }
        }
        chunkKeys.sort { ($0.input, $0.sequence) < ($1.input, $1.sequence) }
        var chunkRank = workers.map { [UInt64](repeating: 0, count: $0.tallies.chunks.count) }
        for (rank, key) in chunkKeys.enumerated() { chunkRank[key.worker][key.local] = UInt64(rank) }
        return chunkRank
    }

    /// Hosts: every worker's local ids → global ones (first seen first), and the global hosts' bytes.
    private static func globalHosts(_ workers: [WorkerAggregates]) -> (names: [[UInt8]], maps: [[Int32]]) {
        var hostIndex: [[UInt8]: Int32] = [:]
        var hostNames: [[UInt8]] = []
        var hostMaps: [[Int32]] = []
        for worker in workers {
            let hosts = worker.tallies.workarounds.hosts
            var localToGlobal = [Int32](repeating: -1, count: hosts.count)
            for local in 0..<hosts.count {
                let bytes = hosts.bytes(of: Int32(local))
                if let g = hostIndex[bytes] { localToGlobal[local] = g } else {
                    let g = Int32(hostNames.count)
                    hostIndex[bytes] = g
                    hostNames.append(bytes)
                    localToGlobal[local] = g
                }
            }
            hostMaps.append(localToGlobal)
        }
        return (hostNames, hostMaps)
    }

    /// Every sorted run: the spilled ones, each worker's last one (sorted here, in memory, a worker per
    /// core), the mail hook's. The workers' in-memory events are released.
    private func sortedRuns(_ workers: [WorkerAggregates], identityHashes: [[UInt64]], mail: MailRouteEvents, userNames: [[UInt8]],
                            into result: inout AnalysisResult) -> WorkaroundRunMerge {
        var tails = [WorkaroundEventBlock?](repeating: nil, count: workers.count)
        tails.withUnsafeMutableBufferPointer { tails in
            let shared = UnsafeSendable((tails, workers, identityHashes))
            DispatchQueue.concurrentPerform(iterations: workers.count) { w in
                let (tails, workers, identityHashes) = shared.value
                let tail = workers[w].tallies.workarounds.events
                workers[w].tallies.workarounds.events = []
                tails[w] = tail.withUnsafeBufferPointer { events in
                    identityHashes[w].withUnsafeBufferPointer { hashes in
                        WorkaroundEventBlock(events, order: sortedRunOrder(events, identityHashes: hashes))
                    }
                }
            }
        }
        var runs = WorkaroundRunMerge()
        for (w, worker) in workers.enumerated() {
            if let file = worker.tallies.workarounds.spillFile {
                for run in file.runs { runs.add(.file(file, run), worker: w) }
                result.spilledWorkaroundRuns += file.runs.count
                result.spilledWorkaroundEvents += Int64(file.runs.reduce(0) { $0 + $1.count })
            }
            runs.add(.memory(tails[w]!), worker: w)
        }
        let mailEvents = mailDetectorEvents(mail, userNames: userNames)
        if !mailEvents.isEmpty {
            let hashes = userNames.map { name in name.withUnsafeBytes { FNV1a.hash($0) } }
            let order = mailEvents.indices.sorted {
                (hashes[Int(mailEvents[$0].identity)], mailEvents[$0].time, $0) < (hashes[Int(mailEvents[$1].identity)], mailEvents[$1].time, $1)
            }
            runs.add(.detector(order.map { mailEvents[$0] }, hashes: order.map { hashes[Int(mailEvents[$0].identity)] }), worker: -1)
        }
        return runs
    }

    /// One ordered pass per identity, identity-hash partitions on separate cores (their findings and
    /// evidence are disjoint by identity, so joining them gives what one pass would). Identities come
    /// grouped by hash; two that share one (astronomically rare) interleave, so each keeps its own pass
    /// until the group ends. Returns the joined detector and the events that could not be read back.
    private func detect(_ runs: WorkaroundRunMerge, chunkRank: [[UInt64]], userMaps: [[Int]], identityHashes: [[UInt64]],
                        hostMaps: [[Int32]]) -> (WorkaroundDetector, lost: Int) {
        let ranges = runs.partitions(max(1, self.partitions), identityHashes: identityHashes)   // per partition, per run
        var detectors = [WorkaroundDetector?](repeating: nil, count: ranges.count)
        var lostPerPartition = [Int](repeating: 0, count: ranges.count)
        let readBudget = WorkaroundRunMerge.readBufferBudget / ranges.count
        detectors.withUnsafeMutableBufferPointer { detectors in
            lostPerPartition.withUnsafeMutableBufferPointer { lostPerPartition in
                let shared = UnsafeSendable((detectors, lostPerPartition, runs, ranges, chunkRank, userMaps, identityHashes, hostMaps))
                DispatchQueue.concurrentPerform(iterations: ranges.count) { p in
                    let (detectors, lostPerPartition, runs, ranges, chunkRank, userMaps, identityHashes, hostMaps) = shared.value
                    var detector = WorkaroundDetector(catalog: catalog, policy: policy)
                    var group: [WorkaroundDetector.IdentityPass] = []
                    var groupHash: UInt64 = 0
                    lostPerPartition[p] = runs.merge(ranges[p], readBufferBudget: readBudget, chunkRank: chunkRank, identityMaps: userMaps,
                                                     identityHashes: identityHashes, hostMaps: hostMaps) { hash, e in
                        if hash != groupHash || group.isEmpty {
                            for pass in group.sorted(by: { $0.identity < $1.identity }) { detector.finish(pass) }
                            group.removeAll(keepingCapacity: true)
                            groupHash = hash
                        }
                        if let i = group.firstIndex(where: { $0.identity == e.identity }) {
                            detector.feed(&group[i], e)
                        } else {
                            var pass = WorkaroundDetector.IdentityPass(identity: e.identity)
                            detector.feed(&pass, e)
                            group.append(pass)
                        }
                    }
                    for pass in group.sorted(by: { $0.identity < $1.identity }) { detector.finish(pass) }
                    detectors[p] = detector
                }
            }
        }
        var detector = detectors[0]!
        for other in detectors.dropFirst() { detector.absorb(other!) }
        detector.deduplicateEvidence()
        return (detector, lostPerPartition.reduce(0, +))
    }

    /// Decisions and rows read the same findings: built side by side.
    private func rowsAndDecisions(_ detector: WorkaroundDetector, services: [AnalysisResult.Service], userNames: [[UInt8]],
                                  hostNames: [[UInt8]]) -> ([AnalysisResult.Workaround], [AnalysisResult.Decision]) {
        let name = { @Sendable (id: Int32) in String(decoding: userNames[Int(id)], as: UTF8.self) }
        var decisions: [AnalysisResult.Decision] = []
        var rows: [AnalysisResult.Workaround] = []
        let shared = UnsafeSendable((detector, services, hostNames))
        withUnsafeMutablePointer(to: &decisions) { decisions in
            withUnsafeMutablePointer(to: &rows) { rows in
                let out = UnsafeSendable((decisions, rows))
                DispatchQueue.concurrentPerform(iterations: 2) { part in
                    let (detector, services, hostNames) = shared.value
                    if part == 0 {
                        out.value.0.pointee = DecisionEvidence(catalog: catalog, policy: policy)
                            .decisions(services: services, findings: detector.findings, evidence: detector.evidence, identityName: name)
                    } else {
                        out.value.1.pointee = workaroundRows(detector.findings, name: name, hostNames: hostNames)
                    }
                }
            }
        }
        return (rows, decisions)
    }

    /// The findings as rows, in their final order (`order`).
    private func workaroundRows(_ findings: [WorkaroundDetector.Finding], name: (Int32) -> String, hostNames: [[UInt8]]) -> [AnalysisResult.Workaround] {
        // Each identity and host becomes a String once, however many rows name it.
        var identityStrings: [Int32: String] = [:], hostStrings: [Int32: String] = [:]
        for f in findings where identityStrings[f.identity] == nil { identityStrings[f.identity] = name(f.identity) }
        func host(_ id: Int32) -> String? {
            guard id >= 0 else { return nil }
            if let known = hostStrings[id] { return known }
            let s = String(decoding: hostNames[Int(id)], as: UTF8.self)
            hostStrings[id] = s
            return s
        }
        // Rows in their final order (`order`), sorted as integers: identities and services ranked once.
        let identityRank = Dictionary(uniqueKeysWithValues: identityStrings.sorted { $0.value < $1.value }.enumerated().map { ($1.key, Int32($0)) })
        let serviceIDs = catalog.services.map(\.id) + [WorkaroundMerge.personalMail]
        var serviceRank = [Int32](repeating: 0, count: serviceIDs.count)
        for (rank, s) in serviceIDs.indices.sorted(by: { serviceIDs[$0] < serviceIDs[$1] }).enumerated() { serviceRank[s] = Int32(rank) }
        let kindRank = Dictionary(uniqueKeysWithValues: AnalysisResult.WorkaroundKind.allCases.sorted().enumerated().map { ($1, Int32($0)) })
        let keys = findings.map { f in
            (-f.aggregate.episodes, -f.aggregate.bytes, identityRank[f.identity]!, serviceRank[Int(f.key.blocked)],
             serviceRank[f.key.substitute >= 0 ? Int(f.key.substitute) : serviceIDs.count - 1], kindRank[f.key.kind]!)
        }
        let rowOrder = keys.indices.sorted { keys[$0] < keys[$1] }
        return rowOrder.map { i in
            let f = findings[i]
            let identity = identityStrings[f.identity]!
            return AnalysisResult.Workaround(
                identity: identity, department: policy.department(of: identity), kind: f.key.kind,
                blocked: catalog.services[Int(f.key.blocked)].id, blockedHost: host(f.aggregate.blockedHost),
                substitute: f.key.substitute >= 0 ? catalog.services[Int(f.key.substitute)].id : WorkaroundMerge.personalMail,
                substituteHost: host(f.aggregate.substituteHost), count: f.aggregate.episodes, requests: f.aggregate.requests,
                bytes: f.aggregate.bytes, uploads: f.aggregate.uploads, firstMillis: f.aggregate.firstMillis,
                lastMillis: f.aggregate.lastMillis, gapMillis: f.aggregate.gapMillis,
                outOfHours: policy.workingHours == nil ? nil : f.aggregate.outOfHours)
        }
    }

    /// The hook's messages at or above the upload threshold, as events of the proxy identity they belong
    /// to (exact name first, else the same name in another case); positioned after any proxy event of the
    /// same millisecond.
    private func mailDetectorEvents(_ mail: MailRouteEvents, userNames: [[UInt8]]) -> [DetectorEvent] {
        guard mail.count > 0 else { return [] }
        var exact: [String: Int32] = [:], folded: [String: Int32] = [:]
        for (id, bytes) in userNames.enumerated() {
            let name = String(decoding: bytes, as: UTF8.self)
            exact[name] = Int32(id)
            let lower = name.lowercased()
            // Deterministic when two proxy names differ only in case: the smaller name wins.
            if let other = folded[lower], name > String(decoding: userNames[Int(other)], as: UTF8.self) { continue }
            folded[lower] = Int32(id)
        }
        let serviceNumber = Dictionary(uniqueKeysWithValues: catalog.services.enumerated().map { ($1.id, Int32($0)) })
        var out: [DetectorEvent] = []
        for (i, e) in mail.events.enumerated() where e.bytes >= policy.uploadThreshold {
            let name = mail.names[Int(e.identity)]
            guard let identity = exact[name] ?? folded[name.lowercased()] else { continue }
            out.append(DetectorEvent(time: e.time, position: 1 << 63 | UInt64(i), bytes: e.bytes, identity: identity, host: -1,
                                     service: e.service.flatMap { serviceNumber[$0] } ?? -1,
                                     flags: WorkaroundEvent.mail | WorkaroundEvent.upload))
        }
        return out
    }

    /// The substitute id of a mail route to a personal address whose domain the catalogue does not know.
    static let personalMail = "personal-mail"

    /// Sorts by `order` through a permutation: moving the rows themselves (five strings each) while
    /// sorting 100,000s of them cost more than the detection.
    public static func sort(_ rows: inout [AnalysisResult.Workaround]) {
        // Rows already in order of episodes and bytes (the merge's, renamed by pseudonyms) only need
        // each run of equal (episodes, bytes) put in order: usually runs of one.
        if zip(rows, rows.dropFirst()).allSatisfy({ a, b in (a.count, a.bytes) >= (b.count, b.bytes) }) {
            var start = 0
            while start < rows.count {
                var end = start + 1
                while end < rows.count && rows[end].count == rows[start].count && rows[end].bytes == rows[start].bytes { end += 1 }
                if end - start > 1 {
                    // Through a permutation: moving the rows themselves while sorting costs more.
                    let permutation = rows.withUnsafeBufferPointer { p in
                        (start..<end).sorted { a, b in   // `order` on equal (count, bytes), reading fields in place
                            if p[a].identity != p[b].identity { return p[a].identity < p[b].identity }
                            if p[a].blocked != p[b].blocked { return p[a].blocked < p[b].blocked }
                            if p[a].substitute != p[b].substitute { return p[a].substitute < p[b].substitute }
                            return p[a].kind < p[b].kind
                        }
                    }
                    let sorted = permutation.map { rows[$0] }
                    for (offset, row) in sorted.enumerated() { rows[start + offset] = row }
                }
                start = end
            }
            return
        }
        // Strings ranked once; then every comparison is between integers.
        func ranks(_ values: [String]) -> [String: Int64] {
            Dictionary(uniqueKeysWithValues: Array(Set(values)).sorted().enumerated().map { ($1, Int64($0)) })
        }
        let identity = ranks(rows.map(\.identity)), service = ranks(rows.map(\.blocked) + rows.map(\.substitute))
        let kinds = AnalysisResult.WorkaroundKind.allCases.sorted { $0.rawValue < $1.rawValue }
        let keys = rows.map { w in
            (-w.count, -w.bytes, identity[w.identity]!, service[w.blocked]!, service[w.substitute]!, Int64(kinds.firstIndex(of: w.kind)!))
        }
        var permutation = rows.indices.sorted { keys[$0] < keys[$1] }
        // Applied in place, cycle by cycle: a sorted copy would double the rows' memory for a moment.
        for start in permutation.indices where permutation[start] != start {
            var i = start
            while permutation[i] != start {
                let from = permutation[i]
                rows.swapAt(i, from)
                permutation[i] = i
                i = from
            }
            permutation[i] = i
        }
    }

    /// Most episodes first; the rest makes the order total.
    public static func order(_ a: AnalysisResult.Workaround, _ b: AnalysisResult.Workaround) -> Bool {
        if a.count != b.count { return a.count > b.count }
        if a.bytes != b.bytes { return a.bytes > b.bytes }
        return (a.identity, a.blocked, a.substitute, a.kind.rawValue) < (b.identity, b.blocked, b.substitute, b.kind.rawValue)
    }
}
