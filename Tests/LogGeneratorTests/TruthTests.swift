import Foundation
import XCTest
@testable import LogGenerator

final class TruthTests: XCTestCase {
    /// Lines and malformed kinds, counted straight from the bytes.
    func testTotalsMatchARecountOfTheBytes() throws {
        let catalogue = try fixtureCatalogue()
        for format in SquidLogFormat.allCases {
            let (log, truth) = try generate(catalogue, seed: 3, format: format, lines: 6_000, oversized: 2,
                                            malformedRate: 0.05)
            let (lines, unterminated) = splitLines(log)
            XCTAssertEqual(unterminated, 0, "the log ends with a newline")
            XCTAssertEqual(lines.count, truth.totals.lines)
            XCTAssertEqual(lines.count, 6_000)
            XCTAssertEqual(truth.totals.records + truth.totals.malformed + (truth.totals.skipped ?? 0), truth.totals.lines, "\(format): W3C header lines are the only others")
            XCTAssertEqual(truth.malformedKinds.values.reduce(0, +), truth.totals.malformed)

            let empty = lines.filter(\.isEmpty).count
            let oversized = lines.filter { $0.count > 1 << 20 }.count
            let binary = lines.filter { $0.count <= 1 << 20 && String(validating: $0, as: UTF8.self) == nil }.count
            XCTAssertEqual(empty, truth.malformedKinds["empty"])
            XCTAssertEqual(oversized, 2)
            XCTAssertEqual(oversized, truth.malformedKinds["oversized"])
            XCTAssertEqual(binary, truth.malformedKinds["binary"])
            for kind in MalformedKind.allCases {
                XCTAssertGreaterThan(truth.malformedKinds[kind.rawValue] ?? 0, 0, "\(format): no \(kind) lines")
            }
            // Binary lines never hold anything another convention could take for a line break.
            for line in lines where line.count <= 1 << 20 {
                XCTAssertFalse(line.contains { $0 == 0x0B || $0 == 0x0C || $0 == 0x0D })
            }
        }
    }

    /// The whole truth, recomputed from the bytes by an independent naive reader.
    func testTruthEqualsIndependentRecount() throws {
        try checkRecount(try fixtureCatalogue(), lines: 8_000, serviceRate: 0.3)
    }

    /// The same against the real catalogue (skipped until it exists, or if a pattern is not ICU-compatible).
    func testTruthEqualsIndependentRecountWithRealRules() throws {
        try checkRecount(try realCatalogue(), lines: 20_000, serviceRate: 0.3)
    }

    private func checkRecount(_ catalogue: GeneratorCatalogue, lines: Int, serviceRate: Double) throws {
        for (seed, format) in zip([11, 12, 13] as [UInt64], SquidLogFormat.allCases) {
            let (log, truth) = try generate(catalogue, seed: seed, format: format, lines: lines, oversized: 1,
                                            malformedRate: 0.02, serviceRate: serviceRate)
            guard let recounter = IndependentRecount(catalogue: catalogue, format: format) else {
                throw XCTSkip("a catalogue pattern does not compile with NSRegularExpression")
            }
            let recount = recounter.recount(log)
            XCTAssertEqual(recount.totals, truth.totals, "\(format)")
            XCTAssertEqual(recount.malformedKinds, truth.malformedKinds, "\(format)")
            XCTAssertEqual(recount.services.map(\.id), truth.services.map(\.id), "\(format)")
            for (mine, theirs) in zip(recount.services, truth.services) { XCTAssertEqual(mine, theirs, "\(format)") }
            XCTAssertEqual(recount.users.count, truth.users.count, "\(format)")
            for (mine, theirs) in zip(recount.users, truth.users) { XCTAssertEqual(mine, theirs, "\(format)") }
            // The interesting cases all occur.
            XCTAssertGreaterThan(truth.totals.matched, 0)
            XCTAssertGreaterThan(truth.services.map(\.denied).reduce(0, +), 0)
            XCTAssertGreaterThan(truth.services.map(\.challenges).reduce(0, +), 0)
            XCTAssertGreaterThan(truth.services.map(\.uploads).reduce(0, +), 0)
            XCTAssert(truth.users.contains { $0.user.first!.isNumber }, "unauthenticated identities are addresses")
        }
    }

    func testTruthJSONShape() throws {
        let (_, truth) = try generate(try fixtureCatalogue(), lines: 3_000)
        let data = try truth.jsonData()
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let totals = try XCTUnwrap(object["totals"] as? [String: Any])
        XCTAssertEqual(Set(totals.keys), ["lines", "records", "malformed", "matched", "bytes"])
        let service = try XCTUnwrap((object["services"] as? [[String: Any]])?.first)
        XCTAssertEqual(Set(service.keys), ["id", "requests", "allowed", "denied", "challenges", "users",
                                           "bytes_in", "uploads", "first_seen", "last_seen"])
        let user = try XCTUnwrap((object["users"] as? [[String: Any]])?.first)
        XCTAssertEqual(Set(user.keys), ["user", "requests", "denied", "services"])
        XCTAssertEqual(try LogTruth.decode(from: data), truth)

        // Sorted keys: "allowed" comes before "bytes_in" before "challenges"...
        let text = String(decoding: data, as: UTF8.self)
        let positions = ["\"allowed\"", "\"bytes_in\"", "\"challenges\"", "\"denied\"", "\"first_seen\""]
            .map { text.range(of: $0)!.lowerBound }
        XCTAssertEqual(positions, positions.sorted())
        // Ordering of the lists.
        XCTAssertEqual(truth.services, truth.services.sorted { ($0.requests, $1.id) > ($1.requests, $0.id) })
        XCTAssertEqual(truth.users.map(\.user), truth.users.map(\.user).sorted())
        // Times: 2026-11-..T..:..:..mmmZ
        XCTAssert(truth.services.allSatisfy { $0.firstSeen.hasPrefix("2026-11-") && $0.firstSeen.hasSuffix("Z")
                                               && $0.firstSeen.count == 24 && $0.firstSeen <= $0.lastSeen })
    }

    func testSecondPrecisionFormatsReportWholeSeconds() throws {
        let (_, truth) = try generate(try fixtureCatalogue(), format: .common, lines: 3_000)
        XCTAssertFalse(truth.services.isEmpty)
        XCTAssert(truth.services.allSatisfy { $0.firstSeen.hasSuffix(".000Z") && $0.lastSeen.hasSuffix(".000Z") })
    }
}
