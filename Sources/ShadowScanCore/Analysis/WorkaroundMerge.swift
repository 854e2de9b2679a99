/// The merge side of workaround detection: maps every worker's events to global identities and hosts,
/// puts them in input order per identity, runs `WorkaroundDetector`, and builds the result's
/// `workarounds` and `decisions`.
struct WorkaroundMerge {
    let catalog: ServiceCatalog
    let policy: WorkaroundPolicy

    /// `userMaps[w][local]` is worker `w`'s identity `local` as a global id into `userNames`.
    func run(workers: [WorkerAggregates], userMaps: [[Int]], userNames: [[UInt8]], mail: MailRouteEvents = MailRouteEvents(),
             into result: inout AnalysisResult) {
        // Chunks in input order: (input, sequence) → rank, whichever worker read them.
        var chunkKeys: [(input: Int32, sequence: Int32, worker: Int, local: Int)] = []
        for (w, worker) in workers.enumerated() {
            for (local, chunk) in worker.tallies.chunks.enumerated() { chunkKeys.append((chunk.input, chunk.sequence, w, local)) }
        }
        chunkKeys.sort { ($0.input, $0.sequence) < ($1.input, $1.sequence) }
        var chunkRank = workers.map { [UInt64](repeating: 0, count: $0.tallies.chunks.count) }
        for (rank, key) in chunkKeys.enumerated() { chunkRank[key.worker][key.local] = UInt64(rank) }

        // Hosts by their bytes.
        var hostIndex: [[UInt8]: Int32] = [:]
        var hostNames: [[UInt8]] = []
        var total = 0
        for worker in workers {
            total += worker.tallies.workarounds.events.count
            result.totals.workaroundEventOverflow += worker.tallies.workarounds.overflow
        }

        // Mail from the hook: only large messages of identities the proxy saw can matter.
        let mailEvents = mailDetectorEvents(mail, userNames: userNames)
        total += mailEvents.count

        // Bucket by identity (counting sort), then order each bucket by (time, position).
        var counts = [Int](repeating: 0, count: userNames.count + 1)
        for (w, worker) in workers.enumerated() {
            for e in worker.tallies.workarounds.events { counts[userMaps[w][Int(e.identity)] + 1] += 1 }
        }
        for e in mailEvents { counts[Int(e.identity) + 1] += 1 }
        for i in 1..<counts.count { counts[i] += counts[i - 1] }
        var next = counts
        var ordered = [DetectorEvent](repeating: DetectorEvent(time: 0, position: 0, bytes: 0, identity: 0, host: 0, service: 0, flags: 0), count: total)
        for (w, worker) in workers.enumerated() {
            let hosts = worker.tallies.workarounds.hosts
            var localToGlobalHost = [Int32](repeating: -1, count: hosts.count)
            for local in 0..<hosts.count {
                let bytes = hosts.bytes(of: Int32(local))
                if let g = hostIndex[bytes] { localToGlobalHost[local] = g } else {
                    let g = Int32(hostNames.count)
                    hostIndex[bytes] = g
                    hostNames.append(bytes)
                    localToGlobalHost[local] = g
                }
            }
            // Events of one chunk are contiguous and in line order in their worker's array.
            var chunkStart = 0, currentChunk: Int32 = -1
            for (i, e) in worker.tallies.workarounds.events.enumerated() {
                if e.chunk != currentChunk { currentChunk = e.chunk; chunkStart = i }
                let identity = userMaps[w][Int(e.identity)]
                ordered[next[identity]] = DetectorEvent(
                    time: e.time, position: chunkRank[w][Int(e.chunk)] << 32 | UInt64(i - chunkStart), bytes: e.bytes,
                    identity: Int32(identity), host: e.host >= 0 ? localToGlobalHost[Int(e.host)] : -1,
                    service: Int32(e.service), flags: e.flags)
                next[identity] += 1
            }
            worker.tallies.workarounds.events = []   // no longer needed: free it before the detector runs
        }
        for e in mailEvents {
            ordered[next[Int(e.identity)]] = e
            next[Int(e.identity)] += 1
        }

        var detector = WorkaroundDetector(catalog: catalog, policy: policy)
        ordered.withUnsafeMutableBufferPointer { all in
            for identity in 0..<userNames.count where counts[identity + 1] > counts[identity] {
                var bucket = UnsafeMutableBufferPointer(rebasing: all[counts[identity]..<counts[identity + 1]])
                bucket.sort { ($0.time, $0.position) < ($1.time, $1.position) }
                detector.run(identity: Int32(identity), UnsafeBufferPointer(bucket))
            }
        }

        let name = { (id: Int32) in String(decoding: userNames[Int(id)], as: UTF8.self) }
        let host = { (id: Int32) -> String? in id >= 0 ? String(decoding: hostNames[Int(id)], as: UTF8.self) : nil }
        result.workarounds = detector.findings.map { f in
            let identity = name(f.identity)
            return AnalysisResult.Workaround(
                identity: identity, department: policy.department(of: identity), kind: f.key.kind,
                blocked: catalog.services[Int(f.key.blocked)].id, blockedHost: host(f.aggregate.blockedHost),
                substitute: f.key.substitute >= 0 ? catalog.services[Int(f.key.substitute)].id : WorkaroundMerge.personalMail,
                substituteHost: host(f.aggregate.substituteHost), count: f.aggregate.episodes, requests: f.aggregate.requests,
                bytes: f.aggregate.bytes, uploads: f.aggregate.uploads, firstMillis: f.aggregate.firstMillis,
                lastMillis: f.aggregate.lastMillis, gapMillis: f.aggregate.gapMillis,
                outOfHours: policy.workingHours == nil ? nil : f.aggregate.outOfHours)
        }
        WorkaroundMerge.sort(&result.workarounds)

        result.decisions = DecisionEvidence(catalog: catalog, policy: policy)
            .decisions(services: result.services, findings: detector.findings, evidence: detector.evidence, identityName: name)
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
        // Strings ranked once; then every comparison is between integers.
        func ranks(_ values: [String]) -> [String: Int64] {
            Dictionary(uniqueKeysWithValues: Array(Set(values)).sorted().enumerated().map { ($1, Int64($0)) })
        }
        let identity = ranks(rows.map(\.identity)), service = ranks(rows.map(\.blocked) + rows.map(\.substitute))
        let kinds = AnalysisResult.WorkaroundKind.allCases.sorted { $0.rawValue < $1.rawValue }
        let keys = rows.map { w in
            (-w.count, -w.bytes, identity[w.identity]!, service[w.blocked]!, service[w.substitute]!, Int64(kinds.firstIndex(of: w.kind)!))
        }
        let permutation = rows.indices.sorted { keys[$0] < keys[$1] }
        rows = permutation.map { rows[$0] }
    }

    /// Most episodes first; the rest makes the order total.
    public static func order(_ a: AnalysisResult.Workaround, _ b: AnalysisResult.Workaround) -> Bool {
        if a.count != b.count { return a.count > b.count }
        if a.bytes != b.bytes { return a.bytes > b.bytes }
        return (a.identity, a.blocked, a.substitute, a.kind.rawValue) < (b.identity, b.blocked, b.substitute, b.kind.rawValue)
    }
}
