import Mustache

/// The report templates, kept as Swift string literals (one file per template) so the binary needs no
/// resource bundle and works from any folder. To restyle a report, edit these; to add a section, add a
/// partial to both libraries and a builder in `ReportSections`.
///
/// Every template starts with the `SHADOWSCAN_HTML` or `SHADOWSCAN_MARKDOWN` content type (Mustache
/// starts partials over with its own HTML escaping); `ReportTemplateTests` checks that.
enum ReportTemplates {
    static var html: [String: String] {
        ["page": htmlPage, "html_style": htmlStyle, "evidence": htmlEvidence, "table": htmlTable,
         "html_inline_table": htmlInlineTable, "html_table_body": htmlTableBody, "note": htmlNote, "charts": htmlCharts,
         "bar_chart": htmlBarChart, "timeline_chart": htmlTimelineChart, "flow_chart": htmlFlowChart]
    }

    static var markdown: [String: String] {
        ["page": markdownPage, "evidence": markdownEvidence, "table": markdownTable, "md_table_body": markdownTableBody,
         "note": markdownNote, "charts": markdownCharts, "bar_chart": markdownChart, "timeline_chart": markdownChart,
         "flow_chart": markdownChart]
    }

    static func library(_ templates: [String: String]) throws -> MustacheLibrary {
        _ = ReportContentTypes.registered
        var library = MustacheLibrary()
        for (name, text) in templates { try library.register(text, named: name) }
        return library
    }
}
