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

    /// Parses `line` as `format`, or as the format the detector picks for it. nil with the reason when
    /// no parser accepts it.
    public static func parse(_ line: String, format: LogFormat? = nil) -> Result<ParsedLogLine, LineParseFailure> {
        var bytes = Array(line.utf8)
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        if bytes.isEmpty { return .failure(LineParseFailure(message: "empty line")) }
        if bytes.count > 1 << 20 { return .failure(LineParseFailure(message: "longer than 1 MiB: the analyser counts it as malformed (oversized)")) }
        let chosen: LogFormat
        let detection: String
        if let format {
            chosen = format
            detection = "given (--log-format \(format.rawValue))"
        } else {
            guard let detected = bytes.withUnsafeBytes({ FormatDetector.detect($0) }) else {
                return .failure(LineParseFailure(message: "no supported format parses this line (tried: \(LogFormat.allCases.map(\.rawValue).joined(separator: ", ")))"))
            }
            chosen = detected.format
            detection = "detected: parses as \(detected.format.rawValue)"
        }
        var record = ProxyRecord()
        let ok = bytes.withUnsafeBytes { chosen.parser.parse($0, into: &record) }
        guard ok else { return .failure(LineParseFailure(message: "not a valid \(chosen.rawValue) line: the analyser counts it as malformed")) }
        return .success(ParsedLogLine(format: chosen, detection: detection, bytes: bytes, record: record))
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
    public static let evasionCategories: Set<String> = ["anonymiser", "vpn", "doh", "remote-access", "web-proxy", "translation"]

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

    public init(line: String, format: LogFormat? = nil, explainer: MatchExplainer) {
        input = line
        switch ParsedLogLine.parse(line, format: format) {
        case .failure(let failure):
            parsed = nil
            parseFailure = failure.message
            match = nil
            workaroundNotes = []
        case .success(let parsed):
            self.parsed = parsed
            parseFailure = nil
            let match = parsed.record.host.isEmpty ? nil : explainer.explain(host: parsed.host, url: parsed.url, method: parsed.method)
            self.match = match
            workaroundNotes = WorkaroundHints.notes(service: match?.service, action: parsed.record.action, host: match?.host)
        }
    }
}

/// Line N of a log file, for `explain --file F --line N`: read through the same opener as the analyser
/// (so compressed inputs work), with the file's format detected from its first lines as the analyser
/// does, rather than guessed from the one line.
public enum LogFileLine {
    public static func read(path: String, line wanted: Int, format: LogFormat?) -> Result<(text: String, format: LogFormat?), LineParseFailure> {
        let source: any ByteSource
        switch InputOpener.open(InputSource(path: path)) {
        case .success(let opened): source = opened
        case .failure(let error): return .failure(LineParseFailure(message: error.message))
        }
        defer { source.close() }
        let maxLine = 1 << 20
        let blockSize = 1 << 20
        var block = [UInt8](repeating: 0, count: blockSize)
        var prefix: [UInt8] = []           // the first bytes, for format detection
        var current: [UInt8] = []          // the line being assembled (bounded)
        var oversized = false
        var number = 1
        while true {
            let (n, error) = block.withUnsafeMutableBytes { source.readFully(into: $0.baseAddress!, count: blockSize) }
            if prefix.count < 64 * 1024 { prefix += block[0..<min(n, 64 * 1024 - prefix.count)] }
            var start = 0
            for i in 0..<n where block[i] == 0x0A {
                if number == wanted {
                    if !oversized { current += block[start..<i] }
                    return finish(current, oversized: oversized, prefix: prefix, format: format)
                }
                number += 1
                current.removeAll(keepingCapacity: true)
                oversized = false
                start = i + 1
            }
            if number == wanted && !oversized {
                current += block[start..<n]
                if current.count > maxLine { oversized = true; current.removeAll() }
            }
            if let error { return .failure(LineParseFailure(message: "read error: \(error.message)")) }
            if n < blockSize {
                if number == wanted && (!current.isEmpty || oversized) { return finish(current, oversized: oversized, prefix: prefix, format: format) }
                return .failure(LineParseFailure(message: "the file has \(number - (current.isEmpty ? 1 : 0)) line(s); there is no line \(wanted)"))
            }
        }
    }

    private static func finish(_ bytes: [UInt8], oversized: Bool, prefix: [UInt8], format: LogFormat?) -> Result<(text: String, format: LogFormat?), LineParseFailure> {
        if oversized { return .failure(LineParseFailure(message: "the line is longer than 1 MiB: the analyser counts it as malformed (oversized)")) }
        let detected = format ?? prefix.withUnsafeBytes { FormatDetector.detect($0)?.format }
        return .success((String(decoding: bytes, as: UTF8.self), detected))
    }
}
