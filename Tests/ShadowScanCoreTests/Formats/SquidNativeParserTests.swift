import XCTest
@testable import ShadowScanCore

final class SquidNativeParserTests: XCTestCase {
    let parser = SquidNativeParser()

    func testConnectTunnelFromIPv6ClientWithoutUser() throws {
        let p = try XCTUnwrap(TestSupport.parse(parser, "1431966856.793  48016 ::1 TCP_MISS/200 16674 CONNECT 0.docs.google.com:443 - DIRECT/173.194.206.189 -"))
        XCTAssertEqual(p.record.timeMillis, 1_431_966_856_793)
        XCTAssertEqual(p.client, "::1")
        XCTAssertEqual(p.user, "")
        XCTAssertEqual(p.method, "CONNECT")
        XCTAssertEqual(p.host, "0.docs.google.com")
        XCTAssertEqual(p.record.port, 443)
        XCTAssertEqual(p.record.status, 200)
        XCTAssertEqual(p.record.bytesToClient, 16674)
        XCTAssertEqual(p.record.bytesFromClient, -1, "native format has no request size")
        XCTAssertEqual(p.record.action, .allowed)
        XCTAssertTrue(p.record.hostOnly)
    }

    func testDeniedAndChallengeAreToldApart() throws {
        let denied = try XCTUnwrap(TestSupport.parse(parser, "1794038402.517      0 10.1.2.9 TCP_DENIED/403 3960 CONNECT mega.nz:443 a.khan HIER_NONE/- text/html"))
        XCTAssertEqual(denied.record.action, .denied)
        XCTAssertEqual(denied.user, "a.khan")
        let challenge = try XCTUnwrap(TestSupport.parse(parser, "1794038402.517      0 10.1.2.9 TCP_DENIED/407 3960 GET http://mega.nz/ - HIER_NONE/- text/html"))
        XCTAssertEqual(challenge.record.action, .challenge)
        let reply = try XCTUnwrap(TestSupport.parse(parser, "1794038402.517      0 10.1.2.9 TCP_DENIED_REPLY/403 10 GET http://x.org/ - HIER_NONE/- -"))
        XCTAssertEqual(reply.record.action, .denied)
        let origin403 = try XCTUnwrap(TestSupport.parse(parser, "1794038402.517     12 10.1.2.9 TCP_MISS/403 10 GET http://x.org/ - HIER_DIRECT/1.2.3.4 -"))
        XCTAssertEqual(origin403.record.action, .allowed, "an origin server's 403 is not a proxy denial")
    }

    func testURLShapes() throws {
        let full = try XCTUnwrap(TestSupport.parse(parser, "1.5 1 10.0.0.1 TCP_MISS/200 5 GET http://User@WWW.Dropbox.com:8080/a/b?c=d jsmith HIER_DIRECT/1.1.1.1 text/html"))
        XCTAssertEqual(full.host, "WWW.Dropbox.com")
        XCTAssertEqual(full.record.port, 8080)
        XCTAssertEqual(full.path, "/a/b?c=d")
        XCTAssertEqual(full.record.timeMillis, 1500)
        let noScheme = try XCTUnwrap(TestSupport.parse(parser, "1.000 1 10.0.0.1 TCP_MISS/200 5 GET www.example.com/x - HIER_DIRECT/1.1.1.1 -"))
        XCTAssertEqual(noScheme.host, "www.example.com")
        let v6 = try XCTUnwrap(TestSupport.parse(parser, "1.000 1 2001:db8::17 TCP_TUNNEL/200 5 CONNECT [2001:db8::1]:443 - HIER_DIRECT/2001:db8::1 -"))
        XCTAssertEqual(v6.host, "2001:db8::1")
        XCTAssertEqual(v6.record.port, 443)
        XCTAssertEqual(v6.client, "2001:db8::17")
        let trailingDot = try XCTUnwrap(TestSupport.parse(parser, "1.000 1 10.0.0.1 TCP_MISS/200 5 GET https://dropbox.com./ - HIER_DIRECT/1.1.1.1 -"))
        XCTAssertEqual(trailingDot.host, "dropbox.com")
    }

    func testHostlessRequestIsARecordWithoutHost() throws {
        let p = try XCTUnwrap(TestSupport.parse(parser, "1726124258.221      0 10.10.10.10 NONE_NONE/400 3913 GET /favicon.ico - HIER_NONE/- text/html"))
        XCTAssertEqual(p.host, "")
        XCTAssertEqual(p.record.status, 400)
    }

    func testOlderLinesWithoutTrailingFieldsParse() throws {
        let p = try XCTUnwrap(TestSupport.parse(parser, "1000000000.123 5 10.0.0.1 TCP_MISS/200 100 GET http://a.org/"))
        XCTAssertEqual(p.host, "a.org")
        XCTAssertEqual(p.user, "")
    }

    func testMalformedLinesAreRejected() {
        for line in ["", "# comment", "Unmatched! The rat the cat", "1386543323.000 4 1.2.3.4",
                     "abc.def 4 1.2.3.4 TCP_MISS/200 5 GET http://a/ - - -",
                     "1.0 x 1.2.3.4 TCP_MISS/200 5 GET http://a/ - - -",
                     "1.0 4 1.2.3.4 TCP_MISS200 5 GET http://a/ - - -",
                     "1.0 4 1.2.3.4 TCP_MISS/200 -5 GET http://a/ - - -"] {
            XCTAssertNil(TestSupport.parse(parser, line), line)
        }
    }
}
