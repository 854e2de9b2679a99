/// Workarounds and decision evidence: what the JSON document's `workarounds` and `decisions` hold.
/// Identities are plain strings here (`identity`); reports may pseudonymise them.
extension AnalysisResult {
    public enum WorkaroundKind: String, Sendable, CaseIterable, Comparable {
        /// Denied on a service, then allowed on another service of the same category.
        case substitution
        /// Denied on a service, then allowed on another host of the same service (a CDN or API host,
        /// another domain of the provider, a raw IP the policy maps to it).
        case sideDoor = "side-door"
        /// Denied, then allowed on an anonymiser, VPN, DNS-over-HTTPS, translation, web-proxy or
        /// remote-access service.
        case evasion
        /// Denied on a storage or transfer service, then a mail with a large attachment to a personal
        /// address.
        case mailRoute = "mail-route"

        public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    }

    /// Repeated episodes of one identity working around one blocked service via one substitute.
    public struct Workaround: Sendable {
        public var identity: String
        /// From the policy's directory, if the identity is in it.
        public var department: String?
        public var kind: WorkaroundKind
        /// Service id of the blocked service.
        public var blocked: String
        /// Host of the denial that preceded the first episode.
        public var blockedHost: String?
        /// Service id of the substitute (the recipient's service, or `personal-mail`, for mail routes).
        public var substitute: String
        /// Host of the first substitute request (nil for mail routes).
        public var substituteHost: String?
        /// Episodes: a new one starts with the first substitute request after each new denial.
        public var count: Int64
        /// Substitute requests (or mails) inside the window after a denial.
        public var requests: Int64
        public var bytes: Int64
        public var uploads: Int64
        /// Time of the first substitute request of the first episode.
        public var firstMillis: Int64
        public var lastMillis: Int64
        /// First episode: from the denial to the first substitute request.
        public var gapMillis: Int64
        /// Episodes that began outside working hours; nil when the policy sets none.
        public var outOfHours: Int64?
    }

    /// Evidence to decide on one blocked or unsanctioned service.
    public struct Decision: Sendable {
        public struct Substitute: Sendable {
            public var service: String
            public var name: String
            public var category: String
            public var risk: RiskLevel
            public var kind: WorkaroundKind
            public var identities: Int64
            public var episodes: Int64
            public var requests: Int64
            public var bytes: Int64
            public var uploads: Int64
        }

        public struct Department: Sendable {
            /// nil: identities not in the directory.
            public var department: String?
            public var identitiesTried: Int64
            public var identitiesWorkedAround: Int64
        }

        public struct Trend: Sendable {
            public var previousFromMillis: Int64
            public var previousToMillis: Int64
            /// nil when the service had no row in the previous run.
            public var identitiesTried: Int64?
            public var deniedAttempts: Int64?
            public var identitiesWorkedAround: Int64?
            public var bytesToSubstitutes: Int64?
            /// `rising`, `falling`, `steady` (by identities tried) or `new`.
            public var direction: String
        }

        public struct Recommendation: Sendable {
            /// `fix-enforcement`, `sanction-alternative`, `review-need`, `keep-blocked`, `monitor`, `decide`.
            public var action: String
            /// One plain-language paragraph.
            public var summary: String
            /// The facts and thresholds behind it.
            public var reasons: [String]
        }

        public var service: String
        public var name: String
        public var category: String
        public var risk: RiskLevel
        /// `blocked` or `unsanctioned` (used, personal, neither sanctioned, tolerated nor blocked).
        public var status: String
        /// `policy` (listed as blocked) or `proxy` (denied in the log); nil for unsanctioned services.
        public var blockedBy: String?
        public var identitiesTried: Int64
        /// Requests that were allowed or denied (authentication challenges excluded).
        public var attempts: Int64
        public var deniedAttempts: Int64
        public var allowedRequests: Int64
        /// Distinct days (in the working-hours time zone, UTC without one) with requests to it.
        public var daysWithAttempts: Int64
        public var attemptsOutOfHours: Int64?
        public var identitiesWorkedAround: Int64
        /// `identitiesWorkedAround` as a percentage of `identitiesTried`, rounded.
        public var workedAroundPercent: Int64
        /// Identities that worked around it via a high-risk substitute (or a personal mail address).
        public var identitiesToHighRiskSubstitutes: Int64
        public var episodes: Int64
        public var bytesToSubstitutes: Int64
        public var uploadsToSubstitutes: Int64
        /// The policy's sanctioned alternative for the category, and how many moved to it after a denial.
        public var alternative: String?
        public var identitiesMovedToAlternative: Int64
        /// Ranked by identities, then bytes, then id.
        public var substitutes: [Substitute]
        /// Substitute ids ranked by bytes, then identities, then id.
        public var substitutesByBytes: [String]
        /// Only when the policy has a directory.
        public var departments: [Department]
        public var trend: Trend?
        public var recommendation: Recommendation
    }
}
