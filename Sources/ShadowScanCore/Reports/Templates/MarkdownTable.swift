extension ReportTemplates {
    static let markdownTable = #"""
{{% CONTENT_TYPE: SHADOWSCAN_MARKDOWN}}
## {{title}}

{{#.caption}}
{{.}}

{{/.caption}}
{{>md_table_body}}
"""#

    /// Only `rule` (a fixed alignment marker) is unescaped; every other value goes through the Markdown
    /// content type.
    static let markdownTableBody = #"""
{{% CONTENT_TYPE: SHADOWSCAN_MARKDOWN}}
{{#hasRows}}
|{{#columns}} {{label}} |{{/columns}}
|{{#columns}} {{{rule}}} |{{/columns}}
{{#rows}}
|{{#cells}} {{text}} |{{/cells}}
{{/rows}}

{{/hasRows}}
{{^hasRows}}
{{empty}}

{{/hasRows}}
{{#.more}}
{{.}}

{{/.more}}
"""#
}
