import ArgumentParser
import Foundation
import ShadowScanCore

struct RulesCoverage: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "Hits per service and per rule over sample logs; rules never hit; unknown domains worth a rule.",
        discussion: """
            Reads the samples as the analyser does (files, directories, compressed files, - for standard
            input; formats detected per file) and reports requests and distinct identities per service,
            requests decided by each domain and matched by each URL pattern, the services, domains and
            patterns never hit, and the top unknown registrable domains by distinct identities and by bytes.

            With --compare OLD_DIR or --since-rules REV (the Rules/ folder as it was at a git revision),
            the same samples are matched against both catalogues and every request whose service differs
            is reported: gained (no service before), lost (no service now), changed (another service),
            with example positions (file:line), and the requests per service before and after.

            Exit status: 0 done, 1 some input could not be read, 2 usage or rule errors.

            Examples:
              shadowscan rules coverage SampleLogs/
              shadowscan rules coverage /var/log/squid/access.log.1.gz --top 50 --format json
              shadowscan rules coverage SampleLogs/ --since-rules HEAD~1
              shadowscan rules coverage SampleLogs/ --rules my-rules/ --compare Rules/
            """
    )

    @Argument(help: ArgumentHelp("Sample logs: files, directories, or - for standard input.", valueName: "SAMPLES"))
    var samples: [String]

    @OptionGroup var catalogue: CatalogueOptions

    @Option(name: .long, help: ArgumentHelp("Compare with the catalogue in this folder.", valueName: "OLD_DIR"))
    var compare: String?

    @Option(name: .long, help: ArgumentHelp("Compare with the rules folder as it was at this git revision.", valueName: "REV"))
    var sinceRules: String?

    @Option(name: .long, help: ArgumentHelp("auto, or the format of every sample.", valueName: "FORMAT"))
    var logFormat: String = "auto"

    @Option(name: .long, help: "Rows per unknown-domain table.")
    var top: Int = 20

    @Option(name: .long, help: "text or json.")
    var format: OutputFormat = .text

    func validate() throws {
        if compare != nil && sinceRules != nil { throw ValidationError("give --compare or --since-rules, not both") }
        if top < 1 { throw ValidationError("--top must be positive") }
        if logFormat != "auto" && LogFormat(rawValue: logFormat) == nil {
            throw ValidationError("unknown --log-format '\(logFormat)'; expected auto or one of: \(LogFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if samples.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
    }

    func run() throws {
        let directory = try catalogue.directory()
        let catalog = try loadCatalogue(directory)
        var baseline: ServiceCatalog?
        var baselineName: String?
        if let compare {
            baseline = try loadCatalogue(compare)
            baselineName = compare
        } else if let sinceRules {
            let snapshot: String
            do {
                snapshot = try GitRuleSnapshot.export(revision: sinceRules, rulesDirectory: directory)
            } catch {
                warn("error: --since-rules \(sinceRules): \(error.message)")
                throw ExitCode(2)
            }
            defer { try? FileManager.default.removeItem(atPath: snapshot) }
            baseline = try loadCatalogue(snapshot)
            baselineName = "\(directory) at \(sinceRules)"
        }
        let coverage = RuleCoverage(catalog: catalog, baseline: baseline, format: LogFormat(rawValue: logFormat))
        let report = coverage.run(paths: samples)
        switch format {
        case .text: print(CoverageRendering.text(report, rules: directory, baseline: baselineName, top: top), terminator: "")
        case .json: print(CoverageRendering.json(report, rules: directory, baseline: baselineName, top: top).serialized(), terminator: "")
        }
        let problems = report.inputs.filter { $0.problem != nil }
        for input in problems { warn("warning: \(ToolText.terminal(input.path)): \(ToolText.terminal(input.problem ?? ""))") }
        if !problems.isEmpty { throw ExitCode(1) }
    }
}
