import XCTest
@testable import ShadowScanCore

/// Run order and the spill file, below the pipeline (WorkaroundDetectionTests covers them end to end).
final class WorkaroundSpillTests: XCTestCase {
    func event(_ identity: Int32, _ time: Int64, chunk: Int32 = 0) -> WorkaroundEvent {
        WorkaroundEvent(time: time, bytes: 1, identity: identity, chunk: chunk, host: 0, service: 0, flags: 0)
    }

    /// Sorted by (identity hash, time, buffer position), also when two identities share a hash (their
    /// events interleave by time) and when a file's lines go back in time.
    func testRunOrderAgainstAPlainSort() {
        var state: UInt64 = 7
        func random(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        let hashes: [UInt64] = [900, 5, 900, 77, 5, 1 << 63]   // identities 0 and 2, 1 and 4 collide
        for count in [0, 1, 2, 50, 3000] {
            var events: [WorkaroundEvent] = []
            var clock: Int64 = 0
            for _ in 0..<count {
                clock += Int64(random(5)) - (random(10) == 0 ? 20 : 0)   // mostly forward, sometimes back
                events.append(event(Int32(random(hashes.count)), clock))
            }
            let order = events.withUnsafeBufferPointer { e in hashes.withUnsafeBufferPointer { sortedRunOrder(e, identityHashes: $0) } }
            let expected = events.indices.sorted {
                (hashes[Int(events[$0].identity)], events[$0].time, $0) < (hashes[Int(events[$1].identity)], events[$1].time, $1)
            }
            XCTAssertEqual(order.map(Int.init), expected, "\(count) events")
        }
    }

    func testSpillFileRoundTripAndPartitions() throws {
        let file = try XCTUnwrap(WorkaroundSpillFile(directory: NSTemporaryDirectory()))
        let events = (0..<10_000).map { event(Int32($0 % 3), Int64($0)) }
        let hashes: [UInt64] = [30, 10, 20]
        let order = events.withUnsafeBufferPointer { e in hashes.withUnsafeBufferPointer { sortedRunOrder(e, identityHashes: $0) } }
        XCTAssertTrue(events.withUnsafeBufferPointer { file.append($0, order: order) })
        XCTAssertTrue(events.withUnsafeBufferPointer { file.append($0, order: Array(order.prefix(5))) })
        XCTAssertEqual(file.runs.map(\.count), [10_000, 5])

        // Read back in small pieces: the run's events in run order.
        var cursor = WorkaroundRunCursor(.file(file, file.runs[0]), worker: 0, range: 0..<10_000, bufferEvents: 7)
        defer { cursor.release() }
        var read: [Int64] = []
        while let e = cursor.nextEvent() { read.append(e.time) }
        XCTAssertEqual(read, order.map { events[Int($0)].time })

        // Partition bounds fall between hashes, found by reading single events of the file.
        var merge = WorkaroundRunMerge()
        merge.add(.file(file, file.runs[0]), worker: 0)
        merge.add(.memory(events.withUnsafeBufferPointer { WorkaroundEventBlock($0, order: order) }), worker: 0)
        let parts = merge.partitions(3, identityHashes: [hashes])
        XCTAssertEqual(parts.count, 3)
        for source in 0..<2 {
            XCTAssertEqual(parts.map { $0[source] }.reduce(0) { $0 + $1.count }, 10_000)
            XCTAssertEqual(parts[0][source].lowerBound, 0)
            XCTAssertEqual(parts[2][source].upperBound, 10_000)
        }
    }

    func testNoSpillFileWhereNothingCanBeWritten() {
        XCTAssertNil(WorkaroundSpillFile(directory: "/nonexistent/shadowscan"))
    }
}
