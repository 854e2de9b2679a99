import XCTest
@testable import ShadowScanCore

/// The JSON writer: layout and escaping of hostile strings (it writes bytes; the output must not change).
final class JSONValueTests: XCTestCase {
    func testEscapingOfHostileStrings() {
        let value = JSONValue.object([
            ("plain", .string("jsmith@council.example")),
            ("quote", .string("a\"b\\c")),
            ("controls", .string("x\u{1B}[31m\n\r\t\u{7F}\u{0}")),
            ("separators", .string("\u{2028}\u{2029}")),
            ("unicode", .string("Zoë 東京 🙂")),
            ("ke\"y", .int(-3)),
            ("list", .array([.null, .bool(true), .string("")])),
            ("empty", .object([])),
            ("rows", .array([.object([("a", .int(1))]), .array([])])),
        ])
        XCTAssertEqual(value.serialized(), """
            {
              "plain": "jsmith@council.example",
              "quote": "a\\"b\\\\c",
              "controls": "x\\u001b[31m\\n\\r\\t\\u007f\\u0000",
              "separators": "\\u2028\\u2029",
              "unicode": "Zoë 東京 🙂",
              "ke\\"y": -3,
              "list": [null, true, ""],
              "empty": {},
              "rows": [
                {
                  "a": 1
                },
                []
              ]
            }

            """)
        var text = ""
        JSONValue.escape("tab\there", into: &text)
        XCTAssertEqual(text, "\"tab\\there\"")
    }
}
