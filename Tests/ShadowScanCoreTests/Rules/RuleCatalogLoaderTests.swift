import XCTest
@testable import ShadowScanCore

final class RuleCatalogLoaderTests: XCTestCase {
    func problems(_ files: [(String, String)]) -> [String] {
        do {
            _ = try RuleCatalogLoader.load(sources: files.map { (name: $0.0, text: $0.1) })
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    func testValidCatalogueLoads() throws {
        let catalog = try TestSupport.catalog(TestSupport.smallCatalogue)
        XCTAssertEqual(catalog.services.map(\.id), ["dropbox", "github-gist", "drive-share"])
        XCTAssertEqual(catalog.categories, ["cloud-storage", "paste"])
    }

    func testEveryProblemIsReportedWithFileLineAndColumn() {
        let a = """
            services:
              - id: dropbox
                name: Dropbox
                category: cloud-storage
                risk: extreme
                personal: true
                domains: [dropbox.com, Bad.Domain, "*.wild.com"]
                colour: blue
                url: ['^(unclosed']
                examples:
                  match: [https://www.dropbox.com/]
            """
        let b = """
            services:
              - id: dropbox
                name: Dropbox again
                category: cloud-storage
                risk: low
                personal: false
                domains: [dropbox.com]
                examples:
                  match: [https://dropbox.com/]
              - id: Not_Kebab
                name: x
                category: misc
                risk: low
                personal: maybe
                domains: [x.org]
            """
        let found = problems([("a.yaml", a), ("b.yaml", b)])
        let expected = [
            "a.yaml:5:11: risk must be low, medium or high, not 'extreme'",
            "a.yaml:7:28: domain 'Bad.Domain' must be lower case",
            "a.yaml:7:40: domain '*.wild.com' must not be a wildcard: a domain already matches all its subdomains",
            "a.yaml:8:5: unknown key 'colour'",
            "a.yaml:9:11: bad regular expression '^(unclosed' at offset 10: missing closing parenthesis",
            "b.yaml:10:9: id 'Not_Kebab' is not kebab-case",
            "b.yaml:14:15: personal must be true or false",
            "b.yaml:10:5: missing key 'examples'",
            "b.yaml:2:5: duplicate id 'dropbox' (first defined at a.yaml:2:5)",
            "b.yaml:2:5: domain 'dropbox.com' is already claimed by service 'dropbox' (a.yaml:2:5)",
        ]
        for prefix in expected {
            XCTAssertTrue(found.contains { $0.hasPrefix(prefix) }, "missing: \(prefix)\nfound:\n\(found.joined(separator: "\n"))")
        }
    }

    func testDomainClaimedTwiceAcrossServices() {
        let yaml = """
            services:
              - {id: one, name: One, category: c, risk: low, personal: true, domains: [shared.com], examples: {match: [shared.com]}}
              - {id: two, name: Two, category: c, risk: low, personal: true, domains: [shared.com], examples: {match: [shared.com]}}
            """
        XCTAssertEqual(problems([("c.yaml", yaml)]), ["c.yaml:3:5: domain 'shared.com' is already claimed by service 'one' (c.yaml:2:5)"])
    }

    func testYAMLSyntaxErrorHasAPosition() {
        let found = problems([("broken.yaml", "services:\n  - id: [unclosed\n")])
        XCTAssertEqual(found, ["broken.yaml:3:1: YAML: did not find expected ',' or ']'"])
        XCTAssertEqual(problems([("tab.yaml", "services:\n\t- id: x\n")]), ["tab.yaml:2:1: YAML: found character that cannot start any token"])
    }

    func testDirectoryErrors() {
        XCTAssertThrowsError(try RuleCatalogLoader.load(directory: "/nonexistent/rules"))
        let empty = TestSupport.temporaryDirectory()
        XCTAssertThrowsError(try RuleCatalogLoader.load(directory: empty.path)) { error in
            XCTAssertTrue("\(error)".contains("no rule files"))
        }
    }
}
