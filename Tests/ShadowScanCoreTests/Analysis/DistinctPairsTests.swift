import XCTest
@testable import ShadowScanCore

final class DistinctPairsTests: XCTestCase {
    struct SplitMix { var state: UInt64; mutating func next() -> UInt64 { state &+= 0x9E3779B97F4A7C15; var z = state; z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9; z = (z ^ (z >> 27)) &* 0x94D049BB133111EB; return z ^ (z >> 31) } }

    func collect(_ pairs: DistinctPairs) -> Set<UInt64> {
        var out = Set<UInt64>()
        pairs.forEach { out.insert(UInt64($0) << 32 | UInt64($1)) }
        return out
    }

    func testMatchesASetInBitmapAndHashedModes() {
        for budget in [16 << 20, 4096] {   // the small budget forces the move to a hash set midway
            var pairs = DistinctPairs(maxBitmapBytes: budget)
            var reference = Set<UInt64>()
            var rng = SplitMix(state: UInt64(budget))
            for _ in 0..<50_000 {
                let row = Int32(rng.next() % 700), column = Int32(rng.next() % 300)
                pairs.insert(row: row, column: column)
                reference.insert(UInt64(row) << 32 | UInt64(column))
            }
            XCTAssertEqual(collect(pairs), reference, "budget \(budget)")
            XCTAssertEqual(pairs.isBitmap, budget > 4096)
        }
    }

    func testPairSetWithRecentCache() {
        var set = PairSet(capacity: 16)
        var reference = Set<UInt64>()
        var rng = SplitMix(state: 9)
        for _ in 0..<100_000 {
            let key = rng.next() % 20_000
            set.insert(key)
            reference.insert(key)
        }
        var got = Set<UInt64>()
        set.forEach { got.insert($0) }
        XCTAssertEqual(got, reference)
        XCTAssertEqual(set.count, reference.count)
    }
}
