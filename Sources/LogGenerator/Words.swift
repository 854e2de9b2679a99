/// Word lists the synthetic population (users, business domains, paths) is built from.
enum Words {
    static let firstNames = [
        "james", "mary", "john", "patricia", "robert", "jennifer", "michael", "linda", "william", "elizabeth",
        "david", "barbara", "richard", "susan", "joseph", "jessica", "thomas", "sarah", "charles", "karen",
        "amir", "aisha", "omar", "fatima", "raj", "priya", "wei", "mei", "hiroshi", "yuki", "olga", "ivan",
        "lucas", "sofia", "mateo", "valentina", "noah", "emma", "liam", "olivia", "ahmed", "zara", "kofi",
        "ama", "sean", "niamh", "lars", "ingrid", "pierre", "claire", "hans", "greta", "marco", "giulia",
    ]
    static let surnames = [
        "smith", "jones", "taylor", "brown", "williams", "wilson", "johnson", "davies", "robinson", "wright",
        "thompson", "evans", "walker", "white", "roberts", "green", "hall", "wood", "jackson", "clarke",
        "khan", "patel", "singh", "ali", "hussain", "chen", "wang", "li", "zhang", "tanaka", "suzuki",
        "ivanova", "petrov", "garcia", "martinez", "lopez", "rossi", "ferrari", "muller", "schmidt",
        "dubois", "martin", "nielsen", "larsen", "okafor", "mensah", "obrien", "murphy", "kelly", "byrne",
    ]

    static let companyWords = [
        "acme", "globex", "initech", "umbrella", "stark", "wayne", "wonka", "hooli", "vandelay", "soylent",
        "northwind", "tailspin", "fabrikam", "litware", "proseware", "adatum", "woodgrove", "lucerne",
        "blue", "red", "green", "silver", "golden", "north", "south", "east", "west", "central", "united",
        "alpha", "beta", "delta", "omega", "apex", "summit", "pioneer", "atlas", "orbit", "vertex", "nova",
        "river", "harbour", "bridge", "castle", "meadow", "forest", "stone", "maple", "cedar", "oak",
    ]
    static let businessWords = [
        "logistics", "supplies", "bank", "insurance", "media", "systems", "analytics", "consulting",
        "software", "payroll", "travel", "foods", "energy", "telecom", "health", "pharma", "legal",
        "freight", "print", "security", "labs", "design", "retail", "motors", "partners", "group",
        "solutions", "networks", "data", "finance", "market", "news", "hr", "learning", "facilities",
    ]
    static let tlds = ["com", "com", "com", "net", "org", "co.uk", "io", "de", "fr", "eu", "biz", "nl", "ie"]
    static let subdomains = ["www", "www", "www", "cdn", "static", "api", "img", "assets", "portal",
                             "login", "secure", "docs", "app", "media", "downloads"]

    /// Real-looking hosts of ordinary business browsing (dropped if the catalogue claims them).
    static let wellKnownHosts = [
        "www.bbc.co.uk", "bbc.co.uk", "news.bbc.co.uk", "www.gov.uk", "gov.uk", "www.hmrc.gov.uk",
        "www.nhs.uk", "www.parliament.uk", "www.theguardian.com", "en.wikipedia.org", "www.ft.com",
        "www.reuters.com", "ocsp.digicert.com", "crl.globalsign.com", "ctldl.windowsupdate.com",
        "security.ubuntu.com", "archive.ubuntu.com", "connectivity-check.ubuntu.com", "www.economist.com",
        "www.met-office.gov.uk", "www.companieshouse.gov.uk", "www.ons.gov.uk", "www.nationalrail.co.uk",
        "tfl.gov.uk", "www.royalmail.com", "www.w3.org", "www.iana.org", "www.ietf.org",
    ]

    static let pathWords = [
        "index", "home", "about", "products", "services", "news", "contact", "login", "search", "orders",
        "invoices", "reports", "catalog", "support", "help", "account", "profile", "static", "assets",
        "images", "css", "js", "api", "v1", "v2", "downloads", "docs", "blog", "careers", "events",
    ]
    static let fileExtensions: [(ext: String, mime: String)] = [
        ("html", "text/html"), ("html", "text/html"), ("js", "application/javascript"),
        ("css", "text/css"), ("png", "image/png"), ("jpg", "image/jpeg"), ("svg", "image/svg+xml"),
        ("json", "application/json"), ("woff2", "font/woff2"), ("pdf", "application/pdf"),
        ("gif", "image/gif"), ("xml", "application/xml"),
    ]

    static let nearMissPrefixes = ["not", "my", "get", "secure-", "login-"]
    static let nearMissSuffixes = [".evil.net", ".example.org", ".attacker.io", ".phish.co"]

    static let userAgents = [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        "Microsoft-CryptoAPI/10.0",
        "Windows-Update-Agent/10.0.10011.16384 Client-Protocol/2.50",
        "curl/8.5.0",
        "python-requests/2.32.3",
    ]

    static let garbage = [
        "### squid restarted ###",
        "Squid Cache (Version 6.6): Terminated abnormally.",
        "FATAL: Received Segment Violation...dying.",
        "-- MARK --",
        "<html><body>Bad Gateway</body></html>",
        "WARNING: log file rotated",
        "logfile_mod_daemon: error writing",
    ]
}
