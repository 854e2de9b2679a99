extension ReportTemplates {
    /// The charts section: each chart names its own partial.
    static let htmlCharts = #"""
{{% CONTENT_TYPE: SHADOWSCAN_HTML}}
<section id="{{anchor}}">
<h2>{{title}}</h2>
<div class="charts">
{{#charts}}
{{>*partial}}
{{/charts}}
</div>
</section>
"""#

    static let htmlBarChart = #"""
{{% CONTENT_TYPE: SHADOWSCAN_HTML}}
<figure class="chart">
<figcaption><strong>{{title}}</strong>{{caption}}</figcaption>
<svg viewBox="0 0 720 {{height}}" role="img" aria-label="{{title}}">
{{#legend}}
<rect x="{{x}}" y="4" width="12" height="12" class="{{cls}}"/><text x="{{x}}" dx="18" y="14">{{label}}</text>
{{/legend}}
{{#rows}}
<text x="192" y="{{labelY}}" text-anchor="end">{{label}}</text>
{{#bars}}
<rect x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}" class="{{cls}}"><title>{{tip}}</title></rect><text x="{{textX}}" y="{{textY}}" class="value">{{value}}</text>
{{/bars}}
{{/rows}}
</svg>
</figure>
"""#

    static let htmlTimelineChart = #"""
{{% CONTENT_TYPE: SHADOWSCAN_HTML}}
<figure class="chart">
<figcaption><strong>{{title}}</strong>{{caption}}</figcaption>
<svg viewBox="0 0 720 216" role="img" aria-label="{{title}}">
{{#ticks}}
<line x1="56" x2="712" y1="{{y}}" y2="{{y}}" class="grid"/><text x="50" y="{{y}}" dy="4" text-anchor="end" class="axis">{{label}}</text>
{{/ticks}}
{{#bars}}
<g><title>{{tip}}</title><rect x="{{x}}" y="{{allowedY}}" width="{{width}}" height="{{allowedHeight}}" class="bar-allowed"/><rect x="{{x}}" y="{{deniedY}}" width="{{width}}" height="{{deniedHeight}}" class="bar-denied"/></g>
{{/bars}}
{{#labels}}
<text x="{{x}}" y="208" text-anchor="middle" class="axis">{{text}}</text>
{{/labels}}
</svg>
</figure>
"""#

    static let htmlFlowChart = #"""
{{% CONTENT_TYPE: SHADOWSCAN_HTML}}
<figure class="chart">
<figcaption><strong>{{title}}</strong>{{caption}}</figcaption>
<svg viewBox="0 0 720 {{height}}" role="img" aria-label="{{title}}">
{{#links}}
<path d="{{d}}" stroke-width="{{width}}" class="link {{cls}}"><title>{{tip}}</title></path>
{{/links}}
{{#left}}
<rect x="{{x}}" y="{{y}}" width="170" height="26" rx="4" class="{{cls}}"/><text x="{{textX}}" y="{{textY}}">{{label}}</text>
{{/left}}
{{#right}}
<rect x="{{x}}" y="{{y}}" width="170" height="26" rx="4" class="{{cls}}"/><text x="{{textX}}" y="{{textY}}">{{label}}</text>
{{/right}}
</svg>
</figure>
"""#
}
