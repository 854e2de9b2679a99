import XCTest
@testable import ShadowScanCore

final class CiscoWSAParserTests: XCTestCase {
    let parser = CiscoWSAParser()

    func testAccessLineWithACLTagAndVerdict() throws {
        let p = try XCTUnwrap(TestSupport.parse(parser, #"1340875127.391 108 172.17.21.78 TCP_MISS_SSL/200 2545 GET https://www.survey-xact.dk:443/smartdesigner.jpg?surveyid=255703 jdoe DIRECT/my.site.tk text/xml DEFAULT_CASE_11-DSBaccess-DSBHK-NONE-NONE-NONE-NONE <IW_busi,0.0,"0","-",0,0,0,"1","-",-,-,-,"-","1",-,"-","-",-,-,IW_busi,-,"Unknown","-","Unknown","Unknown","-","-",188.52,0,-,"-","-"> -"#))
        XCTAssertEqual([p.client, p.user, p.method, p.host], ["172.17.21.78", "jdoe", "GET", "www.survey-xact.dk"])
        XCTAssertEqual(p.record.bytesToClient, 2545)
        XCTAssertEqual(p.record.action, .allowed)
        XCTAssertEqual(p.record.timeMillis, 1_340_875_127_391)
    }

    func testBlockAndDropTagsAndChallenges() throws {
        let drop = try XCTUnwrap(TestSupport.parse(parser, "1651830000.175 430 192.168.30.103 TCP_DENIED/403 0 TCP_CONNECT tunnel://192.168.34.32:443/ - DIRECT/192.168.34.32 - DROP_WBRS-DefaultGroup-test.id-NONE-NONE-DefaultRouting <IW_csec,-9.1.0,-,-,-,-,-,-,-,-,-,-,-,-,-> -"))
        XCTAssertEqual(drop.record.action, .denied)
        XCTAssertTrue(drop.record.hostOnly)
        XCTAssertEqual(drop.host, "192.168.34.32")
        let block = try XCTUnwrap(TestSupport.parse(parser, "1651830000.175 430 10.0.0.1 TCP_MISS/200 0 GET http://mega.nz/ - DIRECT/mega.nz - BLOCK_WEBCAT_12-Default-x-NONE <IW_fs,-> -"))
        XCTAssertEqual(block.record.action, .denied, "a BLOCK_ decision is a denial whatever the status")
        let challenge = try XCTUnwrap(TestSupport.parse(parser, #"Info: 1737541300.359 0 1.2.3.4 TCP_DENIED/407 0 CONNECT tunnel://www.domain.com:443/ - NONE/- - CMF:40 DCF:20 ERR:0 OTHER-NONE-UtilisateursAD-NONE-NONE-NONE-NONE-NONE <"-",-,-,"-",-> - 0 - -"#))
        XCTAssertEqual(challenge.record.action, .challenge)
        XCTAssertEqual(challenge.host, "www.domain.com")
    }

    func testPlainSquidIsNotWSA() {
        XCTAssertNil(TestSupport.parse(parser, "1431966856.793  48016 ::1 TCP_MISS/200 16674 CONNECT 0.docs.google.com:443 - DIRECT/173.194.206.189 -"))
        XCTAssertNil(TestSupport.parse(parser, "Warning: 1.0 1 ::1 TCP_MISS/200 1 GET http://x/ - DIRECT/x - TAG <a> -"))
    }
}
