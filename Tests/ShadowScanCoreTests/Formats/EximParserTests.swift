import XCTest
@testable import ShadowScanCore

final class EximParserTests: XCTestCase {
    let parser = EximParser()

    func testArrivalWithSize() {
        let (outcome, events) = MailTest.parse(parser, "2019-05-15 11:22:25 1hQkUr-0016NY-2h <= Joseph@abwinbus.sg H=(sgssr2.supercp.com) [127.0.0.1]:45642 P=esmtpa A=dovecot_login:joseph@abwinbus.sg S=2809 id=1edc93a6b059d0c150c1ae0416083bff@abwinbus.sg T=\"FW: Tokio S=1 Company\" for sherene@abwinbus.sg")
        XCTAssertEqual(outcome, .events)
        XCTAssertEqual(events, [ReadableMailEvent(kind: .arrival, key: "1hQkUr-0016NY-2h", address: "joseph@abwinbus.sg", size: 2809,
                                                  time: MailTest.millis("2019-05-15T11:22:25Z"))])
    }

    func testLocalDeliveryUsesTheOriginalAddress() {
        let (_, events) = MailTest.parse(parser, "2019-05-15 11:22:25 1hQkUr-0016NY-2h => sherene <sherene@abwinbus.sg> R=virtual_user T=dovecot_virtual_delivery C=\"250 2.0.0 <sherene@abwinbus.sg> Saved\"")
        XCTAssertEqual(events.first?.address, "sherene@abwinbus.sg")
        XCTAssertEqual(events.first?.status, .sent)
        XCTAssertEqual(events.first?.forward, MailEvent.Forward.none)
    }

    func testForwardedDeliveryNamesTheParent() {
        let (_, events) = MailTest.parse(parser, "2023-03-01 10:00:00 1pXa2b-000Abc-Zz => jim1975@gmail.com (jim@h.ex) <J@h.ex> R=redirect T=remote_smtp H=gmail-smtp-in.l.google.com [142.250.1.26]")
        XCTAssertEqual(events.first?.address, "jim1975@gmail.com")
        XCTAssertEqual(events.first?.forward, .eximParent)
        XCTAssertEqual(events.first?.original, "jim@h.ex")
        let twoLevel = MailTest.parse(parser, "1999-03-02 09:44:33 10HmaY-000000005vi-0000 => userx@myhost.test.ex <føø@test.ex> R=r1 T=dev_null H=myhost.test.ex")
        XCTAssertEqual(twoLevel.1.first?.original, "føø@test.ex")
        XCTAssertEqual(twoLevel.1.first?.key, "10HmaY-000000005vi-0000")
    }

    func testPipesFailuresDeferralsAndCompleted() {
        let pipe = MailTest.parse(parser, "2019-05-15 11:22:25 1hQkUr-0016NY-2h => |/usr/local/cpanel/bin/autorespond deniseteo@abwinbus.sg /home/abwinbus/.autorespond (deniseteo@abwinbus.sg) <deniseteo@abwinbus.sg> R=virtual_aliases_nostar T=cagefs_virtual_address_pipe")
        XCTAssertEqual(pipe.1.first?.address, "deniseteo@abwinbus.sg")
        XCTAssertEqual(pipe.1.first?.forward, MailEvent.Forward.none)
        let failure = MailTest.parse(parser, "1999-03-02 09:44:33 10HmaX-000000005vi-0000 ** b@known.ex: retry timeout exceeded")
        XCTAssertEqual(failure.1.first?.status, .bounced)
        XCTAssertEqual(failure.1.first?.address, "b@known.ex")
        let routed = MailTest.parse(parser, "1999-03-02 09:44:33 10HmbC-000000005vi-0000 ** userx@non-local.example R=fail_remote_domains : unrouteable mail domain \"non-local.example\" (:fail:)")
        XCTAssertEqual(routed.1.first?.address, "userx@non-local.example")
        let deferral = MailTest.parse(parser, "1999-03-02 09:44:33 10HmaX-000000005vi-0000 == a@unknown.ex R=default T=smtp defer (dd): Network Error")
        XCTAssertEqual(deferral.1.first?.status, .deferred)
        let additional = MailTest.parse(parser, "2019-05-15 11:22:25 1hQkUr-0016NY-2h -> deniseteo <deniseteo@abwinbus.sg> R=virtual_user T=dovecot_virtual_delivery")
        XCTAssertEqual(additional.1.first?.status, .sent)
        XCTAssertEqual(MailTest.parse(parser, "2019-05-15 11:22:25 1hQkUr-0016NY-2h Completed").1.first?.kind, .end)
        XCTAssertEqual(MailTest.parse(parser, "2019-05-15 11:22:25 1hQkUr-0016NY-2h Completed QT=1s").1.first?.kind, .end)
    }

    func testTimestampsWithMillisecondsZoneAndPid() {
        let (_, events) = MailTest.parse(parser, "2023-03-01 10:00:00.250 +0100 [12345] 1pXa2b-000Abc-Zz Completed")
        XCTAssertEqual(events.first?.time, MailTest.millis("2023-03-01T09:00:00.250Z"))
    }

    func testEximThroughSyslog() {
        let (outcome, events) = MailTest.parse(parser, "Jun 29 16:04:19 mx exim[1234]: 1pXa2b-000Abc-Zz => jim1975@gmail.com <jim@h.ex> R=redirect T=remote_smtp")
        XCTAssertEqual(outcome, .events)
        XCTAssertEqual(events.first?.address, "jim1975@gmail.com")
        XCTAssertEqual((events.first?.flags ?? 0) & MailEvent.yearlessTime, MailEvent.yearlessTime)
        XCTAssertEqual(MailTest.parse(parser, "Jun 29 16:04:19 server exim[1234]: dovecot_login authenticator failed for ([1.2.3.5]) [1.2.3.4]:55379: 535 Incorrect authentication data").0, .skipped)
        XCTAssertEqual(MailTest.parse(parser, "Jun 29 16:04:19 server sshd[1234]: 1pXa2b-000Abc-Zz Completed").0, .malformed)
    }

    func testSkippedAndMalformed() {
        for line in [
            "1999-03-02 09:44:33 H=(test) [V4NET.0.0.0] U=CALLER F=<x@y> rejected RCPT <x@y>: Sender verify failed",
            "1999-03-02 09:44:33 Start queue run: pid=1234",
            "1999-03-02 09:44:33 10HmaX-000000005vi-0000 Frozen (delivery error message)",
            "1999-03-02 09:44:33 10HmaX-000000005vi-0000 *> x@y R=r1 T=t1",
            "1999-03-02 09:44:33 10HmaX-000000005vi-0000 SMTP error from remote mail server after RCPT TO:<x@y>: 550 no",
        ] {
            XCTAssertEqual(MailTest.parse(parser, line).0, .skipped, line)
        }
        for line in ["", "garbage", "1999-03-02", "1999-03-02 09:44", "Mar 14 00:00:31 gw sendmail[1]: x", "1999-13-02 09:44:33 x"] {
            XCTAssertEqual(MailTest.parse(parser, line).0, .malformed, line)
        }
    }

    /// The Exim test suite's main logs: every line is a syslog-free Exim line, none malformed; the
    /// message-bearing lines give the events hand-checked below.
    func testEximTestSuiteCorpus() throws {
        let directory = TestSupport.corpus.appendingPathComponent("exim/exim-testsuite")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path).sorted(), !names.isEmpty else {
            throw XCTSkip("corpus not found at \(directory.path): Exim test-suite logs not checked")
        }
        var lines = 0, malformed: [String] = [], events = 0
        for name in names {
            for line in MailTest.corpusLines("exim/exim-testsuite/\(name)") ?? [] {
                lines += 1
                let (outcome, parsed) = MailTest.parse(parser, line)
                if outcome == .malformed { malformed.append("\(name): \(line)") }
                events += parsed.count
            }
        }
        XCTAssertEqual(lines, 1381)
        // Every line starts with Exim's date and time: none is malformed.
        XCTAssertEqual(malformed, [])
        // <= 224, => 162, -> 126, ** 328, == 88, Completed 196 (counted with grep on the flag field).
        XCTAssertEqual(events, 224 + 162 + 126 + 328 + 88 + 196)

        // mainlog-0024: message 10HmaY is accepted from userx@test.ex and delivered to four addresses.
        let (messages, _, _) = try MailTest.correlate(parser, MailTest.corpusLines("exim/exim-testsuite/mainlog-0024") ?? [])
        let y = try XCTUnwrap(messages.first { $0.key == "10HmaY-000000005vi-0000" })
        XCTAssertEqual(y.sender, "userx@test.ex")
        XCTAssertTrue(y.complete)
        XCTAssertEqual(y.size, -1, "the test suite writes S=sss")
        XCTAssertEqual(y.recipients.map(\.address), ["userx@myhost.test.ex", "postmaster@test.ex", "userx@test.ex", "x@ten-1.test.ex"])
        XCTAssertEqual(y.recipients.map(\.status), [.sent, .sent, .sent, .sent])
        XCTAssertEqual(y.recipients[0].forwardedFrom, "føø@test.ex")
    }

    /// The other Exim files of the corpus, read as `exim`, with every malformed line explained.
    func testOtherCorpusFilesWithTheirMalformedLinesExplained() throws {
        // (file, lines, records, skipped, malformed, why)
        let expected: [(String, Int64, Int64, Int64, Int64, String)] = [
            ("exim/exim_exporter/test-mainlog", 35, 34, 1, 0, "none"),
            ("exim/fail2ban-exim.log", 128, 0, 50, 78,
             "62 '#' comment lines, 15 blank lines, and 'mail.example.com exim[3751842]: 2021-07-17 …' (a host before the time)"),
            ("exim/fail2ban-exim-spam.log", 26, 0, 8, 18, "17 '#' comment lines and 1 blank line"),
            ("exim/crowdsec-hub/exim-spam--exim-spam.log", 9, 0, 8, 1, "line 5 is blank"),
            ("exim/crowdsec-hub/exim-syslog-logs--exim-logs.log", 11, 0, 11, 0, "none: Exim through syslog"),
            ("exim/logstash-patterns-core/exim_spec-messages.EXTRACTED.log", 6, 6, 0, 0, "none"),
        ]
        let catalog = try MailTest.catalog()
        var checked = 0
        for (file, lines, records, skipped, malformed, why) in expected {
            let path = TestSupport.corpus.appendingPathComponent(file).path
            guard FileManager.default.fileExists(atPath: path) else { continue }
            checked += 1
            let input = Analyzer(catalog: catalog, options: AnalysisOptions(workers: 2, format: .exim)).run(paths: [path]).inputs[0]
            XCTAssertEqual(input.lines, lines, "\(file) lines")
            XCTAssertEqual(input.records, records, "\(file) records")
            XCTAssertEqual(input.skipped, skipped, "\(file) skipped")
            XCTAssertEqual(input.malformed, malformed, "\(file) malformed: \(why)")
        }
        if checked == 0 { throw XCTSkip("corpus not found at \(TestSupport.corpus.path): Exim files not checked") }
    }
}
