import XCTest
@testable import ShadowScanCore

final class RuleLinterTests: XCTestCase {
    func lint(_ yaml: String, name: String = "t.yaml") -> [String] {
        RuleLinter.lint(sources: [(name: name, text: yaml)]).findings.map(\.description)
    }

    func testProjectCatalogueHasNoLintErrors() throws {
        let (sources, problems) = RuleCatalogLoader.sources(directory: TestSupport.rulesDirectory)
        let report = RuleLinter.lint(sources: sources, earlierProblems: problems)
        XCTAssertEqual(report.errors, 0, report.findings.filter { $0.severity == .error }.map(\.description).joined(separator: "\n"))
        // Every shadowing the catalogue does on purpose is listed, none by accident: a runaway pattern
        // or a service without near misses is a bug in Rules/.
        let unexpected = report.findings.filter { !$0.message.contains("shadows") }
        XCTAssertEqual(unexpected, [], unexpected.map(\.description).joined(separator: "\n"))
    }

    func testLoaderErrorsBecomeErrorsWithTheirPositions() {
        let found = lint("""
            services:
              - id: a
                name: A
                category: c
                risk: extreme
                personal: true
                domains: [a.example]
                examples: {match: [a.example]}
            """)
        XCTAssertEqual(found, ["t.yaml:5:11: error: risk must be low, medium or high, not 'extreme'"])
    }

    func testShadowingAndRedundantDomainsAreWarnings() {
        let found = lint("""
            services:
              - id: wide
                name: Wide
                category: c
                risk: low
                personal: true
                domains: [example.net, www.example.net]
                examples: {match: [example.net], no_match: [notexample.net]}
              - id: narrow
                name: Narrow
                category: c
                risk: low
                personal: true
                domains: [deep.api.example.net]
                examples: {match: [deep.api.example.net], no_match: [example.net]}
            """)
        XCTAssertEqual(found, [
            "t.yaml:7:28: warning: domain 'www.example.net' is redundant: 'example.net' of the same service already matches it (t.yaml:7:15)",
            "t.yaml:14:15: warning: domain 'deep.api.example.net' of 'narrow' shadows 'example.net' of 'wide' (t.yaml:7:15): "
                + "the most specific domain wins, so deep.api.example.net and its subdomains count for 'narrow'",
        ])
    }

    func testRunawayPatternsAreFoundUnderTheMatchLimit() throws {
        for source in ["(a+)+$", "^https?://[^/]+/(\\w+\\s?)+$", "(.*a){20}", "^(/|[a-z]+/?)*\\.zip$"] {
            XCTAssertNotNil(RuleLinter.runaway(source: source), source)
        }
        for source in ["^https?://[^/]+/s/", "/2/files/upload", "^https?://huggingface\\.co/chat(/|\\?|$)", "[?&]id=[0-9]+"] {
            XCTAssertNil(RuleLinter.runaway(source: source), source)
        }
    }

    func testPatternMatchingEveryURLAndMissingExamplesAreWarnings() {
        let found = lint("""
            services:
              - id: a
                name: A
                category: c
                risk: low
                personal: true
                domains: [a.example]
                url: ['^.*']
                upload: [{methods: [POST]}]
                examples: {match: [a.example]}
            """)
        XCTAssertEqual(found, [
            "t.yaml:2:5: warning: service 'a' has no no_match examples: add near misses (look-alike domains, other services' hosts)",
            "t.yaml:2:5: warning: service 'a' has upload indicators but no upload examples",
            "t.yaml:8:11: warning: URL pattern '^.*' matches an empty URL, so it matches every URL of the service: it filters nothing",
        ])
    }

    func testLineExampleNamingAnUnknownServiceIsAnError() {
        let found = lint("""
            services:
              - id: a
                name: A
                category: c
                risk: low
                personal: true
                domains: [a.example]
                examples:
                  match: [a.example]
                  no_match: [b.example]
                  lines:
                    - line: '1763448000.000 1 10.0.0.1 TCP_MISS/200 1 GET https://b.example/ - HIER_DIRECT/1.2.3.4 -'
                      service: b
            """)
        XCTAssertEqual(found, ["t.yaml:12:11: error: line example expects service 'b', which is not in the catalogue"])
    }

    func testLintJSONDocument() {
        let report = RuleLinter.lint(sources: [(name: "t.yaml", text: "services: 3\n")])
        let json = RuleLintJSON.document(report).serialized()
        XCTAssertTrue(json.contains("\"schema\": \"shadowscan.lint/1\""), json)
        XCTAssertTrue(json.contains("\"severity\": \"error\""), json)
        XCTAssertTrue(json.contains("\"message\": \"'services' must be a list\""), json)
    }
}
