// Refresh progress bars of running closes every two seconds; reload the page when one finishes,
// so its buttons and failure list show the final state.
(function () {
  var bars = document.querySelectorAll("[data-progress-url]");
  if (!bars.length || !window.fetch) { return; }
  function update(bar) {
    fetch(bar.getAttribute("data-progress-url"), {credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        if (data.state !== "closing") { window.location.reload(); return; }
        bar.querySelector(".progress-bar").style.width = data.percent + "%";
        bar.querySelector(".progress").setAttribute("aria-valuenow", data.percent);
        ["done", "total", "failed"].forEach(function (key) {
          var field = bar.querySelector('[data-field="' + key + '"]');
          if (field) { field.textContent = data[key]; }
        });
        window.setTimeout(function () { update(bar); }, 2000);
      })
      .catch(function () { window.setTimeout(function () { update(bar); }, 5000); });
  }
  Array.prototype.forEach.call(bars, function (bar) { window.setTimeout(function () { update(bar); }, 2000); });
}());
