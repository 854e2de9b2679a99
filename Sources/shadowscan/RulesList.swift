import ArgumentParser
import Foundation
import ShadowScanCore

struct RulesList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the catalogue's services.",
        discussion: """
            Text: one service per line (id, category, risk, personal, domains, name). JSON: an array of
            services with id, name, category, risk, personal, domains, url (patterns) and source (file:line).

            Examples:
              shadowscan rules list
              shadowscan rules list --category vpn --category doh
              shadowscan rules list --format json | jq -r '.[].id'
            """
    )

    @OptionGroup var catalogue: CatalogueOptions

    @Option(name: .long, help: ArgumentHelp("Only services of this category (repeatable).", valueName: "C"))
    var category: [String] = []

    @Option(name: .long, help: "text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let catalog = try catalogue.load()
        let unknown = category.filter { !catalog.categories.contains($0) }
        if !unknown.isEmpty {
            warn("error: unknown category \(unknown.map { "'\($0)'" }.joined(separator: ", ")); the catalogue has: \(catalog.categories.joined(separator: ", "))")
            throw ExitCode(2)
        }
        let services = catalog.services.filter { category.isEmpty || category.contains($0.category) }
        switch format {
        case .json:
            print(RuleListing.json(services).serialized(), terminator: "")
        case .text:
            print(RuleListing.text(services), terminator: "")
        }
    }
}
