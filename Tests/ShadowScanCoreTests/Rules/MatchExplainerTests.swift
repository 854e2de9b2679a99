import XCTest
@testable import ShadowScanCore

final class MatchExplainerTests: XCTestCase {
    lazy var explainer = MatchExplainer(catalog: try! TestSupport.catalog(TestSupport.smallCatalogue + """

          - id: github
            name: GitHub
            category: dev
            risk: low
            personal: false
            domains: [github.com]
            examples:
              match: [https://github.com/]
        """))

    func testSuffixMatchNamesTheDecisiveDomainAndWhatItShadows() throws {
        let m = explainer.explain(url: "https://gist.github.com/alice/1")
        XCTAssertEqual(m.service?.id, "github-gist")
        XCTAssertEqual(m.domain?.domain, "gist.github.com")
        XCTAssertEqual(m.shadowed.map(\.serviceID), ["github"])
        XCTAssertEqual(m.suffixes.map(\.suffix), ["gist.github.com", "github.com", "com"])
        XCTAssertTrue(m.reason.contains("more specific than github.com (github)"), m.reason)
    }

    func testPatternTrialsCarryTheMatchedSpan() throws {
        let hit = explainer.explain(url: "https://drive.example.net/s/abc")
        XCTAssertEqual(hit.service?.id, "drive-share")
        XCTAssertEqual(hit.patterns.first?.span, 0..<28)
        let miss = explainer.explain(url: "https://drive.example.net/other")
        XCTAssertNil(miss.service)
        XCTAssertEqual(miss.domain?.serviceID, "drive-share", "a catalogue host whose patterns did not match")
        XCTAssertEqual(miss.patterns.first?.outcome, .noMatch)
        XCTAssertNil(miss.unknownDomain, "not tallied as an unknown domain")
        XCTAssertTrue(miss.reason.contains("none of its 1 URL pattern(s) matched"), miss.reason)
    }

    func testUploadIndicatorsAreExplained() {
        let post = explainer.explain(url: "https://content.dropboxapi.com/2/files/upload", method: "POST")
        XCTAssertTrue(post.isUpload)
        XCTAssertEqual(post.uploads.first?.counts, true)
        XCTAssertEqual(post.uploads.first?.outcome, .matched(30..<45))
        let get = explainer.explain(url: "https://content.dropboxapi.com/2/files/upload", method: "GET")
        XCTAssertFalse(get.isUpload)
        XCTAssertEqual(get.uploads.first?.methodMatched, false)
    }

    func testNearMissesSayWhyNothingMatched() {
        let cases: [(String, String, String)] = [
            ("notdropbox.com", "dropbox.com", "host notdropbox.com: no catalogue domain is a label-boundary suffix; nearest: dropbox.com (dropbox): the host ends with dropbox.com, but not on a label boundary"),
            ("dropbox.com.evil.net", "dropbox.com", "the host contains dropbox.com, but its registrable domain is evil.net"),
            ("dropb0x.com", "dropbox.com", "dropb0x.com is 1 edit(s) away from dropbox.com"),
            ("dropboxapi-com.example", "dropboxapi.com", "with '-' for '.'"),
            ("dropbox-login.example", "dropbox.com", "contains 'dropbox', the name in dropbox.com"),
        ]
        for (host, nearest, reason) in cases {
            let m = explainer.explain(url: "https://\(host)/")
            XCTAssertNil(m.service, host)
            XCTAssertEqual(m.nearMisses.first?.domain, nearest, host)
            XCTAssertTrue(m.reason.contains(reason), "\(host): \(m.reason)")
        }
        XCTAssertEqual(explainer.explain(url: "https://www.unrelated.example/").nearMisses, [])
        XCTAssertEqual(explainer.explain(url: "https://a.b.example.co.uk/").unknownDomain, "example.co.uk")
    }

    func testHostlessAndOverlongHosts() {
        XCTAssertNil(explainer.explain(url: "/favicon.ico").host)
        let long = String(repeating: "a.", count: 130) + "dropbox.com"
        let m = explainer.explain(url: "https://\(long)/")
        XCTAssertNil(m.service, "the analyser skips hosts over 253 bytes")
    }

    /// The explanation always agrees with the matcher the analyser runs, on every project example.
    func testAgreesWithTheHotPathMatcherOnTheProjectCatalogue() throws {
        let catalog = try RuleCatalogLoader.load(directory: TestSupport.rulesDirectory)
        let explainer = MatchExplainer(catalog: catalog)
        let probe = URLProbe(catalog: catalog)
        for service in catalog.services {
            for (url, _) in service.examples.match + service.examples.noMatch {
                let m = explainer.explain(url: url)
                XCTAssertEqual(m.service?.id, probe.service(forURL: url)?.id, url)
                XCTAssertFalse(m.reason.contains("inconsistent"), m.reason)
            }
        }
    }

    func testLogLinesParseInTheirFormatAndCarryWorkaroundNotes() {
        let native = LineExplanation(line: "1763448000.000     12 10.0.0.5 TCP_DENIED/403 0 GET https://www.dropbox.com/ alice HIER_NONE/- text/html", explainer: explainer)
        XCTAssertEqual(native.parsed?.format, .squidNative)
        XCTAssertEqual(native.match?.service?.id, "dropbox")
        XCTAssertEqual(native.parsed?.record.action, .denied)
        XCTAssertTrue(native.workaroundNotes.first?.hasPrefix("denial of dropbox") ?? false, "\(native.workaroundNotes)")
        let common = LineExplanation(line: "10.0.0.5 - - [18/Nov/2025:06:40:00 +0000] \"CONNECT 203.0.113.7:443 HTTP/1.1\" 200 10 TCP_TUNNEL:HIER_DIRECT", explainer: explainer)
        XCTAssertEqual(common.parsed?.format, .squidCommon)
        XCTAssertEqual(common.parsed?.identity, "10.0.0.5")
        XCTAssertTrue(common.workaroundNotes.contains { $0.hasPrefix("side-door candidate") }, "\(common.workaroundNotes)")
        let junk = LineExplanation(line: "\u{1B}[2Jnot a log line", explainer: explainer)
        XCTAssertNil(junk.parsed)
        XCTAssertNotNil(junk.parseFailure)
        let forced = LineExplanation(line: "10.0.0.5 - - [18/Nov/2025:06:40:00 +0000] \"GET http://a.example/ HTTP/1.1\" 200 10 TCP_MISS:HIER_DIRECT", format: .squidNative, explainer: explainer)
        XCTAssertEqual(forced.parseFailure, "not a valid squid-native line: the analyser counts it as malformed")
    }

    func testTerminalTextNeutralisesControlCharacters() {
        XCTAssertEqual(ToolText.terminal("a\u{1B}[31mb\u{202E}c\td"), "a\\x1B[31mb\\u{202E}c\\x09d")
        XCTAssertEqual(ToolText.terminal(String(repeating: "x", count: 10), limit: 4), "xxxx… (6 more characters)")
        XCTAssertEqual(ToolText.yamlQuoted("it's"), "'it''s'")
    }
}
