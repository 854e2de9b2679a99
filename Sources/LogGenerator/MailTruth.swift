import Foundation

/// What a correct analyser must report for a generated mail log: line accounting and the `mail`
/// section, in the analyser's JSON key names and sort orders (so a test can compare them directly).
public struct MailLogTruth: Codable, Equatable, Sendable {
    public struct Totals: Codable, Equatable, Sendable {
        public var lines = 0, records = 0, skipped = 0, malformed = 0
    }

    public struct SelfForward: Codable, Equatable, Sendable {
        public var recipient: String
        public var confidence: String
        public var messages: Int
    }

    public struct Sender: Codable, Equatable, Sendable {
        public var sender: String
        public var messages: Int, bytes: Int, recipients: Int
        public var daysActive: Int
        public var bounced: Int, deferred: Int, largeMessages: Int
        public var domains: [String]
        public var selfForwarding: [SelfForward]
        public var findings: [String]

        enum CodingKeys: String, CodingKey {
            case sender, messages, bytes, recipients, bounced, deferred, domains, findings
            case daysActive = "days_active", largeMessages = "large_messages", selfForwarding = "self_forwarding"
        }
    }

    public struct PersonalDomain: Codable, Equatable, Sendable {
        public var domain: String, service: String
        public var messages: Int, bytes: Int, senders: Int, recipients: Int, bounced: Int, deferred: Int
    }

    public struct AutoForward: Codable, Equatable, Sendable {
        public var mailbox: String, recipient: String, evidence: String
        public var messages: Int, bytes: Int
    }

    public struct Mail: Codable, Equatable, Sendable {
        public var messages = 0, recipients = 0, `internal` = 0, toPersonal = 0, bytesToPersonal = 0
        public var bounced = 0, deferred = 0, incomplete = 0, filterHandoffs = 0, largeToPersonal = 0, autoForwarded = 0
        public var senders: [Sender] = []
        public var personalDomains: [PersonalDomain] = []
        public var autoForwards: [AutoForward] = []

        enum CodingKeys: String, CodingKey {
            case messages, recipients, `internal`, bounced, deferred, incomplete, senders
            case toPersonal = "to_personal", bytesToPersonal = "bytes_to_personal", filterHandoffs = "filter_handoffs"
            case largeToPersonal = "large_to_personal", autoForwarded = "auto_forwarded", personalDomains = "personal_domains"
            case autoForwards = "auto_forwards"
        }
    }

    public var format: String
    public var organisationDomains: [String]
    public var year: Int
    public var largeMessageBytes: Int
    public var totals = Totals()
    public var mail = Mail()

    enum CodingKeys: String, CodingKey {
        case format, year, totals, mail
        case organisationDomains = "organisation_domains", largeMessageBytes = "large_message_bytes"
    }

    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(UInt8(ascii: "\n"))
        return data
    }
}

/// A recipient as the generator decided it, and a message's facts for the truth.
struct GeneratedRecipient {
    enum Kind { case staff(Int), partner, personal }
    enum Outcome { case sent, deferredThenSent, bounced, deferredForever }
    var address: [UInt8]
    var kind: Kind
    var outcome: Outcome
    /// The mailbox whose rule forwarded the message here, and how the log shows it.
    var forwardedFrom: [UInt8]?

    /// What the logs end up saying.
    var finalStatus: String {
        switch outcome {
        case .sent, .deferredThenSent: return "sent"
        case .bounced: return "bounced"
        case .deferredForever: return "deferred"
        }
    }
    var isPersonal: Bool { if case .personal = kind { return true }; return false }
    var isStaff: Bool { if case .staff = kind { return true }; return false }
}

struct GeneratedMessage {
    var id: Int
    /// Empty: the null sender (a bounce).
    var sender: [UInt8]
    var senderIsStaff: Bool
    var size: Int
    /// When the counted copy arrived (first arrival line of the message, or of its re-injected copy).
    var arrival: Int64 = 0
    var recipients: [GeneratedRecipient]
    var handoff = false
    var complete = true
    /// The sender's mailbox received mail at most two minutes before this message arrived.
    var followsInbound = false
    /// Exchange: final rows still to come (-1: never, a recipient is deferred for good).
    var pendingFinals = 0
}

/// Applies the README's attribution rules to the generated messages — written apart from the analyser,
/// from the rules as documented, so that a shared mistake is unlikely.
struct MailTruthAccumulator {
    struct SenderStats {
        var messages = 0, bytes = 0, bounced = 0, deferred = 0, large = 0
        var recipients = Set<[UInt8]>(), days = Set<Int64>(), domains = Set<String>()
    }
    struct PairStats { var messages = 0, bytes = 0, follows = 0 }
    struct DomainStats {
        var service: String
        var messages = 0, bytes = 0, bounced = 0, deferred = 0
        var senders = Set<[UInt8]>(), recipients = Set<[UInt8]>()
    }

    let population: MailPopulation
    let largeMessageBytes = 10_000_000
    var truth: MailLogTruth
    private var senders: [[UInt8]: SenderStats] = [:]
    private var pairs: [[UInt8]: [[UInt8]: PairStats]] = [:]
    private var domains: [String: DomainStats] = [:]
    private var forwards: [String: MailLogTruth.AutoForward] = [:]
    /// Self-addresses the population was given, with the confidence the matcher must report.
    private var selfAddresses: [[UInt8]: ([UInt8], String)] = [:]

    init(population: MailPopulation, format: MailLogFormat) {
        self.population = population
        truth = MailLogTruth(format: format.rawValue, organisationDomains: [MailGeneratorOptions.organisationDomain],
                             year: MailGeneratorOptions.year, largeMessageBytes: 10_000_000)
        for person in population.staff {
            if let own = person.privateAddress, let confidence = person.privateConfidence { selfAddresses[person.address] = (own, confidence) }
        }
    }

    mutating func line(_ category: LineCategory) {
        truth.totals.lines += 1
        switch category {
        case .record: truth.totals.records += 1
        case .skipped: truth.totals.skipped += 1
        case .malformed: truth.totals.malformed += 1
        }
    }

    mutating func handoffLeg() { truth.mail.filterHandoffs += 1 }

    mutating func finish(_ m: GeneratedMessage) {
        truth.mail.messages += 1
        if !m.complete { truth.mail.incomplete += 1 }
        let hasSender = !m.sender.isEmpty
        var allInternal = m.senderIsStaff && !m.recipients.isEmpty
        var deliveredPersonal = false, deliveredDirect = false, forwarded = false
        var domainsThisMessage = Set<String>()
        let day = Int64(floor(Double(m.arrival) / 86_400_000))
        for r in m.recipients {
            truth.mail.recipients += 1
            if !r.isStaff { allInternal = false }
            guard r.isPersonal, hasSender, let (domain, service) = population.personalDomain(of: r.address) else { continue }
            var d = domains[domain] ?? DomainStats(service: service)
            switch r.finalStatus {
            case "sent":
                deliveredPersonal = true
                if domainsThisMessage.insert(domain).inserted { d.messages += 1; d.bytes += m.size; d.senders.insert(m.sender) }
                d.recipients.insert(r.address)
            case "bounced": d.bounced += 1; truth.mail.bounced += 1
            default: d.deferred += 1; truth.mail.deferred += 1
            }
            domains[domain] = d
            if let mailbox = r.forwardedFrom {
                forwarded = true
                let key = String(decoding: mailbox + [0] + r.address, as: UTF8.self)
                var f = forwards[key] ?? MailLogTruth.AutoForward(mailbox: String(decoding: mailbox, as: UTF8.self),
                                                                  recipient: String(decoding: r.address, as: UTF8.self),
                                                                  evidence: "", messages: 0, bytes: 0)
                f.messages += 1
                f.bytes += m.size
                forwards[key] = f
                continue
            }
            guard m.senderIsStaff else { continue }
            var s = senders[m.sender] ?? SenderStats()
            s.recipients.insert(r.address)
            switch r.finalStatus {
            case "sent":
                deliveredDirect = true
                s.domains.insert(domain)
                var p = pairs[m.sender, default: [:]][r.address] ?? PairStats()
                p.messages += 1
                p.bytes += m.size
                if m.followsInbound { p.follows += 1 }
                pairs[m.sender, default: [:]][r.address] = p
            case "bounced": s.bounced += 1
            default: s.deferred += 1
            }
            senders[m.sender] = s
        }
        if allInternal { truth.mail.internal += 1 }
        guard hasSender else { return }
        if deliveredPersonal {
            truth.mail.toPersonal += 1
            truth.mail.bytesToPersonal += m.size
            if m.size > largeMessageBytes { truth.mail.largeToPersonal += 1 }
        }
        if forwarded { truth.mail.autoForwarded += 1 }
        if deliveredDirect {
            var s = senders[m.sender]!
            s.messages += 1
            s.bytes += m.size
            s.days.insert(day)
            if m.size > largeMessageBytes { s.large += 1 }
            senders[m.sender] = s
        }
    }

    /// The sorted truth, with the forwarding evidence name of the format.
    func finish(evidence: String) -> MailLogTruth {
        var t = truth
        var autoForwards = forwards.values.map { f -> MailLogTruth.AutoForward in var f = f; f.evidence = evidence; return f }
        var forwarders = Set(autoForwards.map(\.mailbox))
        for (sender, recipients) in pairs {
            for (recipient, p) in recipients where p.messages >= 5 && p.follows * 100 >= 80 * p.messages {
                let mailbox = String(decoding: sender, as: UTF8.self)
                forwarders.insert(mailbox)
                autoForwards.append(MailLogTruth.AutoForward(mailbox: mailbox, recipient: String(decoding: recipient, as: UTF8.self),
                                                             evidence: "forwarding-pattern", messages: p.messages, bytes: p.bytes))
            }
        }
        t.mail.autoForwards = autoForwards.sorted { ($1.messages, $0.mailbox, $0.recipient, $0.evidence) < ($0.messages, $1.mailbox, $1.recipient, $1.evidence) }
        for (sender, s) in senders where s.messages > 0 || s.bounced > 0 || s.deferred > 0 {
            let name = String(decoding: sender, as: UTF8.self)
            var selfForwarding: [MailLogTruth.SelfForward] = []
            if let (own, confidence) = selfAddresses[sender], s.recipients.contains(own) {
                selfForwarding.append(MailLogTruth.SelfForward(recipient: String(decoding: own, as: UTF8.self), confidence: confidence,
                                                               messages: pairs[sender]?[own]?.messages ?? 0))
            }
            var findings: [String] = []
            if forwarders.contains(name) { findings.append("auto-forwarding") }
            if s.bounced > 0 { findings.append("bounced") }
            if s.deferred > 0 { findings.append("deferred") }
            if s.large > 0 { findings.append("large-messages") }
            if !selfForwarding.isEmpty { findings.append("self-forwarding") }
            t.mail.senders.append(MailLogTruth.Sender(
                sender: name, messages: s.messages, bytes: s.bytes, recipients: s.recipients.count, daysActive: s.days.count,
                bounced: s.bounced, deferred: s.deferred, largeMessages: s.large, domains: s.domains.sorted(),
                selfForwarding: selfForwarding, findings: findings))
        }
        t.mail.senders.sort { ($1.messages, $1.bytes, $0.sender) < ($0.messages, $0.bytes, $1.sender) }
        t.mail.personalDomains = domains.map { domain, d in
            MailLogTruth.PersonalDomain(domain: domain, service: d.service, messages: d.messages, bytes: d.bytes, senders: d.senders.count,
                                        recipients: d.recipients.count, bounced: d.bounced, deferred: d.deferred)
        }.sorted { ($1.messages, $0.domain) < ($0.messages, $1.domain) }
        return t
    }
}

enum LineCategory { case record, skipped, malformed }
