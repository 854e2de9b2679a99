/// The JSON document (`"schema": "shadowscan.report/1"`), a public contract: keys are only ever added.
/// It holds nothing that depends on how the run was executed (workers, timing), so the same input gives
/// the same bytes.
public enum JSONReport {
    public static let schema = "shadowscan.report/1"

    static func usageMembers(_ u: AnalysisResult.Usage) -> [(String, JSONValue)] {
        [("requests", .int(u.requests)), ("allowed", .int(u.allowed)), ("denied", .int(u.denied)),
         ("challenges", .int(u.challenges)), ("users", .int(u.users)),
         ("bytes_in", .int(u.bytesIn)), ("bytes_out", u.bytesOut.json), ("uploads", .int(u.uploads))]
    }

    public static func document(_ result: AnalysisResult) -> JSONValue {
        let t = result.totals
        return .object([
            ("schema", .string(schema)),
            ("totals", .object([
                ("lines", .int(t.lines)), ("records", .int(t.records)), ("malformed", .int(t.malformed)),
                ("matched", .int(t.matched)), ("bytes", .int(t.bytes)), ("bytes_out", .int(t.bytesOut)),
                ("oversized", .int(t.oversized)), ("input_bytes", .int(t.inputBytes)),
                ("regex_limit_hits", .int(t.regexLimitHits)), ("unknown_domain_overflow", .int(t.unknownDomainOverflow)),
                ("timeline_overflow", .int(t.timelineOverflow)),
                ("workaround_event_overflow", .int(t.workaroundEventOverflow)),
                ("skipped", .int(t.skipped)),
            ])),
            ("inputs", .array(result.inputs.map { input in
                .object([
                    ("path", .string(input.path)), ("format", (input.format?.rawValue).json),
                    ("lines", .int(input.lines)), ("records", .int(input.records)), ("malformed", .int(input.malformed)),
                    ("malformed_samples", .array(input.malformedSamples.map { .int($0) })),
                    ("oversized", .int(input.oversized)), ("bytes", .int(input.bytes)),
                    ("detection", input.detection.json), ("problem", input.problem.json),
                    ("compression", (input.compression?.rawValue).json),
                    ("skipped", .int(input.skipped)),
                ])
            })),
            ("services", .array(result.services.map { s in
                .object([
                    ("id", .string(s.id)), ("name", .string(s.name)), ("category", .string(s.category)),
                    ("risk", .string(s.risk.rawValue)), ("personal", .bool(s.personal)),
                ] + usageMembers(s.usage) + [
                    ("host_only_requests", .int(s.hostOnlyRequests)),
                    ("fidelity", fidelityMembers(s.fidelity)),
                    ("first_seen", .string(CivilTime.iso8601(millis: s.firstSeenMillis))),
                    ("last_seen", .string(CivilTime.iso8601(millis: s.lastSeenMillis))),
                ])
            })),
            ("categories", .array(result.categories.map { c in
                .object([("category", .string(c.category)), ("services", .int(c.services))] + usageMembers(c.usage))
            })),
            ("users", .array(result.users.map { u in
                .object([
                    ("user", .string(u.user)), ("requests", .int(u.requests)), ("denied", .int(u.denied)),
                    ("services", .array(u.services.map { .string($0) })),
                ])
            })),
            ("unknown_domains", .array(result.unknownDomains.map { d in
                .object([("domain", .string(d.domain)), ("users", .int(d.users)), ("requests", .int(d.requests)), ("bytes", .int(d.bytes))])
            })),
            ("mail", mailSection(result.mail)),
            ("workarounds", workaroundsSection(result)), ("decisions", decisionsSection(result)),
            ("timeline", timelineSection(result.timeline)),
            ("privacy", privacySection(result.privacy)),
        ])
    }
}
