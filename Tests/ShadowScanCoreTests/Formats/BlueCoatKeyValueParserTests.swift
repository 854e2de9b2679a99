import XCTest
@testable import ShadowScanCore

final class BlueCoatKeyValueParserTests: XCTestCase {
    func testEdgeSWGForward() throws {
        let p = try XCTUnwrap(TestSupport.parse(BlueCoatKeyValueParser(), #"2024-01-12T09:46:02PROXY01.EXAMPLE.ORG bluecoat - access_log - c-ip=1.2.3.4 rs-Content-Type="-"  cs-auth-groups=- cs-bytes=63 cs-categories="none" cs-host=example.org cs-ip=3.4.5.6 cs-method=CONNECT cs-uri-port=443 cs-uri-scheme=tcp cs-user-agent="-" cs-username=- s-action=TCP_ACCELERATED sc-bytes=39 sc-filter-result=OBSERVED sc-status=200 time-taken=17 c-url="tcp://example.org:443/""#))
        XCTAssertEqual([p.client, p.user, p.host, p.url], ["1.2.3.4", "", "example.org", "example.org:443"])
        XCTAssertEqual(p.record.bytesFromClient, 63)
        XCTAssertEqual(p.record.bytesToClient, 39)
        XCTAssertTrue(p.record.hostOnly)
        XCTAssertEqual(CivilTime.iso8601(millis: p.record.timeMillis), "2024-01-12T09:46:02.000Z")
        let denied = try XCTUnwrap(TestSupport.parse(BlueCoatKeyValueParser(), #"2025-07-11T12:45:10TEST-test.test.org bluecoat - splunk_format - c-ip=2.3.4.5 cs-bytes=0 cs-host=test-test.info cs-method=unknown cs-uri-port=443 cs-uri-scheme="ssl" cs-username=testUser sc-bytes=0 sc-filter-result=DENIED sc-status=0 c-url="ssl://test-test.info:443/""#))
        XCTAssertEqual(denied.record.action, .denied)
        XCTAssertEqual(denied.user, "testUser")
    }
}
