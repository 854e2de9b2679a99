import PCRE2

/// `shadowscan rules lint`: every error the loader reports, plus warnings about rules that load but
/// are probably not what their author meant: a domain shadowed by a more specific one of another
/// service, a domain its own service already covers, a URL pattern that can run away on hostile input or
/// that matches every URL, a service without `no_match` examples, a line example naming an unknown service.
public enum RuleLinter {
    public enum Severity: String, Sendable, Comparable {
        case error, warning
        public static func < (a: Severity, b: Severity) -> Bool { a == .error && b == .warning }
    }

    public struct Finding: Sendable, Equatable, CustomStringConvertible {
        public let location: SourceLocation
        public let severity: Severity
        public let message: String
        public var description: String { "\(location): \(severity.rawValue): \(message)" }
    }

    public struct Report: Sendable {
        public var files: Int
        public var services: Int
        public var findings: [Finding]
        public var errors: Int { findings.filter { $0.severity == .error }.count }
        public var warnings: Int { findings.filter { $0.severity == .warning }.count }
    }

    /// Lints the given rule sources as one catalogue (cross-file checks span them all).
    public static func lint(sources: [(name: String, text: String)], earlierProblems: [RuleProblem] = []) -> Report {
        let (services, problems) = RuleCatalogLoader.read(sources: sources, earlierProblems: earlierProblems)
        var findings = problems.map { Finding(location: $0.location, severity: .error, message: $0.message) }
        findings += shadowing(services)
        findings += patterns(services)
        findings += examples(services)
        // Stable order: by file, then position, errors before warnings at the same place.
        findings.sort { a, b in
            if a.location.file != b.location.file { return a.location.file < b.location.file }
            if a.location.line != b.location.line { return a.location.line < b.location.line }
            if a.location.column != b.location.column { return a.location.column < b.location.column }
            if a.severity != b.severity { return a.severity < b.severity }
            return a.message < b.message
        }
        return Report(files: sources.count, services: services.count, findings: findings)
    }

    // MARK: Domains

    /// A domain under another service's domain is legal (the most specific wins) but changes what the
    /// wider rule matches, so say so; a domain under its own service's domain is redundant.
    static func shadowing(_ services: [ServiceDefinition]) -> [Finding] {
        var owner: [String: (service: Int, entry: Int)] = [:]
        for (s, service) in services.enumerated() {
            for (e, domain) in service.domains.enumerated() where owner[domain] == nil { owner[domain] = (s, e) }
        }
        var findings: [Finding] = []
        for (s, service) in services.enumerated() {
            for (e, domain) in service.domains.enumerated() {
                var rest = Substring(domain)
                while let dot = rest.firstIndex(of: ".") {
                    rest = rest[rest.index(after: dot)...]
                    guard let wider = owner[String(rest)] else { continue }
                    let here = location(service, e)
                    let widerService = services[wider.service]
                    let there = location(widerService, wider.entry)
                    if wider.service == s {
                        findings.append(Finding(location: here, severity: .warning,
                                                message: "domain '\(domain)' is redundant: '\(rest)' of the same service already matches it (\(there))"))
                    } else {
                        findings.append(Finding(location: here, severity: .warning,
                                                message: "domain '\(domain)' of '\(service.id)' shadows '\(rest)' of '\(widerService.id)' (\(there)): "
                                                    + "the most specific domain wins, so \(domain) and its subdomains count for '\(service.id)'"))
                    }
                    break   // the nearest wider claim is the one that matters
                }
            }
        }
        return findings
    }

    private static func location(_ service: ServiceDefinition, _ entry: Int) -> SourceLocation {
        service.domainLocations.indices.contains(entry) ? service.domainLocations[entry] : service.location
    }

    // MARK: Patterns

    /// URL and upload patterns: a pattern that stops at PCRE2's match limit on an adversarial URL can
    /// run away on hostile input (the analyser then counts it in `regex_limit_hits` and misses the
    /// match); a URL pattern that matches the empty URL filters nothing.
    static func patterns(_ services: [ServiceDefinition]) -> [Finding] {
        let scratch = MatchScratch()
        var findings: [Finding] = []
        for service in services {
            var checks: [(String, SourceLocation, Bool)] = []
            for (p, source) in service.urlPatterns.enumerated() {
                checks.append((source, service.urlPatternLocations.indices.contains(p) ? service.urlPatternLocations[p] : service.location, true))
            }
            for upload in service.uploads {
                if let source = upload.urlPattern { checks.append((source, upload.location, false)) }
            }
            for source in service.condition?.patterns ?? [] { checks.append((source, service.location, false)) }
            for (source, location, isURLPattern) in checks {
                guard let pattern = try? Pattern(source) else { continue }   // the loader reported it
                if let subject = runaway(pattern, scratch: scratch) {
                    findings.append(Finding(location: location, severity: .warning,
                                            message: "pattern '\(source)' hit PCRE2's match limit (\(PCRE2.defaultMatchLimit)) on \(subject): "
                                                + "it could run away on hostile URLs; avoid nested or adjacent unbounded quantifiers"))
                }
                if isURLPattern, (try? pattern.matches("", scratch: scratch)) == true {
                    findings.append(Finding(location: location, severity: .warning,
                                            message: "URL pattern '\(source)' matches an empty URL, so it matches every URL of the service: it filters nothing"))
                }
            }
        }
        return findings
    }

    /// As `runaway(_:scratch:)` for a pattern's source; nil also when it does not compile.
    public static func runaway(source: String) -> String? {
        guard let pattern = try? Pattern(source) else { return nil }
        return runaway(pattern, scratch: MatchScratch())
    }

    /// The first adversarial subject on which `pattern` stops at the match limit, described, or nil.
    static func runaway(_ pattern: Pattern, scratch: MatchScratch) -> String? {
        for (description, subject) in adversarialSubjects(for: pattern.source) {
            var bytes = subject
            let result = bytes.withUnsafeMutableBytes { raw in
                Result { () throws(PCRE2MatchError) in try pattern.firstMatch(in: UnsafeRawBufferPointer(raw), scratch: scratch) }
            }
            if case .failure(let error) = result, error.isLimit { return description }
        }
        return nil
    }

    /// Long runs of the characters URL patterns are made of, and of the pattern's own literals, each
    /// spoilt at the end so a backtracking engine has to try every way to split the run. A run is also
    /// followed by each of the pattern's literals: PCRE2 gives up at once on a subject that lacks a
    /// literal the pattern requires, so the literal must be there for the backtracking to start.
    static func adversarialSubjects(for source: String) -> [(String, [UInt8])] {
        var literals: [String] = []
        var literal = ""
        var escaped = false
        func flush() {
            if !literal.isEmpty && literal.count <= 16 && !literals.contains(literal) { literals.append(literal) }
            literal = ""
        }
        for ch in source {
            if escaped { if ch.isPunctuation || ch.isSymbol { literal.append(ch) } else { flush() }; escaped = false; continue }
            if ch == "\\" { escaped = true; continue }
            if ch.isLetter || ch.isNumber || ch == "/" || ch == "_" || ch == "-" || ch == "=" { literal.append(ch) } else { flush() }
        }
        flush()
        literals = Array(literals.sorted { $0.count > $1.count }.prefix(4))
        var units: [String] = ["a", "/", ".", "-", "=", "%20", "0", "a/", "a.", "a-", "&a=", "/a", "a "]
        for literal in literals where !units.contains(literal) { units.append(literal) }
        var subjects: [(String, [UInt8])] = []
        for unit in units {
            let repeats = max(8, 4096 / max(unit.utf8.count, 1))
            let run = String(repeating: unit, count: repeats)
            for tail in [""] + literals {
                for (prefix, prefixName) in [("", ""), ("https://a.example/", "https://a.example/ + ")] {
                    for (spoiler, spoilerName) in [("\u{1}", "\\x01"), ("!", "!"), (" ", "space")] {
                        let name = "\(prefixName)\(repeats)× '\(unit)'" + (tail.isEmpty ? "" : " + '\(tail)'") + " + \(spoilerName)"
                        subjects.append((name, Array((prefix + run + tail + spoiler).utf8)))
                    }
                }
            }
        }
        return subjects
    }

    // MARK: Examples

    static func examples(_ services: [ServiceDefinition]) -> [Finding] {
        let ids = Set(services.map(\.id))
        var findings: [Finding] = []
        for service in services {
            if service.examples.noMatch.isEmpty {
                findings.append(Finding(location: service.location, severity: .warning,
                                        message: "service '\(service.id)' has no no_match examples: add near misses (look-alike domains, other services' hosts)"))
            }
            if !service.uploads.isEmpty && service.examples.upload.isEmpty {
                findings.append(Finding(location: service.location, severity: .warning,
                                        message: "service '\(service.id)' has upload indicators but no upload examples"))
            }
            for example in service.examples.lines {
                if let expected = example.service, !ids.contains(expected) {
                    findings.append(Finding(location: example.location, severity: .error,
                                            message: "line example expects service '\(expected)', which is not in the catalogue"))
                }
            }
        }
        return findings
    }
}

/// `rules lint --format json`: `{"schema": "shadowscan.lint/1", "files", "services", "errors", "warnings",
/// "problems": [{"file", "line", "column", "severity", "message"}]}`.
public enum RuleLintJSON {
    public static func document(_ report: RuleLinter.Report) -> JSONValue {
        .object([
            ("schema", .string("shadowscan.lint/1")),
            ("files", .int(Int64(report.files))),
            ("services", .int(Int64(report.services))),
            ("errors", .int(Int64(report.errors))),
            ("warnings", .int(Int64(report.warnings))),
            ("problems", .array(report.findings.map { finding in
                .object([
                    ("file", .string(finding.location.file)),
                    ("line", .int(Int64(finding.location.line))),
                    ("column", .int(Int64(finding.location.column))),
                    ("severity", .string(finding.severity.rawValue)),
                    ("message", .string(finding.message)),
                ])
            })),
        ])
    }
}
