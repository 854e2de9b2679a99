import Foundation
import XCTest
@testable import LogGenerator

/// The web-gateway layouts: the same traffic as squid-native for a seed, request sizes in the truth,
/// W3C headers where they belong.
final class GatewayFormatTests: XCTestCase {
    func testGatewayLayoutsCarryTheSameTrafficAsSquidNative() throws {
        let catalogue = try fixtureCatalogue()
        let native = try generate(catalogue, seed: 8, format: .native, lines: 18_000, serviceRate: 0.3)
        for format in [SquidLogFormat.w3c, .zscalerJSON, .skyhigh] {
            // 18,000 lines hold about 17,800 records: two W3C layouts, four header lines each.
            let extra = format == .w3c ? 8 : 0
            let gateway = try generate(catalogue, seed: 8, format: format, lines: 18_000 + extra, serviceRate: 0.3)
            XCTAssertEqual(gateway.truth.totals.records, native.truth.totals.records, "\(format)")
            XCTAssertEqual(gateway.truth.totals.skipped, extra, "\(format)")
            XCTAssertEqual(gateway.truth.totals.matched, native.truth.totals.matched, "\(format)")
            XCTAssertEqual(gateway.truth.users, native.truth.users, "\(format)")
            XCTAssertEqual(gateway.truth.services.map(\.id), native.truth.services.map(\.id), "\(format)")
            for (g, n) in zip(gateway.truth.services, native.truth.services) {
                XCTAssertEqual([g.requests, g.denied, g.challenges, g.users, g.uploads, g.bytesIn], [n.requests, n.denied, n.challenges, n.users, n.uploads, n.bytesIn], "\(format) \(g.id)")
                XCTAssertNil(n.bytesOut)
                XCTAssertGreaterThan(g.bytesOut ?? 0, 0, "\(format) \(g.id): request sizes are logged")
            }
            XCTAssertNotNil(gateway.truth.totals.bytesOut)
        }
    }

    func testW3CHeadersAndLayoutChange() throws {
        let (log, truth) = try generate(try fixtureCatalogue(), seed: 2, format: .w3c, lines: 12_000)
        let lines = splitLines(log).lines.map { String(decoding: $0, as: UTF8.self) }
        let fields = lines.enumerated().filter { $0.element.hasPrefix("#Fields: ") }
        XCTAssertEqual(fields.count, 2)
        XCTAssertEqual(fields.first?.offset, 3, "the header comes first")
        XCTAssertNotEqual(fields[0].element, fields[1].element, "the field order changes mid-file")
        XCTAssertEqual(truth.totals.skipped, 8)
    }

    func testZscalerRecordsAreJSONAndSkyhighCarriesTheRequestLine() throws {
        let catalogue = try fixtureCatalogue()
        let (zscaler, zTruth) = try generate(catalogue, seed: 4, format: .zscalerJSON, lines: 3_000, malformedRate: 0)
        let objects = splitLines(zscaler).lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
        XCTAssertEqual(objects.count, zTruth.totals.records)
        XCTAssertTrue(objects.allSatisfy { ($0["event"] as? [String: Any])?["reqsize"] != nil })
        let (skyhigh, _) = try generate(catalogue, seed: 4, format: .skyhigh, lines: 3_000, malformedRate: 0)
        XCTAssertTrue(splitLines(skyhigh).lines.allSatisfy { String(decoding: $0, as: UTF8.self).contains(" http_request_first_line=\"") })
    }
}
