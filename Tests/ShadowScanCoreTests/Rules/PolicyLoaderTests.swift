import XCTest
@testable import ShadowScanCore

final class PolicyLoaderTests: XCTestCase {
    func catalog() throws -> ServiceCatalog { try TestSupport.catalog(WorkaroundDetectionTests.catalogue) }

    func load(_ yaml: String, directory: String? = nil) throws(RuleLoadError) -> WorkaroundPolicy {
        let catalog = try! catalog()
        return try PolicyLoader.load(text: yaml, name: "p.yaml", catalog: catalog) { name in ("dir/" + name, directory) }
    }

    func problems(_ yaml: String, directory: String? = nil) -> [String] {
        do {
            _ = try load(yaml, directory: directory)
            XCTFail("expected problems")
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    func testTheExampleLoadsAgainstTheCatalogue() throws {
        let catalog = try RuleCatalogLoader.load(directory: TestSupport.rulesDirectory)
        let policy = try PolicyLoader.load(file: TestSupport.rulesDirectory + "/policy.example.yaml", catalog: catalog)
        XCTAssertEqual(policy.windowMillis, 30 * 60_000)
        XCTAssertEqual(policy.uploadThreshold, 10_000_000)
        XCTAssertEqual(policy.organisationName, "Example Borough Council")
        XCTAssertTrue(policy.internalDomains.contains("council.sharepoint.com"))
        let index = { (id: String) in catalog.services.firstIndex { $0.id == id }! }
        XCTAssertEqual(policy.status[index("dropbox")], .blocked, "by its category")
        XCTAssertEqual(policy.status[index("box")], .sanctioned, "a service entry beats its category")
        XCTAssertEqual(policy.status[index("deepl")], .tolerated)
        XCTAssertEqual(policy.status[index("microsoft-365")], .sanctioned)
        XCTAssertEqual(policy.status[index("reddit")], .unlisted)
        XCTAssertEqual(policy.alternatives[catalog.categories.firstIndex(of: "cloud-storage")!], index("microsoft-365"))
        XCTAssertEqual(policy.department(of: "JSmith"), "Finance")
        XCTAssertEqual(policy.department(of: "o'brien, pat"), "Planning", "quoted CSV field")
        XCTAssertEqual(policy.workingHours?.clock.name, "Europe/London")
        XCTAssertFalse(policy.ipRanges.isEmpty)
    }

    func testTheRuleLoaderSkipsPolicyFiles() throws {
        // Rules/ holds policy.example.yaml: the catalogue still loads, and no service comes from it.
        let catalog = try RuleCatalogLoader.load(directory: TestSupport.rulesDirectory)
        XCTAssertFalse(catalog.services.contains { $0.location.file.contains("policy") })
    }

    func testEmptyFileIsTheDefault() throws {
        let policy = try load("")
        XCTAssertTrue(policy.status.allSatisfy { $0 == .unlisted })
        XCTAssertEqual(policy.windowMillis, 1_800_000)
        XCTAssertNil(policy.workingHours)
    }

    func testEveryProblemWithItsPosition() {
        let yaml = """
            organisation:
              domains: [Council.Example]
              colour: blue
            blocked: [dropbx, cloud-storage]
            sanctioned: [box, cloud-storage]
            tolerated: {a: b}
            alternatives:
              cloud-storage: dropbox
              paste: box
            workarounds:
              window: 30
              upload_threshold: lots
              ip_ranges:
                dropbox: [10.0.0.1/8, 300.1.1.1, "2620::/200"]
                nosuch: [1.2.3.4]
            working_hours:
              days: [mon, funday]
              start: "25:00"
              end: "07:00"
              timezone: Mars/Olympus
            decisions:
              high_demand: many
              workaround_share: 150%
            directory: staff.csv
            """
        let found = problems(yaml, directory: "identity,department\nann,Finance\nbob\n,IT\nann,Planning\n")
        XCTAssertEqual(found, [
            "p.yaml:2:13: domains entry 'Council.Example' must be lower case",
            "p.yaml:3:3: unknown key 'colour' (expected one of: domains, name, tenants)",
            "p.yaml:4:11: unknown service id or category 'dropbx'",
            "p.yaml:5:19: category 'cloud-storage' is already listed as blocked (p.yaml:4:19)",
            "p.yaml:6:12: 'tolerated' must be a list of strings",
            "p.yaml:8:18: the alternative for 'cloud-storage', 'dropbox', is blocked by this policy",
            "p.yaml:9:3: unknown category 'paste' (expected one of: cloud-storage, corporate-cloud, file-transfer, social, translation, vpn, webmail)",
            "p.yaml:11:11: window '30' must be a duration between 1s and 7d, like 30m, 90s or 2h",
            "p.yaml:12:21: upload_threshold 'lots' must be a positive size, like 10MB, 25MiB or 1048576",
            "p.yaml:14:15: '10.0.0.1/8' has host bits set (did you mean the network address?)",
            "p.yaml:14:27: '300.1.1.1' is not an IPv4 or IPv6 address or CIDR range",
            "p.yaml:14:38: '2620::/200': prefix length must be 0...128",
            "p.yaml:15:5: unknown service 'nosuch' in ip_ranges",
            "p.yaml:17:15: unknown day 'funday' (expected mon, tue, wed, thu, fri, sat, sun)",
            "p.yaml:18:10: start '25:00' must be a time of day like 08:00",
            "p.yaml:19:8: working hours must end after they start",
            "p.yaml:20:13: unknown time zone 'Mars/Olympus' (an IANA name like Europe/London, or an offset like +01:00)",
            "p.yaml:22:16: 'high_demand' must be a whole number of identities",
            "p.yaml:23:21: 'workaround_share' must be a percentage 0-100, like 25%",
            "dir/staff.csv:3:1: expected 2 fields (identity,department), found 1",
            "dir/staff.csv:4:1: identity and department must not be empty",
            "dir/staff.csv:5:1: identity 'ann' is already in department 'Finance'",
        ])
    }

    func testSubstituteGroups() throws {
        XCTAssertEqual(try load("").substituteGroups, [["cloud-storage", "file-transfer"]])
        XCTAssertEqual(try load("workarounds: {substitute_groups: []}").substituteGroups, [])
        XCTAssertEqual(try load("workarounds: {substitute_groups: [[webmail, file-transfer]]}").substituteGroups, [["webmail", "file-transfer"]])
        XCTAssertEqual(problems("workarounds:\n  substitute_groups: [[webmail, paste], [webmail, vpn]]"), [
            "p.yaml:2:33: unknown category 'paste' in substitute_groups",
            "p.yaml:2:42: category 'webmail' is already in a substitute group (p.yaml:2:24)",
        ])
    }

    func testYAMLSyntaxErrorHasAPosition() {
        let found = problems("blocked: [dropbox\nsanctioned: x\n")
        XCTAssertEqual(found, ["p.yaml:2:11: YAML: did not find expected ',' or ']'"])
        XCTAssertEqual(problems("blocked: x\n  - y: [\n"), ["p.yaml:2:6: YAML: mapping values are not allowed in this context"])
    }

    func testUnreadableDirectory() {
        XCTAssertEqual(problems("directory: missing.csv"), ["p.yaml:1:12: cannot read the directory file 'dir/missing.csv'"])
    }

    func testDurationsSizesAndOffsets() {
        XCTAssertEqual(PolicyLoader.duration("30m"), 1_800_000)
        XCTAssertEqual(PolicyLoader.duration("1h30m"), 5_400_000)
        XCTAssertEqual(PolicyLoader.duration("90s"), 90_000)
        XCTAssertEqual(PolicyLoader.duration("7d"), 604_800_000)
        XCTAssertNil(PolicyLoader.duration("8d"))
        XCTAssertNil(PolicyLoader.duration("30"))
        XCTAssertNil(PolicyLoader.duration("m"))
        XCTAssertNil(PolicyLoader.duration("0s"))
        XCTAssertEqual(PolicyReader.sizeBytes("10MB"), 10_000_000)
        XCTAssertEqual(PolicyReader.sizeBytes("25MiB"), 25 << 20)
        XCTAssertEqual(PolicyReader.sizeBytes("1.5GB"), 1_500_000_000)
        XCTAssertEqual(PolicyReader.sizeBytes("1048576"), 1_048_576)
        XCTAssertNil(PolicyReader.sizeBytes("ten"))
        XCTAssertEqual(PolicyReader.fixedOffsetMinutes("+01:00"), 60)
        XCTAssertEqual(PolicyReader.fixedOffsetMinutes("-05:30"), -330)
        XCTAssertNil(PolicyReader.fixedOffsetMinutes("Europe/London"))
    }

    func testWorkingHoursInAZoneWithSummerTime() throws {
        let policy = try load("working_hours: {timezone: Europe/London, start: '09:00', end: '17:00'}")
        let hours = try XCTUnwrap(policy.workingHours)
        // 2026-07-01 (Wednesday) 08:30 UTC is 09:30 in London (BST): inside; 2026-12-02 08:30 UTC is 08:30: outside.
        XCTAssertTrue(hours.contains(millis: CivilTime.epochMillis(2026, 7, 1, 8, 30)))
        XCTAssertFalse(hours.contains(millis: CivilTime.epochMillis(2026, 12, 2, 8, 30)))
        XCTAssertFalse(hours.contains(millis: CivilTime.epochMillis(2026, 7, 4, 10, 0)), "a Saturday")
        XCTAssertEqual(hours.clock.localDay(CivilTime.epochMillis(2026, 7, 1, 23, 30)), Int64(CivilTime.daysFromCivil(year: 2026, month: 7, day: 2)))
    }

    func testIPRanges() {
        var table = IPRangeTable()
        XCTAssertNil(table.add("162.125.0.0/16", service: 1))
        XCTAssertNil(table.add("162.125.7.0/24", service: 2))
        XCTAssertNil(table.add("2620:100:6000::/40", service: 3))
        XCTAssertNil(table.add("::ffff:10.0.0.0/104", service: 4))
        func service(_ host: String) -> Int32 { Array(host.utf8).withUnsafeBytes { table.service(ofHost: $0) } }
        XCTAssertEqual(service("162.125.1.18"), 1)
        XCTAssertEqual(service("162.125.7.9"), 2, "the most specific range wins")
        XCTAssertEqual(service("2620:100:60ff:1::1"), 3)
        XCTAssertEqual(service("2620:100:6100::1"), -1)
        XCTAssertEqual(service("10.1.2.3"), 4, "IPv4 and IPv4-mapped IPv6 share one space")
        XCTAssertEqual(service("2620:100:60FF:1::AB"), 3, "upper-case hex at the end")
        XCTAssertEqual(service("2620:100:60ff::"), 3, "ending in ::")
        for bad in ["dropbox.com", "162.125.1", "162.125.1.256", "1.2.3.4.5", "2620:::1", "2620:1:2:3:4:5:6:7:8", "", "::g"] {
            XCTAssertEqual(service(bad), -1, bad)
        }
        XCTAssertNotNil(table.add("1.2.3.4/33", service: 0))
        XCTAssertNotNil(table.add("example.com", service: 0))
    }

    func testCSVRows() {
        let rows = CSVRows.parse("\u{FEFF}a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"multi\nline\",z\nlast,row")
        XCTAssertEqual(rows.map(\.line), [1, 2, 3, 5])
        XCTAssertEqual(rows.map(\.fields), [["a", "b"], ["x, y", "say \"hi\""], ["multi\nline", "z"], ["last", "row"]])
    }
}

extension CivilTime {
    static func epochMillis(_ y: Int, _ m: Int, _ d: Int, _ h: Int, _ min: Int) -> Int64 {
        Int64(daysFromCivil(year: y, month: m, day: d)) * 86_400_000 + Int64(h * 3600 + min * 60) * 1000
    }
}
