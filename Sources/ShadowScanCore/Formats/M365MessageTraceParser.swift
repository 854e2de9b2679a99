/// Microsoft 365 (Exchange Online) message trace exports, CSV with a header row:
///
/// ```
/// "Received","SenderAddress","RecipientAddress","Subject","Status","ToIP","FromIP","Size","MessageId","MessageTraceId"
/// "2022-09-05T18:10:13.4907658","jane.smith@council.gov.uk","jane1975@gmail.com","…","Delivered","","","87891","<id@host>","cf7a249a-…"
/// ```
/// `Get-MessageTrace`/`Get-MessageTraceV2 | Export-Csv` (a `#TYPE` line first is skipped) and the admin
/// centre's downloads: columns are found by name (`Received` or `origin_timestamp_utc` or `Date`,
/// `SenderAddress` or `sender_address`, `RecipientAddress`, `Status`, `Size` or `total_bytes`, `MessageId`
/// or `message_id`, `MessageTraceId` or `network_message_id`), and the enhanced summary report's
/// `recipient_status` (`a@x##Receive, Deliver;b@y##Receive, Fail`) gives one recipient each. Status:
/// `Delivered` → delivered, `Failed`, `Quarantined`, `FilteredAsSpam` → bounced (never delivered),
/// `Pending`, `GettingStatus` → deferred; `Expanded` (a group) and others are no delivery. Times:
/// ISO 8601 (UTC unless a zone is given) or the US `M/d/yyyy h:mm:ss AM|PM` PowerShell writes. Rows are
/// malformed when no header is in effect, quotes do not close, or the time or sender column is unreadable.
public struct M365MessageTraceParser: MailLineParser {
    public static let format = LogFormat.m365MessageTrace

    struct Layout: Equatable {
        var received = -1, sender = -1, recipient = -1, recipientStatus = -1, status = -1, size = -1, messageID = -1, traceID = -1
        var isUsable: Bool { received >= 0 && sender >= 0 && (recipient >= 0 || recipientStatus >= 0) }

        init(names: [String]) {
            for (i, raw) in names.enumerated() {
                let name = raw.replacingOccurrences(of: "_", with: "").replacingOccurrences(of: " ", with: "")
                switch name {
                case "received", "origintimestamputc", "origintimestamp", "datetimeutc", "date(utc)", "date": if received < 0 { received = i }
                case "senderaddress", "sender": if sender < 0 { sender = i }
                case "recipientaddress", "recipient": if recipient < 0 { recipient = i }
                case "recipientstatus": recipientStatus = i
                case "status", "deliverystatus": if status < 0 { status = i }
                case "size", "totalbytes", "messagesize": if size < 0 { size = i }
                case "messageid": messageID = i
                case "messagetraceid", "networkmessageid": if traceID < 0 { traceID = i }
                default: break
                }
            }
        }
    }

    var layout: Layout?
    var fields = MailCSVFields()

    public init(header: [UInt8]?) {
        if let header { header.withUnsafeBytes { _ = readHeader($0) } }
    }

    /// True when `line` is a header row naming a sender and recipient column.
    static func isHeader(_ line: UnsafeRawBufferPointer) -> Bool {
        // Data rows start with a date (a digit); a header with a column name (a letter).
        let first = line.count > 10 ? (line[0] == ASCII.quote ? line[1] : line[0]) : 0
        guard (first | 0x20) &- 0x61 < 26 else { return false }
        return Layout(names: MailCSVFields.names(line)).isUsable
    }

    mutating func readHeader(_ line: UnsafeRawBufferPointer) -> Bool {
        guard Self.isHeader(line) else { return false }
        layout = Layout(names: MailCSVFields.names(line))
        return true
    }

    public mutating func isEvidence(_ line: UnsafeRawBufferPointer) -> Bool {
        if readHeader(line) { return true }
        var scratch = MailEventBuffer()
        return layout != nil && parse(line, into: &scratch) == .events
    }

    @inline(__always)
    public mutating func parse(_ line: UnsafeRawBufferPointer, into events: inout MailEventBuffer) -> MailLineOutcome {
        if line.count > 0 && line[0] == ASCII.hash { return .skipped }   // #TYPE Deserialized.…
        if readHeader(line) { return .skipped }
        guard let l = layout, fields.split(line) else { return .malformed }
        guard let time = Self.time(line, fields.field(l.received)) else { return .malformed }
        var event = MailEvent()
        event.time = time
        event.flags = MailEvent.noEndMarker
        let id = fields.field(l.messageID).count > 0 ? fields.field(l.messageID) : fields.field(l.traceID)
        event.key = events.store(line, id.count > 0 ? id : fields.field(l.sender))
        var arrival = event
        arrival.kind = .arrival
        if let size = line.parseUInt(fields.field(l.size)) { arrival.size = size }
        arrival.address = events.storeAddress(line, fields.field(l.sender))
        events.append(arrival)

        event.kind = .delivery
        if l.recipient >= 0 && fields.field(l.recipient).count > 0 {
            event.status = Self.status(line, fields.field(l.status))
            events.appendDeliveries(line, list: fields.field(l.recipient), template: event)
        } else if l.recipientStatus >= 0 {
            // a@x##Receive, Deliver;b@y##Receive, Fail — the last event word decides.
            let list = fields.field(l.recipientStatus)
            var i = list.start
            while i < list.end {
                var e = i
                while e < list.end && line[e] != 0x3B { e += 1 }
                if let marks = MailScan.find(line, "##", from: i, to: e) {
                    var word = e
                    while word > marks && line[word - 1] != ASCII.space && line[word - 1] != 0x2C && line[word - 1] != ASCII.hash { word -= 1 }
                    var d = event
                    d.status = Self.status(line, ByteSpan(start: word, count: e - word))
                    d.address = events.storeAddress(line, ByteSpan(start: i, count: marks - i))
                    events.append(d)
                }
                i = e + 1
            }
        }
        return .events
    }

    static func status(_ line: UnsafeRawBufferPointer, _ s: ByteSpan) -> MailEvent.Status {
        if line.equals(s, "Delivered") || line.equals(s, "Deliver") || line.equals(s, "Send") { return .sent }
        if line.equals(s, "Failed") || line.equals(s, "Fail") || line.equals(s, "Quarantined") || line.equals(s, "FilteredAsSpam") { return .bounced }
        if line.equals(s, "Pending") || line.equals(s, "GettingStatus") || line.equals(s, "Defer") { return .deferred }
        return .none
    }

    /// ISO 8601, or `M/d/yyyy h:mm:ss AM|PM` / `M/d/yyyy H:mm:ss` (a first number above 12 is the day).
    static func time(_ line: UnsafeRawBufferPointer, _ span: ByteSpan) -> Int64? {
        if span.count >= 19, span.count <= 40, ASCII.isDigit(line[span.start]), line[span.start + 4] == ASCII.dash {
            // Seven fractional digits and no zone (2022-09-05T18:10:13.4907658): fraction() takes any length.
            return MailScan.rfc3339(line, span)
        }
        // Six numbers (month, day, year, hour, minute, second) without an array per line.
        var numbers: (Int, Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0, 0)
        var index = 0, digits = 0, value = 0
        var pm = false, am = false
        func store(_ v: Int, _ at: Int) {
            switch at {
            case 0: numbers.0 = v
            case 1: numbers.1 = v
            case 2: numbers.2 = v
            case 3: numbers.3 = v
            case 4: numbers.4 = v
            default: numbers.5 = v
            }
        }
        var i = span.start
        while i < span.end {
            let b = line[i]
            if ASCII.isDigit(b) {
                guard index < 6, digits < 4 else { return nil }
                value = value * 10 + Int(b - ASCII.zero)
                digits += 1
            } else {
                if digits > 0 { store(value, index); index += 1; digits = 0; value = 0 }
                if b | 0x20 == 0x70 { pm = true } else if b | 0x20 == 0x61 { am = true }
            }
            i += 1
        }
        if digits > 0 { store(value, index); index += 1 }
        guard index == 6 else { return nil }
        var (month, day) = (numbers.0, numbers.1)
        if month > 12 { swap(&month, &day) }
        var hour = numbers.3
        if pm && hour < 12 { hour += 12 }
        if am && hour == 12 { hour = 0 }
        guard (1...12).contains(month), (1...31).contains(day), numbers.2 >= 1970, hour < 24, numbers.4 < 60, numbers.5 < 61 else { return nil }
        let days = CivilTime.daysFromCivil(year: numbers.2, month: month, day: day)
        return (Int64(days) * 86_400 + Int64(hour * 3600 + numbers.4 * 60 + numbers.5)) * 1000
    }
}

extension M365MessageTraceParser {
    /// For the reader: the header row among the chunk's leading lines (`#` lines skipped). `settled`
    /// becomes true at the first line that is not a comment, header or not.
    static func headerLine(in chunk: UnsafeRawBufferPointer, settled: inout Bool) -> UnsafeRawBufferPointer? {
        var start = 0
        while start < chunk.count && !settled {
            var end = start
            while end < chunk.count && chunk[end] != 0x0A { end += 1 }
            var lineEnd = end
            if lineEnd > start && chunk[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            let line = UnsafeRawBufferPointer(rebasing: chunk[start..<lineEnd])
            if !(line.count > 0 && line[0] == ASCII.hash) && line.count > 0 {
                settled = true
                return isHeader(line) ? line : nil
            }
            start = end + 1
        }
        return nil
    }
}
