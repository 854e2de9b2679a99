import XCTest
@testable import ShadowScanCore

final class MarkdownReportTests: XCTestCase {
    func testTablesHoldEveryValueEscaped() throws {
        let md = try MarkdownReport.render(PrivacyTransform.apply(ReportFixtures.result(), PrivacyOptions(identities: .plain)), version: "test")
        XCTAssertTrue(md.hasPrefix("# Shadow IT"))
        XCTAssertTrue(md.contains("| Dropbox | cloud-storage | high |"), md)
        // Every table row has the same number of unescaped pipes as its header.
        var columns: Int?
        for line in md.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else { columns = nil; continue }
            let pipes = Self.unescapedPipes(String(line))
            if let columns { XCTAssertEqual(pipes, columns, "row \(line)") } else { columns = pipes }
        }
        for value in ReportFixtures.hostile {
            XCTAssertTrue(md.contains(MarkdownEscaping.escape(value)), "\(value.debugDescription) is in the report, escaped")
        }
        XCTAssertFalse(md.contains("<script>alert(1)</script>\n"))
        XCTAssertFalse(md.contains("\n# heading"), "a value never starts a heading")
        XCTAssertFalse(md.contains("\u{1B}"))
        // No raw value outside a code span: strip code spans and look for markup.
        let outside = Self.stripCodeSpans(md)
        for markup in ["<script", "<img", "www.", "http://", "javascript:", "{{", "=HYPERLINK", "](", "**d**"] {
            XCTAssertFalse(outside.contains(markup), "\(markup) outside a code span")
        }
    }

    static func unescapedPipes(_ line: String) -> Int {
        var count = 0, escaped = false
        for c in line {
            if c == "|" && !escaped { count += 1 }
            escaped = c == "\\" && !escaped
        }
        return count
    }

    static func stripCodeSpans(_ text: String) -> String {
        var out = "", i = text.startIndex
        while i < text.endIndex {
            if text[i] == "`" {
                var run = 0, j = i
                while j < text.endIndex && text[j] == "`" { run += 1; j = text.index(after: j) }
                let fence = String(repeating: "`", count: run)
                if let close = text.range(of: fence, range: j..<text.endIndex) { i = close.upperBound; continue }
            }
            out.append(text[i])
            i = text.index(after: i)
        }
        return out
    }
}
