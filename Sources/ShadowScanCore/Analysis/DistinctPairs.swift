/// An exact set of (row, column) pairs of dense ids, such as (domain, user): distinct users per domain.
///
/// While rows × columns fits the budget it is a bit matrix stored column-block-major: one array of
/// 64-bit words per block of 64 columns, indexed by row. Ids are dense, so the matrix is small (3,500
/// domains × 1,600 users is 700 KiB) and an insert is one OR into cache-resident memory, where a hash
/// set misses the cache on nearly every insert. Beyond the budget it moves, once, to a hash set.
struct DistinctPairs {
    private var blocks: [[UInt64]] = []
    private var rowCapacity = 0
    private var hashed: PairSet?
    let maxBitmapBytes: Int

    init(maxBitmapBytes: Int = 16 << 20) { self.maxBitmapBytes = maxBitmapBytes }

    var isBitmap: Bool { hashed == nil }

    @inline(__always)
    mutating func insert(row: Int32, column: Int32) {
        let r = Int(row), block = Int(column) >> 6
        if hashed == nil && block < blocks.count && r < rowCapacity {
            blocks[block].withUnsafeMutableBufferPointer { $0[r] |= 1 << UInt64(column & 63) }
            return
        }
        insertSlowly(row: row, column: column)
    }

    private mutating func insertSlowly(row: Int32, column: Int32) {
        if hashed != nil {
            hashed!.insert(UInt64(row) << 32 | UInt64(column))
            return
        }
        let neededBlocks = max(blocks.count, Int(column) / 64 + 1)
        var neededRows = rowCapacity
        while neededRows <= Int(row) { neededRows = max(64, neededRows * 2) }
        if neededBlocks * neededRows * 8 > maxBitmapBytes {
            var set = PairSet(capacity: 1 << 16)
            forEach { r, c in set.insert(UInt64(r) << 32 | UInt64(c)) }
            blocks = []
            hashed = set
            hashed!.insert(UInt64(row) << 32 | UInt64(column))
            return
        }
        if neededRows > rowCapacity {
            for b in blocks.indices { blocks[b].append(contentsOf: repeatElement(0, count: neededRows - rowCapacity)) }
            rowCapacity = neededRows
        }
        while blocks.count < neededBlocks { blocks.append(Array(repeating: 0, count: rowCapacity)) }
        insert(row: row, column: column)
    }

    /// Calls `body` with every pair, in no particular order.
    func forEach(_ body: (Int32, Int32) -> Void) {
        if let hashed {
            hashed.forEach { body(Int32(truncatingIfNeeded: $0 >> 32), Int32(truncatingIfNeeded: $0 & 0xFFFF_FFFF)) }
            return
        }
        for (b, words) in blocks.enumerated() {
            for (r, word) in words.enumerated() where word != 0 {
                var w = word
                while w != 0 {
                    body(Int32(r), Int32(b * 64 + w.trailingZeroBitCount))
                    w &= w - 1
                }
            }
        }
    }
}
