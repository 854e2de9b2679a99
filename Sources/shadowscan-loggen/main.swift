import ArgumentParser
import Foundation
import LogGenerator

/// `shadowscan-loggen`: writes a seeded, realistic Squid access log and (optionally) its exact truth.
@main
struct LogGen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shadowscan-loggen",
        abstract: "Generate a realistic Squid access log with the exact truth an analyser must report.",
        discussion: """
        Same seed and options give byte-identical output. Exactly one of --size and --lines is required.

        Example: shadowscan-loggen --seed 42 --size 1GiB --out access.log --truth truth.json
        """
    )

    @Option(help: "Catalogue directory (every *.yaml in it).")
    var rules: String = "Rules"

    @Option(help: "PRNG seed.")
    var seed: UInt64 = 42

    @Option(help: "Approximate output size: bytes, or with a unit (KB, MB, GB = 10^3.., KiB, MiB, GiB = 2^10..). The file ends on the first line end at or past it.")
    var size: String?

    @Option(help: "Exact number of lines (malformed ones included).")
    var lines: Int?

    @Option(help: "squid-native, squid-common or squid-combined; a web gateway: w3c (Blue Coat ELFF), zscaler-nss-json, skyhigh-web-gateway (the same traffic as squid-native for a seed, plus request sizes); or a mail gateway: postfix, exim, exchange (runMail below).")
    var format: String = SquidLogFormat.native.rawValue

    @Option(name: .customLong("syslog-time"), help: "Postfix timestamps: rfc3164 (Nov 14 09:00:01, no year: analyse with --mail-year 2026) or rfc3339.")
    var syslogTime: String = SyslogTimestamp.rfc3164.rawValue

    @Option(help: "Log file to write ('-' for standard output).")
    var out: String

    @Option(help: "Where to write the truth JSON.")
    var truth: String?

    @Option(help: "Number of named users.")
    var users: Int = 800

    @Option(name: .customLong("malformed-rate"), help: "Share of malformed lines.")
    var malformedRate: Double = 0.01

    @Option(name: .customLong("service-rate"), help: "Share of records to catalogue services.")
    var serviceRate: Double = 0.10

    @Option(help: "Number of lines longer than 1 MiB to scatter through the log.")
    var oversized: Int = 0

    @Option(name: .customLong("workaround-episodes"), help: "Script about this many workaround episodes (denied, then a substitute, a side door or evasion) and add the log's workarounds to the truth.")
    var workaroundEpisodes: Int = 0

    @Option(name: .customLong("workaround-window"), help: "Seconds after a denial that count as a workaround, for the truth (the analyser's default: 1800).")
    var workaroundWindow: Int = 1800

    func validate() throws {
        if (size == nil) == (lines == nil) { throw ValidationError("Give exactly one of --size and --lines.") }
        if let size, parseSize(size) == nil { throw ValidationError("Cannot read size '\(size)' (e.g. 1GiB, 500MB, 1048576).") }
        if workaroundEpisodes < 0 { throw ValidationError("--workaround-episodes must not be negative") }
        if workaroundWindow < 1 { throw ValidationError("--workaround-window must be at least 1 second") }
        if SquidLogFormat(rawValue: format) == nil && MailLogFormat(rawValue: format) == nil {
            throw ValidationError("Unknown format '\(format)': use \((SquidLogFormat.allCases.map(\.rawValue) + MailLogFormat.allCases.map(\.rawValue)).joined(separator: ", ")).")
        }
        if SyslogTimestamp(rawValue: syslogTime) == nil { throw ValidationError("--syslog-time must be rfc3164 or rfc3339") }
    }

    func run() throws {
        let catalogue = try GeneratorCatalogue.load(directory: rules)
        let limit: GenerationLimit = lines.map { .lines($0) } ?? .bytes(parseSize(size!)!)
        if let mailFormat = MailLogFormat(rawValue: format) { return try runMail(catalogue, mailFormat, limit) }
        var options = GeneratorOptions(seed: seed, format: SquidLogFormat(rawValue: format)!, limit: limit,
                                       users: users, malformedRate: malformedRate, serviceRate: serviceRate,
                                       oversized: oversized)
        options.workaroundEpisodes = workaroundEpisodes
        options.workaroundWindowMillis = Int64(workaroundWindow) * 1000
        let generator = try SquidLogGenerator(catalogue: catalogue, options: options)
        let skipped = generator.skippedServices
        if !skipped.isEmpty {
            printError("note: no safe requests for \(skipped.count) service(s), not generated: \(skipped.joined(separator: ", "))")
        }
        let started = Date()
        let result = out == "-" ? try generator.write(to: .standardOutput) : try generator.write(toFile: out)
        if let truth {
            try result.jsonData().write(to: URL(fileURLWithPath: truth))
        }
        let seconds = Date().timeIntervalSince(started)
        printError(String(format: "%@: %d lines (%d records, %d malformed, %d matched) in %.2f s",
                          out, result.totals.lines, result.totals.records, result.totals.malformed,
                          result.totals.matched, seconds))
    }
}

private func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// `1GiB`, `512MiB`, `10MB`, `1048576`.
func parseSize(_ text: String) -> Int? {
    let units: [(String, Int)] = [
        ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("TiB", 1 << 40),
        ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000), ("TB", 1_000_000_000_000),
        ("B", 1), ("", 1),
    ]
    let trimmed = text.trimmingCharacters(in: .whitespaces)
    for (suffix, multiplier) in units where trimmed.lowercased().hasSuffix(suffix.lowercased()) {
        let number = trimmed.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
        if let value = Double(number), value >= 0, value.isFinite { return Int(value * Double(multiplier)) }
        if !suffix.isEmpty { continue }
    }
    return nil
}


extension LogGen {
    /// `--format postfix|exim|exchange`: a mail-gateway log and its truth (the `mail` section). With
    /// `--lines` the log has at least that many lines: messages under way are finished after it.
    func runMail(_ catalogue: GeneratorCatalogue, _ format: MailLogFormat, _ limit: GenerationLimit) throws {
        let options = MailGeneratorOptions(seed: seed, format: format, limit: limit, users: users, malformedRate: malformedRate,
                                           syslogTimestamp: SyslogTimestamp(rawValue: syslogTime)!)
        let generator = try MailLogGenerator(catalogue: catalogue, options: options)
        let started = Date()
        let result = out == "-" ? try generator.write(to: .standardOutput) : try generator.write(toFile: out)
        if let truth { try result.jsonData().write(to: URL(fileURLWithPath: truth)) }
        FileHandle.standardError.write(Data(String(
            format: "%@: %d lines (%d records, %d skipped, %d malformed), %d messages, %d to personal mailboxes in %.2f s; analyse with --org-domain %@%@\n",
            out, result.totals.lines, result.totals.records, result.totals.skipped, result.totals.malformed, result.mail.messages,
            result.mail.toPersonal, Date().timeIntervalSince(started), MailGeneratorOptions.organisationDomain,
            format == .postfix && options.syslogTimestamp == .rfc3164 ? " --mail-year \(MailGeneratorOptions.year)" : "").utf8))
    }
}
