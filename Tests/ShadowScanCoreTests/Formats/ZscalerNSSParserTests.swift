import XCTest
@testable import ShadowScanCore

final class ZscalerNSSParserTests: XCTestCase {
    func testJSONFeedWithWrapper() throws {
        let line = #"{ "sourcetype" : "zscalernss-web", "event" :{"time":"Fri Dec 31 07:07:07 2021","login":"test@example.com","proto":"HTTPS","eurl":"www.dropbox.com/home?x=1","action":"Allowed","reqsize":"600","respsize":"65","cip":"81.2.69.193","reqmethod":"POST","respcode":"200","ua":"Mozilla\/5.0"}}"#
        let p = try XCTUnwrap(TestSupport.parse(ZscalerNSSJSONParser(), line))
        XCTAssertEqual([p.user, p.client, p.method, p.host, p.url, p.userAgent],
                       ["test@example.com", "81.2.69.193", "POST", "www.dropbox.com", "https://www.dropbox.com/home?x=1", "Mozilla/5.0"])
        XCTAssertEqual(p.record.bytesFromClient, 600)
        XCTAssertEqual(p.record.bytesToClient, 65)
        XCTAssertEqual(CivilTime.iso8601(millis: p.record.timeMillis), "2021-12-31T07:07:07.000Z")
        XCTAssertEqual(p.record.action, .allowed)
        XCTAssertFalse(p.record.hostOnly)
    }

    func testBlockedConnectAndObfuscatedUser() throws {
        let line = #"{"datetime":"2023-08-28 15:43:14","action":"Blocked","protocol":"SSL","requestmethod":"CONNECT","url":"mega.nz:443","hostname":"mega.nz","ologin":"o1f3a9c2","user":"None","ClientIP":"10.1.1.1","requestsize":"608","responsesize":"0","status":"403"}"#
        let p = try XCTUnwrap(TestSupport.parse(ZscalerNSSJSONParser(), line))
        XCTAssertEqual(p.record.action, .denied)
        XCTAssertTrue(p.record.hostOnly)
        XCTAssertEqual([p.user, p.host, p.url], ["o1f3a9c2", "mega.nz", "mega.nz:443"], "obfuscated login kept as an opaque identity")
    }

    func testOtherFeedsAreSkippedAndBrokenJSONIsMalformed() throws {
        var record = ProxyRecord()
        let audit = Array(#"{"sourcetype": "zscalernss-audit","event": {"time": "Mon Aug 28 08:04:30 2023","action": "UPDATE","clientip": "1.2.3.4"}}"#.utf8)
        XCTAssertTrue(audit.withUnsafeBytes { ZscalerNSSJSONParser().parse($0, into: &record) })
        XCTAssertFalse(record.isRequest)
        XCTAssertNil(TestSupport.parse(ZscalerNSSJSONParser(), "{"))
        XCTAssertNil(TestSupport.parse(ZscalerNSSJSONParser(), #"  "sourcetype": "zscalernss-casb","#))
        XCTAssertNil(TestSupport.parse(ZscalerNSSJSONParser(), #"{"time":"Fri Dec 31 07:07:07 2021","login":"a","eurl":"x.com""#), "truncated")
    }

    func testCSVFeedDefaultOrderAndHeader() throws {
        let line = #""Fri Dec 31 07:07:07 2021","jdoe@example.com","HTTPS","www.wetransfer.com/api/v4/transfers","Blocked","WeTransfer","File Sharing","1200","65","0","0","Business Use","Internet","File Sharing","None","None","0","None","None","HQ","Sales","10.2.3.4","1.1.1.1","PUT","403","curl/8","None","UFW","Block","Other","None","jdoe","pc1""#
        let p = try XCTUnwrap(TestSupport.parse(ZscalerNSSCSVParser(), line))
        XCTAssertEqual([p.user, p.client, p.method, p.url], ["jdoe@example.com", "10.2.3.4", "PUT", "https://www.wetransfer.com/api/v4/transfers"])
        XCTAssertEqual(p.record.action, .denied)
        XCTAssertEqual(p.record.bytesFromClient, 1200)
        let tsv = line.replacingOccurrences(of: "\",\"", with: "\t").replacingOccurrences(of: "\"", with: "")
        XCTAssertEqual(TestSupport.parse(ZscalerNSSCSVParser(), tsv)?.url, "https://www.wetransfer.com/api/v4/transfers")

        var parser = ZscalerNSSCSVParser()
        let header = Array("datetime,user,url,action,ClientIP,requestsize,responsesize,requestmethod,protocol".utf8)
        XCTAssertTrue(header.withUnsafeBytes { parser.directive($0) })
        let q = try XCTUnwrap(TestSupport.parse(parser, "2023-08-28 15:43:14,bob,drive.google.com/file/d/1,Allowed,10.0.0.9,300,4000,GET,HTTPS"))
        XCTAssertEqual([q.user, q.client, q.url], ["bob", "10.0.0.9", "https://drive.google.com/file/d/1"])
        XCTAssertEqual(ZscalerNSSCSVParser(header: header).columns, parser.columns, "the reader's context gives a later chunk the same columns")
    }

    func testKeyValueFeeds() throws {
        let caret = "ZSCALERNSS: time=Mon Jun 23 15:16:42 2017^^timezone=CEST^^action=Blocked^^reason=Not allowed^^hostname=www.dropbox.com^^protocol=HTTPS^^url=www.dropbox.com/s/abc^^ClientIP=10.0.0.7^^user=jdoe@corp.example^^requestmethod=GET^^requestsize=420^^status=403^^responsesize=3960"
        let p = try XCTUnwrap(TestSupport.parse(ZscalerNSSKeyValueParser(), caret))
        XCTAssertEqual([p.user, p.client, p.host, p.url], ["jdoe@corp.example", "10.0.0.7", "www.dropbox.com", "https://www.dropbox.com/s/abc"])
        XCTAssertEqual(p.record.action, .denied)
        XCTAssertEqual(p.record.bytesFromClient, 420)
        let leef = "<134>Jun 23 15:16:42 zscaler-nss: LEEF:1.0|Zscaler|NSS|4.1|Allowed|cat=Web Search\tdevTime=Jun 23 2017 15:16:42 UTC\tsrc=10.0.0.8\tusrName=anna@corp.example\tsrcBytes=100\tdstBytes=2000\turl=www.google.com/search?q=x\thostname=www.google.com\tappproto=HTTPS\treqmethod=GET\trespcode=200"
        let q = try XCTUnwrap(TestSupport.parse(ZscalerNSSKeyValueParser(), leef))
        XCTAssertEqual([q.user, q.client, q.url], ["anna@corp.example", "10.0.0.8", "https://www.google.com/search?q=x"])
        XCTAssertEqual(q.record.action, .allowed)
        XCTAssertEqual(q.record.bytesToClient, 2000)
        XCTAssertEqual(CivilTime.iso8601(millis: q.record.timeMillis), "2017-06-23T15:16:42.000Z")
        XCTAssertNil(TestSupport.parse(ZscalerNSSKeyValueParser(), "hello ZSCALERNSS: time=WOOT Jun 23 15:16:42 2017^^action=<action>^^hostname=<hostname>^^url=<url>"), "the RSA template's placeholders are not a record")
    }
}
