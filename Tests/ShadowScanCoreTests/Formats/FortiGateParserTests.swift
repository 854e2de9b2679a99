import XCTest
@testable import ShadowScanCore

final class FortiGateParserTests: XCTestCase {
    let parser = FortiGateParser()

    func testWebFilterBlockWithPathAndZone() throws {
        let p = try XCTUnwrap(TestSupport.parse(parser, #"<188>date=2020-04-23 time=12:17:48 devname="testswitch1" devid="somerouterid" logid="0316013056" type="utm" subtype="webfilter" eventtype="ftgd_blk" level="warning" vd="root" tz="-0500" policyid=100602 sessionid=1234 user="elasticuser" group="elasticgroup" srcip=192.168.2.1 srcport=61930 dstip=8.8.8.8 dstport=443 service="HTTPS" hostname="elastic.co" profile="elasticruleset" action="blocked" reqtype="direct" url="/config/" sentbyte=1152 rcvdbyte=1130 direction="outgoing" msg="URL belongs to a denied category in policy" method="domain" cat=76 catdesc="Internet Telephony""#))
        XCTAssertEqual([p.user, p.client, p.host, p.url], ["elasticuser", "192.168.2.1", "elastic.co", "https://elastic.co/config/"])
        XCTAssertEqual(p.record.action, .denied)
        XCTAssertEqual(p.record.bytesFromClient, 1152)
        XCTAssertEqual(p.record.bytesToClient, 1130)
        XCTAssertEqual(CivilTime.iso8601(millis: p.record.timeMillis), "2020-04-23T17:17:48.000Z", "date time tz=-0500")
        XCTAssertFalse(p.record.hostOnly)
    }

    func testEventTimeFullURLAndHostOnly() throws {
        let p = try XCTUnwrap(TestSupport.parse(parser, #"time=10:59:48 devname="FW-001" eventtime=1720429188081127405 tz="+0200" logid="0000000" type="utm" subtype="webfilter" eventtype="ftgd_allow" srcip=192.0.2.1 service="HTTP" hostname="example.com" action="passthrough" url="http://example.com/" sentbyte=270 rcvdbyte=0"#))
        XCTAssertEqual(p.url, "http://example.com/")
        XCTAssertEqual(p.record.action, .allowed)
        XCTAssertEqual(p.record.timeMillis, 1_720_429_188_081, "nanosecond eventtime")
        let sni = try XCTUnwrap(TestSupport.parse(parser, #"date=2020-04-23 time=12:17:45 logid="0317013312" type="utm" subtype="webfilter" srcip=192.168.2.1 service="HTTPS" hostname="www.dropbox.com" action="passthrough" url="/" sentbyte=3545 rcvdbyte=6812"#))
        XCTAssertTrue(sni.record.hostOnly)
        XCTAssertEqual(sni.url, "www.dropbox.com:443")
    }

    func testOtherSubtypesAreSkipped() throws {
        var record = ProxyRecord()
        let dns = Array(#"<189>date=2020-04-23 time=12:17:29 logid="1501054802" type="utm" subtype="dns" eventtype="dns-response" srcip=192.168.2.1 qname="elastic.example.com" action="pass""#.utf8)
        XCTAssertTrue(dns.withUnsafeBytes { parser.parse($0, into: &record) })
        XCTAssertFalse(record.isRequest)
        XCTAssertNil(TestSupport.parse(parser, #"date=2020-04-23 time=12:17:29 hostname="x.org" url="/""#), "no logid/type: not FortiGate")
    }
}
