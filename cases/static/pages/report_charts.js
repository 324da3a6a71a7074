/* The report page's charts, drawn with Apache ECharts (vendor/echarts) from the data each chart's
   <script type="application/json"> carries (Django's json_script: no inline script, CSP 'self').
   Every name in the data is already translated; a click on a bar, point or slice opens the cases
   behind it. Tooltips are drawn on the canvas (richText), so no inline style is needed. */
(function () {
  "use strict";
  if (!window.echarts) { return; }
  var zh = (document.documentElement.lang || "").toLowerCase().indexOf("zh") === 0;
  var font = 'system-ui, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
  var palette = ["#98a2b3", "#1570ef", "#f79009", "#12b76a", "#7a5af8", "#ee46bc", "#06aed4",
                 "#d92d20"];

  function tooltipFor(spec) {
    return {
      trigger: spec.type === "shares" ? "item" : "axis", renderMode: "richText", confine: true,
      textStyle: { fontFamily: font },
      formatter: function (items) {
        if (!Array.isArray(items)) {
          return items.name + ": " + items.data.text;
        }
        var lines = [items[0].axisValueLabel || items[0].name];
        items.forEach(function (item) {
          var text = spec.series[item.seriesIndex].texts[item.dataIndex];
          lines.push(item.seriesName + ": " + text);
        });
        return lines.join("\n");
      }
    };
  }

  function optionFor(spec) {
    var base = { color: palette, textStyle: { fontFamily: font }, animation: false,
                 tooltip: tooltipFor(spec), legend: { top: 0, textStyle: { fontFamily: font } } };
    if (spec.type === "shares") {
      base.legend = { type: "scroll", orient: "vertical", right: 0, top: "middle",
                      textStyle: { fontFamily: font } };
      base.series = [{ type: "pie", radius: ["40%", "70%"], center: ["35%", "52%"],
                       label: { formatter: function (p) { return Math.round(p.percent) + " %"; } },
                       data: spec.parts.map(function (p) {
                         return { name: p.name, value: p.value, text: p.text, link: p.link };
                       }) }];
      return base;
    }
    var categories = { type: "category", data: spec.categories,
                       axisLabel: { hideOverlap: true, fontFamily: font } };
    var values = spec.axes.map(function (name, i) {
      var axis = { type: "value", name: name, position: i === 0 ? "left" : "right",
                   splitLine: { show: i === 0 }, minInterval: spec.type === "rates" ? 0 : 1,
                   axisLabel: { formatter: spec.type === "rates" ? "{value} %" : "{value}" } };
      var range = spec.ranges && spec.ranges[i];  /* e.g. 1 to 5 stars */
      if (range) { axis.min = range[0]; axis.max = range[1]; axis.interval = 1; }
      return axis;
    });
    if (spec.type === "stacked") {  /* states down the side, so every name can be read */
      categories.inverse = true;
      categories.axisLabel.hideOverlap = false;
      values[0].position = "bottom";
      values[0].nameLocation = "end";
      base.grid = { left: 8, right: 48, top: 36, bottom: 24, containLabel: true };
      base.xAxis = values[0];
      base.yAxis = categories;
    } else {
      base.grid = { left: 56, right: spec.axes.length > 1 ? 48 : 16, top: 40, bottom: 36 };
      base.xAxis = categories;
      base.yAxis = values;
    }
    base.series = spec.series.map(function (s) {
      var clickable = s.links && s.links.length > 0;  /* a figure with cases behind it */
      var series = { name: s.name, type: s.kind, data: s.values, yAxisIndex: s.axis || 0,
                     connectNulls: false, symbolSize: 7, cursor: clickable ? "pointer" : "default" };
      if (s.stack) { series.stack = s.stack; series.emphasis = { focus: "series" }; }
      if (s.kind === "bar" && !s.stack) { series.barMaxWidth = 28; }
      return series;
    });
    base.color = spec.series.map(function (s, i) { return s.colour || palette[i % palette.length]; });
    return base;
  }

  function linkOf(spec, params) {
    if (spec.type === "shares") { return params.data && params.data.link; }
    var series = spec.series[params.seriesIndex];
    return series && series.links ? series.links[params.dataIndex] : "";
  }

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var chart = echarts.init(el, null, { locale: zh ? "ZH" : "EN", renderer: "canvas" });
    chart.setOption(optionFor(spec));
    chart.on("click", function (params) {
      var link = linkOf(spec, params);
      if (link) { window.location.assign(link); }
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
}());
