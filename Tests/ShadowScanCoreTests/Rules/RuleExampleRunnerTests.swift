import XCTest
@testable import ShadowScanCore

final class RuleExampleRunnerTests: XCTestCase {
    static let fixture = TestSupport.packageRoot.appendingPathComponent("Tests/Fixtures/rules-tools/examples").path

    /// The project's own rules: every example, line examples included, passes (a bad rule breaks CI).
    func testProjectCatalogueExamplesAllPass() throws {
        let catalog = try RuleCatalogLoader.load(directory: TestSupport.rulesDirectory)
        let report = RuleExampleRunner.run(catalog)
        XCTAssertEqual(report.failures.map(\.description), [])
        XCTAssertEqual(report.services, catalog.services.count)
        XCTAssertGreaterThan(report.checked[.match] ?? 0, catalog.services.count)
        XCTAssertGreaterThan(report.checked[.line] ?? 0, 0, "the catalogue carries whole-line examples")
    }

    func testEveryKindOfFailureIsReportedAtItsLine() throws {
        let catalog = try RuleCatalogLoader.load(directory: Self.fixture)
        let report = RuleExampleRunner.run(catalog)
        XCTAssertEqual(report.total, 11)
        XCTAssertEqual(report.checked[.line], 5)
        let failures = report.failures.map { "\($0.location.line):\($0.kind.rawValue)" }
        XCTAssertEqual(failures, ["15:match", "18:no_match", "21:upload", "30:line", "33:line"])
        let line30 = report.failures[3].message
        XCTAssertTrue(line30.contains("parsed as squid-native, expected squid-common"), line30)
        XCTAssertTrue(line30.contains("expected an upload, it is not one"), line30)
        XCTAssertTrue(report.failures[4].message.hasPrefix("line example does not parse"), report.failures[4].message)
        XCTAssertTrue(report.failures[0].message.contains("not on a label boundary"), report.failures[0].message)
    }

    func testLineExamplesLoadInBothShapes() throws {
        let catalog = try RuleCatalogLoader.load(directory: Self.fixture)
        let lines = catalog.services[0].examples.lines
        XCTAssertEqual(lines.count, 5)
        XCTAssertEqual(lines[0].service, "files-example", "a plain string expects the enclosing service")
        XCTAssertEqual(lines[1].format, .squidCommon)
        XCTAssertEqual(lines[1].action, .denied)
        XCTAssertEqual(lines[1].upload, false)
        XCTAssertNil(lines[2].service, "service: none expects no match")
    }

    func testBadLineExampleEntriesAreLoaderErrors() {
        let yaml = """
            services:
              - id: a
                name: A
                category: c
                risk: low
                personal: true
                domains: [a.example]
                examples:
                  match: [a.example]
                  lines:
                    - {line: 'x', format: apache, action: blocked, upload: maybe, colour: red}
                    - {service: a}
                    - [nested]
            """
        var found: [String] = []
        do { _ = try RuleCatalogLoader.load(sources: [(name: "test.yaml", text: yaml)]) } catch { found = error.problems.map(\.description) }
        XCTAssertEqual(found.sorted(), [
            "test.yaml:11:31: unknown format 'apache' (expected one of: \(LogFormat.allCases.map(\.rawValue).joined(separator: ", ")))",
            "test.yaml:11:71: unknown key 'colour' in a lines entry (expected action, format, line, service, upload)",
            "test.yaml:11:47: action must be allowed, denied or challenge, not 'blocked'",
            "test.yaml:11:64: upload must be true or false",
            "test.yaml:12:11: a 'lines' entry needs a non-empty 'line'",
            "test.yaml:13:11: a 'lines' entry must be a log line or a mapping {line, service, format, upload, action}",
        ].sorted())
    }

    func testJSONReport() throws {
        let report = RuleExampleRunner.run(try RuleCatalogLoader.load(directory: Self.fixture))
        let json = RuleTestJSON.document(report).serialized()
        XCTAssertTrue(json.contains("\"schema\": \"shadowscan.rules-test/1\""), json)
        XCTAssertTrue(json.contains("\"kind\": \"no_match\""), json)
        XCTAssertTrue(json.contains("\"line\": 18"), json)
    }
}
