/// Lays generated mail actions out as Postfix syslog, Exim main log or Exchange message tracking lines.
struct MailLineWriter {
    let format: MailLogFormat
    let timestamp: SyslogTimestamp
    private var pid = 2000

    init(format: MailLogFormat, timestamp: SyslogTimestamp) {
        self.format = format
        self.timestamp = timestamp
    }

    static let exchangeFields = "#Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,internal-message-id,message-id,network-message-id,recipient-address,recipient-status,total-bytes,recipient-count,related-recipient-address,reference,message-subject,sender-address,return-path,message-info,directionality,tenant-id,original-client-ip,original-server-ip,custom-data,transport-traffic-type,log-id,schema-version"

    /// Lines at the top of a file (Exchange's header; nothing for the others).
    func fileHeader() -> [[UInt8]] {
        guard format == .exchange else { return [] }
        return ["#Software: Microsoft Exchange Server", "#Version: 15.02.1118.007", "#Log-type: Message Tracking Log",
                "#Date: 2026-11-01T00:00:00.000Z", Self.exchangeFields].map { Array(($0 + "\n").utf8) }
    }

    // MARK: Ids

    /// A queue id per message and leg: a bijection of the counter (unique), 12 hex digits after a digit.
    static func queueID(_ message: Int, leg: Int) -> [UInt8] {
        let x = UInt64(message * 2 + leg)
        let y = (x &* 0x5_DEEC_E66D &+ 0xB) & 0xFFFF_FFFF_FFFF
        var out: [UInt8] = [UInt8(ascii: "0") + UInt8(message % 10)]
        let hex = Array("0123456789ABCDEF".utf8)
        for shift in stride(from: 44, through: 0, by: -4) { out.append(hex[Int((y >> UInt64(shift)) & 0xF)]) }
        return out
    }

    /// Exim's `xxxxxx-xxxxxx-xx` (base 62): the time, a bijection of the counter, and 00.
    static func eximID(_ message: Int, time: Int64) -> [UInt8] {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)
        func base62(_ value: UInt64, _ width: Int) -> [UInt8] {
            var v = value, digits: [UInt8] = []
            for _ in 0..<width { digits.append(alphabet[Int(v % 62)]); v /= 62 }
            return digits.reversed()
        }
        let range: UInt64 = 56_800_235_584   // 62^6
        let scrambled = (UInt64(message) &* 1_000_003 &+ 12_345) % range
        return base62(UInt64(time / 1000), 6) + [UInt8(ascii: "-")] + base62(scrambled, 6) + Array("-00".utf8)
    }

    static func messageID(_ message: Int) -> [UInt8] {
        var out = Array("<".utf8)
        out.appendDecimal(message &* 7919 &+ 104_729)
        out.append(contentsOf: ".mail@council.gov.uk>".utf8)
        return out
    }

    // MARK: Lines

    /// Appends the line(s) of `line`; returns how many are records (message events) and skipped lines.
    mutating func append(_ line: MailTraffic.Line, traffic: MailTraffic, to out: inout [UInt8]) -> (Int, Int) {
        pid += 1
        if case .noise(let kind) = line.action { appendNoise(kind, line.time, &out); return (0, 1) }
        guard let m = traffic.messages[line.message] else { return (0, 0) }
        switch format {
        case .postfix: return postfix(line, m, &out)
        case .exim: return exim(line, m, &out)
        case .exchange: return exchange(line, m, &out)
        }
    }

    private func syslogPrefix(_ time: Int64, _ program: String, _ out: inout [UInt8]) {
        switch timestamp {
        case .rfc3164:
            let t = CivilTime(epochSeconds: time / 1000)
            out.append(contentsOf: Self.months[t.month - 1])
            out.append(UInt8(ascii: " "))
            out.appendDecimal(t.day, width: 2, pad: UInt8(ascii: " "))
            out.append(UInt8(ascii: " "))
            appendClock(t, &out)
        case .rfc3339:
            // Local time one hour ahead of UTC, as rsyslog writes it.
            let t = CivilTime(epochSeconds: time / 1000 + 3600)
            appendDate(t, &out)
            out.append(UInt8(ascii: "T"))
            appendClock(t, &out)
            out.append(UInt8(ascii: "."))
            out.appendDecimal(Int(time % 1000) * 1000, width: 6, pad: UInt8(ascii: "0"))
            out.append(contentsOf: "+01:00".utf8)
        }
        out.append(contentsOf: " gw1 ".utf8)
        out.append(contentsOf: program.utf8)
        out.append(UInt8(ascii: "["))
        out.appendDecimal(pid)
        out.append(contentsOf: "]: ".utf8)
    }

    static let months: [[UInt8]] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].map { Array($0.utf8) }

    private func appendDate(_ t: CivilTime, _ out: inout [UInt8]) {
        out.appendDecimal(t.year, width: 4, pad: UInt8(ascii: "0"))
        out.append(UInt8(ascii: "-"))
        out.appendTwoDigits(t.month)
        out.append(UInt8(ascii: "-"))
        out.appendTwoDigits(t.day)
    }

    private func appendClock(_ t: CivilTime, _ out: inout [UInt8]) {
        out.appendTwoDigits(t.hour)
        out.append(UInt8(ascii: ":"))
        out.appendTwoDigits(t.minute)
        out.append(UInt8(ascii: ":"))
        out.appendTwoDigits(t.second)
    }

    private static func relay(for address: [UInt8], staff: Bool) -> String {
        if staff { return "mail.council.gov.uk[10.0.0.25]:24" }
        guard let at = address.lastIndex(of: UInt8(ascii: "@")) else { return "none" }
        let domain = String(decoding: address[(at + 1)...], as: UTF8.self)
        var h: UInt32 = 2166136261
        for b in domain.utf8 { h = (h ^ UInt32(b)) &* 16777619 }
        return "mx\(h % 4).\(domain)[\(93 + h % 100).\(h >> 8 & 0xff).\(h >> 16 & 0xff).\(1 + h >> 24 % 250)]:25"
    }

    // MARK: Postfix

    private mutating func postfix(_ line: MailTraffic.Line, _ m: GeneratedMessage, _ out: inout [UInt8]) -> (Int, Int) {
        let leg: Int
        switch line.action {
        case .submit(let l), .arrival(let l, _), .end(let l): leg = l
        case .handoff: leg = 0
        default: leg = m.handoff ? 1 : 0
        }
        let qid = Self.queueID(m.id, leg: leg)
        func start(_ program: String) {
            syslogPrefix(line.time, program, &out)
            out.append(contentsOf: qid)
            out.append(contentsOf: ": ".utf8)
        }
        switch line.action {
        case .submit(let l):
            start(l == 1 ? "postfix/10025/smtpd" : "postfix/smtpd")
            out.append(contentsOf: (l == 1 ? "client=localhost[127.0.0.1]\n" : "client=ws\(m.id % 97).council.gov.uk[10.1.\(m.id % 200).\(1 + m.id % 250)]\n").utf8)
            start("postfix/cleanup")
            out.append(contentsOf: "message-id=".utf8)
            out.append(contentsOf: Self.messageID(m.id))
            out.append(UInt8(ascii: "\n"))
            return (0, 2)
        case .arrival(let l, _):
            start("postfix/qmgr")
            out.append(contentsOf: "from=<".utf8)
            out.append(contentsOf: m.sender)
            out.append(contentsOf: ">, size=".utf8)
            out.appendDecimal(m.handoff && l == 0 ? max(m.size - 900, 100) : m.size)
            out.append(contentsOf: ", nrcpt=".utf8)
            out.appendDecimal(m.recipients.count)
            out.append(contentsOf: " (queue active)\n".utf8)
            return (1, 0)
        case .handoff(let r):
            let recipient = m.recipients[r]
            start("postfix/amavis/smtp")
            appendTo(recipient.address, recipient.forwardedFrom, &out)
            out.append(contentsOf: "relay=127.0.0.1[127.0.0.1]:10024, delay=1.2, delays=0.1/0/0/1.1, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as ".utf8)
            out.append(contentsOf: Self.queueID(m.id, leg: 1))
            out.append(contentsOf: ")\n".utf8)
            return (1, 0)
        case .delivery(let r, let status, _):
            let recipient = m.recipients[r]
            start(recipient.isStaff ? "postfix/lmtp" : "postfix/smtp")
            // The re-injected copy no longer knows the original recipient: only the first leg says orig_to.
            appendTo(recipient.address, m.handoff ? nil : recipient.forwardedFrom, &out)
            out.append(contentsOf: "relay=".utf8)
            out.append(contentsOf: Self.relay(for: recipient.address, staff: recipient.isStaff).utf8)
            switch status {
            case "sent": out.append(contentsOf: ", delay=0.4, delays=0.1/0.01/0.1/0.2, dsn=2.0.0, status=sent (250 2.0.0 OK)\n".utf8)
            case "bounced": out.append(contentsOf: ", delay=0.6, delays=0.1/0.01/0.3/0.2, dsn=5.1.1, status=bounced (host said: 550 5.1.1 user unknown (in reply to RCPT TO command))\n".utf8)
            default: out.append(contentsOf: ", delay=30, delays=0.1/0/30/0, dsn=4.4.1, status=deferred (connect to mx: Connection timed out)\n".utf8)
            }
            return (1, 0)
        case .end:
            start("postfix/qmgr")
            out.append(contentsOf: "removed\n".utf8)
            return (1, 0)
        case .redirect, .noise:
            return (0, 0)
        }
    }

    private func appendTo(_ address: [UInt8], _ original: [UInt8]?, _ out: inout [UInt8]) {
        out.append(contentsOf: "to=<".utf8)
        out.append(contentsOf: address)
        out.append(contentsOf: ">, ".utf8)
        if let original {
            out.append(contentsOf: "orig_to=<".utf8)
            out.append(contentsOf: original)
            out.append(contentsOf: ">, ".utf8)
        }
    }

    // MARK: Exim

    private func eximPrefix(_ time: Int64, _ out: inout [UInt8]) {
        let t = CivilTime(epochSeconds: time / 1000)
        appendDate(t, &out)
        out.append(UInt8(ascii: " "))
        appendClock(t, &out)
        out.append(UInt8(ascii: " "))
    }

    private func exim(_ line: MailTraffic.Line, _ m: GeneratedMessage, _ out: inout [UInt8]) -> (Int, Int) {
        eximPrefix(line.time, &out)
        out.append(contentsOf: Self.eximID(m.id, time: 1_794_000_000_000))
        switch line.action {
        case .arrival:
            out.append(contentsOf: " <= ".utf8)
            out.append(contentsOf: m.sender.isEmpty ? Array("<>".utf8) : m.sender)
            if m.senderIsStaff {
                out.append(contentsOf: " U=www P=local S=".utf8)
            } else {
                out.append(contentsOf: " H=mail.example.net [198.51.100.23]:43121 P=esmtps X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=no S=".utf8)
            }
            out.appendDecimal(m.size)
            out.append(contentsOf: " id=".utf8)
            out.append(contentsOf: Self.messageID(m.id).dropFirst().dropLast())
            out.append(contentsOf: " T=\"Re: minutes, agenda\"\n".utf8)
        case .delivery(let r, let status, _):
            let recipient = m.recipients[r]
            switch status {
            case "sent": out.append(contentsOf: " => ".utf8)
            case "bounced": out.append(contentsOf: " ** ".utf8)
            default: out.append(contentsOf: " == ".utf8)
            }
            if recipient.isStaff {
                // A local delivery: the local part, then the address it was for.
                let at = recipient.address.lastIndex(of: UInt8(ascii: "@")) ?? recipient.address.endIndex
                out.append(contentsOf: recipient.address[..<at])
                out.append(contentsOf: " <".utf8)
                out.append(contentsOf: recipient.address)
                out.append(contentsOf: "> R=local_user T=mail_spool\n".utf8)
                return (1, 0)
            }
            out.append(contentsOf: recipient.address)
            if let mailbox = recipient.forwardedFrom {
                out.append(contentsOf: " <".utf8)
                out.append(contentsOf: mailbox)
                out.append(contentsOf: "> R=redirect".utf8)
            } else {
                out.append(contentsOf: " R=dnslookup".utf8)
            }
            out.append(contentsOf: " T=remote_smtp".utf8)
            let host = Self.relay(for: recipient.address, staff: false)
            let hostName = host.prefix { $0 != "[" }
            switch status {
            case "sent":
                out.append(contentsOf: " H=\(hostName) [198.51.100.7] X=TLS1.3:TLS_AES_256_GCM_SHA384:256 CV=yes C=\"250 2.0.0 OK\"\n".utf8)
            case "bounced":
                out.append(contentsOf: " H=\(hostName) [198.51.100.7]: SMTP error from remote mail server after RCPT TO:<".utf8)
                out.append(contentsOf: recipient.address)
                out.append(contentsOf: ">: 550 5.1.1 User unknown\n".utf8)
            default:
                out.append(contentsOf: " defer (-44) H=\(hostName) [198.51.100.7]: SMTP error from remote mail server after RCPT TO:<".utf8)
                out.append(contentsOf: recipient.address)
                out.append(contentsOf: ">: 451 4.7.1 Try again later\n".utf8)
            }
        case .end:
            out.append(contentsOf: " Completed\n".utf8)
        default:
            out.append(UInt8(ascii: "\n"))
            return (0, 1)
        }
        return (1, 0)
    }

    // MARK: Exchange

    private func exchange(_ line: MailTraffic.Line, _ m: GeneratedMessage, _ out: inout [UInt8]) -> (Int, Int) {
        var event = "RECEIVE", source = m.senderIsStaff ? "STOREDRIVER" : "SMTP"
        var recipients: [UInt8] = []
        var related: [UInt8] = []
        switch line.action {
        case .arrival:
            for (i, r) in m.recipients.enumerated() {
                if i > 0 { recipients.append(UInt8(ascii: ";")) }
                recipients.append(contentsOf: r.address)
            }
        case .delivery(let r, let status, _):
            let recipient = m.recipients[r]
            recipients = recipient.address
            switch status {
            case "sent": (event, source) = recipient.isStaff ? ("DELIVER", "STOREDRIVER") : ("SEND", "SMTP")
            case "bounced": (event, source) = ("FAIL", "SMTP")
            default: (event, source) = ("DEFER", "SMTP")
            }
        case .redirect(let r):
            (event, source) = ("REDIRECT", "ROUTING")
            recipients = m.recipients[r].address
            related = m.recipients[r].forwardedFrom ?? []
        default:
            return (0, 0)
        }
        appendExchangeRow(line.time, event: event, source: source, m: m, recipients: recipients, related: related, &out)
        return (1, 0)
    }

    private func appendExchangeRow(_ time: Int64, event: String, source: String, m: GeneratedMessage, recipients: [UInt8],
                                   related: [UInt8], _ out: inout [UInt8]) {
        let t = CivilTime(epochSeconds: time / 1000)
        appendDate(t, &out)
        out.append(UInt8(ascii: "T"))
        appendClock(t, &out)
        out.append(UInt8(ascii: "."))
        out.appendDecimal(Int(time % 1000), width: 3, pad: UInt8(ascii: "0"))
        out.append(contentsOf: "Z,10.0.0.31,EX01.council.gov.uk,10.0.0.30,EX01,".utf8)
        out.append(contentsOf: "\"08DCF12C345BE5;2026-11-01T00:00:00.000Z;0\",EX01\\Default EX01,".utf8)
        out.append(contentsOf: source.utf8)
        out.append(UInt8(ascii: ","))
        out.append(contentsOf: event.utf8)
        out.append(UInt8(ascii: ","))
        out.appendDecimal(70_912_345_000_000 + m.id)
        out.append(UInt8(ascii: ","))
        out.append(contentsOf: Self.messageID(m.id))
        out.append(contentsOf: ",2fd37dca-1234-5bfb-175d-08dc1db88f52,".utf8)
        out.append(contentsOf: recipients)
        out.append(contentsOf: ",250 2.1.5 Recipient OK,".utf8)
        out.appendDecimal(m.size)
        out.append(UInt8(ascii: ","))
        out.appendDecimal(m.recipients.count)
        out.append(UInt8(ascii: ","))
        out.append(contentsOf: related)
        out.append(contentsOf: ",,\"Re: minutes, agenda and \"\"actions\"\"\",".utf8)
        out.append(contentsOf: m.sender)
        out.append(UInt8(ascii: ","))
        out.append(contentsOf: m.sender.isEmpty ? Array("<>".utf8) : m.sender)
        out.append(contentsOf: ",,\(m.senderIsStaff ? "Originating" : "Incoming"),,,,S:DeliveryPriority=Normal;S:AccountForest=council.gov.uk,Email,dc69df25-1234-564c-41c4-08dc1db88f7f,15.02.1118.007\n".utf8)
    }

    // MARK: Noise and malformed lines

    private mutating func appendNoise(_ kind: Int, _ time: Int64, _ out: inout [UInt8]) {
        let ip = "203.0.\(kind % 250).\(1 + kind / 250 % 250)"
        switch format {
        case .postfix:
            switch kind % 5 {
            case 0: syslogPrefix(time, "postfix/postscreen", &out); out.append(contentsOf: "CONNECT from [\(ip)]:\(40000 + kind % 20000) to [10.0.0.2]:25\n".utf8)
            case 1: syslogPrefix(time, "postfix/smtpd", &out); out.append(contentsOf: "connect from unknown[\(ip)]\n".utf8)
            case 2: syslogPrefix(time, "postfix/smtpd", &out); out.append(contentsOf: "disconnect from unknown[\(ip)] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4\n".utf8)
            case 3: syslogPrefix(time, "postfix/smtpd", &out); out.append(contentsOf: "NOQUEUE: reject: RCPT from unknown[\(ip)]: 554 5.7.1 <x\(kind)@council.gov.uk>: Relay access denied; from=<spam\(kind)@example.net> to=<x\(kind)@council.gov.uk> proto=ESMTP helo=<x>\n".utf8)
            default: syslogPrefix(time, "postfix/anvil", &out); out.append(contentsOf: "statistics: max connection rate 3/60s for (smtp:\(ip)) at Nov 14 09:00:00\n".utf8)
            }
        case .exim:
            eximPrefix(time, &out)
            switch kind % 4 {
            case 0: out.append(contentsOf: "H=(helo\(kind)) [\(ip)] F=<spam\(kind)@example.net> rejected RCPT <x\(kind)@council.gov.uk>: relay not permitted\n".utf8)
            case 1: out.append(contentsOf: "Start queue run: pid=\(pid)\n".utf8)
            case 2: out.append(contentsOf: "End queue run: pid=\(pid)\n".utf8)
            default: out.append(contentsOf: "SMTP connection from [\(ip)]:\(40000 + kind % 20000) (TCP/IP connection count = 3)\n".utf8)
            }
        case .exchange:
            let event = ["NOTIFYMAPI", "HAREDIRECT", "AGENTINFO", "HARECEIVE"][kind % 4]
            let t = CivilTime(epochSeconds: time / 1000)
            appendDate(t, &out)
            out.append(UInt8(ascii: "T"))
            appendClock(t, &out)
            out.append(contentsOf: ".000Z,,EX01,,,,,STOREDRIVER,\(event),,,,,,,,,,,,,,,,,,,,,15.02.1118.007\n".utf8)
        }
    }

    private static let garbage = ["-- MARK --", "kernel: Out of memory: Killed process 1234 (postfix)", "syslogd: restart",
                                  "*** log rotated ***", "Connection closed by foreign host."].map { Array($0.utf8) }

    /// A line no parser may accept: junk, a line cut inside an address (or a quoted field), bytes that
    /// are not text, or an empty line.
    mutating func appendMalformed(to out: inout [UInt8], rng: inout SeededRandom, time: Int64) {
        switch rng.below(4) {
        case 0:
            if rng.chance(0.5) {
                out.append(contentsOf: rng.pick(Self.garbage))
            } else {
                let starts = Array("!*@%&~=?;".utf8)
                out.append(rng.pick(starts))
                for _ in 0..<rng.int(10...120) { out.append(UInt8(0x20 + rng.below(0x5F))) }
            }
        case 1:
            switch format {
            case .postfix:
                syslogPrefix(time, "postfix/smtp", &out)
                out.append(contentsOf: "3ABCDEF0123: to=<jane.sm".utf8)
            case .exim:
                eximPrefix(time, &out)
                out.removeLast(6)
            case .exchange:
                out.append(contentsOf: "2026-11-14T09:00:00.000Z,10.0.0.31,EX01,10.0.0.30,EX01,,,SMTP,SEND,1,<x@y>,,a@b.example,,1,1,,,\"Quarterly rep".utf8)
            }
        case 2:
            out.append(UInt8(0xF8 + rng.below(8)))
            for _ in 0..<rng.int(20...120) {
                switch rng.below(10) {
                case 0..<4: out.append(UInt8(0x80 + rng.below(0x40)))
                case 4..<6: out.append(UInt8(0xF8 + rng.below(8)))
                case 6: out.append(UInt8(rng.below(9)))
                default: out.append(UInt8(0x20 + rng.below(0x5F)))
                }
            }
        default:
            break   // an empty line
        }
        out.append(UInt8(ascii: "\n"))
    }
}
