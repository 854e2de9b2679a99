import XCTest
@testable import ShadowScanCore

final class ReportEscapingTests: XCTestCase {
    func testHTMLEscapingWorksOnScalarsNotGraphemes() {
        // A quote followed by a combining mark is one Character; Mustache's own escaping misses it.
        let escaped = HTMLEscaping.escape("\"\u{301} onmouseover=alert(1) '<b>&")
        XCTAssertFalse(escaped.contains("\""), escaped)
        XCTAssertFalse(escaped.contains("'"), escaped)
        XCTAssertFalse(escaped.contains("<"), escaped)
        XCTAssertTrue(escaped.hasPrefix("&quot;\u{301}"), escaped)
        XCTAssertTrue(escaped.contains("&#61;"), "= is escaped too, so no attribute can be formed: \(escaped)")
        XCTAssertTrue(escaped.hasSuffix("&lt;b&gt;&amp;"), escaped)
    }

    func testCleanReplacesControlAndDirectionCharactersAndBoundsLength() {
        XCTAssertEqual(ReportText.clean("a\u{1B}[31mb\u{07}\u{202E}c\u{2066}d\n"), "a\u{FFFD}[31mb\u{FFFD}\u{FFFD}c\u{FFFD}d\u{FFFD}")
        XCTAssertEqual(ReportText.clean(String(repeating: "x", count: 10), limit: 4), "xxxx…")
        XCTAssertEqual(ReportText.clean("Zürich 東京"), "Zürich 東京")
    }

    func testMarkdownPlainValuesPassAndEverythingElseBecomesACodeSpan() {
        XCTAssertEqual(MarkdownEscaping.escape("Dropbox"), "Dropbox")
        XCTAssertEqual(MarkdownEscaping.escape("12.3 MiB"), "12.3 MiB")
        XCTAssertEqual(MarkdownEscaping.escape("2026-11-18 to 2026-11-20 (UTC)"), "2026-11-18 to 2026-11-20 (UTC)")
        XCTAssertEqual(MarkdownEscaping.escape("Zürich"), "Zürich")
        XCTAssertEqual(MarkdownEscaping.escape("<script>alert(1)</script>"), "`<script>alert(1)</script>`")
        XCTAssertEqual(MarkdownEscaping.escape("a|b"), "`a\\|b`", "pipes stay inside the table cell")
        XCTAssertEqual(MarkdownEscaping.escape("a`b``c"), "```a`b``c```", "the fence is longer than any backtick run")
        XCTAssertEqual(MarkdownEscaping.escape("`x"), "`` `x ``", "a leading backtick is kept off the fence")
        XCTAssertEqual(MarkdownEscaping.escape("www.evil.example"), "`www.evil.example`", "no autolink")
        XCTAssertEqual(MarkdownEscaping.escape("http://evil.example"), "`http://evil.example`")
        XCTAssertEqual(MarkdownEscaping.escape("a@b.example"), "`a@b.example`")
        XCTAssertEqual(MarkdownEscaping.escape("# heading"), "`# heading`")
        XCTAssertEqual(MarkdownEscaping.escape("- item"), "`- item`")
        XCTAssertEqual(MarkdownEscaping.escape("[x](http://y)"), "`[x](http://y)`")
        XCTAssertEqual(MarkdownEscaping.escape("**b** _i_"), "`**b** _i_`")
        XCTAssertEqual(MarkdownEscaping.escape("line\nbreak"), "line\u{FFFD}break")
        XCTAssertEqual(MarkdownEscaping.escape("javascript:alert(1)"), "`javascript:alert(1)`")
        XCTAssertEqual(MarkdownEscaping.escape("Recommendation: keep blocked."), "Recommendation: keep blocked.")
    }

    func testCSVFieldsAreQuotedAndFormulasNeutralised() {
        XCTAssertEqual(CSVField.text("plain"), "plain")
        XCTAssertEqual(CSVField.text("a,b"), "\"a,b\"")
        XCTAssertEqual(CSVField.text("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(CSVField.text("a;b"), "\"a;b\"")
        XCTAssertEqual(CSVField.text("=1+1"), "'=1+1")
        XCTAssertEqual(CSVField.text("+1"), "'+1")
        XCTAssertEqual(CSVField.text("-1"), "'-1")
        XCTAssertEqual(CSVField.text("@SUM(A1)"), "'@SUM(A1)")
        XCTAssertEqual(CSVField.text("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")
        XCTAssertEqual(CSVField.text("\tcmd"), "\u{FFFD}cmd", "tabs and CRs cannot survive into a cell")
        XCTAssertEqual(CSVField.text("a\r\nb"), "a\u{FFFD}\u{FFFD}b")
        XCTAssertEqual(CSVField.text("\u{FF1D}1+1"), "'\u{FF1D}1+1", "full-width equals sign")
        XCTAssertEqual(CSVField.number(-5), "-5", "numbers we computed are written as numbers")
    }
}
