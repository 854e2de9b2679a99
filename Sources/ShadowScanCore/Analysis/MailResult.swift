/// The `mail` section of a run: work mail leaving for personal mailboxes, from mail-gateway logs
/// (Postfix, Exim, Exchange message tracking, Microsoft 365 message trace). Always present: all zero
/// and empty when no mail log was read. Addresses are lower-cased; every list is sorted, so the
/// section is the same for any worker count and block size.
extension AnalysisResult {
    public struct Mail: Sendable {
        /// Messages accepted by the gateway (a content-filter hand-off and its re-injection count once).
        public var messages: Int64 = 0
        /// Recipient deliveries of those messages (one per message and recipient, retries counted once).
        public var recipients: Int64 = 0
        /// Messages whose sender is in an organisation domain and every recipient too.
        public var internalMessages: Int64 = 0
        /// Messages with at least one recipient at a personal mail domain that was delivered.
        public var toPersonal: Int64 = 0
        /// Sizes of those messages (each message once, whatever its number of personal recipients).
        public var bytesToPersonal: Int64 = 0
        /// Personal recipients whose delivery bounced (failed permanently), never delivered.
        public var bounced: Int64 = 0
        /// Personal recipients whose delivery was deferred and never completed within the logs.
        public var deferred: Int64 = 0
        /// Postfix/Exim messages whose end (`removed`, `Completed`) never came: flushed after
        /// `flushAfterSeconds` without activity or at the end of the input.
        public var incomplete: Int64 = 0
        /// Messages handed to a local content filter (`relay=127.0.0.1...queued as X`) and counted
        /// once, as their re-injected copy.
        public var filterHandoffs: Int64 = 0
        /// Messages to personal recipients larger than `largeMessageBytes`.
        public var largeToPersonal: Int64 = 0
        /// Messages forwarded automatically to a personal mailbox (see `autoForwards`).
        public var autoForwarded: Int64 = 0
        /// Distinct addresses not tallied because the address table was full.
        public var addressOverflow: Int64 = 0
        /// Events dropped because too many messages were open at once (`MailCorrelator.maxOpenMessages`).
        public var openMessageOverflow: Int64 = 0
        /// Recipients beyond `MailCorrelator.maxRecipientsPerMessage` of one message, not tallied.
        public var recipientOverflow: Int64 = 0
        /// Settings the findings depend on, echoed so a report says what it was measured against.
        public var largeMessageBytes: Int64 = 0
        public var flushAfterSeconds: Int64 = 0
        /// Forwarding-pattern thresholds in force (MailOptions).
        public var forwardWindowSeconds: Int64 = 0
        public var forwardMinimumMessages: Int64 = 0
        public var forwardSharePercent: Int64 = 0
        public var organisationDomains: [String] = []

        public var senders: [MailSender] = []
        public var personalDomains: [PersonalDomain] = []
        public var autoForwards: [AutoForward] = []

        public init() {}
    }

    /// An organisation sender (or, without organisation domains, any sender outside the personal
    /// domains) who sent mail to personal mailboxes.
    public struct MailSender: Sendable {
        public var sender: String
        /// Messages delivered to at least one personal recipient, and their bytes.
        public var messages: Int64
        public var bytes: Int64
        /// Distinct personal recipients (delivered, bounced or deferred).
        public var recipients: Int64
        /// Distinct UTC days with a message to a personal recipient.
        public var daysActive: Int64
        public var bounced: Int64
        public var deferred: Int64
        public var largeMessages: Int64
        public var firstSeenMillis: Int64
        public var lastSeenMillis: Int64
        /// Sorted personal domains written to.
        public var domains: [String]
        /// Personal recipients that look like the sender's own private address.
        public var selfForwarding: [SelfForward]
        /// Kinds of findings, sorted: `auto-forwarding`, `bounced`, `deferred`, `large-messages`,
        /// `self-forwarding`.
        public var findings: [String]
    }

    public struct SelfForward: Sendable {
        public var recipient: String
        /// `high` or `medium`.
        public var confidence: String
        /// Which name parts matched, in words.
        public var reason: String
        public var messages: Int64
        public var bytes: Int64
    }

    public struct PersonalDomain: Sendable {
        public var domain: String
        /// The catalogue service the domain belongs to (`mail_domains` of a service).
        public var service: String
        public var messages: Int64
        public var bytes: Int64
        /// Distinct senders and recipients (delivered mail only).
        public var senders: Int64
        public var recipients: Int64
        public var bounced: Int64
        public var deferred: Int64
    }

    /// Mail a mailbox forwarded to a personal address without a person sending it.
    public struct AutoForward: Sendable {
        /// The mailbox whose mail was forwarded (Postfix `orig_to`, Exim's parent address, Exchange's
        /// redirected recipient, or the sender whose messages mirror its incoming mail).
        public var mailbox: String
        public var recipient: String
        /// `orig_to`, `exim-parent`, `exchange-redirect`, `exchange-resolve` or `forwarding-pattern`.
        public var evidence: String
        public var messages: Int64
        public var bytes: Int64
        public var firstSeenMillis: Int64
        public var lastSeenMillis: Int64
    }

}
