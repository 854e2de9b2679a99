/// The mail part of the text summary: shown only when a mail log was read.
extension TextSummary {
    static func mailLines(_ m: AnalysisResult.Mail, top: Int) -> [String] {
        guard m.messages > 0 || m.incomplete > 0 else { return [] }
        var out: [String] = []
        out.append("Mail: \(group(m.messages)) message(s), \(group(m.toPersonal)) to personal mailboxes (\(bytes(m.bytesToPersonal))), "
                   + "\(group(m.bounced)) personal recipient(s) bounced, \(group(m.deferred)) deferred, \(group(m.incomplete)) incomplete")
        if m.organisationDomains.isEmpty {
            out.append("  (no organisation domains given: every sender outside the personal domains counts as staff; see --org-domain)")
        }
        if !m.senders.isEmpty {
            out.append("Senders to personal mailboxes (by messages)")
            var rows: [[String]] = [["sender", "messages", "bytes", "recipients", "days", "bounced", "deferred", "large", "findings"]]
            for s in m.senders.prefix(top) {
                rows.append([printable(s.sender), group(s.messages), bytes(s.bytes), group(s.recipients), group(s.daysActive),
                             group(s.bounced), group(s.deferred), group(s.largeMessages), s.findings.joined(separator: ",")])
            }
            out.append(contentsOf: table(rows))
            if m.senders.count > top { out.append("  … and \(m.senders.count - top) more (see --json)") }
            out.append("")
        }
        let selfForwards = m.senders.flatMap { s in s.selfForwarding.map { (s.sender, $0) } }
        if !selfForwards.isEmpty {
            out.append("Possible self-forwarding (personal address matching the sender's name)")
            var rows: [[String]] = [["sender", "recipient", "confidence", "messages", "reason"]]
            for (sender, f) in selfForwards.prefix(top) {
                rows.append([printable(sender), printable(f.recipient), f.confidence, group(f.messages), printable(f.reason, limit: 80)])
            }
            out.append(contentsOf: table(rows))
            out.append("")
        }
        if !m.autoForwards.isEmpty {
            out.append("Automatic forwarding to personal mailboxes")
            var rows: [[String]] = [["mailbox", "recipient", "evidence", "messages", "bytes"]]
            for f in m.autoForwards.prefix(top) {
                rows.append([printable(f.mailbox), printable(f.recipient), f.evidence, group(f.messages), bytes(f.bytes)])
            }
            out.append(contentsOf: table(rows))
            out.append("")
        }
        if !m.personalDomains.isEmpty {
            out.append("Personal mail domains")
            var rows: [[String]] = [["domain", "service", "messages", "senders", "recipients", "bytes", "bounced", "deferred"]]
            for d in m.personalDomains.prefix(top) {
                rows.append([printable(d.domain), d.service, group(d.messages), group(d.senders), group(d.recipients),
                             bytes(d.bytes), group(d.bounced), group(d.deferred)])
            }
            out.append(contentsOf: table(rows))
            out.append("")
        }
        return out
    }
}
