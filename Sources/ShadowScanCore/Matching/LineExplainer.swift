/// One log line parsed for a tool (`explain`, `rules test`): its bytes, format and canonical record.
public struct ParsedLogLine: Sendable {
    public let format: LogFormat
    /// How the format was chosen ("given", or the detector's reason).
    public let detection: String
    public let bytes: [UInt8]
    public let record: ProxyRecord

    public func text(_ span: ByteSpan) -> String { String(decoding: bytes[span.start..<span.end], as: UTF8.self) }
    public var host: String { text(record.host) }
    public var url: String { text(record.url) }
    public var method: String { text(record.method) }
    /// The identity the analyser counts: the user name when logged, otherwise the client address.
    public var identity: String { text(record.user.isEmpty ? record.client : record.user) }

    /// Parses `line` as `format`, or as the format the detector picks for it, as the analyser reads it:
    /// `directives` are header lines seen earlier in the file (a W3C `#Fields:` line, a CSV header),
    /// replayed first. Fails, saying why, when the line is malformed, a header itself, a well-formed line
    /// that records no web request, or a mail-gateway line.
    public static func parse(_ line: String, format: LogFormat? = nil, directives: [String] = [],
                             formatReason: String = "given") -> Result<ParsedLogLine, LineParseFailure> {
        var bytes = Array(line.utf8)
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        if bytes.isEmpty { return .failure(LineParseFailure(message: "empty line")) }
        if bytes.count > 1 << 20 { return .failure(LineParseFailure(message: "longer than 1 MiB: the analyser counts it as malformed (oversized)")) }
        let chosen: LogFormat
        let detection: String
        if let format {
            chosen = format
            detection = formatReason
        } else {
            let sample = (directives.map { Array($0.utf8) + [0x0A] }.joined() + bytes)
            guard let detected = Array(sample).withUnsafeBytes({ FormatDetector.detect($0) }) else {
                return .failure(LineParseFailure(message: "no supported format parses this line (tried: \(LogFormat.allCases.map(\.rawValue).joined(separator: ", ")))"))
            }
            chosen = detected.format
            detection = "detected: parses as \(detected.format.rawValue)"
        }
        if chosen.isMail {
            return .failure(LineParseFailure(message: "a \(chosen.rawValue) mail-gateway line: mail logs become message events (the mail section of analyse), not proxy requests"))
        }
        var parser = chosen.parser
        if type(of: parser).hasDirectives {
            for directive in directives { _ = Array(directive.utf8).withUnsafeBytes { parser.directive($0) } }
            if bytes.withUnsafeBytes({ parser.directive($0) }) {
                return .failure(LineParseFailure(message: "a \(chosen.rawValue) header line: it sets up the lines after it and is counted as skipped"))
            }
        }
        var record = ProxyRecord()
        var built: [UInt8]?
        let ok = bytes.withUnsafeBytes { raw -> Bool in
            let ok = parser.parse(raw, into: &record)
            // Spans may index bytes the parser built (a composed URL): keep a copy of those.
            if ok, let storage = record.storage { built = Array(storage) }
            return ok
        }
        record.storage = nil
        guard ok else { return .failure(LineParseFailure(message: "not a valid \(chosen.rawValue) line: the analyser counts it as malformed")) }
        guard record.isRequest else {
            return .failure(LineParseFailure(message: "a \(chosen.rawValue) line that records no web request (counted as skipped)"))
        }
        return .success(ParsedLogLine(format: chosen, detection: detection, bytes: built ?? bytes, record: record))
    }
}

public struct LineParseFailure: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Hints for workaround detection: which categories make a request an evasion candidate, and what a
/// denial or a raw IP address means for the requests that follow it.
public enum WorkaroundHints {
    /// Categories whose traffic after a denial counts as evasion.
    public static let evasionCategories: Set<String> = Set(WorkaroundPolicy.defaultEvasionCategories)

    /// Plain-language notes for one request.
    public static func notes(service: ServiceDefinition?, action: ProxyAction?, host: String?) -> [String] {
        var notes: [String] = []
        if let service, evasionCategories.contains(service.category) {
            notes.append("evasion candidate: \(service.category) traffic by an identity shortly after a denial counts as evasion")
        }
        if action == .denied, let service {
            notes.append("denial of \(service.id): the identity's allowed requests soon after to another \(service.category) service "
                         + "(substitution), to another host of \(service.id) (side door) or to an evasion category are workaround candidates")
        } else if action == .denied {
            notes.append("denial of a host outside the catalogue: not attributed to a service, so it starts no workaround")
        }
        if let host, action != .denied, isIPLiteral(host) {
            notes.append("side-door candidate: a raw IP address after a denial can bypass domain blocks")
        }
        return notes
    }

    static func isIPLiteral(_ host: String) -> Bool {
        host.contains(":") || (!host.isEmpty && host.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") })
    }
}

/// A log line explained: how it parsed, and what the matcher made of it.
public struct LineExplanation: Sendable {
    public let input: String
    public let parsed: ParsedLogLine?
    public let parseFailure: String?
    /// nil when the line did not parse or the record has no host.
    public let match: MatchExplanation?
    public let workaroundNotes: [String]

    public init(line: String, format: LogFormat? = nil, directives: [String] = [], formatReason: String = "given",
                explainer: MatchExplainer) {
        input = line
        switch ParsedLogLine.parse(line, format: format, directives: directives, formatReason: formatReason) {
        case .failure(let failure):
            parsed = nil
            parseFailure = failure.message
            match = nil
            workaroundNotes = []
        case .success(let parsed):
            self.parsed = parsed
            parseFailure = nil
            let match = parsed.record.host.isEmpty ? nil : explainer.explain(host: parsed.host, url: parsed.url, method: parsed.method, line: parsed)
            self.match = match
            workaroundNotes = WorkaroundHints.notes(service: match?.service, action: parsed.record.action, host: match?.host)
        }
    }
}

/// Line N of a log file, for `explain --file F --line N`: read through the same opener as the analyser
/// (so compressed inputs work), with the file's format detected from its first lines as the analyser
/// does, rather than guessed from the one line.
public enum LogFileLine {
    public struct Found: Sendable {
        public let text: String
        /// The file's format as detected from its first lines (or given).
        public let format: LogFormat?
        /// Header lines of that format before the line (W3C `#Fields:`, a CSV header), most recent last.
        public let directives: [String]
    }

    public static func read(path: String, line wanted: Int, format: LogFormat?) -> Result<Found, LineParseFailure> {
        let source: any ByteSource
        switch InputOpener.open(InputSource(path: path)) {
        case .success(let opened): source = opened
        case .failure(let error): return .failure(LineParseFailure(message: error.message))
        }
        defer { source.close() }
        var reader = ToolLineReader(source: source)
        let prefix = reader.prefix(64 * 1024)
        if prefix.isEmpty { return .failure(LineParseFailure(message: reader.error ?? "empty file")) }
        let detected = format ?? prefix.withUnsafeBytes { FormatDetector.detect($0)?.format }
        var parser = detected?.parser
        let takesDirectives = parser.map { type(of: $0).hasDirectives } ?? false
        var directives: [String] = []
        var number = 0
        var found: Result<Found, LineParseFailure>?
        reader.forEachLine { line, oversized in
            guard found == nil else { return }
            number += 1
            if number == wanted {
                found = oversized
                    ? .failure(LineParseFailure(message: "the line is longer than 1 MiB: the analyser counts it as malformed (oversized)"))
                    : .success(Found(text: String(decoding: line, as: UTF8.self), format: detected, directives: directives))
                return
            }
            // Keep the header lines in effect (the last few: a header replaces the one before).
            if takesDirectives, !oversized, parser?.directive(line) == true {
                directives.append(String(decoding: line, as: UTF8.self))
                if directives.count > 8 { directives.removeFirst() }
            }
        }
        if let found { return found }
        if let error = reader.error { return .failure(LineParseFailure(message: "read error: \(error)")) }
        return .failure(LineParseFailure(message: "the file has \(number) line(s); there is no line \(wanted)"))
    }
}
