import ArgumentParser
import Foundation
import ShadowScanCore

/// `shadowscan history`: what the history store holds, run by run or service by service.
struct History: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show the runs a history store (analyse --store) holds, or one service's decision evidence over time.",
        discussion: """
            Without --service: one line per recorded run (its period, lines, records, blocked services,
            workaround identities). With --service ID: that service's evidence in every run that had it,
            oldest period first. --json prints the same as a JSON document (schema shadowscan.history/1).

            Exit codes: 0 success; 2 the store cannot be read (missing, not a ShadowScan store, newer schema).

            Examples:
              shadowscan history --store /var/lib/shadowscan/history.sqlite
              shadowscan history --store history.sqlite --service dropbox --json
            """
    )

    @Option(name: .long, help: ArgumentHelp("The history store written by analyse --store.", valueName: "FILE"))
    var store: String

    @Option(name: .long, help: ArgumentHelp("One service's evidence over time (a catalogue service id).", valueName: "ID"))
    var service: String?

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        guard FileManager.default.fileExists(atPath: store) else {
            warn("error: no history store at \(store)")
            throw ExitCode(2)
        }
        let history: HistoryStore
        do {
            history = try HistoryStore(path: store)
        } catch {
            warn("error: \(error)")
            throw ExitCode(2)
        }
        do {
            if let service {
                try printService(service, history.history(service: service))
            } else {
                try printRuns(history.runs().map { ($0, try history.decisions(run: $0.id)) })
            }
        } catch let error as StoreError {
            warn("error: \(error)")
            throw ExitCode(2)
        }
    }

    private func period(_ run: HistoryStore.Run) -> (String, String) {
        (run.fromMillis.map { CivilTime.iso8601(millis: $0) } ?? "-", run.toMillis.map { CivilTime.iso8601(millis: $0) } ?? "-")
    }

    private func printRuns(_ runs: [(HistoryStore.Run, [HistoryStore.StoredDecision])]) {
        if json {
            let document = JSONValue.object([
                ("schema", .string("shadowscan.history/1")),
                ("runs", .array(runs.map { run, decisions in
                    let (from, to) = period(run)
                    return .object([
                        ("run", .int(run.id)), ("recorded_at", .string(run.recordedAt)), ("from", .string(from)), ("to", .string(to)),
                        ("lines", .int(run.lines)), ("records", .int(run.records)), ("matched", .int(run.matched)),
                        ("inputs", .array(run.inputs.map { .string($0) })), ("policy", run.policy.map { .string($0) } ?? .null),
                        ("decisions", .int(Int64(decisions.count))),
                        ("identities_worked_around", .int(decisions.reduce(0) { $0 + $1.identitiesWorkedAround })),
                    ])
                })),
            ])
            print(document.serialized(), terminator: "")
            return
        }
        if runs.isEmpty { print("No runs recorded in \(TextSummary.printable(store, limit: 200))."); return }
        var rows = [["run", "from", "to", "lines", "records", "decisions", "worked around", "policy"]]
        for (run, decisions) in runs {
            let (from, to) = period(run)
            rows.append(["\(run.id)", String(from.prefix(16)), String(to.prefix(16)), TextSummary.group(run.lines), TextSummary.group(run.records),
                         "\(decisions.count)", TextSummary.group(decisions.reduce(0) { $0 + $1.identitiesWorkedAround }),
                         run.policy.map { TextSummary.printable(($0 as NSString).lastPathComponent) } ?? "-"])
        }
        print(TextSummary.tableLines(rows).joined(separator: "\n"))
    }

    private func printService(_ id: String, _ series: [(HistoryStore.Run, HistoryStore.StoredDecision)]) {
        if json {
            let document = JSONValue.object([
                ("schema", .string("shadowscan.history/1")),
                ("service", .string(id)),
                ("periods", .array(series.map { run, d in
                    let (from, to) = period(run)
                    return .object([
                        ("run", .int(run.id)), ("from", .string(from)), ("to", .string(to)), ("status", .string(d.status)),
                        ("identities_tried", .int(d.identitiesTried)), ("attempts", .int(d.attempts)),
                        ("denied_attempts", .int(d.deniedAttempts)), ("identities_worked_around", .int(d.identitiesWorkedAround)),
                        ("episodes", .int(d.episodes)), ("bytes_to_substitutes", .int(d.bytesToSubstitutes)),
                        ("recommendation", .string(d.recommendation)),
                    ])
                })),
            ])
            print(document.serialized(), terminator: "")
            return
        }
        if series.isEmpty { print("No evidence for '\(TextSummary.printable(id))' in \(TextSummary.printable(store, limit: 200))."); return }
        var rows = [["run", "from", "to", "tried", "denied", "worked around", "to substitutes", "recommendation"]]
        for (run, d) in series {
            let (from, to) = period(run)
            rows.append(["\(run.id)", String(from.prefix(16)), String(to.prefix(16)), TextSummary.group(d.identitiesTried),
                         TextSummary.group(d.deniedAttempts), TextSummary.group(d.identitiesWorkedAround),
                         TextSummary.bytes(d.bytesToSubstitutes), d.recommendation])
        }
        print(TextSummary.tableLines(rows).joined(separator: "\n"))
    }
}
