/// Settings of the mail analysis (`shadowscan analyse --org-domain … --mail-flush-after … --large-message …`).
public struct MailOptions: Sendable {
    /// The organisation's own domains (suffix match); mail between them is internal, and only their
    /// senders count as staff. Empty: every sender outside the personal domains counts as staff.
    public var organisationDomains: [String] = []
    /// A Postfix/Exim message with no activity for this long (log time) is closed as incomplete.
    public var flushAfterSeconds: Int64 = 86_400
    /// Messages to personal recipients above this size are reported as large.
    public var largeMessageBytes: Int64 = 10_000_000
    /// The year of RFC 3164 syslog timestamps (which have none); nil: inferred per file (see README).
    public var year: Int?
    /// Distinct addresses kept for the findings; further ones are only counted (`address_overflow`).
    public var maxAddresses = 1_000_000
    /// Forwarding-pattern detection: a message to a personal address within this many seconds after
    /// the sender's mailbox received mail "follows" it; a sender/recipient pair with at least
    /// `patternMinimumMessages` messages, `patternSharePercent` % of them following incoming mail, is
    /// reported as a forwarding rule.
    public var patternWindowSeconds: Int64 = 120
    public var patternMinimumMessages: Int64 = 5
    public var patternSharePercent: Int64 = 80

    public init() {}

    /// Parses `24h`, `90m`, `3600s`, `2d` or plain seconds.
    public static func parseDuration(_ text: String) -> Int64? {
        let units: [(String, Int64)] = [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)]
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        for (suffix, factor) in units where t.hasSuffix(suffix) {
            guard let n = Int64(t.dropLast()), n > 0 else { return nil }
            return n * factor
        }
        guard let n = Int64(t), n > 0 else { return nil }
        return n
    }

    /// Parses `10MB`, `25MiB`, `500000` (MB = 10^6, MiB = 2^20).
    public static func parseBytes(_ text: String) -> Int64? {
        let units: [(String, Double)] = [("kib", 1024), ("mib", 1_048_576), ("gib", 1_073_741_824), ("kb", 1e3), ("mb", 1e6), ("gb", 1e9),
                                         ("k", 1e3), ("m", 1e6), ("g", 1e9), ("b", 1)]
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        for (suffix, factor) in units where t.hasSuffix(suffix) {
            guard let n = Double(t.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)), n >= 0, n.isFinite else { return nil }
            return Int64(n * factor)
        }
        guard let n = Int64(t), n >= 0 else { return nil }
        return n
    }
}

#if canImport(Foundation)
import Foundation
#endif
