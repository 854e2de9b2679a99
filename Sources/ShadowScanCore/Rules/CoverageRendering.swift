/// `rules coverage` as text (values escaped for the terminal) or as `shadowscan.coverage/1` JSON.
public enum CoverageRendering {
    public static func text(_ report: CoverageReport, rules: String, baseline: String?, top: Int) -> String {
        var out = ""
        let t = report.totals
        let hit = report.services.filter { $0.requests > 0 }
        out += "coverage of \(ToolText.terminal(rules)) (\(report.services.count) services) over \(report.inputs.count) input(s): "
            + "\(t.lines) lines, \(t.records) records, \(t.malformed) malformed, \(t.skipped) skipped, \(t.matched) matched, "
            + "\(t.patternMisses) on a catalogue domain that no URL pattern matched, \(t.unknownRecords) to unknown domains\n"
        for input in report.inputs {
            if let problem = input.problem {
                out += "  \(ToolText.terminal(input.path)): \(ToolText.terminal(problem))\n"
            } else {
                out += "  \(ToolText.terminal(input.path)): \(input.format?.rawValue ?? "?"), \(input.lines) lines, \(input.records) records, \(input.malformed) malformed"
                    + (input.skipped > 0 ? ", \(input.skipped) skipped" : "") + "\n"
            }
        }
        out += "\nservices hit: \(hit.count) of \(report.services.count)\n"
        for service in hit {
            out += "  \(service.id) (\(service.category)): \(service.requests) request(s), \(service.users) identit\(service.users == 1 ? "y" : "ies")"
                + (service.patternMisses > 0 ? ", \(service.patternMisses) on its domains that no URL pattern matched" : "") + "\n"
            for rule in service.domains where rule.hits > 0 {
                out += "    domain  \(rule.rule)  \(rule.hits)  (\(rule.location))\n"
            }
            for rule in service.patterns where rule.hits > 0 {
                out += "    pattern '\(rule.rule)'  \(rule.hits)  (\(rule.location))\n"
            }
        }
        out += "\nrules never hit\n"
        out += "  services (\(report.neverHitServices.count)): " + (report.neverHitServices.isEmpty ? "none" : report.neverHitServices.joined(separator: ", ")) + "\n"
        let hitServices = Set(hit.map(\.id))
        let idleDomains = report.neverHitDomains.filter { hitServices.contains($0.serviceID) }
        out += "  domains of services that were hit (\(idleDomains.count)):" + (idleDomains.isEmpty ? " none\n" : "\n")
        for rule in idleDomains { out += "    \(rule.rule) (\(rule.serviceID), \(rule.location))\n" }
        out += "  URL patterns (\(report.neverHitPatterns.count)):" + (report.neverHitPatterns.isEmpty ? " none\n" : "\n")
        for rule in report.neverHitPatterns { out += "    '\(rule.rule)' (\(rule.serviceID), \(rule.location))\n" }

        func unknownRows(_ rows: [CoverageReport.UnknownDomain]) {
            if rows.isEmpty { out += "  none\n" }
            for row in rows.prefix(top) {
                out += "  \(ToolText.terminal(row.domain, limit: 120))  identities \(row.users)  requests \(row.requests)  bytes \(row.bytes)\n"
            }
        }
        out += "\ntop unknown registrable domains by distinct identities\n"
        unknownRows(report.unknownByUsers)
        out += "\ntop unknown registrable domains by bytes\n"
        unknownRows(report.unknownByBytes)
        if t.unknownOverflow > 0 || t.identityOverflow > 0 {
            out += "  (tables full: \(t.unknownOverflow) unknown-domain records and \(t.identityOverflow) identities not tallied)\n"
        }

        if let c = report.comparison {
            out += "\nchanges against \(ToolText.terminal(baseline ?? "the baseline")) on the same samples: "
                + "\(c.gained.reduce(0) { $0 + $1.requests }) request(s) gained, \(c.lost.reduce(0) { $0 + $1.requests }) lost, "
                + "\(c.changed.reduce(0) { $0 + $1.requests }) moved to another service\n"
            if !c.addedServices.isEmpty { out += "  services added: \(c.addedServices.joined(separator: ", "))\n" }
            if !c.removedServices.isEmpty { out += "  services removed: \(c.removedServices.joined(separator: ", "))\n" }
            func changes(_ title: String, _ list: [CoverageReport.Change]) {
                out += "  \(title) (\(list.count))" + (list.isEmpty ? ": none\n" : "\n")
                for change in list {
                    out += "    \(change.from ?? "none") -> \(change.to ?? "none"): \(change.requests) request(s), \(change.users) identit\(change.users == 1 ? "y" : "ies");"
                        + " e.g. \(change.samples.map { ToolText.terminal($0) }.joined(separator: ", "))\n"
                }
            }
            changes("gained: new matches", c.gained)
            changes("lost: no longer matched", c.lost)
            changes("changed service", c.changed)
            if !c.services.isEmpty {
                out += "  requests per service, before -> after\n"
                for delta in c.services { out += "    \(delta.id): \(delta.before) -> \(delta.after) (\(delta.status))\n" }
            }
        }
        return out
    }

    public static func json(_ report: CoverageReport, rules: String, baseline: String?, top: Int) -> JSONValue {
        let t = report.totals
        func rule(_ r: CoverageReport.RuleHits, service: Bool) -> JSONValue {
            .object([("rule", .string(r.rule))] + (service ? [("service", .string(r.serviceID))] : [])
                    + [("source", .string(r.location.description)), ("hits", .int(r.hits))])
        }
        func unknown(_ rows: [CoverageReport.UnknownDomain]) -> JSONValue {
            .array(rows.prefix(top).map { .object([("domain", .string($0.domain)), ("users", .int($0.users)), ("requests", .int($0.requests)), ("bytes", .int($0.bytes))]) })
        }
        func changes(_ list: [CoverageReport.Change]) -> JSONValue {
            .array(list.map { c in
                .object([("from", c.from.map { .string($0) } ?? .null), ("to", c.to.map { .string($0) } ?? .null),
                         ("requests", .int(c.requests)), ("users", .int(c.users)), ("samples", .array(c.samples.map { .string($0) }))])
            })
        }
        var members: [(String, JSONValue)] = [
            ("schema", .string("shadowscan.coverage/1")),
            ("rules", .string(rules)),
            ("totals", .object([
                ("lines", .int(t.lines)), ("records", .int(t.records)), ("malformed", .int(t.malformed)), ("skipped", .int(t.skipped)), ("matched", .int(t.matched)),
                ("pattern_misses", .int(t.patternMisses)), ("unknown_records", .int(t.unknownRecords)),
                ("unknown_overflow", .int(t.unknownOverflow)), ("identity_overflow", .int(t.identityOverflow)),
            ])),
            ("inputs", .array(report.inputs.map { i in
                .object([("path", .string(i.path)), ("format", i.format.map { .string($0.rawValue) } ?? .null), ("lines", .int(i.lines)),
                         ("records", .int(i.records)), ("malformed", .int(i.malformed)), ("skipped", .int(i.skipped)), ("problem", i.problem.map { .string($0) } ?? .null)])
            })),
            ("services", .array(report.services.map { s in
                .object([("id", .string(s.id)), ("name", .string(s.name)), ("category", .string(s.category)), ("requests", .int(s.requests)),
                         ("users", .int(s.users)), ("pattern_misses", .int(s.patternMisses)),
                         ("domains", .array(s.domains.map { rule($0, service: false) })), ("patterns", .array(s.patterns.map { rule($0, service: false) }))])
            })),
            ("never_hit", .object([
                ("services", .array(report.neverHitServices.map { .string($0) })),
                ("domains", .array(report.neverHitDomains.map { rule($0, service: true) })),
                ("patterns", .array(report.neverHitPatterns.map { rule($0, service: true) })),
            ])),
            ("unknown_domains", .object([("by_users", unknown(report.unknownByUsers)), ("by_bytes", unknown(report.unknownByBytes))])),
        ]
        if let c = report.comparison {
            members.append(("comparison", .object([
                ("baseline", .string(baseline ?? "")),
                ("gained", changes(c.gained)), ("lost", changes(c.lost)), ("changed", changes(c.changed)),
                ("services", .array(c.services.map { .object([("id", .string($0.id)), ("before", .int($0.before)), ("after", .int($0.after)), ("status", .string($0.status))]) })),
                ("added_services", .array(c.addedServices.map { .string($0) })),
                ("removed_services", .array(c.removedServices.map { .string($0) })),
            ])))
        } else {
            members.append(("comparison", .null))
        }
        return .object(members)
    }
}
