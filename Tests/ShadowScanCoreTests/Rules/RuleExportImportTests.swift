import XCTest
@testable import ShadowScanCore

final class RuleExportImportTests: XCTestCase {
    static let fixtures = TestSupport.packageRoot.appendingPathComponent("Tests/Fixtures/rules-tools")
    lazy var small = try! RuleCatalogLoader.load(directory: Self.fixtures.appendingPathComponent("catalogue").path)

    // MARK: Export

    func testSquidACLOneACLPerCategoryWithoutRedundantSubdomains() throws {
        let catalog = try TestSupport.catalog(TestSupport.smallCatalogue + """

              - id: github
                name: GitHub
                category: paste
                risk: low
                personal: false
                domains: [github.com]
                examples: {match: [github.com]}
            """)
        let export = RuleExporter.export(try RuleExporter.select(catalog, .init(categories: ["paste"])), as: .squidACL, source: "Rules/")
        XCTAssertTrue(export.text.contains("# category paste: github-gist, github\nacl shadowscan_paste dstdomain .github.com\n"), export.text)
        XCTAssertFalse(export.text.contains(".gist.github.com"), "Squid warns about a subdomain of another entry of the same ACL")
        let all = RuleExporter.export(catalog.services, as: .squidACL)
        XCTAssertEqual(all.skipped.map(\.id), ["drive-share"], "a service narrowed by URL patterns is not a domain list")
        XCTAssertTrue(all.text.contains("#   drive-share: narrowed by URL patterns"), all.text)
        let forced = RuleExporter.export(catalog.services, as: .squidACL, includePatterned: true)
        XCTAssertTrue(forced.text.contains("acl shadowscan_cloud_storage dstdomain .drive.example.net"), forced.text)
    }

    func testDomainsAndSelectionErrors() throws {
        let export = RuleExporter.export(try RuleExporter.select(small, .init(services: ["dropbox", "github-gist"])), as: .domains)
        XCTAssertEqual(export.text, "dropbox.com\ndropboxapi.com\ndropboxusercontent.com\ngist.github.com\ngist.githubusercontent.com\n")
        XCTAssertThrowsError(try RuleExporter.select(small, .init(categories: ["nope"]))) { error in
            XCTAssertTrue("\(error)".contains("unknown category 'nope'; the catalogue has: ai-chat, "), "\(error)")
        }
        XCTAssertThrowsError(try RuleExporter.select(small, .init(services: ["nope"])))
        XCTAssertEqual(RuleExporter.minimalDomains(["b.a.com", "a.com", "a.com", "x.org"]), ["a.com", "x.org"])
    }

    func testSquidGuardTreeHasDomainListsAndDestBlocks() throws {
        let export = RuleExporter.export(small.services, as: .squidGuard, source: "Rules/")
        XCTAssertEqual(export.files.map(\.path), ["shadowscan-cloud-storage/domains", "shadowscan-dev-tools/domains", "shadowscan-file-transfer/domains",
                                                  "shadowscan-paste/domains", "shadowscan-remote-access/domains", "shadowscan-social/domains",
                                                  "shadowscan-vpn/domains", "shadowscan-webmail/domains", "shadowscan-dest.conf"])
        let storage = export.files[0].text
        XCTAssertTrue(storage.contains("# shadowscan-service: id=dropbox category=cloud-storage risk=high personal=true name=Dropbox\ndropbox.com\n"), storage)
        XCTAssertTrue(export.files.last!.text.contains("dest shadowscan-vpn {\n    domainlist shadowscan-vpn/domains\n}"), export.files.last!.text)
        // squidGuard skips lines starting with '#': every other line is a bare domain.
        for line in storage.split(separator: "\n") where !line.hasPrefix("#") {
            XCTAssertNil(RuleFileReader.domainProblem(String(line)), String(line))
        }
    }

    // MARK: Round trip

    /// Export a category as squidGuard lists, import them as UT1 lists: the same services come back.
    func testExportThenImportGivesTheSameCatalogue() throws {
        let catalog = try RuleCatalogLoader.load(directory: TestSupport.rulesDirectory)
        for category in catalog.categories {
            let selected = try RuleExporter.select(catalog, .init(categories: [category])).filter { $0.urlPatterns.isEmpty }
            if selected.isEmpty { continue }
            let dir = TestSupport.temporaryDirectory()
            for file in RuleExporter.export(selected, as: .squidGuard).files {
                let url = dir.appendingPathComponent(file.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.text.write(to: url, atomically: true, encoding: .utf8)
            }
            let result = try UT1Importer.importDirectory(dir.path)
            let reloaded = try RuleCatalogLoader.load(sources: [(name: "ut1.yaml", text: result.yaml)])
            XCTAssertEqual(reloaded.services.count, selected.count, category)
            for (a, b) in zip(selected, reloaded.services) {
                XCTAssertEqual([a.id, a.name, a.category, a.risk.rawValue, "\(a.personal)"], [b.id, b.name, b.category, b.risk.rawValue, "\(b.personal)"])
                XCTAssertEqual(a.domains, b.domains, a.id)
            }
            XCTAssertEqual(RuleExampleRunner.run(reloaded).failures.map(\.description), [], "generated examples pass")
        }
    }

    // MARK: UT1

    func testUT1ImportMapsCategoriesDeduplicatesAndKeepsTheLicence() throws {
        var options = UT1Importer.Options()
        options.existing = small
        let result = try UT1Importer.importDirectory(Self.fixtures.appendingPathComponent("ut1").path, options: options)
        XCTAssertTrue(result.yaml.contains("Université Toulouse 1 Capitole"))
        XCTAssertTrue(result.yaml.contains("CC BY-SA 4.0"))
        XCTAssertTrue(result.notes.contains("adult: not a category ShadowScan maps (use --map adult=CATEGORY to import it); skipped"), "\(result.notes)")
        let catalog = try RuleCatalogLoader.load(sources: [(name: "ut1.yaml", text: result.yaml)])
        XCTAssertEqual(catalog.services.map(\.id), ["ut1-filehosting", "ut1-remote-control", "ut1-vpn", "ut1-webmail", "ut1-webmail-urls"])
        XCTAssertEqual(catalog.service(id: "ut1-vpn")?.category, "vpn")
        XCTAssertEqual(catalog.service(id: "ut1-vpn")?.domains, ["vpn-provider.test", "secure-tunnel.example"], "api.vpn-provider.test is redundant")
        XCTAssertEqual(catalog.service(id: "ut1-remote-control")?.category, "remote-access")
        XCTAssertEqual(catalog.service(id: "ut1-remote-control")?.domains, ["remote-desk.example"], "teamviewer.com stays the catalogue's")
        let webmail = try XCTUnwrap(catalog.service(id: "ut1-webmail"))
        XCTAssertEqual(webmail.domains, ["mail.example-isp.fr", "upper.example-mail.net", "dotted.example-mail.org", "webmail.example-coop.test"])
        XCTAssertFalse(webmail.domains.contains("x.mail.google.com"), "under a catalogue domain: Gmail keeps it")
        // The URL list becomes one pattern on its hosts.
        let probe = URLProbe(catalog: catalog)
        XCTAssertEqual(probe.service(forURL: "https://portal.example-telco.test/webmail/inbox")?.id, "ut1-webmail-urls")
        XCTAssertEqual(probe.service(forURL: "http://intranet.example-asso.test/mail/login.php?x=1")?.id, "ut1-webmail-urls")
        XCTAssertNil(probe.service(forURL: "https://portal.example-telco.test/news/"))
        // Both catalogues load together: nothing imported collides with the curated one.
        let dir = TestSupport.temporaryDirectory()
        try result.yaml.write(to: dir.appendingPathComponent("ut1.yaml"), atomically: true, encoding: .utf8)
        for name in ["storage.yaml", "more.yaml"] {
            try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("catalogue/\(name)"), to: dir.appendingPathComponent(name))
        }
        XCTAssertEqual(try RuleCatalogLoader.load(directory: dir.path).services.count, small.services.count + 5)
    }

    func testUT1OptionsAndErrors() throws {
        var options = UT1Importer.Options()
        options.categories = ["adult"]
        options.overrides = ["adult": "adult-content"]
        let result = try UT1Importer.importDirectory(Self.fixtures.appendingPathComponent("ut1/blacklists").path, options: options)
        let catalog = try RuleCatalogLoader.load(sources: [(name: "x.yaml", text: result.yaml)])
        XCTAssertEqual(catalog.services.map { "\($0.id) \($0.category)" }, ["ut1-adult adult-content"])
        options.categories = ["nope"]
        XCTAssertThrowsError(try UT1Importer.importDirectory(Self.fixtures.appendingPathComponent("ut1").path, options: options))
        XCTAssertThrowsError(try UT1Importer.importDirectory("/no/such/dir"))
        XCTAssertEqual(UT1Importer.normalise("*.Example.COM."), "example.com")
        XCTAssertNil(UT1Importer.normalise("localhost"))
        XCTAssertNil(UT1Importer.normalise("bad_host!.com"))
    }

    func testHostileListEntriesCannotInjectYAML() throws {
        let yaml = UT1Importer.convert([("webmail", "ok.example\nevil.example\n  - id: injected\n'quote.example\n", "a.example/x'\n  url: [x]\n")], options: .init()).yaml
        let catalog = try RuleCatalogLoader.load(sources: [(name: "x.yaml", text: yaml)])
        XCTAssertEqual(catalog.services.flatMap(\.domains), ["ok.example", "evil.example", "a.example"])
    }

    // MARK: squidGuard policy

    func testSquidGuardACLsBecomePolicies() throws {
        let text = try String(contentsOf: Self.fixtures.appendingPathComponent("squidGuard.conf"), encoding: .utf8)
        let config = try SquidGuardPolicyImporter.parse(text, file: "squidGuard.conf")
        XCTAssertEqual(config.destinations.map(\.name), ["webmail", "filehosting", "social", "vpn", "remote", "adult", "sanctioned-storage"])
        XCTAssertEqual(config.acls.map { $0.isElse ? "\($0.name) else" : $0.name }, ["it", "staff", "staff else", "default"])
        XCTAssertEqual(config.acls[1].time, "within workhours")
        XCTAssertEqual(config.acls[3].terminal, "none")
        let policy = try SquidGuardPolicyImporter.policy(config, acl: nil, catalog: small, file: "squidGuard.conf")
        XCTAssertTrue(policy.hasSuffix("blocked:\n  - file-transfer\n  - vpn\n  - remote-access\nsanctioned:\n  - box\ntolerated: []\n"), policy)
        XCTAssertTrue(policy.contains("#   adult (blacklists/adult/domains): not in the catalogue, ignored"), policy)
        let staff = try SquidGuardPolicyImporter.policy(config, acl: "staff", catalog: small, file: "squidGuard.conf")
        XCTAssertTrue(staff.hasSuffix("blocked:\n  - webmail\n  - file-transfer\n  - social\nsanctioned:\n  - box\ntolerated: []\n"), staff)
        XCTAssertTrue(staff.contains("!in-addr"), staff)
        let it = try SquidGuardPolicyImporter.policy(config, acl: "it", catalog: small, file: "squidGuard.conf")
        XCTAssertTrue(it.hasSuffix("blocked: []\nsanctioned: []\ntolerated: []\n"), it)
        XCTAssertThrowsError(try SquidGuardPolicyImporter.policy(config, acl: "nobody", catalog: small, file: "squidGuard.conf")) { error in
            XCTAssertEqual("\(error)", "no acl 'nobody' in squidGuard.conf (it has: it, staff, default)")
        }
        // The issue-5 policy loader reads what the importer writes.
        for text in [policy, staff, it] {
            XCTAssertNoThrow(try PolicyLoader.load(text: text, name: "imported.yaml", catalog: small), text)
        }
        let loaded = try PolicyLoader.load(text: staff, name: "imported.yaml", catalog: small)
        XCTAssertEqual(loaded.status[small.services.firstIndex { $0.id == "gmail" }!], .blocked)
        XCTAssertEqual(loaded.status[small.services.firstIndex { $0.id == "box" }!], .sanctioned)
        XCTAssertThrowsError(try SquidGuardPolicyImporter.parse("dest x {\n domainlist a/b\n", file: "bad.conf")) { error in
            XCTAssertEqual("\(error)", "bad.conf:1: '{' is never closed")
        }
    }
}
