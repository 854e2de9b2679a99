/// Exim's main log (`/var/log/exim4/mainlog`, `exim_mainlog`):
///
/// ```
/// 2019-05-15 11:22:25 1hQkUr-0016NY-2h <= joseph@abwinbus.sg H=(helo) [127.0.0.1]:45642 P=esmtpa S=2809 id=…
/// 2019-05-15 11:22:25 1hQkUr-0016NY-2h => sherene <sherene@abwinbus.sg> R=virtual_user T=dovecot_virtual_delivery
/// 2019-05-15 11:22:26 1hQkUr-0016NY-2h => jim1975@gmail.com (jim@h.ex) <j@h.ex> R=redirect T=remote_smtp H=…
/// 2019-05-15 11:22:27 1hQkUr-0016NY-2h Completed
/// ```
/// `<=` arrival (sender, `S=` size), `=>` delivery, `->` another address of the same delivery, `>>`
/// cutthrough delivery, `**` failure, `==` deferral, `Completed`. In a delivery the first field is what
/// was delivered to (an address, a local part, a `|pipe` or `/file`); `<…>` is the original recipient and
/// `(…)` the intermediate one: when an address is delivered to under another address, that one forwarded
/// it. Timestamps may carry milliseconds (`+millisec`), a zone (`log_timezone`) and `[pid]`; without a
/// zone the time is read as UTC. Exim logging through syslog (`exim[pid]:` after a syslog header) is read
/// too. Message ids: `xxxxxx-xxxxxx-xx` and Exim 4.97's `xxxxxx-xxxxxxxxxxx-xxxx`.
/// Lines without a message id (rejections, queue runs) are well-formed and skipped; a line without the
/// date and time is malformed.
public struct EximParser: MailLineParser {
    public static let format = LogFormat.exim
    public init(header: [UInt8]? = nil) {}

    /// (index after the timestamp, pid and blanks, time, whether the time is year-less) or nil. Exim
    /// logging to syslog (`log_file_path = syslog`) writes `Jun 29 16:04:19 host exim[1234]: …`: the
    /// syslog header stands for Exim's own timestamp.
    @inline(__always)
    static func prefix(_ line: UnsafeRawBufferPointer) -> (Int, Int64, Bool)? {
        let n = line.count
        guard n >= 20, let days = MailScan.date(line, 0), line[10] == ASCII.space, let seconds = MailScan.clock(line, 11) else {
            guard let h = SyslogHeader.parse(line), h.program.count >= 4, MailScan.hasPrefix(line, at: h.program.start, "exim") else { return nil }
            return (h.message.start, h.time, h.yearless)
        }
        var (millis, i) = MailScan.fraction(line, 19, n)
        var offset = 0
        if i + 5 < n && line[i] == ASCII.space && (line[i + 1] == ASCII.plus || line[i + 1] == ASCII.dash) && ASCII.isDigit(line[i + 2]) {
            guard let (zone, after) = MailScan.zone(line, i + 1, n) else { return nil }
            offset = zone
            i = after
        }
        if i + 2 < n && line[i] == ASCII.space && line[i + 1] == ASCII.openBracket {
            var j = i + 2
            while j < n && ASCII.isDigit(line[j]) { j += 1 }
            guard j < n, line[j] == ASCII.closeBracket else { return nil }
            i = j + 1
        }
        guard i == n || line[i] == ASCII.space else { return nil }
        while i < n && line[i] == ASCII.space { i += 1 }
        if millis < 0 { millis = 0 }
        return (i, (Int64(days) * 86_400 + Int64(seconds) - Int64(offset)) * 1000 + millis, false)
    }

    /// Length of an Exim message id at `at` (16 or 23), or 0.
    @inline(__always)
    static func messageIDLength(_ line: UnsafeRawBufferPointer, _ at: Int) -> Int {
        func run(_ from: Int, _ count: Int) -> Bool {
            guard from + count <= line.count else { return false }
            for k in from..<from + count where !MailScan.isAlnum(line[k]) { return false }
            return true
        }
        guard run(at, 6), at + 6 < line.count, line[at + 6] == ASCII.dash else { return 0 }
        if run(at + 7, 6), at + 13 < line.count, line[at + 13] == ASCII.dash, run(at + 14, 2),
           at + 16 == line.count || line[at + 16] == ASCII.space { return 16 }
        if run(at + 7, 11), at + 18 < line.count, line[at + 18] == ASCII.dash, run(at + 19, 4),
           at + 23 == line.count || line[at + 23] == ASCII.space { return 23 }
        return 0
    }

    public mutating func isEvidence(_ line: UnsafeRawBufferPointer) -> Bool {
        guard let (i, _, _) = Self.prefix(line), i < line.count else { return false }
        let idLength = Self.messageIDLength(line, i)
        if idLength > 0 { return true }
        // Message-less lines only Exim writes.
        return MailScan.hasPrefix(line, at: i, "H=") || MailScan.hasPrefix(line, at: i, "SMTP connection")
            || MailScan.hasPrefix(line, at: i, "Start queue run") || MailScan.hasPrefix(line, at: i, "End queue run")
            || MailScan.hasPrefix(line, at: i, "exim ") || MailScan.hasPrefix(line, at: i, "no host name found")
            || MailScan.hasPrefix(line, at: i, "SMTP command timeout") || MailScan.hasPrefix(line, at: i, "TLS error")
            || MailScan.find(line, " authenticator failed for ", from: i, to: line.count) != nil
            || MailScan.find(line, " rejected RCPT ", from: i, to: line.count) != nil
            || MailScan.find(line, " rejected MAIL ", from: i, to: line.count) != nil
    }

    @inline(__always)
    public mutating func parse(_ line: UnsafeRawBufferPointer, into events: inout MailEventBuffer) -> MailLineOutcome {
        guard let (i, time, yearless) = Self.prefix(line) else { return .malformed }
        let n = line.count
        let idLength = Self.messageIDLength(line, i)
        guard idLength > 0 else { return .skipped }
        let id = ByteSpan(start: i, count: idLength)
        let rest = i + idLength + 1
        guard rest + 1 < n else { return .skipped }
        var event = MailEvent()
        event.time = time
        if yearless { event.flags |= MailEvent.yearlessTime }
        let a = line[rest], b = line[rest + 1]
        let flagged = rest + 2 < n && line[rest + 2] == ASCII.space
        if a == 0x3C && b == 0x3D && flagged {                                  // <=
            return arrival(line, id, rest + 3, n, &event, &events)
        } else if flagged && ((a == 0x3D || a == ASCII.dash || a == 0x3E) && b == 0x3E) {   // => -> >>
            event.status = .sent
        } else if flagged && a == 0x2A && b == 0x2A {                         // **
            event.status = .bounced
        } else if flagged && a == 0x3D && b == 0x3D {                         // ==
            event.status = .deferred
        } else if MailScan.hasPrefix(line, at: rest, "Completed") {
            event.kind = .end
            event.key = events.store(line, id)
            events.append(event)
            return .events
        } else {
            return .skipped   // `*>` fake deliveries, "Frozen", "SMTP error from remote mail server", …
        }
        event.kind = .delivery
        return delivery(line, id, rest + 3, n, &event, &events)
    }

    @inline(__always)
    private func arrival(_ line: UnsafeRawBufferPointer, _ id: ByteSpan, _ at: Int, _ n: Int,
                         _ event: inout MailEvent, _ events: inout MailEventBuffer) -> MailLineOutcome {
        var senderEnd = at
        while senderEnd < n && line[senderEnd] != ASCII.space { senderEnd += 1 }
        guard senderEnd > at else { return .malformed }
        event.kind = .arrival
        // " S=<size>": unknown when not a number (the Exim test suite writes S=sss).
        if let s = MailScan.find(line, " S=", from: senderEnd, to: n) {
            var e = s + 3
            while e < n && line[e] != ASCII.space { e += 1 }
            if let size = line.parseUInt(ByteSpan(start: s + 3, count: e - s - 3)) { event.size = size }
        }
        event.key = events.store(line, id)
        event.address = events.storeAddress(line, ByteSpan(start: at, count: senderEnd - at))
        events.append(event)
        return .events
    }

    /// `address [(intermediate)] [<original>] [R=… T=… …]` or, for failures, `address [<original>]: text`.
    @inline(__always)
    private func delivery(_ line: UnsafeRawBufferPointer, _ id: ByteSpan, _ at: Int, _ n: Int,
                          _ event: inout MailEvent, _ events: inout MailEventBuffer) -> MailLineOutcome {
        var delivered = ByteSpan(start: at, count: 0)
        var intermediate = ByteSpan()
        var original = ByteSpan()
        var i = at
        var first = true
        while i < n {
            while i < n && line[i] == ASCII.space { i += 1 }
            guard i < n else { break }
            var e = i
            while e < n && line[e] != ASCII.space { e += 1 }
            var tokenEnd = e
            let failureText = tokenEnd > i && line[tokenEnd - 1] == ASCII.colon
            if failureText { tokenEnd -= 1 }
            let c = line[i]
            if !first && Self.isLogKey(line, i, tokenEnd) { break }
            if c == 0x3C && tokenEnd - i >= 2 && line[tokenEnd - 1] == 0x3E {
                original = ByteSpan(start: i + 1, count: tokenEnd - i - 2)
            } else if c == 0x28 && tokenEnd - i >= 2 && line[tokenEnd - 1] == 0x29 {
                intermediate = ByteSpan(start: i + 1, count: tokenEnd - i - 2)
            } else if original.isEmpty && intermediate.isEmpty {
                // The delivered-to field; a pipe command may hold blanks.
                delivered = ByteSpan(start: at, count: tokenEnd - at)
            } else {
                break
            }
            first = false
            i = e
            if failureText { break }
        }
        guard !delivered.isEmpty else { return .malformed }
        let target = delivered.count > 0 ? line[delivered.start] : 0
        let isProgramOrFile = target == 0x7C || target == ASCII.slash
        var hasAt = false
        for k in delivered.start..<delivered.end where line[k] == ASCII.at { hasAt = true; break }
        let parent = !intermediate.isEmpty ? intermediate : original
        let recipient: ByteSpan
        if hasAt && !isProgramOrFile {
            recipient = delivered
            if !parent.isEmpty && !Self.sameAddress(line, delivered, parent) {
                event.forward = .eximParent
                event.original = events.storeAddress(line, parent)
            }
        } else {
            // A local part, pipe or file: the recipient is the address it was delivered for.
            recipient = !original.isEmpty ? original : (!intermediate.isEmpty ? intermediate : delivered)
        }
        event.key = events.store(line, id)
        event.address = events.storeAddress(line, recipient)
        events.append(event)
        return .events
    }

    /// `R=`, `T=`, `H=`, `C=`, `QT=`, `DT=`… : one to three capitals and `=`.
    @inline(__always)
    static func isLogKey(_ line: UnsafeRawBufferPointer, _ from: Int, _ to: Int) -> Bool {
        var k = from
        while k < to && k - from < 3 && line[k] &- 0x41 < 26 { k += 1 }
        return k > from && k < to && line[k] == 0x3D
    }

    static func sameAddress(_ line: UnsafeRawBufferPointer, _ a: ByteSpan, _ b: ByteSpan) -> Bool {
        guard a.count == b.count else { return false }
        for k in 0..<a.count where line[a.start + k] | 0x20 != line[b.start + k] | 0x20 { return false }
        return true
    }
}
