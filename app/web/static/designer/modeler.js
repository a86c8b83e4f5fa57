// HR's process designer: bpmn-js modeler, a side panel with the product's pick-lists, validation
// with problems marked on the diagram, drafts with conflict detection, deploy, upload and download.
(function () {
  "use strict";

  const ISO_DUE = /^P(\d+W|(\d+D)?(T(\d+H)?(\d+M)?)?)$/i;
  const GATEWAYS_WITH_CONDITIONS = ["bpmn:ExclusiveGateway", "bpmn:InclusiveGateway"];
  const TIMER_KINDS = ["timeDuration", "timeDate", "timeCycle"];

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([key, value]) => {
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else if (value !== undefined && value !== null) node.setAttribute(key, value);
    });
    (children || []).forEach((child) => child && node.appendChild(child));
    return node;
  }

  function start(config) {
    const T = config.text;
    const modeler = new BpmnJS({ container: "#canvas", keyboard: { bindTo: document },
                                 moddleExtensions: { spiffworkflow: window.SpiffModdle } });
    const modeling = modeler.get("modeling");
    const moddle = modeler.get("moddle");
    const canvas = modeler.get("canvas");
    const registry = modeler.get("elementRegistry");
    const commandStack = modeler.get("commandStack");
    const statusEl = document.getElementById("status");
    const panel = document.getElementById("panel");
    const problemsEl = document.getElementById("problems");
    let catalog = { lanes: [], forms: [], operators: [] };
    let lockVersion = null;
    let savedIndex = 0;
    let marked = [];

    // bpmn-js drops references it cannot resolve; loopDataInputRef/OutputRef name task data, not
    // elements, so they are kept as stand-in objects and written back by name.
    modeler.on("import.parse.complete", function (event) {
      (event.warnings || []).forEach(function (warning) {
        const property = String(warning.property || "");
        if (warning.element && /loopData(Input|Output)Ref$/.test(property)) {
          warning.element.set(property.replace(/^bpmn:/, ""), moddle.create("bpmn:DataInput", { id: warning.value }));
        }
      });
    });

    function status(text, kind) {
      statusEl.textContent = text || "";
      statusEl.className = "small align-self-center " + (kind ? "text-" + kind : "");
    }

    function dirty() { return commandStack._stackIdx !== savedIndex; }

    async function request(url, options) {
      const opts = Object.assign({ headers: {} }, options);
      opts.headers["X-CSRFToken"] = config.csrf;
      opts.headers["Accept"] = "application/json";
      let response;
      try {
        response = await fetch(url, opts);
      } catch (err) {
        status(T.networkError, "danger");
        throw err;
      }
      let body = {};
      try { body = await response.json(); } catch (err) { body = {}; }
      return { ok: response.ok, status: response.status, body: body };
    }

    function postJson(url, payload) {
      return request(url, { method: "POST", headers: { "Content-Type": "application/json" },
                            body: JSON.stringify(payload) });
    }

    async function currentXml() {
      const result = await modeler.saveXML({ format: true });
      return result.xml;
    }

    async function load(xml) {
      clearProblems();
      await modeler.importXML(xml);
      // Fit, then leave a margin so the palette on the left does not cover the first lane.
      canvas.zoom("fit-viewport", "auto");
      canvas.zoom(canvas.zoom() * 0.8, "auto");
      savedIndex = commandStack._stackIdx;
      renderPanel(null);
    }

    // -- problems ---------------------------------------------------------------------------------

    function clearProblems() {
      marked.forEach((id) => { if (registry.get(id)) canvas.removeMarker(id, "has-problem"); });
      marked = [];
      problemsEl.innerHTML = "";
    }

    function showProblems(problems) {
      clearProblems();
      if (!problems.length) {
        problemsEl.appendChild(el("div", { class: "alert alert-success py-2", text: T.noProblems }));
        return;
      }
      const list = el("ul", { class: "problem-list mb-0 ps-3" });
      problems.forEach(function (p) {
        const shape = registry.get(p.element_id);
        if (shape) { canvas.addMarker(p.element_id, "has-problem"); marked.push(p.element_id); }
        const label = p.element_id === "-" ? "" : p.element_id + (p.element_name ? " (" + p.element_name + ")" : "") + ": ";
        const item = el("li", { "data-element-id": p.element_id, text: label + p.message });
        if (shape) item.addEventListener("click", function () {
          canvas.scrollToElement(shape);
          modeler.get("selection").select(shape);
        });
        list.appendChild(item);
      });
      problemsEl.appendChild(el("div", { class: "alert alert-danger py-2", role: "alert" },
                                [el("strong", { text: T.problemsTitle }), list]));
    }

    async function validate() {
      status(T.validating);
      const result = await postJson(config.urls.validate, { xml: await currentXml() });
      status("");
      showProblems(result.body.problems || []);
      return result.body.problems || [];
    }

    // -- side panel -------------------------------------------------------------------------------

    function field(label, input, help, error) {
      const id = "f-" + Math.random().toString(36).slice(2);
      input.id = id;
      const wrap = el("div", { class: "mb-2" }, [el("label", { class: "form-label", for: id, text: label }), input]);
      if (help) wrap.appendChild(el("div", { class: "form-text", text: help }));
      if (error) wrap.appendChild(el("div", { class: "invalid-feedback d-block", text: error }));
      return wrap;
    }

    function select(options, value, allowEmpty) {
      const s = el("select", { class: "form-select form-select-sm" });
      s.appendChild(el("option", { value: "", text: allowEmpty === "none" ? T.none : T.choose }));
      options.forEach(function (o) {
        const opt = el("option", { value: o.key, text: o.label + " (" + o.key + ")" });
        if (o.key === value) opt.selected = true;
        s.appendChild(opt);
      });
      if (value && !options.some((o) => o.key === value)) {
        const unknown = el("option", { value: value, text: value + " ?" });
        unknown.selected = true;
        s.appendChild(unknown);
      }
      return s;
    }

    function text(value, placeholder) {
      return el("input", { class: "form-control form-control-sm", value: value || "", placeholder: placeholder || "" });
    }

    function extensionValues(bo, type) {
      return ((bo.extensionElements && bo.extensionElements.values) || []).filter((v) => v.$instanceOf(type));
    }

    function ensureExtension(element, type, attrs) {
      const bo = element.businessObject;
      let ext = bo.extensionElements;
      if (!ext) {
        ext = moddle.create("bpmn:ExtensionElements", { values: [] });
        modeling.updateProperties(element, { extensionElements: ext });
      }
      let found = extensionValues(bo, type)[0];
      if (!found) {
        found = moddle.create(type, attrs || {});
        modeling.updateModdleProperties(element, ext, { values: (ext.values || []).concat([found]) });
      }
      return found;
    }

    function taskProperty(bo, name) {
      const props = extensionValues(bo, "spiffworkflow:Properties")[0];
      const found = props && (props.properties || []).find((p) => p.name === name);
      return found ? found.value : "";
    }

    function setTaskProperty(element, name, value) {
      const props = ensureExtension(element, "spiffworkflow:Properties", { properties: [] });
      const existing = (props.properties || []).find((p) => p.name === name);
      if (existing && value) modeling.updateModdleProperties(element, existing, { value: value });
      else if (existing) modeling.updateModdleProperties(element, props, {
        properties: props.properties.filter((p) => p !== existing) });
      else if (value) modeling.updateModdleProperties(element, props, {
        properties: (props.properties || []).concat([moddle.create("spiffworkflow:Property", { name: name, value: value })]) });
    }

    function timerDefinition(bo) {
      return (bo.eventDefinitions || []).find((d) => d.$type === "bpmn:TimerEventDefinition");
    }

    function renderPanel(element) {
      panel.innerHTML = "";
      const root = canvas.getRootElement();
      if (!element || element === root) {
        const bo = root.businessObject;
        panel.appendChild(el("h2", { class: "h6", text: T.panelProcess }));
        panel.appendChild(el("p", { class: "small text-muted", text: T.panelHint }));
        panel.appendChild(el("div", { class: "small", text: T.id + ": " + config.processId }));
        if (bo && bo.name) panel.appendChild(el("div", { class: "small", text: T.name + ": " + bo.name }));
        return;
      }
      const bo = element.businessObject;
      panel.appendChild(el("h2", { class: "h6", text: (bo.name || bo.id) }));
      panel.appendChild(el("div", { class: "small text-muted mb-2", text: bo.$type.replace("bpmn:", "") + " · " + bo.id }));

      if (bo.$type === "bpmn:Lane") {
        const role = select(catalog.lanes, bo.name);
        role.name = "lane-role";
        role.addEventListener("change", () => modeling.updateProperties(element, { name: role.value }));
        const known = catalog.lanes.find((l) => l.key === bo.name);
        panel.appendChild(field(T.role, role, known ? T.laneLabel + " " + known.label : "", known ? "" : T.unknownRole));
        return;
      }

      const name = text(bo.name);
      name.name = "name";
      name.addEventListener("change", () => modeling.updateLabel(element, name.value));
      panel.appendChild(field(T.name, name));

      if (bo.$type === "bpmn:UserTask" || bo.$type === "bpmn:ManualTask") {
        const form = select(catalog.forms, taskProperty(bo, "form"));
        form.name = "form";
        form.addEventListener("change", () => setTaskProperty(element, "form", form.value));
        const chosen = catalog.forms.find((f) => f.key === taskProperty(bo, "form"));
        panel.appendChild(field(T.form, form, chosen ? chosen.help : ""));
        const due = text(taskProperty(bo, "due"), "P5D");
        due.name = "due";
        due.setAttribute("list", "due-examples");
        const dueField = field(T.due, due, T.dueHelp);
        due.addEventListener("change", function () {
          const value = due.value.trim().toUpperCase();
          if (value && !ISO_DUE.test(value)) {
            due.classList.add("is-invalid");
            if (!dueField.querySelector(".invalid-feedback"))
              dueField.appendChild(el("div", { class: "invalid-feedback d-block", text: T.dueInvalid }));
            return;
          }
          due.classList.remove("is-invalid");
          dueField.querySelectorAll(".invalid-feedback").forEach((n) => n.remove());
          setTaskProperty(element, "due", value);
        });
        panel.appendChild(dueField);
        panel.appendChild(el("datalist", { id: "due-examples" },
          ["P1D", "P3D", "P5D", "P10D", "P15D", "P2W", "PT4H"].map((v) => el("option", { value: v }))));
        const escalate = select(catalog.lanes, taskProperty(bo, "escalate_to"), "none");
        escalate.name = "escalate_to";
        escalate.addEventListener("change", () => setTaskProperty(element, "escalate_to", escalate.value));
        panel.appendChild(field(T.escalate, escalate));
      }

      if (bo.$type === "bpmn:ServiceTask") {
        const current = extensionValues(bo, "spiffworkflow:ServiceTaskOperator")[0];
        const operator = select(catalog.operators, current ? current.id : "");
        operator.name = "operator";
        operator.addEventListener("change", function () {
          const op = ensureExtension(element, "spiffworkflow:ServiceTaskOperator", {});
          const spec = catalog.operators.find((o) => o.key === operator.value);
          const params = (spec ? spec.parameters : []).map(function (p) {
            const old = op.parameterList && (op.parameterList.parameters || []).find((x) => x.id === p);
            return moddle.create("spiffworkflow:Parameter", { id: p, type: "any", value: old ? old.value : p });
          });
          modeling.updateModdleProperties(element, op, {
            id: operator.value,
            parameterList: params.length ? moddle.create("spiffworkflow:Parameters", { parameters: params }) : undefined });
          renderPanel(element);
        });
        panel.appendChild(field(T.operator, operator));
        if (current) {
          const result = text(current.resultVariable);
          result.name = "resultVariable";
          result.addEventListener("change", () => modeling.updateModdleProperties(element, current, { resultVariable: result.value || undefined }));
          panel.appendChild(field(T.resultVariable, result));
          ((current.parameterList && current.parameterList.parameters) || []).forEach(function (param) {
            const input = text(param.value);
            input.name = "param-" + param.id;
            input.addEventListener("change", () => modeling.updateModdleProperties(element, param, { value: input.value }));
            panel.appendChild(field(T.parameter + " " + param.id, input, T.parameterHelp));
          });
        }
      }

      if (bo.$type === "bpmn:SequenceFlow" && bo.sourceRef && GATEWAYS_WITH_CONDITIONS.includes(bo.sourceRef.$type)) {
        const source = registry.get(bo.sourceRef.id);
        const isDefault = bo.sourceRef.default === bo;
        const cond = text(bo.conditionExpression ? bo.conditionExpression.body : "");
        cond.name = "condition";
        cond.disabled = isDefault;
        cond.addEventListener("change", function () {
          const value = cond.value.trim();
          modeling.updateProperties(element, { conditionExpression: value
            ? moddle.create("bpmn:FormalExpression", { body: value }) : undefined });
        });
        panel.appendChild(field(T.condition, cond, T.conditionHelp));
        const box = el("input", { type: "checkbox", class: "form-check-input", name: "default-flow" });
        box.checked = isDefault;
        box.addEventListener("change", function () {
          if (box.checked) modeling.updateProperties(element, { conditionExpression: undefined });
          modeling.updateProperties(source, { default: box.checked ? bo : undefined });
          renderPanel(element);
        });
        panel.appendChild(el("div", { class: "form-check mb-2" }, [box, el("label", { class: "form-check-label", text: T.defaultFlow })]));
      }

      const timer = timerDefinition(bo);
      if (timer) {
        const kind = TIMER_KINDS.find((k) => timer[k]) || "timeDuration";
        const kindSelect = el("select", { class: "form-select form-select-sm", name: "timer-kind" });
        TIMER_KINDS.forEach((k) => {
          const opt = el("option", { value: k, text: T[k] });
          if (k === kind) opt.selected = true;
          kindSelect.appendChild(opt);
        });
        const value = text(timer[kind] ? timer[kind].body : "", "'P5D'");
        value.name = "timer-value";
        const write = function () {
          const props = { timeDuration: undefined, timeDate: undefined, timeCycle: undefined };
          if (value.value.trim()) props[kindSelect.value] = moddle.create("bpmn:FormalExpression", { body: value.value.trim() });
          modeling.updateModdleProperties(element, timer, props);
        };
        kindSelect.addEventListener("change", write);
        value.addEventListener("change", write);
        panel.appendChild(field(T.timerKind, kindSelect));
        panel.appendChild(field(T.timer, value, T.timerHelp));
      }
    }

    modeler.on("selection.changed", (e) => renderPanel(e.newSelection[0] || null));
    modeler.on("elements.changed", function (e) {
      const selected = modeler.get("selection").get()[0];
      if (selected && e.elements.some((x) => x.id === selected.id) && !panel.contains(document.activeElement)) renderPanel(selected);
    });

    // -- actions ----------------------------------------------------------------------------------

    async function saveDraft() {
      status(T.saving);
      const result = await postJson(config.urls.draft, { xml: await currentXml(), lock_version: lockVersion });
      if (result.ok) {
        lockVersion = result.body.lock_version;
        savedIndex = commandStack._stackIdx;
        status(T.saved + " " + new Date(result.body.saved_at).toLocaleTimeString(), "success");
      } else {
        status(result.body.error || "", "danger");
        if (result.body.problems) showProblems(result.body.problems);
      }
    }

    async function deploy() {
      const note = document.getElementById("deploy-note");
      const noteError = document.getElementById("deploy-note-error");
      note.classList.remove("is-invalid");
      if (!note.value.trim()) {
        note.classList.add("is-invalid");
        noteError.textContent = T.noteRequired;
        note.focus();
        return;
      }
      const problems = await validate();
      if (problems.length || !window.confirm(T.confirmDeploy)) return;
      status(T.deploying);
      const result = await postJson(config.urls.deploy, { xml: await currentXml(), note: note.value.trim() });
      if (result.ok) {
        savedIndex = commandStack._stackIdx;
        lockVersion = null;
        note.value = "";
        statusEl.innerHTML = "";
        statusEl.appendChild(el("span", { class: "text-success", text: T.deployed + " v" + result.body.version + " · " }));
        statusEl.appendChild(el("a", { href: result.body.url, text: T.seeVersions }));
      } else {
        status(result.body.error || "", "danger");
        if (result.body.field === "note") { note.classList.add("is-invalid"); noteError.textContent = result.body.error; }
        if (result.body.problems) showProblems(result.body.problems);
      }
    }

    async function upload(file) {
      const data = new FormData();
      data.append("file", file);
      const result = await request(config.urls.importFile, { method: "POST", body: data });
      if (!result.ok) {
        status(result.body.error || "", "danger");
        if (result.body.problems) showProblems(result.body.problems);
        return;
      }
      await load(result.body.xml);
      savedIndex = -1;  // the uploaded diagram is not saved yet
      status(T.uploaded, "warning");
    }

    async function download() {
      const blob = new Blob([await currentXml()], { type: "application/xml" });
      const link = el("a", { href: URL.createObjectURL(blob), download: config.processId + ".bpmn" });
      document.body.appendChild(link);
      link.click();
      link.remove();
    }

    document.getElementById("btn-validate").addEventListener("click", validate);
    document.getElementById("btn-save").addEventListener("click", saveDraft);
    document.getElementById("btn-deploy").addEventListener("click", deploy);
    document.getElementById("btn-download").addEventListener("click", download);
    document.getElementById("upload-input").addEventListener("change", function (e) {
      if (e.target.files[0]) upload(e.target.files[0]);
      e.target.value = "";
    });
    window.addEventListener("beforeunload", function (e) {
      if (dirty()) { e.preventDefault(); e.returnValue = T.unsaved; }
    });

    (async function init() {
      status(T.loading);
      const [working, cat] = await Promise.all([request(config.urls.working), request(config.urls.catalog)]);
      catalog = cat.body;
      lockVersion = working.body.lock_version;
      try {
        await load(working.body.xml);
      } catch (err) {
        status(T.loadFailed + " " + err.message, "danger");
        return;
      }
      const source = { draft: T.sourceDraft, active: T.sourceActive, shipped: T.sourceShipped }[working.body.source];
      document.getElementById("source").textContent = source + (working.body.saved_by ? " (" + T.savedBy + " " + working.body.saved_by + ")" : "");
      status("");
      document.getElementById("canvas").dataset.ready = "true";
    })();

    window.siklusModeler = modeler;
  }

  window.SiklusModeler = { start: start };
})();
