/// Builders for the report's sections (see `ReportModel`).
enum ReportSections {
    typealias T = TableSection

    // MARK: Decision evidence

    struct EvidenceSection {
        var partial = "evidence"
        var anchor = "decisions"
        var title = "Blocked and unsanctioned services: the evidence"
        var intro: String
        var overview: TableSection?
        var charts: [Any]
        var cards: [Card]
        var more: String?
        var empty: String
    }

    struct Card {
        var anchor: String
        var name: String
        var id: String
        var category: String
        var risk: String
        var riskBadge: String
        var status: String
        var headline: String
        var facts: [ReportModel.Fact]
        var substitutes: TableSection?
        var departments: TableSection?
        var recommendation: Advice?
        var trend: String?
    }

    struct Advice {
        var action: String
        var summary: String
        var reasons: [String]
    }

    /// Services shown as full cards (most people first); the overview table above them lists all.
    static let cardLimit = 8
    /// Rows of the overview table.
    static let overviewLimit = 15

    /// Decision evidence per blocked or unsanctioned service: an overview row for each, then the first
    /// ones in detail.
    static func evidence(_ r: AnalysisResult) -> [Any] {
        let decisions = r.decisions
        let overview = T(anchor: "decisions-overview", title: "At a glance",
                         columns: [("service", false), ("status", false), ("risk", false), ("people", true), ("denied", true),
                                   ("worked around", true), ("to substitutes", true), ("recommendation", false)],
                         rows: decisions.prefix(overviewLimit).map { d in
                             [T.text(Format.log(d.name)), T.Cell(text: status(d), numeric: false, badge: "status"), T.risk(d.risk), T.num(d.identitiesTried), T.num(d.deniedAttempts),
                              T.Cell(text: d.identitiesWorkedAround > 0 ? "\(Format.count(d.identitiesWorkedAround)) (\(d.workedAroundPercent)%)" : "0", numeric: true),
                              T.bytes(d.bytesToSubstitutes), T.text(actionLabel(d.recommendation.action))]
                         }, total: decisions.count, empty: "")
        return [EvidenceSection(
            intro: "For each service that is blocked (by the policy, or denied by the proxy) or used without being sanctioned: how many "
                + "people tried it, how often the block stopped them, who worked around it and where they went, how much data went there, "
                + "and what to do about it.",
            overview: decisions.isEmpty ? nil : overview,
            charts: decisionCharts(r),
            cards: decisions.prefix(cardLimit).map { card($0, in: r) },
            more: decisions.count > cardLimit ? "The \(cardLimit) services with the most people are shown in detail; the JSON and CSV outputs hold the evidence for all \(decisions.count)." : nil,
            empty: "No blocked or unsanctioned service had any attempt in these logs.")]
    }

    static func status(_ d: AnalysisResult.Decision) -> String {
        switch (d.status, d.blockedBy) {
        case ("blocked", "policy"): return "blocked (policy)"
        case ("blocked", _): return "blocked (proxy)"
        default: return d.status
        }
    }

    static func actionLabel(_ action: String) -> String {
        switch action {
        case "fix-enforcement": return "fix enforcement"
        case "sanction-alternative": return "sanction an alternative"
        case "review-need": return "review the need"
        case "keep-blocked": return "keep blocked"
        case "monitor": return "monitor"
        case "decide": return "decide"
        default: return Format.log(action, limit: 40)
        }
    }

    static func card(_ d: AnalysisResult.Decision, in r: AnalysisResult) -> Card {
        let name = Format.log(d.name)
        let people = d.identitiesTried == 1 ? "1 person" : "\(Format.count(d.identitiesTried)) people"
        var headline: String
        if d.status == "unsanctioned" {
            headline = "\(name) is neither sanctioned nor blocked; \(people) used it \(Format.count(d.attempts)) times on \(Format.count(d.daysWithAttempts)) day(s)."
        } else {
            headline = "\(name) is blocked; \(people) tried it \(Format.count(d.attempts)) times on \(Format.count(d.daysWithAttempts)) day(s), "
                + "and the proxy denied \(Format.count(d.deniedAttempts))."
            if d.identitiesWorkedAround > 0 {
                // A side door is the same service on another host: say so rather than repeat its name.
                let via = d.substitutes.prefix(2).map { $0.service == d.service ? "another \(Format.log($0.name)) host" : Format.log($0.name) }
                    .joined(separator: " and ")
                headline += " \(Format.count(d.identitiesWorkedAround)) of them (\(d.workedAroundPercent)%) worked around it"
                    + (via.isEmpty ? "" : ", mostly via \(via)") + "; \(Format.bytes(d.bytesToSubstitutes)) went that way."
            } else {
                headline += " Nobody was seen working around the block."
            }
        }
        var facts: [ReportModel.Fact] = [
            .init(label: "people who tried", value: Format.count(d.identitiesTried), detail: nil),
            .init(label: "denied attempts", value: Format.count(d.deniedAttempts), detail: nil),
            .init(label: "days with attempts", value: Format.count(d.daysWithAttempts), detail: nil),
            .init(label: "worked around", value: Format.count(d.identitiesWorkedAround), detail: nil),
            .init(label: "share", value: "\(d.workedAroundPercent)%", detail: nil),
            .init(label: "to substitutes", value: Format.bytes(d.bytesToSubstitutes), detail: nil),
        ]
        if let outOfHours = d.attemptsOutOfHours { facts.append(.init(label: "attempts out of hours", value: Format.count(outOfHours), detail: nil)) }
        if let alternative = d.alternative {
            let name = r.services.first { $0.id == alternative }?.name ?? alternative
            facts.append(.init(label: "moved to \(Format.log(name, limit: 40))", value: Format.count(d.identitiesMovedToAlternative), detail: nil))
        }
        let substitutes = d.substitutes.isEmpty ? nil : T(
            anchor: "substitutes-" + d.service, title: "Where they went instead",
            columns: [("substitute", false), ("how", false), ("risk", false), ("people", true), ("episodes", true), ("bytes", true), ("uploads", true)],
            rows: d.substitutes.prefix(8).map { s in
                [T.text(Format.log(s.name)), T.text(s.kind.rawValue), T.risk(s.risk), T.num(s.identities), T.num(s.episodes), T.bytes(s.bytes), T.num(s.uploads)]
            }, total: d.substitutes.count, empty: "")
        let departments = d.departments.isEmpty ? nil : T(
            anchor: "departments-" + d.service, title: "By department",
            columns: [("department", false), ("tried", true), ("worked around", true)],
            rows: d.departments.prefix(20).map { [T.log($0.department ?? "not in the directory", limit: 60), T.num($0.identitiesTried), T.num($0.identitiesWorkedAround)] },
            total: d.departments.count, empty: "")
        var trend: String?
        if let t = d.trend {
            let period = "\(Format.date(millis: t.previousFromMillis)) to \(Format.date(millis: t.previousToMillis))"
            if t.direction == "new" {
                trend = "New: no evidence for it in the previous period (\(period))."
            } else if let before = t.identitiesTried {
                trend = "Demand is \(t.direction): \(Format.count(d.identitiesTried)) people tried it, against \(Format.count(before)) in the previous period (\(period))."
            }
        }
        return Card(anchor: "decision-" + d.service, name: name, id: d.service, category: d.category, risk: d.risk.rawValue,
                    riskBadge: "risk-" + d.risk.rawValue, status: status(d), headline: headline, facts: facts,
                    substitutes: substitutes, departments: departments,
                    recommendation: Advice(action: actionLabel(d.recommendation.action), summary: Format.log(d.recommendation.summary, limit: 600),
                                           reasons: d.recommendation.reasons.map { Format.log($0, limit: 600) }),
                    trend: trend)
    }

    /// Workaround rows: who worked around which block, and how (security audience only).
    static func workaroundsTable(_ r: AnalysisResult) -> TableSection {
        let who = r.privacy.identities == "pseudonym" ? "pseudonym" : "identity"
        return T(anchor: "workarounds", title: "Workarounds", caption: "Denied on a service, then allowed somewhere that does the same job within the window.",
                 columns: [(who, false), ("blocked", false), ("substitute", false), ("how", false), ("host", false), ("episodes", true),
                           ("bytes", true), ("first", false), ("gap", true)],
                 rows: r.workarounds.prefix(ReportModel.rowLimit).map { w in
                     [T.log(w.identity, limit: 80), T.text(w.blocked), T.text(w.substitute), T.text(w.kind.rawValue), T.log(w.substituteHost ?? "", limit: 80),
                      T.num(w.count), T.bytes(w.bytes), T.text(Format.dateTime(millis: w.firstMillis)),
                      T.Cell(text: Format.minutes(millis: w.gapMillis), numeric: true)]
                 }, total: r.workarounds.count, empty: "Nobody was seen working around a block.")
    }

    // MARK: Charts

    /// Charts of the decision evidence: people who tried vs. worked around, and where they went.
    static func decisionCharts(_ r: AnalysisResult) -> [Any] {
        var charts: [Any] = []
        let blocked = r.decisions.filter { $0.status == "blocked" }.prefix(12)
        if !blocked.isEmpty {
            let table = T(anchor: "chart-workarounds", title: "People who tried and who worked around",
                          columns: [("service", false), ("tried", true), ("worked around", true)],
                          rows: blocked.map { [T.text(Format.log($0.name)), T.num($0.identitiesTried), T.num($0.identitiesWorkedAround)] },
                          total: blocked.count, empty: "")
            charts.append(BarChart(title: "Denied and worked around, per blocked service",
                                   caption: "People who tried each blocked service, and how many of them then worked around the block.",
                                   series: [("people who tried", "bar-denied"), ("worked around", "bar-work")],
                                   rows: blocked.map { ($0.name, [$0.identitiesTried, $0.identitiesWorkedAround]) }, format: Format.count, table: table))
        }
        var moves: [(String, String, RiskLevel, Int64)] = []
        for d in r.decisions where d.status == "blocked" {
            for s in d.substitutes.prefix(4) { moves.append((d.name, s.name, s.risk, s.identities)) }
        }
        moves.sort { ($0.3, $1.0, $1.1) > ($1.3, $0.0, $0.1) }
        moves = Array(moves.prefix(16))
        if !moves.isEmpty {
            let table = T(anchor: "chart-flow", title: "Where people went instead", columns: [("blocked", false), ("substitute", false), ("risk", false), ("people", true)],
                          rows: moves.map { [T.text(Format.log($0.0)), T.text(Format.log($0.1)), T.risk($0.2), T.num($0.3)] }, total: moves.count, empty: "")
            charts.append(FlowChart(moves: moves, caption: "From each blocked service to the substitutes people used after a denial; line width is people, colour the substitute's risk.",
                                    table: table))
        }
        return charts
    }

    static func timeline(_ r: AnalysisResult) -> ChartsSection? {
        if !r.timeline.isEmpty {
            let table = T(anchor: "chart-timeline", title: "Daily timeline", columns: [("date", false), ("requests", true), ("denied", true), ("people", true)],
                          rows: r.timeline.map { [T.text($0.date), T.num($0.requests), T.num($0.denied), T.num($0.users)] },
                          total: r.timeline.count, empty: "")
            var caption = "Requests to catalogue services per UTC day: allowed (blue) and denied (red)."
            if r.privacy.identities == "none" {
                caption += " Only services with at least \(r.privacy.minGroupSize ?? 0) people that day are counted; days without one are not shown."
            }
            return ChartsSection(anchor: "timeline", title: "Timeline", charts: [TimelineChart(r.timeline, caption: caption, table: table)])
        }
        return nil
    }

    static func categoriesChart(_ r: AnalysisResult) -> BarChart? {
        let categories = r.categories.sorted { ($0.users, $1.category) > ($1.users, $0.category) }
        if !categories.isEmpty {
            let table = T(anchor: "chart-categories", title: "Categories", columns: [("category", false), ("people", true), ("requests", true)],
                          rows: categories.map { [T.text($0.category), T.num($0.users), T.num($0.requests)] }, total: categories.count, empty: "")
            return BarChart(title: "Categories, by people", caption: "Distinct people per category of service, and their requests.",
                            series: [("people", "bar-people"), ("requests", "bar-requests")],
                            rows: categories.map { ($0.category, [$0.users, $0.requests]) }, format: Format.count, ownScale: true, table: table)
        }
        return nil
    }

    // MARK: Tables

    static func servicesTable(_ r: AnalysisResult) -> TableSection {
        let bytesOutKnown = r.services.contains { $0.bytesOut != nil }
        var columns: [(String, Bool)] = [("service", false), ("category", false), ("risk", false), ("people", true), ("requests", true),
                                         ("denied", true), ("uploads", true), ("to client", true)]
        if bytesOutKnown { columns.append(("from client", true)) }
        columns += [("first seen", false), ("last seen", false)]
        let rows = r.services.prefix(ReportModel.rowLimit).map { s -> [T.Cell] in
            var row = [T.text(Format.log(s.name)), T.text(s.category), T.risk(s.risk), T.num(s.users), T.num(s.requests),
                       T.num(s.denied), T.num(s.uploads), T.bytes(s.bytesIn)]
            if bytesOutKnown { row.append(T.bytes(s.bytesOut)) }
            row += [T.text(Format.date(millis: s.firstSeenMillis)), T.text(Format.date(millis: s.lastSeenMillis))]
            return row
        }
        return T(anchor: "services", title: "Services", caption: "Catalogue services seen in the logs, by requests.",
                 columns: columns, rows: Array(rows), total: r.services.count, empty: "No catalogue service was seen.")
    }

    static func categoriesTable(_ r: AnalysisResult) -> TableSection {
        let caption = "People are distinct per category, not the sum of its services."
            + (r.privacy.identities == "none" ? " Only the services shown are counted." : "")
        var table = T(anchor: "categories", title: "Categories", caption: caption,
          columns: [("category", false), ("services", true), ("people", true), ("requests", true), ("denied", true), ("uploads", true), ("to client", true)],
          rows: r.categories.map { c in
              [T.text(c.category), T.num(c.services), T.num(c.users), T.num(c.requests), T.num(c.denied), T.num(c.uploads), T.bytes(c.bytesIn)]
          }, total: r.categories.count, empty: "No category had traffic.")
        table.chart = categoriesChart(r)
        return table
    }

    static func usersTable(_ r: AnalysisResult) -> TableSection {
        let who = r.privacy.identities == "pseudonym" ? "Pseudonyms" : "Identities"
        return T(anchor: "users", title: "People", caption: "\(who) that used catalogue services, by requests.",
                 columns: [("identity", false), ("requests", true), ("denied", true), ("services", false)],
                 rows: r.users.prefix(ReportModel.rowLimit).map { u in
                     [T.log(u.user, limit: 80), T.num(u.requests), T.num(u.denied),
                      T.text(u.services.prefix(8).joined(separator: ", ") + (u.services.count > 8 ? ", …" : ""))]
                 }, total: r.users.count, empty: "No one used a catalogue service.")
    }

    static func unknownDomainsTable(_ r: AnalysisResult) -> TableSection {
        T(anchor: "unknown-domains", title: "Unknown domains",
          caption: "Registrable domains outside the catalogue, by distinct people: candidates for new rules. Shown as text, never as links.",
          columns: [("domain", false), ("people", true), ("requests", true), ("to client", true)],
          rows: r.unknownDomains.map { [T.log($0.domain, limit: 100), T.num($0.users), T.num($0.requests), T.bytes($0.bytes)] },
          total: r.unknownDomains.count, empty: "Every request went to a catalogue service or had no registrable domain.")
    }

    static func inputsTable(_ r: AnalysisResult) -> TableSection {
        T(anchor: "inputs", title: "Inputs", caption: "What was read. Malformed lines are counted and skipped; the first line numbers are given.",
          columns: [("input", false), ("format", false), ("lines", true), ("records", true), ("malformed", true), ("problem", false)],
          rows: r.inputs.prefix(ReportModel.rowLimit * 2).map { i in
              [T.log(i.path, limit: 160), T.text(i.format?.rawValue ?? "–"), T.num(i.lines), T.num(i.records), T.num(i.malformed),
               T.log(i.problem ?? (i.malformedSamples.isEmpty ? "" : "e.g. line " + i.malformedSamples.map(String.init).joined(separator: ", ")), limit: 160)]
          }, total: r.inputs.count, empty: "No input.")
    }

    // MARK: Mail

    static func mail(_ r: AnalysisResult) -> [Any] {
        let m = r.mail
        guard m.messages > 0 || m.incomplete > 0 else { return [] }
        var sections: [Any] = []
        sections.append(NoteSection(anchor: "mail", title: "Mail to personal mailboxes", paragraphs: [
            "\(Format.count(m.messages)) message(s) through the mail gateway; \(Format.count(m.toPersonal)) went to personal mailboxes "
                + "(\(Format.bytes(m.bytesToPersonal))), \(Format.count(m.largeToPersonal)) of them larger than \(Format.bytes(m.largeMessageBytes)); "
                + "\(Format.count(m.autoForwarded)) forwarded automatically. \(Format.count(m.bounced)) personal recipient(s) bounced, "
                + "\(Format.count(m.deferred)) deferred.",
        ], items: []))
        sections.append(T(anchor: "mail-domains", title: "Personal mail domains",
                          columns: [("domain", false), ("service", false), ("messages", true), ("senders", true), ("recipients", true), ("bytes", true)],
                          rows: m.personalDomains.prefix(ReportModel.rowLimit).map { d in
                              [T.log(d.domain), T.text(d.service), T.num(d.messages), T.num(d.senders), T.num(d.recipients), T.bytes(d.bytes)]
                          }, total: m.personalDomains.count, empty: "No mail went to a personal domain."))
        if r.privacy.identities != "none" {
            sections.append(T(anchor: "mail-senders", title: "Senders to personal mailboxes",
                              columns: [("sender", false), ("messages", true), ("bytes", true), ("recipients", true), ("days", true), ("large", true), ("findings", false)],
                              rows: m.senders.prefix(ReportModel.rowLimit).map { s in
                                  [T.log(s.sender, limit: 100), T.num(s.messages), T.bytes(s.bytes), T.num(s.recipients), T.num(s.daysActive),
                                   T.num(s.largeMessages), T.text(s.findings.joined(separator: ", "))]
                              }, total: m.senders.count, empty: "No sender wrote to a personal mailbox."))
            if !m.autoForwards.isEmpty {
                sections.append(T(anchor: "mail-forwards", title: "Automatic forwarding to personal mailboxes",
                                  columns: [("mailbox", false), ("recipient", false), ("evidence", false), ("messages", true), ("bytes", true)],
                                  rows: m.autoForwards.prefix(ReportModel.rowLimit).map { f in
                                      [T.log(f.mailbox, limit: 100), T.log(f.recipient, limit: 100), T.text(f.evidence), T.num(f.messages), T.bytes(f.bytes)]
                                  }, total: m.autoForwards.count, empty: ""))
            }
        }
        return sections
    }

    // MARK: Privacy

    static func privacy(_ r: AnalysisResult) -> NoteSection {
        let p = r.privacy
        var paragraphs = [ReportModel.privacyLine(p)]
        switch p.identities {
        case "pseudonym":
            paragraphs.append("A pseudonym is the first 12 hex digits of a keyed HMAC-SHA-256 of the identity: the same person has the same "
                + "pseudonym in every report made with this key. `shadowscan reveal` resolves one, and records who asked and why.")
        case "none":
            paragraphs.append("Counts of people are distinct identities. Groups below the threshold are left out, not merged, and totals "
                + "count only what is shown (requests to catalogue services, each category and each day over its shown services), "
                + "so a hidden group cannot be recovered by subtraction.")
        default: break
        }
        if p.collisions > 0 {
            paragraphs.append("\(p.collisions) pseudonym(s) stand for more than one identity in this run.")
        }
        let items = p.suppressed.map { "\($0.table): \(Format.count(Int64($0.rows))) row(s) not shown (\($0.reason))" }
        return NoteSection(anchor: "privacy", title: "Privacy", paragraphs: paragraphs, items: items)
    }
}
