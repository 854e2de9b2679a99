import ArgumentParser
import Foundation
import ShadowScanCore

struct RulesLint: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Check rule files: every error the loader reports, and warnings.",
        discussion: """
            PATH is a rule folder (its *.yaml files) or rule files; all of them are checked as one catalogue
            (a domain claimed in two files is an error). Default: the project's Rules/.

            Each problem is printed as FILE:LINE:COLUMN: SEVERITY: MESSAGE. Errors: what makes the catalogue
            fail to load (unknown keys, missing or mistyped values, duplicate ids, a domain claimed twice,
            patterns that do not compile). Warnings: a domain shadowing another service's wider domain, a
            domain redundant within its service, a URL pattern that hits PCRE2's match limit on an adversarial
            URL (it could run away on hostile input) or matches every URL, services without no_match
            examples, upload indicators without upload examples.

            Exit status: 0 no errors (warnings allowed), 1 errors found, 2 usage error.

            Examples:
              shadowscan rules lint
              shadowscan rules lint Rules/cloud-storage.yaml Rules/webmail.yaml
              shadowscan rules lint my-rules/ --format json
            """
    )

    @Argument(help: ArgumentHelp("Rule folders or files (default: the project's Rules/).", valueName: "PATH"))
    var paths: [String] = []

    @Option(name: .long, help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
        var targets = paths
        if targets.isEmpty {
            guard let directory = RulesLocator.defaultDirectory() else {
                warn("error: no service catalogue found; pass a PATH or set SHADOWSCAN_RULES")
                throw ExitCode(2)
            }
            targets = [directory]
        }
        var sources: [(name: String, text: String)] = []
        var problems: [RuleProblem] = []
        for path in targets {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                problems.append(RuleProblem(location: SourceLocation(file: path, line: 0, column: 0), message: "no such file or directory"))
                continue
            }
            let read = isDirectory.boolValue ? RuleCatalogLoader.sources(directory: path) : RuleCatalogLoader.sources(files: [path])
            sources += read.sources
            problems += read.problems
        }
        let report = RuleLinter.lint(sources: sources, earlierProblems: problems)
        switch format {
        case .text:
            var out = report.findings.map { ToolText.terminal($0.description, limit: 4096) + "\n" }.joined()
            out += "\(report.files) file(s), \(report.services) service(s): \(report.errors) error(s), \(report.warnings) warning(s)\n"
            print(out, terminator: "")
        case .json:
            print(RuleLintJSON.document(report).serialized(), terminator: "")
        }
        if report.errors > 0 { throw ExitCode(1) }
    }
}
