import XCTest
@testable import ShadowScanCore

final class SkyhighWebGatewayParserTests: XCTestCase {
    let parser = SkyhighWebGatewayParser()

    func testOnPremisesBlockedAndChallenge() throws {
        let blocked = try XCTUnwrap(TestSupport.parse(parser, #"date="2022-03-11T10:39:16.390Z" hostname="mwgproxy" username="" source_ip=1.2.3.4 destination_ip=2.2.2.41 destination_host="www.forbiddensite.com" http_status_code=403 media_type="" source_bytes=131 destination_bytes=0 http_request_first_line="GET http://www.forbiddensite.com/ HTTP/1.1" url_categories="Pornography" block_id=10 block_reason="Blocked by URL filtering" user_agent="curl/7.77.0""#))
        XCTAssertEqual([blocked.user, blocked.client, blocked.method, blocked.url], ["", "1.2.3.4", "GET", "http://www.forbiddensite.com/"])
        XCTAssertEqual(blocked.record.action, .denied)
        XCTAssertEqual(blocked.record.bytesFromClient, 131)
        XCTAssertEqual(blocked.record.timeMillis, 1_646_995_156_390)
        let challenge = try XCTUnwrap(TestSupport.parse(parser, #"date="2022-03-17T13:14:39.134Z" username="" source_ip=1.2.3.4 destination_host="slscr.update.microsoft.com" http_status_code=407 source_bytes=173 destination_bytes=0 http_request_first_line="CONNECT slscr.update.microsoft.com:443 HTTP/1.1" block_id=81 block_reason="Authentication Required""#))
        XCTAssertEqual(challenge.record.action, .challenge)
        XCTAssertTrue(challenge.record.hostOnly)
        XCTAssertEqual(challenge.host, "slscr.update.microsoft.com")
    }

    func testCloudExportWithUnquotedValues() throws {
        let p = try XCTUnwrap(TestSupport.parse(parser, "user_id=-1 username=user source_ip=1.2.3.4 http_action=PUT server_to_client_bytes=7976 client_to_server_bytes=860 requested_host=wetransfer.com requested_path=/api/v4/transfers/azerty123/finalize result=OBSERVED virus= request_timestamp_epoch=1699464228 request_timestamp=2023-11-08 17:23:48 uri_scheme=https category=Personal Network Storage media_type=text/plain last_rule=Block URLs Whose Category Is in Category Blocklist http_status_code=200 client_ip=4.3.2.1 user_agent_comment=Mozilla/5.0 (Windows NT 10.0; Win64; x64) destination_port=443"))
        XCTAssertEqual([p.user, p.client, p.method, p.url], ["user", "4.3.2.1", "PUT", "https://wetransfer.com/api/v4/transfers/azerty123/finalize"])
        XCTAssertEqual(p.record.bytesFromClient, 860)
        XCTAssertEqual(p.record.bytesToClient, 7976)
        XCTAssertEqual(p.userAgent, "Mozilla/5.0 (Windows NT 10.0; Win64; x64)")
        XCTAssertEqual(p.record.action, .allowed)
        let denied = try XCTUnwrap(TestSupport.parse(parser, "id=-1 username=autorite nt\\\\service rÉseau source_ip=1.1.1.1 http_action=GET server_to_client_bytes=3160 client_to_server_bytes=1137 requested_host=ctldl.windowsupdate.com requested_path=/a.cab result=DENIED request_timestamp_epoch=1661266553 uri_scheme=http http_status_code=403"))
        XCTAssertEqual(denied.user, "autorite nt\\\\service rÉseau", "an unquoted value with spaces runs to the next key")
        XCTAssertEqual(denied.record.action, .denied)
    }
}
