/// `shadowscan policy import squidguard squidGuard.conf`: what an existing squidGuard configuration
/// blocks, as a ShadowScan policy file (`blocked:` / `sanctioned:` / `tolerated:` lists of catalogue
/// categories and service ids, the shape `analyse --policy` reads).
///
/// `dest` blocks name the lists; each is mapped onto catalogue categories by its name or the folder of
/// its `domainlist` (UT1 names such as `webmail`, `filehosting`, `social_networks`, `remote-control`;
/// `shadowscan-<category>` folders from `rules export squidguard`; or a catalogue category or service
/// id used as the name). An `acl` entry's `pass` list is read as squidGuard reads it, left to right:
/// `!dest` before the first `all`/`none` blocks the destination; a plain `dest` before it is explicitly
/// allowed (sanctioned); `none` at the end means everything not allowed is blocked.
public enum SquidGuardPolicyImporter {
    public struct Destination: Sendable {
        public let name: String
        public let line: Int
        public var lists: [String] = []
        /// Catalogue categories or service ids it stands for (empty: none of the catalogue's).
        public var targets: [String] = []
    }

    public struct ACL: Sendable {
        /// The source group (or `default`).
        public let name: String
        public let line: Int
        /// `within TIME` / `outside TIME`, when given.
        public var time: String?
        public var pass: [String] = []
        public var blocked: [String] = []
        public var allowed: [String] = []
        /// How the pass list ends: all, none, or nothing (squidGuard then passes).
        public var terminal: String?
        /// `else` branch of a time-restricted acl.
        public var isElse = false
    }

    public struct Configuration: Sendable {
        public var destinations: [Destination] = []
        public var acls: [ACL] = []
        public var sources: [String] = []
    }

    public struct ImportError: Error, CustomStringConvertible, Sendable {
        public let message: String
        public var description: String { message }
    }

    // MARK: Parsing

    struct Token { let text: String; let line: Int }

    static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var line = 1
        for raw in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" }) {
            var content = Substring(raw)
            if let hash = content.firstIndex(of: "#") { content = content[..<hash] }
            var word = ""
            for ch in content {
                if ch == "{" || ch == "}" {
                    if !word.isEmpty { tokens.append(Token(text: word, line: line)); word = "" }
                    tokens.append(Token(text: String(ch), line: line))
                } else if ch.isWhitespace {
                    if !word.isEmpty { tokens.append(Token(text: word, line: line)); word = "" }
                } else {
                    word.append(ch)
                }
            }
            if !word.isEmpty { tokens.append(Token(text: word, line: line)) }
            tokens.append(Token(text: "\n", line: line))
            line += 1
        }
        return tokens
    }

    /// Parses the blocks the policy needs (`dest`, `src`, `acl`); `dbhome`, `logdir`, `time`, `rew` and
    /// other statements are skipped. Unbalanced braces are an error with the line.
    public static func parse(_ text: String, file: String) throws(ImportError) -> Configuration {
        let tokens = tokenize(text)
        var config = Configuration()
        var i = 0
        func skipNewlines() { while i < tokens.count && tokens[i].text == "\n" { i += 1 } }
        /// Words up to `{` on the same statement; returns nil at a newline without a block.
        func header() -> [Token] {
            var words: [Token] = []
            while i < tokens.count && tokens[i].text != "{" && tokens[i].text != "\n" { words.append(tokens[i]); i += 1 }
            return words
        }
        /// The statements of a block (lines of words) up to its matching `}`; nested blocks returned raw.
        func block(openedAt line: Int) throws(ImportError) -> [[Token]] {
            var statements: [[Token]] = []
            var current: [Token] = []
            var depth = 1
            while i < tokens.count {
                let t = tokens[i]; i += 1
                if t.text == "{" { depth += 1; current.append(t); continue }
                if t.text == "}" {
                    depth -= 1
                    if depth == 0 { if !current.isEmpty { statements.append(current) }; return statements }
                    current.append(t)
                    continue
                }
                if t.text == "\n" && depth == 1 { if !current.isEmpty { statements.append(current) }; current = []; continue }
                current.append(t)   // nested blocks keep their line breaks: their statements end there
            }
            throw ImportError(message: "\(file):\(line): '{' is never closed")
        }

        while i < tokens.count {
            skipNewlines()
            guard i < tokens.count else { break }
            let words = header()
            guard let keyword = words.first else {
                if i < tokens.count && tokens[i].text == "}" { throw ImportError(message: "\(file):\(tokens[i].line): '}' without a matching '{'") }
                if i < tokens.count && tokens[i].text == "{" {   // a bare block: skip it
                    let line = tokens[i].line; i += 1; _ = try block(openedAt: line)
                }
                continue
            }
            let hasBlock = i < tokens.count && tokens[i].text == "{"
            if !hasBlock { continue }   // dbhome, logdir, ...
            let line = tokens[i].line
            i += 1
            let body = try block(openedAt: line)
            switch keyword.text {
            case "dest", "destination":
                guard words.count >= 2 else { throw ImportError(message: "\(file):\(keyword.line): 'dest' needs a name") }
                var destination = Destination(name: words[1].text, line: keyword.line)
                for statement in body where ["domainlist", "urllist", "expressionlist"].contains(statement.first?.text ?? "") && statement.count >= 2 {
                    destination.lists.append(statement[1].text)
                }
                config.destinations.append(destination)
            case "src", "source":
                if words.count >= 2 { config.sources.append(words[1].text) }
            case "acl":
                config.acls += try acls(body, file: file)
            default:
                break
            }
        }
        return config
    }

    /// `NAME [within|outside TIME] { pass ...; redirect ... } [else { ... }]` entries of an acl block.
    static func acls(_ body: [[Token]], file: String) throws(ImportError) -> [ACL] {
        var result: [ACL] = []
        // The acl block's statements still hold nested `{ ... }` as tokens: walk them flat.
        let flat = body.flatMap { $0 + [Token(text: "\n", line: $0.last?.line ?? 0)] }
        var i = 0
        var previousName = ""
        while i < flat.count {
            while i < flat.count && flat[i].text == "\n" { i += 1 }
            guard i < flat.count else { break }
            var words: [Token] = []
            while i < flat.count && flat[i].text != "{" && flat[i].text != "\n" { words.append(flat[i]); i += 1 }
            guard i < flat.count, flat[i].text == "{", let first = words.first else { continue }
            i += 1
            var acl: ACL
            if first.text == "else" {
                acl = ACL(name: previousName, line: first.line)
                acl.isElse = true
            } else {
                acl = ACL(name: first.text, line: first.line)
                previousName = first.text
                if words.count >= 3, ["within", "outside"].contains(words[1].text) { acl.time = "\(words[1].text) \(words[2].text)" }
            }
            var statement: [String] = []
            while i < flat.count && flat[i].text != "}" {
                if flat[i].text == "\n" {
                    if statement.first == "pass" { acl.pass += statement.dropFirst() }
                    statement = []
                } else {
                    statement.append(flat[i].text)
                }
                i += 1
            }
            if statement.first == "pass" { acl.pass += statement.dropFirst() }
            guard i < flat.count else { throw ImportError(message: "\(file):\(first.line): acl '\(first.text)' is never closed") }
            i += 1
            for entry in acl.pass {
                if acl.terminal != nil { break }   // squidGuard stops at the first match: later entries never apply
                switch entry {
                case "all", "none": acl.terminal = entry
                case "in-addr": break                                  // raw IP addresses explicitly passed
                case "!in-addr": acl.blocked.append("in-addr")
                default:
                    if entry.hasPrefix("!") { acl.blocked.append(String(entry.dropFirst())) } else { acl.allowed.append(entry) }
                }
            }
            result.append(acl)
        }
        return result
    }

    // MARK: Mapping

    /// Which catalogue categories or services a destination stands for.
    public static func targets(of destination: Destination, catalog: ServiceCatalog) -> [String] {
        var names = [destination.name]
        for list in destination.lists {
            let parts = list.split(separator: "/").map(String.init)
            if parts.count >= 2 { names.append(parts[parts.count - 2]) }   // blacklists/webmail/domains → webmail
        }
        var targets: [String] = []
        for raw in names {
            let name = raw.hasPrefix("shadowscan-") ? String(raw.dropFirst("shadowscan-".count)) : raw
            if catalog.categories.contains(name) || catalog.service(id: name) != nil {
                targets.append(name)
            } else if let mapping = UT1Importer.defaultMappings[name], catalog.categories.contains(mapping.category) {
                targets.append(mapping.category)
            }
        }
        var seen = Set<String>()
        return targets.filter { seen.insert($0).inserted }
    }

    /// The policy YAML for one acl entry (default: `default`), with every acl and destination summarised
    /// in comments.
    public static func policy(_ config: Configuration, acl wanted: String?, catalog: ServiceCatalog, file: String) throws(ImportError) -> String {
        var config = config
        for index in config.destinations.indices { config.destinations[index].targets = targets(of: config.destinations[index], catalog: catalog) }
        let byName = Dictionary(config.destinations.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let name = wanted ?? "default"
        guard let acl = config.acls.first(where: { $0.name == name && !$0.isElse }) else {
            let names = config.acls.filter { !$0.isElse }.map(\.name)
            throw ImportError(message: "no acl '\(name)' in \(file)" + (names.isEmpty ? " (it has no acl block)" : " (it has: \(names.joined(separator: ", ")))"))
        }
        func resolve(_ names: [String]) -> (mapped: [String], unmapped: [String]) {
            var mapped: [String] = [], unmapped: [String] = []
            for dest in names {
                if dest == "in-addr" { continue }
                let targets = byName[dest]?.targets ?? targets(of: Destination(name: dest, line: 0), catalog: catalog)
                if targets.isEmpty { unmapped.append(dest) } else { mapped += targets }
            }
            var seen = Set<String>()
            return (mapped.filter { seen.insert($0).inserted }, unmapped)
        }
        let blocked = resolve(acl.blocked)
        var allowed = resolve(acl.allowed)
        allowed.mapped.removeAll { blocked.mapped.contains($0) }   // blocked first in the pass list wins
        var out = "# Policy generated by `shadowscan policy import squidguard \(ToolText.terminal(file))`: acl '\(ToolText.terminal(name))'"
            + (acl.time.map { " (\($0))" } ?? "") + ".\n"
        out += "# squidGuard destinations and what they stand for in the catalogue:\n"
        for d in config.destinations {
            out += "#   \(ToolText.terminal(d.name))" + (d.lists.isEmpty ? "" : " (\(d.lists.map { ToolText.terminal($0) }.joined(separator: ", ")))")
                + ": " + (d.targets.isEmpty ? "not in the catalogue, ignored" : d.targets.joined(separator: ", ")) + "\n"
        }
        out += "# acls in the file (pass lists read left to right; generate another with --acl NAME):\n"
        for a in config.acls {
            out += "#   \(a.isElse ? "\(ToolText.terminal(a.name)) else" : ToolText.terminal(a.name))" + (a.time.map { " \($0)" } ?? "")
                + ": pass \(a.pass.map { ToolText.terminal($0) }.joined(separator: " "))\n"
        }
        if !blocked.unmapped.isEmpty { out += "# blocked but not in the catalogue: \(blocked.unmapped.map { ToolText.terminal($0) }.joined(separator: ", "))\n" }
        if acl.blocked.contains("in-addr") { out += "# !in-addr: requests to raw IP addresses are blocked (side doors through IP literals)\n" }
        if acl.terminal == "none" {
            out += "# the pass list ends in 'none': everything not explicitly allowed is blocked; services outside the\n"
                + "# allowed destinations stay unlisted here, and a denial in the log marks them blocked.\n"
        }
        if acl.time != nil { out += "# this acl applies only \(acl.time!); the policy file has no time condition.\n" }
        func list(_ key: String, _ values: [String]) -> String {
            values.isEmpty ? "\(key): []\n" : "\(key):\n" + values.map { "  - \($0)\n" }.joined()
        }
        out += list("blocked", blocked.mapped)
        out += list("sanctioned", allowed.mapped)
        out += list("tolerated", [])
        return out
    }
}
