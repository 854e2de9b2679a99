/// The JSON document's `workarounds` rows and `decisions` array (always present; empty when none).
extension JSONReport {
    static func workaroundRow(_ w: AnalysisResult.Workaround) -> JSONValue {
        .object([
            ("identity", .string(w.identity)), ("department", w.department.json),
            ("kind", .string(w.kind.rawValue)),
            ("blocked", .string(w.blocked)), ("blocked_host", w.blockedHost.json),
            ("substitute", .string(w.substitute)), ("substitute_host", w.substituteHost.json),
            ("count", .int(w.count)), ("requests", .int(w.requests)), ("bytes", .int(w.bytes)), ("uploads", .int(w.uploads)),
            ("first_time", .string(CivilTime.iso8601(millis: w.firstMillis))),
            ("last_time", .string(CivilTime.iso8601(millis: w.lastMillis))),
            ("gap_ms", .int(w.gapMillis)), ("out_of_hours", w.outOfHours.json),
        ])
    }

    /// `workaroundRow(w).write(into:indent:)` without building the value: the document can hold
    /// 100,000s of rows (tested byte for byte against it).
    static func writeWorkaroundRow(_ w: AnalysisResult.Workaround, into out: inout [UInt8], indent: Int) {
        var first = true
        func key(_ name: StaticString) {
            out.append(contentsOf: (first ? "\n" : ",\n").utf8)
            first = false
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent + 2))
            out.append(UInt8(ascii: "\""))
            name.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(contentsOf: "\": ".utf8)
        }
        func string(_ name: StaticString, _ value: String?) {
            key(name)
            if let value { JSONValue.escape(value, into: &out) } else { out.append(contentsOf: "null".utf8) }
        }
        func int(_ name: StaticString, _ value: Int64?) {
            key(name)
            if let value { JSONValue.writeInt(value, into: &out) } else { out.append(contentsOf: "null".utf8) }
        }
        func time(_ name: StaticString, _ millis: Int64) {
            key(name)
            out.append(UInt8(ascii: "\""))
            CivilTime.iso8601(millis: millis, into: &out)
            out.append(UInt8(ascii: "\""))
        }
        out.append(UInt8(ascii: "{"))
        string("identity", w.identity); string("department", w.department); string("kind", w.kind.rawValue)
        string("blocked", w.blocked); string("blocked_host", w.blockedHost)
        string("substitute", w.substitute); string("substitute_host", w.substituteHost)
        int("count", w.count); int("requests", w.requests); int("bytes", w.bytes); int("uploads", w.uploads)
        time("first_time", w.firstMillis); time("last_time", w.lastMillis)
        int("gap_ms", w.gapMillis); int("out_of_hours", w.outOfHours)
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent))
        out.append(UInt8(ascii: "}"))
    }

    static func decisionsSection(_ result: AnalysisResult) -> JSONValue {
        .array(result.decisions.map { d in
            .object([
                ("service", .string(d.service)), ("name", .string(d.name)), ("category", .string(d.category)),
                ("risk", .string(d.risk.rawValue)), ("status", .string(d.status)), ("blocked_by", d.blockedBy.json),
                ("identities_tried", .int(d.identitiesTried)), ("attempts", .int(d.attempts)),
                ("denied_attempts", .int(d.deniedAttempts)), ("allowed_requests", .int(d.allowedRequests)),
                ("days_with_attempts", .int(d.daysWithAttempts)), ("attempts_out_of_hours", d.attemptsOutOfHours.json),
                ("identities_worked_around", .int(d.identitiesWorkedAround)), ("worked_around_percent", .int(d.workedAroundPercent)),
                ("identities_to_high_risk_substitutes", .int(d.identitiesToHighRiskSubstitutes)),
                ("episodes", .int(d.episodes)), ("bytes_to_substitutes", .int(d.bytesToSubstitutes)),
                ("uploads_to_substitutes", .int(d.uploadsToSubstitutes)),
                ("alternative", d.alternative.json), ("identities_moved_to_alternative", .int(d.identitiesMovedToAlternative)),
                ("substitutes", .array(d.substitutes.map { s in
                    .object([
                        ("service", .string(s.service)), ("name", .string(s.name)), ("category", .string(s.category)),
                        ("risk", .string(s.risk.rawValue)), ("kind", .string(s.kind.rawValue)), ("identities", .int(s.identities)),
                        ("episodes", .int(s.episodes)), ("requests", .int(s.requests)), ("bytes", .int(s.bytes)), ("uploads", .int(s.uploads)),
                    ])
                })),
                ("substitutes_by_bytes", .array(d.substitutesByBytes.map { .string($0) })),
                ("departments", .array(d.departments.map { p in
                    .object([("department", p.department.json), ("identities_tried", .int(p.identitiesTried)),
                             ("identities_worked_around", .int(p.identitiesWorkedAround))])
                })),
                ("trend", d.trend.map { t in
                    .object([
                        ("previous_from", .string(CivilTime.iso8601(millis: t.previousFromMillis))),
                        ("previous_to", .string(CivilTime.iso8601(millis: t.previousToMillis))),
                        ("identities_tried", t.identitiesTried.json), ("denied_attempts", t.deniedAttempts.json),
                        ("identities_worked_around", t.identitiesWorkedAround.json),
                        ("bytes_to_substitutes", t.bytesToSubstitutes.json), ("direction", .string(t.direction)),
                    ])
                } ?? .null),
                ("recommendation", .object([
                    ("action", .string(d.recommendation.action)), ("summary", .string(d.recommendation.summary)),
                    ("reasons", .array(d.recommendation.reasons.map { .string($0) })),
                ])),
            ])
        })
    }
}
