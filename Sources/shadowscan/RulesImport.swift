import ArgumentParser
import Foundation
import ShadowScanCore

struct RulesImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn other rule lists into catalogue YAML.",
        subcommands: [RulesImportUT1.self, RulesImportSigma.self]
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

struct RulesImportSigma: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sigma",
        abstract: "Import Sigma proxy rules as services with a when: condition.",
        discussion: """
            FILES are Sigma rule files or folders of them (*.yml, *.yaml, read recursively). Rules with
            logsource category: proxy are translated: fields cs-host, c-uri, c-useragent, cs-method,
            sc-status; no modifier (with * and ? wildcards), contains, startswith, endswith, re, all;
            conditions with and, or, not, parentheses, 1 of / all of (selection* or them).

            ShadowScan finds a service by its host first, so a rule is imported when every way it can
            match needs a cs-host equal to (or ending with) a domain: those domains become the service's
            domains, and the whole condition its when: (checked on each request to those domains; when
            it fails the request counts for the wider catalogue claim, if any). Everything else is named,
            per rule, on standard error and in the generated file's header: other fields and modifiers,
            keyword searches, aggregations, other log sources, rules that do not bound the host.
            With --partial, unsupported tests are dropped from their rules (the rule then matches more)
            instead of skipping the rule.

            Exit status: 0 done (some rules may be skipped, as listed), 1 a file could not be read,
            2 usage error.

            Examples:
              shadowscan rules import sigma sigma/rules/proxy/ --out Rules/sigma.yaml
              shadowscan rules import sigma proxy_telegram_api.yml --partial
            """
    )

    @Argument(help: ArgumentHelp("Sigma rule files or folders.", valueName: "FILES"))
    var files: [String]

    @Option(name: .long, help: ArgumentHelp("Catalogue category of the imported rules.", valueName: "C"))
    var category = "sigma"

    @Flag(name: .long, help: "Drop unsupported tests instead of skipping their rules.")
    var partial = false

    @OptionGroup var catalogue: CatalogueOptions

    @Flag(name: .long, help: "Do not check the rules' domains against the catalogue.")
    var noDedupe = false

    @Option(name: .long, help: ArgumentHelp("Write the YAML to FILE (default: standard output).", valueName: "FILE"))
    var out: String?

    func validate() throws {
        guard category.first != "-", category.last != "-", !category.contains("--"),
              category.allSatisfy({ ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }) else {
            throw ValidationError("--category must be kebab-case, not '\(category)'")
        }
    }

    func run() throws {
        var sources: [(name: String, text: String)] = []
        var unreadable = false
        let fm = FileManager.default
        for path in files {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                warn("error: \(path): no such file or directory")
                unreadable = true
                continue
            }
            var paths = [path]
            if isDirectory.boolValue {
                paths = (fm.enumerator(atPath: path)?.compactMap { $0 as? String } ?? [])
                    .filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted()
                    .map { (path as NSString).appendingPathComponent($0) }
            }
            for file in paths {
                guard let data = fm.contents(atPath: file) else { warn("error: \(file): cannot read"); unreadable = true; continue }
                sources.append((file, String(decoding: data, as: UTF8.self)))
            }
        }
        var options = SigmaImporter.Options()
        options.category = category
        options.partial = partial
        if !noDedupe { options.existing = try catalogue.load() }
        let result = SigmaImporter.convert(sources, options: options)
        for outcome in result.outcomes {
            let status = outcome.skipped.map { "not imported: \($0)" } ?? "imported as \(outcome.serviceID ?? "?")"
            warn(ToolText.terminal("\(outcome.file): \(outcome.title): \(status)", limit: 600))
            for note in outcome.notes { warn(ToolText.terminal("    \(note)", limit: 600)) }
        }
        warn("\(result.imported) of \(result.outcomes.count) rule(s) imported")
        try emit(result.yaml, to: out)
        if unreadable { throw ExitCode(1) }
    }
}
