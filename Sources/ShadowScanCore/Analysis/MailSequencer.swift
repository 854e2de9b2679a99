import Foundation

/// Puts the mail events of parallel workers back in input order for the correlator. Every work item
/// gets an ordinal (its position in the reader's queue); each worker deposits its item's events (or
/// nothing, for proxy formats) under that ordinal, and whichever worker deposits the next ordinal due
/// drains every consecutive one that is ready, outside the lock, while the others go on parsing.
///
/// In-flight memory is bounded: a worker about to parse a mail chunk waits while it is `window` or more
/// ordinals ahead of the oldest one not yet correlated (the oldest is always being parsed by someone,
/// so this never deadlocks).
final class MailSequencer: @unchecked Sendable {
    private let condition = NSCondition()
    private var ready: [Int: (Int32, MailEventBuffer?)] = [:]
    private var next = 0
    private var draining = false
    let window: Int
    private let correlator: MailCorrelator
    /// True once a mail chunk was seen (the result stays all zero otherwise).
    private(set) var sawMail = false

    init(correlator: MailCorrelator, window: Int) {
        self.correlator = correlator
        self.window = max(2, window)
    }

    func waitForRoom(_ ordinal: Int) {
        condition.lock()
        while ordinal >= next + window { condition.wait() }
        condition.unlock()
    }

    func deposit(_ ordinal: Int, input: Int32, events: MailEventBuffer?) {
        condition.lock()
        if events != nil { sawMail = true }
        ready[ordinal] = (input, events)
        if draining { condition.unlock(); return }
        draining = true
        while let (input, events) = ready.removeValue(forKey: next) {
            next += 1
            condition.broadcast()
            guard let events else { continue }
            condition.unlock()
            correlator.consume(events, input: input)
            condition.lock()
        }
        draining = false
        condition.unlock()
    }

    /// After every worker is done: closes open messages and returns the section, and `routes` with
    /// every message to a personal address added (for mail-route workaround detection).
    func finish(adding routes: MailRouteEvents) -> (AnalysisResult.Mail, MailRouteEvents) {
        condition.lock(); defer { condition.unlock() }
        precondition(ready.isEmpty, "mail chunks left uncorrelated")
        // Add, not assign: messages finished while streaming are in the aggregator's routes already.
        correlator.aggregator.routes.add(contentsOf: routes)
        let section = correlator.finishAll()
        return (section, correlator.aggregator.routes)
    }
}
