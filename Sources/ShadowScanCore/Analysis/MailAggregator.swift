/// Tallies finished messages into the `mail` section: totals, per staff sender, per personal domain,
/// automatic forwarding. Runs on the sequential pass only (no locks); memory grows with distinct
/// senders and personal recipients, bounded by `MailOptions.maxAddresses`.
///
/// Attribution rules (README "Mail gateways"):
/// - a *personal* recipient has a domain among the catalogue's `mail_domains`;
/// - *staff* senders are in an organisation domain (or, without organisation domains, any non-personal
///   domain); null senders (`<>`: bounces) never count;
/// - a personal recipient the log shows as forwarded from a non-personal mailbox (Postfix `orig_to`,
///   Exim parent, Exchange `REDIRECT`/`RESOLVE`) is automatic forwarding by that mailbox, not a message
///   the sender chose to send there;
/// - a message counts for a sender when it was delivered to one of its (not forwarded) personal recipients.
struct MailAggregator {
    struct SenderStats {
        var messages: Int64 = 0, bytes: Int64 = 0, bounced: Int64 = 0, deferred: Int64 = 0, large: Int64 = 0
        var first: Int64 = .max, last: Int64 = .min
        var days = Set<Int64>()
        var domains = Set<Int32>()
        var recipients = Set<Int32>()
    }

    struct PairStats {
        var messages: Int64 = 0, bytes: Int64 = 0, followsInbound: Int64 = 0
        var first: Int64 = .max, last: Int64 = .min
    }

    struct DomainStats {
        var service: Int32
        var messages: Int64 = 0, bytes: Int64 = 0, bounced: Int64 = 0, deferred: Int64 = 0
        var senders = Set<UInt64>()
        var recipients = Set<Int32>()
    }

    struct ForwardKey: Hashable { var mailbox: Int32; var recipient: Int32; var evidence: MailEvent.Forward }

    let options: MailOptions
    let catalog: ServiceCatalog
    private var classifier: MailDomainClassifier
    private var addresses = ByteInterner(capacity: 4096, maxKeyLength: MailEventBuffer.maxValueLength)
    /// Per address id: when its mailbox last had mail delivered (forwarding-pattern detection).
    private var lastReceived: [Int64] = []

    private var totals = AnalysisResult.Mail()
    private var senders: [Int32: SenderStats] = [:]
    private var pairs: [Int64: PairStats] = [:]
    private var domains: [Int32: DomainStats] = [:]
    private var forwards: [ForwardKey: PairStats] = [:]
    var openMessageOverflow: Int64 = 0
    var recipientOverflow: Int64 = 0
    /// Messages staff sent to personal addresses, for workaround detection (MailRouteHook.swift).
    var routes = MailRouteEvents()
    /// Tests set this to [] to keep every finished message as it was put together.
    var finished: [FinishedMailMessage]?

    init(options: MailOptions, catalog: ServiceCatalog) {
        self.options = options
        self.catalog = catalog
        classifier = MailDomainClassifier(catalog: catalog, organisationDomains: options.organisationDomains)
    }

    // MARK: Helpers for the correlator

    /// Later outcomes win over earlier ones only when they are "more final": deferred < bounced < sent.
    @inline(__always)
    static func rank(_ status: MailEvent.Status) -> Int {
        switch status {
        case .none: return 0
        case .deferred: return 1
        case .bounced: return 2
        case .sent: return 3
        }
    }

    @inline(__always)
    mutating func classify(_ address: UnsafeRawBufferPointer) -> (Int32, Int32) {
        classifier.classify(address: address)
    }

    @inline(__always)
    mutating func intern(_ address: UnsafeRawBufferPointer) -> Int32 {
        guard address.count > 0 else { return -1 }
        let id = addresses.intern(address, limit: options.maxAddresses)
        if id < 0 { totals.addressOverflow += 1; return -1 }
        if Int(id) == lastReceived.count { lastReceived.append(.min) }
        return id
    }

    /// Staff: in an organisation domain, or (without any) outside the personal domains.
    @inline(__always)
    func isStaff(_ cls: Int32) -> Bool {
        classifier.hasOrganisationDomains ? cls == MailDomainClassifier.organisation : cls == MailDomainClassifier.other
    }

    /// Whether mail delivered to an address of this class can be what a staff member forwards on.
    @inline(__always)
    func canReceiveForwardedMail(_ cls: Int32) -> Bool { isStaff(cls) }

    mutating func noteReceived(_ address: Int32, at time: Int64) {
        if time > lastReceived[Int(address)] { lastReceived[Int(address)] = time }
    }

    mutating func followsInbound(sender: UnsafeRawBufferPointer, at time: Int64) -> Bool {
        guard sender.count > 0 else { return false }
        // Classify first: `isStaff(classify(…))` would copy the whole aggregator to call isStaff.
        let cls = classify(sender).0
        guard isStaff(cls) else { return false }
        let id = intern(sender)
        guard id >= 0 else { return false }
        let last = lastReceived[Int(id)]
        return last != .min && time >= last && time - last <= options.patternWindowSeconds * 1000
    }

    // MARK: Finished messages

    mutating func record(_ m: OpenMessage, complete: Bool) {
        guard m.ownEvents else { return }
        if finished != nil { finished!.append(FinishedMailMessage(m, complete: complete, names: addresses)) }
        if m.probe && m.recipients.isEmpty { return }
        if m.handoffs > 0 && m.recipients.isEmpty { totals.filterHandoffs += 1; return }
        totals.messages += 1
        if !complete { totals.incomplete += 1 }
        let size = max(0, m.size)
        let time = m.arrivalTime != .min ? m.arrivalTime : m.firstTime

        var senderClass = MailDomainClassifier.local
        var senderID: Int32 = -1
        var senderHash: UInt64 = 0
        let hasSender = m.hasSender && !m.sender.isEmpty
        if hasSender {
            m.sender.withUnsafeBytes { bytes in
                senderClass = classify(bytes).0
                senderHash = FNV1a.hash(bytes)
                if isStaff(senderClass) { senderID = intern(bytes) }
            }
        }
        var allInternal = classifier.hasOrganisationDomains && senderClass == MailDomainClassifier.organisation
        var personalDelivered = false, directDelivered = false, forwardedMessage = false
        var messageDomains: [Int32] = []
        for r in m.recipients {
            var status = r.status
            if m.expired && status == .deferred { status = .bounced }
            guard status != .none else { continue }
            totals.recipients += 1
            if r.cls != MailDomainClassifier.organisation && r.cls != MailDomainClassifier.local { allInternal = false }
            guard r.cls >= 0, hasSender else { continue }
            // Personal recipient.
            let forwarded = r.forward != .none && r.original >= 0 && r.original != r.address && r.originalClass < 0
            if r.domain >= 0 {
                // Mutated in place (a copy out and back would retain its sets every time).
                let firstForDomain = !messageDomains.contains(r.domain)
                if firstForDomain && status == .sent { messageDomains.append(r.domain) }
                Self.update(&domains[r.domain, default: DomainStats(service: r.cls)]) { d in
                switch status {
                case .sent:
                    if firstForDomain {
                        d.messages += 1
                        d.bytes += size
                        d.senders.insert(senderHash)
                    }
                    if r.address >= 0 { d.recipients.insert(r.address) }
                case .bounced: d.bounced += 1
                case .deferred: d.deferred += 1
                case .none: break
                }
                }
            }
            if status == .sent { personalDelivered = true }
            if status == .bounced { totals.bounced += 1 }
            if status == .deferred { totals.deferred += 1 }
            if forwarded {
                forwardedMessage = true
                if r.address >= 0 {
                    let key = ForwardKey(mailbox: r.original, recipient: r.address, evidence: r.forward)
                    var f = forwards[key] ?? PairStats()
                    f.messages += 1
                    f.bytes += size
                    f.first = min(f.first, time); f.last = max(f.last, time)
                    forwards[key] = f
                }
                continue
            }
            guard senderID >= 0 else { continue }
            if status == .sent {
                directDelivered = true
                if r.address >= 0 {
                    let key = Int64(senderID) << 32 | Int64(r.address)
                    let follows: Int64 = m.followsInbound ? 1 : 0
                    Self.update(&pairs[key, default: PairStats()]) { p in
                        p.messages += 1
                        p.bytes += size
                        p.followsInbound += follows
                        p.first = min(p.first, time); p.last = max(p.last, time)
                    }
                }
            }
            Self.update(&senders[senderID, default: SenderStats()]) { s in
                if r.address >= 0 { s.recipients.insert(r.address) }
                switch status {
                case .sent: s.domains.insert(r.domain)
                case .bounced: s.bounced += 1
                case .deferred: s.deferred += 1
                case .none: break
                }
            }
        }
        if allInternal && !m.recipients.isEmpty { totals.internalMessages += 1 }
        guard hasSender else { return }
        if personalDelivered {
            totals.toPersonal += 1
            totals.bytesToPersonal += size
            if size > options.largeMessageBytes { totals.largeToPersonal += 1 }
        }
        if forwardedMessage { totals.autoForwarded += 1 }
        if directDelivered {
            let firstService = m.recipients.first { $0.cls >= 0 && $0.status == .sent }.map { catalog.services[Int($0.cls)].id }
            routes.add(identity: MailRouteEvents.identity(forSender: String(decoding: m.sender, as: UTF8.self),
                                                          organisationDomains: options.organisationDomains),
                       timeMillis: time, attachmentBytes: size, recipientService: firstService)
            let day = floorDay(time), large = size > options.largeMessageBytes
            Self.update(&senders[senderID, default: SenderStats()]) { s in
                s.messages += 1
                s.bytes += size
                s.days.insert(day)
                s.first = min(s.first, time); s.last = max(s.last, time)
                if large { s.large += 1 }
            }
        }
    }

    @inline(__always)
    static func update<T>(_ value: inout T, _ body: (inout T) -> Void) { body(&value) }

    private func floorDay(_ millis: Int64) -> Int64 { millis >= 0 ? millis / 86_400_000 : (millis - 86_399_999) / 86_400_000 }

    // MARK: The frozen section

    func result() -> AnalysisResult.Mail {
        var mail = totals
        mail.openMessageOverflow = openMessageOverflow
        mail.recipientOverflow = recipientOverflow
        mail.largeMessageBytes = options.largeMessageBytes
        mail.flushAfterSeconds = options.flushAfterSeconds
        mail.forwardWindowSeconds = options.patternWindowSeconds
        mail.forwardMinimumMessages = options.patternMinimumMessages
        mail.forwardSharePercent = options.patternSharePercent
        mail.organisationDomains = options.organisationDomains.map { $0.lowercased() }.sorted()
        func name(_ id: Int32) -> String { String(decoding: addresses.bytes(of: id), as: UTF8.self) }

        var autoForwards: [AnalysisResult.AutoForward] = forwards.map { key, f in
            AnalysisResult.AutoForward(mailbox: name(key.mailbox), recipient: name(key.recipient), evidence: Self.evidenceName(key.evidence),
                                       messages: f.messages, bytes: f.bytes, firstSeenMillis: f.first, lastSeenMillis: f.last)
        }
        var forwarders = Set(autoForwards.map(\.mailbox))
        for (key, p) in pairs where p.messages >= options.patternMinimumMessages
            && p.followsInbound * 100 >= options.patternSharePercent * p.messages {
            let mailbox = name(Int32(truncatingIfNeeded: key >> 32))
            forwarders.insert(mailbox)
            autoForwards.append(AnalysisResult.AutoForward(
                mailbox: mailbox, recipient: name(Int32(truncatingIfNeeded: key & 0xFFFF_FFFF)), evidence: "forwarding-pattern",
                messages: p.messages, bytes: p.bytes, firstSeenMillis: p.first, lastSeenMillis: p.last))
        }
        autoForwards.sort { ($1.messages, $0.mailbox, $0.recipient, $0.evidence) < ($0.messages, $1.mailbox, $1.recipient, $1.evidence) }
        mail.autoForwards = autoForwards

        for (id, s) in senders where s.messages > 0 || s.bounced > 0 || s.deferred > 0 {
            let sender = name(id)
            var selfForwarding: [AnalysisResult.SelfForward] = []
            for r in s.recipients {
                let recipient = name(r)
                guard let match = SelfForwardMatcher.match(sender: sender, recipient: recipient) else { continue }
                let p = pairs[Int64(id) << 32 | Int64(r)] ?? PairStats()
                selfForwarding.append(AnalysisResult.SelfForward(recipient: recipient, confidence: match.confidence, reason: match.reason,
                                                                 messages: p.messages, bytes: p.bytes))
            }
            selfForwarding.sort { ($1.messages, $0.recipient) < ($0.messages, $1.recipient) }
            var findings: [String] = []
            if forwarders.contains(sender) { findings.append("auto-forwarding") }
            if s.bounced > 0 { findings.append("bounced") }
            if s.deferred > 0 { findings.append("deferred") }
            if s.large > 0 { findings.append("large-messages") }
            if !selfForwarding.isEmpty { findings.append("self-forwarding") }
            mail.senders.append(AnalysisResult.MailSender(
                sender: sender, messages: s.messages, bytes: s.bytes, recipients: Int64(s.recipients.count), daysActive: Int64(s.days.count),
                bounced: s.bounced, deferred: s.deferred, largeMessages: s.large,
                firstSeenMillis: s.messages > 0 ? s.first : 0, lastSeenMillis: s.messages > 0 ? s.last : 0,
                domains: s.domains.filter { $0 >= 0 }.map(classifier.domainName).sorted(),
                selfForwarding: selfForwarding, findings: findings))
        }
        mail.senders.sort { ($1.messages, $1.bytes, $0.sender) < ($0.messages, $0.bytes, $1.sender) }

        for (id, d) in domains {
            mail.personalDomains.append(AnalysisResult.PersonalDomain(
                domain: classifier.domainName(id), service: catalog.services[Int(d.service)].id, messages: d.messages, bytes: d.bytes,
                senders: Int64(d.senders.count), recipients: Int64(d.recipients.count), bounced: d.bounced, deferred: d.deferred))
        }
        mail.personalDomains.sort { ($1.messages, $0.domain) < ($0.messages, $1.domain) }
        return mail
    }

    static func evidenceName(_ f: MailEvent.Forward) -> String {
        switch f {
        case .origTo: return "orig_to"
        case .eximParent: return "exim-parent"
        case .exchangeRedirect: return "exchange-redirect"
        case .exchangeResolve: return "exchange-resolve"
        case .none: return "none"
        }
    }
}

/// A message as the correlator put it together (for tests and debugging).
struct FinishedMailMessage: Equatable, CustomStringConvertible {
    struct Recipient: Equatable {
        var address: String?
        var status: MailEvent.Status
        var forwardedFrom: String?
    }
    var key: String
    var sender: String?
    var size: Int64
    var complete: Bool
    var handoffs: Int
    var recipients: [Recipient]

    init(_ m: OpenMessage, complete: Bool, names: ByteInterner) {
        func name(_ id: Int32) -> String? { id >= 0 ? String(decoding: names.bytes(of: id), as: UTF8.self) : nil }
        key = String(decoding: m.key, as: UTF8.self)
        sender = m.hasSender ? String(decoding: m.sender, as: UTF8.self) : nil
        size = m.size
        self.complete = complete
        handoffs = m.handoffs
        recipients = m.recipients.map { Recipient(address: name($0.address), status: $0.status, forwardedFrom: $0.forward == .none ? nil : name($0.original)) }
    }

    init(key: String, sender: String?, size: Int64, complete: Bool, handoffs: Int = 0, recipients: [Recipient]) {
        self.key = key; self.sender = sender; self.size = size; self.complete = complete; self.handoffs = handoffs; self.recipients = recipients
    }

    var description: String {
        "\(key) from \(sender ?? "-") size \(size) \(complete ? "complete" : "incomplete") handoffs \(handoffs): "
            + recipients.map { "\($0.address ?? "?") \($0.status)\($0.forwardedFrom.map { " via \($0)" } ?? "")" }.joined(separator: ", ")
    }
}
