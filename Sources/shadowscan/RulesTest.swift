import ArgumentParser
import Foundation
import ShadowScanCore

struct RulesTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run every rule's examples through the analyser's matcher and parsers.",
        discussion: """
            Runs each service's examples: match and no_match URLs, upload lines ("METHOD URL"), and whole
            log lines (examples.lines) in any supported format, checking the service, and where given the
            format, upload and action. A failure is printed as FILE:LINE:COLUMN: error: SERVICE: why.

            Exit status: 0 all passed, 1 some failed, 2 the catalogue does not load (problems printed).

            Examples:
              shadowscan rules test
              shadowscan rules test my-rules/ --service dropbox
              shadowscan rules test --format json
            """
    )

    @Argument(help: ArgumentHelp("The rule folder (default: the project's Rules/).", valueName: "DIR"))
    var directory: String?

    @Option(name: .long, help: ArgumentHelp("Only this service's examples (repeatable).", valueName: "ID"))
    var service: [String] = []

    @Option(name: .long, help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
        guard let directory = directory ?? RulesLocator.defaultDirectory() else {
            warn("error: no service catalogue found; pass DIR or set SHADOWSCAN_RULES")
            throw ExitCode(2)
        }
        let catalog = try loadCatalogue(directory)
        let unknown = service.filter { catalog.service(id: $0) == nil }
        if !unknown.isEmpty {
            warn("error: no service \(unknown.map { "'\($0)'" }.joined(separator: ", ")) in \(directory)")
            throw ExitCode(2)
        }
        let report = RuleExampleRunner.run(catalog, services: service.isEmpty ? nil : Set(service))
        switch format {
        case .text:
            var out = report.failures.map { ToolText.terminal($0.description, limit: 4096) + "\n" }.joined()
            let kinds = RuleExampleRunner.Kind.allCases.map { "\(report.checked[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
            out += "\(report.total) example(s) of \(report.services) service(s) (\(kinds)): "
                + (report.failures.isEmpty ? "all passed\n" : "\(report.failures.count) failed\n")
            print(out, terminator: "")
        case .json:
            print(RuleTestJSON.document(report).serialized(), terminator: "")
        }
        if !report.failures.isEmpty { throw ExitCode(1) }
    }
}
