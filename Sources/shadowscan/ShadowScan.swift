import ArgumentParser
import Foundation
import PCRE2
import ShadowScanCore

@main
struct ShadowScan: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shadowscan",
        abstract: "Find shadow IT and data leakage in web-proxy logs.",
        discussion: """
            Exit codes: 0 success; 1 the run finished but some input could not be read; \
            2 usage or rule errors (nothing written).
            """,
        version: VersionInfo.text,
        subcommands: [Analyse.self, Key.self, Reveal.self, Rules.self, Explain.self, Policy.self, Formats.self, History.self]
    )

    /// ArgumentParser exits 64 on usage errors; ShadowScan's contract is 2.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

enum VersionInfo {
    static let version = "0.1.0"
    static var text: String {
        let jit = PCRE2.jitAvailable
            ? "JIT enabled (\(PCRE2.jitTarget ?? "unknown target"))"
            : "JIT not available: patterns run on the interpreter (slower)"
        return "shadowscan \(version)\nPCRE2 \(PCRE2.version), \(jit)"
    }
}

/// Prints to standard error.
func warn(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
