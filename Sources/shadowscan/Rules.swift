import ArgumentParser
import Foundation
import ShadowScanCore

/// `shadowscan rules ...`: tools for the people who write and tune the catalogue.
struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Inspect, check, test and measure the service catalogue; import and export rule lists.",
        discussion: """
            Examples:
              shadowscan rules list --category webmail
              shadowscan rules lint Rules/
              shadowscan rules test
              shadowscan rules coverage SampleLogs/ --since-rules HEAD~1
              shadowscan rules export squid-acl --category file-transfer
              shadowscan rules import ut1 blacklists/ --out Rules/ut1.yaml
            """,
        subcommands: [RulesList.self, RulesLint.self, RulesTest.self, RulesCoverage.self, RulesExport.self, RulesImport.self]
    )
}

/// `--rules DIR`, shared by the rule tools.
struct CatalogueOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The service catalogue folder (default: the project's Rules/).", valueName: "DIR"))
    var rules: String?

    /// The folder to load, or exit 2 when there is none.
    func directory() throws -> String {
        try catalogueDirectory(rules)
    }

    /// The loaded catalogue; every problem printed and exit 2 when it does not load.
    func load() throws -> ServiceCatalog {
        try loadCatalogue(directory())
    }
}

/// text | json, for the tools that print reports.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// Writes `text` to FILE (atomically) or standard output ("-" or nil).
func emit(_ text: String, to path: String?) throws {
    guard let path, path != "-" else {
        FileHandle.standardOutput.write(Data(text.utf8))
        return
    }
    do {
        try ReportWriter.write(text, to: path)
    } catch {
        warn("error: cannot write \(path): \(error.localizedDescription)")
        throw ExitCode(1)
    }
}
