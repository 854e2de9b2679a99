/// What `shadowscan explain` was asked about.
public enum ExplainSubject: Sendable {
    case line(LineExplanation)
    case url(MatchExplanation)
    case host(MatchExplanation)

    var match: MatchExplanation? {
        switch self {
        case .line(let line): return line.match
        case .url(let m), .host(let m): return m
        }
    }
}

/// Renders an explanation as aligned text (every value from the input escaped for the terminal) or as
/// the `shadowscan.explain/1` JSON document.
public enum ExplainRendering {
    public static func text(_ subject: ExplainSubject) -> String {
        var out = ""
        func row(_ key: String, _ value: String) {
            out += key + String(repeating: " ", count: max(1, 14 - key.count)) + value + "\n"
        }
        func t(_ s: String) -> String { ToolText.terminal(s, limit: 512) }

        var action: ProxyAction?
        switch subject {
        case .line(let line):
            row("input", "log line: " + t(line.input))
            guard let parsed = line.parsed else {
                row("parsed", "no: " + (line.parseFailure ?? "?"))
                return out
            }
            action = parsed.record.action
            row("format", "\(parsed.format.rawValue) (\(parsed.detection))")
            for (name, value) in fields(parsed) { row("  " + name, t(value)) }
            row("identity", t(parsed.identity.isEmpty ? "-" : parsed.identity) + (parsed.record.user.isEmpty ? " (client address: no user logged)" : " (user name)"))
            if line.match == nil {
                row("match", "none: the record has no host (the analyser counts it as a record, for no service)")
            }
        case .url(let m):
            row("input", "URL: " + t(m.url) + (m.method.map { " (method \(t($0)))" } ?? ""))
        case .host(let m):
            row("input", "host: " + t(m.host ?? m.url))
        }
        guard let m = subject.match else { return out }
        guard let host = m.host else {
            row("match", t(m.reason))
            return out
        }
        row("host", t(host))
        let suffixWidth = min(64, m.suffixes.map { ToolText.terminal($0.suffix, limit: 64).count }.max() ?? 0)
        for (suffix, claim) in m.suffixes {
            let shown = t(suffix)
            let owner = claim.map { "\($0.serviceID) (\($0.location))" + ($0 == m.domain ? "  <- decides" : "  (shadowed)") } ?? "-"
            row("  suffix", shown + String(repeating: " ", count: max(0, suffixWidth - shown.count)) + "  " + owner)
        }
        if let service = m.service {
            row("service", "\(service.id): \(t(service.name)) · category \(service.category) · risk \(service.risk.rawValue) · personal \(service.personal ? "yes" : "no")")
        } else {
            row("service", "none")
        }
        row("why", t(m.reason))
        if m.domain != nil {
            if m.patterns.isEmpty {
                row("patterns", "none: the domain alone decides")
            } else {
                for trial in m.patterns {
                    row("  pattern", "'\(t(trial.pattern))' (\(trial.location)): " + describe(trial.outcome, subject: m.url))
                }
            }
        }
        if let outcome = m.condition {
            row("when", outcome.rawValue + (outcome == .notEvaluated ? " (give a whole log line: it tests the user agent, method or status)" : ""))
            for line in (m.conditionText ?? "").split(separator: "\n") { row("", "  " + t(String(line))) }
        }
        for near in m.nearMisses { row("  near", "\(near.domain) (\(near.serviceID)): \(t(near.why))") }
        if let unknown = m.unknownDomain { row("unknown", "counted under unknown_domains as \(t(unknown))") }
        if m.service != nil {
            if m.method == nil {
                row("upload", "unknown: no request method (give a log line, or --method with --url)")
            } else if m.uploads.isEmpty {
                row("upload", "no: \(m.service!.id) has no upload indicators")
            } else {
                row("upload", m.isUpload ? "yes" : "no")
                for trial in m.uploads {
                    let method = "method \(t(m.method ?? "")) \(trial.methodMatched ? "is" : "is not") one of [\(trial.methods.joined(separator: ", "))]"
                    let pattern = trial.pattern.map { "; '\(t($0))' " + (trial.outcome.map { describe($0, subject: m.url) } ?? "") } ?? "; no URL pattern"
                    row("  indicator", "(\(trial.location)) \(method)\(pattern)")
                }
            }
        }
        if let action {
            row("action", action.name + (action == .denied ? ": denied by the proxy's policy" : action == .challenge ? ": an authentication challenge (407), neither allowed nor denied" : ""))
        }
        let notes: [String]
        if case .line(let line) = subject { notes = line.workaroundNotes } else { notes = WorkaroundHints.notes(service: m.service, action: nil, host: m.host) }
        if notes.isEmpty {
            row("workaround", "not a workaround candidate")
        } else {
            for note in notes { row("workaround", note) }
        }
        return out
    }

    private static func describe(_ outcome: PatternOutcome, subject: String) -> String {
        switch outcome {
        case .matched(let range):
            let bytes = Array(subject.utf8)
            let span = range.clamped(to: 0..<bytes.count)
            return "matched bytes \(range.lowerBound)..<\(range.upperBound) '\(ToolText.terminal(String(decoding: bytes[span], as: UTF8.self), limit: 200))'"
        case .noMatch: return "no match"
        case .limit: return "stopped at PCRE2's match limit (counted as no match, in regex_limit_hits)"
        }
    }

    /// The canonical record's fields, by name, as text.
    static func fields(_ parsed: ParsedLogLine) -> [(String, String)] {
        let r = parsed.record
        func span(_ s: ByteSpan) -> String { s.isEmpty ? "-" : parsed.text(s) }
        return [
            ("time", r.timeMillis == 0 ? "-" : CivilTime.iso8601(millis: r.timeMillis)),
            ("client", span(r.client)),
            ("user", span(r.user)),
            ("method", span(r.method)),
            ("url", span(r.url)),
            ("host", span(r.host)),
            ("port", r.port == 0 ? "-" : String(r.port)),
            ("path", span(r.path)),
            ("status", String(r.status)),
            ("result", span(r.resultCode)),
            ("action", r.action.name),
            ("bytes_in", String(r.bytesToClient)),
            ("bytes_out", r.bytesFromClient < 0 ? "-" : String(r.bytesFromClient)),
            ("user_agent", span(r.userAgent)),
            ("host_only", r.hostOnly ? "yes (CONNECT: only the host was visible)" : "no"),
        ]
    }

    // MARK: JSON

    public static func json(_ subject: ExplainSubject) -> JSONValue {
        var members: [(String, JSONValue)] = [("schema", .string("shadowscan.explain/1"))]
        var action: ProxyAction?
        switch subject {
        case .line(let line):
            members.append(("input", .object([("kind", .string("line")), ("text", .string(line.input))])))
            if let parsed = line.parsed {
                action = parsed.record.action
                members.append(("parsed", .object([
                    ("format", .string(parsed.format.rawValue)),
                    ("detection", .string(parsed.detection)),
                    ("fields", .object(fields(parsed).map { ($0.0, .string($0.1)) })),
                    ("identity", .string(parsed.identity)),
                ])))
                members.append(("parse_error", .null))
            } else {
                members.append(("parsed", .null))
                members.append(("parse_error", .string(line.parseFailure ?? "")))
            }
        case .url(let m):
            members.append(("input", .object([("kind", .string("url")), ("text", .string(m.url)), ("method", m.method.map { .string($0) } ?? .null)])))
        case .host(let m):
            members.append(("input", .object([("kind", .string("host")), ("text", .string(m.host ?? m.url))])))
        }
        let m = subject.match
        func claim(_ c: DomainClaim?) -> JSONValue {
            guard let c else { return .null }
            return .object([("domain", .string(c.domain)), ("service", .string(c.serviceID)), ("source", .string(c.location.description))])
        }
        func outcome(_ o: PatternOutcome?) -> [(String, JSONValue)] {
            switch o {
            case .matched(let r)?: return [("matched", .bool(true)), ("span", .array([.int(Int64(r.lowerBound)), .int(Int64(r.upperBound))])), ("limit", .bool(false))]
            case .noMatch?: return [("matched", .bool(false)), ("span", .null), ("limit", .bool(false))]
            case .limit?: return [("matched", .bool(false)), ("span", .null), ("limit", .bool(true))]
            case nil: return [("matched", .null), ("span", .null), ("limit", .bool(false))]
            }
        }
        members.append(("host", m?.host.map { .string($0) } ?? .null))
        members.append(("suffixes", .array((m?.suffixes ?? []).map { s in
            .object([("suffix", .string(s.suffix)), ("claim", claim(s.claim))])
        })))
        members.append(("domain", claim(m?.domain)))
        members.append(("shadowed", .array((m?.shadowed ?? []).map { claim($0) })))
        members.append(("patterns", .array((m?.patterns ?? []).map { p in
            .object([("pattern", .string(p.pattern)), ("source", .string(p.location.description))] + outcome(p.outcome))
        })))
        if let service = m?.service {
            members.append(("service", .object([
                ("id", .string(service.id)), ("name", .string(service.name)), ("category", .string(service.category)),
                ("risk", .string(service.risk.rawValue)), ("personal", .bool(service.personal)),
            ])))
        } else {
            members.append(("service", .null))
        }
        members.append(("condition", m?.condition.map { .string($0.rawValue) } ?? .null))
        let knowsUpload = m?.service != nil && m?.method != nil
        members.append(("upload", knowsUpload ? .bool(m?.isUpload ?? false) : .null))
        members.append(("upload_indicators", .array((m?.uploads ?? []).map { u in
            .object([("methods", .array(u.methods.map { .string($0) })), ("pattern", u.pattern.map { .string($0) } ?? .null),
                     ("source", .string(u.location.description)), ("method_matched", .bool(u.methodMatched))] + outcome(u.outcome)
                    + [("counts", .bool(u.counts))])
        })))
        members.append(("action", action.map { .string($0.name) } ?? .null))
        members.append(("denied", action.map { .bool($0 == .denied) } ?? .null))
        let notes: [String]
        if case .line(let line) = subject { notes = line.workaroundNotes } else { notes = WorkaroundHints.notes(service: m?.service, action: nil, host: m?.host) }
        members.append(("workaround_candidate", .bool(!notes.isEmpty)))
        members.append(("workaround_notes", .array(notes.map { .string($0) })))
        members.append(("near_misses", .array((m?.nearMisses ?? []).map { n in
            .object([("domain", .string(n.domain)), ("service", .string(n.serviceID)), ("why", .string(n.why))])
        })))
        members.append(("unknown_domain", m?.unknownDomain.map { .string($0) } ?? .null))
        let reason: String
        if case .line(let line) = subject, line.parsed == nil { reason = "the line does not parse: \(line.parseFailure ?? "")" }
        else if let m { reason = m.reason } else { reason = "the record has no host: no service" }
        members.append(("reason", .string(reason)))
        return .object(members)
    }
}
