import XCTest
@testable import ShadowScanCore

final class PostfixParserTests: XCTestCase {
    let parser = PostfixParser()

    func testQmgrSenderWithRFC3339Time() {
        let (outcome, events) = MailTest.parse(parser,
            "2023-03-14T00:08:33.787870+01:00 helga postfix/qmgr[3163066]: 4PbC4x469Jz3tBr: from=<Jane.Smith@Council.gov.uk>, size=175061, nrcpt=1 (queue active)")
        XCTAssertEqual(outcome, .events)
        XCTAssertEqual(events, [ReadableMailEvent(kind: .arrival, key: "helga 4PbC4x469Jz3tBr", address: "jane.smith@council.gov.uk",
                                                  size: 175061, time: MailTest.millis("2023-03-13T23:08:33.787Z"))])
    }

    func testDeliveryWithOrigToRelayAndStatus() {
        let (outcome, events) = MailTest.parse(parser,
            "Mar 14 00:08:36 gw postfix/smtp[302615]: 4PbC4x469Jz3tBr: to=<janesmith1975@gmail.com>, orig_to=<jane.smith@council.gov.uk>, relay=gmail-smtp-in.l.google.com[142.250.1.26]:25, delay=0.12, delays=0.01/0.01/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 OK 1678752516 x4si)")
        XCTAssertEqual(outcome, .events)
        XCTAssertEqual(events.count, 1)
        let e = events[0]
        XCTAssertEqual(e.kind, .delivery)
        XCTAssertEqual(e.status, .sent)
        XCTAssertEqual(e.forward, .origTo)
        XCTAssertEqual(e.key, "gw 4PbC4x469Jz3tBr")
        XCTAssertEqual(e.address, "janesmith1975@gmail.com")
        XCTAssertEqual(e.original, "jane.smith@council.gov.uk")
        XCTAssertEqual(e.flags & MailEvent.yearlessTime, MailEvent.yearlessTime)
        XCTAssertEqual(MailTime.resolve(e.time, year: 2023), MailTest.millis("2023-03-14T00:08:36Z"))
    }

    func testDeferredAndBouncedAndSpacePaddedDay() {
        let deferred = MailTest.parse(parser, "Mar  4 09:00:01 gw postfix/smtp[1]: 3F2A41C0A2: to=<x@gmx.de>, relay=none, delay=30, delays=0.1/0/30/0, dsn=4.4.1, status=deferred (connect to mx00.gmx.net[212.227.15.9]:25: Connection timed out)")
        XCTAssertEqual(deferred.0, .events)
        XCTAssertEqual(deferred.1.first?.status, .deferred)
        XCTAssertEqual(MailTime.resolve(deferred.1[0].time, year: 2024), MailTest.millis("2024-03-04T09:00:01Z"))
        let bounced = MailTest.parse(parser, "2023-03-16T02:27:29.827273+01:00 helga postfix/smtp[505058]: 4PcV4K5FPLz3tBr: to=<user02.test@uhu-banane.com>, relay=none, delay=0.07, delays=0.01/0.02/0.04/0, dsn=5.4.4, status=bounced (Host or domain name not found. Name service error for name=hennig-berlin.com type=AAAA: Host not found)")
        XCTAssertEqual(bounced.1.first?.status, .bounced)
    }

    func testContentFilterHandOff() {
        let (_, events) = MailTest.parse(parser, "2023-03-14T00:08:35.948047+01:00 helga postfix/amavis/smtp[302609]: 4PbC4x469Jz3tBr: to=<user01.test@uhu-banane.net>, orig_to=<frank@brehm-berlin.de>, relay=127.0.0.1[127.0.0.1]:10024, delay=2.4, delays=0.29/0.02/0.01/2.1, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 4PbC4z6W5Qz3tG3)")
        XCTAssertEqual(events.first?.flags ?? 0 & MailEvent.handoff, MailEvent.handoff)
        XCTAssertEqual(events.first?.next, "helga 4PbC4z6W5Qz3tG3")
        // A remote MX's "queued as" is not a hand-off.
        let remote = MailTest.parse(parser, "Mar 14 00:08:36 gw postfix/smtp[1]: ABCDEF123: to=<a@b.example>, relay=mx.b.example[198.51.100.7]:25, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4XYZ12345)")
        XCTAssertEqual((remote.1.first?.flags ?? 0) & MailEvent.handoff, 0)
        XCTAssertEqual(remote.1.first?.next, "")
    }

    func testRemovedExpiredAndProbes() {
        XCTAssertEqual(MailTest.parse(parser, "Mar 14 00:08:36 gw postfix/qmgr[7]: 4PbC4x469Jz3tBr: removed").1.first?.kind, .end)
        XCTAssertEqual(MailTest.parse(parser, "Mar 14 00:08:36 gw postfix/qmgr[7]: 3F2A41C0A2: from=<j@council.gov.uk>, status=expired, returned to sender").1.first?.kind, .expired)
        let probe = MailTest.parse(parser, "Mar 14 00:08:36 gw postfix/smtp[7]: 3F2A41C0A3: to=<x@gmail.com>, relay=gmail-smtp-in.l.google.com[1.2.3.4]:25, delay=1, delays=0/0/0/1, dsn=2.1.5, status=deliverable (250 2.1.5 OK)")
        XCTAssertEqual((probe.1.first?.flags ?? 0) & MailEvent.probe, MailEvent.probe)
    }

    func testSkippedLines() {
        for line in [
            "2023-03-14T00:00:31.185246+01:00 helga postfix/postscreen[3163107]: CONNECT from [185.48.118.128]:36942 to [188.34.187.246]:25",
            "Mar 14 00:00:31 gw postfix/smtpd[297535]: NOQUEUE: reject: RCPT from x[1.2.3.4]: 554 5.7.1 <y@z>: Relay access denied; from=<a@b> to=<y@z> proto=ESMTP helo=<x>",
            "Mar 14 00:00:31 gw postfix/smtpd[297535]: warning: hostname x does not resolve to address 1.2.3.4",
            "Mar 14 00:00:31 gw postfix/cleanup[302604]: 4PbC4x469Jz3tBr: message-id=<71816687N65284230Y01410375Q67285060N@ajmyjyz>",
            "Mar 14 00:00:31 gw postfix/pickup[371410]: 4Pbf0B1vBSz3tG6: uid=2000 from=<familysafety@microsoft.com>",
            "Mar 14 00:00:31 gw postfix/bounce[505059]: 4PcV4K5FPLz3tBr: sender non-delivery notification: 4PcV4K5tFpz3tG5",
            "Mar 14 00:00:31 gw amavis[237978]: (237978-11) Passed CLEAN {RelayedInbound}, [185.31.160.120]:41695",
            "Mar 14 00:00:31 gw dovecot: imap-login: Login: user=<user01>",
            "Mar 14 00:00:31 gw opendkim[1]: 4PbC4x469Jz3tBr: DKIM-Signature field added (s=mail, d=example.org)",
        ] {
            XCTAssertEqual(MailTest.parse(parser, line).0, .skipped, line)
        }
    }

    func testMalformedLines() {
        for line in [
            "",
            "garbage",
            "Mar 14 00:0",
            "Foo 14 00:00:31 gw postfix/smtp[1]: ABCDE1: to=<a@b>, status=sent",
            "2023-13-14T00:00:31Z gw postfix/smtp[1]: ABCDE1: to=<a@b>, status=sent",
            "Mar 14 00:00:31 gw postfix/smtp[1]: ABCDE1: to=<a@b.example",                     // cut inside the address
            "Mar 14 00:00:31 gw postfix/smtp[1]: ABCDE1: to=<a@b.example>, relay=x, delay=1", // cut before the status
            "Mar 14 00:00:31 gw postfix/qmgr[1]: ABCDE1: from=<a@b.example",
            "Mar 14 00:00:31 gw postfix/qmgr[1]: ABCDE1: from=<a@b.example>, size=12x, nrcpt=1 (queue active)",
        ] {
            XCTAssertEqual(MailTest.parse(parser, line).0, .malformed, line)
        }
    }

    func testHostileAddressesAreBoundedAndKeptAsBytes() {
        let long = String(repeating: "a", count: 5000) + "@gmail.com"
        let (outcome, events) = MailTest.parse(parser, "Mar 14 00:00:31 gw postfix/smtp[1]: ABCDE1: to=<\(long)>, relay=x, status=sent (ok)")
        XCTAssertEqual(outcome, .events)
        XCTAssertEqual(events.first?.address.utf8.count, MailEventBuffer.maxValueLength)
        let quoted = MailTest.parse(parser, "Mar 14 00:00:31 gw postfix/smtp[1]: ABCDE1: to=<\"odd>name\"@gmail.com>, relay=x, status=sent (ok)")
        XCTAssertEqual(quoted.1.first?.address, "\"odd>name\"@gmail.com")
    }

    func testEvidenceNeedsAPostfixProgram() {
        var p = parser
        XCTAssertTrue(Array("Mar 14 00:00:31 gw postfix/anvil[1]: statistics: max connection rate 1/60s".utf8).withUnsafeBytes { p.isEvidence($0) })
        XCTAssertFalse(Array("Mar 14 00:00:31 gw sshd[1]: Accepted publickey for root".utf8).withUnsafeBytes { p.isEvidence($0) })
        XCTAssertFalse(Array("1431966856.793  48016 ::1 TCP_MISS/200 16674 CONNECT a.b:443 - DIRECT/1.2.3.4 -".utf8).withUnsafeBytes { p.isEvidence($0) })
    }
}
