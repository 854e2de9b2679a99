/// `shadowscan rules export`: the catalogue (or part of it) as lists proxies read, so a decision to
/// block or sanction goes back to the proxy without hand-copying.
///
/// - `squid-acl`: `acl NAME dstdomain .domain` lines, one ACL per category (or per service), for
///   `http_access deny NAME`;
/// - `squidguard`: squidGuard `domainlist` files (one domain per line; `#` lines are comments, which
///   squidGuard skips), with `# shadowscan-service:` annotations that `rules import ut1` reads back;
/// - `domains`: a bare, sorted list, one domain per line.
///
/// Services narrowed by URL patterns cannot be expressed as domain lists (blocking their domains
/// would block more than the rule matches): they are left out and named in `skipped`.
public enum RuleExporter {
    public enum Format: String, CaseIterable, Sendable {
        case squidACL = "squid-acl", squidGuard = "squidguard", domains
    }

    public enum Grouping: String, CaseIterable, Sendable { case category, service }

    public struct Selection: Sendable {
        public var categories: [String] = []
        public var services: [String] = []
        public init(categories: [String] = [], services: [String] = []) { self.categories = categories; self.services = services }
    }

    public struct SelectionError: Error, CustomStringConvertible, Sendable {
        public let message: String
        public var description: String { message }
    }

    /// A file to write: a path relative to the output folder, and its text.
    public struct File: Sendable, Equatable {
        public let path: String
        public let text: String
    }

    public struct Export: Sendable {
        /// The whole export as one text (for standard output).
        public let text: String
        /// The same as a tree of files (squidGuard: one folder per category, plus a `dest` snippet).
        public let files: [File]
        /// Services left out, with why.
        public let skipped: [(id: String, reason: String)]
    }

    /// The services a selection names: all of the given categories and services (both may be given;
    /// none: the whole catalogue). Unknown names are an error listing what exists.
    public static func select(_ catalog: ServiceCatalog, _ selection: Selection) throws(SelectionError) -> [ServiceDefinition] {
        let unknownCategories = selection.categories.filter { !catalog.categories.contains($0) }
        if !unknownCategories.isEmpty {
            throw SelectionError(message: "unknown category \(unknownCategories.map { "'\($0)'" }.joined(separator: ", ")); the catalogue has: \(catalog.categories.joined(separator: ", "))")
        }
        let unknownServices = selection.services.filter { catalog.service(id: $0) == nil }
        if !unknownServices.isEmpty {
            throw SelectionError(message: "unknown service \(unknownServices.map { "'\($0)'" }.joined(separator: ", ")) (see shadowscan rules list)")
        }
        if selection.categories.isEmpty && selection.services.isEmpty { return catalog.services }
        return catalog.services.filter { selection.categories.contains($0.category) || selection.services.contains($0.id) }
    }

    public static func export(_ services: [ServiceDefinition], as format: Format, grouping: Grouping = .category,
                              includePatterned: Bool = false, source: String = "Rules/") -> Export {
        var skipped: [(String, String)] = []
        var kept: [ServiceDefinition] = []
        for service in services {
            if !service.urlPatterns.isEmpty && !includePatterned {
                skipped.append((service.id, "narrowed by URL patterns (\(service.urlPatterns.count)): a domain list would block more than the rule matches; use --include-patterned to export its domains anyway"))
            } else {
                kept.append(service)
            }
        }
        switch format {
        case .domains:
            let text = minimalDomains(kept.flatMap(\.domains)).joined(separator: "\n") + (kept.isEmpty ? "" : "\n")
            return Export(text: text, files: [File(path: "domains", text: text)], skipped: skipped)
        case .squidACL:
            return Export(text: squidACL(kept, grouping: grouping, source: source, skipped: skipped), files: [], skipped: skipped)
        case .squidGuard:
            return squidGuard(kept, grouping: grouping, source: source, skipped: skipped)
        }
    }

    // MARK: Squid

    static func squidACL(_ services: [ServiceDefinition], grouping: Grouping, source: String, skipped: [(String, String)]) -> String {
        var out = """
            # Squid ACLs exported by `shadowscan rules export squid-acl` from \(source)
            # A leading dot matches the domain and all its subdomains (ShadowScan's label-boundary suffix match).
            # Use them in squid.conf, e.g.:  http_access deny <acl name>

            """
        for (name, group) in groups(services, grouping) {
            let acl = "shadowscan_" + name.replacingOccurrences(of: "-", with: "_")
            out += "\n# \(grouping.rawValue) \(name): " + group.map(\.id).joined(separator: ", ") + "\n"
            // Squid warns about (and ignores) a subdomain of another entry in the same ACL; leave it out.
            for domain in minimalDomains(group.flatMap(\.domains)) { out += "acl \(acl) dstdomain .\(domain)\n" }
        }
        out += skippedNote(skipped)
        return out
    }

    // MARK: squidGuard

    static func squidGuard(_ services: [ServiceDefinition], grouping: Grouping, source: String, skipped: [(String, String)]) -> Export {
        var files: [File] = []
        var dest = "# squidGuard destinations exported by `shadowscan rules export squidguard` from \(source)\n"
            + "# Put the folders under dbhome and use the names in an acl, e.g.:  pass !shadowscan-file-transfer all\n"
        var combined = ""
        for (name, group) in groups(services, grouping) {
            let folder = "shadowscan-" + name
            var text = "# ShadowScan \(grouping.rawValue) \(name), exported from \(source): squidGuard domainlist\n"
            for service in group {
                text += "# shadowscan-service: id=\(service.id) category=\(service.category) risk=\(service.risk.rawValue) personal=\(service.personal) name=\(oneLine(service.name))\n"
                for domain in service.domains { text += domain + "\n" }
            }
            files.append(File(path: "\(folder)/domains", text: text))
            dest += "\ndest \(folder) {\n    domainlist \(folder)/domains\n}\n"
            combined += text
        }
        files.append(File(path: "shadowscan-dest.conf", text: dest))
        let note = skippedNote(skipped)
        return Export(text: combined + note, files: files, skipped: skipped)
    }

    // MARK: Helpers

    private static func groups(_ services: [ServiceDefinition], _ grouping: Grouping) -> [(String, [ServiceDefinition])] {
        var order: [String] = []
        var byName: [String: [ServiceDefinition]] = [:]
        for service in services {
            let key = grouping == .category ? service.category : service.id
            if byName[key] == nil { order.append(key) }
            byName[key, default: []].append(service)
        }
        return order.sorted().map { ($0, byName[$0]!) }
    }

    /// Sorted, without duplicates and without domains another listed domain already covers.
    public static func minimalDomains(_ domains: [String]) -> [String] {
        let all = Set(domains)
        return all.filter { domain in
            var rest = Substring(domain)
            while let dot = rest.firstIndex(of: ".") {
                rest = rest[rest.index(after: dot)...]
                if all.contains(String(rest)) { return false }
            }
            return true
        }.sorted()
    }

    private static func skippedNote(_ skipped: [(String, String)]) -> String {
        guard !skipped.isEmpty else { return "" }
        return "\n# Not exported:\n" + skipped.map { "#   \($0.0): \($0.1)\n" }.joined()
    }

    /// Names are written into comment lines: no line breaks or control characters.
    static func oneLine(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
    }
}
