import Foundation
import XCTest

/// `analyse --html/--markdown/--csv` end to end: files written, self-contained, hostile log values inert.
final class ReportCommandTests: XCTestCase {
    let rules = CLI.packageRoot.appendingPathComponent("Rules").path
    let samples = CLI.packageRoot.appendingPathComponent("SampleLogs").path

    /// One line per hostile payload, in the user field (spaces are not allowed there) and the URL.
    static let hostileLines: [String] = {
        let users = ["<script>alert(1)</script>", "\"onerror=alert(2)", "javascript:alert(3)", "{{mustache}}", "=HYPERLINK(\"http://x.example\")",
                     "+cmd|'/C_calc'!A0", "@SUM(1+1)", "-2+3", "a|b`c`", "\u{1B}[31mred\u{07}", "\u{202E}gpj.exe", "\"\u{301}><img/src=x/onerror=alert(4)>"]
        var lines: [String] = []
        for (i, user) in users.enumerated() {
            lines.append("1794038400.\(100 + i)      1 10.0.0.\(i) TCP_DENIED/403 300 CONNECT www.dropbox.com:443 \(user) HIER_NONE/- -")
            lines.append("1794038460.\(100 + i)      1 10.0.0.\(i) TCP_MISS/200 3000 GET http://<script>x</script>.evil{{y}}.example/=cmd \(user) HIER_DIRECT/1.1.1.1 -")
            lines.append("1794038470.\(100 + i)      1 10.0.0.\(i) TCP_MISS/200 3000 GET http://files.\(i)-evil.example/x \(user) HIER_DIRECT/1.1.1.1 -")
        }
        return lines
    }()

    func testReportsAreWrittenAndTheBinaryWorksFromAnyFolder() throws {
        let dir = CLI.temporaryDirectory()
        let out = try CLI.run(["analyse", samples, "--rules", rules, "--html", dir.appendingPathComponent("r.html").path,
                               "--markdown", dir.appendingPathComponent("r.md").path, "--csv", dir.appendingPathComponent("csv").path, "--quiet"],
                              directory: URL(fileURLWithPath: "/"))
        XCTAssertEqual(out.status, 0, out.stderr)
        let html = try String(contentsOf: dir.appendingPathComponent("r.html"), encoding: .utf8)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("id=\"services\""))
        let verdict = try HTMLCheck.run(html)
        XCTAssertEqual(verdict.violations, [])
        let md = try String(contentsOf: dir.appendingPathComponent("r.md"), encoding: .utf8)
        XCTAssertTrue(md.hasPrefix("# Shadow IT"))
        let csv = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("csv").path)
        for name in ["services.csv", "categories.csv", "users.csv", "unknown_domains.csv", "inputs.csv", "timeline.csv", "privacy.csv"] {
            XCTAssertTrue(csv.contains(name), "\(name) in \(csv)")
        }
    }

    func testHostileLogValuesAreInertInEveryOutput() throws {
        let dir = CLI.temporaryDirectory()
        let log = dir.appendingPathComponent("hostile.log")
        try (Self.hostileLines.joined(separator: "\n") + "\n").write(to: log, atomically: true, encoding: .utf8)
        let out = try CLI.run(["analyse", log.path, "--rules", rules, "--identities", "plain", "--json", dir.appendingPathComponent("r.json").path,
                               "--html", dir.appendingPathComponent("r.html").path, "--markdown", dir.appendingPathComponent("r.md").path,
                               "--csv", dir.appendingPathComponent("csv").path])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertFalse(out.stdout.contains("\u{1B}"), "no terminal escapes in the summary")

        let html = try String(contentsOf: dir.appendingPathComponent("r.html"), encoding: .utf8)
        let verdict = try HTMLCheck.run(html)
        XCTAssertEqual(verdict.violations, [], "the HTML parser found live markup or an external reference")
        XCTAssertTrue(verdict.text.contains("<script>alert(1)</script>"), "the payload is shown as text")
        XCTAssertTrue(verdict.text.contains("{{mustache}}"), "template syntax from a log is shown, not evaluated")
        for raw in ["<script>alert", "<img", "\"onerror", "\u{1B}", "\u{202E}", "href=", "src="] {
            XCTAssertFalse(html.contains(raw), "raw \(raw.debugDescription) in the HTML")
        }

        let md = try String(contentsOf: dir.appendingPathComponent("r.md"), encoding: .utf8)
        XCTAssertTrue(md.contains("`<script>alert(1)</script>`"), "a code span, never markup")
        XCTAssertFalse(md.contains("\u{1B}"))
        XCTAssertFalse(md.contains("\n<script"))

        let users = try String(contentsOf: dir.appendingPathComponent("csv/users.csv"), encoding: .utf8)
        for line in users.split(separator: "\r\n").dropFirst() {
            let first = line.unicodeScalars.first.map { Character($0) }
            XCTAssertFalse(["=", "+", "-", "@", "\t"].contains(first), "a formula could run: \(line)")
            if line.hasPrefix("\"") { XCTAssertFalse(["=", "+", "-", "@"].contains(line.dropFirst().first), "a formula could run: \(line)") }
        }
        XCTAssertTrue(users.contains("\"'=HYPERLINK(\"\"http://x.example\"\")\""), users)
        XCTAssertTrue(users.contains("'+cmd|'/C_calc'!A0"), users)
        XCTAssertTrue(users.contains("'@SUM(1+1)"))
        XCTAssertFalse(users.contains("\u{1B}"))

        let json = try String(contentsOf: dir.appendingPathComponent("r.json"), encoding: .utf8)
        XCTAssertFalse(json.contains("\u{1B}"), "JSON escapes control characters")
        XCTAssertNoThrow(try CLI.json(dir.appendingPathComponent("r.json")))
    }

    func testReportsAreTheSameForAnyWorkerCountAndBlockSize() throws {
        let dir = CLI.temporaryDirectory()
        var outputs: [String] = []
        for (workers, block) in [(1, 4 << 20), (2, 65536), (8, 4096)] {
            let sub = dir.appendingPathComponent("w\(workers)")
            let out = try CLI.run(["analyse", samples, "--rules", rules, "--workers", "\(workers)", "--block-size", "\(block)", "--quiet",
                                   "--html", sub.path + ".html", "--markdown", sub.path + ".md", "--csv", sub.path])
            XCTAssertEqual(out.status, 0, out.stderr)
            var all = try String(contentsOfFile: sub.path + ".html", encoding: .utf8) + String(contentsOfFile: sub.path + ".md", encoding: .utf8)
            for name in try FileManager.default.contentsOfDirectory(atPath: sub.path).sorted() {
                all += name + (try String(contentsOfFile: sub.appendingPathComponent(name).path, encoding: .utf8))
            }
            outputs.append(all)
        }
        XCTAssertEqual(outputs[0], outputs[1])
        XCTAssertEqual(outputs[0], outputs[2])
    }

    func testHTMLToStandardOutputSendsTheSummaryToStandardError() throws {
        let out = try CLI.run(["analyse", samples + "/squid-native.log", "--rules", rules, "--html", "-"])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stdout.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(out.stderr.contains("Top services"))
        XCTAssertEqual(try CLI.run(["analyse", "x.log", "--html", "-", "--json", "-"]).status, 2, "two outputs cannot share standard output")
        XCTAssertEqual(try CLI.run(["analyse", "x.log", "--csv", "-"]).status, 2)
    }

    func testUnwritableReportExitsOne() throws {
        let out = try CLI.run(["analyse", samples + "/squid-native.log", "--rules", rules, "--quiet", "--html", "/nonexistent/dir/r.html"])
        XCTAssertEqual(out.status, 1)
        XCTAssertTrue(out.stderr.contains("cannot write /nonexistent/dir/r.html"), out.stderr)
    }

    /// Renders the report in headless Chromium where it is installed; look at the PNG when the layout changes.
    func testRendersInHeadlessChromium() throws {
        guard let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("Chromium is not installed (apt-get install chromium): the rendering check is skipped")
        }
        let dir = CLI.temporaryDirectory()
        let html = dir.appendingPathComponent("report.html"), png = dir.appendingPathComponent("report.png")
        XCTAssertEqual(try CLI.run(["analyse", samples, "--rules", rules, "--quiet", "--html", html.path]).status, 0)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(dir.appendingPathComponent("profile").path)",
                             "--screenshot=\(png.path)", "--window-size=1280,2000", html.absoluteString]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // A browser that hangs must not hang the suite.
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning {
            process.terminate()
            return XCTFail("Chromium did not finish within 120 s")
        }
        XCTAssertEqual(process.terminationStatus, 0)
        let data = try Data(contentsOf: png)
        XCTAssertEqual(Array(data.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG")
        XCTAssertGreaterThan(data.count, 20_000, "a rendered page, not a blank one")
        print("report rendered to \(png.path)")
    }
}

/// Runs `Tests/Fixtures/reports/html_check.py` (Python's html.parser) over a report.
enum HTMLCheck {
    static func run(_ html: String) throws -> (violations: [String], text: String) {
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw XCTSkip("python3 is not installed: the HTML parse check needs its html.parser")
        }
        let file = CLI.temporaryDirectory().appendingPathComponent("report.html")
        try html.write(to: file, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [CLI.packageRoot.appendingPathComponent("Tests/Fixtures/reports/html_check.py").path, file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        return (json["violations"] as? [String] ?? ["no verdict"], json["text"] as? String ?? "")
    }
}
