/// Merges worker aggregates once, in a fixed order, into a sorted result. Worker-local ids (users,
/// domains) are mapped to global ones through their bytes, so the result depends only on the input.
struct ResultMerger {
    let catalog: ServiceCatalog
    let sources: [InputSource]
    let outcomes: [InputReadOutcome]
    let workers: [WorkerAggregates]
    /// For workaround detection and decisions (WorkaroundMerge.swift).
    var policy: WorkaroundPolicy? = nil
    /// Messages to personal addresses, for mail-route workarounds (MailRouteHook.swift).
    var mailRoutes = MailRouteEvents()
    /// Identity partitions workaround detection runs in parallel (the result does not depend on it).
    var workaroundPartitions = WorkaroundMerge.defaultPartitions

    func merge() -> AnalysisResult {
        var result = AnalysisResult()
        result.workers = workers.count
        result.chunksPerWorker = workers.map(\.tallies.chunks.count)
        result.patternsUseJIT = catalog.usesJIT
        mergeInputs(into: &result)

        // Global identities and domains, keyed by their bytes.
        var userIndex: [[UInt8]: Int] = [:]
        var userNames: [[UInt8]] = []
        var userCounters: [UserCounters] = []
        var serviceCounters = Array(repeating: ServiceCounters(), count: catalog.services.count)
        var serviceUsers = DistinctPairs()
        var userMaps: [[Int]] = []   // per worker: local identity → global, for workaround events
        var daily = DailyMerge(serviceCount: catalog.services.count)
        var domainIndex: [[UInt8]: Int] = [:]
        var domainNames: [[UInt8]] = []
        var domainCounters: [DomainCounters] = []
        var domainUsers = DistinctPairs(maxBitmapBytes: 64 << 20)

        for worker in workers.map(\.tallies) {
            var localToGlobalUser = [Int](repeating: 0, count: worker.users.count)
            for local in 0..<worker.users.count {
                let bytes = worker.users.bytes(of: Int32(local))
                if let global = userIndex[bytes] {
                    localToGlobalUser[local] = global
                } else {
                    localToGlobalUser[local] = userNames.count
                    userIndex[bytes] = userNames.count
                    userNames.append(bytes)
                    userCounters.append(UserCounters())
                }
                let g = localToGlobalUser[local]
                userCounters[g].requests += worker.userCounters[local].requests
                userCounters[g].denied += worker.userCounters[local].denied
            }
            userMaps.append(localToGlobalUser)
            for (s, counters) in worker.services.enumerated() { serviceCounters[s].merge(counters) }
            worker.serviceUsers.forEach { service, user in
                serviceUsers.insert(row: service, column: Int32(localToGlobalUser[Int(user)]))
            }
            daily.add(worker.daily, globalUser: localToGlobalUser)
            var localToGlobalDomain = [Int](repeating: 0, count: worker.domains.count)
            for local in 0..<worker.domains.count {
                let bytes = worker.domains.bytes(of: Int32(local))
                let g: Int
                if let global = domainIndex[bytes] { g = global } else {
                    g = domainNames.count
                    domainIndex[bytes] = g
                    domainNames.append(bytes)
                    domainCounters.append(DomainCounters())
                }
                localToGlobalDomain[local] = g
                domainCounters[g].requests += worker.domainCounters[local].requests
                domainCounters[g].bytes += worker.domainCounters[local].bytes
            }
            worker.domainUsers.forEach { domain, user in
                domainUsers.insert(row: Int32(localToGlobalDomain[Int(domain)]), column: Int32(localToGlobalUser[Int(user)]))
            }
            result.totals.records += worker.records
            result.totals.matched += worker.matched
            result.totals.bytes += worker.bytes
            result.totals.bytesOut += worker.bytesOut
            result.totals.regexLimitHits += Int64(worker.matcher.regexLimitHits)
            result.totals.unknownDomainOverflow += worker.unknownDomainOverflow
        }

        // Services and the identities behind them.
        var usersPerService = [Int64](repeating: 0, count: catalog.services.count)
        var servicesPerUser = [[Int]](repeating: [], count: userNames.count)
        var categoryUsers = DistinctPairs()
        serviceUsers.forEach { service, user in
            usersPerService[Int(service)] += 1
            servicesPerUser[Int(user)].append(Int(service))
            categoryUsers.insert(row: Int32(catalog.categoryIndex[Int(service)]), column: user)
        }
        for (s, c) in serviceCounters.enumerated() where c.requests > 0 {
            let definition = catalog.services[s]
            let usage = AnalysisResult.Usage(
                requests: c.requests, allowed: c.requests - c.denied - c.challenges, denied: c.denied, challenges: c.challenges,
                users: usersPerService[s], bytesIn: c.bytesIn, bytesOut: c.bytesOutKnown > 0 ? c.bytesOut : nil, uploads: c.uploads)
            result.services.append(AnalysisResult.Service(
                id: definition.id, name: definition.name, category: definition.category, risk: definition.risk,
                personal: definition.personal, usage: usage, hostOnlyRequests: c.hostOnly,
                firstSeenMillis: c.firstSeen, lastSeenMillis: c.lastSeen, requestSizeKnown: c.bytesOutKnown))
        }
        result.services.sort { ($0.requests, $1.id) > ($1.requests, $0.id) }

        var usersPerCategory = [Int64](repeating: 0, count: catalog.categories.count)
        categoryUsers.forEach { category, _ in usersPerCategory[Int(category)] += 1 }
        for (index, name) in catalog.categories.enumerated() {
            let members = result.services.filter { $0.category == name }
            guard !members.isEmpty else { continue }
            var usage = members.reduce(AnalysisResult.Usage()) { $0 + $1.usage }
            usage.users = usersPerCategory[index]
            result.categories.append(AnalysisResult.Category(category: name, services: Int64(members.count), usage: usage))
        }
        result.categories.sort { ($0.requests, $1.category) > ($1.requests, $0.category) }

        for (u, services) in servicesPerUser.enumerated() where !services.isEmpty {
            result.users.append(AnalysisResult.User(
                user: String(decoding: userNames[u], as: UTF8.self), requests: userCounters[u].requests,
                denied: userCounters[u].denied, services: services.map { catalog.services[$0].id }.sorted()))
        }
        result.users.sort { ($0.requests, $1.user) > ($1.requests, $0.user) }

        var usersPerDomain = [Int64](repeating: 0, count: domainNames.count)
        domainUsers.forEach { domain, _ in usersPerDomain[Int(domain)] += 1 }
        let top = (0..<domainNames.count).map { d in
            AnalysisResult.UnknownDomain(domain: String(decoding: domainNames[d], as: UTF8.self), users: usersPerDomain[d],
                                         requests: domainCounters[d].requests, bytes: domainCounters[d].bytes)
        }.sorted { ($0.users, $0.requests, $1.domain) > ($1.users, $1.requests, $0.domain) }
        result.unknownDomains = Array(top.prefix(AnalysisResult.unknownDomainLimit))
        result.timeline = daily.timeline(catalog)
        result.totals.timelineOverflow = daily.overflow
        if let policy { WorkaroundMerge(catalog: catalog, policy: policy, partitions: workaroundPartitions).run(workers: workers, userMaps: userMaps, userNames: userNames, mail: mailRoutes, into: &result) }
        return result
    }

    /// Puts chunk statistics back in input order to count lines and number malformed lines.
    private func mergeInputs(into result: inout AnalysisResult) {
        var inputs = zip(sources, outcomes).map { source, outcome in
            AnalysisResult.Input(path: source.path, format: outcome.format, detection: outcome.detection,
                                 bytes: Int64(outcome.bytesRead), problem: outcome.problem, compression: outcome.compression)
        }
        let chunks = workers.flatMap(\.tallies.chunks).sorted { ($0.input, $0.sequence) < ($1.input, $1.sequence) }
        for chunk in chunks {
            let i = Int(chunk.input)
            let offset = inputs[i].lines
            for sample in chunk.malformedSamples where inputs[i].malformedSamples.count < ChunkStats.maxSamples {
                inputs[i].malformedSamples.append(offset + Int64(sample))
            }
            inputs[i].lines += Int64(chunk.lines)
            inputs[i].records += Int64(chunk.records)
            inputs[i].malformed += Int64(chunk.malformed)
            inputs[i].oversized += Int64(chunk.oversized)
            inputs[i].skipped += Int64(chunk.skipped)
        }
        for input in inputs {
            result.totals.lines += input.lines
            result.totals.malformed += input.malformed
            result.totals.oversized += input.oversized
            result.totals.skipped += input.skipped
            result.totals.inputBytes += input.bytes
        }
        result.inputs = inputs
    }
}
