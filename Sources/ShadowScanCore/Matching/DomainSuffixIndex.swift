/// Maps catalogue domains to service numbers and finds, for a host, the most specific catalogue domain
/// that is a suffix of it on a label boundary: `www.dropbox.com` → `dropbox.com`, but never
/// `notdropbox.com` or `dropbox.com.evil.net`.
///
/// An open-addressing table over a byte arena. The host is hashed once, right to left, so the hash of
/// every label suffix falls out of a single pass; lookups fold ASCII case and allocate nothing.
///
/// Most suffixes of most hosts are not catalogue domains (`com`, `example.com`). A blocked Bloom filter
/// (16 bits per domain, two bits in one 64-bit word per suffix) answers those from a table small enough
/// for the L2 cache, so a 100,000-domain imported catalogue (a 6 MB slot table) costs about what the
/// built-in one does: the slots are only read for the suffixes that may be there.
public struct DomainSuffixIndex: Sendable {
    private struct Slot { var hash: UInt64; var offset: Int32; var length: Int32; var value: Int32 }
    private var slots: [Slot]
    private var arena: [UInt8]
    private let mask: Int
    private var filter: [UInt64]
    private let filterMask: Int
    public let count: Int

    public init(_ entries: [(domain: String, value: Int32)]) {
        var capacity = 16
        while capacity < entries.count * 2 { capacity <<= 1 }
        slots = Array(repeating: Slot(hash: 0, offset: 0, length: -1, value: -1), count: capacity)
        arena = []
        mask = capacity - 1
        var words = 64
        while words * 64 < entries.count * 16 { words <<= 1 }
        filter = Array(repeating: 0, count: words)
        filterMask = words - 1
        var inserted = 0
        for (domain, value) in entries {
            let bytes = Array(domain.lowercased().utf8)
            let hash = bytes.withUnsafeBytes { Self.suffixHash($0, from: 0) }
            var i = Int(truncatingIfNeeded: hash) & mask
            var duplicate = false
            while slots[i].length >= 0 {
                if slots[i].hash == hash && arena[Int(slots[i].offset)..<Int(slots[i].offset + slots[i].length)].elementsEqual(bytes) {
                    duplicate = true   // first claim wins; the loader reports duplicates
                    break
                }
                i = (i + 1) & mask
            }
            if duplicate { continue }
            slots[i] = Slot(hash: hash, offset: Int32(arena.count), length: Int32(bytes.count), value: value)
            filter[Int(truncatingIfNeeded: hash >> 40) & filterMask] |= Self.filterBits(hash)
            arena.append(contentsOf: bytes)
            inserted += 1
        }
        count = inserted
    }

    /// A copy with its own storage. Workers each take one: reading arrays shared between threads costs
    /// atomic reference counting on the same cache lines from every core.
    func privateCopy() -> DomainSuffixIndex {
        var copy = self
        copy.slots = slots.withUnsafeBufferPointer { Array($0) }
        copy.arena = arena.withUnsafeBufferPointer { Array($0) }
        copy.filter = filter.withUnsafeBufferPointer { Array($0) }
        return copy
    }

    /// Hash of `bytes[from...]`, computed right to left (FNV-1a over the reversed, lower-cased bytes).
    @inline(__always)
    static func suffixHash(_ bytes: UnsafeRawBufferPointer, from: Int) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        var i = bytes.count
        while i > from {
            i -= 1
            h = (h ^ UInt64(lower(bytes[i]))) &* 0x100000001b3
        }
        return h
    }

    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 { (b &- 0x41) < 26 ? b | 0x20 : b }

    /// The two filter bits of a hash, within the word `hash >> 40` selects (bits of the hash the slot
    /// index does not use).
    @inline(__always)
    static func filterBits(_ hash: UInt64) -> UInt64 { (1 << ((hash >> 28) & 63)) | (1 << ((hash >> 34) & 63)) }

    /// The value of the longest catalogue domain that `host` equals or ends with on a label boundary,
    /// or -1. `host` must not carry a port or a trailing dot.
    @inline(__always)
    public func longestSuffixMatch(_ host: UnsafeRawBufferPointer) -> Int32 {
        var suffixes = HostSuffixes()
        return lookup(host, suffixes: &suffixes)
    }

    /// As `longestSuffixMatch`, also handing back the start and hash of the host's last three label
    /// suffixes (`com`, `example.com`, `www.example.com`), which the caller reuses to group unknown
    /// hosts by registrable domain without hashing again.
    @inline(__always)
    func lookup(_ host: UnsafeRawBufferPointer, suffixes: inout HostSuffixes) -> Int32 {
        let n = host.count
        guard n > 0 else { return -1 }
        var best: Int32 = -1
        var h: UInt64 = 0xcbf29ce484222325
        var i = n
        var found = 0
        let filterMask = self.filterMask
        return slots.withUnsafeBufferPointer { slots in
            filter.withUnsafeBufferPointer { filter in
            arena.withUnsafeBufferPointer { arena in
                while i > 0 {
                    i -= 1
                    let b = host[i]
                    h = (h ^ UInt64(Self.lower(b))) &* 0x100000001b3
                    // A suffix starting at i is a candidate when i is the host's start or follows a dot.
                    if i == 0 || host[i - 1] == 0x2E {
                        switch found {
                        case 0: suffixes.start.0 = i; suffixes.hash.0 = h
                        case 1: suffixes.start.1 = i; suffixes.hash.1 = h
                        case 2: suffixes.start.2 = i; suffixes.hash.2 = h
                        default: break
                        }
                        found += 1
                        let bits = Self.filterBits(h)
                        if filter[Int(truncatingIfNeeded: h >> 40) & filterMask] & bits != bits { continue }
                        let length = n - i
                        var slot = Int(truncatingIfNeeded: h) & mask
                        while slots[slot].length >= 0 {
                            let s = slots[slot]
                            if s.hash == h && Int(s.length) == length && Self.equalFolded(host, i, arena, Int(s.offset), length) {
                                best = s.value
                                break
                            }
                            slot = (slot + 1) & mask
                        }
                    }
                }
                suffixes.count = found
                return best
            }
            }
        }
    }

    @inline(__always)
    private static func equalFolded(_ host: UnsafeRawBufferPointer, _ at: Int, _ arena: UnsafeBufferPointer<UInt8>, _ offset: Int, _ length: Int) -> Bool {
        for k in 0..<length where lower(host[at + k]) != arena[offset + k] { return false }
        return true
    }
}

/// The last three label suffixes of a host, from the right: starts and case-folded suffix hashes.
struct HostSuffixes {
    var count = 0
    var start = (0, 0, 0)
    var hash: (UInt64, UInt64, UInt64) = (0, 0, 0)
}
