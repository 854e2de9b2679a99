import XCTest
@testable import ShadowScanCore

/// Property tests for the gateway parsers: random bytes and mutated real-shaped lines give a record, a
/// skip or a rejection, never a crash, and an accepted record's spans lie inside the bytes they index
/// (the line, or the parser's scratch).
final class GatewayParserFuzzTests: XCTestCase {
    func testMutatedGatewayLinesNeverCrashAndSpansStayInBounds() {
        var rng = ParserFuzzTests.SplitMix(state: 7)
        for (format, templates) in FormatChunkingTests.samples {
            let seeds = FormatChunkingTests.text(templates, lines: templates.count * 3).split(separator: "\n").map { Array($0.utf8) }
            var parser = format.makeParser(context: nil)
            for iteration in 0..<3000 {
                var bytes = seeds[Int(rng.next() % UInt64(seeds.count))]
                if iteration % 5 == 0 {
                    bytes = (0..<Int(rng.next() % 300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }.filter { $0 != 0x0A }
                }
                for _ in 0..<Int(rng.next() % 6) where !bytes.isEmpty {
                    let at = Int(rng.next() % UInt64(bytes.count))
                    switch rng.next() % 4 {
                    case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                    case 1: bytes.remove(at: at)
                    case 2: bytes.removeSubrange(at..<bytes.count)
                    default: bytes.insert([0x20, 0x22, 0x2C, 0x3D, 0x5C, 0x7B, 0x7D, 0x09, 0x23, 0x3A][Int(rng.next() % 10)], at: at)
                    }
                }
                bytes.withUnsafeBytes { line in
                    if type(of: parser).hasDirectives && parser.directive(line) { return }
                    var record = ProxyRecord()
                    guard parser.parse(line, into: &record), record.isRequest else { return }
                    let limit = record.base(line).count
                    for span in [record.client, record.user, record.method, record.url, record.host, record.path, record.userAgent, record.resultCode] {
                        XCTAssert(span.start >= 0 && span.count >= 0 && span.end <= limit, "\(format.rawValue): span out of bounds for \(bytes)")
                    }
                }
            }
        }
    }
}
