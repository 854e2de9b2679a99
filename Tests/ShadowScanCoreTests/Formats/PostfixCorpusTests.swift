import XCTest
@testable import ShadowScanCore

/// Real Postfix logs of `../shared/corpus/postfix`: read as `postfix` with no crash, every malformed line
/// explained, and messages of the production log put together as hand-checked below.
final class PostfixCorpusTests: XCTestCase {
    func analyse(_ relative: String) throws -> AnalysisResult {
        let path = TestSupport.corpus.appendingPathComponent(relative).path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("corpus not found at \(TestSupport.corpus.path): \(relative) not checked") }
        let catalog = try RuleCatalogLoader.load(directory: TestSupport.rulesDirectory)
        return Analyzer(catalog: catalog, options: AnalysisOptions(workers: 2, format: .postfix)).run(paths: [path])
    }

    func testEveryFileWithItsMalformedLinesExplained() throws {
        // (file, lines, records, skipped, malformed, messages, why the malformed ones are)
        let expected: [(String, Int64, Int64, Int64, Int64, Int64, String)] = [
            ("postfix/pixelpark-postfix-logsums/mail.log.xz", 69_861, 1095, 68_766, 0, 185,
             "none: 365 qmgr from=, 365 to= and 365 removed lines are events; postscreen, smtpd, dnsblog, amavis… are skipped"),
            ("postfix/digineo-postfix_exporter-testdata-mail.log", 53, 38, 15, 0, 2, "none"),
            ("postfix/inqueue-postfix-ecs-pipeline-test-mail.log", 20, 12, 8, 0, 11, "none: fragments of eleven messages, none ended"),
            ("postfix/fail2ban-postfix.log", 203, 0, 63, 140, 0, "fail2ban's 88 '#' comment lines and 52 blank lines"),
            ("postfix/crowdsec-hub/postfix-spam--postfix-spam.log", 7, 0, 6, 1, 0, "line 7 is blank"),
            ("postfix/msimerson-log-ship-elastic-postfix-test-mail.log", 6, 2, 3, 1, 1, "line 1 is blank"),
            // Bare to=/from= without <> are read; the from= (Jul 12) and to= (Jul 2) of one queue id are ten
            // days apart, more than --mail-flush-after: two incomplete messages.
            ("postfix/datadog/datadog-postfix-samples.EXTRACTED.log", 6, 3, 3, 0, 2, "none"),
            ("postfix/wazuh-ruleset-postfix.EXTRACTED.log", 6, 0, 6, 0, 0, "none"),
            ("postfix/sekoia-intake-formats-postfix/ALL-input-messages.EXTRACTED.log", 270, 0, 0, 270, 0,
             "all: message bodies without their syslog header (timestamp, host, program)"),
            ("postfix/whyscream-postfix-grok-patterns/ALL-data-lines.EXTRACTED.txt", 202, 0, 0, 202, 0, "all: bodies without a syslog header"),
            ("postfix/syslog-ng-patterndb-postfix-test_messages.EXTRACTED.tsv", 13, 0, 0, 13, 0, "all: 'program<TAB>message' test rows"),
        ]
        var checked = 0
        for (file, lines, records, skipped, malformed, messages, why) in expected {
            let result: AnalysisResult
            do { result = try analyse(file) } catch is XCTSkip { continue }
            checked += 1
            let input = result.inputs[0]
            XCTAssertNil(input.problem, file)
            XCTAssertEqual(input.lines, lines, "\(file) lines")
            XCTAssertEqual(input.records, records, "\(file) records")
            XCTAssertEqual(input.skipped, skipped, "\(file) skipped")
            XCTAssertEqual(input.malformed, malformed, "\(file) malformed: \(why)")
            XCTAssertEqual(result.mail.messages, messages, "\(file) messages")
        }
        if checked == 0 { throw XCTSkip("corpus not found at \(TestSupport.corpus.path): Postfix files not checked") }
    }

    func testProductionLogTotalsAndDetection() throws {
        let path = TestSupport.corpus.appendingPathComponent("postfix/pixelpark-postfix-logsums/mail.log.xz").path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("corpus not found at \(TestSupport.corpus.path)") }
        let catalog = try RuleCatalogLoader.load(directory: TestSupport.rulesDirectory)
        let result = Analyzer(catalog: catalog, options: AnalysisOptions(workers: 2)).run(paths: [path])
        XCTAssertEqual(result.inputs[0].format, .postfix, "detected from the first lines (all postscreen)")
        let m = result.mail
        XCTAssertEqual(m.messages, 185)
        XCTAssertEqual(m.filterHandoffs, 180, "amavis legs (relay=127.0.0.1:10024/10026, queued as …) count as their re-injected copy")
        XCTAssertEqual(m.incomplete, 0)
        XCTAssertEqual(m.toPersonal, 2, "familysafety@microsoft.com → external01.user@gmx.de and → external02.user@web.de")
        XCTAssertEqual(m.bytesToPersonal, 44171 + 44169)
        XCTAssertEqual(m.personalDomains.map(\.domain), ["gmx.de", "web.de"])
        XCTAssertEqual(m.bounced, 0, "the one bounce went to user02.test@uhu-banane.com, not a personal domain")
    }

    func testHandCheckedMessagesOfTheProductionLog() throws {
        guard let lines = MailTest.corpusLines("postfix/pixelpark-postfix-logsums/mail.log.xz") else {
            throw XCTSkip("corpus or the xz command not found: production log messages not checked")
        }
        XCTAssertEqual(lines.count, 69_861)
        let catalog = try RuleCatalogLoader.load(directory: TestSupport.rulesDirectory)
        let (messages, _, outcomes) = try MailTest.correlate(PostfixParser(), lines, catalog: catalog)
        XCTAssertFalse(outcomes.contains(.malformed))
        func message(_ queueID: String) throws -> FinishedMailMessage { try XCTUnwrap(messages.first { $0.key == "helga " + queueID }, queueID) }

        // 00:08:33 spam to frank@brehm-berlin.de: amavis leg 4PbC4x469Jz3tBr (virtual alias: orig_to), then
        // the re-injected 4PbC4z6W5Qz3tG3 delivered by dovecot; the copy inherits the alias.
        let leg = try message("4PbC4x469Jz3tBr")
        XCTAssertEqual(leg.handoffs, 1)
        XCTAssertEqual(leg.recipients, [])
        XCTAssertEqual(try message("4PbC4z6W5Qz3tG3"), FinishedMailMessage(
            key: "helga 4PbC4z6W5Qz3tG3", sender: "ajmyjyz@nistoresio.co.cz", size: 175_919, complete: true,
            recipients: [.init(address: "user01.test@uhu-banane.net", status: .sent, forwardedFrom: "frank@brehm-berlin.de")]))
        // 2023-03-16 02:27: a newsletter to user02.test@uhu-banane.com bounced (domain not found).
        XCTAssertEqual(try message("4PcV4K5FPLz3tBr"), FinishedMailMessage(
            key: "helga 4PcV4K5FPLz3tBr", sender: "bounce-no-reply@nebenan.de", size: 101_141, complete: true,
            recipients: [.init(address: "user02.test@uhu-banane.com", status: .bounced, forwardedFrom: nil)]))
        // 17:20:58 a locally submitted message goes out to gmx.de after amavis.
        XCTAssertEqual(try message("4Pbf0B6jCRz3tG3"), FinishedMailMessage(
            key: "helga 4Pbf0B6jCRz3tG3", sender: "familysafety@microsoft.com", size: 44_171, complete: true,
            recipients: [.init(address: "external01.user@gmx.de", status: .sent, forwardedFrom: nil)]))
        XCTAssertEqual(messages.filter { $0.handoffs == 0 && !$0.recipients.isEmpty }.count, 185)
    }
}
