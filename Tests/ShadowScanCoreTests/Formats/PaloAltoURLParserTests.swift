import XCTest
@testable import ShadowScanCore

final class PaloAltoURLParserTests: XCTestCase {
    let parser = PaloAltoURLParser()

    func testSyslogCSVBlockURL() throws {
        let p = try XCTUnwrap(TestSupport.parse(parser, #"Nov 30 16:44:36 PA-220 1,2018/11/30 16:44:36,012801096514,THREAT,url,2049,2018/11/30 16:44:36,192.168.15.224,175.16.199.1,192.168.1.63,175.16.199.1,new_outbound_from_trust,corp\jdoe,,web-browsing,vsys1,trust,untrust,ethernet1/2,ethernet1/1,send_to_mac,2018/11/30 16:44:36,28191,1,52984,443,37679,443,0x403000,tcp,block-url,"www.dropbox.com/s/abc",(9999),online-storage,informational,client-to-server,7726,0x2000000000000000,192.168.0.0-192.168.255.255,United States,0,,0,,,0,,,,,,,,0,0,0,0,0,,PA-220,,,,,0,,0,,N/A,unknown,AppThreat-0-0,0x0,0,4294967295,"#))
        XCTAssertEqual([p.user, p.client, p.host, p.url], ["corp\\jdoe", "192.168.15.224", "www.dropbox.com", "http://www.dropbox.com/s/abc"])
        XCTAssertEqual(p.record.action, .denied)
        XCTAssertEqual(CivilTime.iso8601(millis: p.record.timeMillis), "2018-11-30T16:44:36.000Z")
        XCTAssertEqual(p.record.bytesFromClient, -1)
    }

    func testUndecryptedSSLIsHostOnlyAndAlertIsAllowed() throws {
        let p = try XCTUnwrap(TestSupport.parse(parser, "1,2024/01/12 11:21:15,016201000000,THREAT,url,2562,2024/01/12 11:21:15,1.2.3.4,5.6.7.8,9.10.11.12,0.0.0.0,SAAS vers log,,,ssl,vsys1,Outside,test-Externe,a11.30,a11.25,Panorama,2024/01/12 11:21:15,200000,1,58444,2222,58444,2222,0x50b444,tcp,alert,\"test.fr:9999/\",(9999),test,informational"))
        XCTAssertTrue(p.record.hostOnly)
        XCTAssertEqual([p.host, p.url], ["test.fr", "test.fr:443"])
        XCTAssertEqual(p.record.action, .allowed)
    }

    func testCortexJSONAndOtherLogTypes() throws {
        let p = try XCTUnwrap(TestSupport.parse(parser, #"{"TimeGenerated": "2024-06-25T21:30:00.000000Z", "LogType": "THREAT", "Subtype": "url", "SourceAddress": "1.2.3.4", "SourceUser": "jdoe@example.org", "Application": "web-browsing", "Action": "alert", "URL": "www.example.com/connecttest.txt", "HTTPMethod": "get", "UserAgent": "Microsoft NCSI"}"#))
        XCTAssertEqual([p.user, p.method, p.url, p.userAgent], ["jdoe@example.org", "GET", "http://www.example.com/connecttest.txt", "Microsoft NCSI"])
        var record = ProxyRecord()
        let traffic = Array("1,2024/01/12 11:21:15,0162,TRAFFIC,end,2562,2024/01/12 11:21:15,1.2.3.4,5.6.7.8".utf8)
        XCTAssertTrue(traffic.withUnsafeBytes { parser.parse($0, into: &record) })
        XCTAssertFalse(record.isRequest)
    }
}
