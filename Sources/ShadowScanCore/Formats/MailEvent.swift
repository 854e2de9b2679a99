/// The canonical record of the mail formats: what one log line says about one message. Mail-gateway
/// logs spread a message over many lines (Postfix: `qmgr` sender, one line per recipient, `removed`),
/// and chunks are parsed by different workers in parallel, so parsers only turn lines into compact
/// events; a sequential pass (Analysis/MailCorrelator.swift) puts the events of a message together.
///
/// Addresses and keys are copied (lower-cased, length-bounded) into the chunk's byte arena, so an event
/// outlives the read buffer; nothing is allocated per line once the arena has grown.
public struct MailEvent: Sendable, Equatable {
    public enum Kind: UInt8, Sendable {
        /// The sender (and size) of a message: Postfix `qmgr from=`, Exim `<=`, an Exchange or M365 row.
        case arrival
        /// One recipient and what happened to it.
        case delivery
        /// The message is done: Postfix `removed`, Exim `Completed`.
        case end
        /// Postfix `qmgr ... status=expired`: recipients still deferred will never be delivered.
        case expired
    }

    public enum Status: UInt8, Sendable {
        case sent, deferred, bounced
        /// Not a delivery outcome (an address-verification probe, a group expansion): ignored.
        case none
    }

    /// How a log shows that a recipient is a forwarding target (`original` holds the forwarding mailbox).
    public enum Forward: UInt8, Sendable {
        case none
        /// Postfix `orig_to=<…>` differing from `to=<…>`.
        case origTo
        /// Exim `=> final (parent) <original>`.
        case eximParent
        /// Exchange `REDIRECT` / `RESOLVE` events (recipient-address from related-recipient-address).
        case exchangeRedirect
        case exchangeResolve
    }

    public static let yearlessTime: UInt8 = 1
    /// The delivery went to a content filter on this host (`relay=127.0.0.1…`) and `next` is the queue
    /// id of the re-injected copy: a hand-off, not a delivery.
    public static let handoff: UInt8 = 2
    /// Exchange/M365: rows carry no end marker; the message is never "incomplete".
    public static let noEndMarker: UInt8 = 4
    /// Postfix sender/recipient address-verification probe (`status=deliverable|undeliverable`).
    public static let probe: UInt8 = 8

    public var kind: Kind = .arrival
    public var status: Status = .none
    public var forward: Forward = .none
    public var flags: UInt8 = 0
    /// Milliseconds since the epoch, UTC; with `yearlessTime`, milliseconds since 1 January 00:00 of a
    /// year the log does not say (RFC 3164 syslog), encoded by `MailTime.yearless`.
    public var time: Int64 = 0
    /// Message size in bytes; -1 when the line does not say.
    public var size: Int64 = -1
    /// Identifies the message: syslog host and queue id (Postfix), message id (Exim), message id or
    /// internal id (Exchange), message trace id (M365).
    public var key = ArenaRef()
    /// The sender (arrival) or the recipient (delivery), lower-cased, without angle brackets.
    public var address = ArenaRef()
    /// The mailbox the recipient was forwarded from, when the log shows one.
    public var original = ArenaRef()
    /// With `handoff`: the key of the copy the content filter re-injected.
    public var next = ArenaRef()
    /// FNV-1a of the key's and the address's bytes, computed by the worker that parsed the line (in
    /// parallel) rather than by the sequential pass.
    public var keyHash: UInt64 = 0
    public var addressHash: UInt64 = 0

    public init() {}
}

/// A byte range in a `MailEventBuffer`'s arena.
public struct ArenaRef: Sendable, Equatable {
    public var offset: UInt32 = 0
    public var count: UInt32 = 0
    @inlinable public var isEmpty: Bool { count == 0 }
}

/// The events of one chunk, with the bytes they refer to. One per chunk; handed from the worker that
/// parsed it to the sequential pass.
public struct MailEventBuffer: Sendable {
    public private(set) var events: [MailEvent] = []
    public private(set) var arena: [UInt8] = []
    /// Longest address or key kept: RFC 5321 paths are at most 256 bytes; longer values are cut.
    public static let maxValueLength = 254

    public init() {}

    public var isEmpty: Bool { events.isEmpty }

    public mutating func removeAll() { events.removeAll(keepingCapacity: true); arena.removeAll(keepingCapacity: true) }

    /// Where a parser can roll back to if a line turns out malformed after some events were added.
    public var mark: (Int, Int) { (events.count, arena.count) }
    public mutating func rollback(to mark: (Int, Int)) {
        events.removeLast(events.count - mark.0)
        arena.removeLast(arena.count - mark.1)
    }

    public mutating func append(_ event: MailEvent) {
        var event = event
        event.keyHash = Self.hash(arena, event.key)
        event.addressHash = Self.hash(arena, event.address)
        events.append(event)
    }

    /// The correlator's key and recipient hash, of `ref`'s bytes in the arena.
    @inline(__always)
    static func hash(_ bytes: [UInt8], _ ref: ArenaRef) -> UInt64 {
        bytes.withUnsafeBytes { FNV1a.hash(UnsafeRawBufferPointer(rebasing: $0[Int(ref.offset)..<Int(ref.offset) + Int(ref.count)])) }
    }

    public mutating func reserve(events count: Int, bytes: Int) {
        events.reserveCapacity(count)
        arena.reserveCapacity(bytes)
    }

    /// Copies `span` of `line` as is (bounded): keys, queue ids.
    @inline(__always)
    public mutating func store(_ line: UnsafeRawBufferPointer, _ span: ByteSpan) -> ArenaRef {
        let n = min(span.count, Self.maxValueLength)
        let offset = arena.count
        if n > 0 { arena.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[span.start..<span.start + n])) }
        return ArenaRef(offset: UInt32(offset), count: UInt32(n))
    }

    /// Copies `prefix`, a space and `span`: a key qualified by the syslog host.
    @inline(__always)
    public mutating func store(_ line: UnsafeRawBufferPointer, _ prefix: ByteSpan, _ span: ByteSpan) -> ArenaRef {
        let offset = arena.count
        let p = min(prefix.count, 64)
        if p > 0 { arena.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[prefix.start..<prefix.start + p])) }
        arena.append(ASCII.space)
        let n = min(span.count, Self.maxValueLength)
        if n > 0 { arena.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[span.start..<span.start + n])) }
        return ArenaRef(offset: UInt32(offset), count: UInt32(arena.count - offset))
    }

    /// Copies an address lower-cased, without surrounding `<>` or blanks, bounded.
    @inline(__always)
    public mutating func storeAddress(_ line: UnsafeRawBufferPointer, _ span: ByteSpan) -> ArenaRef {
        var s = span.start, e = span.end
        while s < e && (line[s] == ASCII.space || line[s] == 0x3C) { s += 1 }
        while e > s && (line[e - 1] == ASCII.space || line[e - 1] == 0x3E) { e -= 1 }
        let n = min(e - s, Self.maxValueLength)
        let offset = arena.count
        for i in s..<s + n {
            let b = line[i]
            arena.append(b &- 0x41 < 26 ? b | 0x20 : b)
        }
        return ArenaRef(offset: UInt32(offset), count: UInt32(n))
    }

    @inline(__always)
    public func bytes(_ ref: ArenaRef) -> ArraySlice<UInt8> {
        arena[Int(ref.offset)..<Int(ref.offset) + Int(ref.count)]
    }

    public func string(_ ref: ArenaRef) -> String { String(decoding: bytes(ref), as: UTF8.self) }
}

/// What a mail parser made of a line.
public enum MailLineOutcome: Sendable, Equatable {
    /// Events were appended.
    case events
    /// A well-formed line of the format that says nothing about a message (a connection, a
    /// rejection before a queue id, a header line): counted as skipped.
    case skipped
    case malformed
}

/// One parser per mail format; value types, specialised in the hot loop like the proxy parsers.
/// `context` is the header in effect where the chunk starts (Exchange `#Fields:`, an M365 CSV header).
public protocol MailLineParser: Sendable {
    static var format: LogFormat { get }
    init(header: [UInt8]?)
    mutating func parse(_ line: UnsafeRawBufferPointer, into events: inout MailEventBuffer) -> MailLineOutcome
    /// True when `line` is evidence that a file is in this format (format detection only: stricter than
    /// `parse`, which also accepts lines any syslog or CSV file could hold).
    mutating func isEvidence(_ line: UnsafeRawBufferPointer) -> Bool
}

/// Year-less timestamps (RFC 3164 syslog: `Mar 14 00:08:33`) until the sequential pass picks the year.
public enum MailTime {
    /// Encodes month, day and time of day without a year.
    @inline(__always)
    public static func yearless(month: Int, day: Int, secondOfDay: Int, millis: Int) -> Int64 {
        Int64(((month * 32 + day) * 86_400 + secondOfDay)) * 1000 + Int64(millis)
    }

    public static func month(ofYearless t: Int64) -> Int { Int(t / 1000 / 86_400) / 32 }

    /// Milliseconds since the epoch for a year-less time in `year`.
    public static func resolve(_ t: Int64, year: Int) -> Int64 {
        let millis = t % 1000
        let seconds = t / 1000
        let dayCode = Int(seconds / 86_400)
        let secondOfDay = seconds % 86_400
        let days = CivilTime.daysFromCivil(year: year, month: dayCode / 32, day: dayCode % 32)
        return (Int64(days) * 86_400 + secondOfDay) * 1000 + millis
    }
}
