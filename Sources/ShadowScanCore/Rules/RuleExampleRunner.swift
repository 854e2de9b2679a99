/// Runs every example of every service, through the analyser's own matcher and parsers: `match` and
/// `no_match` URLs, `upload` "METHOD URL" lines, and whole log `lines` in any supported format.
/// `shadowscan rules test` prints the failures; the test suite runs it on the project's `Rules/`.
public enum RuleExampleRunner {
    public enum Kind: String, Sendable, CaseIterable {
        case match, noMatch = "no_match", upload, line
    }

    public struct Failure: Sendable, CustomStringConvertible {
        public let location: SourceLocation
        public let serviceID: String
        public let kind: Kind
        public let example: String
        public let message: String
        public var description: String { "\(location): error: \(serviceID): \(message)" }
    }

    public struct Report: Sendable {
        public var services = 0
        /// Examples run, per kind.
        public var checked: [Kind: Int] = [:]
        public var failures: [Failure] = []
        public var total: Int { checked.values.reduce(0, +) }
    }

    public static func run(_ catalog: ServiceCatalog, services only: Set<String>? = nil) -> Report {
        let explainer = MatchExplainer(catalog: catalog)
        var report = Report()
        for service in catalog.services where only?.contains(service.id) ?? true {
            report.services += 1
            func fail(_ location: SourceLocation, _ kind: Kind, _ example: String, _ message: String) {
                report.failures.append(Failure(location: location, serviceID: service.id, kind: kind, example: example, message: message))
            }
            for (url, location) in service.examples.match {
                report.checked[.match, default: 0] += 1
                let explanation = explainer.explain(url: url)
                if explanation.service?.id != service.id {
                    fail(location, .match, url, "match example '\(url)' matched \(explanation.service?.id ?? "nothing"): \(explanation.reason)")
                }
            }
            for (url, location) in service.examples.noMatch {
                report.checked[.noMatch, default: 0] += 1
                let explanation = explainer.explain(url: url)
                if explanation.service?.id == service.id {
                    fail(location, .noMatch, url, "no_match example '\(url)' matched \(service.id): \(explanation.reason)")
                }
            }
            for (line, location) in service.examples.upload {
                report.checked[.upload, default: 0] += 1
                let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { fail(location, .upload, line, "upload example '\(line)' is not 'METHOD URL'"); continue }
                let explanation = explainer.explain(url: parts[1], method: parts[0])
                if explanation.service?.id != service.id {
                    fail(location, .upload, line, "upload example '\(line)' is not a \(service.id) request: \(explanation.reason)")
                } else if !explanation.isUpload {
                    fail(location, .upload, line, "upload example '\(line)' does not count as an upload: no upload indicator has both the method and a matching URL pattern")
                }
            }
            for example in service.examples.lines {
                report.checked[.line, default: 0] += 1
                if let message = check(example, explainer) { fail(example.location, .line, example.line, message) }
            }
        }
        return report
    }

    /// Why a line example fails, or nil when it passes.
    static func check(_ example: LineExample, _ explainer: MatchExplainer) -> String? {
        let explained = LineExplanation(line: example.line, format: nil, explainer: explainer)
        guard let parsed = explained.parsed else { return "line example does not parse: \(explained.parseFailure ?? "?")" }
        var problems: [String] = []
        if let format = example.format, format != parsed.format {
            problems.append("parsed as \(parsed.format.rawValue), expected \(format.rawValue)")
        }
        let got = explained.match?.service?.id
        if got != example.service {
            let why = explained.match?.reason ?? "the record has no host"
            problems.append("expected \(example.service ?? "no service"), got \(got ?? "no service"): \(why)")
        }
        if let upload = example.upload, upload != (explained.match?.isUpload ?? false) {
            problems.append(upload ? "expected an upload, it is not one" : "expected no upload, it counts as one")
        }
        if let action = example.action, action != parsed.record.action {
            problems.append("expected action \(action.name), got \(parsed.record.action.name)")
        }
        return problems.isEmpty ? nil : "line example: " + problems.joined(separator: "; ")
    }
}

/// `rules test --format json`: `{"schema": "shadowscan.rules-test/1", "services", "examples",
/// "checked": {"match", "no_match", "upload", "line"}, "failures": [{"file", "line", "column", "service",
/// "kind", "example", "message"}]}`.
public enum RuleTestJSON {
    public static func document(_ report: RuleExampleRunner.Report) -> JSONValue {
        .object([
            ("schema", .string("shadowscan.rules-test/1")),
            ("services", .int(Int64(report.services))),
            ("examples", .int(Int64(report.total))),
            ("checked", .object(RuleExampleRunner.Kind.allCases.map { ($0.rawValue, .int(Int64(report.checked[$0] ?? 0))) })),
            ("failures", .array(report.failures.map { failure in
                .object([
                    ("file", .string(failure.location.file)),
                    ("line", .int(Int64(failure.location.line))),
                    ("column", .int(Int64(failure.location.column))),
                    ("service", .string(failure.serviceID)),
                    ("kind", .string(failure.kind.rawValue)),
                    ("example", .string(failure.example)),
                    ("message", .string(failure.message)),
                ])
            })),
        ])
    }
}
