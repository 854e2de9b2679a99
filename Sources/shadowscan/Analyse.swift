import ArgumentParser
import Foundation
import ShadowScanCore

struct Analyse: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyse",
        abstract: "Analyse proxy and mail-gateway logs: which catalogue services staff used, how often they were denied, how much data moved, and what work mail left for personal mailboxes.",
        discussion: """
            PATH is a log file, a directory (read recursively; rotated logs oldest first: access.log.2.gz,
            access.log.1, access.log) or - for standard input. gzip, bzip2, xz and zstd files (and standard
            input) are decompressed on the fly, recognised by their first bytes. The format of each file is
            detected from its first (decompressed) lines unless --log-format is given.

            Examples:
              shadowscan analyse /var/log/squid/access.log
              shadowscan analyse /var/log/squid/ --json report.json
              shadowscan analyse access.log.1.gz
              ssh proxy cat access.log.1.gz | shadowscan analyse - --json - > report.json
            """,
        aliases: ["analyze"]
    )

    @Argument(help: "Log files, directories, or - for standard input.")
    var paths: [String]

    @Option(name: .long, help: ArgumentHelp("Write the JSON report to FILE (- for standard output; the text summary then goes to standard error).", valueName: "FILE"))
    var json: String?

    @Option(name: .long, help: ArgumentHelp("The service catalogue folder (default: the project's Rules/).", valueName: "DIR"))
    var rules: String?

    @Option(name: .long, help: ArgumentHelp("auto, or one of: \(LogFormat.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "FORMAT"))
    var logFormat: String = "auto"

    @Option(name: .long, help: "Concurrent workers (default: active processor count).")
    var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: ArgumentHelp("Bytes read per block (default 4 MiB).", visibility: .hidden))
    var blockSize: Int = 4 << 20

    @Option(name: .long, help: "Rows per table in the text summary.")
    var top: Int = 15

    @Flag(name: .long, help: "Do not print the text summary.")
    var quiet = false

    @Flag(name: .long, help: "Print how long each phase took, and the throughput, to standard error.")
    var timings = false

    @OptionGroup(title: "Reports and privacy")
    var reports: ReportOptions

    @OptionGroup(title: "Workarounds, decisions and history")
    var workaround: WorkaroundOptions

    @OptionGroup(title: "Mail gateways")
    var mail: MailCommandOptions

    @OptionGroup(title: "Log formats")
    var formatOptions: FormatCommandOptions

    func validate() throws {
        if workers < 1 || workers > 256 { throw ValidationError("--workers must be between 1 and 256") }
        if blockSize < 1 { throw ValidationError("--block-size must be positive") }
        if logFormat != "auto" && LogFormat(rawValue: logFormat) == nil {
            throw ValidationError("unknown --log-format '\(logFormat)'; expected auto or one of: \(LogFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if paths.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
        if [json, reports.html, reports.markdown].filter({ $0 == "-" }).count > 1 { throw ValidationError("only one of --json, --html, --markdown can write to standard output") }
    }

    func run() throws {
        let started = Date()
        let catalog = try loadCatalogue(catalogueDirectory(rules), outcome: "nothing analysed")

        let loaded = Date()
        var privacy = try reports.privacyOptions()
        var options = AnalysisOptions(workers: workers, blockSize: blockSize, format: LogFormat(rawValue: logFormat))
        options.fieldMap = try formatOptions.loadFieldMap()
        options.policy = try workaround.loadPolicy(catalog: catalog)
        options.maxWorkaroundEvents = workaround.maxWorkaroundEvents
        options.workaroundRunCapacity = workaround.workaroundRunEvents
        if let tempDir = workaround.tempDir { options.spillDirectory = tempDir }
        options.mail = mail.resolve(policy: options.policy)
        let store = try workaround.openStore()
        let analyzer = Analyzer(catalog: catalog, options: options)
        // Manager reports word recommendations again once small substitutes are hidden.
        let advisor = DecisionAdvisor(thresholds: analyzer.policy.thresholds, catalog: catalog)
        privacy.recommend = { advisor.recommend($0) }
        var analysed = analyzer.run(paths: paths)
        // The store gets plain identities (what `reveal` resolves) and gives decisions their trend.
        let stored = workaround.record(&analysed, in: store, policy: analyzer.policy, catalog: catalog)
        // Pseudonyms and k-suppression apply once, here, so every output below shows the same thing.
        let analysedAt = Date()
        let result = PrivacyTransform.apply(consume analysed, privacy)
        let transformedAt = Date()

        if let json {
            do {
                try ReportWriter.write(to: json) { try JSONReport.write(result, to: &$0) }
            } catch {
                warn("error: cannot write \(json): \(error.localizedDescription)")
                throw ExitCode(1)
            }
        }
        if timings {
            let mb = Double(result.totals.inputBytes) / 1e6
            warn(String(format: "timings: rules %.3f s, stream %.3f s (%.0f MB/s, %.0f lines/s, %d workers), merge %.3f s, store %.3f s, privacy %.3f s, json %.3f s; chunks per worker: ",
                        loaded.timeIntervalSince(started), result.streamSeconds, mb / max(result.streamSeconds, 1e-9),
                        Double(result.totals.lines) / max(result.streamSeconds, 1e-9), result.workers, result.mergeSeconds,
                        analysedAt.timeIntervalSince(loaded) - result.streamSeconds - result.mergeSeconds,
                        transformedAt.timeIntervalSince(analysedAt), Date().timeIntervalSince(transformedAt))
                 + result.chunksPerWorker.map(String.init).joined(separator: "/")
                 + (result.spilledWorkaroundRuns > 0
                    ? "; workaround events spilled: \(result.spilledWorkaroundEvents) in \(result.spilledWorkaroundRuns) runs" : ""))
        }
        if !quiet {
            let summary = TextSummary.render(result, top: top)
            if json == "-" || reports.usesStandardOutput { warn(summary) } else { print(summary, terminator: "") }
        }
        if !reports.writeReports(result).isEmpty { throw ExitCode(1) }
        if !stored { throw ExitCode(1) }
        let problems = result.inputProblems
        for problem in problems { warn("warning: \(problem)") }
        if !problems.isEmpty { throw ExitCode(1) }
    }
}
