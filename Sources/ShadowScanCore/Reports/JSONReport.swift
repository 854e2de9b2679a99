/// The JSON document (`"schema": "shadowscan.report/1"`), a public contract: keys are only ever added.
/// It holds nothing that depends on how the run was executed (workers, timing), so the same input gives
/// the same bytes.
public enum JSONReport {
    public static let schema = "shadowscan.report/1"

    public static func document(_ result: AnalysisResult) -> JSONValue {
        let t = result.totals
        return .object([
            ("schema", .string(schema)),
            ("totals", .object([
                ("lines", .int(t.lines)), ("records", .int(t.records)), ("malformed", .int(t.malformed)),
                ("matched", .int(t.matched)), ("bytes", .int(t.bytes)), ("bytes_out", .int(t.bytesOut)),
                ("oversized", .int(t.oversized)), ("input_bytes", .int(t.inputBytes)),
                ("regex_limit_hits", .int(t.regexLimitHits)), ("unknown_domain_overflow", .int(t.unknownDomainOverflow)),
            ])),
            ("inputs", .array(result.inputs.map { input in
                .object([
                    ("path", .string(input.path)), ("format", (input.format?.rawValue).json),
                    ("lines", .int(input.lines)), ("records", .int(input.records)), ("malformed", .int(input.malformed)),
                    ("malformed_samples", .array(input.malformedSamples.map { .int($0) })),
                    ("oversized", .int(input.oversized)), ("bytes", .int(input.bytes)),
                    ("detection", input.detection.json), ("problem", input.problem.json),
                ])
            })),
            ("services", .array(result.services.map { s in
                .object([
                    ("id", .string(s.id)), ("name", .string(s.name)), ("category", .string(s.category)),
                    ("risk", .string(s.risk.rawValue)), ("personal", .bool(s.personal)),
                    ("requests", .int(s.requests)), ("allowed", .int(s.allowed)), ("denied", .int(s.denied)),
                    ("challenges", .int(s.challenges)), ("users", .int(s.users)),
                    ("bytes_in", .int(s.bytesIn)), ("bytes_out", s.bytesOut.json), ("uploads", .int(s.uploads)),
                    ("host_only_requests", .int(s.hostOnlyRequests)),
                    ("first_seen", .string(CivilTime.iso8601(millis: s.firstSeenMillis))),
                    ("last_seen", .string(CivilTime.iso8601(millis: s.lastSeenMillis))),
                ])
            })),
            ("categories", .array(result.categories.map { c in
                .object([
                    ("category", .string(c.category)), ("services", .int(c.services)),
                    ("requests", .int(c.requests)), ("allowed", .int(c.allowed)), ("denied", .int(c.denied)),
                    ("challenges", .int(c.challenges)), ("users", .int(c.users)),
                    ("bytes_in", .int(c.bytesIn)), ("bytes_out", c.bytesOut.json), ("uploads", .int(c.uploads)),
                ])
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
        ])
    }
}
