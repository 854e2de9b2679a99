import ArgumentParser
import Foundation
import ShadowScanCore

/// `shadowscan formats`: the log formats ShadowScan reads, and which one it would use for a file.
struct Formats: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formats",
        abstract: "List the log formats ShadowScan reads, or show which format a file is read as and why.",
        discussion: """
            Examples:
              shadowscan formats                      # name, request sizes, description
              shadowscan formats --fields             # also the fields each format reads
              shadowscan formats detect /var/log/proxy/ access.log.1.gz
              shadowscan formats detect --scores export.json --field-map url=url.full,user=user.name
            """,
        subcommands: [FormatsList.self, FormatsDetect.self],
        defaultSubcommand: FormatsList.self
    )
}

struct FormatsList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the formats (the default).")

    @Flag(name: .long, help: "Also print the fields each format reads.")
    var fields = false

    @Flag(name: .long, help: "Print the list as JSON.")
    var json = false

    func run() throws {
        if json {
            let list: [[String: Any]] = LogFormat.allCases.map { format in
                ["name": format.rawValue, "description": format.description, "fields": format.fieldsRead,
                 "request_size": format.requestSize.rawValue, "detected": FormatDetector.preference.contains(format)]
            }
            let data = try JSONSerialization.data(withJSONObject: list, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        let width = LogFormat.allCases.map(\.rawValue.count).max() ?? 10
        print("format".padding(toLength: width, withPad: " ", startingAt: 0) + "  request size  description")
        for format in LogFormat.allCases {
            print(format.rawValue.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                  + format.requestSize.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0) + "  " + format.description)
            if fields { print(String(repeating: " ", count: width + 16) + "reads: " + format.fieldsRead) }
        }
        print("""

            --log-format auto (the default) tries every format on the first \(FormatDetector.sampleLines) lines of each file and \
            takes the one that reads most of them (at least a quarter); on a tie the more specific one, in this order:
            \(FormatDetector.preference.map(\.rawValue).joined(separator: ", ")).
            Request size "yes": bytes_out is counted; "when logged": only if the file has the field; "no": bytes_out stays null.
            """)
    }
}

struct FormatsDetect: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detect",
        abstract: "Print the format each file would be read as, and why.",
        discussion: "Exit status: 0 when every file is in a known format, 1 when some file is unreadable or in no known format."
    )

    @Argument(help: "Log files or directories (read recursively, compressed files decompressed).")
    var paths: [String]

    @Flag(name: .long, help: "Also print how many of the sampled lines every other format reads.")
    var scores = false

    @Flag(name: .long, help: "Print the result as JSON.")
    var json = false

    @OptionGroup(title: "Generic JSON")
    var formatOptions: FormatCommandOptions

    func run() throws {
        let fieldMap = try formatOptions.loadFieldMap()
        let (sources, problems) = InputDiscovery.expand(paths)
        var rows: [[String: Any]] = []
        var failed = !problems.isEmpty
        for source in sources {
            let outcome = FormatDetector.detect(file: source, fieldMap: fieldMap)
            var row: [String: Any] = ["path": source.path, "format": NSNull(), "detection": NSNull(), "problem": NSNull()]
            switch outcome.result {
            case .detected(let detection):
                row["format"] = detection.format.rawValue
                row["detection"] = detection.reason
                if !json { print("\(printable(source.path)): \(detection.format.rawValue) (\(detection.reason))") }
            case .unknown(let problem), .unreadable(let problem):
                failed = true
                row["problem"] = problem
                if !json { print("\(printable(source.path)): \(problem)") }
            }
            if let compression = outcome.compression {
                row["compression"] = compression
                if !json { print("    decompressed from \(compression)") }
            }
            if scores {
                row["scores"] = Dictionary(uniqueKeysWithValues: outcome.scores.map { ($0.format.rawValue, $0.parsed) })
                if !json {
                    let list = outcome.scores.filter { $0.parsed > 0 }.map { "\($0.format.rawValue) \($0.parsed)/\($0.sampled)" }
                    print("    scores: " + (list.isEmpty ? "no format reads any sampled line" : list.joined(separator: ", ")))
                }
            }
            rows.append(row)
        }
        for problem in problems {
            rows.append(["path": problem.path, "format": NSNull(), "detection": NSNull(), "problem": problem.message])
            if !json { print("\(printable(problem.path)): \(problem.message)") }
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
        if failed { throw ExitCode(1) }
    }

    /// Paths come from the user's file system: shown with control characters replaced.
    private func printable(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
    }
}
