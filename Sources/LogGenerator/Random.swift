import Foundation

/// A small, fast, seedable PRNG (xoshiro256**, seeded through SplitMix64).
///
/// The generator never uses the system RNG or the standard library's `random(in:using:)`:
/// their algorithms are not guaranteed stable across Swift versions, and the output must be
/// byte-identical for a given seed forever.
struct SeededRandom {
    private var s0, s1, s2, s3: UInt64

    init(seed: UInt64) {
        var sm = seed
        func splitMix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(&sm)
        s1 = splitMix(&sm)
        s2 = splitMix(&sm)
        s3 = splitMix(&sm)
    }

    /// An independent stream derived from this one (for sub-models that must not shift
    /// the main sequence when they change).
    mutating func fork() -> SeededRandom { SeededRandom(seed: next()) }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform integer in `0..<n` (Lemire's multiply-shift with rejection; unbiased).
    @inline(__always)
    mutating func below(_ n: Int) -> Int {
        precondition(n > 0)
        let bound = UInt64(n)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return Int(m.high)
    }

    /// Uniform integer in a closed range.
    @inline(__always)
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// Uniform double in [0, 1) with 53 random bits.
    @inline(__always)
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    @inline(__always)
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    @inline(__always)
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// Exponentially distributed value with the given mean.
    mutating func exponential(mean: Double) -> Double {
        -mean * log(1 - unit())   // 1 - u is in (0, 1], so never log(0)
    }

    /// Pareto-distributed value (heavy tail) with minimum `xm` and shape `alpha`.
    mutating func pareto(minimum xm: Double, alpha: Double) -> Double {
        xm / pow(1 - unit(), 1 / alpha)
    }

    /// Shuffles in place (Fisher-Yates) with this generator.
    mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, below(i + 1))
        }
    }
}

/// Picks indices with fixed relative weights (cumulative table + binary search).
struct WeightedPicker {
    private let cumulative: [Double]

    init(weights: [Double]) {
        precondition(!weights.isEmpty)
        var total = 0.0
        cumulative = weights.map { total += $0; return total }
    }

    /// Zipf-like weights `1 / (rank + 1)^exponent`: a few very popular items, a long tail.
    static func zipf(count: Int, exponent: Double) -> WeightedPicker {
        WeightedPicker(weights: (0..<count).map { 1 / pow(Double($0 + 1), exponent) })
    }

    var count: Int { cumulative.count }

    @inline(__always)
    func pick(_ rng: inout SeededRandom) -> Int {
        let target = rng.unit() * cumulative[cumulative.count - 1]
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > target { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
