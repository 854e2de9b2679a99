/// The mail-route hook: messages sent to personal addresses, fed into workaround detection so that
/// "denied on a storage or transfer service, then a mail with a large attachment to a personal address
/// within the window" is found.
///
/// Whoever reads mail logs adds one event per finished message that went to at least one personal
/// recipient, and hands the collection to the analysis (`Analyzer.run(_:mailRoutes:)`, or
/// `ResultMerger.mailRoutes`). The detector keeps only messages at or above the policy's
/// `upload_threshold` and puts them in time order with the proxy events of the same identity (a mail at
/// the same millisecond as a denial counts as after it). Senders become identities through
/// `identity(forSender:organisationDomains:)`, so `jsmith@council.gov.uk` meets the proxy's `jsmith`.
///
/// ```swift
/// var routes = MailRouteEvents()
/// routes.add(identity: MailRouteEvents.identity(forSender: "JSmith@council.gov.uk", organisationDomains: ["council.gov.uk"]),
///            timeMillis: message.time, attachmentBytes: message.size, recipientService: "gmail")
/// let result = analyzer.run(sources, mailRoutes: routes)
/// ```
public struct MailRouteEvents: Sendable {
    struct Event: Sendable {
        var identity: Int32
        var time: Int64
        var bytes: Int64
        /// Catalogue service id of the recipient's mail domain; nil: a personal address the catalogue does not know.
        var service: String?
    }

    private(set) var names: [String] = []
    private var index: [String: Int32] = [:]
    private(set) var events: [Event] = []
    /// Messages not kept because `maxEvents` were already held.
    public private(set) var overflow: Int64 = 0
    public let maxEvents: Int

    public init(maxEvents: Int = 1_000_000) { self.maxEvents = maxEvents }

    public var count: Int { events.count }

    /// One message from `identity` with `attachmentBytes` (the message size when attachments are not
    /// logged separately) to a personal address of catalogue service `recipientService`.
    public mutating func add(identity: String, timeMillis: Int64, attachmentBytes: Int64, recipientService: String?) {
        guard !identity.isEmpty, attachmentBytes > 0 else { return }
        guard events.count < maxEvents else { overflow += 1; return }
        // Bounded like the proxy's identities (ByteInterner keeps at most 256 bytes).
        let key = String(decoding: identity.utf8.prefix(256), as: UTF8.self)
        let id: Int32
        if let known = index[key] { id = known } else {
            id = Int32(names.count)
            index[key] = id
            names.append(key)
        }
        events.append(Event(identity: id, time: timeMillis, bytes: attachmentBytes, service: recipientService))
    }

    /// Adds every message of `other` (kept in its order, after these).
    public mutating func add(contentsOf other: MailRouteEvents) {
        for e in other.events {
            add(identity: other.names[Int(e.identity)], timeMillis: e.time, attachmentBytes: e.bytes, recipientService: e.service)
        }
        overflow += other.overflow
    }

    /// The identity a sender address stands for: the local part, lower-cased, when the address is in
    /// one of the organisation's domains (or a subdomain); otherwise the whole address, lower-cased.
    public static func identity(forSender address: String, organisationDomains: [String]) -> String {
        let lowered = address.lowercased()
        guard let at = lowered.lastIndex(of: "@") else { return lowered }
        let domain = lowered[lowered.index(after: at)...]
        let own = organisationDomains.contains { d in domain == d || domain.hasSuffix("." + d) }
        return own ? String(lowered[..<at]) : lowered
    }
}
