/// `shadowscan rules list`: the catalogue as a table or a JSON array.
public enum RuleListing {
    /// `[{"id", "name", "category", "risk", "personal", "domains", "url", "source"}]`, in catalogue order.
    public static func json(_ services: [ServiceDefinition]) -> JSONValue {
        .array(services.map { service in
            .object([
                ("id", .string(service.id)),
                ("name", .string(service.name)),
                ("category", .string(service.category)),
                ("risk", .string(service.risk.rawValue)),
                ("personal", .bool(service.personal)),
                ("domains", .array(service.domains.map { .string($0) })),
                ("url", .array(service.urlPatterns.map { .string($0) })),
                ("source", .string(service.location.description)),
            ])
        })
    }

    /// Aligned columns: id, category, risk, personal, domain count, name; then a count per category.
    public static func text(_ services: [ServiceDefinition]) -> String {
        let idWidth = max(2, services.map(\.id.count).max() ?? 0)
        let categoryWidth = max(8, services.map(\.category.count).max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        var out = pad("id", idWidth) + "  " + pad("category", categoryWidth) + "  risk    personal  domains  name\n"
        for service in services {
            let domains = service.urlPatterns.isEmpty ? "\(service.domains.count)" : "\(service.domains.count)+url"
            out += pad(service.id, idWidth) + "  " + pad(service.category, categoryWidth) + "  " + pad(service.risk.rawValue, 6)
                + "  " + pad(service.personal ? "yes" : "no", 8) + "  " + pad(domains, 7) + "  " + ToolText.terminal(service.name, limit: 80) + "\n"
        }
        var perCategory: [String: Int] = [:]
        for service in services { perCategory[service.category, default: 0] += 1 }
        out += "\n\(services.count) service(s) in \(perCategory.count) categor\(perCategory.count == 1 ? "y" : "ies"): "
            + perCategory.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
        return out
    }
}
