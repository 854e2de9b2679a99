import XCTest
@testable import ShadowScanCore

final class CEFParserTests: XCTestCase {
    let parser = CEFParser()

    func testForcepointPermittedWithEscapedDN() throws {
        let p = try XCTUnwrap(TestSupport.parse(parser, #"0|Forcepoint|Security|8.5.4|222|Transaction permitted|1| act=permitted app=https dvc=9.8.7.6 dst=5.6.7.8 dhost=outlook.office365.com dpt=443 src=1.2.3.4 spt=50345 suser=LDAP://4.3.2.1 OU\=MyOrg,OU\=Users,DC\=Domain,DC\=LOCAL/User 1 loginID=n_nini destinationTranslatedPort=47486 rt=1653555521000 in=1038458 out=3967 requestMethod=POST requestClientApplication=Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.10386; Pro) reason=- cs1Label=Policy cs1=SupAd**1,SupAd**2 request=https://outlook.office365.com/ logRecordSource=OnPrem"#))
        XCTAssertEqual([p.user, p.client, p.method, p.url], ["n_nini", "1.2.3.4", "POST", "https://outlook.office365.com/"])
        XCTAssertEqual(p.record.bytesToClient, 1038458, "in: bytes received in response")
        XCTAssertEqual(p.record.bytesFromClient, 3967, "out: bytes sent as the request")
        XCTAssertEqual(p.record.timeMillis, 1_653_555_521_000)
        XCTAssertEqual(p.userAgent, "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.10386; Pro)")
    }

    func testBlockedFortiGateCEFWithPathRequest() throws {
        let p = try XCTUnwrap(TestSupport.parse(parser, #"CEF:0|Fortinet|Fortigate|v6.0.3|13056|utm:webfilter ftgd_blk blocked|4|deviceExternalId=FGT5HD3915800610 cat=utm:webfilter FTNTFGTeventtime=1545938629 duser=bob src=10.1.100.11 spt=59194 dst=192.0.2.1 dpt=80 app=HTTP dhost=example.com act=blocked request=/bizsquads out=96 in=0 rt=1545938629"#))
        XCTAssertEqual([p.user, p.client, p.url], ["bob", "10.1.100.11", "http://example.com/bizsquads"])
        XCTAssertEqual(p.record.action, .denied)
    }

    func testNoCEFHeaderIsMalformed() {
        XCTAssertNil(TestSupport.parse(parser, "act=blocked dhost=x.org rt=1545938629"))
    }
}
