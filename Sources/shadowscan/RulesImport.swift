import ArgumentParser
import Foundation
import ShadowScanCore

struct RulesImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn other rule lists into catalogue YAML.",
        subcommands: [RulesImportUT1.self]
    )
}

struct RulesImportUT1: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ut1",
        abstract: "Import UT1 category lists (domains/urls files) as catalogue services.",
        discussion: """
            DIR holds one folder per UT1 category, each with a 'domains' file and optionally a 'urls'
            file (the layout of the UT1 archive's blacklists/ folder, and of `rules export squidguard --out`).
            Mapped by default: \(UT1Importer.defaultMappings.keys.sorted().map { "\($0) -> \(UT1Importer.defaultMappings[$0]!.category)" }.joined(separator: ", ")).
            Others are skipped (listed) unless mapped with --map UT1=CATEGORY.

            Each category becomes a service ut1-<category> (and ut1-<category>-urls for its urls file).
            Domains the catalogue (--rules, default the project's Rules/) already claims, or that fall under
            one of its domains, are left out, so the result can sit beside Rules/ in one catalogue; lists
            written by `rules export squidguard` come back as the services they were exported from.
            The YAML keeps UT1's attribution and licence note (CC BY-SA 4.0); its header says what was
            imported and what was left out.

            Examples:
              shadowscan rules import ut1 blacklists/ --out Rules/ut1.yaml
              shadowscan rules import ut1 blacklists/ --category webmail --category vpn --map shortener=web-proxy
              shadowscan rules import ut1 exported/ --no-dedupe --out restored.yaml
            """
    )

    @Argument(help: ArgumentHelp("The folder of category folders.", valueName: "DIR"))
    var directory: String

    @Option(name: .long, help: ArgumentHelp("Import only this UT1 category (repeatable).", valueName: "UT1"))
    var category: [String] = []

    @Option(name: .long, help: ArgumentHelp("Map a UT1 category onto a catalogue category (repeatable).", valueName: "UT1=CATEGORY"))
    var map: [String] = []

    @OptionGroup var catalogue: CatalogueOptions

    @Flag(name: .long, help: "Do not leave out domains the catalogue already has.")
    var noDedupe = false

    @Option(name: .long, help: "Most URL entries per category turned into a pattern.")
    var maxURLs: Int = 5_000

    @Option(name: .long, help: ArgumentHelp("Write the YAML to FILE (default: standard output).", valueName: "FILE"))
    var out: String?

    func validate() throws {
        for entry in map where entry.split(separator: "=").count != 2 { throw ValidationError("--map takes UT1=CATEGORY, not '\(entry)'") }
        if maxURLs < 0 { throw ValidationError("--max-urls must not be negative") }
    }

    func run() throws {
        var options = UT1Importer.Options()
        options.categories = category
        options.overrides = Dictionary(map.map { entry in
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0], parts[1])
        }, uniquingKeysWith: { _, b in b })
        options.maxURLs = maxURLs
        options.sourceName = (directory as NSString).lastPathComponent
        if !noDedupe { options.existing = try catalogue.load() }
        let result: UT1Importer.Result
        do {
            result = try UT1Importer.importDirectory(directory, options: options)
        } catch {
            warn("error: \(error.message)")
            throw ExitCode(2)
        }
        for note in result.notes { warn(note) }
        warn("\(result.services) service(s), \(result.domains) domain(s)")
        try emit(result.yaml, to: out)
    }
}
