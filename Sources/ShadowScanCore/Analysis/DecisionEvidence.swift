/// Builds the evidence an IT manager decides from, per blocked or unsanctioned service, and a
/// plain-language recommendation whose rules are in the README ("Decision evidence").
struct DecisionEvidence {
    let catalog: ServiceCatalog
    let policy: WorkaroundPolicy

    func decisions(services: [AnalysisResult.Service], findings: [WorkaroundDetector.Finding],
                   evidence: [WorkaroundDetector.ServiceEvidence], identityName: (Int32) -> String) -> [AnalysisResult.Decision] {
        let serviceNumber = Dictionary(uniqueKeysWithValues: catalog.services.enumerated().map { ($1.id, $0) })
        // A finding is one identity × key, so a key's identities are its findings: counted, not collected.
        var bySubstitute: [Int32: [WorkaroundDetector.Key: (identities: Int64, episodes: Int64, requests: Int64, bytes: Int64, uploads: Int64)]] = [:]
        var toHighRisk: [Int32: [Int32]] = [:]
        for f in findings {
            if f.key.substitute < 0 || catalog.services[Int(f.key.substitute)].risk == .high { toHighRisk[f.key.blocked, default: []].append(f.identity) }
            func add(_ v: inout (identities: Int64, episodes: Int64, requests: Int64, bytes: Int64, uploads: Int64)) {
                v.identities += 1; v.episodes += f.aggregate.episodes; v.requests += f.aggregate.requests
                v.bytes += f.aggregate.bytes; v.uploads += f.aggregate.uploads
            }
            add(&bySubstitute[f.key.blocked, default: [:]][f.key, default: (0, 0, 0, 0, 0)])   // in place: one lookup each
        }

        var out: [AnalysisResult.Decision] = []
        for usage in services {
            guard let s = serviceNumber[usage.id] else { continue }
            let status: String, blockedBy: String?
            switch policy.status[s] {
            case .blocked: (status, blockedBy) = ("blocked", "policy")
            case .unlisted where usage.denied > 0: (status, blockedBy) = ("blocked", "proxy")
            case .unlisted where policy.source != nil && usage.personal && usage.allowed > 0: (status, blockedBy) = ("unsanctioned", nil)
            default: continue
            }
            let ev = evidence[s]
            let subs = (bySubstitute[Int32(s)] ?? [:]).map { key, v -> AnalysisResult.Decision.Substitute in
                let id: String, name: String, category: String, risk: RiskLevel
                if key.substitute >= 0 {
                    let d = catalog.services[Int(key.substitute)]
                    (id, name, category, risk) = (d.id, d.name, d.category, d.risk)
                } else {
                    (id, name, category, risk) = (WorkaroundMerge.personalMail, "Personal mail address", "mail", .high)
                }
                return .init(service: id, name: name, category: category, risk: risk, kind: key.kind, identities: v.identities,
                             episodes: v.episodes, requests: v.requests, bytes: v.bytes, uploads: v.uploads)
            }
            let ranked = subs.sorted { ($0.identities, $0.bytes, $1.service, $1.kind) > ($1.identities, $1.bytes, $0.service, $0.kind) }
            var byBytes: [String] = []
            for sub in subs.sorted(by: { ($0.bytes, $0.identities, $1.service) > ($1.bytes, $1.identities, $0.service) }) where !byBytes.contains(sub.service) {
                byBytes.append(sub.service)
            }
            let tried = usage.users
            let workedAround = Int64(ev.workedAround.count)
            var departments: [AnalysisResult.Decision.Department] = []
            if !policy.directory.isEmpty {
                var tally: [String?: (Int64, Int64)] = [:]
                for identity in ev.triedBy { tally[policy.department(of: identityName(identity)), default: (0, 0)].0 += 1 }
                for identity in ev.workedAround { tally[policy.department(of: identityName(identity)), default: (0, 0)].1 += 1 }
                departments = tally.map { .init(department: $0.key, identitiesTried: $0.value.0, identitiesWorkedAround: $0.value.1) }
                    .sorted { a, b in   // departments by people, then name; identities outside the directory last
                        if (a.department == nil) != (b.department == nil) { return b.department == nil }
                        return (a.identitiesTried, b.department ?? "") > (b.identitiesTried, a.department ?? "")
                    }
            }
            let category = catalog.categoryIndex[s]
            var decision = AnalysisResult.Decision(
                service: usage.id, name: usage.name, category: usage.category, risk: usage.risk, status: status, blockedBy: blockedBy,
                identitiesTried: tried, attempts: usage.allowed + usage.denied, deniedAttempts: usage.denied,
                allowedRequests: usage.allowed, daysWithAttempts: Int64(ev.days.count),
                attemptsOutOfHours: policy.workingHours == nil ? nil : ev.outOfHours,
                identitiesWorkedAround: workedAround, workedAroundPercent: Self.percent(workedAround, of: tried),
                identitiesToHighRiskSubstitutes: Int64(Set(toHighRisk[Int32(s)] ?? []).count),
                episodes: subs.reduce(0) { $0 + $1.episodes }, bytesToSubstitutes: subs.reduce(0) { $0 + $1.bytes },
                uploadsToSubstitutes: subs.reduce(0) { $0 + $1.uploads },
                alternative: policy.alternatives[category].map { catalog.services[$0].id },
                identitiesMovedToAlternative: Int64(ev.movedToAlternative.count),
                substitutes: ranked, substitutesByBytes: byBytes, departments: departments, trend: nil,
                recommendation: .init(action: "", summary: "", reasons: []))
            decision.recommendation = DecisionAdvisor(thresholds: policy.thresholds, catalog: catalog).recommend(decision)
            out.append(decision)
        }
        return out.sorted { ($0.identitiesTried, $0.deniedAttempts, $1.service) > ($1.identitiesTried, $1.deniedAttempts, $0.service) }
    }

    /// Rounded half up; 0 when `whole` is 0.
    static func percent(_ part: Int64, of whole: Int64) -> Int64 {
        whole > 0 ? (part * 200 + whole) / (2 * whole) : 0
    }
}

/// The recommendation rules, in order (the first that applies wins; thresholds from the policy's
/// `decisions:` section):
///
/// 1. `fix-enforcement`: blocked by the policy, but the proxy allowed at least `enforcement_gap` % of
///    its requests.
/// 2. `sanction-alternative`: at least `high_demand` people tried it, and `workaround_share` % or more
///    of them worked around the block, or more than `low_demand` went to high-risk substitutes.
/// 3. `review-need`: fewer people, but `workaround_share` % or more of them worked around it.
/// 4. `keep-blocked`: at most `low_demand` people tried it and nobody worked around it.
/// 5. `monitor`: anything else that is blocked.
/// Unsanctioned services get `decide` when at least `high_demand` people use them, else `monitor`.
/// A trend from the history store adds a reason (rising or falling demand), never changes the action.
public struct DecisionAdvisor: Sendable {
    public let thresholds: DecisionThresholds
    let catalog: ServiceCatalog

    public init(thresholds: DecisionThresholds, catalog: ServiceCatalog) {
        self.thresholds = thresholds
        self.catalog = catalog
    }

    public func recommend(_ d: AnalysisResult.Decision) -> AnalysisResult.Decision.Recommendation {
        let t = thresholds
        var reasons: [String] = []
        let people = Self.people(d.identitiesTried)
        reasons.append("\(people) tried \(d.name) \(Self.count(d.attempts, "time")); the proxy denied \(d.deniedAttempts) of those, on \(Self.count(d.daysWithAttempts, "day")).")
        if d.blockedBy == "proxy" && d.deniedAttempts * 2 < d.attempts {
            reasons.append("The proxy denied only \(DecisionEvidence.percent(d.deniedAttempts, of: d.attempts))% of its requests: the block is partial (rules on some hosts, paths or uploads).")
        }
        if d.identitiesWorkedAround > 0 {
            let top = d.substitutes.prefix(3).map { "\(Self.describe($0, of: d)) (\($0.kind.rawValue), \($0.risk.rawValue) risk, \(Self.people($0.identities)))" }
            reasons.append("\(d.identitiesWorkedAround) of them (\(d.workedAroundPercent)%) worked around the block within the window, mostly via \(top.joined(separator: ", ")); \(Self.bytes(d.bytesToSubstitutes)) went to substitutes; \(Self.people(d.identitiesToHighRiskSubstitutes)) used a high-risk one.")
        } else if d.status == "blocked" {
            reasons.append("Nobody was seen working around the block.")
        }
        if let alternative = d.alternative, let name = catalog.service(id: alternative)?.name {
            reasons.append("\(d.identitiesMovedToAlternative) moved to the sanctioned alternative, \(name), after a denial.")
        }
        if let trend = d.trend {
            switch trend.direction {
            case "new": reasons.append("It had no evidence in the previous period.")
            case "rising", "falling", "steady":
                if let before = trend.identitiesTried {
                    reasons.append("Demand is \(trend.direction): \(d.identitiesTried) people tried it, against \(before) in the previous period.")
                }
            default: break
            }
        }

        if d.status == "unsanctioned" {
            if d.identitiesTried >= t.highDemand {
                reasons.append("Rule: \(t.highDemand)+ people use an unsanctioned service (high_demand).")
                return .init(action: "decide", summary: "\(people) use \(d.name), which is neither sanctioned nor blocked (\(d.risk.rawValue) risk): decide whether to sanction it or block it.", reasons: reasons)
            }
            reasons.append("Rule: fewer than \(t.highDemand) people use it (high_demand).")
            return .init(action: "monitor", summary: "\(people) use \(d.name), which is neither sanctioned nor blocked: keep an eye on it.", reasons: reasons)
        }

        if d.blockedBy == "policy" && d.attempts > 0 && d.allowedRequests * 100 >= t.enforcementGapPercent * d.attempts {
            reasons.append("Rule: the proxy allowed \(d.allowedRequests) of \(d.attempts) requests (\(DecisionEvidence.percent(d.allowedRequests, of: d.attempts))%), at least \(t.enforcementGapPercent)% (enforcement_gap).")
            return .init(action: "fix-enforcement", summary: "The policy blocks \(d.name), but the proxy let \(d.allowedRequests) of \(d.attempts) requests through: fix the proxy rule first; until then this evidence undercounts demand.", reasons: reasons)
        }
        let shareHigh = d.identitiesWorkedAround > 0 && d.workedAroundPercent >= t.workaroundSharePercent
        let riskyHigh = d.identitiesToHighRiskSubstitutes > t.lowDemand
        if d.identitiesTried >= t.highDemand && (shareHigh || riskyHigh) {
            reasons.append("Rule: \(t.highDemand)+ people tried it (high_demand) and " + (shareHigh ? "\(t.workaroundSharePercent)%+ of them worked around it (workaround_share)." : "more than \(t.lowDemand) went to high-risk substitutes (low_demand)."))
            let category = d.category
            let offer: String
            if let alternative = d.alternative, let name = catalog.service(id: alternative)?.name {
                offer = "make the sanctioned alternative, \(name), easier to find and use"
            } else {
                offer = "consider sanctioning a managed \(category) service"
            }
            let via = d.substitutes.prefix(2).map { Self.describe($0, of: d) }.joined(separator: " or ")
            let went = d.identitiesWorkedAround > 0 ? "; \(d.identitiesWorkedAround) of them used \(via) instead within the window, moving \(Self.bytes(d.bytesToSubstitutes))" : ""
            return .init(action: "sanction-alternative", summary: "\(d.name) is blocked; \(people) tried it \(d.attempts) times\(went). Blocking alone pushes this work to riskier places: \(offer).", reasons: reasons)
        }
        if shareHigh {
            reasons.append("Rule: fewer than \(t.highDemand) people tried it (high_demand), but \(t.workaroundSharePercent)%+ of them worked around it (workaround_share).")
            return .init(action: "review-need", summary: "A small group (\(people)) needs \(d.name) enough that \(d.identitiesWorkedAround) worked around the block: ask them what they need it for.", reasons: reasons)
        }
        if d.identitiesTried <= t.lowDemand && d.identitiesWorkedAround == 0 {
            reasons.append("Rule: at most \(t.lowDemand) people tried it (low_demand) and nobody worked around it.")
            return .init(action: "keep-blocked", summary: "Low demand for \(d.name) (\(people)) and no workarounds: keep it blocked.", reasons: reasons)
        }
        reasons.append("Rule: none of high_demand with workarounds, review-need or low_demand applies.")
        return .init(action: "monitor", summary: "\(d.name) stays blocked; \(people) tried it and \(d.identitiesWorkedAround) worked around it (\(d.workedAroundPercent)%): keep it blocked and watch the trend.", reasons: reasons)
    }

    static func people(_ n: Int64) -> String { n == 1 ? "1 person" : "\(n) people" }
    static func count(_ n: Int64, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }

    /// A substitute as prose: "WeTransfer", or "another Dropbox host" for a side door.
    static func describe(_ s: AnalysisResult.Decision.Substitute, of d: AnalysisResult.Decision) -> String {
        s.kind == .sideDoor ? "another \(d.name) host" : s.name
    }

    /// Decimal units for prose ("12.0 GB").
    static func bytes(_ n: Int64) -> String {
        let units = ["bytes", "kB", "MB", "GB", "TB", "PB"]
        var value = Double(n), unit = 0
        while value >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        if unit == 0 { return "\(n) bytes" }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}
