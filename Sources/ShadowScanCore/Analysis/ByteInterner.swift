/// Turns byte strings (user names, domains) into small dense ids without allocating for repeats: an
/// open-addressing table over one growing byte arena. One per worker; ids are local to it and are
/// mapped to global ones once, at merge time.
struct ByteInterner {
    private var slots: [Int32]          // id + 1, 0 = empty
    private var hashes: [UInt64] = []   // per id
    private var offsets: [Int32] = [0]  // id's bytes are arena[offsets[id]..<offsets[id+1]]
    private var arena: [UInt8] = []
    private var mask: Int
    /// Keys longer than this are truncated: a hostile line cannot make one key huge.
    let maxKeyLength: Int

    init(capacity: Int = 1024, maxKeyLength: Int = 256) {
        var c = 16
        while c < capacity * 2 { c <<= 1 }
        slots = Array(repeating: 0, count: c)
        mask = c - 1
        self.maxKeyLength = maxKeyLength
    }

    var count: Int { hashes.count }
    /// Bytes held by the table and arena, for memory accounting.
    var footprint: Int { slots.count * 4 + hashes.count * 8 + offsets.count * 4 + arena.count }

    /// The id of `key`, adding it if new; -1 when it is new but the table already holds `limit` keys.
    @inline(__always)
    mutating func intern(_ key: UnsafeRawBufferPointer, limit: Int = Int.max) -> Int32 {
        let n = min(key.count, maxKeyLength)
        return intern(key, length: n, hash: FNV1a.hash(UnsafeRawBufferPointer(rebasing: key[0..<n])), limit: limit, folding: false)
    }

    /// Every id's hash, indexed by id (FNV-1a for `intern(_:limit:)`: the same in every worker).
    var allHashes: [UInt64] { hashes }

    /// Interns `key` lower-cased, under a hash the caller computed over its lower-cased bytes (the
    /// domain index's suffix hash). Use either this or `intern(_:limit:)` on one table, never both.
    @inline(__always)
    mutating func intern(folding key: UnsafeRawBufferPointer, hash h: UInt64, limit: Int) -> Int32 {
        intern(key, length: min(key.count, maxKeyLength), hash: h, limit: limit, folding: true)
    }

    @inline(__always)
    private mutating func intern(_ key: UnsafeRawBufferPointer, length n: Int, hash h: UInt64, limit: Int, folding: Bool) -> Int32 {
        var slot = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            let id = Int(entry - 1)
            if hashes[id] == h && equal(id, key, n, folding: folding) { return Int32(id) }
            slot = (slot + 1) & mask
        }
        if hashes.count >= limit { return -1 }
        let id = Int32(hashes.count)
        hashes.append(h)
        if folding {
            for k in 0..<n { arena.append(DomainSuffixIndex.lower(key[k])) }
        } else {
            arena.append(contentsOf: UnsafeRawBufferPointer(rebasing: key[0..<n]))
        }
        offsets.append(Int32(arena.count))
        slots[slot] = id + 1
        if hashes.count * 2 > slots.count { grow() }
        return id
    }

    @inline(__always)
    private func equal(_ id: Int, _ key: UnsafeRawBufferPointer, _ n: Int, folding: Bool) -> Bool {
        let start = Int(offsets[id])
        guard Int(offsets[id + 1]) - start == n else { return false }
        return arena.withUnsafeBytes { a in
            if !folding { return memcmpEqual(a.baseAddress! + start, key.baseAddress!, n) }
            for k in 0..<n where a[start + k] != DomainSuffixIndex.lower(key[k]) { return false }
            return true
        }
    }

    private mutating func grow() {
        let c = slots.count * 2
        slots = Array(repeating: 0, count: c)
        mask = c - 1
        for (id, h) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: h ^ (h >> 29)) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id + 1)
        }
    }

    func bytes(of id: Int32) -> [UInt8] {
        Array(arena[Int(offsets[Int(id)])..<Int(offsets[Int(id) + 1])])
    }
}

@inline(__always)
func memcmpEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    n == 0 || memcmp(a, b, n) == 0
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
