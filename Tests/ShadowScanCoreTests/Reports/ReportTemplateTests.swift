import XCTest
@testable import ShadowScanCore

final class ReportTemplateTests: XCTestCase {
    func testEveryTemplateSelectsItsEscapingContentType() {
        for (name, text) in ReportTemplates.html where name != "html_style" {
            XCTAssertTrue(text.hasPrefix("{{% CONTENT_TYPE: SHADOWSCAN_HTML}}\n"), "HTML template \(name)")
        }
        for (name, text) in ReportTemplates.markdown {
            XCTAssertTrue(text.hasPrefix("{{% CONTENT_TYPE: SHADOWSCAN_MARKDOWN}}\n"), "Markdown template \(name)")
        }
        XCTAssertFalse(ReportTemplates.htmlStyle.contains("{{"), "the style sheet takes no values")
    }

    func testOnlyFixedValuesAreUnescaped() throws {
        let triple = try NSRegularExpression(pattern: "\\{\\{\\{\\s*([^}]*?)\\s*\\}\\}\\}|\\{\\{&\\s*([^}]*?)\\s*\\}\\}")
        for (name, text) in ReportTemplates.html.merging(ReportTemplates.markdown, uniquingKeysWith: { a, _ in a }) {
            for match in triple.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let variable = (Range(match.range(at: 1), in: text) ?? Range(match.range(at: 2), in: text)).map { String(text[$0]) }
                XCTAssertEqual(variable, "rule", "template \(name) leaves '\(variable ?? "?")' unescaped")
            }
        }
    }

    func testTemplatesParse() throws {
        XCTAssertNoThrow(try ReportTemplates.library(ReportTemplates.html))
        XCTAssertNoThrow(try ReportTemplates.library(ReportTemplates.markdown))
        // Every partial a section names exists in both libraries.
        let model = ReportModel(ReportFixtures.result(), version: "test")
        var names: Set<String> = []
        func collect(_ value: Any) {
            for child in Mirror(reflecting: value).children {
                if child.label == "partial", let name = child.value as? String { names.insert(name) } else { collect(child.value) }
            }
        }
        model.sections.forEach(collect)
        XCTAssertTrue(names.isSuperset(of: ["evidence", "charts", "table", "note", "bar_chart", "timeline_chart", "flow_chart"]), "\(names)")
        for name in names {
            XCTAssertNotNil(ReportTemplates.html[name], "HTML partial \(name)")
            XCTAssertNotNil(ReportTemplates.markdown[name], "Markdown partial \(name)")
        }
    }
}
