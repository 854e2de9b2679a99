/// The privacy part of the text summary: how identities are shown, and what a manager report left out.
extension TextSummary {
    static func privacyLines(_ p: PrivacyNotice) -> [String] {
        var out = [""]
        switch p.identities {
        case "pseudonym": out.append("Identities are pseudonyms (key \(p.keyID ?? "?")); --identities plain shows names, 'shadowscan reveal' resolves one under audit.")
        case "none": out.append("Manager report: no individuals listed; groups of fewer than \(p.minGroupSize ?? 0) people left out.")
        default: out.append("Identities are shown as logged (--identities plain).")
        }
        for s in p.suppressed { out.append("  \(s.table): \(group(Int64(s.rows))) row(s) not shown (\(s.reason))") }
        if p.collisions > 0 { out.append("  ! \(p.collisions) pseudonym(s) stand for more than one identity") }
        return out
    }
}
