/// A set of 64-bit keys (packed id pairs such as service << 32 | user) with open addressing and a
/// multiplicative hash: the hot loop inserts one per record, where `Set`'s SipHash costs too much.
///
/// A large set misses the CPU cache on nearly every insert, yet most inserts repeat a pair seen
/// moments ago (a user's requests to one site come in bursts). A small direct-mapped cache of recent
/// pairs, which fits in L2, answers those without touching the table. The table stays exact: the cache
/// only ever skips inserting a key that is already there.
struct PairSet {
    private var slots: [UInt64]   // key + 1; 0 = empty
    private var shift: UInt64
    private(set) var count = 0
    private var recent: [UInt64]  // key + 1 of recently inserted keys; 0 = empty
    private static let recentBits: UInt64 = 14

    init(capacity: Int = 1024) {
        var bits: UInt64 = 4
        while (1 << bits) < capacity * 2 { bits += 1 }
        slots = Array(repeating: 0, count: 1 << Int(bits))
        shift = 64 - bits
        recent = Array(repeating: 0, count: 1 << Int(Self.recentBits))
    }

    @inline(__always)
    private func slot(_ stored: UInt64) -> Int { Int(truncatingIfNeeded: (stored &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    @inline(__always)
    mutating func insert(_ key: UInt64) {
        let stored = key &+ 1
        let hashed = stored &* 0x9E37_79B9_7F4A_7C15
        let line = Int(truncatingIfNeeded: hashed >> (64 - Self.recentBits))
        let seen = recent.withUnsafeMutableBufferPointer { r in
            if r[line] == stored { return true }
            r[line] = stored
            return false
        }
        if seen { return }
        let mask = slots.count - 1
        var i = slot(stored)
        let inserted: Bool = slots.withUnsafeMutableBufferPointer { s in
            while true {
                let v = s[i]
                if v == stored { return false }
                if v == 0 { s[i] = stored; return true }
                i = (i + 1) & mask
            }
        }
        if inserted {
            count += 1
            if count * 2 > slots.count { grow() }
        }
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        shift -= 1
        let mask = slots.count - 1
        for stored in old where stored != 0 {
            var i = slot(stored)
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = stored
        }
    }

    /// The keys, in no particular order.
    func forEach(_ body: (UInt64) -> Void) {
        for stored in slots where stored != 0 { body(stored &- 1) }
    }
}
