import XCTest
@testable import ShadowScanCore

final class CSVReportTests: XCTestCase {
    /// RFC 4180 reader for the test: quoted fields, doubled quotes, CRLF records.
    static func parse(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.unicodeScalars.append("\""); chars.removeFirst() } else { quoted = false }
                } else { field.unicodeScalars.append(c) }
            } else if c == "\"" && field.isEmpty {
                quoted = true
            } else if c == "," {
                row.append(field); field = ""
            } else if c == "\r" && chars.first == "\n" {
                chars.removeFirst(); row.append(field); rows.append(row); row = []; field = ""
            } else {
                field.unicodeScalars.append(c)
            }
        }
        return rows
    }

    func testOneFilePerTableWithHeadersAndEscapedValues() throws {
        let tables = CSVReport.tables(PrivacyTransform.apply(ReportFixtures.result(), PrivacyOptions(identities: .plain)))
        XCTAssertEqual(tables.map(\.name), ["services", "categories", "users", "unknown_domains", "inputs", "timeline", "timeline_services",
                                           "workarounds", "decisions", "decision_substitutes", "decision_departments",
                                           "mail_senders", "mail_self_forwarding", "mail_personal_domains", "mail_auto_forwards", "privacy"])
        for table in tables {
            XCTAssertTrue(table.text.hasSuffix("\r\n"), table.name)
            let rows = Self.parse(table.text)
            XCTAssertEqual(rows.first, table.header, table.name)
            for row in rows { XCTAssertEqual(row.count, table.header.count, "\(table.name): \(row)") }
            for row in rows.dropFirst() {
                for cell in row {
                    if let first = cell.unicodeScalars.first, "=+-@".unicodeScalars.contains(first), Int64(cell) == nil {
                        XCTFail("\(table.name): cell \(cell.debugDescription) would run as a formula")
                    }
                    XCTAssertFalse(cell.contains { $0.isNewline || $0 == "\t" }, "\(table.name): \(cell.debugDescription)")
                }
            }
        }
        let users = try XCTUnwrap(tables.first { $0.name == "users" })
        let names = Self.parse(users.text).dropFirst().map { $0[0] }
        XCTAssertTrue(names.contains("'=HYPERLINK(\"http://evil.example/\",\"x\")"), "\(names)")
        XCTAssertTrue(names.contains("'-2+3"))
        XCTAssertTrue(names.contains("<script>alert(1)</script>"), "CSV keeps text as text")
    }

    func testWritesFilesIntoAFolder() throws {
        let dir = TestSupport.temporaryDirectory().appendingPathComponent("csv/nested").path
        try CSVReport.write(ReportFixtures.result(), to: dir)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        XCTAssertTrue(files.contains("services.csv") && files.contains("decisions.csv") && files.contains("privacy.csv"), "\(files)")
    }
}
