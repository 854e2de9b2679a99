import XCTest
@testable import ShadowScanCore

/// Conformance against real Squid logs in ../shared/corpus (see its PROVENANCE.md). Expected values were
/// written by hand from reading the lines. Skips, saying so, when the corpus is absent.
final class SquidCorpusTests: XCTestCase {
    override func setUpWithError() throws {
        guard FileManager.default.fileExists(atPath: TestSupport.corpus.path) else {
            throw XCTSkip("corpus not found at \(TestSupport.corpus.path): corpus tests skipped")
        }
    }

    func line(_ relativePath: String, _ number: Int) throws -> String {
        let url = TestSupport.corpus.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("corpus file \(relativePath) not found under \(TestSupport.corpus.path): corpus tests skipped")
        }
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        return String(lines[number - 1])
    }

    func testHandCheckedNativeLines() throws {
        // Elastic beats access4, line 1: CONNECT from an IPv6 loopback client, no user.
        var p = try XCTUnwrap(TestSupport.parse(SquidNativeParser(), try line("squid-native/elastic-beats-squid-test-access4.log", 1)))
        XCTAssertEqual([p.host, p.client, p.user, p.method], ["0.docs.google.com", "::1", "", "CONNECT"])
        XCTAssertEqual(p.record.bytesToClient, 16674)
        XCTAssertEqual(p.record.action, .allowed)
        // Elastic integrations, line 22: an authentication challenge, not a denial.
        p = try XCTUnwrap(TestSupport.parse(SquidNativeParser(), try line("squid-native/elastic-integrations-squid-test-access.log", 22)))
        XCTAssertEqual([p.host, p.client, p.user], ["hi5.com", "10.105.47.218", ""])
        XCTAssertEqual(p.record.action, .challenge)
        XCTAssertEqual(p.record.bytesToClient, 1661)
        // Line 93: Yahoo webmail with an authenticated user.
        p = try XCTUnwrap(TestSupport.parse(SquidNativeParser(), try line("squid-native/elastic-integrations-squid-test-access.log", 93)))
        XCTAssertEqual([p.host, p.user, p.path], ["uk.f250.mail.yahoo.com", "badeyek", "/dc/launch?"])
        XCTAssertEqual(p.record.bytesToClient, 11746)
        // fail2ban line 4: a policy denial.
        p = try XCTUnwrap(TestSupport.parse(SquidNativeParser(), try line("squid-native/fail2ban-squid.log", 4)))
        XCTAssertEqual([p.host, p.client], ["www.proxy-listen.de", "91.188.124.227"])
        XCTAssertEqual(p.record.action, .denied)
        XCTAssertEqual(p.record.status, 403)
        // Dragonius line 1: a TIMEOUT_ hierarchy code and a user agent as MIME type field.
        p = try XCTUnwrap(TestSupport.parse(SquidNativeParser(), try line("squid-native/Dragonius-Squid_access_log_data-test_access.log", 1)))
        XCTAssertEqual([p.host, p.client], ["mato22.fi", "127.0.0.1"])
        XCTAssertEqual(p.record.bytesToClient, 52523)
        XCTAssertEqual(p.record.timeMillis, 1_484_141_828_942)
        // Blue Coat's Squid-compatible output (2002).
        p = try XCTUnwrap(TestSupport.parse(SquidNativeParser(), try line("bluecoat-squid-compat/Regexp-Log-BlueCoat-t-bc1.log", 1)))
        XCTAssertFalse(p.host.isEmpty)
    }

    func testHandCheckedCombinedLines() throws {
        let parser = SquidCommonParser()
        var p = try XCTUnwrap(TestSupport.parse(parser, try line("squid-combined/datadog-squid-combined-samples.EXTRACTED.log", 1)))
        XCTAssertEqual([p.client, p.user, p.host, p.method], ["10.10.10.10", "testuser1", "ssl.gstatic.com", "CONNECT"])
        XCTAssertEqual(CivilTime.iso8601(millis: p.record.timeMillis), "2024-09-12T07:08:20.000Z")
        XCTAssertTrue(p.userAgent.hasPrefix("Mozilla/5.0 (Windows NT 10.0"))
        p = try XCTUnwrap(TestSupport.parse(parser, try line("squid-combined/datadog-squid-combined-samples.EXTRACTED.log", 2)))
        XCTAssertEqual(p.record.action, .challenge)
        XCTAssertEqual(p.record.bytesToClient, 4235)
        p = try XCTUnwrap(TestSupport.parse(parser, try line("squid-combined/datadog-squid-combined-samples.EXTRACTED.log", 5)))
        XCTAssertEqual([p.user, p.host], ["testuser2", "ssl.gstatic.com"], "a common-format line in the same file")
    }

    /// Every line of every Squid file is either a record or malformed on purpose.
    func testWholeFilesParseOrAreMalformedForAReason() throws {
        guard FileManager.default.fileExists(atPath: TestSupport.corpus.path) else {
            throw XCTSkip("corpus not found at \(TestSupport.corpus.path): corpus tests skipped")
        }
        let catalog = try RuleCatalogLoader.load(directory: TestSupport.rulesDirectory)
        // (file, format, lines, malformed, why the malformed lines are malformed)
        let expectations: [(String, LogFormat, Int64, Int64, String)] = [
            ("squid-native/Dragonius-Squid_access_log_data-test_access.log", .squidNative, 12, 0, ""),
            ("squid-native/datadog-squid-samples.EXTRACTED.log", .squidNative, 13, 0, ""),
            ("squid-native/elastic-beats-squid-test-access2.log", .squidNative, 100, 0, ""),
            ("squid-native/elastic-beats-squid-test-access3.log", .squidNative, 100, 0, ""),
            ("squid-native/elastic-beats-squid-test-access4.log", .squidNative, 100, 0, ""),
            ("squid-native/elastic-integrations-squid-test-access.log", .squidNative, 100, 0, ""),
            ("squid-native/fail2ban-squid.log", .squidNative, 13, 9, "fail2ban's '# failJSON' comments and blank lines"),
            ("squid-native/netdata-go.d-squidlog-testdata-access.SYNTHETIC.log", .squidNative, 500, 16, "'Unmatched! The rat the cat...' junk lines"),
            ("squid-native/sekoia-intake-formats-squid/ALL-input-messages.EXTRACTED.log", .squidNative, 15, 2,
             "two common-log lines with a non-Squid date ([05/02/2025 11:30:29]) in a native file"),
            ("squid-native/wazuh-ruleset-squid.EXTRACTED.log", .squidNative, 2, 0, ""),
            ("squid-combined/datadog-squid-combined-samples.EXTRACTED.log", .squidCommon, 5, 0, ""),
            ("bluecoat-squid-compat/Regexp-Log-BlueCoat-t-bc1.log", .squidNative, 15, 0, ""),
        ]
        for (path, format, lines, malformed, why) in expectations {
            let url = TestSupport.corpus.appendingPathComponent(path)
            let result = Analyzer(catalog: catalog, options: AnalysisOptions(workers: 2)).run(paths: [url.path])
            let input = try XCTUnwrap(result.inputs.first)
            XCTAssertNil(input.problem, path)
            XCTAssertEqual(input.format, format, path)
            XCTAssertEqual(input.lines, lines, path)
            XCTAssertEqual(input.malformed, malformed, "\(path): \(why)")
            XCTAssertEqual(input.records, lines - malformed, path)
        }
    }

    func testServicesFoundInTheCorpus() throws {
        guard FileManager.default.fileExists(atPath: TestSupport.corpus.path) else {
            throw XCTSkip("corpus not found at \(TestSupport.corpus.path): corpus tests skipped")
        }
        let catalog = try RuleCatalogLoader.load(directory: TestSupport.rulesDirectory)
        let file = TestSupport.corpus.appendingPathComponent("squid-native/elastic-beats-squid-test-access4.log").path
        let result = Analyzer(catalog: catalog, options: AnalysisOptions(workers: 2)).run(paths: [file])
        let services = Dictionary(uniqueKeysWithValues: result.services.map { ($0.id, $0) })
        // 42 lines to docs.google.com / drive.google.com (0.docs.google.com included), all CONNECT from ::1.
        XCTAssertEqual(services["google-drive"]?.requests, 42)
        XCTAssertEqual(services["google-drive"]?.hostOnlyRequests, 42)
        XCTAssertEqual(services["google-drive"]?.users, 1)
        XCTAssertEqual(services["gmail"]?.requests, 2)
        // clients4.google.com, www.google.com...: Google itself is not a catalogue service.
        XCTAssertTrue(result.unknownDomains.contains { $0.domain == "google.com" })
    }
}
