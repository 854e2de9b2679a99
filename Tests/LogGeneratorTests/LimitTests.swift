import Foundation
import XCTest
@testable import LogGenerator

final class LimitTests: XCTestCase {
    func testExactLineCountIncludingOversizedLines() throws {
        let catalogue = try fixtureCatalogue()
        for lines in [0, 1, 3, 100] {
            let (log, truth) = try generate(catalogue, lines: lines, oversized: min(lines, 3))
            XCTAssertEqual(splitLines(log).lines.count, lines)
            XCTAssertEqual(truth.totals.lines, lines)
            XCTAssertEqual(truth.malformedKinds["oversized"], min(lines, 3))
        }
    }

    func testSizeLimitEndsOnTheFirstLineEndPastTheSize() throws {
        let options = GeneratorOptions(seed: 2, format: .native, limit: .bytes(1_000_000))
        let (log, truth) = try SquidLogGenerator(catalogue: try fixtureCatalogue(), options: options).generate()
        XCTAssertGreaterThanOrEqual(log.count, 1_000_000)
        XCTAssertLessThan(log.count, 1_000_000 + 2_000)
        XCTAssertEqual(log.last, 0x0A)
        XCTAssertEqual(truth.totals.lines, splitLines(log).lines.count)
    }

    func testOversizedLinesAreAllWrittenEvenPastTheSize() throws {
        let options = GeneratorOptions(seed: 2, format: .native, limit: .bytes(100_000), oversized: 2)
        let (log, truth) = try SquidLogGenerator(catalogue: try fixtureCatalogue(), options: options).generate()
        XCTAssertEqual(truth.malformedKinds["oversized"], 2)
        XCTAssertEqual(splitLines(log).lines.filter { $0.count > 1 << 20 }.count, 2)
    }

    func testInvalidOptionsAreRejected() throws {
        let catalogue = try fixtureCatalogue()
        XCTAssertThrowsError(try SquidLogGenerator(catalogue: catalogue, options: GeneratorOptions(users: 0)))
        XCTAssertThrowsError(try SquidLogGenerator(catalogue: catalogue, options: GeneratorOptions(malformedRate: 2)))
        XCTAssertThrowsError(try SquidLogGenerator(catalogue: catalogue,
                                                   options: GeneratorOptions(limit: .lines(2), oversized: 3)))
    }

    func testServiceRateIsRoughlyHonoured() throws {
        let (_, truth) = try generate(try fixtureCatalogue(), seed: 10, lines: 20_000)
        let share = Double(truth.totals.matched) / Double(truth.totals.records)
        XCTAssert((0.08...0.12).contains(share), "\(share)")
    }
}
