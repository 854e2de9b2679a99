/// What the HTML and Markdown templates render: the finished (privacy-applied) result turned into
/// display strings, tables and chart geometry. Templates only place values; every value from a log is
/// cleaned here (`ReportText.clean`) and escaped by the template's content type.
///
/// A report is a list of sections, each naming the partial that renders it (`{{>*partial}}`): adding a
/// section to the report is adding a builder here and a partial to each template set.
struct ReportModel {
    var title = "ShadowScan report"
    var period: String
    var scope: String
    var privacyLine: String
    var facts: [Fact]
    var sections: [Any]
    var notes: [String]
    var version: String

    struct Fact {
        var label: String
        var value: String
        var detail: String?
    }

    /// Rows shown per table in HTML and Markdown (CSV and JSON hold every row).
    static let rowLimit = 100

    init(_ r: AnalysisResult, version: String) {
        self.version = version
        let first = r.timeline.first?.date, last = r.timeline.last?.date
        period = first.map { f in last.map { $0 == f ? "\(f) (UTC)" : "\(f) to \($0) (UTC)" } ?? f } ?? "no catalogue traffic"
        let readable = r.inputs.filter { $0.problem == nil }.count
        scope = "\(Format.count(r.totals.lines)) log lines in \(Format.count(Int64(readable))) input\(readable == 1 ? "" : "s")"
            + ", \(Format.count(r.totals.matched)) requests to \(r.services.count) catalogue service\(r.services.count == 1 ? "" : "s")"
        privacyLine = Self.privacyLine(r.privacy)

        let denied = r.services.reduce(Int64(0)) { $0 + $1.denied }
        let personalBytes = r.services.filter(\.personal).reduce(Int64(0)) { $0 + $1.bytesIn + ($1.bytesOut ?? 0) }
        let blocked = r.decisions.filter { $0.status == "blocked" }
        let workedAround = blocked.reduce(Int64(0)) { $0 + $1.identitiesWorkedAround }
        facts = [
            Fact(label: "services used", value: Format.count(Int64(r.services.count)),
                 detail: "\(r.services.filter { $0.risk == .high }.count) high risk"),
            Fact(label: "requests denied", value: Format.count(denied),
                 detail: "\(blocked.count) blocked service\(blocked.count == 1 ? "" : "s") tried"),
            Fact(label: "worked around a block", value: Format.count(workedAround),
                 detail: "people, counted per blocked service"),
            Fact(label: "to personal services", value: Format.bytes(personalBytes), detail: "both directions, where logged"),
        ]
        if let busiest = r.categories.max(by: { ($0.users, $1.category) < ($1.users, $0.category) }) {
            facts.append(Fact(label: "people in the busiest category", value: Format.count(busiest.users), detail: busiest.category))
        }

        notes = []
        var sections: [Any] = []
        sections.append(contentsOf: ReportSections.evidence(r))
        if r.privacy.identities != "none" && !r.workarounds.isEmpty { sections.append(ReportSections.workaroundsTable(r)) }
        sections.append(ReportSections.servicesTable(r))
        sections.append(ReportSections.categoriesTable(r))
        if let timeline = ReportSections.timeline(r) { sections.append(timeline) }
        if r.privacy.identities != "none" { sections.append(ReportSections.usersTable(r)) }
        sections.append(contentsOf: ReportSections.mail(r))
        sections.append(ReportSections.unknownDomainsTable(r))
        sections.append(ReportSections.inputsTable(r))
        sections.append(ReportSections.privacy(r))
        self.sections = sections
        if r.totals.malformed > 0 {
            notes.append("\(Format.count(r.totals.malformed)) malformed line(s) were counted and skipped (see Inputs).")
        }
        if r.totals.regexLimitHits > 0 {
            notes.append("\(Format.count(r.totals.regexLimitHits)) URL pattern match(es) stopped at the PCRE2 limit and counted as no match.")
        }
        if r.totals.timelineOverflow > 0 {
            notes.append("\(Format.count(r.totals.timelineOverflow)) request(s) on days past the timeline's limit are left out of the timeline.")
        }
    }

    static func privacyLine(_ p: PrivacyNotice) -> String {
        switch p.identities {
        case "pseudonym": return "Identities are pseudonyms (key \(p.keyID ?? "?")); the security team can resolve one under audit."
        case "none": return "Manager report: no individuals are listed, and no group of fewer than \(p.minGroupSize ?? 0) people is shown."
        default: return "Identities are shown as logged (--identities plain): handle this report as personal data."
        }
    }
}

/// Display formatting shared by the templates' models.
enum Format {
    static func count(_ n: Int64) -> String { TextSummary.group(n) }
    /// Decimal units (kB, MB, GB), as the recommendations' prose and the people reading them use.
    static func bytes(_ n: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"]
        var value = Double(n), unit = 0
        while abs(value) >= 1000 && unit < units.count - 1 { value /= 1000; unit += 1 }
        if unit == 0 { return "\(n) B" }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10)) \(units[unit])"
    }
    static func percent(_ part: Int64, of whole: Int64) -> String {
        whole > 0 ? "\(Int((Double(part) * 100 / Double(whole)).rounded()))%" : "–"
    }
    static func date(millis: Int64) -> String { String(CivilTime.iso8601(millis: millis).prefix(10)) }
    /// `2026-11-18 06:38` (UTC).
    static func dateTime(millis: Int64) -> String {
        let iso = CivilTime.iso8601(millis: millis)
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5))
    }
    static func minutes(millis: Int64) -> String {
        let s = millis / 1000
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min" }
        return "\(s / 3600) h \(s % 3600 / 60) min"
    }
    /// A value from a log, made safe to place: no control characters, bounded.
    static func log(_ s: String, limit: Int = 120) -> String { ReportText.clean(s, limit: limit) }
}

/// A table any template can render with its `table` partial.
struct TableSection {
    var partial = "table"
    var anchor: String
    var title: String
    var caption: String?
    var columns: [Column]
    var rows: [Row]
    var empty: String
    var more: String?
    /// A chart drawn above the table (HTML only: Markdown has the numbers in the table itself).
    var chart: Any?
    /// Stored, not computed: Mustache reads values through `Mirror`, which sees stored properties only.
    var hasRows: Bool

    struct Column {
        var label: String
        var numeric: Bool
        /// Markdown alignment row cell.
        var rule: String
    }
    struct Row { var cells: [Cell] }
    struct Cell {
        var text: String
        var numeric: Bool
        /// A CSS class from a fixed set (risk levels, flags); never a value from a log.
        var badge: String?
    }

    init(anchor: String, title: String, caption: String? = nil, columns: [(String, Bool)], rows: [[Cell]], total: Int, empty: String) {
        self.anchor = anchor
        self.title = title
        self.caption = caption
        self.columns = columns.map { Column(label: $0.0, numeric: $0.1, rule: $0.1 ? "---:" : "---") }
        self.rows = rows.map { Row(cells: $0) }
        hasRows = !rows.isEmpty
        self.empty = empty
        more = total > rows.count ? "\(Format.count(Int64(total - rows.count))) more row(s) in the JSON and CSV outputs." : nil
    }

    static func text(_ s: String) -> Cell { Cell(text: s, numeric: false) }
    static func log(_ s: String, limit: Int = 120) -> Cell { Cell(text: Format.log(s, limit: limit), numeric: false) }
    static func num(_ n: Int64) -> Cell { Cell(text: Format.count(n), numeric: true) }
    static func bytes(_ n: Int64?) -> Cell { Cell(text: n.map(Format.bytes) ?? "n/a", numeric: true) }
    static func risk(_ r: RiskLevel) -> Cell { Cell(text: r.rawValue, numeric: false, badge: "risk-" + r.rawValue) }
}

/// Free text: a title and paragraphs, and an optional list.
struct NoteSection {
    var partial = "note"
    var anchor: String
    var title: String
    var paragraphs: [String]
    var items: [String]
    var hasItems: Bool

    init(anchor: String, title: String, paragraphs: [String], items: [String]) {
        self.anchor = anchor
        self.title = title
        self.paragraphs = paragraphs
        self.items = items
        hasItems = !items.isEmpty
    }
}
