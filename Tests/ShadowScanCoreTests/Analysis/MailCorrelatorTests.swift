import XCTest
@testable import ShadowScanCore

/// Correlation of Postfix lines into messages and the `mail` section, counted by hand.
final class MailCorrelatorTests: XCTestCase {
    static let log = """
        Mar 14 09:00:00 gw postfix/qmgr[1]: AAAA00001: from=<Jane.Smith@council.gov.uk>, size=2048, nrcpt=2 (queue active)
        Mar 14 09:00:00 gw postfix/smtpd[9]: connect from unknown[10.0.0.9]
        Mar 14 09:00:01 gw postfix/smtp[2]: AAAA00001: to=<janesmith1975@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.1.26]:25, delay=1, delays=0/0/0/1, dsn=4.4.1, status=deferred (connection timed out)
        Mar 14 09:00:02 gw postfix/smtp[2]: AAAA00001: to=<bob@partner.example>, relay=mx.partner.example[198.51.100.1]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 ok)
        Mar 14 09:30:00 gw postfix/qmgr[1]: AAAA00001: from=<jane.smith@council.gov.uk>, size=2048, nrcpt=1 (queue active)
        Mar 14 09:30:01 gw postfix/smtp[2]: AAAA00001: to=<janesmith1975@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.1.26]:25, delay=1, delays=0/0/0/1, dsn=4.4.1, status=deferred (connection timed out)
        Mar 14 10:30:01 gw postfix/smtp[2]: AAAA00001: to=<janesmith1975@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.1.26]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 OK)
        Mar 14 10:30:02 gw postfix/qmgr[1]: AAAA00001: removed
        Mar 14 11:00:00 gw postfix/qmgr[1]: BBBB00002: from=<supplier@partner.example>, size=30000000, nrcpt=1 (queue active)
        Mar 14 11:00:01 gw postfix/smtp[2]: BBBB00002: to=<bob.jones.home@gmx.de>, orig_to=<bob.jones@council.gov.uk>, relay=mx00.gmx.net[212.227.15.9]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 ok)
        Mar 14 11:00:02 gw postfix/qmgr[1]: BBBB00002: removed
        this line is not syslog
        Mar 14 12:00:00 gw postfix/qmgr[1]: CCCC00003: from=<a.khan@council.gov.uk>, size=500, nrcpt=1 (queue active)
        Mar 14 12:00:01 gw postfix/smtp[2]: CCCC00003: to=<nobody@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.1.26]:25, delay=1, delays=0/0/0/1, dsn=5.1.1, status=bounced (550 5.1.1 no such user)
        Mar 14 12:00:02 gw postfix/qmgr[1]: CCCC00003: removed
        Mar 14 13:00:00 gw postfix/qmgr[1]: DDDD00004: from=<a.khan@council.gov.uk>, size=100, nrcpt=1 (queue active)
        Mar 14 13:00:01 gw postfix/local[2]: DDDD00004: to=<jane.smith@council.gov.uk>, relay=local, delay=0, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to mailbox)
        Mar 14 13:00:02 gw postfix/qmgr[1]: DDDD00004: removed
        Mar 14 14:00:00 gw postfix/qmgr[1]: EEEE00005: from=<jane.smith@council.gov.uk>, size=100, nrcpt=1 (queue active)
        Mar 14 14:00:01 gw postfix/smtp[2]: EEEE00005: to=<friend@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.1.26]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 ok)
        Mar 15 16:00:00 gw postfix/qmgr[1]: FFFF00006: from=<jane.smith@council.gov.uk>, size=1000, nrcpt=1 (queue active)
        Mar 15 16:00:01 gw postfix/qmgr[1]: GGGG00007: from=<jane.smith@council.gov.uk>, size=1200, nrcpt=1 (queue active)
        Mar 15 16:00:02 gw postfix/amavis/smtp[3]: FFFF00006: to=<jsmith.home@gmail.com>, orig_to=<jane.smith@council.gov.uk>, relay=127.0.0.1[127.0.0.1]:10024, delay=2, delays=0/0/0/2, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as GGGG00007)
        Mar 15 16:00:02 gw postfix/qmgr[1]: FFFF00006: removed
        Mar 15 16:00:03 gw postfix/smtp[2]: GGGG00007: to=<jsmith.home@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.1.26]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 ok)
        Mar 15 16:00:04 gw postfix/qmgr[1]: GGGG00007: removed

        """

    var options: MailOptions {
        var o = MailOptions()
        o.organisationDomains = ["council.gov.uk"]
        o.year = 2026
        return o
    }

    func testCountsByHand() throws {
        let (result, _) = try MailTest.analyse(Self.log, format: .postfix, mail: options)
        XCTAssertEqual(result.totals.lines, 26)
        XCTAssertEqual(result.totals.malformed, 1, "the line that is not syslog")
        XCTAssertEqual(result.inputs[0].malformedSamples, [12])
        XCTAssertEqual(result.totals.records, 24)
        XCTAssertEqual(result.inputs[0].skipped, 1, "smtpd's connect line says nothing about a message")
        let m = result.mail
        XCTAssertEqual(m.messages, 6, "A B C D E G; F is a content-filter hand-off")
        XCTAssertEqual(m.filterHandoffs, 1)
        XCTAssertEqual(m.recipients, 7, "A's deferred retries of one recipient count once")
        XCTAssertEqual(m.incomplete, 1, "E never had its 'removed' line")
        XCTAssertEqual(m.internalMessages, 1)
        XCTAssertEqual(m.toPersonal, 4)
        XCTAssertEqual(m.bytesToPersonal, 2048 + 30_000_000 + 100 + 1200)
        XCTAssertEqual(m.bounced, 1)
        XCTAssertEqual(m.deferred, 0, "A's personal recipient was deferred, then delivered")
        XCTAssertEqual(m.autoForwarded, 2)
        XCTAssertEqual(m.largeToPersonal, 1)

        XCTAssertEqual(m.senders.map(\.sender), ["jane.smith@council.gov.uk", "a.khan@council.gov.uk"])
        let jane = m.senders[0]
        XCTAssertEqual(jane.messages, 2, "A and E; G was forwarded by her mailbox, not sent by her")
        XCTAssertEqual(jane.bytes, 2148)
        XCTAssertEqual(jane.recipients, 2)
        XCTAssertEqual(jane.daysActive, 1)
        XCTAssertEqual(jane.domains, ["gmail.com"])
        XCTAssertEqual(jane.selfForwarding.map(\.recipient), ["janesmith1975@gmail.com"])
        XCTAssertEqual(jane.selfForwarding.first?.confidence, "high")
        XCTAssertEqual(jane.selfForwarding.first?.messages, 1)
        XCTAssertEqual(jane.findings, ["auto-forwarding", "self-forwarding"])
        XCTAssertEqual(CivilTime.iso8601(millis: jane.firstSeenMillis), "2026-03-14T09:00:00.000Z")
        let khan = m.senders[1]
        XCTAssertEqual(khan.messages, 0)
        XCTAssertEqual(khan.bounced, 1)
        XCTAssertEqual(khan.findings, ["bounced"])

        XCTAssertEqual(m.personalDomains.map(\.domain), ["gmail.com", "gmx.de"])
        XCTAssertEqual(m.personalDomains[0].messages, 3)
        XCTAssertEqual(m.personalDomains[0].bounced, 1)
        XCTAssertEqual(m.personalDomains[0].service, "gmail")
        XCTAssertEqual(m.personalDomains[1].service, "gmx-mail")

        XCTAssertEqual(m.autoForwards.map { "\($0.mailbox)>\($0.recipient):\($0.evidence):\($0.messages)" },
                       ["bob.jones@council.gov.uk>bob.jones.home@gmx.de:orig_to:1", "jane.smith@council.gov.uk>jsmith.home@gmail.com:orig_to:1"])
    }

    func testSameJSONForAnyWorkerCountAndBlockSize() throws {
        var outputs = Set<String>()
        for (workers, block) in [(1, 4 << 20), (2, 1), (8, 64), (2, 300), (3, 997)] {
            let (_, json) = try MailTest.analyse(Self.log, format: .postfix, workers: workers, blockSize: block, mail: options)
            outputs.insert(json)
        }
        XCTAssertEqual(outputs.count, 1)
    }

    func testAutoDetectedAndMixedWithAProxyLog() throws {
        let (result, _) = try MailTest.analyse(Self.log, format: nil, mail: options)
        XCTAssertEqual(result.inputs[0].format, .postfix)
        XCTAssertEqual(result.mail.messages, 6)
    }

    func testQuietMessagesAreFlushedByAgeAsIncomplete() throws {
        let lines = Self.log.split(separator: "\n").map(String.init)
        let (messages, mail, _) = try MailTest.correlate(PostfixParser(), lines, options: options)
        let order = messages.map { $0.key.split(separator: " ").last.map(String.init) ?? "" }
        // E went quiet at 14:00:01 on the 14th; the first line 26 hours later closes it, before F and G.
        XCTAssertEqual(order, ["AAAA00001", "BBBB00002", "CCCC00003", "DDDD00004", "EEEE00005", "FFFF00006", "GGGG00007"])
        XCTAssertFalse(messages[4].complete)
        XCTAssertEqual(mail.incomplete, 1)
        // With a shorter limit, A (quiet for an hour between retries) is flushed too, and its later lines
        // start a second, sender-less message.
        var short = options
        short.flushAfterSeconds = 1800
        let (_, shortMail, _) = try MailTest.correlate(PostfixParser(), lines, options: short)
        XCTAssertEqual(shortMail.incomplete, 2)
        XCTAssertEqual(shortMail.messages, 7)
    }

    func testOpenStateStaysBoundedOnALongLog() throws {
        // 200,000 messages that never end: the open table never holds more than a day's worth.
        var buffer = MailEventBuffer()
        var parser = PostfixParser()
        var lines = 0
        for i in 0..<200_000 {
            let minute = i / 10, hour = minute / 60 % 24, day = 1 + minute / 1440
            let line = String(format: "Mar %2d %02d:%02d:%02d gw postfix/qmgr[1]: Q%08dX: from=<s%d@council.gov.uk>, size=10, nrcpt=1 (queue active)",
                              day, hour, minute % 60, i % 60, i, i % 50)
            _ = Array(line.utf8).withUnsafeBytes { parser.parse($0, into: &buffer) }
            lines += 1
        }
        var o = options
        o.flushAfterSeconds = 3600
        let correlator = MailCorrelator(options: o, catalog: try MailTest.catalog(), sources: [])
        correlator.consume(buffer, input: 0)
        XCTAssertLessThan(correlator.openMessageCount, 2 * 600 + 10, "an hour of log time is 600 messages")
        XCTAssertEqual(correlator.finishAll().incomplete, 200_000)
    }

    func testYearOfRFC3164TimesAcrossNewYear() throws {
        let lines = [
            "Dec 31 23:59:00 gw postfix/qmgr[1]: AAAA00001: from=<jane.smith@council.gov.uk>, size=10, nrcpt=1 (queue active)",
            "Dec 31 23:59:30 gw postfix/smtp[1]: AAAA00001: to=<janesmith1975@gmail.com>, relay=x[1.2.3.4]:25, status=sent (ok)",
            "Jan  1 00:00:10 gw postfix/qmgr[1]: AAAA00001: removed",
            "Jan  1 00:01:00 gw postfix/qmgr[1]: BBBB00002: from=<jane.smith@council.gov.uk>, size=10, nrcpt=1 (queue active)",
            "Jan  1 00:01:30 gw postfix/smtp[1]: BBBB00002: to=<janesmith1975@gmail.com>, relay=x[1.2.3.4]:25, status=sent (ok)",
            "Jan  1 00:02:00 gw postfix/qmgr[1]: BBBB00002: removed",
        ]
        var o = options
        o.year = 2025
        let (_, mail, _) = try MailTest.correlate(PostfixParser(), lines, options: o)
        let jane = try XCTUnwrap(mail.senders.first)
        XCTAssertEqual(CivilTime.iso8601(millis: jane.firstSeenMillis), "2025-12-31T23:59:00.000Z")
        XCTAssertEqual(CivilTime.iso8601(millis: jane.lastSeenMillis), "2026-01-01T00:01:00.000Z")
        XCTAssertEqual(jane.daysActive, 2)
    }

    func testWithoutOrganisationDomainsEveryNonPersonalSenderIsStaff() throws {
        var o = options
        o.organisationDomains = []
        let (result, _) = try MailTest.analyse(Self.log, format: .postfix, mail: o)
        // supplier@partner.example is staff now, but its only personal recipient was a forward,
        // attributed to the forwarding mailbox.
        XCTAssertEqual(Set(result.mail.senders.map(\.sender)), ["jane.smith@council.gov.uk", "a.khan@council.gov.uk"])
        XCTAssertEqual(result.mail.internalMessages, 0, "nothing is internal without organisation domains")
    }

    func testForwardingPatternFollowsIncomingMail() throws {
        // Every message Kim receives is sent on to her private address within a minute: a client rule.
        var lines: [String] = []
        for i in 0..<6 {
            let h = String(format: "%02d", 8 + i)
            lines += [
                "Mar 14 \(h):00:00 gw postfix/qmgr[1]: IN0000\(i)A: from=<boss@partner.example>, size=5000, nrcpt=1 (queue active)",
                "Mar 14 \(h):00:01 gw postfix/local[2]: IN0000\(i)A: to=<kim.lee@council.gov.uk>, relay=local, delay=0, delays=0/0/0/0, dsn=2.0.0, status=sent (delivered to mailbox)",
                "Mar 14 \(h):00:02 gw postfix/qmgr[1]: IN0000\(i)A: removed",
                "Mar 14 \(h):00:40 gw postfix/qmgr[1]: OUT000\(i)B: from=<kim.lee@council.gov.uk>, size=5100, nrcpt=1 (queue active)",
                "Mar 14 \(h):00:41 gw postfix/smtp[2]: OUT000\(i)B: to=<kimberly.private@gmx.de>, relay=mx00.gmx.net[1.2.3.4]:25, status=sent (250 ok)",
                "Mar 14 \(h):00:42 gw postfix/qmgr[1]: OUT000\(i)B: removed",
            ]
        }
        let (_, mail, _) = try MailTest.correlate(PostfixParser(), lines, options: options)
        XCTAssertEqual(mail.autoForwards.map { "\($0.mailbox)>\($0.recipient):\($0.evidence):\($0.messages)" },
                       ["kim.lee@council.gov.uk>kimberly.private@gmx.de:forwarding-pattern:6"])
        XCTAssertEqual(mail.senders.first?.findings, ["auto-forwarding"])
        // Four messages are not enough (the minimum is five)…
        let (_, fewer, _) = try MailTest.correlate(PostfixParser(), Array(lines.prefix(24)), options: options)
        XCTAssertEqual(fewer.autoForwards.count, 0)
        // …nor is mail sent long after what came in.
        let late = lines.map { $0.replacingOccurrences(of: ":00:40 ", with: ":30:40 ").replacingOccurrences(of: ":00:41 ", with: ":30:41 ") }
        let (_, unrelated, _) = try MailTest.correlate(PostfixParser(), late, options: options)
        XCTAssertEqual(unrelated.autoForwards.count, 0)
        XCTAssertEqual(unrelated.senders.first?.messages, 6)
    }
}
