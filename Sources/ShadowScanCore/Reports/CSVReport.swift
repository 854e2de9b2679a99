import Foundation

/// `--csv DIR`: one CSV file per table (RFC 4180, UTF-8, CRLF line ends, a header row named like the
/// JSON keys). Text fields go through `CSVField.text`, so a value from a log never becomes a formula.
/// Every table is written, with its header, even when empty, so scripts can rely on the file set; mail
/// tables only when a mail log was read.
public enum CSVReport {
    public struct Table: Sendable {
        public let name: String
        public let header: [String]
        public var rows: [[String]] = []

        init(_ name: String, _ header: [String]) { self.name = name; self.header = header }

        mutating func add(_ cells: [String]) { rows.append(cells) }

        public var text: String {
            var out = header.joined(separator: ",") + "\r\n"
            for row in rows { out += row.joined(separator: ",") + "\r\n" }
            return out
        }
    }

    typealias F = CSVField

    public static func tables(_ r: AnalysisResult) -> [Table] {
        var tables: [Table] = []

        var services = Table("services", ["id", "name", "category", "risk", "personal", "requests", "allowed", "denied", "challenges",
                                          "users", "bytes_in", "bytes_out", "uploads", "host_only_requests", "first_seen", "last_seen"])
        for s in r.services {
            services.add([F.text(s.id), F.text(s.name), F.text(s.category), s.risk.rawValue, s.personal ? "true" : "false",
                          F.number(s.requests), F.number(s.allowed), F.number(s.denied), F.number(s.challenges), F.number(s.users),
                          F.number(s.bytesIn), F.number(s.bytesOut), F.number(s.uploads), F.number(s.hostOnlyRequests),
                          CivilTime.iso8601(millis: s.firstSeenMillis), CivilTime.iso8601(millis: s.lastSeenMillis)])
        }
        tables.append(services)

        var categories = Table("categories", ["category", "services", "requests", "allowed", "denied", "challenges", "users",
                                              "bytes_in", "bytes_out", "uploads"])
        for c in r.categories {
            categories.add([F.text(c.category), F.number(c.services), F.number(c.requests), F.number(c.allowed), F.number(c.denied),
                            F.number(c.challenges), F.number(c.users), F.number(c.bytesIn), F.number(c.bytesOut), F.number(c.uploads)])
        }
        tables.append(categories)

        var users = Table("users", ["user", "requests", "denied", "services"])
        for u in r.users {
            users.add([F.text(u.user), F.number(u.requests), F.number(u.denied), F.text(u.services.joined(separator: " "))])
        }
        tables.append(users)

        var domains = Table("unknown_domains", ["domain", "users", "requests", "bytes"])
        for d in r.unknownDomains { domains.add([F.text(d.domain), F.number(d.users), F.number(d.requests), F.number(d.bytes)]) }
        tables.append(domains)

        var inputs = Table("inputs", ["path", "format", "lines", "records", "malformed", "malformed_samples", "oversized", "bytes",
                                      "detection", "problem"])
        for i in r.inputs {
            inputs.add([F.text(i.path), F.text(i.format?.rawValue ?? ""), F.number(i.lines), F.number(i.records), F.number(i.malformed),
                        F.text(i.malformedSamples.map(String.init).joined(separator: " ")), F.number(i.oversized), F.number(i.bytes),
                        F.text(i.detection ?? ""), F.text(i.problem ?? "")])
        }
        tables.append(inputs)

        var days = Table("timeline", ["date", "requests", "denied", "users"])
        var cells = Table("timeline_services", ["date", "service", "category", "requests", "denied", "users"])
        for day in r.timeline {
            days.add([day.date, F.number(day.requests), F.number(day.denied), F.number(day.users)])
            for cell in day.services {
                cells.add([day.date, F.text(cell.service), F.text(cell.category), F.number(cell.requests), F.number(cell.denied), F.number(cell.users)])
            }
        }
        tables.append(days)
        tables.append(cells)

        tables.append(contentsOf: workaroundTables(r))
        tables.append(contentsOf: mailTables(r.mail))

        var privacy = Table("privacy", ["setting", "value"])
        let p = r.privacy
        privacy.add(["identities", F.text(p.identities)])
        privacy.add(["key_id", F.text(p.keyID ?? "")])
        privacy.add(["audience", F.text(p.audience)])
        privacy.add(["min_group_size", p.minGroupSize.map(String.init) ?? ""])
        privacy.add(["collisions", String(p.collisions)])
        for s in p.suppressed { privacy.add([F.text("suppressed." + s.table), String(s.rows)]) }
        tables.append(privacy)
        return tables
    }

    static func workaroundTables(_ r: AnalysisResult) -> [Table] {
        var workarounds = Table("workarounds", ["identity", "department", "kind", "blocked", "blocked_host", "substitute", "substitute_host",
                                                "count", "requests", "bytes", "uploads", "first", "last", "gap_seconds", "out_of_hours"])
        for w in r.workarounds {
            workarounds.add([F.text(w.identity), F.text(w.department ?? ""), w.kind.rawValue, F.text(w.blocked), F.text(w.blockedHost ?? ""),
                             F.text(w.substitute), F.text(w.substituteHost ?? ""), F.number(w.count), F.number(w.requests), F.number(w.bytes),
                             F.number(w.uploads), CivilTime.iso8601(millis: w.firstMillis), CivilTime.iso8601(millis: w.lastMillis),
                             F.number(w.gapMillis / 1000), F.number(w.outOfHours)])
        }
        var decisions = Table("decisions", ["service", "name", "category", "risk", "status", "blocked_by", "identities_tried", "attempts",
                                            "denied_attempts", "allowed_requests", "days_with_attempts", "attempts_out_of_hours",
                                            "identities_worked_around", "worked_around_percent", "episodes", "bytes_to_substitutes",
                                            "uploads_to_substitutes", "alternative", "identities_moved_to_alternative", "trend", "recommendation",
                                            "summary"])
        var substitutes = Table("decision_substitutes", ["service", "substitute", "name", "category", "risk", "kind", "identities", "episodes",
                                                         "requests", "bytes", "uploads"])
        var departments = Table("decision_departments", ["service", "department", "identities_tried", "identities_worked_around"])
        for d in r.decisions {
            decisions.add([F.text(d.service), F.text(d.name), F.text(d.category), d.risk.rawValue, F.text(d.status), F.text(d.blockedBy ?? ""),
                           F.number(d.identitiesTried), F.number(d.attempts), F.number(d.deniedAttempts), F.number(d.allowedRequests),
                           F.number(d.daysWithAttempts), F.number(d.attemptsOutOfHours), F.number(d.identitiesWorkedAround),
                           F.number(d.workedAroundPercent), F.number(d.episodes), F.number(d.bytesToSubstitutes), F.number(d.uploadsToSubstitutes),
                           F.text(d.alternative ?? ""), F.number(d.identitiesMovedToAlternative), F.text(d.trend?.direction ?? ""),
                           F.text(d.recommendation.action), F.text(d.recommendation.summary)])
            for s in d.substitutes {
                substitutes.add([F.text(d.service), F.text(s.service), F.text(s.name), F.text(s.category), s.risk.rawValue, s.kind.rawValue,
                                 F.number(s.identities), F.number(s.episodes), F.number(s.requests), F.number(s.bytes), F.number(s.uploads)])
            }
            for dep in d.departments {
                departments.add([F.text(d.service), F.text(dep.department ?? ""), F.number(dep.identitiesTried), F.number(dep.identitiesWorkedAround)])
            }
        }
        return [workarounds, decisions, substitutes, departments]
    }

    static func mailTables(_ m: AnalysisResult.Mail) -> [Table] {
        guard m.messages > 0 || m.incomplete > 0 else { return [] }
        var senders = Table("mail_senders", ["sender", "messages", "bytes", "recipients", "days_active", "bounced", "deferred",
                                            "large_messages", "first_seen", "last_seen", "domains", "findings"])
        var selfForwarding = Table("mail_self_forwarding", ["sender", "recipient", "confidence", "reason", "messages", "bytes"])
        for s in m.senders {
            senders.add([F.text(s.sender), F.number(s.messages), F.number(s.bytes), F.number(s.recipients), F.number(s.daysActive),
                         F.number(s.bounced), F.number(s.deferred), F.number(s.largeMessages), CivilTime.iso8601(millis: s.firstSeenMillis),
                         CivilTime.iso8601(millis: s.lastSeenMillis), F.text(s.domains.joined(separator: " ")),
                         F.text(s.findings.joined(separator: " "))])
            for f in s.selfForwarding {
                selfForwarding.add([F.text(s.sender), F.text(f.recipient), F.text(f.confidence), F.text(f.reason), F.number(f.messages), F.number(f.bytes)])
            }
        }
        var domains = Table("mail_personal_domains", ["domain", "service", "messages", "bytes", "senders", "recipients", "bounced", "deferred"])
        for d in m.personalDomains {
            domains.add([F.text(d.domain), F.text(d.service), F.number(d.messages), F.number(d.bytes), F.number(d.senders),
                         F.number(d.recipients), F.number(d.bounced), F.number(d.deferred)])
        }
        var forwards = Table("mail_auto_forwards", ["mailbox", "recipient", "evidence", "messages", "bytes", "first_seen", "last_seen"])
        for f in m.autoForwards {
            forwards.add([F.text(f.mailbox), F.text(f.recipient), F.text(f.evidence), F.number(f.messages), F.number(f.bytes),
                          CivilTime.iso8601(millis: f.firstSeenMillis), CivilTime.iso8601(millis: f.lastSeenMillis)])
        }
        return [senders, selfForwarding, domains, forwards]
    }

    /// Writes every table into `directory` (created if missing), each file atomically.
    public static func write(_ result: AnalysisResult, to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for table in tables(result) {
            try ReportWriter.write(table.text, to: (directory as NSString).appendingPathComponent(table.name + ".csv"))
        }
    }
}
