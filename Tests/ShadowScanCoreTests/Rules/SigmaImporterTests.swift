import XCTest
@testable import ShadowScanCore

final class SigmaImporterTests: XCTestCase {
    static let fixtures = TestSupport.packageRoot.appendingPathComponent("Tests/Fixtures/rules-tools/sigma")

    func sources() throws -> [(name: String, text: String)] {
        try FileManager.default.contentsOfDirectory(atPath: Self.fixtures.path).sorted().map { name in
            (name, try String(contentsOf: Self.fixtures.appendingPathComponent(name), encoding: .utf8))
        }
    }

    /// The same small catalogue plus `telegram.org`, so a Sigma rule on api.telegram.org shadows it.
    func catalogue(with yaml: String) throws -> ServiceCatalog {
        try RuleCatalogLoader.load(sources: [(name: "base.yaml", text: TestSupport.smallCatalogue + """

              - id: telegram-web
                name: Telegram
                category: messaging
                risk: high
                personal: true
                domains: [telegram.org]
                examples: {match: [https://web.telegram.org/]}
            """), (name: "sigma.yaml", text: yaml)])
    }

    func testSupportedRulesImportAndTheRestIsNamed() throws {
        let result = SigmaImporter.convert(try sources())
        let outcomes = Dictionary(uniqueKeysWithValues: result.outcomes.map { ($0.title, $0) })
        XCTAssertEqual(result.imported, 3)
        XCTAssertEqual(outcomes["Telegram Bot API Access From Non-Telegram Clients"]?.serviceID, "sigma-telegram-bot-api-access-from-non-telegram-clients")
        XCTAssertEqual(outcomes["Executable Download From Cloud Share"]?.skipped,
                       "selection 'selection': field 'c-uri-extension' is not in ShadowScan's record (supported: c-uri, c-useragent, cs-host, cs-method, sc-status)")
        XCTAssertEqual(outcomes["Process Creation Rule"]?.skipped, "logsource is not category: proxy (category: process_creation, product: windows)")
        XCTAssertEqual(outcomes["Many Requests To One Host"]?.skipped, "aggregations (| count(), | near ...) are not supported")
        XCTAssertTrue(outcomes["Raw Paste Access By URI Only"]?.skipped?.hasPrefix("the condition does not bound the host") ?? false)
        XCTAssertTrue(outcomes["Upload To Anonymous File Hosts"]?.notes.contains { $0.contains("taken on label boundaries") } ?? false)
        XCTAssertTrue(result.yaml.contains("Detection Rule License (DRL) 1.1"))
        XCTAssertTrue(result.yaml.contains("# reference: https://core.telegram.org/bots/api"))
        let catalog = try catalogue(with: result.yaml)
        let telegram = try XCTUnwrap(catalog.service(id: "sigma-telegram-bot-api-access-from-non-telegram-clients"))
        XCTAssertEqual(telegram.domains, ["api.telegram.org"])
        XCTAssertEqual(telegram.condition, .all([.test(.host, .equals, ["api.telegram.org"], requireAll: false),
                                                  .not(.test(.userAgent, .contains, ["Telegram", "TDesktop"], requireAll: false))]))
        XCTAssertEqual(catalog.service(id: "sigma-upload-to-anonymous-file-hosts")?.risk, .high)
    }

    func testPartialDropsUnsupportedTestsAndSaysSo() throws {
        var options = SigmaImporter.Options()
        options.partial = true
        let result = SigmaImporter.convert(try sources().filter { $0.name == "unsupported.yml" }, options: options)
        let share = try XCTUnwrap(result.outcomes.first { $0.title == "Executable Download From Cloud Share" })
        XCTAssertNil(share.skipped)
        XCTAssertEqual(share.notes.first, "dropped from selection 'selection': field 'c-uri-extension' is not in ShadowScan's record (supported: c-uri, c-useragent, cs-host, cs-method, sc-status) (the rule now matches more)")
    }

    func testWildcardsModifiersAndConditionGrammar() throws {
        XCTAssertEqual(try SigmaImporter.fieldTest("c-uri|endswith", "/gate.php"), .test(.url, .endswith, ["/gate.php"], requireAll: false))
        XCTAssertEqual(try SigmaImporter.fieldTest("c-uri", "*/admin/*.php"), .test(.url, .re, ["(?i)^.*/admin/.*\\.php$"], requireAll: false))
        XCTAssertEqual(try SigmaImporter.fieldTest("c-uri|startswith", "/api/"), .test(.url, .re, ["(?i)^(?:[a-z][a-z0-9+.-]*://[^/]*)?/api/"], requireAll: false))
        XCTAssertEqual(try SigmaImporter.fieldTest("c-useragent|contains|all", ["a", "b"]), .test(.userAgent, .contains, ["a", "b"], requireAll: true))
        XCTAssertEqual(try SigmaImporter.fieldTest("cs-host|re|i", "^x"), .test(.host, .re, ["(?i)^x"], requireAll: false))
        XCTAssertEqual(try SigmaImporter.fieldTest("sc-status", [403, 407]), .test(.status, .equals, ["403", "407"], requireAll: false))
        XCTAssertThrowsError(try SigmaImporter.fieldTest("c-uri|base64", "x"))
        XCTAssertThrowsError(try SigmaImporter.fieldTest("cs-host", NSNull()))
        let selections: [String: RecordCondition?] = [
            "sel_a": .test(.host, .equals, ["a.example"], requireAll: false),
            "sel_b": .test(.host, .equals, ["b.example"], requireAll: false),
            "filter": .test(.method, .equals, ["GET"], requireAll: false),
        ]
        var notes: [String] = []
        var parser = SigmaImporter.ConditionParser(text: "(1 of sel_*) and not filter", selections: selections)
        let parsed = try parser.parse(partial: false, notes: &notes)
        XCTAssertEqual(parsed, .all([.any([selections["sel_a"]!!, selections["sel_b"]!!]), .not(selections["filter"]!!)]))
        XCTAssertEqual(SigmaImporter.bound(parsed!), ["a.example", "b.example"])
        var all = SigmaImporter.ConditionParser(text: "all of them", selections: selections)
        XCTAssertEqual(SigmaImporter.bound(try all.parse(partial: false, notes: &notes)!), ["a.example"], "any bounded conjunct bounds the rule")
        var open = SigmaImporter.ConditionParser(text: "sel_a or filter", selections: selections)
        XCTAssertNil(SigmaImporter.bound(try open.parse(partial: false, notes: &notes)!))
        var bad = SigmaImporter.ConditionParser(text: "sel_a and (filter", selections: selections)
        XCTAssertThrowsError(try bad.parse(partial: false, notes: &notes))
    }

    func testDomainsTheCatalogueOwnsAreNotClaimedAgain() throws {
        let rule = """
            title: Pastebin Raw
            logsource: {category: proxy}
            detection:
              sel: {cs-host: [dropbox.com, new.example]}
              condition: sel
            """
        var options = SigmaImporter.Options()
        options.existing = try TestSupport.catalog(TestSupport.smallCatalogue)
        let result = SigmaImporter.convert([("r.yml", rule)], options: options)
        XCTAssertEqual(result.outcomes[0].notes, ["domain dropbox.com already belongs to 'dropbox': not claimed again"])
        XCTAssertTrue(result.yaml.contains("    domains:\n      - new.example\n"), result.yaml)
        let onlyClaimed = SigmaImporter.convert([("r.yml", rule.replacingOccurrences(of: ", new.example", with: ""))], options: options)
        XCTAssertEqual(onlyClaimed.imported, 0)
    }
}
