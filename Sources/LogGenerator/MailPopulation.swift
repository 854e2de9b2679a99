/// The mail formats the generator writes.
public enum MailLogFormat: String, CaseIterable, Sendable {
    case postfix, exim, exchange
}

/// How Postfix's syslog lines are stamped.
public enum SyslogTimestamp: String, CaseIterable, Sendable {
    /// `Nov 14 09:00:01` (no year: analyse with `--mail-year 2026`).
    case rfc3164
    /// `2026-11-14T10:00:01.123456+01:00`.
    case rfc3339
}

/// Everything that determines a mail log. Same options + same catalogue → byte-identical log and truth.
public struct MailGeneratorOptions: Sendable {
    public var seed: UInt64
    public var format: MailLogFormat
    /// With `.lines(n)` the log has at least n lines: messages under way are finished after it.
    public var limit: GenerationLimit
    /// Staff mailboxes.
    public var users: Int
    public var malformedRate: Double
    public var syslogTimestamp: SyslogTimestamp

    /// The organisation's domain: pass `--org-domain council.gov.uk` when analysing.
    public static let organisationDomain = "council.gov.uk"
    /// Year of the log (RFC 3164 lines carry none: pass `--mail-year 2026`).
    public static let year = 2026

    public init(seed: UInt64 = 42, format: MailLogFormat = .postfix, limit: GenerationLimit = .lines(10_000), users: Int = 800,
                malformedRate: Double = 0.01, syslogTimestamp: SyslogTimestamp = .rfc3164) {
        self.seed = seed
        self.format = format
        self.limit = limit
        self.users = users
        self.malformedRate = malformedRate
        self.syslogTimestamp = syslogTimestamp
    }
}

/// One mailbox of the organisation and what its owner does with mail.
struct MailStaff {
    enum Style { case firstDotLast, initialDotLast, initialLast, role }

    var address: [UInt8]
    var style: Style
    /// The person's own private address, if they have one the name matcher can recognise, and the
    /// confidence it must report for it.
    var privateAddress: [UInt8]?
    var privateConfidence: String?
    /// Personal addresses of other people this person writes to.
    var friends: [[UInt8]] = []
    /// Sends work mail to personal addresses (their own private one when they have it).
    var leaker = false
    /// A server-side forwarding rule copies incoming mail to `forwardTarget`.
    var forwardTarget: [UInt8]?
    /// A client rule re-sends every incoming message to `privateAddress` shortly after it arrives.
    var patternForwarder = false
}

/// Who exists: staff, business partners, citizens with personal addresses, and the personal domains.
struct MailPopulation {
    var staff: [MailStaff] = []
    var staffIndex: [[UInt8]: Int] = [:]
    /// Role mailboxes that write to citizens (`noreply@`, `planning@`).
    var notifiers: [Int] = []
    var leakers: [Int] = []
    var patternForwarders: [Int] = []
    var partners: [[UInt8]] = []
    var partnerDomains: [String] = []
    var citizens: [[UInt8]] = []
    /// (domain, catalogue service id), most popular first.
    var personalDomains: [(String, String)] = []
    var personalDomainPicker: WeightedPicker
    var staffPicker: WeightedPicker

    static let popular = ["gmail.com", "outlook.com", "hotmail.com", "yahoo.co.uk", "icloud.com", "btinternet.com", "gmx.de",
                          "web.de", "yahoo.com", "hotmail.co.uk", "live.co.uk", "sky.com", "virginmedia.com", "orange.fr",
                          "free.fr", "libero.it", "t-online.de", "aol.com", "protonmail.com", "googlemail.com"]

    init(catalogue: GeneratorCatalogue, userCount: Int, rng: inout SeededRandom) {
        var owner: [String: String] = [:]
        var order: [String] = []
        for service in catalogue.services {
            for domain in service.mailDomains where owner[domain] == nil {
                owner[domain] = service.id
                order.append(domain)
            }
        }
        let first = Self.popular.filter { owner[$0] != nil }
        let rest = order.filter { !first.contains($0) }
        personalDomains = (first + rest).map { ($0, owner[$0]!) }
        if personalDomains.isEmpty { personalDomains = [("gmail.com", "gmail")] }
        personalDomainPicker = .zipf(count: personalDomains.count, exponent: 1.1)

        // Business partners: synthetic company domains (never a personal domain).
        var domains = Set<String>()
        while partnerDomains.count < 120 {
            let domain = rng.pick(Words.companyWords) + "-" + rng.pick(Words.businessWords) + "." + rng.pick(["com", "co.uk", "net", "org", "de", "eu"])
            if owner[domain] == nil && domains.insert(domain).inserted { partnerDomains.append(domain) }
        }
        for _ in 0..<600 {
            partners.append(Array("\(rng.pick(Words.firstNames)).\(rng.pick(Words.surnames))@\(rng.pick(partnerDomains))".utf8))
        }
        staffPicker = .zipf(count: max(userCount, 1), exponent: 0.6)

        // Staff.
        let org = MailGeneratorOptions.organisationDomain
        var taken = Set<String>()
        for role in ["noreply", "planning", "helpdesk", "info"] {
            taken.insert(role)
            staff.append(MailStaff(address: Array("\(role)@\(org)".utf8), style: .role))
        }
        notifiers = [0, 1]
        while staff.count < userCount + 4 {
            let firstName = rng.pick(Words.firstNames), last = rng.pick(Words.surnames)
            let style: MailStaff.Style
            var local: String
            switch rng.below(4) {
            case 0, 1: style = .firstDotLast; local = "\(firstName).\(last)"
            case 2: style = .initialDotLast; local = "\(firstName.prefix(1)).\(last)"
            default: style = .initialLast; local = "\(firstName.prefix(1))\(last)"
            }
            var candidate = local
            var n = 2
            while taken.contains(candidate) { candidate = local + String(n); n += 1 }
            taken.insert(candidate)
            var person = MailStaff(address: Array("\(candidate)@\(org)".utf8), style: style)
            (person.privateAddress, person.privateConfidence) = Self.privateAddress(first: firstName, last: last, style: style,
                                                                                    rng: &rng, domains: personalDomains, picker: personalDomainPicker)
            for _ in 0..<2 { person.friends.append(Self.friendAddress(notFirst: firstName, notLast: last, rng: &rng, population: personalDomains, picker: personalDomainPicker)) }
            staff.append(person)
        }
        for i in staff.indices { staffIndex[staff[i].address] = i }

        // Behaviour: a few leak work mail to personal mailboxes, fewer forward automatically.
        for i in 4..<staff.count {
            let roll = rng.unit()
            if roll < 0.06 {
                staff[i].leaker = true
                leakers.append(i)
            } else if roll < 0.075 {
                staff[i].forwardTarget = staff[i].privateAddress ?? staff[i].friends[0]
            } else if roll < 0.085, staff[i].privateAddress != nil {
                staff[i].patternForwarder = true
                patternForwarders.append(i)
            }
        }
        for _ in 0..<800 {
            citizens.append(Self.friendAddress(notFirst: "", notLast: "", rng: &rng, population: personalDomains, picker: personalDomainPicker))
        }
    }

    func personalDomain(of address: [UInt8]) -> (String, String)? {
        guard let at = address.lastIndex(of: UInt8(ascii: "@")) else { return nil }
        let domain = String(decoding: address[(at + 1)...], as: UTF8.self)
        return personalDomains.first { $0.0 == domain }
    }

    /// A private address in a form the name matcher must recognise, with the confidence it must give:
    /// both names (high), initial and surname of four letters or more (medium), or the whole one-part
    /// name of five letters or more (high; with another part, medium). Nil when no form is safe.
    static func privateAddress(first: String, last: String, style: MailStaff.Style, rng: inout SeededRandom,
                               domains: [(String, String)], picker: WeightedPicker) -> ([UInt8]?, String?) {
        let digits = String(rng.int(60...99)) + (rng.chance(0.5) ? String(rng.below(10)) + String(rng.below(10)) : "")
        let initial = String(first.prefix(1))
        let domain = domains[picker.pick(&rng)].0
        var local: String?
        var confidence: String?
        switch style {
        case .firstDotLast:
            switch rng.below(4) {
            case 0: local = "\(first)\(last)\(digits)"; confidence = "high"
            case 1: local = "\(last).\(first)"; confidence = "high"
            case 2: local = "\(first)_\(last)\(digits)"; confidence = "high"
            default:
                if last.count >= 4 { local = "\(initial)\(last)\(digits)"; confidence = "medium" }
                else { local = "\(first)\(last)\(digits)"; confidence = "high" }
            }
        case .initialDotLast:
            if last.count >= 4 {
                if rng.chance(0.5) { local = "\(initial)\(last)\(digits)" } else { local = "\(last)\(initial)" }
                confidence = "medium"
            }
        case .initialLast:
            let name = initial + last
            if name.count >= 5 && !Words.firstNames.contains(name) {
                if rng.chance(0.6) { local = "\(name)\(digits)"; confidence = "high" } else { local = "\(name).home"; confidence = "medium" }
            }
        case .role:
            break
        }
        guard let local else { return (nil, nil) }
        return (Array("\(local)@\(domain)".utf8), confidence)
    }

    /// Someone else's personal address: names that share nothing with the person writing to it.
    static func friendAddress(notFirst: String, notLast: String, rng: inout SeededRandom, population: [(String, String)],
                              picker: WeightedPicker) -> [UInt8] {
        var first = rng.pick(Words.firstNames), last = rng.pick(Words.surnames)
        while first == notFirst || first.prefix(1) == notFirst.prefix(1) { first = rng.pick(Words.firstNames) }
        while last == notLast { last = rng.pick(Words.surnames) }
        let domain = population[picker.pick(&rng)].0
        return Array("\(first).\(last)\(rng.int(1...99))@\(domain)".utf8)
    }
}
