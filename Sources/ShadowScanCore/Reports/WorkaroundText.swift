/// The text summary's "Workarounds" and "Blocked tools: decision evidence" sections.
extension TextSummary {
    static func workaroundLines(_ result: AnalysisResult, top: Int) -> [String] {
        var out: [String] = []
        if result.totals.workaroundEventOverflow > 0 {
            out.append("  ! \(group(result.totals.workaroundEventOverflow)) workaround event(s) past the per-worker limit were dropped: workarounds are incomplete")
        }
        if !result.workarounds.isEmpty {
            let people = Set(result.workarounds.map(\.identity)).count
            out.append("Workarounds (\(group(Int64(people))) identities; by episodes)")
            var rows: [[String]] = [["identity", "kind", "blocked", "substitute", "episodes", "requests", "bytes", "first", "gap"]]
            for w in result.workarounds.prefix(top) {
                rows.append([printable(w.identity), w.kind.rawValue, w.blocked, w.substitute, group(w.count), group(w.requests),
                             bytes(w.bytes), String(CivilTime.iso8601(millis: w.firstMillis).prefix(19)), duration(w.gapMillis)])
            }
            out.append(contentsOf: table(rows))
            if result.workarounds.count > top { out.append("  … and \(result.workarounds.count - top) more (see --json)") }
            out.append("")
        }
        if !result.decisions.isEmpty {
            out.append("Blocked tools: decision evidence")
            var rows: [[String]] = [["service", "status", "tried", "denied", "days", "worked around", "to substitutes", "top substitute", "recommendation"]]
            for d in result.decisions.prefix(top) {
                rows.append([d.service, d.status, group(d.identitiesTried), group(d.deniedAttempts), group(d.daysWithAttempts),
                             "\(group(d.identitiesWorkedAround)) (\(d.workedAroundPercent)%)", bytes(d.bytesToSubstitutes),
                             d.substitutes.first?.service ?? "-", d.recommendation.action])
            }
            out.append(contentsOf: table(rows))
            for d in result.decisions.prefix(min(top, 5)) { out.append("  \(d.service): \(d.recommendation.summary)") }
            if result.decisions.count > top { out.append("  … and \(result.decisions.count - top) more (see --json)") }
            out.append("")
        }
        return out
    }

    /// Aligned table lines (first column left, the rest right), for other commands' output.
    public static func tableLines(_ rows: [[String]]) -> [String] { table(rows) }

    /// 95000 → "1m35s".
    static func duration(_ millis: Int64) -> String {
        let s = millis / 1000
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(String(format2(s % 60)))s" }
        return "\(s / 3600)h\(String(format2(s / 60 % 60)))m"
    }

    private static func format2(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
