import Foundation

/// A recipient of an open message: what the log said about it so far.
struct MailRecipientState {
    /// FNV-1a of the address: retries of one recipient are one recipient.
    var hash: UInt64
    var cls: Int32
    var domain: Int32
    /// Interned address id (personal recipients and mailboxes that can receive forwarded mail), else -1.
    var address: Int32
    var status: MailEvent.Status
    var forward: MailEvent.Forward
    var original: Int32 = -1
    var originalClass: Int32 = MailDomainClassifier.other
}

/// One message being put together from its lines.
struct OpenMessage {
    var key: [UInt8] = []
    var hash: UInt64 = 0
    var generation: UInt32 = 0
    var inUse = false
    var lastTime: Int64 = 0
    var arrivalTime: Int64 = .min
    var firstTime: Int64 = 0
    var sender: [UInt8] = []
    var hasSender = false
    var size: Int64 = -1
    var ownEvents = false
    var probe = false
    var expired = false
    var noEndMarker = false
    var handoffs = 0
    /// The sender's mailbox received mail shortly before this message arrived.
    var followsInbound = false
    var recipients: [MailRecipientState] = []
    /// Forwarding facts of a content-filter hand-off, for the re-injected copy: (recipient hash, original id, class, kind).
    var inherited: [(UInt64, Int32, Int32, MailEvent.Forward)] = []

    mutating func reset() {
        key.removeAll(keepingCapacity: true); sender.removeAll(keepingCapacity: true)
        recipients.removeAll(keepingCapacity: true); inherited.removeAll(keepingCapacity: true)
        hash = 0; lastTime = 0; arrivalTime = .min; firstTime = 0; hasSender = false; size = -1; ownEvents = false
        probe = false; expired = false; noEndMarker = false; handoffs = 0; followsInbound = false
    }
}

/// The sequential pass of the mail formats: takes each chunk's events in input order (the sequencer
/// guarantees it), puts the events of one message together by key, and hands each finished message to
/// the aggregator. State is bounded: a message is finished by its end line (`removed`, `Completed`),
/// by `flushAfter` seconds of log time without activity (counted incomplete), or at the end of input.
final class MailCorrelator {
    /// The state lives in a struct the hot loop takes out for a chunk: mutating a local struct pays no
    /// dynamic exclusivity checks and no retains of class storage per event.
    private var core: MailCorrelatorCore?

    init(options: MailOptions, catalog: ServiceCatalog, sources: [InputSource]) {
        core = MailCorrelatorCore(options: options, catalog: catalog, sources: sources)
    }

    var aggregator: MailAggregator {
        get { core!.aggregator }
        set { core!.aggregator = newValue }
    }

    var openMessageCount: Int { core!.openMessageCount }

    func consume(_ buffer: MailEventBuffer, input: Int32) {
        var local = core!
        core = nil
        local.consume(buffer, input: input)
        core = local
    }

    func finishAll() -> AnalysisResult.Mail { core!.finishAll() }
}

struct MailCorrelatorCore {
    let options: MailOptions
    let sources: [InputSource]
    var aggregator: MailAggregator

    private var messages: [OpenMessage] = []
    private var free: [Int32] = []
    private var table = MessageKeyTable()
    /// (message, generation, time enqueued) in the order messages were opened or last re-queued.
    private var ageQueue: [(Int32, UInt32, Int64)] = []
    private var ageHead = 0
    private var now: Int64 = .min
    static let maxRecipientsPerMessage = 4096
    static let maxOpenMessages = 2_000_000
    /// Exchange and M365 rows have no end marker: their messages close after at most an hour quiet.
    static let noEndMarkerCloseSeconds: Int64 = 3600

    // RFC 3164 year inference for the current input.
    private var currentInput: Int32 = -1
    private var year = 1970
    private var lastMonth = 0
    private var yearKnown = false

    init(options: MailOptions, catalog: ServiceCatalog, sources: [InputSource]) {
        self.options = options
        self.sources = sources
        aggregator = MailAggregator(options: options, catalog: catalog)
    }

    // MARK: Consuming events

    mutating func consume(_ buffer: MailEventBuffer, input: Int32) {
        if input != currentInput { startInput(input) }
        buffer.arena.withUnsafeBytes { arena in
            for var event in buffer.events {
                if event.flags & MailEvent.yearlessTime != 0 { event.time = resolveYear(event.time) }
                consume(event, arena)
            }
        }
    }

    @inline(__always)
    private func bytes(_ arena: UnsafeRawBufferPointer, _ ref: ArenaRef) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: arena[Int(ref.offset)..<Int(ref.offset) + Int(ref.count)])
    }

    private mutating func consume(_ event: MailEvent, _ arena: UnsafeRawBufferPointer) {
        now = event.time
        flushAged()
        let key = bytes(arena, event.key)
        let index = open(key, hash: event.keyHash, time: event.time, noEndMarker: event.flags & MailEvent.noEndMarker != 0)
        guard index >= 0 else { aggregator.openMessageOverflow += 1; return }
        let m = Int(index)
        messages[m].lastTime = event.time
        switch event.kind {
        case .arrival:
            messages[m].ownEvents = true
            if event.size > messages[m].size { messages[m].size = event.size }
            if messages[m].arrivalTime == .min {
                messages[m].arrivalTime = event.time
                let sender = bytes(arena, event.address)
                messages[m].sender.append(contentsOf: sender)
                messages[m].hasSender = true
                messages[m].followsInbound = aggregator.followsInbound(sender: sender, at: event.time)
            }
        case .delivery:
            delivery(event, arena, m)
        case .expired:
            messages[m].ownEvents = true
            messages[m].expired = true
        case .end:
            finish(m, complete: true)
        }
    }

    private mutating func delivery(_ event: MailEvent, _ arena: UnsafeRawBufferPointer, _ m: Int) {
        if event.flags & MailEvent.probe != 0 { messages[m].probe = true; messages[m].ownEvents = true; return }
        let address = bytes(arena, event.address)
        if event.flags & MailEvent.handoff != 0 {
            messages[m].ownEvents = true
            messages[m].handoffs += 1
            // The re-injected copy (usually already open: its qmgr line comes before this one) inherits
            // what this leg knew about forwarding.
            guard event.forward != .none else { return }
            let nextKey = bytes(arena, event.next)
            let next = open(nextKey, hash: FNV1a.hash(nextKey), time: event.time, noEndMarker: false)
            guard next >= 0 else { return }
            let original = aggregator.intern(bytes(arena, event.original))
            let originalClass = aggregator.classify(bytes(arena, event.original)).0
            messages[Int(next)].inherited.append((event.addressHash, original, originalClass, event.forward))
            return
        }
        messages[m].ownEvents = true
        let hash = event.addressHash
        var r = messages[m].recipients.firstIndex { $0.hash == hash } ?? -1
        if r < 0 {
            guard messages[m].recipients.count < Self.maxRecipientsPerMessage else { aggregator.recipientOverflow += 1; return }
            let (cls, domain) = aggregator.classify(address)
            let keep = cls >= 0 || aggregator.canReceiveForwardedMail(cls)
            messages[m].recipients.append(MailRecipientState(hash: hash, cls: cls, domain: domain,
                                                             address: keep ? aggregator.intern(address) : -1,
                                                             status: .none, forward: .none))
            r = messages[m].recipients.count - 1
            if let inherited = messages[m].inherited.first(where: { $0.0 == hash }) {
                messages[m].recipients[r].original = inherited.1
                messages[m].recipients[r].originalClass = inherited.2
                messages[m].recipients[r].forward = inherited.3
            }
        }
        if MailAggregator.rank(event.status) > MailAggregator.rank(messages[m].recipients[r].status) {
            messages[m].recipients[r].status = event.status
        }
        if event.forward != .none {
            let original = bytes(arena, event.original)
            messages[m].recipients[r].forward = event.forward
            messages[m].recipients[r].original = aggregator.intern(original)
            messages[m].recipients[r].originalClass = aggregator.classify(original).0
        }
        if event.status == .sent && messages[m].recipients[r].address >= 0 && messages[m].recipients[r].cls < 0 {
            aggregator.noteReceived(messages[m].recipients[r].address, at: event.time)
        }
    }

    // MARK: Open messages

    /// Messages being put together right now (bounded by the flush age).
    var openMessageCount: Int { messages.count - free.count }

    /// The message with `key`, opened if new; -1 when too many are open.
    private mutating func open(_ key: UnsafeRawBufferPointer, hash: UInt64, time: Int64, noEndMarker: Bool) -> Int32 {
        // Probe inline: passing `messages` to a table method would retain it once per event.
        var s = Int(truncatingIfNeeded: hash ^ (hash >> 31)) & table.mask
        while true {
            let v = table.slots[s]
            if v == 0 { break }
            if v > 0 {
                let m = Int(v - 1)
                if messages[m].hash == hash && messages[m].key.count == key.count
                    && messages[m].key.withUnsafeBytes({ memcmpEqual($0.baseAddress!, key.baseAddress!, key.count) }) {
                    return v - 1
                }
            }
            s = (s + 1) & table.mask
        }
        if free.isEmpty {
            guard messages.count < Self.maxOpenMessages else { return -1 }
            messages.append(OpenMessage())
            free.append(Int32(messages.count - 1))
        }
        let index = free.removeLast()
        let m = Int(index)
        messages[m].reset()
        messages[m].inUse = true
        messages[m].generation &+= 1
        messages[m].key.append(contentsOf: key)
        messages[m].hash = hash
        messages[m].firstTime = time
        messages[m].lastTime = time
        messages[m].noEndMarker = noEndMarker
        table.insert(hash: hash, index: index, messages)
        ageQueue.append((index, messages[m].generation, time))
        return index
    }

    private mutating func finish(_ m: Int, complete: Bool) {
        aggregator.record(messages[m], complete: complete || messages[m].noEndMarker)
        table.remove(hash: messages[m].hash, index: Int32(m))
        messages[m].inUse = false
        messages[m].generation &+= 1
        free.append(Int32(m))
    }

    /// Closes messages quiet for longer than their limit. Messages still active are re-queued, so the
    /// queue head is always among the oldest, and each message is looked at about once per limit.
    private mutating func flushAged() {
        while ageHead < ageQueue.count {
            let (index, generation, queued) = ageQueue[ageHead]
            let m = Int(index)
            if !messages[m].inUse || messages[m].generation != generation { ageHead += 1; continue }
            let limit = (messages[m].noEndMarker ? min(options.flushAfterSeconds, Self.noEndMarkerCloseSeconds) : options.flushAfterSeconds) * 1000
            // The youngest limit decides when to stop looking: entries behind were queued later.
            guard abs(now - queued) > min(limit, options.flushAfterSeconds * 1000) else { break }
            ageHead += 1
            if abs(now - messages[m].lastTime) > limit {
                finish(m, complete: false)
            } else {
                ageQueue.append((index, generation, now))
            }
        }
        if ageHead > 4096 && ageHead * 2 > ageQueue.count {
            ageQueue.removeFirst(ageHead)
            ageHead = 0
        }
    }

    /// At the end of all input: every open message is finished (incomplete where an end was due).
    mutating func finishAll() -> AnalysisResult.Mail {
        for m in messages.indices where messages[m].inUse {
            finish(m, complete: false)
        }
        return aggregator.result()
    }

    // MARK: Years of RFC 3164 timestamps

    private mutating func startInput(_ input: Int32) {
        currentInput = input
        yearKnown = false
    }

    /// The first time of a file gets the year of the reference date (`--mail-year`, else the file's
    /// modification time, else today), one less if its month is later than the reference month (a log
    /// written before New Year and modified after). Then a month going back by six or more (December →
    /// January) moves to the next year; a late line going forward by six or more belongs to the year before.
    private mutating func resolveYear(_ yearless: Int64) -> Int64 {
        let month = MailTime.month(ofYearless: yearless)
        if !yearKnown {
            let (refYear, refMonth) = referenceDate()
            year = refYear
            if options.year == nil, month > refMonth { year -= 1 }
            lastMonth = month
            yearKnown = true
        }
        if month + 6 <= lastMonth {
            year += 1
            lastMonth = month
        } else if month >= lastMonth + 6 {
            return MailTime.resolve(yearless, year: year - 1)
        } else if month > lastMonth {
            lastMonth = month
        }
        return MailTime.resolve(yearless, year: year)
    }

    private func referenceDate() -> (Int, Int) {
        if let year = options.year { return (year, 12) }
        var millis = Int64(Date().timeIntervalSince1970 * 1000)
        let index = Int(currentInput)
        if index >= 0 && index < sources.count && !sources[index].isStandardInput,
           let attributes = try? FileManager.default.attributesOfItem(atPath: sources[index].path),
           let modified = attributes[.modificationDate] as? Date {
            millis = Int64(modified.timeIntervalSince1970 * 1000)
        }
        let (y, m, _) = CivilTime.civilFromDays(Int(millis / 86_400_000))
        return (y, m)
    }
}

/// Open addressing from a key's hash to the open message holding it (keys compared byte for byte).
struct MessageKeyTable {
    private(set) var slots: [Int32]   // message + 1; 0 empty; -1 deleted
    private(set) var mask: Int
    private var used = 0
    private var live = 0

    init(capacity: Int = 1 << 14) {
        slots = Array(repeating: 0, count: capacity)
        mask = capacity - 1
    }

    mutating func insert(hash: UInt64, index: Int32, _ messages: [OpenMessage]) {
        if (used + 1) * 4 > slots.count * 3 { rehash(grow: (live + 1) * 2 > slots.count, messages) }
        var s = Int(truncatingIfNeeded: hash ^ (hash >> 31)) & mask
        while slots[s] > 0 { s = (s + 1) & mask }
        if slots[s] == 0 { used += 1 }
        slots[s] = index + 1
        live += 1
    }

    mutating func remove(hash: UInt64, index: Int32) {
        var s = Int(truncatingIfNeeded: hash ^ (hash >> 31)) & mask
        while true {
            let v = slots[s]
            if v == 0 { return }
            if v == index + 1 { slots[s] = -1; live -= 1; return }
            s = (s + 1) & mask
        }
    }

    /// Rebuilds without deleted entries (growing when half full of live ones); `messages` holds the
    /// hashes of the live entries (the one being inserted is not in the table yet).
    private mutating func rehash(grow: Bool, _ messages: [OpenMessage]) {
        let capacity = grow ? slots.count * 2 : slots.count
        let old = slots
        slots = Array(repeating: 0, count: capacity)
        mask = capacity - 1
        used = 0
        for v in old where v > 0 {
            let hash = messages[Int(v - 1)].hash
            var s = Int(truncatingIfNeeded: hash ^ (hash >> 31)) & mask
            while slots[s] != 0 { s = (s + 1) & mask }
            slots[s] = v
            used += 1
        }
    }
}
