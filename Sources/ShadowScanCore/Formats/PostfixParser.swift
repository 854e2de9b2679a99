/// Postfix in syslog (`/var/log/mail.log`, `maillog`), RFC 3164 or RFC 3339 timestamps:
///
/// ```
/// Mar 14 00:08:33 gw postfix/qmgr[3163066]: 4PbC4x469Jz3tBr: from=<jane@council.gov.uk>, size=175061, nrcpt=1 (queue active)
/// Mar 14 00:08:36 gw postfix/smtp[302615]: 4PbC4x469Jz3tBr: to=<jane1975@gmail.com>, orig_to=<jane@council.gov.uk>, relay=gmail-smtp-in.l.google.com[142.250.1.26]:25, delay=0.12, delays=0.01/0.01/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 OK)
/// Mar 14 00:08:36 gw postfix/qmgr[3163066]: 4PbC4x469Jz3tBr: removed
/// ```
/// Lines of programs whose name starts with `postfix` (`postfix/smtp`, `postfix-out/qmgr`,
/// `postfix/amavis/smtp`) carrying a queue id give events: `from=` (sender, size), `to=` (recipient,
/// `orig_to`, status), `removed`, and `status=expired`. Every other syslog line (postscreen, smtpd
/// connections, amavis, dovecot) is well-formed but carries no event: skipped. Malformed: a line that is
/// not syslog, or a `from=`/`to=` line cut before its address or status ends.
///
/// A delivery to a content filter on this host (`relay=127.0.0.1[127.0.0.1]:10024 ... queued as X`)
/// is a hand-off: the message comes back as queue id X, which counts; the correlator links the two.
public struct PostfixParser: MailLineParser {
    public static let format = LogFormat.postfix
    public init(header: [UInt8]? = nil) {}

    public mutating func isEvidence(_ line: UnsafeRawBufferPointer) -> Bool {
        guard let h = SyslogHeader.parse(line) else { return false }
        return Self.isPostfix(line, h.program)
    }

    @inline(__always)
    static func isPostfix(_ line: UnsafeRawBufferPointer, _ program: ByteSpan) -> Bool {
        program.count >= 7 && MailScan.hasPrefix(line, at: program.start, "postfix")
    }

    @inline(__always)
    public mutating func parse(_ line: UnsafeRawBufferPointer, into events: inout MailEventBuffer) -> MailLineOutcome {
        guard let h = SyslogHeader.parse(line) else { return .malformed }
        guard Self.isPostfix(line, h.program) else { return .skipped }
        // "QUEUEID: " — letters and digits, with at least one digit (so "warning:", "NOQUEUE:" and
        // "statistics:" are not queue ids).
        let end = h.message.end
        var i = h.message.start
        var digits = 0
        while i < end && MailScan.isAlnum(line[i]) {
            if ASCII.isDigit(line[i]) { digits += 1 }
            i += 1
        }
        let idLength = i - h.message.start
        guard idLength >= 5, idLength <= 24, digits > 0, i + 1 < end, line[i] == ASCII.colon, line[i + 1] == ASCII.space else {
            return .skipped
        }
        let queueID = ByteSpan(start: h.message.start, count: idLength)
        let body = i + 2
        var event = MailEvent()
        event.time = h.time
        if h.yearless { event.flags |= MailEvent.yearlessTime }

        if MailScan.hasPrefix(line, at: body, "to=") {
            return delivery(line, h, queueID, body + 3, end, &event, &events)
        } else if MailScan.hasPrefix(line, at: body, "from=") {
            guard let sender = Self.address(line, body + 5, end) else { return .malformed }
            event.kind = .arrival
            var j = sender.end
            while j + 2 < end && line[j] == 0x2C && line[j + 1] == ASCII.space {
                let keyStart = j + 2
                var eq = keyStart
                while eq < end && line[eq] != 0x3D && line[eq] != ASCII.space && line[eq] != 0x2C { eq += 1 }
                guard eq < end, line[eq] == 0x3D else { break }
                var valueEnd = eq + 1
                while valueEnd < end && line[valueEnd] != 0x2C && line[valueEnd] != ASCII.space { valueEnd += 1 }
                let value = ByteSpan(start: eq + 1, count: valueEnd - eq - 1)
                if eq - keyStart == 4 && MailScan.hasPrefix(line, at: keyStart, "size") {
                    guard let size = line.parseUInt(value) else { return .malformed }
                    event.size = size
                } else if eq - keyStart == 6 && MailScan.hasPrefix(line, at: keyStart, "status")
                            && line.equals(value, "expired") {
                    event.kind = .expired
                }
                j = valueEnd
            }
            event.key = events.store(line, h.host, queueID)
            event.address = events.storeAddress(line, sender.value)
            events.append(event)
            return .events
        } else if end - body == 7 && MailScan.hasPrefix(line, at: body, "removed") {
            event.kind = .end
            event.key = events.store(line, h.host, queueID)
            events.append(event)
            return .events
        }
        return .skipped
    }

    /// An address value at `at`: `<…>` as Postfix writes it, or bare up to `,`/blank (hand-made lines).
    /// `end` is the index after the value (after `>`); nil when a `<` never closes.
    @inline(__always)
    static func address(_ line: UnsafeRawBufferPointer, _ at: Int, _ lineEnd: Int) -> (value: ByteSpan, end: Int)? {
        if at < lineEnd && line[at] == 0x3C {
            guard let close = MailScan.angleEnd(line, at, lineEnd) else { return nil }
            return (ByteSpan(start: at + 1, count: close - at - 1), close + 1)
        }
        var e = at
        while e < lineEnd && line[e] != 0x2C && line[e] != ASCII.space { e += 1 }
        return (ByteSpan(start: at, count: e - at), e)
    }

    /// `to=<rcpt>, orig_to=<orig>, relay=…, delay=…, delays=…, dsn=…, status=sent (…)`; `at` follows `to=`.
    @inline(__always)
    private func delivery(_ line: UnsafeRawBufferPointer, _ h: SyslogHeader, _ queueID: ByteSpan, _ at: Int, _ end: Int,
                          _ event: inout MailEvent, _ events: inout MailEventBuffer) -> MailLineOutcome {
        guard let (recipient, afterRecipient) = Self.address(line, at, end) else { return .malformed }
        var original = ByteSpan()
        var relay = ByteSpan()
        var status = ByteSpan()
        var j = afterRecipient
        while j + 2 < end && line[j] == 0x2C && line[j + 1] == ASCII.space {
            let keyStart = j + 2
            var eq = keyStart
            while eq < end && line[eq] != 0x3D && line[eq] != ASCII.space && line[eq] != 0x2C { eq += 1 }
            guard eq < end, line[eq] == 0x3D else { break }
            let keyLength = eq - keyStart
            if keyLength == 7 && MailScan.hasPrefix(line, at: keyStart, "orig_to") {
                guard let (value, after) = Self.address(line, eq + 1, end) else { return .malformed }
                original = value
                j = after
                continue
            }
            var valueEnd = eq + 1
            while valueEnd < end && line[valueEnd] != 0x2C && line[valueEnd] != ASCII.space { valueEnd += 1 }
            let value = ByteSpan(start: eq + 1, count: valueEnd - eq - 1)
            if keyLength == 5 && MailScan.hasPrefix(line, at: keyStart, "relay") {
                relay = value
            } else if keyLength == 6 && MailScan.hasPrefix(line, at: keyStart, "status") {
                status = value
                j = valueEnd
                break
            }
            j = valueEnd
        }
        guard !status.isEmpty else { return .malformed }
        event.kind = .delivery
        if line.equals(status, "sent") { event.status = .sent }
        else if line.equals(status, "deferred") { event.status = .deferred }
        else if line.equals(status, "bounced") { event.status = .bounced }
        else if line.equals(status, "deliverable") || line.equals(status, "undeliverable") { event.flags |= MailEvent.probe }
        // A content filter on this host: the message comes back under another queue id.
        if event.status == .sent && Self.isLoopback(line, relay),
           let queued = MailScan.find(line, "queued as ", from: j, to: end) {
            var k = queued + 10
            while k < end && MailScan.isAlnum(line[k]) { k += 1 }
            if k > queued + 10 {
                event.flags |= MailEvent.handoff
                event.next = events.store(line, h.host, ByteSpan(start: queued + 10, count: k - queued - 10))
            }
        }
        event.key = events.store(line, h.host, queueID)
        event.address = events.storeAddress(line, recipient)
        if !original.isEmpty {
            event.original = events.storeAddress(line, original)
            event.forward = .origTo
        }
        events.append(event)
        return .events
    }

    /// `relay=127.0.0.1[127.0.0.1]:10024`, `relay=localhost[::1]:10025`, `relay=[127.0.0.1]:10024`.
    @inline(__always)
    static func isLoopback(_ line: UnsafeRawBufferPointer, _ relay: ByteSpan) -> Bool {
        guard relay.count >= 5 else { return false }
        var i = relay.start
        while i < relay.end && line[i] != ASCII.openBracket { i += 1 }
        let address = i < relay.end ? i + 1 : relay.start
        return MailScan.hasPrefix(line, at: address, "127.") || MailScan.hasPrefix(line, at: address, "::1]")
            || MailScan.hasPrefix(line, at: address, "ipv6:::1]")
    }
}
