import Foundation
import Yams

/// Loads and validates a policy file (`--policy FILE`) against the catalogue. Like the rule loader, it
/// collects every problem (unknown keys, wrong types, unknown service ids or categories, conflicting
/// entries, bad durations, sizes, ranges, hours, directory rows) with file, line and column, and returns
/// a policy only when there are none.
public enum PolicyLoader {
    public static func load(file path: String, catalog: ServiceCatalog) throws(RuleLoadError) -> WorkaroundPolicy {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RuleLoadError(problems: [RuleProblem(location: SourceLocation(file: path, line: 0, column: 0), message: "cannot read the policy file")])
        }
        let base = (path as NSString).deletingLastPathComponent
        return try load(text: String(decoding: data, as: UTF8.self), name: path, catalog: catalog) { relative in
            let full = relative.hasPrefix("/") ? relative : (base as NSString).appendingPathComponent(relative)
            return (full, FileManager.default.contents(atPath: full).map { String(decoding: $0, as: UTF8.self) })
        }
    }

    /// Loads from text; `readFile` resolves the directory CSV's path (relative to the policy file) and
    /// returns its resolved name and contents (nil when unreadable).
    public static func load(text: String, name: String, catalog: ServiceCatalog,
                            readFile: (String) -> (String, String?) = { ($0, nil) }) throws(RuleLoadError) -> WorkaroundPolicy {
        var reader = PolicyReader(file: name, catalog: catalog)
        reader.read(text, readFile: readFile)
        // In file order, as a reader goes through the file (checks run section by section).
        let ordered = reader.problems.enumerated().sorted { a, b in
            (a.element.location.file == name ? 0 : 1, a.element.location.file, a.element.location.line, a.element.location.column, a.offset)
                < (b.element.location.file == name ? 0 : 1, b.element.location.file, b.element.location.line, b.element.location.column, b.offset)
        }.map(\.element)
        guard ordered.isEmpty else { throw RuleLoadError(problems: ordered) }
        return reader.policy
    }

    /// Milliseconds of a window duration (`30m`, `90s`, `2h`, `1h30m`; 1 s to 7 days), or nil.
    public static func duration(_ text: String) -> Int64? {
        guard let ms = PolicyReader.durationMillis(text), ms >= 1000, ms <= 7 * 86_400_000 else { return nil }
        return ms
    }
}

struct PolicyReader: YAMLProblems {
    let file: String
    let catalog: ServiceCatalog
    var problems: [RuleProblem] = []
    var policy: WorkaroundPolicy

    static let topKeys = ["alternatives", "blocked", "decisions", "directory", "organisation", "sanctioned", "tolerated", "workarounds", "working_hours"]
    static let organisationKeys = ["domains", "name", "tenants"]
    static let workaroundKeys = ["evasion_categories", "ip_ranges", "substitute_groups", "upload_threshold", "window"]
    static let hoursKeys = ["days", "end", "start", "timezone"]
    static let decisionKeys = ["enforcement_gap", "high_demand", "low_demand", "trend_change", "workaround_share"]
    static let dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]

    init(file: String, catalog: ServiceCatalog) {
        self.file = file
        self.catalog = catalog
        policy = .default(for: catalog)
        policy.source = file
    }

    mutating func read(_ text: String, readFile: (String) -> (String, String?)) {
        let root: Node?
        switch compose(text) {
        case .success(let node): root = node
        case .failure(let problem): problems.append(problem); return
        }
        guard let root else { return }   // an empty file is the default policy
        guard let values = mapping(root, "the policy", keys: Self.topKeys) else { return }

        if let node = values["organisation"], let org = mapping(node, "'organisation'", keys: Self.organisationKeys) {
            if let name = org["name"] { policy.organisationName = string(name, "name") }
            for key in ["domains", "tenants"] {
                for (domain, node) in stringList(org[key], key) {
                    if let reason = RuleFileReader.domainProblem(domain) {
                        problems.append(problem(node, "\(key) entry '\(domain)' \(reason)"))
                    } else {
                        policy.internalDomains.append(domain)
                    }
                }
            }
        }

        // Explicit service entries win over category entries; one name in two lists is a conflict.
        var serviceLevel: [Int: (WorkaroundPolicy.Status, Node)] = [:]
        var categoryLevel: [String: (WorkaroundPolicy.Status, Node)] = [:]
        for (key, status) in [("blocked", WorkaroundPolicy.Status.blocked), ("sanctioned", .sanctioned), ("tolerated", .tolerated)] {
            for (name, node) in stringList(values[key], key) {
                switch resolve(name, node) {
                case .service(let s):
                    if let (earlier, at) = serviceLevel[s] {
                        problems.append(problem(node, "service '\(name)' is already listed as \(earlier.rawValue) (\(location(at)))"))
                    } else {
                        serviceLevel[s] = (status, node)
                    }
                case .category(let c):
                    if let (earlier, at) = categoryLevel[c] {
                        problems.append(problem(node, "category '\(name)' is already listed as \(earlier.rawValue) (\(location(at)))"))
                    } else {
                        categoryLevel[c] = (status, node)
                    }
                case nil:
                    break
                }
            }
        }
        for (s, service) in catalog.services.enumerated() {
            if let (status, _) = serviceLevel[s] {
                policy.status[s] = status
            } else if let (status, _) = categoryLevel[service.category] {
                policy.status[s] = status
            }
        }

        if let node = values["alternatives"] {
            if let pairs = node.mapping {
                for (key, value) in pairs {
                    guard let category = key.string else { continue }
                    guard let c = catalog.categories.firstIndex(of: category) else {
                        problems.append(problem(key, "unknown category '\(category)' (expected one of: \(catalog.categories.joined(separator: ", ")))"))
                        continue
                    }
                    guard let id = string(value, "alternative") else { continue }
                    guard let s = catalog.services.firstIndex(where: { $0.id == id }) else {
                        problems.append(problem(value, "unknown service '\(id)' as the alternative for '\(category)'"))
                        continue
                    }
                    if policy.status[s] == .blocked {
                        problems.append(problem(value, "the alternative for '\(category)', '\(id)', is blocked by this policy"))
                        continue
                    }
                    policy.alternatives[c] = s
                    policy.status[s] = .sanctioned   // an alternative is sanctioned by definition
                }
            } else {
                problems.append(problem(node, "'alternatives' must map categories to service ids"))
            }
        }

        if let node = values["workarounds"], let w = mapping(node, "'workarounds'", keys: Self.workaroundKeys) {
            if let window = w["window"], let text = string(window, "window") {
                if let ms = PolicyLoader.duration(text) {
                    policy.windowMillis = ms
                } else {
                    problems.append(problem(window, "window '\(text)' must be a duration between 1s and 7d, like 30m, 90s or 2h"))
                }
            }
            if let threshold = w["upload_threshold"], let text = string(threshold, "upload_threshold") {
                if let bytes = Self.sizeBytes(text), bytes > 0 {
                    policy.uploadThreshold = bytes
                } else {
                    problems.append(problem(threshold, "upload_threshold '\(text)' must be a positive size, like 10MB, 25MiB or 1048576"))
                }
            }
            if w["evasion_categories"] != nil {
                var categories = Set<String>()
                for (name, node) in stringList(w["evasion_categories"], "evasion_categories") {
                    if catalog.categories.contains(name) { categories.insert(name) } else {
                        problems.append(problem(node, "unknown category '\(name)' in evasion_categories"))
                    }
                }
                policy.evasionCategories = categories
            }
            if let node = w["substitute_groups"] {
                if let groups = node.sequence {
                    var seen: [String: Node] = [:]
                    policy.substituteGroups = []
                    for groupNode in groups {
                        var group: [String] = []
                        for (name, nameNode) in stringList(groupNode, "substitute_groups") {
                            if !catalog.categories.contains(name) {
                                problems.append(problem(nameNode, "unknown category '\(name)' in substitute_groups"))
                            } else if let earlier = seen[name] {
                                problems.append(problem(nameNode, "category '\(name)' is already in a substitute group (\(location(earlier)))"))
                            } else {
                                seen[name] = nameNode
                                group.append(name)
                            }
                        }
                        if group.count >= 2 { policy.substituteGroups.append(group) }
                    }
                } else {
                    problems.append(problem(node, "'substitute_groups' must be a list of lists of categories"))
                }
            }
            if let node = w["ip_ranges"] {
                if let pairs = node.mapping {
                    for (key, value) in pairs {
                        guard let id = key.string else { continue }
                        guard let s = catalog.services.firstIndex(where: { $0.id == id }) else {
                            problems.append(problem(key, "unknown service '\(id)' in ip_ranges"))
                            continue
                        }
                        for (cidr, cidrNode) in stringList(value, "ip_ranges.\(id)") {
                            if let reason = policy.ipRanges.add(cidr, service: Int32(s)) { problems.append(problem(cidrNode, reason)) }
                        }
                    }
                } else {
                    problems.append(problem(node, "'ip_ranges' must map service ids to lists of CIDR ranges"))
                }
            }
        }

        if let node = values["working_hours"], let h = mapping(node, "'working_hours'", keys: Self.hoursKeys) {
            readWorkingHours(h, node)
        }

        if let node = values["decisions"], let d = mapping(node, "'decisions'", keys: Self.decisionKeys) {
            var t = DecisionThresholds()
            if let n = d["high_demand"] { t.highDemand = count(n, "high_demand") ?? t.highDemand }
            if let n = d["low_demand"] { t.lowDemand = count(n, "low_demand") ?? t.lowDemand }
            if let n = d["workaround_share"] { t.workaroundSharePercent = percent(n, "workaround_share") ?? t.workaroundSharePercent }
            if let n = d["enforcement_gap"] { t.enforcementGapPercent = percent(n, "enforcement_gap") ?? t.enforcementGapPercent }
            if let n = d["trend_change"] { t.trendPercent = percent(n, "trend_change") ?? t.trendPercent }
            if t.lowDemand >= t.highDemand {
                problems.append(problem(node, "low_demand (\(t.lowDemand)) must be below high_demand (\(t.highDemand))"))
            }
            policy.thresholds = t
        }

        if let node = values["directory"], let relative = string(node, "directory") {
            let (path, contents) = readFile(relative)
            if let contents {
                readDirectory(contents, name: path)
            } else {
                problems.append(problem(node, "cannot read the directory file '\(path)'"))
            }
        }
    }

    // MARK: Sections

    private mutating func readWorkingHours(_ h: [String: Node], _ node: Node) {
        var days = Set(1...5)
        if h["days"] != nil {
            days = []
            for (name, dayNode) in stringList(h["days"], "days") {
                if let d = Self.dayNames.firstIndex(of: String(name.lowercased().prefix(3))), name.count >= 3 {
                    days.insert(d)
                } else {
                    problems.append(problem(dayNode, "unknown day '\(name)' (expected mon, tue, wed, thu, fri, sat, sun)"))
                }
            }
        }
        func minutes(_ key: String, _ fallback: Int) -> Int {
            guard let n = h[key], let text = string(n, key) else { return fallback }
            let parts = text.split(separator: ":")
            if parts.count == 2, let hh = Int(parts[0]), let mm = Int(parts[1]), (0...24).contains(hh), (0...59).contains(mm), hh * 60 + mm <= 1440 {
                return hh * 60 + mm
            }
            problems.append(problem(n, "\(key) '\(text)' must be a time of day like 08:00"))
            return fallback
        }
        let start = minutes("start", 8 * 60), end = minutes("end", 18 * 60)
        if end <= start { problems.append(problem(h["end"] ?? node, "working hours must end after they start")) }
        var clock = LocalClock.utc
        if let z = h["timezone"], let name = string(z, "timezone") {
            if let offset = Self.fixedOffsetMinutes(name) {
                clock = LocalClock(offsetMinutes: offset, name: name)
            } else if let zone = TimeZone(identifier: name) {
                clock = LocalClock(zone: zone, name: name)
            } else {
                problems.append(problem(z, "unknown time zone '\(name)' (an IANA name like Europe/London, or an offset like +01:00)"))
            }
        }
        policy.workingHours = WorkingHours(days: days, start: start, end: end, clock: clock)
    }

    /// `identity,department` rows; a header row naming those columns is optional; `#` comments and
    /// blank lines are skipped. Quoted fields follow RFC 4180.
    private mutating func readDirectory(_ text: String, name: String) {
        policy.directorySource = name
        var first = true
        for (lineNumber, fields) in CSVRows.parse(text) {
            if fields.count == 1 && fields[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
            if fields[0].hasPrefix("#") { continue }
            if first {
                first = false
                if fields.count >= 2 && fields[0].lowercased() == "identity" && fields[1].lowercased() == "department" { continue }
            }
            let at = SourceLocation(file: name, line: lineNumber, column: 1)
            guard fields.count == 2 else {
                problems.append(RuleProblem(location: at, message: "expected 2 fields (identity,department), found \(fields.count)"))
                continue
            }
            let identity = fields[0].trimmingCharacters(in: .whitespaces), department = fields[1].trimmingCharacters(in: .whitespaces)
            guard !identity.isEmpty, !department.isEmpty else {
                problems.append(RuleProblem(location: at, message: "identity and department must not be empty"))
                continue
            }
            let key = identity.lowercased()
            if let earlier = policy.directory[key], earlier != department {
                problems.append(RuleProblem(location: at, message: "identity '\(identity)' is already in department '\(earlier)'"))
                continue
            }
            policy.directory[key] = department
        }
    }

    // MARK: Values

    enum Resolved { case service(Int), category(String) }

    private mutating func resolve(_ name: String, _ node: Node) -> Resolved? {
        let service = catalog.services.firstIndex { $0.id == name }
        let isCategory = catalog.categories.contains(name)
        switch (service, isCategory) {
        case (let s?, false): return .service(s)
        case (nil, true): return .category(name)
        case (_?, true):
            problems.append(problem(node, "'\(name)' is both a service id and a category"))
            return nil
        case (nil, false):
            problems.append(problem(node, "unknown service id or category '\(name)'"))
            return nil
        }
    }

    private mutating func mapping(_ node: Node, _ what: String, keys: [String]) -> [String: Node]? {
        guard let pairs = node.mapping else {
            problems.append(problem(node, "\(what) must be a mapping"))
            return nil
        }
        var values: [String: Node] = [:]
        for (key, value) in pairs {
            guard let name = key.string else { problems.append(problem(key, "expected a key")); continue }
            if !keys.contains(name) {
                problems.append(problem(key, "unknown key '\(name)' (expected one of: \(keys.joined(separator: ", ")))"))
            } else if values[name] != nil {
                problems.append(problem(key, "key '\(name)' given twice"))
            } else {
                values[name] = value
            }
        }
        return values
    }

    private mutating func string(_ node: Node, _ key: String) -> String? {
        guard let scalar = node.scalar, !scalar.string.isEmpty else {
            problems.append(problem(node, "'\(key)' must be a non-empty string"))
            return nil
        }
        return scalar.string
    }

    private mutating func stringList(_ node: Node?, _ key: String) -> [(String, Node)] {
        guard let node else { return [] }
        if let scalar = node.scalar { return scalar.string.isEmpty ? [] : [(scalar.string, node)] }
        guard let list = node.sequence else { problems.append(problem(node, "'\(key)' must be a list of strings")); return [] }
        var out: [(String, Node)] = []
        for item in list {
            if let scalar = item.scalar { out.append((scalar.string, item)) } else { problems.append(problem(item, "'\(key)' entries must be strings")) }
        }
        return out
    }

    private mutating func count(_ node: Node, _ key: String) -> Int64? {
        if let text = node.scalar?.string, let n = Int64(text), n >= 0 { return n }
        problems.append(problem(node, "'\(key)' must be a whole number of identities"))
        return nil
    }

    private mutating func percent(_ node: Node, _ key: String) -> Int64? {
        var text = node.scalar?.string ?? ""
        if text.hasSuffix("%") { text.removeLast() }
        if let n = Int64(text.trimmingCharacters(in: .whitespaces)), (0...100).contains(n) { return n }
        problems.append(problem(node, "'\(key)' must be a percentage 0-100, like 25%"))
        return nil
    }

    /// `30m`, `90s`, `2h`, `1h30m`, `1d`; a bare number is rejected (ambiguous unit).
    static func durationMillis(_ text: String) -> Int64? {
        var total: Int64 = 0, number: Int64 = 0, digits = 0
        for c in text.lowercased() where c != " " {
            if let d = c.wholeNumberValue, c.isASCII {
                number = number * 10 + Int64(d); digits += 1
                if digits > 9 { return nil }
                continue
            }
            guard digits > 0 else { return nil }
            switch c {
            case "s": total += number * 1000
            case "m": total += number * 60_000
            case "h": total += number * 3_600_000
            case "d": total += number * 86_400_000
            default: return nil
            }
            number = 0; digits = 0
        }
        return digits == 0 && total > 0 ? total : nil
    }

    /// `10MB` (10^6), `25MiB` (2^20), `512KB`, `1GB`, or plain bytes.
    static func sizeBytes(_ text: String) -> Int64? {
        let units: [(String, Int64)] = [("kib", 1 << 10), ("mib", 1 << 20), ("gib", 1 << 30), ("kb", 1_000), ("mb", 1_000_000),
                                        ("gb", 1_000_000_000), ("b", 1), ("", 1)]
        let t = text.lowercased().trimmingCharacters(in: .whitespaces)
        for (suffix, multiplier) in units where t.hasSuffix(suffix) {
            let number = t.dropLast(suffix.count).trimmingCharacters(in: .whitespaces)
            if let n = Int64(number), n >= 0, n <= Int64.max / multiplier { return n * multiplier }
            if let d = Double(number), d >= 0, d.isFinite, d * Double(multiplier) < 9e18 { return Int64((d * Double(multiplier)).rounded()) }
        }
        return nil
    }

    /// `+01:00`, `-05:00`, `UTC`, `Z`.
    static func fixedOffsetMinutes(_ text: String) -> Int? {
        if text == "UTC" || text == "Z" { return 0 }
        guard let sign = text.first, sign == "+" || sign == "-" else { return nil }
        let parts = text.dropFirst().split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...14).contains(h), (0...59).contains(m) else { return nil }
        return (sign == "-" ? -1 : 1) * (h * 60 + m)
    }
}
