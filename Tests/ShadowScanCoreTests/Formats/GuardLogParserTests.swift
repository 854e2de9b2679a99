import XCTest
@testable import ShadowScanCore

final class GuardLogParserTests: XCTestCase {
    func testSquidGuardRedirectsAreDenials() throws {
        let p = try XCTUnwrap(TestSupport.parse(SquidGuardParser(), "2021-03-13 19:46:49 [21] Request(default/hacking/-) http://hackpage.com/random-stuff/and-random.html?param_1=value_1 172.17.0.1/172.17.0.1 - GET REDIRECT"))
        XCTAssertEqual([p.client, p.user, p.method, p.host], ["172.17.0.1", "", "GET", "hackpage.com"])
        XCTAssertEqual(p.record.action, .denied)
        let connect = try XCTUnwrap(TestSupport.parse(SquidGuardParser(), "2019-04-05 09:25:30 [26455] Request(default/mobile-phone/-) market.android.com:443 192.168.1.1/pc-user.epgpc.epgpc jdoe CONNECT"))
        XCTAssertEqual([connect.user, connect.host], ["jdoe", "market.android.com"])
        XCTAssertTrue(connect.record.hostOnly)
        XCTAssertEqual(connect.record.action, .denied, "old squidGuard writes no REDIRECT word: every line is a redirect")
        XCTAssertNil(TestSupport.parse(SquidGuardParser(), "2019-04-05 09:25:30 [26455] New setting: dbhome: /var/lib/squidguard/db"))
    }

    func testUfdbGuardBlockAndPass() throws {
        let block = try XCTUnwrap(TestSupport.parse(UfdbGuardParser(), "2019-04-05 09:25:30 [26455] BLOCK jdoe       10.1.1.44  staff  adult  www.example.com:443 CONNECT"))
        XCTAssertEqual([block.user, block.client, block.host], ["jdoe", "10.1.1.44", "www.example.com"])
        XCTAssertEqual(block.record.action, .denied)
        let pass = try XCTUnwrap(TestSupport.parse(UfdbGuardParser(), "2019-04-05 09:25:31 [26455] PASS  -          10.1.1.45  staff  news   http://www.example.org/a GET"))
        XCTAssertEqual([pass.user, pass.client, pass.url], ["", "10.1.1.45", "http://www.example.org/a"])
        XCTAssertEqual(pass.record.action, .allowed)
        var record = ProxyRecord()
        let startup = Array("2019-04-05 09:25:00 [26455] ufdbguardd 1.33.4 started".utf8)
        XCTAssertTrue(startup.withUnsafeBytes { UfdbGuardParser().parse($0, into: &record) })
        XCTAssertFalse(record.isRequest, "daemon messages are skipped, not malformed")
    }
}
