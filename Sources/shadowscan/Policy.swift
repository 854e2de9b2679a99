import ArgumentParser
import Foundation
import ShadowScanCore

/// `shadowscan policy ...`: policy files from existing configurations.
struct Policy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Create policy files (for analyse --policy) from existing proxy configurations.",
        subcommands: [PolicyImport.self]
    )
}

struct PolicyImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a proxy filter's configuration as a policy file.",
        subcommands: [PolicyImportSquidGuard.self]
    )
}

struct PolicyImportSquidGuard: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "squidguard",
        abstract: "Read squidGuard.conf: which destinations an acl blocks, as a policy (blocked/sanctioned/tolerated).",
        discussion: """
            Destinations (dest blocks) are mapped onto catalogue categories by their name or their
            domainlist folder (UT1 names like webmail, filehosting, social_networks, vpn, remote-control;
            shadowscan-<category> folders from `rules export squidguard`; catalogue categories or service
            ids). The acl's pass list is read as squidGuard reads it: '!dest' before 'all' or 'none' is
            blocked; a plain 'dest' before it is explicitly allowed (sanctioned). The generated file lists
            every acl and destination in comments; destinations outside the catalogue are named there.

            Examples:
              shadowscan policy import squidguard /etc/squidguard/squidGuard.conf > policy.yaml
              shadowscan policy import squidguard squidGuard.conf --acl staff --out staff-policy.yaml
              shadowscan analyse /var/log/squid/ --policy policy.yaml --html report.html
            """
    )

    @Argument(help: ArgumentHelp("The squidGuard configuration file.", valueName: "squidGuard.conf"))
    var file: String

    @Option(name: .long, help: ArgumentHelp("The acl entry (source group) to import (default: default).", valueName: "NAME"))
    var acl: String?

    @OptionGroup var catalogue: CatalogueOptions

    @Option(name: .long, help: ArgumentHelp("Write the policy to FILE (default: standard output).", valueName: "FILE"))
    var out: String?

    func run() throws {
        let catalog = try catalogue.load()
        guard let data = FileManager.default.contents(atPath: file) else {
            warn("error: cannot read \(file)")
            throw ExitCode(2)
        }
        let text: String
        do {
            let config = try SquidGuardPolicyImporter.parse(String(decoding: data, as: UTF8.self), file: file)
            text = try SquidGuardPolicyImporter.policy(config, acl: acl, catalog: catalog, file: file)
        } catch {
            warn("error: \(error.message)")
            throw ExitCode(2)
        }
        try emit(text, to: out)
    }
}
