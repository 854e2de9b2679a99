/// The Squid access-log layouts the generator writes.
public enum SquidLogFormat: String, CaseIterable, Sendable {
    /// `logformat squid`: `%ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt`
    case native = "squid-native"
    /// `logformat common`: `%>a %[ui %[un [%tl] "%rm %ru HTTP/%rv" %>Hs %<st %Ss:%Sh`
    case common = "squid-common"
    /// `logformat combined`: common + ` "%{Referer}>h" "%{User-Agent}>h"`
    case combined = "squid-combined"
    /// Blue Coat ELFF under `#Fields:` headers; the field order changes every 10,000 records.
    case w3c = "w3c"
    /// Zscaler NSS web log, JSON feed.
    case zscalerJSON = "zscaler-nss-json"
    /// Skyhigh / McAfee Web Gateway key="value".
    case skyhigh = "skyhigh-web-gateway"

    public var isSquid: Bool { self == .native || self == .common || self == .combined }
    /// The gateway formats log the request size (`bytes_out`); Squid's do not.
    public var hasRequestSizes: Bool { !isSquid }
    /// Squid native and Skyhigh keep milliseconds; the others log whole seconds.
    var hasMillisecondTimes: Bool { self == .native || self == .skyhigh }
    /// The traffic the model generates for this layout: gateways get native's, so one seed describes
    /// the same requests in every gateway format (and in squid-native).
    var trafficShape: SquidLogFormat { isSquid ? self : .native }
}

/// How much to write.
public enum GenerationLimit: Sendable, Equatable {
    /// Exactly this many lines (every newline-terminated line counts, malformed ones included).
    case lines(Int)
    /// Lines are written until the file reaches at least this many bytes (it ends on a line end).
    case bytes(Int)
}

/// Everything that determines the output. Same options + same catalogue → byte-identical log and truth.
public struct GeneratorOptions: Sendable {
    public var seed: UInt64
    public var format: SquidLogFormat
    public var limit: GenerationLimit
    /// Named (authenticated) users; identities of unauthenticated lines are client addresses.
    public var users: Int
    /// Share of lines that are malformed (garbage, truncated, binary, empty).
    public var malformedRate: Double
    /// Share of records that go to catalogue services.
    public var serviceRate: Double
    /// Lines longer than 1 MiB to scatter through the file (on top of `malformedRate`).
    public var oversized: Int
    /// Workaround episodes to script (about this many); when positive, the truth also holds the log's
    /// workarounds (`workarounds`, `blocked_services`).
    public var workaroundEpisodes = 0
    /// The workaround window the truth uses (the analyser's default: 30 minutes).
    public var workaroundWindowMillis: Int64 = 30 * 60_000

    public init(
        seed: UInt64 = 42,
        format: SquidLogFormat = .native,
        limit: GenerationLimit = .lines(10_000),
        users: Int = 800,
        malformedRate: Double = 0.01,
        serviceRate: Double = 0.10,
        oversized: Int = 0
    ) {
        self.seed = seed
        self.format = format
        self.limit = limit
        self.users = users
        self.malformedRate = malformedRate
        self.serviceRate = serviceRate
        self.oversized = oversized
    }
}
