import XCTest
@testable import ShadowScanCore

final class HTMLReportTests: XCTestCase {
    func render(_ options: PrivacyOptions = PrivacyOptions(identities: .plain)) throws -> String {
        try HTMLReport.render(PrivacyTransform.apply(ReportFixtures.result(), options), version: "test")
    }

    func testParsesCleanlyAndReferencesNothingOutside() throws {
        let html = try render()
        let verdict = try ReportFixtures.checkHTML(html)
        XCTAssertEqual(verdict.violations, [], "the HTML parser found problems")
        XCTAssertNil(verdict.tags["script"])
        XCTAssertEqual(verdict.tags["style"], 1, "one inline style sheet")
        XCTAssertGreaterThanOrEqual(verdict.tags["svg"] ?? 0, 3, "inline SVG charts")
        XCTAssertTrue(html.contains("Content-Security-Policy\" content=\"default-src 'none'"), "a policy that forbids every fetch")
        // (Hostile values put "http://" and "javascript:" in the text; the parser checks no attribute holds them.)
        for bad in ["https://", "@import", "<script", "url("] { XCTAssertFalse(html.lowercased().contains(bad), bad) }
    }

    func testHostileValuesAppearOnlyAsText() throws {
        let html = try render()
        let verdict = try ReportFixtures.checkHTML(html)
        // What a reader sees (entities decoded) holds each hostile value, cleaned; the markup holds none raw.
        for value in ReportFixtures.hostile {
            let shown = ReportText.clean(value, limit: 80)
            XCTAssertTrue(verdict.text.contains(shown), "\(value.debugDescription) is shown as text")
        }
        XCTAssertFalse(html.contains("<script>alert"), "no live script")
        XCTAssertFalse(html.contains("<img"), "no injected element")
        XCTAssertFalse(html.contains("\"onerror"), "no way out of an attribute")
        XCTAssertTrue(verdict.text.contains("{{mustache}}"), "template syntax from a log is shown, never evaluated")
        XCTAssertFalse(html.contains("\u{1B}"), "no terminal escapes")
        XCTAssertFalse(html.contains("\u{202E}"), "no direction overrides")
        XCTAssertFalse(html.contains("href="), "URLs are never links")
    }

    func testLeadsWithDecisionEvidenceThenChartsAndTables() throws {
        let html = try render()
        let order = ["id=\"decisions\"", "Denied and worked around", "Where people went instead", "Where they went instead",
                     "id=\"workarounds\"", "id=\"services\"", "id=\"categories\"", "Categories, by people", "id=\"timeline\"", "Daily timeline",
                     "id=\"users\"", "id=\"inputs\"", "id=\"privacy\""]
        var last = html.startIndex
        for marker in order {
            guard let range = html.range(of: marker, range: last..<html.endIndex) else { return XCTFail("\(marker) missing or out of order") }
            last = range.upperBound
        }
        XCTAssertTrue(html.contains("Recommendation: sanction an alternative."))
        XCTAssertTrue(html.contains("12.0 GB went that way"), "bytes to the substitutes, in decimal units like the prose")
        XCTAssertTrue(html.contains("@media print"))
    }

    func testManagerReportListsNoIndividualsAndSaysWhatWasHidden() throws {
        let html = try render(PrivacyOptions(audience: .manager))
        XCTAssertEqual(try ReportFixtures.checkHTML(html).violations, [])
        for identity in ReportFixtures.identityOnly {
            XCTAssertFalse(html.contains(HTMLEscaping.escape(identity)), "\(identity.debugDescription) listed in a manager report")
        }
        XCTAssertFalse(html.contains("id=\"users\""))
        XCTAssertFalse(html.contains("id=\"workarounds\""))
        XCTAssertTrue(html.contains("no group of fewer than 5 people"))
        XCTAssertTrue(html.contains("users: 15 row(s) not shown (manager reports list no individuals)"), html)
        XCTAssertTrue(html.contains("services: 1 row(s) not shown (fewer than 5 people)"))
        XCTAssertFalse(html.contains(">Gmail<"), "a substitute with 2 people is hidden")
    }

    func testSameInputSameBytes() throws {
        XCTAssertEqual(try render(), try render())
    }
}
