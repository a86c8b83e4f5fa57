// The case page's diagram: completed elements, the current tasks, waiting timers and messages, and
// the element in error, marked on the version of the diagram the case runs on.
(function () {
  "use strict";

  async function show(container, url, text) {
    const response = await fetch(url, { headers: { "Accept": "application/json" } });
    if (!response.ok) { container.textContent = text.failed; return; }
    const data = await response.json();
    const viewer = new BpmnJS({ container: container });
    await viewer.importXML(data.xml);
    const canvas = viewer.get("canvas");
    const registry = viewer.get("elementRegistry");
    const overlays = viewer.get("overlays");
    // A wide process gets a lower box, so the diagram fills it instead of floating in white space.
    const inner = canvas.viewbox().inner;
    if (inner.width > 0) {
      container.style.height = Math.max(220, Math.min(520, container.clientWidth * inner.height / inner.width + 40)) + "px";
      canvas.resized();
    }
    canvas.zoom("fit-viewport", "auto");
    const mark = (id, marker) => { if (registry.get(id)) canvas.addMarker(id, marker); };
    data.completed.forEach((id) => mark(id, "case-completed"));
    data.active.forEach((id) => mark(id, "case-active"));
    data.messages.forEach((id) => mark(id, "case-waiting"));
    data.errors.forEach((id) => mark(id, "case-error"));
    data.flows.forEach((id) => mark(id, "case-flow-taken"));
    const badge = function (id, label, kind) {
      if (!registry.get(id)) return;
      const node = document.createElement("div");
      node.className = "case-badge " + (kind || "");
      node.textContent = label;
      overlays.add(id, { position: { bottom: -4, left: 0 }, html: node });
    };
    data.current.forEach(function (task) {
      mark(task.id, "case-current");
      badge(task.id, text.now + ": " + task.who);
    });
    data.timers.forEach(function (timer) {
      mark(timer.id, "case-timer");
      badge(timer.id, "⏱ " + (timer.due ? new Date(timer.due).toLocaleDateString() : ""), "timer");
    });
    container.dataset.ready = "true";
    window.siklusCaseViewer = viewer;
  }

  window.SiklusCaseViewer = { show: show };
})();
