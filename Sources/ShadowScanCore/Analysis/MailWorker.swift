#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LogFormat {
    /// The mail-gateway formats: their lines become message events (Formats/MailEvent.swift), not
    /// proxy records.
    public static let mailFormats: [LogFormat] = [.postfix, .exim, .exchangeTracking, .m365MessageTrace]
    public var isMail: Bool { Self.mailFormats.contains(self) }
}

extension WorkerTallies {
    /// Parses a mail chunk into events for the sequential pass; line accounting as for proxy formats
    /// (event lines are records, other well-formed lines skipped, the rest malformed).
    mutating func processMailChunk(_ chunk: UnsafeRawBufferPointer, _ item: WorkItem, _ stats: inout ChunkStats) {
        var header: [UInt8]?
        if case .header(let bytes)? = item.context { header = bytes }
        var events = MailEventBuffer()
        switch item.format {
        case .exim: processMailLines(chunk, EximParser(header: header), &stats, &events)
        case .exchangeTracking: processMailLines(chunk, ExchangeTrackingParser(header: header), &stats, &events)
        case .m365MessageTrace: processMailLines(chunk, M365MessageTraceParser(header: header), &stats, &events)
        default: processMailLines(chunk, PostfixParser(header: header), &stats, &events)
        }
        mailEvents = events
    }

    @inline(__always)
    private mutating func processMailLines<P: MailLineParser>(_ chunk: UnsafeRawBufferPointer, _ parser: P, _ stats: inout ChunkStats,
                                                             _ events: inout MailEventBuffer) {
        var parser = parser
        // Events take a small share of the chunk's bytes: reserve once instead of growing step by step.
        events.reserve(events: chunk.count / 160, bytes: chunk.count / 8)
        var lines = ChunkLines(chunk, maxLineLength: maxLineLength)
        while let line = lines.next(&stats) {
            if line.isEmpty {
                stats.noteMalformed(oversized: false)
            } else {
                switch parser.parse(line, into: &events) {
                case .events: stats.records += 1; records += 1
                case .skipped: stats.skipped += 1
                case .malformed: stats.noteMalformed(oversized: false)
                }
            }
        }
    }
}

/// A mail parser seen through the proxy parser protocol, for format detection and tools (`shadowscan
/// formats`, rule line examples): `parse` says whether a line is evidence of the format; header lines
/// are directives. The hot loop never goes through this.
struct MailDetectionParser<P: MailLineParser>: LogLineParser {
    static var format: LogFormat { P.format }
    static var hasDirectives: Bool { true }
    var parser: P

    init(_ parser: P) { self.parser = parser }

    func parse(_ line: UnsafeRawBufferPointer, into record: inout ProxyRecord) -> Bool {
        var copy = parser
        record = ProxyRecord()
        record.isRequest = false
        return copy.isEvidence(line)
    }

    mutating func directive(_ line: UnsafeRawBufferPointer) -> Bool {
        switch P.format {
        case .exchangeTracking:
            guard line.count > 0, line[0] == ASCII.hash else { return false }
            var exchange = parser as! ExchangeTrackingParser
            _ = exchange.readHeader(line)
            parser = exchange as! P
            return true
        case .m365MessageTrace:
            if line.count > 0 && line[0] == ASCII.hash { return true }
            var m365 = parser as! M365MessageTraceParser
            guard m365.readHeader(line) else { return false }
            parser = m365 as! P
            return true
        default:
            return false
        }
    }
}

extension LogFormat {
    /// The detection/tool view of a mail format's parser (nil for proxy formats).
    func mailDetectionParser(context: ParserContext?) -> (any LogLineParser)? {
        var header: [UInt8]?
        if case .header(let bytes)? = context { header = bytes }
        switch self {
        case .postfix: return MailDetectionParser(PostfixParser(header: header))
        case .exim: return MailDetectionParser(EximParser(header: header))
        case .exchangeTracking: return MailDetectionParser(ExchangeTrackingParser(header: header))
        case .m365MessageTrace: return MailDetectionParser(M365MessageTraceParser(header: header))
        default: return nil
        }
    }
}

extension LogFormat {
    var mailDescription: String {
        switch self {
        case .postfix: return "Postfix in syslog (RFC 3164 or RFC 3339 timestamps): qmgr from=, smtp/lmtp/local/virtual/pipe to=, orig_to=, status=, removed"
        case .exim: return "Exim main log: <= arrivals, => -> >> deliveries, ** failures, == deferrals, Completed"
        case .exchangeTracking: return "Exchange Server message tracking log (CSV under #Fields:, or header-less rows in the default order)"
        default: return "Microsoft 365 message trace CSV export (Get-MessageTrace | Export-Csv, admin-centre downloads)"
        }
    }

    var mailFieldsRead: String {
        switch self {
        case .postfix: return "timestamp, host, program, queue id, from=<> size=, to=<> orig_to=<> relay= status=, removed"
        case .exim: return "date time, message id, <= sender S=, => address (parent) <original>, ** address, == address, Completed"
        case .exchangeTracking: return "date-time, event-id, message-id, internal-message-id, server-hostname, sender-address, recipient-address, related-recipient-address, total-bytes"
        default: return "Received | origin_timestamp_utc, SenderAddress | sender_address, RecipientAddress | recipient_status, Status, Size | total_bytes, MessageId | MessageTraceId"
        }
    }
}

extension WorkerAggregates {
    /// The events of the chunk this worker just processed (nil for proxy formats), handed over once.
    func takeMailEvents() -> MailEventBuffer? {
        defer { tallies.mailEvents = nil }
        return tallies.mailEvents
    }
}
