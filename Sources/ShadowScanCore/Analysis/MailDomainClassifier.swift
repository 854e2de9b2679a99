/// Decides what an address's domain is: a personal mail provider of the catalogue (`mail_domains` of
/// a service), one of the organisation's own domains, or anything else. Both lists match by suffix on
/// label boundaries (`gmx.de` covers `mail.gmx.de`; `council.gov.uk` covers `hq.council.gov.uk`); the
/// organisation wins where both would match. Each distinct domain is looked up once and cached.
struct MailDomainClassifier {
    /// Class codes: a personal service number (>= 0) or one of these.
    static let organisation: Int32 = -1
    static let other: Int32 = -2
    /// No domain at all (`root`, `MAILER-DAEMON`): a local mailbox of the gateway itself.
    static let local: Int32 = -3

    private let personal: [String: Int32]
    private let organisationDomains: Set<String>
    let hasOrganisationDomains: Bool
    private var domains = ByteInterner(capacity: 4096)
    private var classes: [Int32] = []
    private let limit: Int

    init(catalog: ServiceCatalog, organisationDomains: [String], limit: Int = 500_000) {
        var personal: [String: Int32] = [:]
        for (index, service) in catalog.services.enumerated() {
            for domain in service.mailDomains where personal[domain] == nil { personal[domain] = Int32(index) }
        }
        self.personal = personal
        self.organisationDomains = Set(organisationDomains.map { $0.lowercased() })
        hasOrganisationDomains = !organisationDomains.isEmpty
        self.limit = limit
    }

    /// (class, domain id) of an address (lower-cased bytes); the id is -1 when the domain table is full.
    @inline(__always)
    mutating func classify(address: UnsafeRawBufferPointer) -> (Int32, Int32) {
        var at = address.count - 1
        while at >= 0 && address[at] != ASCII.at { at -= 1 }
        guard at >= 0, at + 1 < address.count else { return (Self.local, -1) }
        let domain = UnsafeRawBufferPointer(rebasing: address[(at + 1)...])
        let id = domains.intern(domain, limit: limit)
        if id < 0 { return (classify(domain: String(decoding: domain, as: UTF8.self)), -1) }
        if Int(id) == classes.count { classes.append(classify(domain: String(decoding: domain, as: UTF8.self))) }
        return (classes[Int(id)], id)
    }

    func domainName(_ id: Int32) -> String { String(decoding: domains.bytes(of: id), as: UTF8.self) }

    /// The class of a domain by its label suffixes, most specific first.
    func classify(domain: String) -> Int32 {
        var candidate = Substring(domain.hasSuffix(".") ? String(domain.dropLast()) : domain)
        var personalMatch: Int32?
        while !candidate.isEmpty {
            let key = String(candidate)
            if organisationDomains.contains(key) { return Self.organisation }
            if personalMatch == nil, let service = personal[key] { personalMatch = service }
            guard let dot = candidate.firstIndex(of: ".") else { break }
            candidate = candidate[candidate.index(after: dot)...]
        }
        return personalMatch ?? Self.other
    }
}
