import Foundation
import XCTest
@testable import LogGenerator

final class FormatTests: XCTestCase {
    private func records(_ format: SquidLogFormat, seed: UInt64 = 4, lines: Int = 5_000) throws -> [String] {
        let (log, _) = try generate(try fixtureCatalogue(), seed: seed, format: format, lines: lines, malformedRate: 0)
        return splitLines(log).lines.map { String(decoding: $0, as: UTF8.self) }
    }

    func testNativeShape() throws {
        let lines = try records(.native)
        var lastMillis: Int64 = 0
        for line in lines {
            let bytes = Array(line.utf8)
            // "%ts.%03tu": ten digits, a dot, three digits; then "%6tr" right-aligned in six characters.
            XCTAssert(bytes[0..<10].allSatisfy(\.isASCIIDigit) && bytes[10] == UInt8(ascii: ".")
                      && bytes[11..<14].allSatisfy(\.isASCIIDigit) && bytes[14] == UInt8(ascii: " "), line)
            // Right-aligned: the digits end at column 21, unless more than 999999 ms widen the field.
            XCTAssert(bytes[20].isASCIIDigit && (bytes[21] == UInt8(ascii: " ") || bytes[21].isASCIIDigit), line)
            let fields = line.split(separator: " ")
            XCTAssertEqual(fields.count, 10, line)
            let millis = Int64(fields[0].replacingOccurrences(of: ".", with: ""))!
            XCTAssertGreaterThanOrEqual(millis, lastMillis, "timestamps never go back")
            lastMillis = millis
            XCTAssert(fields[3].contains("/") && fields[3].split(separator: "/")[1].count == 3, line)
            XCTAssert(fields[8].hasPrefix("HIER_"), line)
            if fields[5] == "CONNECT" { XCTAssertFalse(fields[6].contains("/"), line) }
            if fields[3] == "TCP_TUNNEL/200" { XCTAssertEqual(fields[9], "-", line) }
            if fields[3].hasPrefix("TCP_DENIED") { XCTAssertEqual(fields[8], "HIER_NONE/-", line) }
            if fields[3] == "TCP_DENIED/407" { XCTAssertEqual(fields[7], "-", "challenges carry no user") }
        }
        let fields = lines.map { $0.split(separator: " ") }
        let anonymous = fields.filter { $0[7] == "-" }.count
        XCTAssert((100...600).contains(anonymous), "about 5% unauthenticated: \(anonymous)")
        XCTAssert(fields.contains { $0[2].contains(":") }, "some IPv6 clients")
        XCTAssert(fields.contains { $0[3] == "TCP_TUNNEL/200" && $0[5] == "CONNECT" })
        XCTAssert(fields.contains { $0[3] == "TCP_DENIED/403" })
        XCTAssert(fields.contains { $0[3] == "TCP_DENIED/407" })
        XCTAssert(fields.contains { $0[5] == "POST" })
        XCTAssert(fields.contains { $0[6].hasPrefix("http://") && $0[5] == "GET" })
    }

    func testCommonAndCombinedShape() throws {
        for format in [SquidLogFormat.common, .combined] {
            var offsets = Set<String>()
            for line in try records(format) {
                let bytes = Array(line.utf8)
                let open = try XCTUnwrap(bytes.firstIndex(of: UInt8(ascii: "[")), line)
                // [dd/Mon/yyyy:HH:MM:SS +zzzz]
                XCTAssertEqual(bytes[open + 27], UInt8(ascii: "]"), line)
                XCTAssertEqual(bytes[open + 3], UInt8(ascii: "/"), line)
                XCTAssertEqual(bytes[open + 12], UInt8(ascii: ":"), line)
                offsets.insert(String(decoding: bytes[(open + 22)..<(open + 27)], as: UTF8.self))
                XCTAssertEqual(bytes[open + 28], UInt8(ascii: " "))
                XCTAssertEqual(bytes[open + 29], UInt8(ascii: "\""))
                let quotes = bytes.filter { $0 == UInt8(ascii: "\"") }.count
                XCTAssertEqual(quotes, format == .combined ? 6 : 2, line)
                XCTAssert(line.contains(" HTTP/1.1\" ") || line.contains(" HTTP/1.0\" "), line)
                XCTAssertEqual(line.split(separator: " ")[1], "-", "ident is always -")
                if format == .common { XCTAssert(line.split(separator: " ").last!.contains(":HIER_"), line) }
            }
            XCTAssertTrue(offsets.isSuperset(of: ["+0000", "+0100"]), "\(offsets)")
        }
    }

    func testLocalTimeFollowsTheOffset() {
        // 2026-11-02T07:00:01.5Z, written as local time one hour ahead.
        let millis = CivilTime.epochSeconds(year: 2026, month: 11, day: 2, hour: 7, minute: 0, second: 1) * 1000 + 500
        var out: [UInt8] = []
        out.appendCommonLogTime(millis: millis, utcOffsetMinutes: 60)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "02/Nov/2026:08:00:01 +0100")
        out = []
        out.appendCommonLogTime(millis: millis, utcOffsetMinutes: -300)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "02/Nov/2026:02:00:01 -0500")
        XCTAssertEqual(iso8601(millis: millis), "2026-11-02T07:00:01.500Z")
        XCTAssertEqual(CivilTime.epochSeconds(year: 2026, month: 11, day: 7, hour: 8), 1_794_038_400)
        XCTAssertEqual(CivilTime(epochSeconds: 1_794_038_400).weekday, 6, "7 Nov 2026 is a Saturday")
    }

    func testExampleLine() {
        var record = SquidRecord()
        record.millis = 1_794_038_400_123
        record.elapsed = 245
        record.client = Array("10.1.2.3".utf8)
        record.resultCode = Array("TCP_MISS".utf8)
        record.status = 200
        record.bytes = 5123
        record.method = Array("GET".utf8)
        record.url = Array("http://www.example.com/a.html".utf8)
        record.user = Array("jsmith".utf8)
        record.hierarchy = Array("HIER_DIRECT".utf8)
        record.peer = Array("93.184.216.34".utf8)
        record.mime = Array("text/html".utf8)
        record.httpVersion = Array("1.1".utf8)
        record.referer = Array("-".utf8)
        record.userAgent = Array("curl/8.5.0".utf8)
        var out: [UInt8] = []
        SquidLineWriter.append(record, format: .native, to: &out)
        SquidLineWriter.append(record, format: .common, to: &out)
        SquidLineWriter.append(record, format: .combined, to: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), """
            1794038400.123    245 10.1.2.3 TCP_MISS/200 5123 GET http://www.example.com/a.html jsmith HIER_DIRECT/93.184.216.34 text/html
            10.1.2.3 - jsmith [07/Nov/2026:08:00:00 +0000] "GET http://www.example.com/a.html HTTP/1.1" 200 5123 TCP_MISS:HIER_DIRECT
            10.1.2.3 - jsmith [07/Nov/2026:08:00:00 +0000] "GET http://www.example.com/a.html HTTP/1.1" 200 5123 "-" "curl/8.5.0" TCP_MISS:HIER_DIRECT

            """)
    }

    func testMalformedLinesAreUnparseable() throws {
        let (log, truth) = try generate(try fixtureCatalogue(), seed: 6, lines: 4_000, oversized: 1, malformedRate: 0.2)
        let recount = try XCTUnwrap(IndependentRecount(catalogue: try fixtureCatalogue(), format: .native))
        var malformed = 0
        for slice in splitLines(log).lines {
            guard let line = String(validating: slice, as: UTF8.self), recount.parse(line) != nil else {
                malformed += 1
                // Native: either the first field is not digits.digits or there are fewer than 7 fields.
                if let text = String(validating: slice, as: UTF8.self), slice.count <= 1 << 20 {
                    let fields = text.split(separator: " ")
                    let first = fields.first.map(String.init) ?? ""
                    let timeLike = first.split(separator: ".").count == 2 && first.allSatisfy { $0.isNumber || $0 == "." }
                    XCTAssert(!timeLike || fields.count < 7, text)
                }
                continue
            }
        }
        XCTAssertEqual(malformed, truth.totals.malformed)
    }
}
