import XCTest
@testable import ShadowScanCore

/// Workaround detection through the whole pipeline (hot-path collection, ordered merge, detector), on
/// hand-written Squid lines whose expected workarounds are worked out by hand.
final class WorkaroundDetectionTests: XCTestCase {
    /// A fixture catalogue with every category the kinds need (the project's catalogue may not have
    /// VPN services yet).
    static let catalogue = """
        services:
          - {id: dropbox, name: Dropbox, category: cloud-storage, risk: high, personal: true,
             domains: [dropbox.com, dropboxapi.com], examples: {match: [https://www.dropbox.com/]}}
          - {id: box, name: Box, category: cloud-storage, risk: medium, personal: true,
             domains: [box.com], examples: {match: [https://app.box.com/]}}
          - {id: corp-drive, name: Corporate drive, category: corporate-cloud, risk: low, personal: false,
             domains: [sharepoint.com], examples: {match: [https://council.sharepoint.com/]}}
          - {id: wetransfer, name: WeTransfer, category: file-transfer, risk: high, personal: true,
             domains: [wetransfer.com], examples: {match: [https://wetransfer.com/]}}
          - {id: gmail, name: Gmail, category: webmail, risk: high, personal: true,
             domains: [mail.google.com], examples: {match: [https://mail.google.com/]}}
          - {id: deepl, name: DeepL, category: translation, risk: medium, personal: true,
             domains: [deepl.com], examples: {match: [https://www.deepl.com/]}}
          - {id: nordvpn, name: NordVPN, category: vpn, risk: high, personal: true,
             domains: [nordvpn.com], examples: {match: [https://nordvpn.com/]}}
          - {id: reddit, name: Reddit, category: social, risk: low, personal: true,
             domains: [reddit.com], examples: {match: [https://www.reddit.com/]}}
        """

    static let t0: Int64 = 1_794_038_400   // 2026-11-07 08:00:00 UTC, a Saturday

    /// A Squid native line `seconds` after t0.
    static func line(_ seconds: Double, _ user: String, _ url: String, denied: Bool = false, method: String? = nil, bytes: Int = 1000) -> String {
        let t = Double(t0) + seconds
        let stamp = String(format: "%.3f", t)
        let connect = !url.contains("://")
        let m = method ?? (connect ? "CONNECT" : "GET")
        let code = denied ? "TCP_DENIED/403" : (connect ? "TCP_TUNNEL/200" : "TCP_MISS/200")
        return "\(stamp)     10 10.0.0.1 \(code) \(bytes) \(m) \(url) \(user) HIER_DIRECT/1.2.3.4 text/html"
    }

    func analyse(_ files: [[String]], policy: String? = nil, directory: String? = nil, workers: Int = 2, blockSize: Int = 4 << 20,
                 maxEvents: Int = 4_000_000, runCapacity: Int = AnalysisOptions.defaultWorkaroundRunCapacity, spillDirectory: String? = nil,
                 partitions: Int? = nil, mail: MailRouteEvents = MailRouteEvents()) throws -> (AnalysisResult, String) {
        let dir = TestSupport.temporaryDirectory()
        var paths: [String] = []
        for (i, lines) in files.enumerated() {
            let file = dir.appendingPathComponent("access-\(i).log")
            try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
            paths.append(file.path)
        }
        let catalog = try TestSupport.catalog(Self.catalogue)
        var options = AnalysisOptions(workers: workers, blockSize: blockSize, format: .squidNative)
        if let policy {
            options.policy = try PolicyLoader.load(text: policy, name: "policy.yaml", catalog: catalog) { name in (name, directory) }
        }
        options.maxWorkaroundEvents = maxEvents
        options.workaroundRunCapacity = runCapacity
        if let spillDirectory { options.spillDirectory = spillDirectory }
        options.workaroundPartitions = partitions
        let result = Analyzer(catalog: catalog, options: options).run(paths: paths, mailRoutes: mail)
        let json = JSONReport.document(result).serialized().replacingOccurrences(of: dir.path, with: "DIR")
        return (result, json)
    }

    func rows(_ r: AnalysisResult) -> [String: AnalysisResult.Workaround] {
        Dictionary(uniqueKeysWithValues: r.workarounds.map { ("\($0.identity) \($0.blocked)>\($0.substitute) \($0.kind.rawValue)", $0) })
    }

    func testEachKindWindowAndEpisodes() throws {
        let (r, _) = try analyse([[
            // alice: denied on www.dropbox.com, then a same-category service, a transfer service (storage and
            // transfer substitute for each other by default), two evasion services, a side door, the denied
            // host itself, and a service of an unrelated category.
            l(0, "alice", "https://www.dropbox.com/home", denied: true),
            l(60, "alice", "https://app.box.com/files"),
            l(90, "alice", "https://wetransfer.com/"),
            l(120, "alice", "https://www.deepl.com/translator"),
            l(150, "alice", "nordvpn.com:443"),
            l(180, "alice", "content.dropboxapi.com:443", bytes: 5000),
            l(200, "alice", "https://www.dropbox.com/other"),           // the denied host: not a side door
            l(210, "alice", "https://www.reddit.com/"),
            // carol: exactly at the window's end counts; a second after does not.
            l(0, "carol", "https://app.box.com/", denied: true),
            l(1800, "carol", "https://www.dropbox.com/"),
            l(1801, "carol", "https://dropboxapi.com/"),
            // dave: two denials, two episodes; the request past the window is not counted.
            l(0, "dave", "https://www.dropbox.com/", denied: true),
            l(10, "dave", "https://app.box.com/a", bytes: 100),
            l(20, "dave", "https://app.box.com/b", bytes: 200),
            l(30, "dave", "https://www.dropbox.com/", denied: true),
            l(40, "dave", "https://app.box.com/c", bytes: 300),
            l(3000, "dave", "https://app.box.com/d", bytes: 400),
            // erin: allowed first, denied after: nothing.
            l(0, "erin", "https://app.box.com/"),
            l(5, "erin", "https://www.dropbox.com/", denied: true),
        ]])
        let w = rows(r)
        XCTAssertEqual(Set(w.keys), [
            "alice dropbox>box substitution", "alice dropbox>wetransfer substitution", "alice dropbox>deepl evasion", "alice dropbox>nordvpn evasion",
            "alice dropbox>dropbox side-door", "carol box>dropbox substitution", "dave dropbox>box substitution",
        ])
        let side = try XCTUnwrap(w["alice dropbox>dropbox side-door"])
        XCTAssertEqual(side.blockedHost, "www.dropbox.com")
        XCTAssertEqual(side.substituteHost, "content.dropboxapi.com")
        XCTAssertEqual(side.gapMillis, 180_000)
        XCTAssertEqual(side.bytes, 5000)
        XCTAssertEqual(w["carol box>dropbox substitution"]?.gapMillis, 1_800_000)
        XCTAssertEqual(w["carol box>dropbox substitution"]?.requests, 1)
        let dave = try XCTUnwrap(w["dave dropbox>box substitution"])
        XCTAssertEqual(dave.count, 2, "a new denial starts a new episode")
        XCTAssertEqual(dave.requests, 3)
        XCTAssertEqual(dave.bytes, 600)
        XCTAssertEqual(dave.gapMillis, 10_000)
        XCTAssertEqual(CivilTime.iso8601(millis: dave.firstMillis), "2026-11-07T08:00:10.000Z")
        XCTAssertEqual(CivilTime.iso8601(millis: dave.lastMillis), "2026-11-07T08:00:40.000Z")
        XCTAssertNil(dave.outOfHours, "no working hours without a policy")

        // Decisions: every service the proxy denied.
        let dropbox = try XCTUnwrap(r.decisions.first { $0.service == "dropbox" })
        XCTAssertEqual(dropbox.status, "blocked")
        XCTAssertEqual(dropbox.blockedBy, "proxy")
        XCTAssertEqual(dropbox.identitiesTried, 4)
        XCTAssertEqual(dropbox.deniedAttempts, 4)
        XCTAssertEqual(dropbox.identitiesWorkedAround, 2)
        XCTAssertEqual(dropbox.workedAroundPercent, 50)
        XCTAssertEqual(dropbox.substitutes.map(\.service), ["box", "dropbox", "deepl", "nordvpn", "wetransfer"], "by people, then bytes, then id")
        XCTAssertEqual(dropbox.substitutesByBytes.first, "dropbox")
        XCTAssertEqual(dropbox.daysWithAttempts, 1)
        XCTAssertEqual(dropbox.recommendation.action, "review-need")
        XCTAssertEqual(Set(r.decisions.map(\.service)), ["dropbox", "box"])
    }

    func testSubstituteGroupsFromThePolicy() throws {
        let lines = [l(0, "ann", "https://www.dropbox.com/", denied: true), l(10, "ann", "https://wetransfer.com/"),
                     l(20, "ann", "https://mail.google.com/")]
        let (byDefault, _) = try analyse([lines])
        XCTAssertEqual(Set(rows(byDefault).keys), ["ann dropbox>wetransfer substitution"])
        let (regrouped, _) = try analyse([lines], policy: "workarounds: {substitute_groups: [[cloud-storage, webmail]]}")
        XCTAssertEqual(Set(rows(regrouped).keys), ["ann dropbox>gmail substitution"], "the policy's groups replace the default")
    }

    func testTimeOrderAcrossFilesNotFileOrder() throws {
        // The second file holds earlier and later requests than the first one's denial.
        let (r, _) = try analyse([
            [l(100, "bob", "https://www.dropbox.com/", denied: true)],
            [l(50, "bob", "https://app.box.com/early"), l(150, "bob", "https://app.box.com/late")],
        ])
        XCTAssertEqual(r.workarounds.count, 1)
        XCTAssertEqual(r.workarounds.first?.requests, 1)
        XCTAssertEqual(r.workarounds.first?.gapMillis, 50_000)
    }

    func testSameMillisecondFollowsInputOrder() throws {
        let (r, _) = try analyse([[l(10, "bob", "https://app.box.com/before"), l(10, "bob", "https://www.dropbox.com/", denied: true),
                                   l(10, "bob", "https://app.box.com/after")]])
        XCTAssertEqual(r.workarounds.first?.requests, 1)
        XCTAssertEqual(r.workarounds.first?.gapMillis, 0)
    }

    /// Many interleaved identities over two files, with a seeded mix of denials and substitutes.
    static func interleavedFiles() -> [[String]] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func random(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let hosts = ["https://www.dropbox.com/", "content.dropboxapi.com:443", "https://app.box.com/", "https://wetransfer.com/",
                     "https://www.deepl.com/", "nordvpn.com:443", "https://www.reddit.com/", "https://mail.google.com/"]
        var files: [[String]] = [[], []]
        for i in 0..<3000 {
            let user = "user\(random(40))"
            files[i % 2].append(Self.line(Double(i * 7 + random(300)), user, hosts[random(hosts.count)], denied: random(4) == 0,
                                          bytes: 100 + random(10_000)))
        }
        return files
    }

    func testSameBytesForAnyWorkersAndBlockSize() throws {
        let files = Self.interleavedFiles()
        let (reference, referenceJSON) = try analyse(files, workers: 1)
        XCTAssertGreaterThan(reference.workarounds.count, 20)
        for kind in [AnalysisResult.WorkaroundKind.substitution, .sideDoor, .evasion] {
            XCTAssertTrue(reference.workarounds.contains { $0.kind == kind }, "\(kind) present")
        }
        for (workers, block) in [(2, 4 << 20), (8, 4 << 20), (2, 1), (3, 7), (2, 700), (8, 5000)] {
            let (_, json) = try analyse(files, workers: workers, blockSize: block)
            XCTAssertEqual(json, referenceJSON, "workers \(workers), block \(block)")
        }
    }

    /// Workers that spill sorted runs to disk (any run size, any worker count or block size) give the
    /// bytes of a run that kept every event in memory.
    func testSpilledRunsGiveTheSameBytes() throws {
        let files = Self.interleavedFiles()
        let (reference, referenceJSON) = try analyse(files, workers: 1)
        XCTAssertEqual(reference.spilledWorkaroundRuns, 0)
        XCTAssertGreaterThan(reference.workarounds.count, 20)
        for (workers, block, capacity, partitions) in [(1, 4 << 20, 1, 1), (2, 4 << 20, 3, 2), (2, 1, 2, 3), (8, 700, 50, 8), (3, 5000, 1000, 5)] {
            let (r, json) = try analyse(files, workers: workers, blockSize: block, runCapacity: capacity, partitions: partitions)
            let what = "workers \(workers), block \(block), capacity \(capacity), partitions \(partitions)"
            XCTAssertGreaterThan(r.spilledWorkaroundRuns, 0, what)
            XCTAssertEqual(json, referenceJSON, what)
        }
        // Partitions alone, everything in memory.
        for partitions in [1, 2, 7] {
            XCTAssertEqual(try analyse(files, workers: 2, partitions: partitions).1, referenceJSON, "partitions \(partitions)")
        }
    }

    /// No place to spill: the events that could not be kept are counted, never a crash.
    func testUnwritableSpillDirectoryIsCounted() throws {
        let (r, json) = try analyse(Self.interleavedFiles(), workers: 2, runCapacity: 10, spillDirectory: "/nonexistent/shadowscan")
        XCTAssertGreaterThan(r.totals.workaroundEventOverflow, 0)
        XCTAssertEqual(r.spilledWorkaroundRuns, 0)
        XCTAssertTrue(json.contains("\"workaround_event_overflow\": \(r.totals.workaroundEventOverflow)"))
    }

    func testOverflowIsCountedNotFatal() throws {
        let (r, json) = try analyse([[l(0, "a", "https://www.dropbox.com/", denied: true), l(1, "a", "https://app.box.com/"),
                                      l(2, "a", "https://app.box.com/"), l(3, "a", "https://app.box.com/")]], workers: 1, maxEvents: 2)
        XCTAssertEqual(r.totals.workaroundEventOverflow, 2)
        XCTAssertTrue(json.contains("\"workaround_event_overflow\": 2"))
        XCTAssertEqual(r.workarounds.first?.requests, 1)
    }

    func testJSONKeysAlwaysPresent() throws {
        let (r, json) = try analyse([[Self.line(0, "a", "https://www.reddit.com/")]])
        XCTAssertTrue(r.workarounds.isEmpty)
        XCTAssertTrue(json.contains("\"workarounds\": []"))
        XCTAssertTrue(json.contains("\"decisions\": []"))
    }

    static let policy = """
        organisation:
          tenants: [council.sharepoint.com, council.box.com]
        blocked: [cloud-storage, gmail]
        tolerated: [translation]
        alternatives:
          cloud-storage: corp-drive
        workarounds:
          window: 10m
          upload_threshold: 1MB
          ip_ranges:
            dropbox: [162.125.0.0/16, "2620:100:6000::/40"]
        working_hours:
          timezone: "+00:00"
          days: [mon, tue, wed, thu, fri]
          start: "08:00"
          end: "18:00"
        directory: staff.csv
        decisions:
          high_demand: 3
          low_demand: 1
        """

    func testPolicyAlternativeTenantsIPRangesHoursAndDirectory() throws {
        let (r, _) = try analyse([[
            // frank (Saturday, so out of hours): denied, then a raw IP in Dropbox's range: a side door.
            l(0, "frank", "https://www.dropbox.com/", denied: true),
            l(5, "frank", "162.125.1.18:443"),
            l(6, "frank", "[2620:100:6001::1]:443"),
            l(7, "frank", "https://93.184.216.34/"),                     // an IP outside every range
            // grace: the organisation's own Box tenant is internal; box.com itself is a substitution.
            l(0, "grace", "https://www.dropbox.com/", denied: true),
            l(10, "grace", "https://council.box.com/folder"),
            l(20, "grace", "https://app.box.com/"),
            // erin: denied, then the sanctioned alternative (on the tenant): a move, not a workaround.
            l(0, "erin", "https://www.dropbox.com/", denied: true),
            l(30, "erin", "https://council.sharepoint.com/sites/x"),
            // hank: past the policy's 10-minute window.
            l(0, "hank", "https://www.dropbox.com/", denied: true),
            l(601, "hank", "https://app.box.com/"),
            // ivy: reddit is unlisted and used: unsanctioned; deepl is tolerated: no decision.
            l(0, "ivy", "https://www.reddit.com/"),
            l(1, "ivy", "https://www.deepl.com/"),
        ]], policy: Self.policy, directory: "identity,department\nfrank,IT\nGrace,Finance\n")
        let w = rows(r)
        XCTAssertEqual(Set(w.keys), ["frank dropbox>dropbox side-door", "grace dropbox>box substitution"])
        let frank = try XCTUnwrap(w["frank dropbox>dropbox side-door"])
        XCTAssertEqual(frank.substituteHost, "162.125.1.18")
        XCTAssertEqual(frank.requests, 2, "the IPv6 address in range is the same episode")
        XCTAssertEqual(frank.outOfHours, 1)
        XCTAssertEqual(frank.department, "IT")
        XCTAssertEqual(w["grace dropbox>box substitution"]?.department, "Finance", "the directory matches case-insensitively")
        XCTAssertEqual(w["grace dropbox>box substitution"]?.requests, 1, "the tenant is internal")

        let dropbox = try XCTUnwrap(r.decisions.first { $0.service == "dropbox" })
        XCTAssertEqual(dropbox.blockedBy, "policy")
        XCTAssertEqual(dropbox.alternative, "corp-drive")
        XCTAssertEqual(dropbox.identitiesMovedToAlternative, 1)
        XCTAssertEqual(dropbox.attemptsOutOfHours, 4)
        XCTAssertEqual(dropbox.identitiesTried, 4)
        XCTAssertEqual(dropbox.departments.map(\.department), ["Finance", "IT", nil] as [String?])
        XCTAssertEqual(dropbox.departments.last?.identitiesTried, 2)
        XCTAssertEqual(dropbox.recommendation.action, "sanction-alternative")
        XCTAssertTrue(dropbox.recommendation.summary.contains("make the sanctioned alternative, Corporate drive, easier to find and use"))
        XCTAssertEqual(r.decisions.first { $0.service == "reddit" }?.status, "unsanctioned")
        XCTAssertNil(r.decisions.first { $0.service == "deepl" })
        XCTAssertNil(r.decisions.first { $0.service == "corp-drive" })
        // box: blocked by the policy, and the proxy let every request through.
        XCTAssertEqual(r.decisions.first { $0.service == "box" }?.recommendation.action, "fix-enforcement")
    }

    func testMailRouteThroughTheHook() throws {
        var mail = MailRouteEvents()
        let t = Self.t0 * 1000
        let sender = MailRouteEvents.identity(forSender: "Hank@Council.example", organisationDomains: ["council.example"])
        XCTAssertEqual(sender, "hank")
        mail.add(identity: sender, timeMillis: t + 60_000, attachmentBytes: 20_000_000, recipientService: "gmail")
        mail.add(identity: sender, timeMillis: t + 61_000, attachmentBytes: 1_000, recipientService: "gmail")        // small
        mail.add(identity: sender, timeMillis: t + 62_000, attachmentBytes: 15_000_000, recipientService: nil)        // unknown personal domain
        mail.add(identity: sender, timeMillis: t + 3_600_000, attachmentBytes: 20_000_000, recipientService: "gmail") // past the window
        mail.add(identity: "nobody", timeMillis: t + 60_000, attachmentBytes: 20_000_000, recipientService: "gmail")
        mail.add(identity: "ivy", timeMillis: t + 60_000, attachmentBytes: 20_000_000, recipientService: "gmail")    // denied elsewhere
        let lines = [[
            l(0, "Hank", "https://wetransfer.com/", denied: true),
            l(0, "ivy", "https://www.reddit.com/", denied: true),
        ]]
        let (r, json) = try analyse(lines, policy: "workarounds: {upload_threshold: 10MB}", mail: mail)
        // The mail run splits across identity partitions like the proxy runs.
        for partitions in [1, 3] {
            XCTAssertEqual(try analyse(lines, policy: "workarounds: {upload_threshold: 10MB}", runCapacity: 1, partitions: partitions, mail: mail).1, json)
        }
        let w = rows(r)
        XCTAssertEqual(Set(w.keys), ["Hank wetransfer>gmail mail-route", "Hank wetransfer>personal-mail mail-route"])
        XCTAssertEqual(w["Hank wetransfer>gmail mail-route"]?.bytes, 20_000_000)
        XCTAssertEqual(w["Hank wetransfer>gmail mail-route"]?.gapMillis, 60_000)
        XCTAssertNil(w["Hank wetransfer>gmail mail-route"]?.substituteHost)
        let decision = try XCTUnwrap(r.decisions.first { $0.service == "wetransfer" })
        XCTAssertEqual(decision.substitutes.map(\.service), ["gmail", "personal-mail"])
        XCTAssertEqual(decision.identitiesToHighRiskSubstitutes, 1)
    }

    func testRecommendationRules() throws {
        var lines: [String] = []
        // 5 people denied dropbox, 3 of them then use box: high demand (3) and a 60% share.
        for i in 0..<5 {
            lines.append(l(Double(i), "p\(i)", "https://www.dropbox.com/", denied: true))
            if i < 3 { lines.append(l(Double(i) + 100, "p\(i)", "https://app.box.com/")) }
        }
        // One person denied gmail, no workaround: low demand.
        lines.append(l(0, "q", "https://mail.google.com/", denied: true))
        let (r, _) = try analyse([lines], policy: "decisions: {high_demand: 3, low_demand: 1}")
        let dropbox = try XCTUnwrap(r.decisions.first { $0.service == "dropbox" })
        XCTAssertEqual(dropbox.recommendation.action, "sanction-alternative")
        XCTAssertTrue(dropbox.recommendation.summary.contains("Dropbox is blocked; 5 people tried it 5 times; 3 of them used Box instead"), dropbox.recommendation.summary)
        XCTAssertTrue(dropbox.recommendation.summary.contains("consider sanctioning a managed cloud-storage service"))
        XCTAssertEqual(r.decisions.first { $0.service == "gmail" }?.recommendation.action, "keep-blocked")
        XCTAssertTrue(dropbox.recommendation.reasons.contains { $0.hasPrefix("Rule: 3+ people tried it (high_demand)") })
    }
}

/// Shorthand for `WorkaroundDetectionTests.line`.
private func l(_ seconds: Double, _ user: String, _ url: String, denied: Bool = false, bytes: Int = 1000) -> String {
    WorkaroundDetectionTests.line(seconds, user, url, denied: denied, bytes: bytes)
}

/// The row sort (ranks, then a permutation applied in place) agrees with the documented order.
final class WorkaroundRowOrderTests: XCTestCase {
    func testSortMatchesOrder() {
        var state: UInt64 = 42
        func random(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let kinds = AnalysisResult.WorkaroundKind.allCases
        for size in [0, 1, 2, 7, 500] {
            var rows = (0..<size).map { _ in
                AnalysisResult.Workaround(
                    identity: "u\(random(20))", department: nil, kind: kinds[random(kinds.count)], blocked: "b\(random(3))", blockedHost: nil,
                    substitute: "s\(random(4))", substituteHost: nil, count: Int64(random(3)), requests: 1, bytes: Int64(random(3)),
                    uploads: 0, firstMillis: 0, lastMillis: 0, gapMillis: 0, outOfHours: nil)
            }
            // Keys must be unique per row, as the detector's are.
            var seen = Set<String>()
            rows = rows.filter { seen.insert("\($0.identity) \($0.blocked) \($0.substitute) \($0.kind)").inserted }
            let expected = rows.sorted(by: WorkaroundMerge.order)
            // Unordered rows take the full sort; rows ordered by (count, bytes) only (as after renaming)
            // have their ties put in order.
            var tiesOnly = rows.sorted { ($0.count, $0.bytes) > ($1.count, $1.bytes) }
            WorkaroundMerge.sort(&rows)
            WorkaroundMerge.sort(&tiesOnly)
            for sorted in [rows, tiesOnly] {
                XCTAssertEqual(sorted.map { "\($0.identity) \($0.blocked) \($0.substitute) \($0.kind) \($0.count) \($0.bytes)" },
                               expected.map { "\($0.identity) \($0.blocked) \($0.substitute) \($0.kind) \($0.count) \($0.bytes)" }, "size \(size)")
            }
        }
    }
}
