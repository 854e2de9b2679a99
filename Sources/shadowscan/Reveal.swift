import ArgumentParser
import Foundation
import ShadowScanCore

/// `shadowscan reveal`: a pseudonym back to the identity, for the security team, under audit.
struct Reveal: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reveal",
        abstract: "Resolve a pseudonym to the identity behind it, recording who asked and why in an audit log.",
        discussion: """
            The identity is found among the identities of the logs the report was made from (--logs), or
            of the history store the run recorded (--store), with the key that made the pseudonym. Before anything is printed, one line is appended to the audit log
            (who: login name, account, uid, sudo user, host; when, in UTC; why; which pseudonym; the key id;
            the sources; the outcome). The identity itself is never written to the audit log. If the entry
            cannot be written, nothing is revealed.

            Exit codes: 0 found; 1 not found, or some input could not be read; 2 usage errors (no reason,
            no key, unwritable audit log, a catalogue that does not load).

            Example:
              shadowscan reveal u-3f9a0c51d2e7 --key-file /etc/shadowscan/key \\
                --reason "INC-4711: data-loss investigation approved by the DPO" --logs /var/log/squid/
            """
    )

    @Argument(help: ArgumentHelp("The pseudonym as a report shows it (u- and 12 hex digits, optionally @domain).", valueName: "PSEUDONYM"))
    var pseudonym: String

    @Option(name: .long, help: ArgumentHelp("Why the identity is needed (recorded in the audit log; required).", valueName: "TEXT"))
    var reason: String?

    @Option(name: .long, help: ArgumentHelp("The key the report was made with (default: as for analyse).", valueName: "FILE"))
    var keyFile: String?

    @Option(name: .long, parsing: .upToNextOption, help: ArgumentHelp("The logs the report was made from: files, directories, - for standard input.", valueName: "PATHS"))
    var logs: [String] = []

    @Option(name: .long, help: ArgumentHelp("The history store the run recorded to (analyse --store): its identities are searched too.", valueName: "FILE"))
    var store: String?

    @Option(name: .long, help: ArgumentHelp("The audit log to append to (default: reveal-audit.log beside the key file).", valueName: "FILE"))
    var auditLog: String?

    @Option(name: .long, help: ArgumentHelp("The service catalogue folder (default: the project's Rules/).", valueName: "DIR"))
    var rules: String?

    @Option(name: .long, help: ArgumentHelp("auto, or one of: \(LogFormat.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "FORMAT"))
    var logFormat: String = "auto"

    func validate() throws {
        guard Pseudonyms.digestPart(of: pseudonym) != nil else {
            throw ValidationError("'\(ReportText.clean(pseudonym, limit: 60))' is not a pseudonym (expected u- and 12 hex digits, as reports show)")
        }
        guard let reason, reason.contains(where: { !$0.isWhitespace }) else {
            throw ValidationError("--reason is required: say why this identity is needed (it goes to the audit log)")
        }
        if reason.count > 2000 { throw ValidationError("--reason is limited to 2,000 characters") }
        if logs.isEmpty && store == nil { throw ValidationError("--logs or --store is required: the logs the report was made from, or the run's history store") }
        if logFormat != "auto" && LogFormat(rawValue: logFormat) == nil {
            throw ValidationError("unknown --log-format '\(logFormat)'")
        }
    }

    func run() throws {
        guard let keyPath = keyFile ?? KeyLocation.existing() else {
            warn("error: no key: pass --key-file FILE")
            throw ExitCode(2)
        }
        let key: PseudonymKey
        do {
            key = try PseudonymKey.load(from: keyPath)
        } catch {
            warn("error: \(error); nothing revealed")
            throw ExitCode(2)
        }
        for warning in key.warnings { warn("warning: \(warning)") }
        let auditPath = auditLog ?? ((keyPath as NSString).deletingLastPathComponent.isEmpty ? "" : (keyPath as NSString).deletingLastPathComponent + "/") + "reveal-audit.log"
        let audit: RevealAudit
        do {
            audit = try RevealAudit(path: auditPath)
        } catch {
            warn("error: \(error); nothing revealed")
            throw ExitCode(2)
        }
        defer { audit.finish() }

        var identities: [String] = []
        var problems: [InputProblem] = []
        if let store {
            // Opening creates a missing store: check first, so a typo is an error, not an empty store.
            guard FileManager.default.fileExists(atPath: store) else {
                warn("error: no history store at \(store); nothing revealed")
                throw ExitCode(2)
            }
            do {
                identities += try HistoryStore(path: store).allIdentities()
            } catch {
                warn("error: \(error); nothing revealed")
                throw ExitCode(2)
            }
        }
        if !logs.isEmpty {
            let catalog = try loadCatalogue(catalogueDirectory(rules), outcome: "nothing revealed")
            let result = Analyzer(catalog: catalog, options: AnalysisOptions(format: LogFormat(rawValue: logFormat))).run(paths: logs)
            identities += PrivacyTransform.identities(in: result).map(\.1)
            problems = result.inputProblems
        }
        let pseudonyms = Pseudonyms(key: key)
        let found = PseudonymResolver.resolve(pseudonym, among: identities, with: pseudonyms)

        let who = RevealAudit.currentUser()
        let entry = RevealAudit.Entry(
            timeMillis: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)), user: who.user, account: who.account,
            sudoUser: who.sudoUser, uid: who.uid, host: RevealAudit.hostName(), pseudonym: pseudonym, reason: reason ?? "",
            keyID: key.id, sources: (store.map { ["store:" + URL(fileURLWithPath: $0).standardizedFileURL.path] } ?? [])
                + logs.map { $0 == "-" ? "-" : URL(fileURLWithPath: $0).standardizedFileURL.path },
            outcome: found.isEmpty ? "not-found" : "found", matches: found.count)
        do {
            try audit.append(entry)
        } catch {
            warn("error: \(error); nothing revealed")
            throw ExitCode(2)
        }

        for problem in problems { warn("warning: \(problem)") }
        if found.isEmpty {
            warn("\(ReportText.clean(pseudonym, limit: 60)) is not the pseudonym of any identity in these sources under key \(key.id) (recorded in \(auditPath))")
            throw ExitCode(1)
        }
        if found.count > 1 { warn("note: \(found.count) identities share this pseudonym (a 48-bit collision)") }
        // Identities from logs are hostile: no terminal escapes.
        for identity in found { print(TextSummary.printable(identity, limit: 500)) }
        warn("recorded in \(auditPath)")
        if !problems.isEmpty { throw ExitCode(1) }
    }
}
