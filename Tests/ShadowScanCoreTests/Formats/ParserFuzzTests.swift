import XCTest
@testable import ShadowScanCore

/// Property tests: any bytes, and any mutation of a valid line, give a record or a rejection, never a
/// crash; spans of an accepted record always lie inside the line.
final class ParserFuzzTests: XCTestCase {
    struct SplitMix { var state: UInt64; mutating func next() -> UInt64 { state &+= 0x9E3779B97F4A7C15; var z = state; z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) &* 0x94D049BB133111EB; return z ^ (z >> 31) } }

    let seeds = [
        "1431966856.793  48016 ::1 TCP_MISS/200 16674 CONNECT 0.docs.google.com:443 - DIRECT/173.194.206.189 -",
        #"10.1.2.3 - jsmith [02/Nov/2026:08:00:01 +0100] "GET http://[::1]:80/a.html HTTP/1.1" 200 5123 TCP_MISS:HIER_DIRECT "-" "UA""#,
    ]

    func testRandomAndMutatedLinesNeverCrash() {
        var rng = SplitMix(state: 42)
        let parsers: [any LogLineParser] = LogFormat.allCases.map(\.parser)
        for iteration in 0..<20_000 {
            var bytes: [UInt8]
            if iteration % 2 == 0 {
                bytes = (0..<Int(rng.next() % 200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }.filter { $0 != 0x0A }
            } else {
                bytes = Array(seeds[Int(rng.next() % UInt64(seeds.count))].utf8)
                for _ in 0..<Int(1 + rng.next() % 4) where !bytes.isEmpty {
                    let at = Int(rng.next() % UInt64(bytes.count))
                    switch rng.next() % 3 {
                    case 0: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                    case 1: bytes.remove(at: at)
                    default: bytes.insert([0x20, 0x22, 0x2F, 0x3A, 0x5B, 0x5D, 0x2E][Int(rng.next() % 7)], at: at)
                    }
                }
            }
            for parser in parsers {
                var record = ProxyRecord()
                let ok = bytes.withUnsafeBytes { parser.parse($0, into: &record) }
                if ok {
                    for span in [record.client, record.user, record.method, record.url, record.host, record.path, record.userAgent, record.resultCode] {
                        XCTAssert(span.start >= 0 && span.count >= 0 && span.end <= bytes.count, "span out of line for \(bytes)")
                    }
                }
            }
        }
    }
}
