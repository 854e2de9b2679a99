/// The registrable part of a host ("eTLD+1") for grouping unknown domains: `a.b.example.co.uk` →
/// `example.co.uk`, `cdn.vendor.com` → `vendor.com`. An approximation of the Public Suffix List: the
/// last two labels, or three under a two-letter country code whose second level is a common public
/// one (co, com, gov, ac, org, net, edu, ...). IP literals have none.
enum RegistrableDomain {
    /// Which of the host's last label suffixes is the registrable domain (1: two labels, 2: three
    /// labels), or nil for IP literals and single labels. Uses the suffixes the matcher found.
    @inline(__always)
    static func suffixIndex(of host: UnsafeRawBufferPointer, _ suffixes: HostSuffixes) -> Int? {
        let n = host.count
        guard suffixes.count >= 2, n > 0 else { return nil }
        if ASCII.isDigit(host[n - 1]) { return nil }        // IPv4 literal (no TLD ends in a digit)
        let tldLength = n - suffixes.start.0
        if tldLength == 2 && suffixes.count >= 3 {
            let sldStart = suffixes.start.1
            if isPublicSecondLevel(host, sldStart, suffixes.start.0 - 1 - sldStart) { return 2 }
        }
        return 1
    }

    /// The start offset of the registrable domain in `host`, or nil (IP literal, single label).
    @inline(__always)
    static func start(of host: UnsafeRawBufferPointer) -> Int? {
        let n = host.count
        guard n > 0 else { return nil }
        // IP literals: IPv6 has a colon; IPv4 ends in a digit (no TLD does).
        let last = host[n - 1]
        if ASCII.isDigit(last) { return nil }
        var dots = 0
        var dotPositions = (0, 0, 0)   // positions of the last three dots, most recent first
        var i = n - 1
        while i >= 0 {
            let b = host[i]
            if b == ASCII.colon { return nil }
            if b == ASCII.dot {
                dots += 1
                switch dots {
                case 1: dotPositions.0 = i
                case 2: dotPositions.1 = i
                case 3: dotPositions.2 = i
                default: break
                }
                if dots == 3 { break }
            }
            i -= 1
        }
        guard dots >= 1 else { return nil }
        if dots == 1 { return 0 }
        let tldLength = n - dotPositions.0 - 1
        let sldStart = dotPositions.1 + 1
        let sldLength = dotPositions.0 - sldStart
        if tldLength == 2 && isPublicSecondLevel(host, sldStart, sldLength) {
            return dots >= 3 ? dotPositions.2 + 1 : 0
        }
        return sldStart
    }

    @inline(__always)
    private static func isPublicSecondLevel(_ host: UnsafeRawBufferPointer, _ start: Int, _ length: Int) -> Bool {
        guard length >= 2 && length <= 4 else { return false }
        var key: UInt32 = 0
        for k in 0..<length { key = key << 8 | UInt32(DomainSuffixIndex.lower(host[start + k])) }
        switch key {
        case 0x636F, 0x6163, 0x6F72, 0x6E65, 0x676F:               // co ac or ne go
            return true
        case 0x636F6D, 0x676F76, 0x6F7267, 0x6E6574, 0x656475,     // com gov org net edu
             0x6D696C, 0x6E6873, 0x676F62, 0x6C7464, 0x706C63,     // mil nhs gob ltd plc
             0x736368, 0x6D6564:                                   // sch med
            return true
        case 0x67656E, 0x696E74:                                    // gen int
            return true
        default:
            return false
        }
    }
}
