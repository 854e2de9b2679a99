/// Address ranges (CIDR) that belong to catalogue services, from the policy's `ip_ranges`: a request to
/// a raw IP host in one of them is that service's traffic for workaround detection (a side door). Both
/// address families live in one 128-bit space (IPv4 as IPv4-mapped IPv6), sorted for binary search.
public struct IPRangeTable: Sendable {
    struct Range: Sendable { var low: UInt128; var high: UInt128; var service: Int32 }
    private(set) var ranges: [Range] = []

    public init() {}
    public var isEmpty: Bool { ranges.isEmpty }

    /// A copy with its own storage, for one worker.
    func privateCopy() -> IPRangeTable {
        var copy = IPRangeTable()
        copy.ranges = ranges.withUnsafeBufferPointer { Array($0) }
        return copy
    }

    /// Adds `cidr` (`162.125.0.0/16`, `2620:100:6000::/40`, or one address) for `service`; returns a
    /// reason when it is not a valid range.
    public mutating func add(_ cidr: String, service: Int32) -> String? {
        let parts = cidr.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let addressText = Array(parts[0].utf8)
        guard let (address, isV4) = addressText.withUnsafeBytes({ Self.parse($0) }) else {
            return "'\(cidr)' is not an IPv4 or IPv6 address or CIDR range"
        }
        let maxBits = isV4 ? 32 : 128
        var prefix = maxBits
        if parts.count == 2 {
            guard let p = Int(parts[1]), p >= 0, p <= maxBits else { return "'\(cidr)': prefix length must be 0...\(maxBits)" }
            prefix = p
        }
        let bits = isV4 ? prefix + 96 : prefix
        let hostMask: UInt128 = bits >= 128 ? 0 : (UInt128.max >> UInt128(bits))
        if address & hostMask != 0 { return "'\(cidr)' has host bits set (did you mean the network address?)" }
        ranges.append(Range(low: address, high: address | hostMask, service: service))
        ranges.sort { ($0.low, $0.high) < ($1.low, $1.high) }
        return nil
    }

    /// The service of the most specific range holding the IP literal `host`, or -1 (also when `host` is
    /// not an IP literal).
    @inline(__always)
    func service(ofHost host: UnsafeRawBufferPointer) -> Int32 {
        guard !ranges.isEmpty, let (address, _) = Self.parse(host) else { return -1 }
        // Ranges are few; the most specific (narrowest) containing range wins.
        var best: Int32 = -1
        var bestWidth = UInt128.max
        for r in ranges {
            if r.low > address { break }
            if address <= r.high && r.high - r.low <= bestWidth { best = r.service; bestWidth = r.high - r.low }
        }
        return best
    }

    /// Parses a dotted IPv4 or an IPv6 literal (no brackets, no zone) into the 128-bit space.
    static func parse(_ b: UnsafeRawBufferPointer) -> (UInt128, isV4: Bool)? {
        let n = b.count
        guard n >= 2 && n <= 45 else { return nil }
        // Most hosts are names ending in a letter no address ends with: rejected without a scan.
        let last = b[n - 1] | 0x20
        guard (last >= 0x30 && last <= 0x3A) || (last >= 0x61 && last <= 0x66) else { return nil }
        var hasColon = false
        for i in 0..<n where b[i] == 0x3A { hasColon = true; break }
        if !hasColon {
            guard let v4 = parseV4(b, 0, n) else { return nil }
            return (UInt128(0xFFFF) << 32 | UInt128(v4), true)
        }
        // IPv6: up to 8 groups, one "::", optionally a trailing dotted IPv4.
        var head: [UInt16] = [], tail: [UInt16] = []
        var sawGap = false
        var i = 0
        if n >= 2 && b[0] == 0x3A && b[1] == 0x3A { sawGap = true; i = 2 }
        else if b[0] == 0x3A { return nil }
        while i < n {
            var j = i
            var value: UInt32 = 0
            var digits = 0
            while j < n, let d = hexValue(b[j]) { value = value << 4 | UInt32(d); digits += 1; j += 1; if digits > 4 { return nil } }
            if j < n && b[j] == 0x2E {
                // Embedded IPv4 in the last 32 bits.
                guard let v4 = parseV4(b, i, n) else { return nil }
                let groups = [UInt16(v4 >> 16), UInt16(v4 & 0xFFFF)]
                if sawGap { tail += groups } else { head += groups }
                i = n
                break
            }
            guard digits > 0 else { return nil }
            if sawGap { tail.append(UInt16(value)) } else { head.append(UInt16(value)) }
            if j == n { i = n; break }
            guard b[j] == 0x3A else { return nil }
            if j + 1 < n && b[j + 1] == 0x3A {
                if sawGap { return nil }
                sawGap = true
                i = j + 2
            } else {
                i = j + 1
                if i == n { return nil }
            }
        }
        let total = head.count + tail.count
        guard sawGap ? total <= 7 : total == 8 else { return nil }
        let groups = head + Array(repeating: 0, count: 8 - total) + tail
        var value: UInt128 = 0
        for g in groups { value = value << 16 | UInt128(g) }
        return (value, false)
    }

    private static func parseV4(_ b: UnsafeRawBufferPointer, _ start: Int, _ end: Int) -> UInt32? {
        var value: UInt32 = 0, octet: UInt32 = 0, digits = 0, dots = 0
        for i in start..<end {
            let c = b[i]
            if c >= 0x30 && c <= 0x39 {
                octet = octet * 10 + UInt32(c - 0x30)
                digits += 1
                if digits > 3 || octet > 255 { return nil }
            } else if c == 0x2E {
                guard digits > 0, dots < 3 else { return nil }
                value = value << 8 | octet; octet = 0; digits = 0; dots += 1
            } else {
                return nil
            }
        }
        guard digits > 0, dots == 3 else { return nil }
        return value << 8 | octet
    }

    @inline(__always)
    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }
}
