/// The frozen outcome of a run: merged, sorted, and independent of worker count and block size.
public struct AnalysisResult: Sendable {
    public struct Totals: Sendable {
        public var lines: Int64 = 0
        public var records: Int64 = 0
        public var malformed: Int64 = 0
        public var oversized: Int64 = 0
        public var matched: Int64 = 0
        /// Bytes sent to clients over all records.
        public var bytes: Int64 = 0
        /// Bytes received from clients over all records whose format logs it.
        public var bytesOut: Int64 = 0
        public var inputBytes: Int64 = 0
        /// Regex matches abandoned at PCRE2's match or depth limit.
        public var regexLimitHits: Int64 = 0
        /// Unknown-domain records not tallied because the per-worker domain table was full.
        public var unknownDomainOverflow: Int64 = 0
        /// Well-formed lines that are no web request (header lines, non-web events), over all inputs.
        public var skipped: Int64 = 0
        /// Catalogue records on days past the timeline's day limit (`DailyCounts.maxDays` distinct days).
        public var timelineOverflow: Int64 = 0
        /// Workaround events not kept because a worker's event buffer was full: detection is incomplete.
        public var workaroundEventOverflow: Int64 = 0
    }

    public struct Input: Sendable {
        public var path: String
        public var format: LogFormat?
        public var detection: String?
        public var bytes: Int64 = 0
        public var lines: Int64 = 0
        public var records: Int64 = 0
        public var malformed: Int64 = 0
        public var oversized: Int64 = 0
        /// 1-based line numbers of the first malformed lines (at most 5).
        public var malformedSamples: [Int64] = []
        /// Why the input could not be read (or was skipped), if so.
        public var problem: String?
        /// The container it was decompressed from (`bytes` counts decompressed bytes); nil: plain.
        public var compression: CompressionFormat?
        /// Well-formed lines that are no web request: W3C `#` header lines, a gateway's non-web events.
        public var skipped: Int64 = 0
    }

    /// What was counted for a service or a category.
    public struct Usage: Sendable {
        public var requests: Int64 = 0
        public var allowed: Int64 = 0
        public var denied: Int64 = 0
        public var challenges: Int64 = 0
        /// Distinct identities.
        public var users: Int64 = 0
        /// Bytes to the client.
        public var bytesIn: Int64 = 0
        /// Bytes from the client; nil when no record came from a format that logs request sizes.
        public var bytesOut: Int64?
        public var uploads: Int64 = 0

        /// Sums every counter except `users`, which is a distinct count and cannot be added.
        static func + (a: Usage, b: Usage) -> Usage {
            Usage(requests: a.requests + b.requests, allowed: a.allowed + b.allowed, denied: a.denied + b.denied,
                  challenges: a.challenges + b.challenges, users: 0, bytesIn: a.bytesIn + b.bytesIn,
                  bytesOut: a.bytesOut.map { $0 + (b.bytesOut ?? 0) } ?? b.bytesOut, uploads: a.uploads + b.uploads)
        }
    }

    @dynamicMemberLookup
    public struct Service: Sendable {
        public var id: String
        public var name: String
        public var category: String
        public var risk: RiskLevel
        public var personal: Bool
        public var usage: Usage
        /// Requests seen only as a host (CONNECT without TLS inspection).
        public var hostOnlyRequests: Int64
        public var firstSeenMillis: Int64
        public var lastSeenMillis: Int64
        /// Requests whose format logged the request size (`bytes_out` sums only these): Formats/ServiceFidelity.swift.
        public var requestSizeKnown: Int64 = 0
        public subscript<T>(dynamicMember keyPath: KeyPath<Usage, T>) -> T { usage[keyPath: keyPath] }
    }

    @dynamicMemberLookup
    public struct Category: Sendable {
        public var category: String
        public var services: Int64
        public var usage: Usage
        public subscript<T>(dynamicMember keyPath: KeyPath<Usage, T>) -> T { usage[keyPath: keyPath] }
    }

    public struct User: Sendable {
        public var user: String
        public var requests: Int64
        public var denied: Int64
        public var services: [String]
    }

    public struct UnknownDomain: Sendable {
        public var domain: String
        public var users: Int64
        public var requests: Int64
        public var bytes: Int64
    }

    public var totals = Totals()
    public var inputs: [Input] = []
    public var services: [Service] = []
    public var categories: [Category] = []
    public var users: [User] = []
    public var unknownDomains: [UnknownDomain] = []
    /// Catalogue traffic per UTC day (DailyCounts.swift), oldest first.
    public var timeline: [TimelineDay] = []
    /// How identities were shown and what was suppressed (PrivacyTransform.swift); set by the privacy
    /// transform before any report is rendered.
    public var privacy = PrivacyNotice()
    /// Mail-gateway findings (MailResult.swift); empty when no mail log was read.
    public var mail = Mail()
    /// Workaround episodes per identity × blocked × substitute × kind (WorkaroundModel.swift).
    public var workarounds: [Workaround] = []
    /// Evidence per blocked or unsanctioned service (WorkaroundModel.swift).
    public var decisions: [Decision] = []
    public var workers = 1
    public var patternsUseJIT = true
    /// How long the streaming pass and the merge took, for `--timings` (never in reports: they differ
    /// from run to run).
    public var streamSeconds = 0.0
    public var mergeSeconds = 0.0
    /// Chunks each worker processed (how evenly the work spread).
    public var chunksPerWorker: [Int] = []
    /// Workaround events written to temporary files, and in how many sorted runs (Analysis/WorkaroundSpill.swift).
    public var spilledWorkaroundEvents: Int64 = 0
    public var spilledWorkaroundRuns = 0

    /// Inputs that could not be read or were skipped: the run's exit status is 1 when there are any.
    public var inputProblems: [InputProblem] {
        inputs.compactMap { input in input.problem.map { InputProblem(path: input.path, message: $0) } }
    }

    public static let unknownDomainLimit = 50
}
