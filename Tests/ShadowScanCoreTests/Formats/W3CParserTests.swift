import XCTest
@testable import ShadowScanCore

final class W3CParserTests: XCTestCase {
    static let blueCoatMain = "#Fields: date time time-taken c-ip sc-status s-action sc-bytes cs-bytes cs-method cs-uri-scheme cs-host cs-uri-port cs-uri-path cs-uri-query cs-username cs-auth-group s-hierarchy s-supplier-name rs(Content-Type) cs(Referer) cs(User-Agent) sc-filter-result cs-categories x-virus-id s-ip"

    func parser(_ header: String) -> W3CParser { W3CParser(header: Array(header.utf8)) }

    func testBlueCoatMainWithHeader() throws {
        let p = try XCTUnwrap(TestSupport.parse(parser(Self.blueCoatMain),
            #"2026-11-02 07:00:01 15 10.1.2.3 200 TCP_NC_MISS 5123 912 POST https www.dropbox.com 443 /2/files/upload ?x=1 jsmith "Staff" DIRECT www.dropbox.com application/json - "Mozilla/5.0 (X11; Linux)" OBSERVED "Personal Storage" - 10.0.0.1"#))
        XCTAssertEqual(p.record.timeMillis, 1_793_602_801_000)
        XCTAssertEqual([p.client, p.user, p.method, p.host, p.url], ["10.1.2.3", "jsmith", "POST", "www.dropbox.com", "https://www.dropbox.com/2/files/upload?x=1"])
        XCTAssertEqual(p.path, "/2/files/upload?x=1")
        XCTAssertEqual(p.record.bytesToClient, 5123)
        XCTAssertEqual(p.record.bytesFromClient, 912, "cs-bytes is the request size")
        XCTAssertEqual(p.userAgent, "Mozilla/5.0 (X11; Linux)")
        XCTAssertEqual(p.record.action, .allowed)
        XCTAssertFalse(p.record.hostOnly)
    }

    func testDeniedTunnelAndChallenge() throws {
        let denied = try XCTUnwrap(TestSupport.parse(parser(Self.blueCoatMain),
            "2026-11-02 07:00:02 1 10.1.2.3 403 TCP_DENIED 3960 120 CONNECT tcp mega.nz 443 / - - - NONE - - - - DENIED \"File Sharing\" - 10.0.0.1"))
        XCTAssertEqual(denied.record.action, .denied)
        XCTAssertTrue(denied.record.hostOnly)
        XCTAssertEqual(denied.url, "mega.nz:443")
        XCTAssertEqual(denied.user, "")
        let challenge = try XCTUnwrap(TestSupport.parse(parser(Self.blueCoatMain),
            "2026-11-02 07:00:02 1 10.1.2.3 407 TCP_DENIED 3960 120 GET http www.example.com 80 / - - - NONE - - - - DENIED - - 10.0.0.1"))
        XCTAssertEqual(challenge.record.action, .challenge)
        XCTAssertEqual(challenge.url, "http://www.example.com/")
        let origin403 = try XCTUnwrap(TestSupport.parse(parser(Self.blueCoatMain),
            "2026-11-02 07:00:02 1 10.1.2.3 403 TCP_MISS 3960 120 GET http www.example.com 8080 /x - - - DIRECT - - - - OBSERVED - - 10.0.0.1"))
        XCTAssertEqual(origin403.record.action, .allowed, "an origin 403 is not a policy denial")
        XCTAssertEqual(origin403.url, "http://www.example.com:8080/x")
    }

    func testHeaderWithUnknownFieldsAndOtherOrder() throws {
        let header = "#Fields: x-custom-one cs-host date x-bluecoat-something time c-ip cs-uri-path \"quoted\" sc-bytes cs-username"
        let p = try XCTUnwrap(TestSupport.parse(parser(header), "abc www.wetransfer.com 2026-11-02 zzz 07:00:03 10.9.9.9 /upload \"a b c\" 77 bob"))
        XCTAssertEqual([p.host, p.client, p.user, p.url], ["www.wetransfer.com", "10.9.9.9", "bob", "http://www.wetransfer.com/upload"])
        XCTAssertEqual(p.record.bytesToClient, 77)
        XCTAssertEqual(p.record.bytesFromClient, -1, "no cs-bytes column: request size unknown")
        XCTAssertNil(TestSupport.parse(parser(header), "abc www.wetransfer.com 2026-11-02 zzz"), "a line cut before the last field read is malformed")
        XCTAssertNil(TestSupport.parse(W3CParser(), "2026-11-02 07:00:01 15 10.1.2.3 200"), "no header yet: malformed")
    }

    func testTabSeparatedTMG() throws {
        let header = "#Fields: c-ip\tcs-username\tc-agent\tsc-authenticated\tdate\ttime\ts-svcname\ts-computername\tcs-referred\tr-host\tr-ip\tr-port\ttime-taken\tcs-bytes\tsc-bytes\tcs-protocol\tcs-transport\ts-operation\tcs-uri\tcs-mime-type\ts-object-source\tsc-status\ts-cache-info\trule\tFilterInfo\tcs-Network\tsc-Network\terror-info\taction"
        let line = "10.0.0.5\tCORP\\anna\tMozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1)\tY\t2026-11-03\t09:15:00\tw3proxy\tTMG01\t-\twww.box.com\t74.112.184.85\t443\t120\t830\t4211\thttp\tTCP\tGET\thttps://www.box.com/files\ttext/html\tInternet\t200\t0x0\tAllow Web\t-\tInternal\tExternal\t0x0\tAllowed"
        let p = try XCTUnwrap(TestSupport.parse(parser(header), line))
        XCTAssertEqual([p.client, p.user, p.method, p.host, p.url], ["10.0.0.5", "CORP\\anna", "GET", "www.box.com", "https://www.box.com/files"])
        XCTAssertEqual(p.userAgent, "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1)")
        XCTAssertEqual(p.record.bytesFromClient, 830)
        XCTAssertEqual(p.record.bytesToClient, 4211)
        let denied = try XCTUnwrap(TestSupport.parse(parser(header), line.replacingOccurrences(of: "\tAllowed", with: "\tDenied")))
        XCTAssertEqual(denied.record.action, .denied)
    }

    func testCiscoWSAW3CFields() throws {
        let header = "#Fields: timestamp x-elapsed-time c-ip x-resultcode-httpstatus sc-bytes cs-method cs-url cs-username x-hierarchy-origin cs-mime-type x-acltag"
        let denied = try XCTUnwrap(TestSupport.parse(parser(header), "1651830000.175 430 192.168.30.103 TCP_DENIED/403 0 CONNECT tunnel://mega.nz:443/ jdoe DIRECT/mega.nz - BLOCK_WEBCAT_12-DefaultGroup"))
        XCTAssertEqual([denied.client, denied.user, denied.host], ["192.168.30.103", "jdoe", "mega.nz"])
        XCTAssertEqual(denied.record.action, .denied)
        XCTAssertTrue(denied.record.hostOnly)
        XCTAssertEqual(denied.record.timeMillis, 1_651_830_000_175)
        let challenge = try XCTUnwrap(TestSupport.parse(parser(header), "1651830000.175 0 10.0.0.1 TCP_DENIED/407 0 GET http://www.example.com/ - NONE/- - OTHER-NONE"))
        XCTAssertEqual(challenge.record.status, 407, "the status from x-resultcode-httpstatus")
        XCTAssertEqual(challenge.record.action, .challenge)
    }

    func testHeaderlessBlueCoatDefaultOrder() throws {
        // Azure Sentinel's ProxySG sample, line 9 (bcreportermain_v1 without a header).
        let line = #"2020-05-02 00:04:19 240311 172.51.121.75 user48 Proxy%20Allow%20Personal%20Storage - OBSERVED "WhiteList Shopping Software Downloads" -  200 TCP_TUNNELED CONNECT - tcp play.google.com 443 / - - "Mozilla/5.0 (Windows NT 6.1  WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/81.0.4044.129 Safari/537.36" 172.88.888.2 2049 2060 - "none" "none" 3128 Ambiguous%20-%20Special%20Use 2"#
        XCTAssertNil(TestSupport.parse(W3CParser(), line))
        let p = try XCTUnwrap(TestSupport.parse(W3CParser(blueCoatDefault: true), line))
        XCTAssertEqual([p.client, p.user, p.method, p.host, p.url], ["172.51.121.75", "user48", "CONNECT", "play.google.com", "play.google.com:443"])
        XCTAssertEqual(p.record.bytesToClient, 2049)
        XCTAssertEqual(p.record.bytesFromClient, 2060)
        XCTAssertTrue(p.record.hostOnly)
        XCTAssertEqual(CivilTime.iso8601(millis: p.record.timeMillis), "2020-05-02T00:04:19.000Z")
    }

    func testDirectivesAndMidFileHeaderChange() throws {
        var parser = W3CParser()
        let lines = ["#Software: SGOS 6.7", "#Version: 1.0", "#Fields: date time c-ip cs-host sc-bytes", "2026-11-02 07:00:00 10.0.0.1 www.dropbox.com 10",
                     "#Fields: date time cs-host c-ip sc-bytes cs-bytes", "2026-11-02 07:00:01 mega.nz 10.0.0.2 20 5"]
        var hosts: [String] = []
        var directives = 0
        for line in lines {
            let bytes = Array(line.utf8)
            bytes.withUnsafeBytes { buffer in
                if parser.directive(buffer) { directives += 1; return }
                var record = ProxyRecord()
                XCTAssertTrue(parser.parse(buffer, into: &record), line)
                let base = record.base(buffer)
                hosts.append(String(decoding: base[record.host.start..<record.host.end], as: UTF8.self))
                XCTAssertEqual(record.bytesFromClient, line.hasSuffix(" 5") ? 5 : -1)
            }
        }
        XCTAssertEqual(directives, 4)
        XCTAssertEqual(hosts, ["www.dropbox.com", "mega.nz"])
    }

    func testTrackerFindsTheLastFieldsLineOfAChunk() {
        let chunk = Array("#Fields: a b\nx y\n#Fields: date time c-ip cs-host\n2026-11-02 07:00:00 1 h\n#Remark: #Fields: not at line start\n".utf8)
        chunk.withUnsafeBytes { buffer in
            let last = ParserContextTracker.lastFieldsLine(buffer)
            XCTAssertEqual(last.map { String(decoding: $0, as: UTF8.self) }, "#Fields: date time c-ip cs-host")
        }
    }
}
