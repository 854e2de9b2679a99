import XCTest
@testable import ShadowScanCore

/// For every parser: a file fed whole, in random block sizes and one byte at a time, by one worker or
/// several, gives the same JSON. Header-driven formats carry a header change in the middle of the file,
/// so a chunk must start with the header in effect where it begins (the reader's context).
final class FormatChunkingTests: XCTestCase {
    /// Line templates per format; `{u}` becomes one of a few user names, `{n}` a number.
    static let samples: [(LogFormat, [String])] = [
        (.w3c, [
            "#Software: SGOS 6.7.4.1",
            "#Fields: date time time-taken c-ip sc-status s-action sc-bytes cs-bytes cs-method cs-uri-scheme cs-host cs-uri-port cs-uri-path cs-uri-query cs-username sc-filter-result",
            "2026-11-02 07:00:0{d} 15 10.1.2.{n} 200 TCP_NC_MISS 5123 912 POST https www.dropbox.com 443 /2/files/upload - {u} OBSERVED",
            "2026-11-02 07:00:0{d} 1 10.1.2.{n} 403 TCP_DENIED 3960 120 CONNECT tcp mega.nz 443 / - {u} DENIED",
            "#Fields: date time c-ip cs-username cs-method cs-uri sc-status sc-bytes",
            "2026-11-02 07:01:0{d} 10.1.3.{n} {u} GET https://gist.github.com/{n} 200 77",
            "not a w3c line",
        ]),
        (.bluecoatW3C, [
            #"2020-05-02 00:04:1{d} 240311 172.51.121.{n} {u} - - OBSERVED "WhiteList Shopping" -  200 TCP_TUNNELED CONNECT - tcp www.dropbox.com 443 / - - "Mozilla/5.0 (X11)" 172.88.888.2 2049 2060 - "none" "none""#,
            #"2020-05-02 00:03:5{d} 9 172.888.254.{n} - - TNT_BlockPage DENIED "Web Infrastructure" -  403 TCP_DENIED POST - http statsfe2.update.microsoft.com 80 /Report.asmx - asmx "Windows-Update-Agent" 172.88.888.2 2769 49925 - "Microsoft Update" "Update Software""#,
        ]),
        (.bluecoatKV, [
            #"2024-01-12T09:46:0{d}PROXY01.EXAMPLE.ORG bluecoat - access_log - c-ip=1.2.3.{n} cs-bytes=63 cs-host=www.dropbox.com cs-method=CONNECT cs-uri-port=443 cs-uri-scheme=tcp cs-username={u} sc-bytes=39 sc-filter-result=OBSERVED sc-status=200 c-url="tcp://www.dropbox.com:443/""#,
        ]),
        (.ciscoWSA, [
            "1651830000.17{d} 430 192.168.30.{n} TCP_DENIED/403 0 TCP_CONNECT tunnel://mega.nz:443/ {u} DIRECT/1.2.3.4 - DROP_WBRS-DefaultGroup-test.id-NONE <IW_csec,-9.1.0,-,-> -",
            #"Info: 1737539565.56{d} 481 1.2.3.{n} TCP_CLIENT_REFRESH_MISS/200 6916 GET https://www.dropbox.com/home {u} DIRECT/x - CMF:44 DCF:200020 ERR:15 PASSTHRU_CUSTOMCAT_7-DefaultGroup <"C_MS_0",-> -"#,
        ]),
        (.zscalerJSON, [
            #"{"sourcetype":"zscalernss-web","event":{"time":"Fri Dec 31 07:07:0{d} 2021","login":"{u}@example.com","proto":"HTTPS","eurl":"www.dropbox.com/home","action":"Allowed","reqsize":"6{n}","respsize":"65","cip":"81.2.69.{n}","reqmethod":"GET","respcode":"200"}}"#,
            #"{"sourcetype":"zscalernss-audit","event":{"time":"Mon Aug 28 08:04:30 2023","action":"UPDATE"}}"#,
            "{",
        ]),
        (.zscalerCSV, [
            "datetime,user,url,action,ClientIP,requestsize,responsesize,requestmethod,protocol",
            "2023-08-28 15:43:1{d},{u},www.dropbox.com/file/d/{n},Allowed,10.0.0.{n},300,4000,GET,HTTPS",
            "2023-08-28 15:43:1{d},{u},mega.nz:443,Blocked,10.0.0.{n},300,4000,CONNECT,SSL",
        ]),
        (.zscalerKV, [
            "ZSCALERNSS: time=Mon Jun 23 15:16:4{d} 2017^^action=Blocked^^hostname=www.dropbox.com^^protocol=HTTPS^^url=www.dropbox.com/s/{n}^^ClientIP=10.0.0.{n}^^user={u}^^requestmethod=GET^^requestsize=420^^status=403^^responsesize=3960",
        ]),
        (.fortigate, [
            #"date=2020-04-23 time=12:17:4{d} logid="0316013056" type="utm" subtype="webfilter" tz="-0500" user="{u}" srcip=192.168.2.{n} service="HTTPS" hostname="www.dropbox.com" action="blocked" url="/home" sentbyte=1152 rcvdbyte=1130"#,
            #"date=2020-04-23 time=12:17:2{d} logid="1501054802" type="utm" subtype="dns" srcip=192.168.2.1 qname="x.example.com""#,
        ]),
        (.skyhigh, [
            #"date="2022-03-11T10:39:1{d}.390Z" username="{u}" source_ip=1.2.3.{n} destination_host="www.dropbox.com" http_status_code=200 source_bytes=131 destination_bytes=10 http_request_first_line="POST https://www.dropbox.com/2/files/upload HTTP/1.1" block_id=0"#,
        ]),
        (.forcepointCSV, [
            #""Date","Time","User","Action","URL","Source IP","Bytes Sent","Bytes Received","HTTP Request Method""#,
            #""03/11/2026","08:00:0{d}","CORP\{u}","Permitted","https://www.dropbox.com/home","10.0.0.{n}","812","40213","Post""#,
        ]),
        (.cef, [
            "CEF:0|Forcepoint|Security|8.5.4|222|Transaction permitted|1| act=permitted app=https dhost=www.dropbox.com src=1.2.3.{n} loginID={u} rt=165355552{d}000 in=1038 out=3967 requestMethod=POST request=https://www.dropbox.com/home",
        ]),
        (.paloAlto, [
            #"Nov 30 16:44:36 PA-220 1,2018/11/30 16:44:3{d},0128,THREAT,url,2049,2018/11/30 16:44:3{d},192.168.15.{n},175.16.199.1,192.168.1.63,175.16.199.1,rule,corp\{u},,web-browsing,vsys1,trust,untrust,e1,e2,send,2018/11/30 16:44:36,28191,1,52984,443,37679,443,0x403000,tcp,block-url,"www.dropbox.com/s/{n}",(9999),online-storage,informational"#,
        ]),
        (.squidGuard, ["2021-03-13 19:46:4{d} [21] Request(default/hacking/-) http://www.dropbox.com/{n} 172.17.0.{n}/172.17.0.1 {u} GET REDIRECT"]),
        (.ufdbGuard, ["2019-04-05 09:25:3{d} [26455] BLOCK {u} 10.1.1.{n} staff adult www.dropbox.com:443 CONNECT"]),
        (.json, [#"{"@timestamp":"2026-11-02T07:00:0{d}.123Z","source":{"ip":"10.1.2.{n}"},"user":{"name":"{u}"},"url":{"original":"https://www.dropbox.com/{n}","domain":"www.dropbox.com"}}"#]),
    ]

    static func text(_ templates: [String], lines: Int) -> String {
        let users = ["jsmith", "a.khan", "bob", "carol", "-"]
        var out = ""
        for i in 0..<lines {
            // Header lines appear once, in the order given, spread through the file.
            let template = templates[i % templates.count]
            out += template.replacingOccurrences(of: "{u}", with: users[i % users.count])
                .replacingOccurrences(of: "{n}", with: String(i % 97)).replacingOccurrences(of: "{d}", with: String(i % 10)) + "\n"
        }
        return out
    }

    func analyse(_ text: String, format: LogFormat, workers: Int, block: Int) throws -> String {
        let dir = TestSupport.temporaryDirectory()
        let file = dir.appendingPathComponent("gateway.log")
        try text.write(to: file, atomically: true, encoding: .utf8)
        let catalog = try TestSupport.catalog(TestSupport.smallCatalogue)
        let result = Analyzer(catalog: catalog, options: AnalysisOptions(workers: workers, blockSize: block, format: format)).run(paths: [file.path])
        return JSONReport.document(result).serialized().replacingOccurrences(of: dir.path, with: "DIR")
    }

    func testEveryParserGivesTheSameJSONForAnyChunking() throws {
        var rng = SystemRandomNumberGenerator()
        for (format, templates) in Self.samples {
            let text = Self.text(templates, lines: 120)
            let reference = try analyse(text, format: format, workers: 1, block: 4 << 20)
            let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(reference.utf8)) as? [String: Any])
            let totals = try XCTUnwrap(doc["totals"] as? [String: Any])
            XCTAssertGreaterThan(totals["matched"] as? Int ?? 0, 0, "\(format.rawValue): the sample must reach a catalogue service")
            let blocks = [1, 7, 64, Int.random(in: 100...3000, using: &rng), Int.random(in: 3000...20000, using: &rng)]
            for block in blocks {
                let json = try analyse(text, format: format, workers: block == 1 ? 2 : 3, block: block)
                XCTAssertEqual(json, reference, "\(format.rawValue), block \(block)")
            }
        }
    }

    func testW3CHeaderChangeMidFileIsFollowedAcrossChunks() throws {
        let text = """
            #Fields: date time c-ip cs-host sc-bytes
            2026-11-02 07:00:00 10.0.0.1 www.dropbox.com 10
            2026-11-02 07:00:01 10.0.0.1 www.dropbox.com 10
            #Fields: date time cs-host c-ip sc-bytes cs-bytes
            2026-11-02 07:00:02 gist.github.com 10.0.0.2 20 5
            2026-11-02 07:00:03 gist.github.com 10.0.0.2 20 5

            """
        for block in [1, 5, 40, 1000] {
            let catalog = try TestSupport.catalog(TestSupport.smallCatalogue)
            let dir = TestSupport.temporaryDirectory()
            let file = dir.appendingPathComponent("w3c.log")
            try text.write(to: file, atomically: true, encoding: .utf8)
            let result = Analyzer(catalog: catalog, options: AnalysisOptions(workers: 2, blockSize: block)).run(paths: [file.path])
            XCTAssertEqual(result.inputs.first?.format, .w3c)
            XCTAssertEqual(result.totals.records, 4, "block \(block)")
            XCTAssertEqual(result.totals.skipped, 2, "block \(block): the two #Fields lines")
            XCTAssertEqual(result.totals.malformed, 0, "block \(block)")
            let services = Dictionary(uniqueKeysWithValues: result.services.map { ($0.id, $0) })
            XCTAssertEqual(services["dropbox"]?.requests, 2, "block \(block)")
            XCTAssertNil(services["dropbox"]?.bytesOut, "block \(block): the first header has no cs-bytes")
            XCTAssertEqual(services["github-gist"]?.bytesOut, 10, "block \(block)")
            XCTAssertEqual(services["github-gist"]?.users, 1, "block \(block): c-ip read from the second header's column")
        }
    }
}
