import Crypto

/// Keyed pseudonyms for identities: `u-` and the first 12 hex digits (48 bits) of
/// HMAC-SHA-256(key, "shadowscan.identity.v1" NUL identity).
///
/// Without the key a pseudonym cannot be linked to a name (HMAC is a PRF; a dictionary of likely user
/// names is useless without the key), and with the same key the same identity always gets the same
/// pseudonym, across runs and outputs. 48 bits keep pseudonyms short enough to read aloud; the chance
/// that any two of n identities share one is about n² / 2⁴⁹: 2·10⁻⁷ for 10,000 identities, 2·10⁻⁵ for
/// 100,000, 2·10⁻³ for a million. A run reports collisions it sees (`privacy.collisions`), and
/// `reveal` lists every identity behind a pseudonym.
///
/// Mail addresses keep their domain when it is a known personal-mail provider or one of the
/// organisation's own (`u-3f9a0c51d2e7@gmail.com`): the domain is the finding, the local part the person.
public struct Pseudonyms: Sendable {
    let keyBytes: [UInt8]
    public let keyID: String

    public init(key: PseudonymKey) {
        keyBytes = key.bytes
        keyID = key.id
    }

    public static let prefix = "u-"
    static let hexDigits = 12

    public func pseudonym(_ identity: String) -> String {
        Self.prefix + digest(identity)
    }

    /// The pseudonym of a mail address, keeping its domain when `keepDomain` says so.
    public func pseudonym(address: String, keepDomain: (String) -> Bool) -> String {
        guard let at = address.lastIndex(of: "@") else { return pseudonym(address) }
        let domain = address[address.index(after: at)...]
        return keepDomain(String(domain)) ? pseudonym(address) + "@" + domain : pseudonym(address)
    }

    func digest(_ identity: String) -> String {
        var mac = HMAC<SHA256>(key: SymmetricKey(data: keyBytes))
        mac.update(data: Array("shadowscan.identity.v1\u{0}".utf8))
        mac.update(data: Array(identity.utf8))
        return Self.hex(mac.finalize().withUnsafeBytes { Array($0) }, bytes: Self.hexDigits / 2)
    }

    /// The hex part of a pseudonym as written anywhere (`u-…`, `u-…@domain`), lower-cased; nil when the
    /// text is not a pseudonym.
    public static func digestPart(of text: String) -> String? {
        var s = Substring(text.lowercased())
        if let at = s.firstIndex(of: "@") { s = s[..<at] }
        guard s.hasPrefix(prefix) else { return nil }
        let hex = s.dropFirst(prefix.count)
        guard hex.count == hexDigits, hex.allSatisfy({ $0.isHexDigit }) else { return nil }
        return String(hex)
    }

    static func hex(_ bytes: [UInt8], bytes count: Int) -> String {
        let digits = Array("0123456789abcdef".unicodeScalars)
        var out = String.UnicodeScalarView()
        for byte in bytes.prefix(count) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(out)
    }
}
