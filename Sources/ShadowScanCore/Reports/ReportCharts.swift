/// Chart geometry for the HTML report's inline SVG. Only numbers we computed and cleaned labels reach
/// the template; the SVG has no script, no link and no external reference. Every chart also carries
/// its data as a table (the Markdown report shows that, and screen readers get it from the HTML).
struct ChartsSection {
    var partial = "charts"
    var anchor: String
    var title: String
    var charts: [Any]
}

/// Horizontal bars, one group of bars per row (e.g. people who tried vs. people who worked around).
struct BarChart {
    var partial = "bar_chart"
    var title: String
    var caption: String
    var height: String
    var legend: [Legend]
    var rows: [Row]
    var table: TableSection

    struct Legend { var label: String; var cls: String; var x: String }
    struct Row { var label: String; var labelY: String; var bars: [Bar] }
    struct Bar { var x: String; var y: String; var width: String; var height: String; var cls: String; var value: String; var textX: String; var textY: String; var tip: String }

    static let width = 720.0, labelWidth = 200.0, barArea = 420.0, barHeight = 12.0, rowGap = 10.0

    /// `series`: (legend label, CSS class); `rows`: (label, one value per series). `ownScale`: each series
    /// is scaled to its own maximum (series in different units, such as people and requests).
    init(title: String, caption: String, series: [(String, String)], rows input: [(String, [Int64])], format: (Int64) -> String,
         ownScale: Bool = false, table: TableSection) {
        self.title = title
        self.caption = caption
        self.table = table
        let overall = max(1, input.flatMap(\.1).max() ?? 1)
        let perSeries = series.indices.map { i in max(1, input.map { $0.1[i] }.max() ?? 1) }
        var y = 30.0
        rows = input.map { label, values in
            let top = y
            let bars = values.enumerated().map { i, value -> Bar in
                let maxValue = ownScale ? perSeries[i] : overall
                let w = value > 0 ? max(1.5, Self.barArea * Double(value) / Double(maxValue)) : 0
                let by = top + Double(i) * (Self.barHeight + 2)
                return Bar(x: "\(Self.labelWidth)", y: SVG.n(by), width: SVG.n(w), height: SVG.n(Self.barHeight), cls: series[i].1,
                           value: format(value), textX: SVG.n(Self.labelWidth + w + 6), textY: SVG.n(by + Self.barHeight - 2),
                           tip: "\(series[i].0): \(format(value))")
            }
            let groupHeight = Double(values.count) * (Self.barHeight + 2)
            y += groupHeight + Self.rowGap
            return Row(label: SVG.label(label), labelY: SVG.n(top + groupHeight / 2 + 4), bars: bars)
        }
        height = SVG.n(y + 4)
        legend = series.enumerated().map { i, s in Legend(label: s.0, cls: s.1, x: SVG.n(Self.labelWidth + Double(i) * 170)) }
    }
}

/// Daily stacked bars: allowed and denied requests to catalogue services.
struct TimelineChart {
    var partial = "timeline_chart"
    var title = "Daily timeline"
    var caption: String
    var bars: [Bar]
    var ticks: [Tick]
    var labels: [Label]
    var table: TableSection

    struct Bar { var x: String; var width: String; var allowedY: String; var allowedHeight: String; var deniedY: String; var deniedHeight: String; var tip: String }
    struct Tick { var y: String; var label: String }
    struct Label { var x: String; var text: String }

    static let left = 56.0, right = 712.0, top = 12.0, bottom = 190.0

    init(_ days: [TimelineDay], caption: String, table: TableSection) {
        self.caption = caption
        self.table = table
        guard let first = days.first?.day, let last = days.last?.day else { bars = []; ticks = []; labels = []; return }
        let span = Int(last - first) + 1
        let slot = (Self.right - Self.left) / Double(span)
        let maxValue = Double(max(1, days.map(\.requests).max() ?? 1))
        let plot = Self.bottom - Self.top
        bars = days.map { d in
            let x = Self.left + Double(d.day - first) * slot + slot * 0.12
            let w = max(0.8, slot * 0.76)
            let deniedH = plot * Double(d.denied) / maxValue
            let allowedH = plot * Double(d.requests - d.denied) / maxValue
            return Bar(x: SVG.n(x), width: SVG.n(w), allowedY: SVG.n(Self.bottom - allowedH), allowedHeight: SVG.n(allowedH),
                       deniedY: SVG.n(Self.bottom - allowedH - deniedH), deniedHeight: SVG.n(deniedH),
                       tip: "\(d.date): \(Format.count(d.requests)) requests, \(Format.count(d.denied)) denied, \(Format.count(d.users)) people")
        }
        ticks = [0.0, 0.5, 1.0].map { f in Tick(y: SVG.n(Self.bottom - plot * f), label: Format.count(Int64((maxValue * f).rounded()))) }
        let step = max(1, span / 6)
        labels = stride(from: 0, to: span, by: step).map { i in
            Label(x: SVG.n(Self.left + (Double(i) + 0.5) * slot), text: DailyMerge.date(first + Int64(i)))
        }
    }
}

/// Where people went after a denial: blocked services on the left, substitutes on the right, a link's
/// width in proportion to the people who made that move.
struct FlowChart {
    var partial = "flow_chart"
    var title = "Where people went instead"
    var caption: String
    var height: String
    var left: [Node]
    var right: [Node]
    var links: [Link]
    var table: TableSection

    struct Node { var x: String; var y: String; var textX: String; var textY: String; var label: String; var cls: String }
    struct Link { var d: String; var width: String; var cls: String; var tip: String }

    static let nodeWidth = 170.0, nodeHeight = 26.0, gap = 12.0

    /// `moves`: (blocked label, substitute label, substitute risk, people).
    init(moves: [(String, String, RiskLevel, Int64)], caption: String, table: TableSection) {
        self.caption = caption
        self.table = table
        var leftNames: [String] = [], rightNames: [String] = []
        var rightRisk: [String: RiskLevel] = [:]
        for m in moves {
            if !leftNames.contains(m.0) { leftNames.append(m.0) }
            if !rightNames.contains(m.1) { rightNames.append(m.1); rightRisk[m.1] = m.2 }
        }
        func y(_ i: Int) -> Double { 10 + Double(i) * (Self.nodeHeight + Self.gap) }
        let rightX = 720 - Self.nodeWidth - 4
        left = leftNames.enumerated().map { i, name in
            Node(x: "4", y: SVG.n(y(i)), textX: SVG.n(12), textY: SVG.n(y(i) + 17), label: SVG.label(name, limit: 24), cls: "node-blocked")
        }
        right = rightNames.enumerated().map { i, name in
            Node(x: SVG.n(rightX), y: SVG.n(y(i)), textX: SVG.n(rightX + 8), textY: SVG.n(y(i) + 17), label: SVG.label(name, limit: 24),
                 cls: "node-risk-" + (rightRisk[name] ?? .medium).rawValue)
        }
        let maxPeople = Double(max(1, moves.map(\.3).max() ?? 1))
        links = moves.map { m in
            let y1 = y(leftNames.firstIndex(of: m.0)!) + Self.nodeHeight / 2
            let y2 = y(rightNames.firstIndex(of: m.1)!) + Self.nodeHeight / 2
            let x1 = 4 + Self.nodeWidth, x2 = rightX
            let mid = (x1 + x2) / 2
            return Link(d: "M\(SVG.n(x1)) \(SVG.n(y1)) C\(SVG.n(mid)) \(SVG.n(y1)) \(SVG.n(mid)) \(SVG.n(y2)) \(SVG.n(x2)) \(SVG.n(y2))",
                        width: SVG.n(1.5 + 16 * Double(m.3) / maxPeople), cls: "link-risk-" + m.2.rawValue,
                        tip: "\(m.0) → \(m.1): \(Format.count(m.3)) people")
        }
        height = SVG.n(y(max(leftNames.count, rightNames.count)) + 4)
    }
}

enum SVG {
    /// A coordinate with at most one decimal.
    static func n(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(abs(tenths % 10))"
    }

    /// Labels are cut short so they stay inside the chart's label column.
    static func label(_ s: String, limit: Int = 30) -> String { ReportText.clean(s, limit: limit) }
}
