import XCTest
@testable import ShadowScanCore

/// `when:` conditions: loading, evaluation on records, and the analyser's fall-through to the wider claim.
final class RecordConditionTests: XCTestCase {
    static let yaml = TestSupport.smallCatalogue + """

          - id: telegram-web
            name: Telegram
            category: messaging
            risk: high
            personal: true
            domains: [telegram.org]
            examples: {match: [https://web.telegram.org/]}
          - id: bot-api
            name: Bot API from scripts
            category: sigma
            risk: medium
            personal: false
            domains: [api.telegram.org]
            when:
              all:
                - not: {user_agent: {contains: [telegram]}}
                - any:
                    - method: {equals: [post]}
                    - status: {startswith: ['4']}
                - url: {re: ['/bot[0-9]+/']}
            examples:
              match: [https://api.telegram.org/]
              lines:
                - line: '10.0.0.5 - alice [18/Nov/2025:06:40:00 +0000] "POST https://api.telegram.org/bot12/sendDocument HTTP/1.1" 200 10 "-" "python-requests/2.31" TCP_MISS:HIER_DIRECT'
                - line: '10.0.0.5 - alice [18/Nov/2025:06:40:00 +0000] "POST https://api.telegram.org/bot12/sendDocument HTTP/1.1" 200 10 "-" "TelegramBot/1.0" TCP_MISS:HIER_DIRECT'
                  service: telegram-web
        """

    func testConditionsLoadAndRoundTripAsYAML() throws {
        let catalog = try TestSupport.catalog(Self.yaml)
        let condition = try XCTUnwrap(catalog.service(id: "bot-api")?.condition)
        XCTAssertEqual(condition.patterns, ["/bot[0-9]+/"])
        let again = try TestSupport.catalog(Self.yaml.replacingOccurrences(of: """
                    when:
                      all:
                        - not: {user_agent: {contains: [telegram]}}
                        - any:
                            - method: {equals: [post]}
                            - status: {startswith: ['4']}
                        - url: {re: ['/bot[0-9]+/']}
            """, with: "        when:\n" + condition.yaml(indent: 10)))
        XCTAssertEqual(again.service(id: "bot-api")?.condition, condition)
    }

    func testBadConditionsAreLoaderErrors() {
        let bad = Self.yaml.replacingOccurrences(of: "- url: {re: ['/bot[0-9]+/']}", with: "- referer: {re: ['(']}")
        XCTAssertThrowsError(try TestSupport.catalog(bad)) { error in
            XCTAssertTrue("\(error)".contains("unknown condition 'referer' (expected all, any, not, or a field: host, url, user_agent, method, status)"), "\(error)")
        }
        let badRegex = Self.yaml.replacingOccurrences(of: "'/bot[0-9]+/'", with: "'/bot(['")
        XCTAssertThrowsError(try TestSupport.catalog(badRegex)) { error in XCTAssertTrue("\(error)".contains("bad regular expression"), "\(error)") }
        let badOp = Self.yaml.replacingOccurrences(of: "method: {equals: [post]}", with: "method: {like: [post]}")
        XCTAssertThrowsError(try TestSupport.catalog(badOp)) { error in XCTAssertTrue("\(error)".contains("unknown operator 'like'"), "\(error)") }
    }

    /// The analyser applies the condition, and falls through to telegram.org when it fails.
    func testAnalyserAppliesConditionsAndFallsThrough() throws {
        let lines = [
            "10.0.0.5 - alice [18/Nov/2025:06:40:00 +0000] \"POST https://api.telegram.org/bot12/sendDocument HTTP/1.1\" 200 10 \"-\" \"python-requests/2.31\" TCP_MISS:HIER_DIRECT",
            "10.0.0.6 - bob [18/Nov/2025:06:40:01 +0000] \"GET https://api.telegram.org/bot12/getMe HTTP/1.1\" 404 10 \"-\" \"curl/8.0\" TCP_MISS:HIER_DIRECT",
            "10.0.0.7 - carol [18/Nov/2025:06:40:02 +0000] \"POST https://api.telegram.org/bot12/sendMessage HTTP/1.1\" 200 10 \"-\" \"Telegram Desktop\" TCP_MISS:HIER_DIRECT",
            "10.0.0.8 - dave [18/Nov/2025:06:40:03 +0000] \"GET https://api.telegram.org/file/x HTTP/1.1\" 200 10 \"-\" \"curl/8.0\" TCP_MISS:HIER_DIRECT",
        ]
        let file = TestSupport.temporaryDirectory().appendingPathComponent("access.log")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let catalog = try TestSupport.catalog(Self.yaml)
        for workers in [1, 2] {
            let result = Analyzer(catalog: catalog, options: AnalysisOptions(workers: workers)).run(paths: [file.path])
            XCTAssertEqual(result.services.first { $0.id == "bot-api" }?.requests, 2, "POST by a script, and a 404 to the bot API")
            XCTAssertEqual(result.services.first { $0.id == "telegram-web" }?.requests, 2, "the Telegram client, and a file download")
            XCTAssertEqual(result.unknownDomains.count, 0)
        }
        let coverage = RuleCoverage(catalog: catalog).run(paths: [file.path])
        XCTAssertEqual(coverage.services.first { $0.id == "bot-api" }?.requests, 2)
        XCTAssertEqual(coverage.services.first { $0.id == "telegram-web" }?.requests, 2)
        // Line examples check the condition; URL examples only the domains.
        XCTAssertEqual(RuleExampleRunner.run(catalog).failures.map(\.description), [])
        let explainer = MatchExplainer(catalog: catalog)
        XCTAssertEqual(explainer.explain(url: "https://api.telegram.org/bot1/x").condition, .notEvaluated)
        let fallThrough = LineExplanation(line: lines[2], explainer: explainer)
        XCTAssertEqual(fallThrough.match?.condition, .fails)
        XCTAssertEqual(fallThrough.match?.service?.id, "telegram-web")
    }
}
