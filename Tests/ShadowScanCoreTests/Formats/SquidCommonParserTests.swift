import XCTest
@testable import ShadowScanCore

final class SquidCommonParserTests: XCTestCase {
    func testCommonWithResultCodeAndTimezone() throws {
        let line = #"10.1.2.3 - jsmith [02/Nov/2026:08:00:01 +0100] "GET http://www.example.com/a.html HTTP/1.1" 200 5123 TCP_MISS:HIER_DIRECT"#
        let p = try XCTUnwrap(TestSupport.parse(SquidCommonParser(), line))
        XCTAssertEqual(p.client, "10.1.2.3")
        XCTAssertEqual(p.user, "jsmith")
        XCTAssertEqual(p.host, "www.example.com")
        XCTAssertEqual(p.record.status, 200)
        XCTAssertEqual(p.record.bytesToClient, 5123)
        // 2026-11-02T07:00:01Z
        XCTAssertEqual(CivilTime.iso8601(millis: p.record.timeMillis), "2026-11-02T07:00:01.000Z")
    }

    func testDeniedConnectAndDashSize() throws {
        let line = #"2001:db8::5 - - [21/Nov/2026:23:59:59 -0500] "CONNECT mega.nz:443 HTTP/1.1" 403 - TCP_DENIED:HIER_NONE"#
        let p = try XCTUnwrap(TestSupport.parse(SquidCommonParser(), line))
        XCTAssertEqual(p.record.action, .denied)
        XCTAssertEqual(p.record.bytesToClient, 0)
        XCTAssertEqual(p.host, "mega.nz")
        XCTAssertEqual(p.user, "")
        XCTAssertEqual(CivilTime.iso8601(millis: p.record.timeMillis), "2026-11-22T04:59:59.000Z")
    }

    func testCombinedCarriesUserAgentWithEscapedQuotes() throws {
        let line = #"10.0.0.7 - bob [02/Nov/2026:07:00:01 +0000] "POST https://content.dropboxapi.com/2/files/upload HTTP/1.1" 200 1024 TCP_MISS:HIER_DIRECT "https://www.dropbox.com/" "Mozilla/5.0 \"quoted\" (X11)""#
        let p = try XCTUnwrap(TestSupport.parse(SquidCommonParser(requireUserAgent: true), line))
        XCTAssertEqual(p.userAgent, #"Mozilla/5.0 \"quoted\" (X11)"#)
        XCTAssertEqual(p.method, "POST")
        let common = #"10.0.0.7 - bob [02/Nov/2026:07:00:01 +0000] "GET http://a.org/ HTTP/1.1" 200 1 TCP_MISS:HIER_DIRECT"#
        XCTAssertNil(TestSupport.parse(SquidCommonParser(requireUserAgent: true), common), "detection tells combined by its user agent")
        XCTAssertNotNil(TestSupport.parse(SquidCommonParser(), common), "a combined file may hold common lines")
    }

    func testSquidsOwnCombinedPutsTheResultCodeLast() throws {
        // From Squid's `logformat combined` (Datadog's test data in the corpus).
        let line = #"10.10.10.10 - - [12/Sep/2024:12:38:20 +0530] "GET http://proxy.squid.local:3128/squid-internal-mgr/counters HTTP/1.1" 407 4235 "-" "Datadog Agent/7.53.0" TCP_DENIED:HIER_NONE"#
        let p = try XCTUnwrap(TestSupport.parse(SquidCommonParser(requireUserAgent: true), line))
        XCTAssertEqual(p.record.action, .challenge)
        XCTAssertEqual(p.userAgent, "Datadog Agent/7.53.0")
        XCTAssertEqual(p.host, "proxy.squid.local")
        XCTAssertEqual(p.record.port, 3128)
        let hostless = try XCTUnwrap(TestSupport.parse(SquidCommonParser(), #"10.10.10.10 - - [12/Sep/2024:12:08:20 +0530] "- error:transaction-end-before-headers NONE/0.0" 0 0 NONE_NONE:HIER_NONE"#))
        XCTAssertEqual(p.record.status, 407)
        XCTAssertEqual(hostless.host, "")
    }

    func testMalformed() {
        let parser = SquidCommonParser()
        for line in ["10.0.0.1 - - [05/02/2025 11:30:29] \"GET https://a.com/ HTTP/1.1\" 200 1",
                     "10.0.0.1 - - [02/Nov/2026:07:00:01 +0000] \"GET https://a.com/ HTTP/1.1",
                     "10.0.0.1 - - [02/Foo/2026:07:00:01 +0000] \"GET https://a.com/ HTTP/1.1\" 200 1",
                     "10.0.0.1 - -"] {
            XCTAssertNil(TestSupport.parse(parser, line), line)
        }
    }
}
