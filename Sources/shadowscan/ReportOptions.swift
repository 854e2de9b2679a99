import ArgumentParser
import Foundation
import ShadowScanCore

/// `analyse` options for the report files and the privacy of identities in every output.
struct ReportOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Write the HTML report to FILE: one self-contained page (inline CSS and SVG, no script, nothing fetched); - for standard output.", valueName: "FILE"))
    var html: String?

    @Option(name: .long, help: ArgumentHelp("Write the report as Markdown tables to FILE; - for standard output.", valueName: "FILE"))
    var markdown: String?

    @Option(name: .long, help: ArgumentHelp("Write one CSV file per table into DIR (created if missing).", valueName: "DIR"))
    var csv: String?

    @Option(name: .long, help: ArgumentHelp("How identities appear in every output: pseudonym (keyed, stable across runs) or plain (names as logged).", valueName: "MODE"))
    var identities: String = IdentityDisplay.pseudonym.rawValue

    @Option(name: .long, help: ArgumentHelp("The pseudonym key (from 'shadowscan key new'). Default: $SHADOWSCAN_KEY_FILE, else $XDG_DATA_HOME/shadowscan/key or ~/.local/share/shadowscan/key, created on first use.", valueName: "FILE"))
    var keyFile: String?

    @Option(name: .long, help: ArgumentHelp("security (default: every table, identities as --identities says) or manager (no individuals; no group smaller than --min-group-size).", valueName: "AUDIENCE"))
    var audience: String = ReportAudience.security.rawValue

    @Option(name: .long, help: ArgumentHelp("Smallest group of people a manager report shows (k).", valueName: "K"))
    var minGroupSize: Int = PrivacyOptions.defaultMinGroupSize

    func validate() throws {
        guard IdentityDisplay(rawValue: identities) != nil else {
            throw ValidationError("unknown --identities '\(identities)'; expected one of: \(IdentityDisplay.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard ReportAudience(rawValue: audience) != nil else {
            throw ValidationError("unknown --audience '\(audience)'; expected one of: \(ReportAudience.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if minGroupSize < 2 || minGroupSize > 1000 { throw ValidationError("--min-group-size must be between 2 and 1000") }
        if csv == "-" { throw ValidationError("--csv needs a folder, not standard output") }
        for (flag, value) in [("--html", html), ("--markdown", markdown), ("--csv", csv), ("--key-file", keyFile)] where value?.isEmpty == true {
            throw ValidationError("\(flag) needs a path")
        }
    }

    /// Whether a report goes to standard output (the text summary then goes to standard error).
    var usesStandardOutput: Bool { html == "-" || markdown == "-" }

    /// Settles how identities are shown before anything is analysed, so a missing or bad key stops the
    /// run (exit 2) with nothing written. Creates the default key on first use, saying so.
    func privacyOptions(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PrivacyOptions {
        var options = PrivacyOptions(identities: IdentityDisplay(rawValue: identities)!, audience: ReportAudience(rawValue: audience)!,
                                     minGroupSize: minGroupSize)
        guard options.needsKey else { return options }
        do {
            let key: PseudonymKey
            if let path = keyFile ?? environment["SHADOWSCAN_KEY_FILE"].flatMap({ $0.isEmpty ? nil : $0 }) {
                // A key named explicitly is never created: a typo must not start a new set of pseudonyms.
                key = try PseudonymKey.load(from: path)
            } else {
                guard let path = PseudonymKey.defaultPath(environment: environment) else {
                    throw KeyFileError("no pseudonym key: HOME is not set; pass --key-file FILE (make one with: shadowscan key new FILE) or --identities plain")
                }
                let (loaded, created) = try PseudonymKey.loadOrCreate(at: path)
                if created {
                    warn("notice: created a pseudonym key at \(path) (key id \(loaded.id)). Reports show identities as pseudonyms under this key: "
                         + "keep it to keep pseudonyms stable across runs, back it up, and keep it secret (with the logs it resolves pseudonyms).")
                }
                key = loaded
            }
            for warning in key.warnings { warn("warning: \(warning)") }
            options.pseudonyms = Pseudonyms(key: key)
        } catch {
            warn("error: \(error); nothing analysed")
            throw ExitCode(2)
        }
        return options
    }

    /// Writes the report files; returns the problems (each already on standard error).
    func writeReports(_ result: AnalysisResult) -> [String] {
        var problems: [String] = []
        func attempt(_ what: String, _ body: () throws -> Void) {
            do { try body() } catch {
                let message = "cannot write \(what): \((error as? ReportTemplateError)?.description ?? error.localizedDescription)"
                warn("error: \(message)")
                problems.append(message)
            }
        }
        if let html { attempt(html) { try ReportWriter.write(HTMLReport.render(result, version: VersionInfo.version), to: html) } }
        if let markdown { attempt(markdown) { try ReportWriter.write(MarkdownReport.render(result, version: VersionInfo.version), to: markdown) } }
        if let csv { attempt(csv) { try CSVReport.write(result, to: csv) } }
        return problems
    }
}
