import Foundation

/// `shadowscan rules import ut1 DIR`: the UT1 blacklists (Université Toulouse 1 Capitole, the category
/// lists squidGuard deployments use) as catalogue services. DIR holds one folder per category with a
/// `domains` file (one domain per line) and optionally a `urls` file (`host/path` per line).
///
/// Each mapped UT1 category becomes one service `ut1-<category>` in one of ShadowScan's categories;
/// `urls` entries become a second service `ut1-<category>-urls` narrowed by one URL pattern. Domains
/// the existing catalogue already claims, or that fall under one of its domains (they would take those
/// hosts from a curated service), are left out and counted. Lists exported by `rules export squidguard`
/// carry `# shadowscan-service:` lines, which restore the original services (ids, names, risk).
/// The generated YAML keeps UT1's attribution and licence note (CC BY-SA 4.0).
public enum UT1Importer {
    public struct Mapping: Sendable, Equatable {
        public let category: String
        public let risk: RiskLevel
        public let personal: Bool
    }

    /// UT1 categories that correspond to ShadowScan's. Others are skipped unless mapped with `--map`.
    public static let defaultMappings: [String: Mapping] = [
        "webmail": Mapping(category: "webmail", risk: .high, personal: true),
        "social_networks": Mapping(category: "social", risk: .medium, personal: true),
        "filehosting": Mapping(category: "file-transfer", risk: .high, personal: true),
        "vpn": Mapping(category: "vpn", risk: .high, personal: true),
        "redirector": Mapping(category: "web-proxy", risk: .high, personal: true),
        "strict_redirector": Mapping(category: "web-proxy", risk: .high, personal: true),
        "strong_redirector": Mapping(category: "web-proxy", risk: .high, personal: true),
        "doh": Mapping(category: "doh", risk: .medium, personal: false),
        "remote-control": Mapping(category: "remote-access", risk: .high, personal: false),
        "translation": Mapping(category: "translation", risk: .medium, personal: false),
        "chat": Mapping(category: "messaging", risk: .medium, personal: true),
        "audio-video": Mapping(category: "video", risk: .low, personal: true),
        "ai": Mapping(category: "ai-chat", risk: .high, personal: false),
    ]

    public static let attribution = """
        # Source: the UT1 blacklists, Université Toulouse 1 Capitole (Fabrice Prigent and contributors),
        #   https://dsi.ut-capitole.fr/blacklists/
        # Licence: Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0),
        #   https://creativecommons.org/licenses/by-sa/4.0/
        #   This file is an adaptation of those lists: keep this notice, and share it under the same licence.
        """

    public struct Options: Sendable {
        /// UT1 categories to import (empty: every mapped category present).
        public var categories: [String] = []
        /// Extra or overriding mappings: UT1 category → ShadowScan category.
        public var overrides: [String: String] = [:]
        /// The catalogue to deduplicate against (nil: none).
        public var existing: ServiceCatalog?
        /// Most `urls` entries turned into a pattern per category (the rest counted as skipped).
        public var maxURLs = 5_000
        /// How the source is named in the generated header.
        public var sourceName = "UT1"
        public init() {}
    }

    public struct ImportError: Error, CustomStringConvertible, Sendable {
        public let message: String
        public var description: String { message }
    }

    public struct Result: Sendable {
        public let yaml: String
        public let services: Int
        public let domains: Int
        /// One line per category and per reason something was left out.
        public let notes: [String]
    }

    struct Service {
        var id: String
        var name: String
        var category: String
        var risk: RiskLevel
        var personal: Bool
        var domains: [String] = []
        var urls: [(host: String, path: String)] = []
        var from: String
    }

    public static func importDirectory(_ path: String, options: Options = Options()) throws(ImportError) -> Result {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ImportError(message: "\(path): not a directory")
        }
        // DIR may be the lists' root, its `blacklists/` folder, or a single category folder.
        var root = path
        if fm.fileExists(atPath: (path as NSString).appendingPathComponent("blacklists")) && !fm.fileExists(atPath: (path as NSString).appendingPathComponent("domains")) {
            root = (path as NSString).appendingPathComponent("blacklists")
        }
        var folders: [(name: String, path: String)]
        if fm.fileExists(atPath: (root as NSString).appendingPathComponent("domains")) {
            folders = [((root as NSString).lastPathComponent, root)]
        } else {
            let names = ((try? fm.contentsOfDirectory(atPath: root)) ?? []).sorted()
            folders = names.compactMap { name in
                let full = (root as NSString).appendingPathComponent(name)
                var dir: ObjCBool = false
                guard fm.fileExists(atPath: full, isDirectory: &dir), dir.boolValue else { return nil }
                let hasList = fm.fileExists(atPath: (full as NSString).appendingPathComponent("domains")) || fm.fileExists(atPath: (full as NSString).appendingPathComponent("urls"))
                return hasList ? (name, full) : nil
            }
        }
        if folders.isEmpty { throw ImportError(message: "\(path): no category folders with a 'domains' or 'urls' file") }
        let unknownWanted = options.categories.filter { wanted in !folders.contains { $0.name == wanted } }
        if !unknownWanted.isEmpty {
            throw ImportError(message: "no category \(unknownWanted.map { "'\($0)'" }.joined(separator: ", ")) in \(path) (it has: \(folders.map(\.name).joined(separator: ", ")))")
        }
        for (_, category) in options.overrides where !RuleFileReader.isKebabCase(category) {
            throw ImportError(message: "--map target '\(category)' is not a kebab-case category")
        }
        var inputs: [(name: String, domains: String?, urls: String?)] = []
        for folder in folders where options.categories.isEmpty || options.categories.contains(folder.name) {
            func read(_ file: String) -> String? {
                fm.contents(atPath: (folder.path as NSString).appendingPathComponent(file)).map { String(decoding: $0, as: UTF8.self) }
            }
            inputs.append((folder.name, read("domains"), read("urls")))
        }
        return convert(inputs, options: options)
    }

    /// The conversion itself, from (UT1 category, `domains` text, `urls` text).
    static func convert(_ inputs: [(name: String, domains: String?, urls: String?)], options: Options) -> Result {
        var notes: [String] = []
        var services: [Service] = []
        var claimed: [String: String] = [:]          // domain → service id, within this import
        var existing: [String: String] = [:]         // catalogue domain → service id
        for service in options.existing?.services ?? [] { for domain in service.domains { existing[domain] = service.id } }
        var usedIDs = Set(options.existing?.services.map(\.id) ?? [])

        func underExisting(_ domain: String) -> String? {
            var rest = Substring(domain)
            while let dot = rest.firstIndex(of: ".") {
                rest = rest[rest.index(after: dot)...]
                if let owner = existing[String(rest)] { return owner }
            }
            return nil
        }

        for input in inputs {
            let slug = input.name.lowercased().replacingOccurrences(of: "_", with: "-").filter { $0.isLetter || $0.isNumber || $0 == "-" }
            let mapped = options.overrides[input.name].map { category in
                Mapping(category: category, risk: defaultMappings[input.name]?.risk ?? .medium, personal: defaultMappings[input.name]?.personal ?? false)
            } ?? defaultMappings[input.name]
            let annotated = input.domains?.contains("# shadowscan-service:") ?? false
            guard mapped != nil || annotated else {
                notes.append("\(input.name): not a category ShadowScan maps (use --map \(input.name)=CATEGORY to import it); skipped")
                continue
            }
            var invalid = 0, duplicate = 0, inCatalogue = 0, underCatalogue = 0
            var current: Int?
            var base: Int?
            func baseService() -> Int {
                if let base { return base }
                let mapping = mapped ?? Mapping(category: "uncategorised", risk: .medium, personal: false)
                var id = "ut1-\(slug)"
                while usedIDs.contains(id) { id += "-import" }
                usedIDs.insert(id)
                services.append(Service(id: id, name: "UT1 \(input.name)", category: mapping.category, risk: mapping.risk, personal: mapping.personal, from: input.name))
                base = services.count - 1
                return base!
            }
            for rawLine in (input.domains ?? "").split(whereSeparator: \.isNewline) {
                let line = rawLine.trimmingCharacters(in: .whitespaces)
                if line.hasPrefix("# shadowscan-service:") {
                    if let service = annotation(String(line.dropFirst("# shadowscan-service:".count)), from: input.name), !usedIDs.contains(service.id) {
                        usedIDs.insert(service.id)
                        services.append(service)
                        current = services.count - 1
                    } else {
                        current = nil
                        notes.append("\(input.name): annotation '\(ToolText.terminal(String(line.prefix(120))))' is malformed or repeats an id; its domains go to the category's service")
                    }
                    continue
                }
                if line.isEmpty || line.hasPrefix("#") { continue }
                guard let domain = normalise(line) else { invalid += 1; continue }
                if claimed[domain] != nil { duplicate += 1; continue }
                if existing[domain] != nil { inCatalogue += 1; continue }
                if underExisting(domain) != nil { underCatalogue += 1; continue }
                let target = current ?? baseService()
                services[target].domains.append(domain)
                claimed[domain] = services[target].id
            }
            // URL entries: a host and a path prefix, as one pattern per category.
            var urlService: Int?
            var urlSkipped = 0, urlInvalid = 0
            for rawLine in (input.urls ?? "").split(whereSeparator: \.isNewline) {
                let line = rawLine.trimmingCharacters(in: .whitespaces)
                if line.isEmpty || line.hasPrefix("#") { continue }
                var text = line
                if let scheme = text.range(of: "://") { text = String(text[scheme.upperBound...]) }
                guard let slash = text.firstIndex(of: "/"), let host = normalise(String(text[..<slash])) else { urlInvalid += 1; continue }
                let path = String(text[slash...])
                guard path.count > 1, !path.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false }) else { urlInvalid += 1; continue }
                // A host some domain already decides (here or in the catalogue) keeps that decision.
                let urlID = urlService.map { services[$0].id }
                if claimed[host].map({ $0 != urlID }) ?? false || existing[host] != nil || underExisting(host) != nil || underClaimed(host, claimed) {
                    urlSkipped += 1
                    continue
                }
                if urlService == nil {
                    let mapping = mapped ?? Mapping(category: "uncategorised", risk: .medium, personal: false)
                    var id = "ut1-\(slug)-urls"
                    while usedIDs.contains(id) { id += "-import" }
                    usedIDs.insert(id)
                    services.append(Service(id: id, name: "UT1 \(input.name) (URLs)", category: mapping.category, risk: mapping.risk, personal: mapping.personal, from: input.name))
                    urlService = services.count - 1
                }
                if services[urlService!].urls.count >= options.maxURLs { urlSkipped += 1; continue }
                services[urlService!].urls.append((host, path))
                if claimed[host] == nil {
                    services[urlService!].domains.append(host)
                    claimed[host] = services[urlService!].id
                }
            }
            // A subdomain of a domain of the same service adds nothing.
            var redundant = 0
            for index in services.indices where services[index].from == input.name {
                let all = Set(services[index].domains)
                let kept = services[index].domains.filter { domain in
                    var rest = Substring(domain)
                    while let dot = rest.firstIndex(of: ".") {
                        rest = rest[rest.index(after: dot)...]
                        if all.contains(String(rest)) { return false }
                    }
                    return true
                }
                redundant += services[index].domains.count - kept.count
                services[index].domains = kept
            }
            var parts: [String] = []
            let imported = services.filter { $0.from == input.name && !$0.domains.isEmpty }
            parts.append("\(imported.reduce(0) { $0 + $1.domains.count }) domain(s) into \(imported.map { "\($0.id) (\($0.category))" }.joined(separator: ", "))")
            if inCatalogue > 0 { parts.append("\(inCatalogue) already in the catalogue") }
            if underCatalogue > 0 { parts.append("\(underCatalogue) under a catalogue domain (the curated service keeps them)") }
            if duplicate > 0 { parts.append("\(duplicate) listed twice or already imported from another category") }
            if redundant > 0 { parts.append("\(redundant) under another domain of the same list") }
            if invalid > 0 { parts.append("\(invalid) not a host name") }
            if let urlService { parts.append("\(services[urlService].urls.count) URL(s) as a pattern") }
            if urlSkipped > 0 { parts.append("\(urlSkipped) URL(s) skipped (host decided by a domain rule, or over --max-urls)") }
            if urlInvalid > 0 { parts.append("\(urlInvalid) URL(s) not host/path") }
            notes.append("\(input.name): " + parts.joined(separator: ", "))
        }
        services.removeAll { $0.domains.isEmpty }
        let yaml = render(services, notes: notes, options: options)
        return Result(yaml: yaml, services: services.count, domains: services.reduce(0) { $0 + $1.domains.count }, notes: notes)
    }

    private static func underClaimed(_ host: String, _ claimed: [String: String]) -> Bool {
        var rest = Substring(host)
        while let dot = rest.firstIndex(of: ".") {
            rest = rest[rest.index(after: dot)...]
            if claimed[String(rest)] != nil { return true }
        }
        return false
    }

    /// A list entry as a catalogue domain: lower case, no wildcard, leading dot or trailing dot; nil when
    /// it is not a host name.
    static func normalise(_ entry: String) -> String? {
        var text = entry.lowercased()
        if text.hasPrefix("+") { text.removeFirst() }
        if text.hasPrefix("*.") { text.removeFirst(2) }
        while text.hasPrefix(".") { text.removeFirst() }
        while text.hasSuffix(".") { text.removeLast() }
        if let space = text.firstIndex(where: { $0 == " " || $0 == "\t" }) { text = String(text[..<space]) }
        guard text.contains("."), RuleFileReader.domainProblem(text) == nil else { return nil }
        return text
    }

    /// `id=dropbox category=cloud-storage risk=high personal=true name=Dropbox Business` (name last).
    static func annotation(_ text: String, from: String) -> Service? {
        var fields: [String: String] = [:]
        var rest = Substring(text.trimmingCharacters(in: .whitespaces))
        while !rest.isEmpty {
            guard let equals = rest.firstIndex(of: "=") else { return nil }
            let key = String(rest[..<equals])
            rest = rest[rest.index(after: equals)...]
            if key == "name" { fields[key] = String(rest); break }
            let end = rest.firstIndex(of: " ") ?? rest.endIndex
            fields[key] = String(rest[..<end])
            rest = rest[end...].drop { $0 == " " }
        }
        guard let id = fields["id"], RuleFileReader.isKebabCase(id), let category = fields["category"], RuleFileReader.isKebabCase(category),
              let risk = fields["risk"].flatMap(RiskLevel.init(rawValue:)), let personal = fields["personal"].flatMap(Bool.init),
              let name = fields["name"], !name.isEmpty else { return nil }
        return Service(id: id, name: name, category: category, risk: risk, personal: personal, from: from)
    }

    // MARK: YAML

    static func render(_ services: [Service], notes: [String], options: Options) -> String {
        var out = "# Generated by `shadowscan rules import ut1` from \(ToolText.terminal(options.sourceName)).\n"
        out += attribution + "\n#\n"
        for note in notes { out += "# \(note)\n" }
        out += "#\n# Check it with `shadowscan rules lint` and `shadowscan rules test` before use.\n"
        out += "services:\n"
        for service in services {
            out += "  - id: \(service.id)\n"
            out += "    name: \(ToolText.yamlQuoted(service.name))\n"
            out += "    category: \(service.category)\n"
            out += "    risk: \(service.risk.rawValue)\n"
            out += "    personal: \(service.personal)\n"
            out += "    domains:\n"
            for domain in service.domains { out += "      - \(domain)\n" }
            let first = service.urls.first.map { "https://\($0.host)\($0.path)" } ?? "https://\(service.domains[0])/"
            if !service.urls.isEmpty {
                // One pattern: the listed host (or a subdomain), then one of the listed path prefixes.
                let alternatives = service.urls.map { regexEscape($0.host) + "(?::\\d+)?" + regexEscape($0.path) }
                out += "    url:\n      - " + ToolText.yamlQuoted("(?i)^(?:[a-z][a-z0-9+.-]*://)?(?:[^/@]*@)?(?:[^/]*\\.)?(?:" + alternatives.joined(separator: "|") + ")") + "\n"
            }
            out += "    examples:\n"
            out += "      match:\n        - \(ToolText.yamlQuoted(first))\n"
            out += "      no_match:\n        - \(ToolText.yamlQuoted("https://\(service.domains[0]).invalid/"))\n"
            out += "\n"
        }
        return out
    }

    static func regexEscape(_ text: String) -> String {
        var out = ""
        for ch in text {
            if "\\^$.|?*+()[]{}/#".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}
