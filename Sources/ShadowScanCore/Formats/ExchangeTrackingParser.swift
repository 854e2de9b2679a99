/// Exchange Server message tracking logs (`MSGTRK*.LOG`): CSV under a `#Fields:` header.
///
/// ```
/// #Software: Microsoft Exchange Server
/// #Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,…
/// 2024-01-07T00:00:07.463Z,192.168.0.1,exchange,…,SMTP,SEND,29519319995411,<id@host>,…,uwe@example.com,250 2.1.5 Recipient OK,38663,1,,,subject,support@example.com,…
/// ```
/// Columns are found by name from the `#Fields:` line in effect (the reader hands each chunk the last
/// one before it); rows without any header are read in Exchange's default order, told apart by their
/// number of fields (2013 and later: 30, 2010: 26, 2007: 21). Events: `RECEIVE`/`SUBMIT` give the
/// sender and size; `DELIVER`, `SEND`, `SENDEXTERNAL` delivered recipients, `FAIL` bounced ones, `DEFER`
/// deferred ones; `REDIRECT` and `RESOLVE` say that `recipient-address` receives mail addressed to
/// `related-recipient-address` (a forwarding rule when that recipient is outside). Other events
/// (`EXPAND`, `DSN`, `HA*`, `AGENTINFO`, `NOTIFYMAPI`…) and `#` lines are skipped. A row is malformed when
/// its quotes do not close, its date-time does not parse or its event-id is empty.
/// Messages are keyed by `message-id` (shared by every server a message passes), else by
/// `internal-message-id` and server.
public struct ExchangeTrackingParser: MailLineParser {
    public static let format = LogFormat.exchangeTracking

    struct Layout: Equatable {
        var dateTime = -1, serverHostname = -1, eventID = -1, internalMessageID = -1, messageID = -1
        var recipientAddress = -1, totalBytes = -1, relatedRecipient = -1, senderAddress = -1

        init() {}

        init(names: [String]) {
            for (i, name) in names.enumerated() {
                switch name {
                case "date-time": dateTime = i
                case "server-hostname": serverHostname = i
                case "event-id": eventID = i
                case "internal-message-id": internalMessageID = i
                case "message-id": messageID = i
                case "recipient-address": recipientAddress = i
                case "total-bytes": totalBytes = i
                case "related-recipient-address": relatedRecipient = i
                case "sender-address": senderAddress = i
                default: break
                }
            }
        }

        var isUsable: Bool { dateTime >= 0 && eventID >= 0 && recipientAddress >= 0 }

        static let exchange2013 = Layout(names: ("date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,"
            + "connector-id,source,event-id,internal-message-id,message-id,network-message-id,recipient-address,recipient-status,"
            + "total-bytes,recipient-count,related-recipient-address,reference,message-subject,sender-address,return-path,"
            + "message-info,directionality,tenant-id,original-client-ip,original-server-ip,custom-data,transport-traffic-type,"
            + "log-id,schema-version").split(separator: ",").map(String.init))
        static let exchange2010 = Layout(names: ("date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,"
            + "connector-id,source,event-id,internal-message-id,message-id,recipient-address,recipient-status,total-bytes,"
            + "recipient-count,related-recipient-address,reference,message-subject,sender-address,return-path,message-info,"
            + "directionality,tenant-id,original-client-ip,original-server-ip,custom-data").split(separator: ",").map(String.init))
        static let exchange2007 = Layout(names: ("date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,"
            + "connector-id,source,event-id,internal-message-id,message-id,recipient-address,recipient-status,total-bytes,"
            + "recipient-count,related-recipient-address,reference,message-subject,sender-address,return-path,message-info")
            .split(separator: ",").map(String.init))
    }

    /// From the `#Fields:` line in effect; nil: pick a default by the row's field count.
    var layout: Layout?
    var fields = MailCSVFields()

    public init(header: [UInt8]?) {
        if let header { header.withUnsafeBytes { _ = readHeader($0) } }
    }

    /// Reads a `#Fields:` line; true when `line` is one.
    mutating func readHeader(_ line: UnsafeRawBufferPointer) -> Bool {
        guard line.count > 8, line[0] == ASCII.hash, MailScan.hasPrefix(line, at: 1, "Fields:") || MailScan.hasPrefix(line, at: 1, "fields:")
        else { return false }
        var start = 8
        while start < line.count && line[start] == ASCII.space { start += 1 }
        let candidate = Layout(names: MailCSVFields.names(UnsafeRawBufferPointer(rebasing: line[start...])))
        layout = candidate.isUsable ? candidate : nil
        return true
    }

    public mutating func isEvidence(_ line: UnsafeRawBufferPointer) -> Bool {
        if line.count > 1 && line[0] == ASCII.hash {
            if readHeader(line) { return layout != nil }
            return MailScan.find(line, "Exchange", from: 0, to: line.count) != nil
                || MailScan.find(line, "Message Tracking", from: 0, to: line.count) != nil
        }
        var scratch = MailEventBuffer()
        guard parse(line, into: &scratch) != .malformed else { return false }
        // The event-id must be one Exchange writes.
        return eventKind(line) != nil || isKnownOtherEvent(line)
    }

    enum EventKind { case arrival, sent, bounced, deferred, redirect, resolve }

    private func currentLayout() -> Layout {
        if let layout { return layout }
        return fields.count >= 30 ? .exchange2013 : (fields.count >= 26 ? .exchange2010 : .exchange2007)
    }

    private func eventKind(_ line: UnsafeRawBufferPointer) -> EventKind? {
        let e = fields.field(currentLayout().eventID)
        switch e.count {
        case 4 where line.equals(e, "SEND"), 4 where line.equals(e, "FAIL"):
            return line[e.start] == 0x53 ? .sent : .bounced
        case 5 where line.equals(e, "DEFER"): return .deferred
        case 6 where line.equals(e, "SUBMIT"): return .arrival
        case 7 where line.equals(e, "RECEIVE"), 7 where line.equals(e, "DELIVER"), 7 where line.equals(e, "RESOLVE"):
            if line[e.start + 2] == 0x43 { return .arrival }        // reCeive
            return line[e.start] == 0x44 ? .sent : .resolve
        case 8 where line.equals(e, "REDIRECT"): return .redirect
        case 12 where line.equals(e, "SENDEXTERNAL"): return .sent
        default: return nil
        }
    }

    private func isKnownOtherEvent(_ line: UnsafeRawBufferPointer) -> Bool {
        let e = fields.field(currentLayout().eventID)
        guard e.count >= 3 else { return false }
        for name: StaticString in ["EXPAND", "DSN", "BADMAIL", "POISONMESSAGE", "DROP", "HAREDIRECT", "HAREDIRECTFAIL",
                                   "HARECEIVE", "HADISCARD", "AGENTINFO", "NOTIFYMAPI", "TRANSFER", "DUPLICATEDELIVER",
                                   "DUPLICATEEXPAND", "DUPLICATEREDIRECT", "INITMESSAGECREATED", "MODERATORAPPROVE",
                                   "MODERATORREJECT", "MODERATOREXPIRE", "MODERATIONEXPIRE", "PROCESS", "PROCESSMEETINGMESSAGE",
                                   "THROTTLE", "SUBMITDEFER", "SUBMITDROP", "RESUBMIT", "DELAYDSN", "SAFETYNETPROCESS"]
            where line.equals(e, name) { return true }
        return false
    }

    @inline(__always)
    public mutating func parse(_ line: UnsafeRawBufferPointer, into events: inout MailEventBuffer) -> MailLineOutcome {
        if line.count > 0 && line[0] == ASCII.hash {
            _ = readHeader(line)
            return .skipped
        }
        guard fields.split(line) else { return .malformed }
        let l = currentLayout()
        guard l.isUsable, let time = MailScan.rfc3339(line, fields.field(l.dateTime)) else { return .malformed }
        guard fields.field(l.eventID).count > 0 else { return .malformed }
        guard let kind = eventKind(line) else { return .skipped }

        var event = MailEvent()
        event.time = time
        event.flags = MailEvent.noEndMarker
        let messageID = fields.field(l.messageID)
        if messageID.count > 0 {
            event.key = events.store(line, messageID)
        } else {
            event.key = events.store(line, fields.field(l.serverHostname), fields.field(l.internalMessageID))
        }
        let mark = events.mark
        let bytes = fields.field(l.totalBytes)
        let sender = fields.field(l.senderAddress)
        if sender.count > 0 || bytes.count > 0 {
            var arrival = event
            arrival.kind = .arrival
            if let size = line.parseUInt(bytes) { arrival.size = size }
            arrival.address = events.storeAddress(line, sender)
            events.append(arrival)
        }
        guard kind != .arrival else { return .events }
        event.kind = .delivery
        switch kind {
        case .sent: event.status = .sent
        case .bounced: event.status = .bounced
        case .deferred: event.status = .deferred
        case .redirect, .resolve:
            let related = fields.field(l.relatedRecipient)
            guard related.count > 0 else { events.rollback(to: mark); return .skipped }
            event.forward = kind == .redirect ? .exchangeRedirect : .exchangeResolve
            event.original = events.storeAddress(line, related)
        case .arrival: break
        }
        events.appendDeliveries(line, list: fields.field(l.recipientAddress), template: event)
        return .events
    }
}
