import XCTest
@testable import ShadowScanCore

/// Conformance against the real web-gateway logs in ../shared/corpus (see its PROVENANCE.md). Expected
/// values were written by hand from reading the lines. Skips, saying so, when the corpus is absent.
final class GatewayCorpusTests: XCTestCase {
    override func setUpWithError() throws {
        guard FileManager.default.fileExists(atPath: TestSupport.corpus.path) else {
            throw XCTSkip("corpus not found at \(TestSupport.corpus.path): corpus tests skipped")
        }
    }

    func line(_ relativePath: String, _ number: Int) throws -> String {
        let url = TestSupport.corpus.appendingPathComponent(relativePath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("corpus file \(relativePath) not found under \(TestSupport.corpus.path): corpus tests skipped")
        }
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        return String(lines[number - 1])
    }

    func parse(_ format: LogFormat, _ path: String, _ number: Int) throws -> ParsedLine {
        try XCTUnwrap(TestSupport.parse(format.parser, try line(path, number)), "\(path):\(number) does not parse as \(format.rawValue)")
    }

    func testBlueCoatProxySGHeaderless() throws {
        let file = "bluecoat-proxysg/azure-sentinel-SymantecProxySG-SyslogMessage.EXTRACTED.log"
        var p = try parse(.bluecoatW3C, file, 6)
        XCTAssertEqual([p.client, p.user, p.method, p.host, p.url], ["172.48.21.85", "user76", "CONNECT", "px.moatads.com", "px.moatads.com:443"])
        XCTAssertEqual([p.record.bytesToClient, p.record.bytesFromClient], [939, 3247])
        XCTAssertEqual(p.record.action, .allowed)
        XCTAssertTrue(p.record.hostOnly)
        p = try parse(.bluecoatW3C, file, 15)
        XCTAssertEqual([p.client, p.user, p.method, p.host], ["172.888.254.77", "", "POST", "statsfe2.update.microsoft.com"])
        XCTAssertEqual(p.record.action, .denied, "sc-filter-result DENIED, TCP_DENIED/403")
        XCTAssertEqual([p.record.bytesToClient, p.record.bytesFromClient], [2769, 49925])
        p = try parse(.bluecoatW3C, file, 4)
        XCTAssertEqual(p.url, "http://download.windowsupdate.com/d/msdownload/update/software/defu/2020/05/am_delta_patch_1.313.2734.0_e38ac8744b0322bae706aa231908f7ca92197b7e.exe")
        XCTAssertEqual(p.record.status, 206)
        XCTAssertEqual(p.userAgent, "Microsoft BITS/7.5")
        p = try parse(.bluecoatW3C, file, 17)
        XCTAssertEqual([p.user, p.host], ["user5", "mi.1800flowers.com"])
        XCTAssertTrue(p.url.hasPrefix("http://mi.1800flowers.com/p/rp/165763ded243c356.png?mi_u=45210625&"), p.url)
        p = try parse(.bluecoatW3C, file, 7)
        XCTAssertEqual(p.url, "http://http-proxy.abcd.com:31415/accelerated_pac_base.pac", "status 0, no s-action, a non-default port")
        XCTAssertEqual(CivilTime.iso8601(millis: p.record.timeMillis), "2020-05-02T02:16:08.000Z")
    }

    func testBlueCoatEdgeKeyValue() throws {
        let file = "bluecoat-proxysg/sekoia-intake-formats-broadcom-edge-swg/ALL-input-messages.EXTRACTED.log"
        var p = try parse(.bluecoatKV, file, 1)
        XCTAssertEqual([p.client, p.user, p.host], ["2.3.4.5", "testUser", "test-test.info"])
        XCTAssertEqual(p.record.action, .denied)
        XCTAssertEqual([p.record.bytesToClient, p.record.bytesFromClient], [0, 0])
        p = try parse(.bluecoatKV, file, 2)
        XCTAssertEqual([p.client, p.user, p.method, p.url], ["1.2.3.4", "", "CONNECT", "example.org:443"])
        XCTAssertEqual([p.record.bytesToClient, p.record.bytesFromClient], [39, 63])
        XCTAssertEqual(p.record.action, .allowed)
    }

    func testCiscoWSA() throws {
        let sentinel = "cisco-wsa/azure-sentinel-CiscoWSA-SyslogMessage-squidstyle.EXTRACTED.log"
        var p = try parse(.ciscoWSA, sentinel, 3)
        XCTAssertEqual([p.client, p.user, p.host], ["172.18.32.70", "", "my.site.com"])
        XCTAssertEqual(p.record.bytesToClient, 71217)
        XCTAssertEqual(p.record.action, .allowed)
        p = try parse(.ciscoWSA, sentinel, 9)
        XCTAssertEqual(p.record.action, .denied, "TCP_DENIED/403 with DROP_WBRS")
        XCTAssertTrue(p.record.hostOnly)
        XCTAssertEqual(p.host, "192.168.34.32")
        p = try parse(.ciscoWSA, sentinel, 10)
        XCTAssertEqual([p.method, p.host], ["CONNECT", "www.example.com"])
        XCTAssertEqual(p.record.bytesToClient, 40)
        XCTAssertEqual(p.record.action, .allowed)
        let sekoia = "cisco-wsa/sekoia-intake-formats-cisco-wsa/ALL-input-messages.EXTRACTED.log"
        p = try parse(.ciscoWSA, sekoia, 3)
        XCTAssertEqual(p.record.action, .challenge, "TCP_DENIED/407")
        XCTAssertEqual(p.host, "www.domain.com")
        p = try parse(.ciscoWSA, sekoia, 2)
        XCTAssertEqual([p.client, p.host], ["1.2.3.4", "teams.events.data.microsoft.com"])
        XCTAssertEqual(p.record.bytesToClient, 6916)
    }

    func testZscalerNSS() throws {
        let web = "zscaler-nss/elastic-integrations-zscaler_zia-test-web.log"
        var p = try parse(.zscalerJSON, web, 1)
        XCTAssertEqual([p.user, p.client, p.method, p.host, p.url], ["test@example.com", "81.2.69.193", "CONNECT", "www.example.com", "www.example.com:443"])
        XCTAssertEqual(p.record.action, .denied)
        XCTAssertEqual([p.record.bytesFromClient, p.record.bytesToClient], [600, 65])
        p = try parse(.zscalerJSON, web, 2)
        XCTAssertEqual([p.method, p.url], ["POST", "https://www.example.com.com/join/"])
        XCTAssertEqual([p.record.bytesFromClient, p.record.bytesToClient], [218, 14230])
        p = try parse(.zscalerJSON, web, 6)
        XCTAssertEqual(p.record.action, .allowed)
        XCTAssertEqual(p.url, "www.example.com:443")
        XCTAssertTrue(p.record.hostOnly)
        p = try parse(.zscalerJSON, "zscaler-nss/elastic-integrations-zscaler_zia-test-web-http-endpoint.EXCERPT.log", 1)
        XCTAssertEqual([p.user, p.client, p.host], ["jdoe@safemarch.com", "81.2.69.142", "mail.google.com"])
        XCTAssertEqual([p.record.bytesFromClient, p.record.bytesToClient], [1300, 10500])
        XCTAssertTrue(p.record.hostOnly, "only the host is logged in clear (b64url)")
        p = try parse(.zscalerJSON, "zscaler-nss/sekoia-intake-formats-zscaler-zia/ALL-input-messages.EXTRACTED.log", 7)
        XCTAssertEqual([p.user, p.client, p.host], ["john.doe@example.org", "1.2.3.4", "a.et.nytimes.com"])
        XCTAssertTrue(p.record.hostOnly, "protocol SSL, method NA")
        XCTAssertEqual(CivilTime.iso8601(millis: p.record.timeMillis), "2023-08-28T15:43:14.000Z")
    }

    func testForcepoint() throws {
        let csv = "forcepoint-web/elastic-integrations-forcepoint_web-full-sample.EXCERPT.log"
        var p = try parse(.forcepointCSV, csv, 3)
        XCTAssertEqual([p.user, p.client, p.method, p.host], ["dom.ag015@12345-54321-nosuchdomain.autoregistration.proxy", "10.0.0.8", "GET", "ss-prod-an1-notif-37.aws.adobess.com"])
        XCTAssertEqual(p.record.action, .allowed)
        XCTAssertEqual(p.record.bytesFromClient, -1, "this export has no byte columns")
        let cef = "forcepoint-web/sekoia-intake-formats-forcepoint-swg/ALL-input-messages.EXTRACTED.log"
        p = try parse(.cef, cef, 1)
        XCTAssertEqual([p.user, p.client, p.host], ["", "1.2.3.4", "ctldl.windowsupdate.com"])
        XCTAssertEqual(p.record.action, .denied)
        p = try parse(.cef, cef, 5)
        XCTAssertEqual([p.user, p.host], ["n_nini", "outlook.office365.com"])
        XCTAssertEqual([p.record.bytesToClient, p.record.bytesFromClient], [1_038_458, 3967])
        XCTAssertEqual(p.record.action, .allowed)
    }

    func testFortiGate() throws {
        let beats = "fortigate-webfilter/elastic-beats-fortinet-firewall-test-utm.log"
        var p = try parse(.fortigate, beats, 1)
        XCTAssertEqual([p.user, p.client, p.host], ["elasticuser", "192.168.2.1", "elastic.co"])
        XCTAssertEqual(p.record.action, .denied)
        XCTAssertEqual([p.record.bytesFromClient, p.record.bytesToClient], [1152, 1130])
        p = try parse(.fortigate, beats, 13)
        XCTAssertEqual([p.user, p.client, p.url], ["", "10.1.100.11", "http://morrishittu.ddns.net/"])
        XCTAssertEqual(p.record.action, .denied)
        XCTAssertEqual([p.record.bytesFromClient, p.record.bytesToClient], [84, 0])
        p = try parse(.fortigate, "fortigate-webfilter/sekoia-intake-formats-fortigate-webfilter/ALL-input-messages.EXTRACTED.log", 2)
        XCTAssertEqual([p.user, p.client, p.url], ["user1", "1.2.3.4", "https://example.com/"])
        XCTAssertEqual(p.record.bytesFromClient, 421)
        XCTAssertEqual(p.record.action, .allowed)
    }

    func testPaloAlto() throws {
        var p = try parse(.paloAlto, "paloalto-url/elastic-integrations-panw-threat-sample.EXCERPT.log", 3)
        XCTAssertEqual([p.client, p.user, p.host], ["192.168.15.224", "", "b.scorecardresearch.com"])
        XCTAssertEqual(p.record.action, .denied, "block-url")
        XCTAssertTrue(p.record.hostOnly, "application ssl")
        p = try parse(.paloAlto, "paloalto-url/elastic-integrations-panw-threat-url-no-xff-sample.log", 1)
        XCTAssertEqual(p.record.action, .allowed, "alert")
        p = try parse(.paloAlto, "paloalto-url/criblpacks-palo-alto-networks/pan_threat.EXTRACTED.log", 1)
        XCTAssertEqual([p.client, p.url], ["10.14.6.57", "http://cribl.io/download"])
        let sekoia = "paloalto-url/sekoia-intake-formats-paloalto-ngfw-url/ALL-input-messages.EXTRACTED.log"
        p = try parse(.paloAlto, sekoia, 2)
        XCTAssertEqual([p.user, p.client, p.method, p.url], ["jdoe@example.org", "1.2.3.4", "GET", "http://www.example.com/connecttest.txt"])
        p = try parse(.paloAlto, sekoia, 5)
        XCTAssertEqual([p.client, p.host, p.userAgent], ["10.0.0.2", "www.sekoia.io", "Mozilla/4.0 (compatible; ms-office; MSOffice 16)"])
    }

    func testSkyhigh() throws {
        let file = "mcafee-skyhigh-web-gateway/sekoia-intake-formats-skyhigh-swg/ALL-input-messages.EXTRACTED.log"
        var p = try parse(.skyhigh, file, 6)
        XCTAssertEqual([p.user, p.client, p.method, p.host], ["user", "4.3.2.1", "PUT", "wetransfer.com"])
        XCTAssertEqual([p.record.bytesFromClient, p.record.bytesToClient], [860, 7976])
        XCTAssertEqual(p.record.action, .allowed)
        p = try parse(.skyhigh, file, 2)
        XCTAssertEqual(p.record.action, .challenge)
        p = try parse(.skyhigh, file, 1)
        XCTAssertEqual(p.record.action, .denied)
        XCTAssertEqual(p.host, "www.forbiddensite.com")
        p = try parse(.skyhigh, file, 3)
        XCTAssertEqual(p.host, "", "CONNECT :80: a record without a host")
    }

    /// Every line of every proxy log file is a record, skipped for a reason, or malformed for a reason.
    func testWholeFilesLineByLine() throws {
        let catalog = try RuleCatalogLoader.load(directory: TestSupport.rulesDirectory)
        // (file, format, lines, records, skipped, malformed, why)
        let expectations: [(String, LogFormat, Int64, Int64, Int64, Int64, String)] = [
            ("bluecoat-proxysg/azure-sentinel-SymantecProxySG-SyslogMessage.EXTRACTED.log", .bluecoatW3C, 17, 17, 0, 0, ""),
            ("bluecoat-proxysg/sekoia-intake-formats-broadcom-edge-swg/ALL-input-messages.EXTRACTED.log", .bluecoatKV, 2, 2, 0, 0, ""),
            ("cisco-wsa/azure-sentinel-CiscoWSA-SyslogMessage-squidstyle.EXTRACTED.log", .ciscoWSA, 10, 10, 0, 0, ""),
            ("cisco-wsa/sekoia-intake-formats-cisco-wsa/ALL-input-messages.EXTRACTED.log", .ciscoWSA, 6, 6, 0, 0, ""),
            ("zscaler-nss/elastic-integrations-zscaler_zia-test-web.log", .zscalerJSON, 6, 6, 0, 0, ""),
            ("zscaler-nss/elastic-integrations-zscaler_zia-test-web-http-endpoint.EXCERPT.log", .zscalerJSON, 1, 1, 0, 0, ""),
            ("zscaler-nss/sekoia-intake-formats-zscaler-zia/ALL-input-messages.EXTRACTED.log", .zscalerJSON, 105, 3, 6, 96,
             "skipped: 3 audit, 1 casb, 1 dns, 1 firewall record on one line each; malformed: 8 pretty-printed test records spread over 96 lines (blank separators included)"),
            ("forcepoint-web/elastic-integrations-forcepoint_web-full-sample.EXCERPT.log", .forcepointCSV, 17, 17, 0, 0, ""),
            ("forcepoint-web/sekoia-intake-formats-forcepoint-swg/ALL-input-messages.EXTRACTED.log", .cef, 7, 4, 0, 3,
             "one CEF record broken over two lines by a newline in its LDAP user (no time left on either half), and a blank line"),
            ("fortigate-webfilter/elastic-beats-fortinet-firewall-test-utm.log", .fortigate, 28, 3, 25, 0,
             "skipped: app-ctrl, dns, ssl, virus, ips, anomaly, dlp, ssh, cifs records (only webfilter records are requests)"),
            ("fortigate-webfilter/sekoia-intake-formats-fortigate-webfilter/ALL-input-messages.EXTRACTED.log", .fortigate, 4, 3, 0, 1,
             "the last test message is FortiGate CEF, not key=value (read it with --log-format cef)"),
            ("paloalto-url/elastic-integrations-panw-threat-sample.EXCERPT.log", .paloAlto, 3, 3, 0, 0, ""),
            ("paloalto-url/elastic-integrations-panw-threat-url-no-xff-sample.log", .paloAlto, 1, 1, 0, 0, ""),
            ("paloalto-url/criblpacks-palo-alto-networks/pan_threat.EXTRACTED.log", .paloAlto, 1, 1, 0, 0, ""),
            ("paloalto-url/sekoia-intake-formats-paloalto-ngfw-url/ALL-input-messages.EXTRACTED.log", .paloAlto, 6, 5, 0, 1,
             "the last test message is PAN-OS CEF (read it with --log-format cef)"),
            ("mcafee-skyhigh-web-gateway/sekoia-intake-formats-skyhigh-swg/ALL-input-messages.EXTRACTED.log", .skyhigh, 8, 8, 0, 0, ""),
        ]
        for (path, format, lines, records, skipped, malformed, why) in expectations {
            let url = TestSupport.corpus.appendingPathComponent(path)
            guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("corpus file \(path) missing: skipped") }
            for workers in [1, 2] {
                let result = Analyzer(catalog: catalog, options: AnalysisOptions(workers: workers, blockSize: 997)).run(paths: [url.path])
                let input = try XCTUnwrap(result.inputs.first)
                XCTAssertNil(input.problem, path)
                XCTAssertEqual(input.format, format, path)
                XCTAssertEqual(input.lines, lines, path)
                XCTAssertEqual(input.records, records, path)
                XCTAssertEqual(input.skipped, skipped, "\(path): \(why)")
                XCTAssertEqual(input.malformed, malformed, "\(path): \(why)")
            }
        }
    }

    /// Detection names the format of every proxy log file, and refuses what is not a log (test-case JSON,
    /// pretty-printed records, a template with placeholders, a W3C line without its header).
    func testDetectionOverTheProxyFolders() throws {
        let folders = ["bluecoat-proxysg", "bluecoat-squid-compat", "cisco-wsa", "zscaler-nss", "forcepoint-web", "fortigate-webfilter",
                       "paloalto-url", "mcafee-skyhigh-web-gateway"]
        let expected: [String: LogFormat] = [
            "azure-sentinel-SymantecProxySG-SyslogMessage.EXTRACTED.log": .bluecoatW3C,
            "sekoia-intake-formats-broadcom-edge-swg/ALL-input-messages.EXTRACTED.log": .bluecoatKV,
            "Regexp-Log-BlueCoat-t-bc1.log": .squidNative, "Regexp-Log-BlueCoat-t-bc2.log": .squidNative,
            "azure-sentinel-CiscoWSA-SyslogMessage-squidstyle.EXTRACTED.log": .ciscoWSA,
            "sekoia-intake-formats-cisco-wsa/ALL-input-messages.EXTRACTED.log": .ciscoWSA,
            "elastic-integrations-zscaler_zia-test-web.log": .zscalerJSON,
            "elastic-integrations-zscaler_zia-test-web-http-endpoint.EXCERPT.log": .zscalerJSON,
            "sekoia-intake-formats-zscaler-zia/ALL-input-messages.EXTRACTED.log": .zscalerJSON,
            "elastic-integrations-forcepoint_web-full-sample.EXCERPT.log": .forcepointCSV,
            "sekoia-intake-formats-forcepoint-swg/ALL-input-messages.EXTRACTED.log": .cef,
            "elastic-beats-fortinet-firewall-test-utm.log": .fortigate,
            "sekoia-intake-formats-fortigate-webfilter/ALL-input-messages.EXTRACTED.log": .fortigate,
            "elastic-integrations-panw-threat-sample.EXCERPT.log": .paloAlto,
            "elastic-integrations-panw-threat-url-no-xff-sample.log": .paloAlto,
            "pan_threat.EXTRACTED.log": .paloAlto,
            "sekoia-intake-formats-paloalto-ngfw-url/ALL-input-messages.EXTRACTED.log": .paloAlto,
            "sekoia-intake-formats-skyhigh-swg/ALL-input-messages.EXTRACTED.log": .skyhigh,
        ]
        var seen = Set<String>()
        for folder in folders {
            let (sources, _) = InputDiscovery.expand([TestSupport.corpus.appendingPathComponent(folder).path])
            for source in sources {
                let data = try Data(contentsOf: URL(fileURLWithPath: source.path)).prefix(ChunkReader.detectionBytes)
                let detection = data.withUnsafeBytes { FormatDetector.detect($0) }
                let key = expected.keys.first { source.path.hasSuffix("/" + $0) }
                if let key {
                    seen.insert(key)
                    XCTAssertEqual(detection?.format, expected[key], source.path)
                } else {
                    XCTAssertNil(detection, "\(source.path) is not a log in a known format, yet detected as \(detection?.format.rawValue ?? "")")
                }
            }
        }
        XCTAssertEqual(seen.count, expected.count, "files missing from the corpus: \(Set(expected.keys).subtracting(seen))")
    }

    /// A gateway without a parser of its own (Olfeo) read through a generic JSON field map.
    func testOlfeoThroughAGenericJSONFieldMap() throws {
        let path = "olfeo-proxy/sekoia-intake-formats-olfeo/ALL-input-messages.EXTRACTED.log"
        let url = TestSupport.corpus.appendingPathComponent(path)
        guard FileManager.default.fileExists(atPath: url.path) else { throw XCTSkip("corpus file \(path) missing: skipped") }
        let map = try JSONFieldMap(commandLine: "time=timestamp,user=display_name,client=src_ip,url=url,host=domain,action=action,bytes_out=user_sent_bytes,bytes_in=user_received_bytes,method=http_method,status=user_status_code")
        var p = try XCTUnwrap(TestSupport.parse(GenericJSONParser(map: map), try line(path, 3)))
        XCTAssertEqual([p.user, p.client, p.method, p.host], ["Test User", "1.2.3.4", "GET", "safebrowsing.googleapis.com"])
        XCTAssertEqual([p.record.bytesFromClient, p.record.bytesToClient], [836, 4664])
        XCTAssertEqual(p.record.timeMillis, 1_737_373_729_852)
        p = try XCTUnwrap(TestSupport.parse(GenericJSONParser(map: map), try line(path, 1)))
        XCTAssertEqual(p.host, "merchandise.opera-api2.com", "a DNS record: only the domain, so host only")
        XCTAssertTrue(p.record.hostOnly)
        let catalog = try RuleCatalogLoader.load(directory: TestSupport.rulesDirectory)
        var options = AnalysisOptions(workers: 2, format: .json)
        options.fieldMap = map
        let input = try XCTUnwrap(Analyzer(catalog: catalog, options: options).run(paths: [url.path]).inputs.first)
        XCTAssertEqual([input.lines, input.records, input.malformed], [8, 3, 5], "malformed: a blank line and four lines of Olfeo's other, common-log-like export")
        XCTAssertEqual(input.malformedSamples, [2, 5, 6, 7, 8])
    }

    func testServicesFoundInGatewayLogs() throws {
        let catalog = try RuleCatalogLoader.load(directory: TestSupport.rulesDirectory)
        let paths = ["mcafee-skyhigh-web-gateway/sekoia-intake-formats-skyhigh-swg/ALL-input-messages.EXTRACTED.log",
                     "zscaler-nss/elastic-integrations-zscaler_zia-test-web-http-endpoint.EXCERPT.log"].map { TestSupport.corpus.appendingPathComponent($0).path }
        let result = Analyzer(catalog: catalog, options: AnalysisOptions(workers: 2)).run(paths: paths)
        let services = Dictionary(uniqueKeysWithValues: result.services.map { ($0.id, $0) })
        // Skyhigh line 6: a PUT to wetransfer.com/api/v4/transfers/.../finalize with 860 bytes sent.
        let wetransfer = try XCTUnwrap(services["wetransfer"])
        XCTAssertEqual(wetransfer.requests, 1)
        XCTAssertEqual(wetransfer.bytesOut, 860)
        // Zscaler v9 excerpt: mail.google.com, host only.
        let gmail = try XCTUnwrap(services["gmail"])
        XCTAssertEqual(gmail.requests, 1)
        XCTAssertEqual(gmail.hostOnlyRequests, 1)
        XCTAssertEqual(gmail.bytesOut, 1300)
    }
}
