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
    /// 100,000s of rows (tested byte for byte against it). Each member's line start, indentation and key
    /// is one precomputed byte string.
    static func writeWorkaroundRow(_ w: AnalysisResult.Workaround, into out: inout [UInt8], indent: Int) {
        let keys = indent == 4 ? workaroundKeyPrefixes4 : workaroundKeyPrefixes(indent: indent)
        func string(_ k: Int, _ value: String?) {
            out.append(contentsOf: keys[k])
            if let value { JSONValue.escape(value, into: &out) } else { out.append(contentsOf: nullBytes) }
        }
        func int(_ k: Int, _ value: Int64?) {
            out.append(contentsOf: keys[k])
            if let value { JSONValue.writeInt(value, into: &out) } else { out.append(contentsOf: nullBytes) }
        }
        func time(_ k: Int, _ millis: Int64) {
            out.append(contentsOf: keys[k])
            out.append(UInt8(ascii: "\""))
            CivilTime.iso8601(millis: millis, into: &out)
            out.append(UInt8(ascii: "\""))
        }
        out.reserveCapacity(out.count + 512)
        out.append(UInt8(ascii: "{"))
        string(0, w.identity); string(1, w.department); string(2, w.kind.rawValue)
        string(3, w.blocked); string(4, w.blockedHost); string(5, w.substitute); string(6, w.substituteHost)
        int(7, w.count); int(8, w.requests); int(9, w.bytes); int(10, w.uploads)
        time(11, w.firstMillis); time(12, w.lastMillis)
        int(13, w.gapMillis); int(14, w.outOfHours)
        out.append(contentsOf: keys[15])
    }

    static let workaroundKeys = ["identity", "department", "kind", "blocked", "blocked_host", "substitute", "substitute_host",
                                 "count", "requests", "bytes", "uploads", "first_time", "last_time", "gap_ms", "out_of_hours"]
    private static let nullBytes = Array("null".utf8)
    private static let workaroundKeyPrefixes4 = workaroundKeyPrefixes(indent: 4)

    /// Per key: the separator before it, the indentation and `"key": `; last: the object's closing line.
    private static func workaroundKeyPrefixes(indent: Int) -> [[UInt8]] {
        let pad = String(repeating: " ", count: indent + 2)
        return workaroundKeys.enumerated().map { i, key in Array(((i == 0 ? "\n" : ",\n") + pad + "\"\(key)\": ").utf8) }
            + [Array(("\n" + String(repeating: " ", count: indent) + "}").utf8)]
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
