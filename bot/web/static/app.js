// 网格小助手 · 社区工作台: the little the pages need beyond HTML (no inline scripts: the
// Content-Security-Policy allows only files served from here).
(function () {
  "use strict";

  // Filters apply as soon as one is changed.
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-autosubmit")) form.requestSubmit();
  });

  // Buttons that change a ticket for everyone ask once (htmx asks for its own forms,
  // hx-confirm; without htmx the plain form asks here).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm") ||
      (window.htmx ? null : form.getAttribute("hx-confirm"));
    if (question && !window.confirm(question)) event.preventDefault();
  });

  var COLORS = ["#1f5fbf", "#c8102e", "#12805c", "#b25e09", "#6941c6", "#0e9384", "#c11574", "#475467"];

  function percentAxis() {
    return { type: "value", max: 100, axisLabel: { formatter: "{value}%" } };
  }

  var CHARTS = {
    perDay: function (d) {
      return {
        color: COLORS,
        tooltip: { trigger: "axis" },
        legend: { top: 0, type: "scroll" },
        grid: { left: 40, right: 12, top: 40, bottom: 28 },
        xAxis: { type: "category", data: d.days },
        yAxis: { type: "value", minInterval: 1 },
        series: d.intents.map(function (s) {
          return { name: s.name, type: "bar", stack: "all", data: s.data, barMaxWidth: 32 };
        })
      };
    },
    rates: function (d) {
      var names = ["响应率", "解决率", "满意率"];
      var keys = ["response", "resolution", "satisfaction"];
      return {
        color: ["#1f5fbf", "#12805c", "#c8102e"],
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + "%"; } },
        legend: { top: 0 },
        grid: { left: 48, right: 12, top: 40, bottom: 28, containLabel: true },
        xAxis: { type: "category", data: d.grids, axisLabel: { interval: 0, overflow: "break", width: 80 } },
        yAxis: percentAxis(),
        series: keys.map(function (k, i) {
          return { name: names[i], type: "bar", data: d[k], barMaxWidth: 28 };
        })
      };
    },
    afterHours: function (d) {
      return {
        color: ["#1f5fbf", "#b25e09"],
        tooltip: { trigger: "item", formatter: "{b}：{c} 件（{d}%）" },
        legend: { bottom: 0 },
        series: [{
          type: "pie", radius: ["45%", "70%"], center: ["50%", "45%"],
          label: { formatter: function (p) { return p.value ? p.percent + "%" : ""; } },
          labelLine: { show: false },
          data: [
            { name: "工作时间", value: d.after_hours[0] },
            { name: "夜间、周末、节假日", value: d.after_hours[1] }
          ]
        }]
      };
    },
    speed: function (d) {
      return {
        color: ["#12805c", "#b25e09"],
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v == null ? "—" : v + " 小时"; } },
        legend: { top: 0 },
        grid: { left: 48, right: 12, top: 40, bottom: 28 },
        xAxis: { type: "category", data: ["接单用时", "办结用时"] },
        yAxis: { type: "value", name: "小时" },
        series: [
          { name: "中位数", type: "bar", data: [d.speed.accept[0], d.speed.resolve[0]], barMaxWidth: 40 },
          { name: "九成在此之内", type: "bar", data: [d.speed.accept[1], d.speed.resolve[1]], barMaxWidth: 40 }
        ]
      };
    }
  };

  function drawCharts() {
    var source = document.getElementById("chart-data");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var drawn = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var make = CHARTS[el.getAttribute("data-chart")];
      if (!make) return;
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(make(data));
      drawn.push(chart);
    });
    window.addEventListener("resize", function () {
      drawn.forEach(function (c) { c.resize(); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawCharts);
  else drawCharts();
})();
