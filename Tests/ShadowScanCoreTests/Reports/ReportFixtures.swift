import Foundation
import XCTest
@testable import ShadowScanCore

/// A finished result with every section filled, and hostile values wherever a log can put text.
enum ReportFixtures {
    /// What an attacker who controls a user name, a host or a file name would write.
    static let hostile = [
        "<script>alert(1)</script>",
        "\"onerror=alert(2) x=\"",
        "javascript:alert(3)",
        "{{mustache}}",
        "=HYPERLINK(\"http://evil.example/\",\"x\")",
        "+cmd|' /C calc'!A0",
        "@SUM(1+1)",
        "-2+3",
        "a|b`c`**d**_e_[f](http://g.example)",
        "www.evil.example",
        "\u{1B}[31mred\u{07}",
        "\u{202E}gpj.exe",
        "\"\u{301}><img src=x onerror=alert(4)>",
        "# heading",
    ]

    static func result() -> AnalysisResult {
        var r = AnalysisResult()
        r.totals.lines = 1000
        r.totals.records = 990
        r.totals.malformed = 10
        r.totals.matched = 300
        r.inputs = [AnalysisResult.Input(path: "/logs/\(hostile[0]).log", format: .squidNative, detection: "20 of 20", bytes: 1234,
                                         lines: 1000, records: 990, malformed: 10, malformedSamples: [3, 5], problem: nil),
                    AnalysisResult.Input(path: "/logs/missing-\(hostile[3]).log", problem: "no such file or directory")]
        func usage(_ requests: Int64, denied: Int64, users: Int64) -> AnalysisResult.Usage {
            .init(requests: requests, allowed: requests - denied, denied: denied, challenges: 0, users: users, bytesIn: requests * 1000,
                  bytesOut: nil, uploads: 1)
        }
        r.services = [
            .init(id: "dropbox", name: "Dropbox", category: "cloud-storage", risk: .high, personal: true, usage: usage(120, denied: 80, users: 40),
                  hostOnlyRequests: 0, firstSeenMillis: 1_794_038_400_000, lastSeenMillis: 1_794_211_200_000),
            .init(id: "wetransfer", name: "WeTransfer", category: "file-transfer", risk: .high, personal: true, usage: usage(60, denied: 0, users: 12),
                  hostOnlyRequests: 0, firstSeenMillis: 1_794_038_400_000, lastSeenMillis: 1_794_211_200_000),
            .init(id: "gmail", name: "Gmail", category: "webmail", risk: .medium, personal: true, usage: usage(30, denied: 0, users: 3),
                  hostOnlyRequests: 0, firstSeenMillis: 1_794_038_400_000, lastSeenMillis: 1_794_211_200_000),
        ]
        var storage = usage(120, denied: 80, users: 40); storage.users = 40
        r.categories = [.init(category: "cloud-storage", services: 1, usage: storage),
                        .init(category: "file-transfer", services: 1, usage: usage(60, denied: 0, users: 12)),
                        .init(category: "webmail", services: 1, usage: usage(30, denied: 0, users: 3))]
        r.users = hostile.enumerated().map { i, name in
            .init(user: name, requests: Int64(20 - i), denied: 1, services: i < 6 ? ["dropbox", "wetransfer"] : ["dropbox"])
        }
            + [.init(user: "jsmith", requests: 1, denied: 0, services: ["gmail"])]
        r.unknownDomains = [.init(domain: hostile[2], users: 9, requests: 10, bytes: 100), .init(domain: "small.example", users: 2, requests: 2, bytes: 5)]
        r.timeline = (0..<3).map { i in
            // The third day: 3 people, 2 of them on Gmail too.
            var day = TimelineDay(day: 20764 + Int64(i), date: DailyMerge.date(20764 + Int64(i)), requests: 50, denied: 20, users: i == 2 ? 3 : 22,
                                  services: [TimelineCell(service: "dropbox", category: "cloud-storage", requests: 40, denied: 20, users: i == 2 ? 3 : 20),
                                             TimelineCell(service: "gmail", category: "webmail", requests: 10, denied: 0, users: 2)])
            day.usersByLargestCell = i == 2 ? [.init(cellUsers: 3, users: 3)] : [.init(cellUsers: 2, users: 2), .init(cellUsers: 20, users: 20)]
            return day
        }
        r.workarounds = [
            .init(identity: hostile[0], department: "Finance", kind: .substitution, blocked: "dropbox", blockedHost: "www.dropbox.com",
                  substitute: "wetransfer", substituteHost: hostile[1], count: 2, requests: 5, bytes: 5_000_000, uploads: 1,
                  firstMillis: 1_794_038_500_000, lastMillis: 1_794_038_600_000, gapMillis: 120_000, outOfHours: nil),
            .init(identity: "jsmith", department: nil, kind: .sideDoor, blocked: "dropbox", blockedHost: "www.dropbox.com",
                  substitute: "dropbox", substituteHost: "162.125.1.1", count: 1, requests: 1, bytes: 100, uploads: 0,
                  firstMillis: 1_794_038_700_000, lastMillis: 1_794_038_700_000, gapMillis: 60_000, outOfHours: 1),
        ]
        r.decisions = [.init(
            service: "dropbox", name: "Dropbox", category: "cloud-storage", risk: .high, status: "blocked", blockedBy: "proxy",
            identitiesTried: 40, attempts: 120, deniedAttempts: 80, allowedRequests: 40, daysWithAttempts: 3, attemptsOutOfHours: nil,
            identitiesWorkedAround: 14, workedAroundPercent: 35, identitiesToHighRiskSubstitutes: 12, episodes: 20, bytesToSubstitutes: 12_000_000_000, uploadsToSubstitutes: 4,
            alternative: nil, identitiesMovedToAlternative: 0,
            substitutes: [
                .init(service: "wetransfer", name: "WeTransfer", category: "file-transfer", risk: .high, kind: .substitution,
                      identities: 12, episodes: 15, requests: 40, bytes: 11_000_000_000, uploads: 3),
                .init(service: "gmail", name: "Gmail", category: "webmail", risk: .medium, kind: .substitution,
                      identities: 2, episodes: 2, requests: 3, bytes: 1_000_000, uploads: 1),
            ],
            substitutesByBytes: ["wetransfer", "gmail"],
            departments: [.init(department: "Finance", identitiesTried: 30, identitiesWorkedAround: 10),
                          .init(department: hostile[3], identitiesTried: 2, identitiesWorkedAround: 1)],
            trend: nil,
            recommendation: .init(action: "sanction-alternative", summary: "Dropbox is blocked; 40 people tried it 120 times; 14 of them used WeTransfer or Gmail instead.",
                                  reasons: ["14 of them worked around the block, mostly via WeTransfer (substitution, high risk, 12 people), Gmail (substitution, medium risk, 2 people).",
                                            "Rule: 20+ people tried it."]))]
        r.mail.messages = 10
        r.mail.toPersonal = 2
        r.mail.organisationDomains = ["corp.example"]
        r.mail.senders = [.init(sender: "jane.doe@corp.example", messages: 2, bytes: 2000, recipients: 1, daysActive: 1, bounced: 0, deferred: 0,
                                largeMessages: 1, firstSeenMillis: 1_794_038_400_000, lastSeenMillis: 1_794_038_400_000, domains: ["gmail.com"],
                                selfForwarding: [.init(recipient: "jane.doe1980@gmail.com", confidence: "high", reason: "first name 'jane' and surname 'doe' both appear", messages: 2, bytes: 2000)],
                                findings: ["self-forwarding"])]
        r.mail.personalDomains = [.init(domain: "gmail.com", service: "gmail", messages: 2, bytes: 2000, senders: 1, recipients: 1, bounced: 0, deferred: 0)]
        r.mail.autoForwards = [.init(mailbox: "boss@corp.example", recipient: "boss.private@vanity-domain.example", evidence: "orig_to",
                                     messages: 1, bytes: 10, firstSeenMillis: 1_794_038_400_000, lastSeenMillis: 1_794_038_400_000)]
        return r
    }

    static let key = PseudonymKey(bytes: Array(0..<32), path: "test-key")
    static var pseudonyms: Pseudonyms { Pseudonyms(key: key) }

    /// Identities of the fixture that appear nowhere else in it (the first hostile values are also a path,
    /// a host, a domain and a department).
    static var identityOnly: [String] {
        Array(hostile[4...]) + ["jsmith", "jane.doe@corp.example", "jane.doe1980@gmail.com", "boss@corp.example", "boss.private@vanity-domain.example"]
    }

    /// Runs `Tests/Fixtures/reports/html_check.py` over an HTML file; skips when python3 is missing.
    static func checkHTML(_ html: String) throws -> (violations: [String], text: String, tags: [String: Int]) {
        let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let python else { throw XCTSkip("python3 is not installed: the HTML parse check needs its html.parser") }
        let file = TestSupport.temporaryDirectory().appendingPathComponent("report.html")
        try html.write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [TestSupport.packageRoot.appendingPathComponent("Tests/Fixtures/reports/html_check.py").path, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "html_check.py failed")
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        return (json["violations"] as? [String] ?? ["no verdict"], json["text"] as? String ?? "", json["tags"] as? [String: Int] ?? [:])
    }
}
