import ArgumentParser
import Foundation
import ShadowScanCore

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show how ShadowScan reads one log line, URL or host, and why it matches a service or not.",
        discussion: """
            For a log line: the format that parsed it and the canonical fields; for every input: each
            label suffix of the host and the service claiming it, the decisive domain and what it shadows,
            every URL pattern tried with the matched byte span, the upload indicators, the proxy's action,
            whether the request is a workaround candidate, or, when nothing matched, the nearest catalogue
            domains and the registrable domain counted under unknown_domains.

            Examples:
              shadowscan explain '1763448000.000 12 10.0.0.5 TCP_DENIED/403 0 GET https://www.dropbox.com/ alice HIER_NONE/- text/html'
              shadowscan explain --url https://content.dropboxapi.com/2/files/upload --method POST
              shadowscan explain --host notdropbox.com
              shadowscan explain --file /var/log/squid/access.log --line 1234 --format json
            """
    )

    @Argument(help: ArgumentHelp("A log line, in any supported format.", valueName: "LOG LINE"))
    var line: String?

    @Option(name: .long, help: ArgumentHelp("Explain a URL as logged (https://host/path, or host:port for CONNECT).", valueName: "URL"))
    var url: String?

    @Option(name: .long, help: ArgumentHelp("With --url: the request method (uploads depend on it).", valueName: "METHOD"))
    var method: String?

    @Option(name: .long, help: ArgumentHelp("Explain a bare host name.", valueName: "HOST"))
    var host: String?

    @Option(name: .long, help: ArgumentHelp("Explain line N of this log file (with --line).", valueName: "FILE"))
    var file: String?

    @Option(name: [.customLong("line")], help: ArgumentHelp("With --file: the 1-based line number.", valueName: "N"))
    var lineNumber: Int?

    @Option(name: .long, help: ArgumentHelp("auto, or the format to parse the line as.", valueName: "FORMAT"))
    var logFormat: String = "auto"

    @OptionGroup var catalogue: CatalogueOptions

    @Option(name: .long, help: "text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        let given = [line != nil, url != nil, host != nil, file != nil].filter { $0 }.count
        if given != 1 { throw ValidationError("give exactly one of: a LOG LINE, --url, --host, or --file with --line") }
        if file != nil && lineNumber == nil { throw ValidationError("--file needs --line N") }
        if lineNumber != nil && file == nil { throw ValidationError("--line needs --file") }
        if let lineNumber, lineNumber < 1 { throw ValidationError("--line must be 1 or more") }
        if method != nil && url == nil { throw ValidationError("--method goes with --url") }
        if logFormat != "auto" && LogFormat(rawValue: logFormat) == nil {
            throw ValidationError("unknown --log-format '\(logFormat)'; expected auto or one of: \(LogFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() throws {
        let catalog = try catalogue.load()
        let explainer = MatchExplainer(catalog: catalog)
        let forced = LogFormat(rawValue: logFormat)
        let subject: ExplainSubject
        if let line {
            subject = .line(LineExplanation(line: line, format: forced, explainer: explainer))
        } else if let url {
            subject = .url(explainer.explain(url: url, method: method))
        } else if let host {
            let bare = host.hasSuffix(".") ? String(host.dropLast()) : host
            subject = .host(explainer.explain(host: bare, url: bare, method: nil))
        } else if let file, let lineNumber {
            switch LogFileLine.read(path: file, line: lineNumber, format: forced) {
            case .success(let found):
                subject = .line(LineExplanation(line: found.text, format: found.format, directives: found.directives,
                                                formatReason: forced != nil ? "given" : "detected from the file's first lines",
                                                explainer: explainer))
            case .failure(let problem):
                warn("error: \(file): \(problem.message)")
                throw ExitCode(1)
            }
        } else {
            throw ExitCode(2)
        }
        switch format {
        case .text: print(ExplainRendering.text(subject), terminator: "")
        case .json: print(ExplainRendering.json(subject).serialized(), terminator: "")
        }
    }
}
