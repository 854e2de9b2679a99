import Foundation
import Yams

/// The parts of the service catalogue the generator needs, read straight from the YAML with Yams.
///
/// Deliberately independent of ShadowScanCore's loader: the truth must not inherit the analyser's
/// bugs. Unknown keys are ignored here; validating the catalogue is the analyser's job.
public struct GeneratorCatalogue: Sendable {
    /// An `upload` rule, kept as written (the generator never evaluates patterns).
    public struct UploadRule: Sendable, Equatable {
        public var methods: [String]
        public var url: String?

        public init(methods: [String], url: String? = nil) {
            self.methods = methods.map { $0.uppercased() }
            self.url = url
        }
    }

    public struct Service: Sendable, Equatable {
        public var id: String
        public var category: String
        /// Lower-cased domains (suffix match on label boundaries).
        public var domains: [String]
        /// The service's `url` patterns, as written. The generator only looks at whether there are any:
        /// then only its `examples.match` are known to belong to it. (Kept for tests that recount.)
        public var urlPatterns: [String]
        public var uploadRules: [UploadRule]
        /// `examples.match`: URLs (scheme optional) or `host:port` CONNECT targets.
        public var matchExamples: [String]
        /// `examples.upload`: "METHOD URL" lines.
        public var uploadExamples: [String]
        /// `mail_domains`: where the provider's users have mailboxes (the mail generator's personal domains).
        public var mailDomains: [String] = []

        public init(
            id: String, category: String, domains: [String], urlPatterns: [String] = [],
            uploadRules: [UploadRule] = [], matchExamples: [String], uploadExamples: [String] = []
        ) {
            self.id = id
            self.category = category
            self.domains = domains.map { $0.lowercased() }
            self.urlPatterns = urlPatterns
            self.uploadRules = uploadRules
            self.matchExamples = matchExamples
            self.uploadExamples = uploadExamples
        }

        public var hasURLPatterns: Bool { !urlPatterns.isEmpty }
        /// Methods named by the service's `upload` rules (empty when it has none).
        public var uploadMethods: Set<String> { Set(uploadRules.flatMap(\.methods)) }
    }

    public var services: [Service]
    /// Domain → index in `services`.
    let domainOwner: [String: Int]

    public init(services: [Service]) {
        self.services = services
        var owner: [String: Int] = [:]
        for (index, service) in services.enumerated() {
            for domain in service.domains where owner[domain] == nil { owner[domain] = index }
        }
        domainOwner = owner
    }

    /// Loads every `*.yaml` file of `directory`, sorted by name (as the analyser does).
    public static func load(directory: URL) throws -> GeneratorCatalogue {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
            throw CatalogueError.notADirectory(directory.path)
        }
        let names = entries
            .filter { $0.hasSuffix(".yaml") && !$0.hasPrefix("policy") }   // the analyser skips policy files too
            .sorted()
        guard !names.isEmpty else { throw CatalogueError.empty(directory.path) }
        var services: [Service] = []
        for name in names {
            let url = directory.appendingPathComponent(name)
            let text = try String(contentsOf: url, encoding: .utf8)
            services += try parse(yaml: text, file: name)
        }
        return GeneratorCatalogue(services: services)
    }

    public static func load(directory path: String) throws -> GeneratorCatalogue {
        try load(directory: URL(fileURLWithPath: path))
    }

    /// Parses one catalogue file's text.
    public static func parse(yaml text: String, file: String = "<yaml>") throws -> [Service] {
        guard let root = try Yams.load(yaml: text) as? [String: Any],
              let list = root["services"] as? [Any] else {
            throw CatalogueError.malformed(file, "expected a top-level `services:` list")
        }
        return try list.enumerated().map { index, item in
            guard let map = item as? [String: Any], let id = map["id"].map(scalar), !id.isEmpty else {
                throw CatalogueError.malformed(file, "service #\(index + 1) has no id")
            }
            let examples = map["examples"] as? [String: Any] ?? [:]
            let uploadRules = (map["upload"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }.map {
                UploadRule(methods: strings($0["methods"]), url: $0["url"].map(scalar))
            }
            var service = Service(
                id: id,
                category: map["category"].map(scalar) ?? "",
                domains: strings(map["domains"]),
                urlPatterns: strings(map["url"]),
                uploadRules: uploadRules,
                matchExamples: strings(examples["match"]),
                uploadExamples: strings(examples["upload"])
            )
            service.mailDomains = strings(map["mail_domains"]).map { $0.lowercased() }
            return service
        }
    }

    private static func scalar(_ value: Any) -> String { value as? String ?? "\(value)" }
    private static func strings(_ value: Any?) -> [String] { (value as? [Any] ?? []).map(scalar) }

    // MARK: Domain matching (independent re-implementation of the README's rule)

    /// Every catalogue domain that is a suffix of `host` on a label boundary, most specific first,
    /// with its owning service index.
    func matchingDomains(ofHost host: String) -> [(domain: String, service: Int)] {
        var host = host.lowercased()
        if host.hasSuffix(".") { host.removeLast() }   // "dropbox.com." is still dropbox.com
        var result: [(String, Int)] = []
        var candidate = Substring(host)
        while true {
            if let owner = domainOwner[String(candidate)] { result.append((String(candidate), owner)) }
            guard let dot = candidate.firstIndex(of: ".") else { break }
            candidate = candidate[candidate.index(after: dot)...]
        }
        return result
    }

    /// True when no label-boundary suffix of `host` is a catalogue domain.
    public func isUnmatched(host: String) -> Bool { matchingDomains(ofHost: host).isEmpty }

    /// True when `host` belongs to `service` by domain alone, unambiguously: every catalogue domain
    /// it falls under is one of that service's (so "most specific wins" cannot pick another service).
    func belongsOnlyTo(host: String, service: Int) -> Bool {
        let hits = matchingDomains(ofHost: host)
        return !hits.isEmpty && hits.allSatisfy { $0.service == service }
    }
}

public enum CatalogueError: Error, CustomStringConvertible {
    case notADirectory(String)
    case empty(String)
    case malformed(String, String)

    public var description: String {
        switch self {
        case .notADirectory(let dir): return "\(dir): not a readable directory"
        case .empty(let dir): return "\(dir): no *.yaml catalogue files"
        case .malformed(let file, let message): return "\(file): \(message)"
        }
    }
}
