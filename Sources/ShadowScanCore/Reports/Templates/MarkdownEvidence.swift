extension ReportTemplates {
    static let markdownEvidence = #"""
{{% CONTENT_TYPE: SHADOWSCAN_MARKDOWN}}
## {{title}}

{{intro}}

{{#.overview}}
{{>md_table_body}}
{{/.overview}}
{{#charts}}
{{>*partial}}
{{/charts}}
{{#cards}}
### {{name}}

**{{risk}} risk**, {{status}}, {{category}}

{{headline}}

|{{#facts}} {{label}} |{{/facts}}
|{{#facts}} ---: |{{/facts}}
|{{#facts}} {{value}} |{{/facts}}

{{#.substitutes}}
**{{title}}**

{{>md_table_body}}
{{/.substitutes}}
{{#.departments}}
**{{title}}**

{{>md_table_body}}
{{/.departments}}
{{#.trend}}
{{.}}

{{/.trend}}
{{#.recommendation}}
**Recommendation: {{action}}.** {{summary}}

{{#reasons}}
- {{.}}
{{/reasons}}

{{/.recommendation}}
{{/cards}}
{{#.more}}
{{.}}

{{/.more}}
{{^cards}}
{{empty}}

{{/cards}}
"""#
}
