/// The human summary printed after a run. Values from logs are made printable and bounded.
public enum TextSummary {
    public static func render(_ result: AnalysisResult, top: Int = 15) -> String {
        var out: [String] = []
        let t = result.totals
        out.append("ShadowScan: \(group(t.lines)) lines in \(result.inputs.count) input(s): \(group(t.records)) records, \(group(t.malformed)) malformed, \(group(t.matched)) "
                   + (result.privacy.identities == "none" ? "to the catalogue services shown" : "matched a catalogue service"))
        for input in result.inputs {
            if let problem = input.problem {
                out.append("  ! \(printable(input.path)): \(problem)")
            } else if input.malformed > 0 {
                let samples = input.malformedSamples.map(String.init).joined(separator: ", ")
                let oversized = input.oversized > 0 ? ", \(input.oversized) longer than the line limit" : ""
                out.append("  \(printable(input.path)) [\(input.format?.rawValue ?? "?")]: \(group(input.malformed)) malformed line(s)\(oversized), e.g. line \(samples)")
            }
        }
        if t.regexLimitHits > 0 { out.append("  ! \(t.regexLimitHits) URL pattern match(es) stopped at the PCRE2 limit and counted as no match") }
        out.append("")
        if result.services.isEmpty {
            out.append("No catalogue service seen.")
        } else {
            out.append("Top services (by requests)")
            var rows: [[String]] = [["service", "category", "risk", "users", "requests", "denied", "uploads", "to client", "from client"]]
            for s in result.services.prefix(top) {
                rows.append([s.id, s.category, s.risk.rawValue, group(s.users), group(s.requests), group(s.denied),
                             group(s.uploads), bytes(s.bytesIn), s.bytesOut.map(bytes) ?? "n/a"])
            }
            out.append(contentsOf: table(rows))
            if result.services.count > top { out.append("  … and \(result.services.count - top) more (see --json)") }
            out.append(contentsOf: fidelityLines(result.services))
            out.append("")
            let denied = result.services.filter { $0.denied > 0 }.sorted { ($0.denied, $1.id) > ($1.denied, $0.id) }
            if !denied.isEmpty {
                out.append("Denied by the proxy")
                var rows: [[String]] = [["service", "denied", "users", "allowed"]]
                for s in denied.prefix(top) { rows.append([s.id, group(s.denied), group(s.users), group(s.allowed)]) }
                out.append(contentsOf: table(rows))
                out.append("")
            }
            if !result.users.isEmpty {
                out.append("Top users (by requests to catalogue services)")
                var userRows: [[String]] = [["user", "requests", "denied", "services"]]
                for u in result.users.prefix(top) {
                    userRows.append([printable(u.user), group(u.requests), group(u.denied), u.services.prefix(6).joined(separator: ",") + (u.services.count > 6 ? ",…" : "")])
                }
                out.append(contentsOf: table(userRows))
                out.append("")
            }
        }
        out.append(contentsOf: mailLines(result.mail, top: top))
        out.append(contentsOf: workaroundLines(result, top: top))
        if !result.unknownDomains.isEmpty {
            out.append("Unknown domains (not in the catalogue, by distinct users): candidates for new rules")
            var rows: [[String]] = [["domain", "users", "requests", "to client"]]
            for d in result.unknownDomains.prefix(top) { rows.append([printable(d.domain), group(d.users), group(d.requests), bytes(d.bytes)]) }
            out.append(contentsOf: table(rows))
        }
        out.append(contentsOf: privacyLines(result.privacy))
        return out.joined(separator: "\n") + "\n"
    }

    static func table(_ rows: [[String]]) -> [String] {
        guard let header = rows.first else { return [] }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        return rows.map { row in
            "  " + row.enumerated().map { i, cell in
                let pad = String(repeating: " ", count: widths[i] - cell.count)
                return i == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
    }

    /// 1234567 → "1,234,567".
    public static func group(_ n: Int64) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    /// Bytes in binary units: "12.3 MiB".
    public static func bytes(_ n: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = Double(n)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        if unit == 0 { return "\(n) B" }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }

    /// Control characters and escapes from logs must not reach a terminal; long values are cut.
    public static func printable(_ s: String, limit: Int = 64) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            if out.unicodeScalars.count >= limit { out.append("…"); break }
            out.unicodeScalars.append(scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0) ? "?" : scalar)
        }
        return out
    }
}
