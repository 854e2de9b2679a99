import ArgumentParser
import Foundation
import ShadowScanCore

extension RuleExporter.Format: ExpressibleByArgument {}
extension RuleExporter.Grouping: ExpressibleByArgument {}

struct RulesExport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export services as Squid ACLs, squidGuard domain lists, or a plain domain list.",
        discussion: """
            FORMAT is one of:
              squid-acl   acl lines (acl shadowscan_<category> dstdomain .example.com), one ACL per category
                          (or per service with --group service), for http_access deny <acl>
              squidguard  squidGuard domainlist text; with --out DIR, one folder per category
                          (DIR/shadowscan-<category>/domains) and DIR/shadowscan-dest.conf with the dest
                          blocks. `rules import ut1 DIR` reads such a folder back into the same services.
              domains     the domains, sorted, one per line (subdomains of listed domains left out)

            Without --category or --service, the whole catalogue is exported. Services narrowed by URL
            patterns are left out (their domains alone would block more than the rule matches), each
            named on standard error, unless --include-patterned.

            Examples:
              shadowscan rules export squid-acl --category file-transfer --category cloud-storage > shadow.acl
              shadowscan rules export squidguard --category webmail --out /var/lib/squidguard/db
              shadowscan rules export domains --service dropbox --service wetransfer
            """
    )

    @Argument(help: ArgumentHelp("squid-acl, squidguard or domains.", valueName: "FORMAT"))
    var format: RuleExporter.Format

    @OptionGroup var catalogue: CatalogueOptions

    @Option(name: .long, help: ArgumentHelp("Export this category (repeatable).", valueName: "C"))
    var category: [String] = []

    @Option(name: .long, help: ArgumentHelp("Export this service (repeatable).", valueName: "S"))
    var service: [String] = []

    @Option(name: .long, help: "One ACL or squidGuard destination per category or per service.")
    var group: RuleExporter.Grouping = .category

    @Flag(name: .long, help: "Also export the domains of services narrowed by URL patterns.")
    var includePatterned = false

    @Option(name: .long, help: ArgumentHelp("Write to FILE (squidguard: a folder), not standard output.", valueName: "PATH"))
    var out: String?

    func run() throws {
        let directory = try catalogue.directory()
        let catalog = try loadCatalogue(directory)
        let services: [ServiceDefinition]
        do {
            services = try RuleExporter.select(catalog, RuleExporter.Selection(categories: category, services: service))
        } catch {
            warn("error: \(error.message)")
            throw ExitCode(2)
        }
        let export = RuleExporter.export(services, as: format, grouping: group, includePatterned: includePatterned,
                                         source: (directory as NSString).lastPathComponent + "/")
        for (id, reason) in export.skipped { warn("warning: \(id) not exported: \(reason)") }
        if format == .squidGuard, let out {
            let root = URL(fileURLWithPath: out)
            do {
                for file in export.files {
                    let url = root.appendingPathComponent(file.path)
                    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try ReportWriter.write(file.text, to: url.path)
                }
            } catch {
                warn("error: cannot write \(out): \(error.localizedDescription)")
                throw ExitCode(1)
            }
            warn("wrote \(export.files.count) file(s) under \(out)")
        } else {
            try emit(export.text, to: out)
        }
    }
}
