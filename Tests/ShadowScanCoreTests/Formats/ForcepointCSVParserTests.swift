import XCTest
@testable import ShadowScanCore

final class ForcepointCSVParserTests: XCTestCase {
    func testDefaultColumns() throws {
        let p = try XCTUnwrap(TestSupport.parse(ForcepointCSVParser(), #""16/12/2022","07:05:49","dom.sc044@12345-54321-nosuchdomain.autoregistration.proxy","u123456","Search Engines and Portals,Trusted Executables Sites","Allowed","Business Usage,None","Org Internal Workstations","HTTPS://chat-dl.google.com/u/0/webchannel/events","203.0.113.3","192.0.2.138","10.0.0.111","None","None","Mozilla/5.0 (Windows NT 10.0; WOW64)","200","Get""#))
        XCTAssertEqual([p.user, p.client, p.method, p.host, p.url],
                       ["dom.sc044@12345-54321-nosuchdomain.autoregistration.proxy", "10.0.0.111", "GET", "chat-dl.google.com", "https://chat-dl.google.com/u/0/webchannel/events"])
        XCTAssertEqual(CivilTime.iso8601(millis: p.record.timeMillis), "2022-12-16T07:05:49.000Z")
        XCTAssertEqual(p.record.status, 200)
        XCTAssertEqual(p.record.bytesFromClient, -1)
        let connect = try XCTUnwrap(TestSupport.parse(ForcepointCSVParser(), #""16/12/2022","07:05:25","anonymous","Not available","Reference Materials","Blocked","Business Usage,None","Org Internal Server Policy","aom-au.nearmap.com:443/","1.128.0.96","175.16.199.68","Not available","None","None","Java/11.0.6","200","Connect""#))
        XCTAssertEqual([connect.user, connect.client, connect.host, connect.url], ["", "1.128.0.96", "aom-au.nearmap.com", "aom-au.nearmap.com:443"])
        XCTAssertTrue(connect.record.hostOnly)
        XCTAssertEqual(connect.record.action, .denied)
        XCTAssertNil(TestSupport.parse(ForcepointCSVParser(), #""16/12/2022","07:05:25","anonymous""#), "a cut row is malformed")
    }

    func testHeaderRowDecidesColumnsAndAddsBytes() throws {
        var parser = ForcepointCSVParser()
        let header = Array(#""Date","Time","User","Action","URL - Full","Source IP","Bytes Sent","Bytes Received","HTTP Request Method""#.utf8)
        XCTAssertTrue(header.withUnsafeBytes { parser.directive($0) })
        let p = try XCTUnwrap(TestSupport.parse(parser, #""03/11/2026","08:00:00","CORP\anna","Permitted","https://www.dropbox.com/home","10.0.0.4","812","40213","Post""#))
        XCTAssertEqual([p.user, p.client, p.method, p.url], ["CORP\\anna", "10.0.0.4", "POST", "https://www.dropbox.com/home"])
        XCTAssertEqual(p.record.bytesFromClient, 812)
        XCTAssertEqual(p.record.bytesToClient, 40213)
        let data = Array(#""03/11/2026","08:00:00""#.utf8)
        XCTAssertFalse(data.withUnsafeBytes { parser.directive($0) }, "a data row is no header")
    }
}
