// Weekly complaints per category, stacked, from the JSON the report page embeds.
(function () {
  var canvas = document.getElementById("complaints-chart");
  var source = document.getElementById("complaints-chart-data");
  if (!canvas || !source || typeof Chart === "undefined") return;
  var data = JSON.parse(source.textContent);
  var colours = ["#198754", "#0d6efd", "#fd7e14", "#6f42c1", "#dc3545", "#6c757d"];
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map(function (s, i) {
        return { label: s.label, data: s.data, backgroundColor: colours[i % colours.length] };
      })
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      scales: { x: { stacked: true, title: { display: true, text: canvas.dataset.xTitle } },
                y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: "bottom" } }
    }
  });
})();
