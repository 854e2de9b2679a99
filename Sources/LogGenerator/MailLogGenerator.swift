import Foundation

/// Generates a realistic mail-gateway log (Postfix, Exim or Exchange message tracking) and the exact
/// truth a correct analyser must report for it: staff mailing each other, partners and citizens; some
/// sending work mail to their own private mailboxes or to friends', some forwarding automatically (a
/// server rule: Postfix `orig_to`, Exim's parent address, Exchange `REDIRECT`; or a client rule that
/// re-sends incoming mail), deferrals, bounces, content-filter hand-offs, noise and malformed lines.
///
/// ```swift
/// let generator = MailLogGenerator(catalogue: catalogue, options: MailGeneratorOptions(seed: 7, format: .exim, limit: .lines(20_000)))
/// let truth = try generator.write(toFile: "/tmp/mainlog")
/// ```
public struct MailLogGenerator: Sendable {
    public let catalogue: GeneratorCatalogue
    public let options: MailGeneratorOptions

    public init(catalogue: GeneratorCatalogue, options: MailGeneratorOptions) throws {
        guard options.users >= 1 else { throw GeneratorError.invalidOption("users must be at least 1") }
        guard (0...0.5).contains(options.malformedRate) else { throw GeneratorError.invalidOption("malformed rate must be between 0 and 0.5") }
        self.catalogue = catalogue
        self.options = options
    }

    public func generate() -> (log: [UInt8], truth: MailLogTruth) {
        var log: [UInt8] = []
        let truth = run(flushAt: .max) { log.append(contentsOf: $0) }
        return (log, truth)
    }

    public func write(toFile path: String) throws -> MailLogTruth {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw GeneratorError.cannotWrite(path)
        }
        defer { try? handle.close() }
        return try write(to: handle)
    }

    public func write(to handle: FileHandle) throws -> MailLogTruth {
        var failure: Error?
        let truth = run(flushAt: 8 << 20) { buffer in
            guard failure == nil else { return }
            do { try handle.write(contentsOf: Data(buffer)) } catch { failure = error }
        }
        if let failure { throw failure }
        return truth
    }

    private func run(flushAt threshold: Int, flush: ([UInt8]) -> Void) -> MailLogTruth {
        var rng = SeededRandom(seed: options.seed)
        var populationRandom = rng.fork()
        let population = MailPopulation(catalogue: catalogue, userCount: options.users, rng: &populationRandom)
        var traffic = MailTraffic(population: population, options: options, rng: rng.fork())
        var malformedRandom = rng.fork()
        var writer = MailLineWriter(format: options.format, timestamp: options.syslogTimestamp)
        var truth = MailTruthAccumulator(population: population, format: options.format)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(threshold == .max ? 1 << 20 : threshold + (1 << 20))
        var written = 0

        func emit(_ line: MailTraffic.Line) {
            if malformedRandom.chance(options.malformedRate) {
                writer.appendMalformed(to: &buffer, rng: &malformedRandom, time: line.time)
                truth.line(.malformed)
            }
            let (records, skipped) = writer.append(line, traffic: traffic, to: &buffer)
            for _ in 0..<records { truth.line(.record) }
            for _ in 0..<skipped { truth.line(.skipped) }
            traffic.observe(line)
            for m in traffic.takeFinished() { truth.finish(m) }
            if buffer.count >= threshold {
                flush(buffer)
                written += buffer.count
                buffer.removeAll(keepingCapacity: true)
            }
        }

        for header in writer.fileHeader() { buffer.append(contentsOf: header); truth.line(.skipped) }
        while true {
            let reached: Bool
            switch options.limit {
            case .lines(let n): reached = truth.truth.totals.lines >= n
            case .bytes(let n): reached = written + buffer.count >= n
            }
            if reached { break }
            traffic.nextMessage()
            while let line = traffic.popDue() { emit(line) }
            if options.format == .exchange, truth.truth.totals.lines % 50_000 < 3, truth.truth.totals.lines > 1000 {
                // Daily logs concatenated: the header again, mid-file.
                for header in writer.fileHeader() { buffer.append(contentsOf: header); truth.line(.skipped) }
            }
        }
        // Messages under way are finished; deferrals that would go on retrying stay unfinished.
        traffic.stopRetrying()
        while let line = traffic.popAny() { emit(line) }
        if !buffer.isEmpty { flush(buffer) }

        for m in traffic.takeFinished() { truth.finish(m) }
        for _ in 0..<traffic.handoffLegs { truth.handoffLeg() }
        for m in traffic.openMessages { var m = m; m.complete = options.format == .exchange; truth.finish(m) }
        let evidence: String
        switch options.format {
        case .postfix: evidence = "orig_to"
        case .exim: evidence = "exim-parent"
        case .exchange: evidence = "exchange-redirect"
        }
        return truth.finish(evidence: evidence)
    }
}

/// Decides messages and when each of their lines is logged; lines come out in time order.
struct MailTraffic {
    enum Action {
        case noise(Int)
        /// Postfix smtpd `client=` and cleanup `message-id=` of a queue id (leg 0, or the re-injected leg 1).
        case submit(leg: Int)
        case arrival(leg: Int, retry: Bool)
        /// The content-filter leg's delivery of recipient `r` (Postfix only).
        case handoff(r: Int)
        case delivery(r: Int, status: String, final: Bool)
        /// Exchange: recipient `r` is the target of its mailbox's forwarding rule.
        case redirect(r: Int)
        case end(leg: Int)
    }

    struct Line {
        var time: Int64
        var seq: Int
        var message: Int
        var action: Action
    }

    let population: MailPopulation
    let options: MailGeneratorOptions
    var rng: SeededRandom
    var clock: Int64
    private var heap: [Line] = []
    private var seq = 0
    private var nextID = 0
    private(set) var messages: [Int: GeneratedMessage] = [:]
    private(set) var finished: [GeneratedMessage] = []
    private(set) var handoffLegs = 0
    private var retrying = true
    /// When each staff mailbox last had mail delivered, and pattern forwarders' pending re-sends.
    private var lastReceived: [[UInt8]: Int64] = [:]

    init(population: MailPopulation, options: MailGeneratorOptions, rng: SeededRandom) {
        self.population = population
        self.options = options
        self.rng = rng
        let day = 2 + self.rng.below(19)
        clock = CivilTime.epochSeconds(year: MailGeneratorOptions.year, month: 11, day: day, hour: 7, minute: self.rng.below(60)) * 1000
    }

    var openMessages: [GeneratedMessage] { messages.keys.sorted().map { messages[$0]! } }

    /// Second precision where the format logs seconds only.
    private func quantize(_ t: Int64) -> Int64 {
        switch options.format {
        case .postfix where options.syslogTimestamp == .rfc3164, .exim: return t / 1000 * 1000
        default: return t
        }
    }

    private mutating func schedule(_ message: Int, _ time: Int64, _ action: Action) {
        push(Line(time: quantize(time), seq: seq, message: message, action: action))
        seq += 1
    }

    // MARK: Messages

    mutating func nextMessage() {
        clock += Int64(rng.exponential(mean: 420)) + 1
        let roll = rng.unit()
        if rng.chance(0.25) { schedule(-1, clock, .noise(rng.below(1_000_000))) }
        let staff = population.staff
        var sender: [UInt8]
        var senderIsStaff = true
        var recipients: [GeneratedRecipient] = []
        var size = Int(exp(9.3 + 1.1 * gaussian()))
        if rng.chance(0.03) { size += Int(rng.pareto(minimum: 200_000, alpha: 1.1)) }
        size = min(max(size, 600), 45_000_000)

        if roll < 0.30 {
            // A partner writes to one or two staff (a forwarding rule may copy it to a personal mailbox).
            sender = rng.pick(population.partners)
            senderIsStaff = false
            for _ in 0..<rng.int(1...2) { addStaffRecipient(&recipients) }
        } else if roll < 0.36 {
            // A citizen writes in from a personal address.
            sender = rng.pick(population.citizens)
            senderIsStaff = false
            addStaffRecipient(&recipients)
        } else if roll < 0.61 {
            sender = staff[4 + population.staffPicker.pick(&rng) % (staff.count - 4)].address
            for _ in 0..<rng.int(1...3) { addStaffRecipient(&recipients) }
        } else if roll < 0.83 {
            sender = staff[4 + population.staffPicker.pick(&rng) % (staff.count - 4)].address
            for _ in 0..<rng.int(1...2) {
                recipients.append(GeneratedRecipient(address: rng.pick(population.partners), kind: .partner, outcome: partnerOutcome()))
            }
            if rng.chance(0.3) { addStaffRecipient(&recipients) }
        } else if roll < 0.88 {
            // The council's notifications to citizens' personal addresses.
            sender = staff[rng.pick(population.notifiers)].address
            recipients.append(GeneratedRecipient(address: rng.pick(population.citizens), kind: .personal, outcome: personalOutcome()))
        } else if roll < 0.96, !population.leakers.isEmpty {
            // Work mail to a personal mailbox: the sender's own, or a friend's.
            let person = staff[rng.pick(population.leakers)]
            sender = person.address
            let target = person.privateAddress.flatMap { rng.chance(0.75) ? $0 : nil } ?? rng.pick(person.friends)
            recipients.append(GeneratedRecipient(address: target, kind: .personal, outcome: personalOutcome()))
            if rng.chance(0.2) { addStaffRecipient(&recipients) }
            if rng.chance(0.12) { size = rng.int(10_500_000...38_000_000) }
        } else if roll < 0.98 {
            // A bounce (null sender) to a member of staff.
            sender = []
            senderIsStaff = false
            addStaffRecipient(&recipients)
        } else {
            sender = staff[4 + population.staffPicker.pick(&rng) % (staff.count - 4)].address
            addStaffRecipient(&recipients)
        }
        // Distinct recipients only (an address listed twice is one recipient).
        var seen = Set<[UInt8]>()
        recipients = recipients.filter { seen.insert($0.address).inserted }
        // Server-side forwarding rules copy mail for their mailbox to a personal address.
        for r in recipients {
            guard case .staff(let s) = r.kind, let target = staff[s].forwardTarget, !seen.contains(target) else { continue }
            seen.insert(target)
            recipients.append(GeneratedRecipient(address: target, kind: .personal, outcome: personalOutcome(), forwardedFrom: r.address))
        }
        startMessage(sender: sender, senderIsStaff: senderIsStaff, recipients: recipients, size: size, at: clock)
    }

    private mutating func addStaffRecipient(_ recipients: inout [GeneratedRecipient]) {
        let s = 4 + population.staffPicker.pick(&rng) % (population.staff.count - 4)
        recipients.append(GeneratedRecipient(address: population.staff[s].address, kind: .staff(s), outcome: .sent))
    }

    private mutating func personalOutcome() -> GeneratedRecipient.Outcome {
        let roll = rng.unit()
        if roll < 0.86 { return .sent }
        if roll < 0.91 { return .deferredThenSent }
        if roll < 0.96 { return .bounced }
        return .deferredForever
    }

    private mutating func partnerOutcome() -> GeneratedRecipient.Outcome {
        let roll = rng.unit()
        return roll < 0.97 ? .sent : (roll < 0.985 ? .bounced : .deferredThenSent)
    }

    private mutating func gaussian() -> Double {
        let u = max(rng.unit(), 1e-12), v = rng.unit()
        return sqrt(-2 * log(u)) * cos(2 * .pi * v)
    }

    /// Schedules every line of a new message.
    private mutating func startMessage(sender: [UInt8], senderIsStaff: Bool, recipients: [GeneratedRecipient], size: Int, at t0: Int64) {
        let id = nextID
        nextID += 1
        var m = GeneratedMessage(id: id, sender: sender, senderIsStaff: senderIsStaff, size: size, recipients: recipients)
        m.handoff = options.format == .postfix && rng.chance(0.3)
        // Recipients deferred for good never get a final line: their message stays open.
        m.pendingFinals = recipients.contains { $0.outcome == .deferredForever } ? -1 : recipients.count
        messages[id] = m
        var t = t0
        if options.format == .postfix { schedule(id, t, .submit(leg: 0)) }
        t += 40
        schedule(id, t, .arrival(leg: 0, retry: false))
        if m.handoff {
            // The content filter takes it and re-injects it under a new queue id.
            t += Int64(rng.int(300...2500))
            schedule(id, t, .submit(leg: 1))
            t += 5
            schedule(id, t, .arrival(leg: 1, retry: false))
            t += 20
            for r in recipients.indices { schedule(id, t, .handoff(r: r)) }
            t += 2
            schedule(id, t, .end(leg: 0))
        }
        var lastFinal = t
        for (r, recipient) in recipients.enumerated() {
            var tr = t + Int64(rng.int(50...1500))
            if options.format == .exchange && recipient.forwardedFrom != nil { schedule(id, tr - 20, .redirect(r: r)) }
            switch recipient.outcome {
            case .sent:
                schedule(id, tr, .delivery(r: r, status: "sent", final: true))
            case .bounced:
                schedule(id, tr, .delivery(r: r, status: "bounced", final: true))
            case .deferredThenSent:
                schedule(id, tr, .delivery(r: r, status: "deferred", final: false))
                tr += Int64(rng.int(600_000...1_500_000))
                if options.format == .postfix { schedule(id, tr - 30, .arrival(leg: m.handoff ? 1 : 0, retry: true)) }
                schedule(id, tr, .delivery(r: r, status: "sent", final: true))
            case .deferredForever:
                schedule(id, tr, .delivery(r: r, status: "deferred", final: false))
                lastFinal = .max
                continue
            }
            lastFinal = max(lastFinal, tr)
        }
        if lastFinal != .max && options.format != .exchange {
            schedule(id, lastFinal + 3, .end(leg: m.handoff ? 1 : 0))
        }
        // A client rule: staff who forward everything re-send what they just received.
        for recipient in recipients {
            guard case .staff(let s) = recipient.kind, population.staff[s].patternForwarder,
                  recipient.outcome == .sent, let own = population.staff[s].privateAddress else { continue }
            pendingResends.append((t + Int64(rng.int(10_000...80_000)), s, own))
        }
    }

    private var pendingResends: [(Int64, Int, [UInt8])] = []

    // MARK: Emission order

    /// Lines due before the next message starts; also starts the pattern forwarders' re-sends that are due.
    mutating func popDue() -> Line? {
        if let i = pendingResends.firstIndex(where: { $0.0 <= clock }) {
            let (t, s, own) = pendingResends.remove(at: i)
            let person = population.staff[s]
            startMessage(sender: person.address, senderIsStaff: true,
                         recipients: [GeneratedRecipient(address: own, kind: .personal, outcome: .sent)],
                         size: rng.int(3_000...400_000), at: t)
        }
        guard let top = heap.first, top.time <= clock else { return nil }
        return pop()
    }

    /// Draining at the end: the re-sends still due start first (never before what was written).
    mutating func popAny() -> Line? {
        while !pendingResends.isEmpty {
            let (t, s, own) = pendingResends.removeFirst()
            startMessage(sender: population.staff[s].address, senderIsStaff: true,
                         recipients: [GeneratedRecipient(address: own, kind: .personal, outcome: .sent)], size: 5_000, at: max(t, clock))
        }
        return heap.isEmpty ? nil : pop()
    }

    mutating func stopRetrying() { retrying = false }

    /// Messages whose last line was written since the last call.
    mutating func takeFinished() -> [GeneratedMessage] {
        defer { finished.removeAll(keepingCapacity: true) }
        return finished
    }

    /// After a line is written: message bookkeeping, and the facts the truth needs in log order.
    mutating func observe(_ line: Line) {
        guard line.message >= 0, var m = messages[line.message] else { return }
        switch line.action {
        case .arrival(let leg, let retry):
            let counted = m.handoff ? leg == 1 : leg == 0
            if counted && !retry {
                m.arrival = line.time
                if m.senderIsStaff, let last = lastReceived[m.sender], line.time >= last, line.time - last <= 120_000 { m.followsInbound = true }
            }
        case .delivery(let r, let status, let final):
            let recipient = m.recipients[r]
            if status == "sent", recipient.isStaff { lastReceived[recipient.address] = max(lastReceived[recipient.address] ?? .min, line.time) }
            if !final && recipient.outcome == .deferredForever && retrying {
                // Keep retrying every 50 minutes until the log ends (Postfix logs the queue manager again).
                let next = line.time + 3_000_000
                if options.format == .postfix { schedule(m.id, next - 30, .arrival(leg: m.handoff ? 1 : 0, retry: true)) }
                schedule(m.id, next, .delivery(r: r, status: "deferred", final: false))
            }
        case .end(let leg):
            if leg == 0 && m.handoff { handoffLegs += 1 }
            let last = m.handoff ? leg == 1 : leg == 0
            if last {
                messages[line.message] = nil
                finished.append(m)
                return
            }
        default: break
        }
        messages[line.message] = m
        // Exchange has no end line: a message is done once every recipient has had its final row.
        if options.format == .exchange, case .delivery(_, _, true) = line.action {
            m.pendingFinals -= 1
            messages[line.message] = m
            if m.pendingFinals == 0 {
                messages[line.message] = nil
                finished.append(m)
            }
        }
    }

    // MARK: Heap

    private mutating func push(_ line: Line) {
        heap.append(line)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            if Self.before(heap[i], heap[parent]) { heap.swapAt(i, parent); i = parent } else { break }
        }
    }

    private mutating func pop() -> Line {
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var smallest = i
                if l < heap.count && Self.before(heap[l], heap[smallest]) { smallest = l }
                if r < heap.count && Self.before(heap[r], heap[smallest]) { smallest = r }
                if smallest == i { break }
                heap.swapAt(i, smallest)
                i = smallest
            }
        }
        return top
    }

    private static func before(_ a: Line, _ b: Line) -> Bool { (a.time, a.seq) < (b.time, b.seq) }
}
