extension ReportTemplates {
    /// Charts become their data tables in Markdown.
    static let markdownCharts = #"""
{{% CONTENT_TYPE: SHADOWSCAN_MARKDOWN}}
## {{title}}

{{#charts}}
{{>*partial}}
{{/charts}}
"""#

    static let markdownChart = #"""
{{% CONTENT_TYPE: SHADOWSCAN_MARKDOWN}}
### {{title}}

{{caption}}

{{#table}}
{{>md_table_body}}
{{/table}}
"""#
}
