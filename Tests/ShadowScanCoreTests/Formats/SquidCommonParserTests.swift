import XCTest
@testable import ShadowScanCore

final class SquidCommonParserTests: XCTestCase {
    func testCommonWithResultCodeAndTimezone() throws {
        let line = #"10.1.2.3 - jsmith [02/Nov/2026:08:00:01 +0100] "GET http://www.example.com/a.html HTTP/1.1" 200 5123 TCP_MISS:HIER_DIRECT"#
        let p = try XCTUnwrap(TestSupport.parse(SquidCommonParser(combined: false), line))
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
        let p = try XCTUnwrap(TestSupport.parse(SquidCommonParser(combined: false), line))
        XCTAssertEqual(p.record.action, .denied)
        XCTAssertEqual(p.record.bytesToClient, 0)
        XCTAssertEqual(p.host, "mega.nz")
        XCTAssertEqual(p.user, "")
        XCTAssertEqual(CivilTime.iso8601(millis: p.record.timeMillis), "2026-11-22T04:59:59.000Z")
    }

    func testCombinedCarriesUserAgentWithEscapedQuotes() throws {
        let line = #"10.0.0.7 - bob [02/Nov/2026:07:00:01 +0000] "POST https://content.dropboxapi.com/2/files/upload HTTP/1.1" 200 1024 TCP_MISS:HIER_DIRECT "https://www.dropbox.com/" "Mozilla/5.0 \"quoted\" (X11)""#
        let p = try XCTUnwrap(TestSupport.parse(SquidCommonParser(combined: true), line))
        XCTAssertEqual(p.userAgent, #"Mozilla/5.0 \"quoted\" (X11)"#)
        XCTAssertEqual(p.method, "POST")
        XCTAssertNil(TestSupport.parse(SquidCommonParser(combined: true), #"10.0.0.7 - bob [02/Nov/2026:07:00:01 +0000] "GET http://a.org/ HTTP/1.1" 200 1 TCP_MISS:HIER_DIRECT"#),
                     "combined needs referer and user agent")
    }

    func testMalformed() {
        let parser = SquidCommonParser(combined: false)
        for line in ["10.0.0.1 - - [05/02/2025 11:30:29] \"GET https://a.com/ HTTP/1.1\" 200 1",
                     "10.0.0.1 - - [02/Nov/2026:07:00:01 +0000] \"GET https://a.com/ HTTP/1.1",
                     "10.0.0.1 - - [02/Foo/2026:07:00:01 +0000] \"GET https://a.com/ HTTP/1.1\" 200 1",
                     "10.0.0.1 - -"] {
            XCTAssertNil(TestSupport.parse(parser, line), line)
        }
    }
}
