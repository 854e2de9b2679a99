/// How identities appear in reports.
public enum IdentityDisplay: String, Sendable, CaseIterable {
    /// Keyed pseudonyms (`u-3f9a0c51d2e7`): the default.
    case pseudonym
    /// Names and addresses as logged: an explicit choice for the security team.
    case plain
}

/// Who a report is for.
public enum ReportAudience: String, Sendable, CaseIterable {
    /// Everything, identities as `IdentityDisplay` says.
    case security
    /// No individuals at all, and no group of fewer than `minGroupSize` people.
    case manager
}

public struct PrivacyOptions: Sendable {
    public var identities: IdentityDisplay
    public var audience: ReportAudience
    public var minGroupSize: Int
    /// Required when identities are pseudonyms and the audience sees individuals.
    public var pseudonyms: Pseudonyms?
    /// Re-words a decision's recommendation after small substitutes were suppressed (the policy's
    /// `DecisionAdvisor`), so its reasons name no group the manager report hides.
    public var recommend: (@Sendable (AnalysisResult.Decision) -> AnalysisResult.Decision.Recommendation)?

    public static let defaultMinGroupSize = 5

    public init(identities: IdentityDisplay = .pseudonym, audience: ReportAudience = .security,
                minGroupSize: Int = defaultMinGroupSize, pseudonyms: Pseudonyms? = nil) {
        self.identities = identities
        self.audience = audience
        self.minGroupSize = minGroupSize
        self.pseudonyms = pseudonyms
    }

    /// Whether reports will show any identity (and so whether a key is needed for pseudonyms).
    public var needsKey: Bool { identities == .pseudonym && audience == .security }
}

/// What a report says about its own privacy: how identities are shown, under which key, and what was
/// left out. Part of every output (`privacy` in JSON).
public struct PrivacyNotice: Sendable {
    /// `pseudonym`, `plain`, or `none` (manager reports show no individuals).
    public var identities = "plain"
    /// The pseudonym key's public id (`k-…`), when identities are pseudonyms.
    public var keyID: String?
    public var audience = "security"
    /// k: the smallest group a manager report shows; nil for the security audience.
    public var minGroupSize: Int?
    public var suppressed: [Suppression] = []
    /// Pseudonyms shared by more than one identity in this run (48-bit pseudonyms: expected 0).
    public var collisions = 0

    public init() {}

    /// Rows of one table left out because fewer than k people made them up (or, for `users` and
    /// per-identity tables, because a manager report lists no individuals).
    public struct Suppression: Sendable, Equatable {
        public var table: String
        public var rows: Int
        public var reason: String
    }
}

/// The one place identities are turned into pseudonyms and small groups are suppressed. It runs once
/// on the finished result, so every renderer (text, JSON, HTML, Markdown, CSV) shows the same thing.
/// Every identity-bearing field of `AnalysisResult` is listed in `mapIdentities`, and nowhere else.
public enum PrivacyTransform {
    /// Takes the result by value: a caller that hands over its last reference (`consume`) lets the
    /// identities be replaced in place instead of in a copy of every table.
    public static func apply(_ input: consuming AnalysisResult, _ options: PrivacyOptions) -> AnalysisResult {
        var result = input
        var notice = PrivacyNotice()
        notice.audience = options.audience.rawValue
        if options.audience == .manager {
            notice.identities = "none"
            notice.minGroupSize = options.minGroupSize
            suppressForManagers(&result, k: Int64(options.minGroupSize), notice: &notice, recommend: options.recommend)
        } else if options.identities == .pseudonym {
            guard let pseudonyms = options.pseudonyms else {
                preconditionFailure("pseudonymous reports need a key")
            }
            notice.identities = "pseudonym"
            notice.keyID = pseudonyms.keyID
            var seen: [String: String] = [:]
            var collided: Set<String> = []
            let keep = mailDomainsToKeep(result)
            // One HMAC per distinct identity: workaround rows repeat each identity many times.
            var knownUsers: [String: String] = [:], knownAddresses: [String: String] = [:]
            mapIdentities(&result) { kind, identity in
                if let p = (kind == .user ? knownUsers : knownAddresses)[identity] { return p }
                let p: String
                switch kind {
                case .user: p = pseudonyms.pseudonym(identity); knownUsers[identity] = p
                case .mailAddress: p = pseudonyms.pseudonym(address: identity) { keep.contains($0) }; knownAddresses[identity] = p
                }
                if let other = seen[p], other != identity { collided.insert(p) } else { seen[p] = identity }
                return p
            }
            notice.collisions = collided.count
            redactNamesInReasons(&result)
            // Pseudonyms sort differently from names: keep tables in a stable order.
            sortAfterRenaming(&result)
        } else {
            notice.identities = "plain"
        }
        result.privacy = notice
        return result
    }

    public enum IdentityKind: Sendable { case user, mailAddress }

    /// Calls `transform` on every identity the result holds and stores what it returns. Add every new
    /// identity-bearing field here: the privacy tests check that no name from the input survives.
    /// Fields are written only when the value changes, so a transform that returns its input (as
    /// `identities(in:)` does) copies no array.
    public static func mapIdentities(_ result: inout AnalysisResult, _ transform: (IdentityKind, String) -> String) {
        func map(_ value: inout String, _ kind: IdentityKind) {
            let new = transform(kind, value)
            if new != value { value = new }
        }
        for i in result.users.indices { map(&result.users[i].user, .user) }
        for i in result.workarounds.indices { map(&result.workarounds[i].identity, .user) }
        for i in result.mail.senders.indices {
            map(&result.mail.senders[i].sender, .mailAddress)
            for j in result.mail.senders[i].selfForwarding.indices { map(&result.mail.senders[i].selfForwarding[j].recipient, .mailAddress) }
        }
        for i in result.mail.autoForwards.indices {
            map(&result.mail.autoForwards[i].mailbox, .mailAddress)
            map(&result.mail.autoForwards[i].recipient, .mailAddress)
        }
    }

    /// Self-forwarding reasons quote the name parts that matched ("first name 'jane' and surname 'doe'
    /// both appear"): under pseudonyms the quoted parts go, the kind of match stays.
    static func redactNamesInReasons(_ result: inout AnalysisResult) {
        func redact(_ text: String) -> String {
            var out = "", quoted = false
            for c in text {
                if c == "'" {
                    out.append(quoted ? "…'" : "'")
                    quoted.toggle()
                } else if !quoted {
                    out.append(c)
                }
            }
            return quoted ? out + "…" : out
        }
        for i in result.mail.senders.indices {
            for j in result.mail.senders[i].selfForwarding.indices {
                result.mail.senders[i].selfForwarding[j].reason = redact(result.mail.senders[i].selfForwarding[j].reason)
            }
        }
    }

    /// Every identity in the result, with its kind (what `reveal` matches pseudonyms against).
    public static func identities(in result: AnalysisResult) -> [(IdentityKind, String)] {
        var copy = result
        var all: [(IdentityKind, String)] = []
        mapIdentities(&copy) { kind, identity in all.append((kind, identity)); return identity }
        return all
    }

    /// Mail domains a pseudonymous address keeps: the organisation's and the catalogue's personal-mail
    /// providers (a vanity domain would name the person, so it goes with the local part).
    static func mailDomainsToKeep(_ result: AnalysisResult) -> Set<String> {
        Set(result.mail.organisationDomains).union(result.mail.personalDomains.map(\.domain))
    }

    static func sortAfterRenaming(_ result: inout AnalysisResult) {
        // Users: by requests, then pseudonym, as the merge orders names.
        result.users.sort { ($0.requests, $1.user) > ($1.requests, $0.user) }
        // Workarounds: the analysis's own order (episodes, bytes, then identity), now by pseudonym.
        WorkaroundMerge.sort(&result.workarounds)
    }

    static func suppressForManagers(_ result: inout AnalysisResult, k: Int64, notice: inout PrivacyNotice,
                                    recommend: ((AnalysisResult.Decision) -> AnalysisResult.Decision.Recommendation)?) {
        func drop<T>(_ rows: inout [T], table: String, reason: String, where small: (T) -> Bool) {
            let before = rows.count
            rows.removeAll(where: small)
            if rows.count < before { notice.suppressed.append(.init(table: table, rows: before - rows.count, reason: reason)) }
        }
        let fewer = "fewer than \(k) people"
        // Who used which services, for restating categories over their shown services (before the
        // individuals go).
        let servicesOfUsers = result.users.map(\.services)
        drop(&result.users, table: "users", reason: "manager reports list no individuals") { _ in true }
        drop(&result.services, table: "services", reason: fewer) { $0.users < k }
        restateTotalsOverShownServices(&result, servicesOfUsers: servicesOfUsers)
        drop(&result.categories, table: "categories", reason: fewer) { $0.users < k }
        drop(&result.unknownDomains, table: "unknown_domains", reason: fewer) { $0.users < k }
        var cells = 0
        for d in result.timeline.indices {
            let before = result.timeline[d].services.count
            result.timeline[d].services.removeAll { $0.users < k }
            cells += before - result.timeline[d].services.count
            restateOverShownCells(&result.timeline[d], k: k)
        }
        if cells > 0 { notice.suppressed.append(.init(table: "timeline.services", rows: cells, reason: fewer)) }
        drop(&result.timeline, table: "timeline", reason: fewer) { $0.users < k }
        drop(&result.workarounds, table: "workarounds", reason: "manager reports list no individuals") { _ in true }
        drop(&result.decisions, table: "decisions", reason: fewer) { $0.identitiesTried < k }
        var substitutes = 0, departments = 0
        for d in result.decisions.indices {
            let hiddenRows = result.decisions[d].substitutes.filter { $0.identities < k }
            let hidden = hiddenRows.map(\.service)
            substitutes += hidden.count
            result.decisions[d].substitutes.removeAll { $0.identities < k }
            result.decisions[d].substitutesByBytes.removeAll { hidden.contains($0) }
            let before = result.decisions[d].departments.count
            result.decisions[d].departments.removeAll { $0.identitiesTried < k }
            departments += before - result.decisions[d].departments.count
            if !hidden.isEmpty {
                if let recommend {
                    result.decisions[d].recommendation = recommend(result.decisions[d])
                } else {
                    // Without the advisor, drop the reasons that could name a hidden substitute.
                    let names = hiddenRows.flatMap { [$0.service, $0.name] }
                    result.decisions[d].recommendation.reasons.removeAll { reason in names.contains { reason.contains($0) } }
                    if names.contains(where: { result.decisions[d].recommendation.summary.contains($0) }) {
                        result.decisions[d].recommendation.summary = "Recommended: \(result.decisions[d].recommendation.action) (some substitutes are hidden: fewer than \(k) people)."
                    }
                }
            }
        }
        if substitutes > 0 { notice.suppressed.append(.init(table: "decisions.substitutes", rows: substitutes, reason: fewer)) }
        if departments > 0 { notice.suppressed.append(.init(table: "decisions.departments", rows: departments, reason: fewer)) }
        drop(&result.mail.senders, table: "mail.senders", reason: "manager reports list no individuals") { _ in true }
        drop(&result.mail.autoForwards, table: "mail.auto_forwards", reason: "manager reports list no individuals") { _ in true }
        drop(&result.mail.personalDomains, table: "mail.personal_domains", reason: "fewer than \(k) senders") { $0.senders < k }
    }

    /// A total that still counted hidden rows would give them away by subtraction (a category's requests
    /// minus those of its shown services are the hidden services' requests). So, once small services are
    /// hidden, the requests matched and every category count only the services shown: a category's
    /// counters are the sums of its shown services, its people those who used at least one of them.
    static func restateTotalsOverShownServices(_ result: inout AnalysisResult, servicesOfUsers: [[String]]) {
        let categoryOf = Dictionary(uniqueKeysWithValues: result.services.map { ($0.id, $0.category) })
        var people: [String: Int64] = [:]
        for services in servicesOfUsers {
            for category in Set(services.compactMap { categoryOf[$0] }) { people[category, default: 0] += 1 }
        }
        result.totals.matched = result.services.reduce(0) { $0 + $1.requests }
        for i in result.categories.indices {
            let members = result.services.filter { $0.category == result.categories[i].category }
            var usage = members.reduce(AnalysisResult.Usage()) { $0 + $1.usage }
            usage.users = people[result.categories[i].category] ?? 0
            result.categories[i].services = Int64(members.count)
            result.categories[i].usage = usage
        }
        result.categories.sort { ($0.requests, $1.category) > ($1.requests, $0.category) }
    }

    /// The day restated over its shown cells (services that day with at least k people): requests and
    /// denials are their sums, people those in at least one of them.
    static func restateOverShownCells(_ day: inout TimelineDay, k: Int64) {
        day.requests = day.services.reduce(0) { $0 + $1.requests }
        day.denied = day.services.reduce(0) { $0 + $1.denied }
        day.users = day.users(inCellsOfAtLeast: k)
        day.usersByLargestCell.removeAll { $0.cellUsers < k }
    }
}
