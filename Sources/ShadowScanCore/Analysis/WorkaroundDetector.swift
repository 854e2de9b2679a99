/// An event with global ids and its place in the input, ready for the ordered pass.
struct DetectorEvent {
    var time: Int64
    /// Input order: chunk rank (input, sequence) in the high 32 bits, the event's place in its chunk below.
    var position: UInt64
    var bytes: Int64
    var identity: Int32
    var host: Int32
    var service: Int32
    var flags: UInt8

    var isDenied: Bool { flags & WorkaroundEvent.denied != 0 }
    var isMail: Bool { flags & WorkaroundEvent.mail != 0 }
    var isUpload: Bool { flags & WorkaroundEvent.upload != 0 }
    var isIPLiteral: Bool { flags & WorkaroundEvent.ipLiteral != 0 }
}

/// Finds workarounds in one ordered pass per identity. Definitions (README, "Workarounds"):
///
/// - A denial of a service that is blocked or unlisted opens a window of `policy.windowMillis` for that
///   service; a later denial of the same service restarts it.
/// - An allowed request inside an open window of blocked service B is a workaround when it goes to
///   B on another host than B's latest denial (side door), else to another non-sanctioned service of
///   B's category or substitute group (substitution), else to a service of an evasion category (evasion). A mail with a
///   large attachment to a personal address inside the window of a storage or transfer service is a
///   mail route.
/// - Per identity × B × substitute × kind, an episode starts with the first workaround after each new
///   denial of B; `requests`, `bytes` and `uploads` add up every workaround request.
///
/// Events must come sorted by (identity, time, position); the result depends on nothing else.
struct WorkaroundDetector {
    struct Key: Hashable {
        var blocked: Int32
        var substitute: Int32
        var kind: AnalysisResult.WorkaroundKind

        // By case, not by the String raw value the standard library would hash and compare.
        private var packed: UInt64 {
            let k: UInt64
            switch kind {
            case .substitution: k = 0
            case .sideDoor: k = 1
            case .evasion: k = 2
            case .mailRoute: k = 3
            }
            return UInt64(UInt32(bitPattern: blocked)) << 32 | UInt64(UInt32(bitPattern: substitute) & 0x3FFF_FFFF) << 2 | k
        }
        static func == (a: Key, b: Key) -> Bool { a.blocked == b.blocked && a.substitute == b.substitute && a.packed & 3 == b.packed & 3 }
        func hash(into hasher: inout Hasher) { hasher.combine(packed) }
    }

    struct Aggregate {
        var episodes: Int64 = 0
        var requests: Int64 = 0
        var bytes: Int64 = 0
        var uploads: Int64 = 0
        var firstMillis: Int64 = 0
        var lastMillis: Int64 = 0
        var gapMillis: Int64 = 0
        var outOfHours: Int64 = 0
        var blockedHost: Int32 = -1
        var substituteHost: Int32 = -1
        /// The denial (by its sequence number) whose window the last counted request fell in.
        var lastDenial: Int32 = -1
    }

    /// One identity's finding.
    struct Finding { var identity: Int32; var key: Key; var aggregate: Aggregate }

    /// Per blocked service, over all identities.
    struct ServiceEvidence {
        var days = Set<Int64>()
        var outOfHours: Int64 = 0
        /// Identities, as arrays: each identity is appended while its own events pass, so partitions
        /// join by appending; `deduplicate()` sorts them and drops the repeats.
        var workedAround: [Int32] = []
        var movedToAlternative: [Int32] = []
        var triedBy: [Int32] = []

        mutating func deduplicate() {
            func unique(_ a: inout [Int32]) {
                a.sort()
                var out = 0
                for i in a.indices where i == 0 || a[i] != a[i - 1] { a[out] = a[i]; out += 1 }
                a.removeLast(a.count - out)
            }
            unique(&workedAround); unique(&movedToAlternative); unique(&triedBy)
        }

        static func append(_ identity: Int32, to a: inout [Int32]) {
            if a.last != identity { a.append(identity) }
        }
    }

    fileprivate struct OpenWindow { var service: Int32; var time: Int64; var host: Int32; var sequence: Int32 }

    let catalog: ServiceCatalog
    let policy: WorkaroundPolicy
    /// Per service: its substitution group (its category, or the policy's group of categories).
    private let substitutionGroup: [Int]
    private let isEvasion: [Bool]
    private let isMailRouteSource: [Bool]
    private let isSanctioned: [Bool]
    /// Per service: its category's sanctioned alternative, or -1.
    private let alternativeOf: [Int32]

    private(set) var findings: [Finding] = []
    /// Per service number.
    private(set) var evidence: [ServiceEvidence]
    /// Local time for days and working hours, converted through this detector's own cursor (no lock,
    /// no copy of the policy's hours per event).
    private var clock: LocalClock.Cursor
    private let workingHours: WorkingHours?
    private let workingDays: UInt8

    @inline(__always)
    private mutating func isOutOfHours(_ utc: Int64) -> Bool {
        guard let workingHours else { return false }
        return !workingHours.contains(localMillis: clock.localMillis(utc), dayMask: workingDays)
    }

    /// Per service: the day and identity last added to its evidence (already in the sets).
    private var lastDay: [Int64]
    private var lastTriedBy: [Int32]

    init(catalog: ServiceCatalog, policy: WorkaroundPolicy) {
        self.catalog = catalog
        self.policy = policy
        var groupOf: [String: Int] = [:]
        for (g, group) in policy.substituteGroups.enumerated() { for name in group { groupOf[name] = catalog.categories.count + g } }
        substitutionGroup = catalog.services.enumerated().map { s, service in groupOf[service.category] ?? catalog.categoryIndex[s] }
        isEvasion = catalog.services.map { policy.evasionCategories.contains($0.category) }
        isMailRouteSource = catalog.services.map { WorkaroundPolicy.mailRouteCategories.contains($0.category) }
        isSanctioned = policy.status.map { $0 == .sanctioned }
        alternativeOf = catalog.categoryIndex.map { c in Int32(policy.alternatives[c] ?? -1) }
        evidence = Array(repeating: ServiceEvidence(), count: catalog.services.count)
        clock = LocalClock.Cursor(policy.workingHours?.clock ?? .utc)
        workingHours = policy.workingHours
        workingDays = policy.workingHours?.dayMask ?? 0
        lastDay = Array(repeating: .min, count: catalog.services.count)
        lastTriedBy = Array(repeating: -1, count: catalog.services.count)
    }

    /// One identity's state while its events stream past.
    struct IdentityPass {
        let identity: Int32
        fileprivate var open: [OpenWindow] = []
        fileprivate var found = [Key: Aggregate](minimumCapacity: 16)   // most identities that have any have several
        fileprivate var sequence: Int32 = 0
        init(identity: Int32) { self.identity = identity }
    }

    /// The next event of `pass`'s identity, in (time, position) order.
    mutating func feed(_ pass: inout IdentityPass, _ e: DetectorEvent) {
        let identity = pass.identity
        let window = policy.windowMillis
        if e.isMail {
            for w in pass.open where e.time - w.time <= window && isMailRouteSource[Int(w.service)] {
                record(&pass.found, Key(blocked: w.service, substitute: e.service, kind: .mailRoute), e, w)
            }
            return
        }
        // Every request to a service that can be blocked is an attempt on it (raw IPs are not counted
        // as the service's requests elsewhere either).
        if e.service >= 0 && !isSanctioned[Int(e.service)] && !e.isIPLiteral {
            let s = Int(e.service)
            // Most events repeat the last day and identity seen for their service: skip those inserts.
            let day = clock.localDay(e.time)
            if lastDay[s] != day { evidence[s].days.insert(day); lastDay[s] = day }
            if lastTriedBy[s] != identity { evidence[s].triedBy.append(identity); lastTriedBy[s] = identity }
            if e.isDenied && isOutOfHours(e.time) { evidence[s].outOfHours += 1 }
        }
        if e.isDenied {
            pass.sequence += 1
            let opened = OpenWindow(service: e.service, time: e.time, host: e.host, sequence: pass.sequence)
            if let i = pass.open.firstIndex(where: { $0.service == e.service }) { pass.open[i] = opened } else { pass.open.append(opened) }
            return
        }
        pass.open.removeAll { e.time - $0.time > window }
        for w in pass.open {
            let s = Int(e.service), b = Int(w.service)
            let kind: AnalysisResult.WorkaroundKind
            if s == b {
                guard e.host != w.host else { continue }
                kind = .sideDoor
            } else if isSanctioned[s] {
                if alternativeOf[b] == e.service { ServiceEvidence.append(identity, to: &evidence[b].movedToAlternative) }
                continue
            } else if substitutionGroup[s] == substitutionGroup[b] {
                kind = .substitution
            } else if isEvasion[s] {
                kind = .evasion
            } else {
                continue
            }
            record(&pass.found, Key(blocked: w.service, substitute: e.service, kind: kind), e, w)
        }
    }

    /// Joins the findings and evidence of a detector that saw other identities.
    mutating func absorb(_ other: WorkaroundDetector) {
        findings.append(contentsOf: other.findings)
        for s in evidence.indices {
            evidence[s].days.formUnion(other.evidence[s].days)
            evidence[s].outOfHours += other.evidence[s].outOfHours
            evidence[s].workedAround.append(contentsOf: other.evidence[s].workedAround)
            evidence[s].movedToAlternative.append(contentsOf: other.evidence[s].movedToAlternative)
            evidence[s].triedBy.append(contentsOf: other.evidence[s].triedBy)
        }
    }

    /// After the last pass (and the last `absorb`): every identity once in the evidence.
    mutating func deduplicateEvidence() {
        for s in evidence.indices { evidence[s].deduplicate() }
    }

    /// Ends `pass`: its findings join `findings`.
    mutating func finish(_ pass: IdentityPass) {
        for (key, aggregate) in pass.found {
            findings.append(Finding(identity: pass.identity, key: key, aggregate: aggregate))
            ServiceEvidence.append(pass.identity, to: &evidence[Int(key.blocked)].workedAround)
        }
    }

    private mutating func record(_ found: inout [Key: Aggregate], _ key: Key, _ e: DetectorEvent, _ w: OpenWindow) {
        add(&found[key, default: Aggregate()], e, w)   // one lookup, updated in place
    }

    private mutating func add(_ a: inout Aggregate, _ e: DetectorEvent, _ w: OpenWindow) {
        if a.lastDenial != w.sequence {
            if a.episodes == 0 {
                a.firstMillis = e.time
                a.gapMillis = e.time - w.time
                a.blockedHost = w.host
                a.substituteHost = e.host
            }
            a.episodes += 1
            a.lastDenial = w.sequence
            if isOutOfHours(e.time) { a.outOfHours += 1 }
        }
        a.requests += 1
        a.bytes += e.bytes
        if e.isUpload { a.uploads += 1 }
        a.lastMillis = e.time
    }
}
