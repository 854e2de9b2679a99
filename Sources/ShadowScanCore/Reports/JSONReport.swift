import Dispatch
import Foundation

/// The JSON document (`"schema": "shadowscan.report/1"`), a public contract: keys are only ever added.
/// It holds nothing that depends on how the run was executed (workers, timing), so the same input gives
/// the same bytes.
public enum JSONReport {
    public static let schema = "shadowscan.report/1"

    static func usageMembers(_ u: AnalysisResult.Usage) -> [(String, JSONValue)] {
        [("requests", .int(u.requests)), ("allowed", .int(u.allowed)), ("denied", .int(u.denied)),
         ("challenges", .int(u.challenges)), ("users", .int(u.users)),
         ("bytes_in", .int(u.bytesIn)), ("bytes_out", u.bytesOut.json), ("uploads", .int(u.uploads))]
    }

    /// The whole document as one value (tests, small runs). `write(_:to:)` streams the same bytes.
    public static func document(_ result: AnalysisResult) -> JSONValue {
        .object(members(result).map { key, member in
            switch member {
            case .value(let value): return (key, value)
            case .rows(let count, let row, _): return (key, .array((0..<count).map(row)))
            }
        })
    }

    /// A top-level member: a value, or an array built one row at a time while it is written, so a
    /// document of 100,000s of rows never exists as a tree in memory.
    enum Member {
        case value(JSONValue)
        /// `write`, where given, writes row r as bytes straight (`row(r)` serialized, without the value).
        case rows(count: Int, row: (Int) -> JSONValue, write: ((Int, inout [UInt8]) -> Void)? = nil)
    }

    static func members(_ result: AnalysisResult) -> [(String, Member)] {
        let t = result.totals
        return [
            ("schema", .value(.string(schema))),
            ("totals", .value(.object([
                ("lines", .int(t.lines)), ("records", .int(t.records)), ("malformed", .int(t.malformed)),
                ("matched", .int(t.matched)), ("bytes", .int(t.bytes)), ("bytes_out", .int(t.bytesOut)),
                ("oversized", .int(t.oversized)), ("input_bytes", .int(t.inputBytes)),
                ("regex_limit_hits", .int(t.regexLimitHits)), ("unknown_domain_overflow", .int(t.unknownDomainOverflow)),
                ("timeline_overflow", .int(t.timelineOverflow)),
                ("workaround_event_overflow", .int(t.workaroundEventOverflow)),
                ("skipped", .int(t.skipped)),
            ]))),
            ("inputs", .value(.array(result.inputs.map { input in
                .object([
                    ("path", .string(input.path)), ("format", (input.format?.rawValue).json),
                    ("lines", .int(input.lines)), ("records", .int(input.records)), ("malformed", .int(input.malformed)),
                    ("malformed_samples", .array(input.malformedSamples.map { .int($0) })),
                    ("oversized", .int(input.oversized)), ("bytes", .int(input.bytes)),
                    ("detection", input.detection.json), ("problem", input.problem.json),
                    ("compression", (input.compression?.rawValue).json),
                    ("skipped", .int(input.skipped)),
                ])
            }))),
            ("services", .value(.array(result.services.map { s in
                .object([
                    ("id", .string(s.id)), ("name", .string(s.name)), ("category", .string(s.category)),
                    ("risk", .string(s.risk.rawValue)), ("personal", .bool(s.personal)),
                ] + usageMembers(s.usage) + [
                    ("host_only_requests", .int(s.hostOnlyRequests)),
                    ("fidelity", fidelityMembers(s.fidelity)),
                    ("first_seen", .string(CivilTime.iso8601(millis: s.firstSeenMillis))),
                    ("last_seen", .string(CivilTime.iso8601(millis: s.lastSeenMillis))),
                ])
            }))),
            ("categories", .value(.array(result.categories.map { c in
                .object([("category", .string(c.category)), ("services", .int(c.services))] + usageMembers(c.usage))
            }))),
            ("users", .rows(count: result.users.count) { i in
                let u = result.users[i]
                return .object([
                    ("user", .string(u.user)), ("requests", .int(u.requests)), ("denied", .int(u.denied)),
                    ("services", .array(u.services.map { .string($0) })),
                ])
            }),
            ("unknown_domains", .value(.array(result.unknownDomains.map { d in
                .object([("domain", .string(d.domain)), ("users", .int(d.users)), ("requests", .int(d.requests)), ("bytes", .int(d.bytes))])
            }))),
            ("mail", .value(mailSection(result.mail))),
            ("workarounds", .rows(count: result.workarounds.count, row: { workaroundRow(result.workarounds[$0]) },
                                        write: { writeWorkaroundRow(result.workarounds[$0], into: &$1, indent: 4) })),
            ("decisions", .value(decisionsSection(result))),
            ("timeline", .value(timelineSection(result.timeline))),
            ("privacy", .value(privacySection(result.privacy))),
        ]
    }

    /// Rows in batches dealt round-robin to one lane per core: the calling thread serializes its own
    /// batches straight into `out`; each other lane is a helper that fills two buffers in turn, which the
    /// caller writes in row order. No barrier per round, so a late thread delays nothing but its own
    /// batch; the bytes are those of one thread, and at most two batches per helper are held.
    static func writeRowsInParallel(count: Int, write: (Int, inout [UInt8]) -> Void, to out: inout JSONOutput) throws {
        let lanes = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))
        let batch = 1024
        let batches = (count + batch - 1) / batch
        let serialize = { @Sendable (k: Int, buffer: inout [UInt8], write: (Int, inout [UInt8]) -> Void) in
            for r in (k * batch)..<min(count, (k + 1) * batch) {
                buffer.append(contentsOf: "    ".utf8)
                write(r, &buffer)
                buffer.append(contentsOf: (r == count - 1 ? "\n" : ",\n").utf8)
            }
        }
        guard lanes > 1 && batches > 1 else {
            for k in 0..<batches { serialize(k, &out.buffer, write); try out.flushIfFull() }
            return
        }
        let helpers = (1..<lanes).map { _ in RowLane() }
        let group = DispatchGroup()
        try withoutActuallyEscaping(write) { write in
            let shared = UnsafeSendable(write)
            for (h, lane) in helpers.enumerated() {
                DispatchQueue.global().async(group: group) {
                    var j = 0
                    for k in stride(from: h + 1, to: batches, by: lanes) {
                        let slot = j % 2
                        lane.free[slot].wait()
                        if lane.cancelled { break }
                        lane.buffers[slot].removeAll(keepingCapacity: true)
                        serialize(k, &lane.buffers[slot], shared.value)
                        lane.ready[slot].signal()
                        j += 1
                    }
                }
            }
            defer {
                // On an error, release helpers that wait for a free buffer, then wait for all of them.
                for lane in helpers { lane.cancelled = true; lane.free[0].signal(); lane.free[1].signal() }
                group.wait()
            }
            for k in 0..<batches {
                let lane = k % lanes
                if lane == 0 {
                    serialize(k, &out.buffer, write)
                } else {
                    let helper = helpers[lane - 1], slot = (k / lanes) % 2
                    helper.ready[slot].wait()
                    try out.writeThrough(helper.buffers[slot])
                    helper.free[slot].signal()
                }
                try out.flushIfFull()
            }
        }
    }

    /// Writes the document to `out` as `document(result).serializedBytes()` would, row by row.
    public static func write(_ result: AnalysisResult, to out: inout JSONOutput) throws {
        let members = members(result)
        out.append("{\n")
        for (i, (key, member)) in members.enumerated() {
            out.append("  ")
            JSONValue.escape(key, into: &out.buffer)
            out.append(": ")
            switch member {
            case .value(let value):
                value.write(into: &out.buffer, indent: 2)
            case .rows(let count, let row, let write):
                // Rows are objects, so the array takes the multi-line layout of `JSONValue.write`.
                if count == 0 { out.append("[]"); break }
                out.append("[\n")
                try writeRowsInParallel(count: count, write: write ?? { r, bytes in row(r).write(into: &bytes, indent: 4) }, to: &out)
                out.append("  ]")
            }
            out.append(i == members.count - 1 ? "\n" : ",\n")
            try out.flushIfFull()
        }
        out.append("}\n")
        try out.flush()
    }
}

/// Hands values that are only read (or written at disjoint indices) to `concurrentPerform`.
struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// A helper lane's two buffers and their hand-over signals (JSONReport.writeRowsInParallel).
final class RowLane: @unchecked Sendable {
    var buffers: [[UInt8]] = [[], []]
    let ready = [DispatchSemaphore(value: 0), DispatchSemaphore(value: 0)]
    let free = [DispatchSemaphore(value: 1), DispatchSemaphore(value: 1)]
    var cancelled = false
}
