#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One request (or mail) that can matter for workaround detection, as the hot path records it: 32
/// bytes, no references. Workers split the input, so each keeps its own sorted runs of these
/// (Analysis/WorkaroundSpill.swift); the merge puts them in order per identity by (time, input, chunk,
/// position in chunk) and runs `WorkaroundDetector` over them in one ordered pass, which makes detection
/// exact for any worker count or block size.
struct WorkaroundEvent {
    var time: Int64
    /// Bytes to the client, plus bytes from the client where the format logs them.
    var bytes: Int64
    /// Worker-local identity id (the worker's user interner).
    var identity: Int32
    /// Index of the chunk in the worker's `chunks` (events of one chunk are in line order).
    var chunk: Int32
    /// Worker-local host id (the collector's host interner).
    var host: Int32
    /// Catalogue service number.
    var service: Int16
    var flags: UInt8

    static let denied: UInt8 = 1
    static let upload: UInt8 = 2
    /// The host is a raw IP literal, mapped to the service by the policy's `ip_ranges`.
    static let ipLiteral: UInt8 = 4
    /// A message from the mail-route hook (MailRouteHook.swift), never recorded by the hot path.
    static let mail: UInt8 = 8
}

/// What the hot path should record, decided once from the policy and catalogue.
struct WorkaroundSetup: @unchecked Sendable {
    /// Per service: `collectDenied` / `collectAllowed` bits.
    var serviceFlags: [UInt8]
    var internalDomains: DomainSuffixIndex?
    var ipRanges: IPRangeTable
    var uploadThreshold: Int64
    /// Events per worker before further ones are only counted (`totals.workaround_event_overflow`).
    var maxEvents: Int
    /// Events a worker holds in memory; a full buffer is sorted and spilled to `spillDirectory` at the
    /// end of a chunk (Analysis/WorkaroundSpill.swift).
    var runCapacity: Int = AnalysisOptions.defaultWorkaroundRunCapacity
    var spillDirectory: String = WorkaroundSetup.defaultSpillDirectory

    /// `$TMPDIR`, else /tmp.
    public static var defaultSpillDirectory: String {
        if let dir = getenv("TMPDIR").map({ String(cString: $0) }), !dir.isEmpty { return dir }
        return "/tmp"
    }

    static let collectDenied: UInt8 = 1
    static let collectAllowed: UInt8 = 2
    /// Requests to the organisation's own domains and tenants are internal: not recorded.
    static let dropInternal: UInt8 = 4

    static let disabled = WorkaroundSetup(serviceFlags: [], internalDomains: nil, ipRanges: IPRangeTable(), uploadThreshold: .max, maxEvents: 0)

    /// Denials of every service that can be blocked (not sanctioned or tolerated); allowed requests of
    /// every service except sanctioned ones that are nobody's alternative (they can never be a
    /// substitute, a side door or a move to the alternative).
    init(catalog: ServiceCatalog, policy: WorkaroundPolicy, maxEvents: Int, runCapacity: Int = AnalysisOptions.defaultWorkaroundRunCapacity,
         spillDirectory: String = WorkaroundSetup.defaultSpillDirectory) {
        self.runCapacity = max(1, runCapacity)
        self.spillDirectory = spillDirectory
        let alternatives = Set(policy.alternatives.values)
        serviceFlags = policy.status.enumerated().map { s, status in
            switch status {
            case .blocked, .unlisted: return Self.collectDenied | Self.collectAllowed | Self.dropInternal
            case .tolerated: return Self.collectAllowed | Self.dropInternal
            // The alternative's own tenant is where people should go: keep it (it is never a substitute).
            case .sanctioned: return alternatives.contains(s) ? Self.collectAllowed : 0
            }
        }
        internalDomains = policy.internalDomains.isEmpty ? nil : DomainSuffixIndex(policy.internalDomains.map { ($0, 1) })
        ipRanges = policy.ipRanges
        uploadThreshold = policy.uploadThreshold
        self.maxEvents = maxEvents
    }

    private init(serviceFlags: [UInt8], internalDomains: DomainSuffixIndex?, ipRanges: IPRangeTable, uploadThreshold: Int64, maxEvents: Int) {
        self.serviceFlags = serviceFlags
        self.internalDomains = internalDomains
        self.ipRanges = ipRanges
        self.uploadThreshold = uploadThreshold
        self.maxEvents = maxEvents
    }
}

/// A worker's workaround events: at most `runCapacity` in memory, the rest in sorted runs on disk
/// (Analysis/WorkaroundSpill.swift). Past `maxEvents` (or `maxHosts` distinct hosts, or when a run
/// cannot be written) events are counted in `overflow` and dropped, and the run's detection is flagged
/// as incomplete.
struct WorkaroundCollector {
    private let serviceFlags: [UInt8]
    private let internalDomains: DomainSuffixIndex?
    let ipRanges: IPRangeTable
    /// Stored, so the hot path's check reads no array.
    let hasIPRanges: Bool
    private let uploadThreshold: Int64
    private let maxEvents: Int
    var events: [WorkaroundEvent] = []
    var hosts = ByteInterner(capacity: 256)
    var overflow: Int64 = 0
    /// Events recorded so far, in memory and spilled.
    private var recorded = 0
    private let runCapacity: Int
    private let spillDirectory: String
    /// Created at the first spill.
    private(set) var spillFile: WorkaroundSpillFile?

    static let maxHosts = 1 << 20

    init(_ setup: WorkaroundSetup) {
        // Private copies: arrays shared across cores cost atomic reference counting in the hot loop.
        serviceFlags = setup.serviceFlags.withUnsafeBufferPointer { Array($0) }
        internalDomains = setup.internalDomains?.privateCopy()
        ipRanges = setup.ipRanges.privateCopy()
        hasIPRanges = !setup.ipRanges.isEmpty && setup.maxEvents > 0
        uploadThreshold = setup.uploadThreshold
        maxEvents = setup.maxEvents
        isEnabled = setup.maxEvents > 0
        runCapacity = setup.runCapacity
        spillDirectory = setup.spillDirectory
    }

    /// True when the buffer should be spilled at the end of this chunk.
    var isFull: Bool { events.count >= runCapacity }

    /// Called at the end of a chunk when `isFull` (so a chunk's events stay in one run).
    mutating func spill(identityHashes: UnsafeBufferPointer<UInt64>) {        if spillFile == nil { spillFile = WorkaroundSpillFile(directory: spillDirectory) }
        let written = events.withUnsafeBufferPointer { events in
            spillFile?.append(events, order: sortedRunOrder(events, identityHashes: identityHashes)) ?? false
        }
        if !written { overflow += Int64(events.count) }
        events.removeAll(keepingCapacity: true)
    }

    let isEnabled: Bool

    /// Records a proxy request matched to `service`, if it can matter.
    @inline(__always)
    mutating func noteRequest(service: Int32, record: ProxyRecord, host: UnsafeRawBufferPointer, identity: Int32,
                              upload: Bool, chunk: Int32, ipLiteral: Bool = false) {
        guard Int(service) < serviceFlags.count else { return }
        let denied = record.action == .denied
        guard record.action != .challenge else { return }
        let flags = serviceFlags[Int(service)]
        guard flags & (denied ? WorkaroundSetup.collectDenied : WorkaroundSetup.collectAllowed) != 0 else { return }
        if flags & WorkaroundSetup.dropInternal != 0, let internalDomains, internalDomains.longestSuffixMatch(host) >= 0 { return }
        guard recorded < maxEvents else { overflow += 1; return }
        let hostID = hosts.intern(folding: host, hash: DomainSuffixIndex.suffixHash(host, from: 0), limit: Self.maxHosts)
        guard hostID >= 0 else { overflow += 1; return }
        var eventFlags: UInt8 = denied ? WorkaroundEvent.denied : 0
        if upload || record.bytesFromClient >= uploadThreshold { eventFlags |= WorkaroundEvent.upload }
        if ipLiteral { eventFlags |= WorkaroundEvent.ipLiteral }
        events.append(WorkaroundEvent(
            time: record.timeMillis, bytes: record.bytesToClient + max(record.bytesFromClient, 0), identity: identity,
            chunk: chunk, host: hostID, service: Int16(truncatingIfNeeded: service), flags: eventFlags))
        recorded += 1
    }
}
