extension ReportTemplates {
    /// Decision evidence: one card per blocked or unsanctioned service.
    static let htmlEvidence = #"""
{{% CONTENT_TYPE: SHADOWSCAN_HTML}}
<section id="{{anchor}}">
<h2>{{title}}</h2>
<p class="caption">{{intro}}</p>
{{#.overview}}
{{>html_table_body}}
{{/.overview}}
<div class="charts">
{{#charts}}
{{>*partial}}
{{/charts}}
</div>
{{#cards}}
<article class="card {{riskBadge}}" id="{{anchor}}">
<header><h3>{{name}}</h3><span class="badge {{riskBadge}}">{{risk}} risk</span><span class="badge status">{{status}}</span><span class="muted">{{category}}</span></header>
<p class="headline">{{headline}}</p>
<dl class="figures">
{{#facts}}
<div><dt>{{label}}</dt><dd>{{value}}</dd></div>
{{/facts}}
</dl>
{{#.substitutes}}
{{>html_inline_table}}
{{/.substitutes}}
{{#.departments}}
{{>html_inline_table}}
{{/.departments}}
{{#.trend}}
<p class="trend">{{.}}</p>
{{/.trend}}
{{#.recommendation}}
<div class="recommendation">
<p><strong>Recommendation: {{action}}.</strong> {{summary}}</p>
<ul>
{{#reasons}}
<li>{{.}}</li>
{{/reasons}}
</ul>
</div>
{{/.recommendation}}
</article>
{{/cards}}
{{#.more}}
<p class="more">{{.}}</p>
{{/.more}}
{{^cards}}
<p class="empty">{{empty}}</p>
{{/cards}}
</section>
"""#
}
