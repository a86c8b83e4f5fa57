"""Deploy-time checks: a diagram that could escape or cannot run is refused before any case sees it.

The problems are read by HR in the designer, in their language."""
from dataclasses import dataclass

from flask_babel import gettext as _
from lxml import etree

from app.engine import expressions, structure
from app.engine.lanes import KNOWN_LANES
from app.rules.working_days import parse_iso_duration

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NS = {"bpmn": BPMN, "spiffworkflow": SPIFF}

REQUIRED_TASK_PROPERTIES = ("form",)
# Task properties whose value is an expression over the task's data (see task_properties).
EXPRESSION_TASK_PROPERTIES = ("label", "period_key", "due_anchor", "due_at")


@dataclass(frozen=True)
class Problem:
    element_id: str
    element_name: str
    message: str

    def __str__(self) -> str:
        name = f" ({self.element_name})" if self.element_name else ""
        return f"{self.element_id}{name}: {self.message}"


class DiagramRejected(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def _problem(el, message: str) -> Problem:
    return Problem(el.get("id") or "?", el.get("name") or "", message)


def parse_xml(text: str):
    try:
        root = etree.fromstring(text.encode("utf-8") if isinstance(text, str) else text)
    except etree.XMLSyntaxError as err:
        raise DiagramRejected([Problem("-", "", _("XML tidak valid: %(error)s", error=err))]) from err
    if etree.QName(root).namespace != BPMN or etree.QName(root).localname != "definitions":
        raise DiagramRejected([Problem("-", "", _("Berkas ini bukan diagram BPMN 2.0 (bpmn:definitions)."))])
    return root


def _check_expression(el, text: str | None, what: str) -> list[Problem]:
    if text is None or not text.strip():
        return []
    try:
        expressions.validate(text.strip())
    except expressions.UnsafeExpression as err:
        return [_problem(el, _("%(what)s ditolak: %(error)s", what=what, error=err.message))]
    return []


def main_process_problems(root) -> list[Problem]:
    processes = list(root.iterfind(f"{{{BPMN}}}process"))
    executable = [p for p in processes if p.get("isExecutable") == "true"]
    if not processes:
        return [Problem("-", "", _("Diagram tidak berisi proses (bpmn:process)."))]
    if len(executable or processes) != 1:
        ids = ", ".join(p.get("id") or "?" for p in processes)
        return [Problem("-", "", _("Diagram berisi %(count)s proses (%(ids)s) tanpa satu proses utama; "
                                   "tandai tepat satu sebagai isExecutable=\"true\".", count=len(processes), ids=ids))]
    return []


def check(root, form_keys: frozenset[str], operator_names: frozenset[str]) -> list[Problem]:
    problems: list[Problem] = main_process_problems(root)
    for el in root.iter(f"{{{BPMN}}}scriptTask"):
        problems.append(_problem(el, _("script task tidak diizinkan; gunakan tugas layanan (service task).")))
    for tag in ("preScript", "postScript"):
        for el in root.iter(f"{{{SPIFF}}}{tag}"):
            owner = el.getparent().getparent()
            problems.append(_problem(owner, _("%(tag)s tidak diizinkan; skrip tidak dijalankan.", tag=tag)))
    for lane in root.iter(f"{{{BPMN}}}lane"):
        if (lane.get("name") or "") not in KNOWN_LANES:
            problems.append(_problem(lane, _("lane '%(name)s' bukan peran yang dikenal (%(lanes)s).",
                                             name=lane.get("name"), lanes=", ".join(KNOWN_LANES))))
    for task in root.iter(f"{{{BPMN}}}userTask", f"{{{BPMN}}}manualTask"):
        props = {p.get("name"): p.get("value") for p in task.iterfind(".//spiffworkflow:property", NS)}
        for key in REQUIRED_TASK_PROPERTIES:
            if not props.get(key):
                problems.append(_problem(task, _("properti '%(key)s' wajib diisi.", key=key)))
        if props.get("form") and props["form"] not in form_keys:
            problems.append(_problem(task, _("formulir '%(form)s' tidak dikenal.", form=props["form"])))
        for key, label in (("due", _("tenggat 'due'")), ("escalate_after", "'escalate_after'")):
            if props.get(key):
                try:
                    parse_iso_duration(props[key])
                except ValueError as err:
                    problems.append(_problem(task, _("%(what)s tidak valid: %(error)s", what=label, error=err)))
        if props.get("escalate_after") and not props.get("escalate_to"):
            problems.append(_problem(task, _("'escalate_after' tanpa 'escalate_to': tidak ada yang dituju.")))
        for key in EXPRESSION_TASK_PROPERTIES:
            problems += _check_expression(task, props.get(key), _("properti '%(key)s'", key=key))
        if props.get("escalate_to") and props["escalate_to"] not in KNOWN_LANES:
            problems.append(_problem(task, _("escalate_to '%(lane)s' bukan peran yang dikenal.",
                                             lane=props["escalate_to"])))
    for task in root.iter(f"{{{BPMN}}}serviceTask"):
        op = task.find(".//spiffworkflow:serviceTaskOperator", NS)
        if op is None:
            problems.append(_problem(task, _("tugas layanan tanpa operator (spiffworkflow:serviceTaskOperator).")))
            continue
        if op.get("id") not in operator_names:
            problems.append(_problem(task, _("operator '%(operator)s' tidak terdaftar.", operator=op.get("id"))))
        for param in op.iterfind(".//spiffworkflow:parameter", NS):
            problems += _check_expression(task, param.get("value"), f"parameter '{param.get('id')}'")
    for payload in root.iter(f"{{{SPIFF}}}messagePayload"):
        owner = payload.getparent()
        while owner is not None and (owner.get("id") is None or owner.tag.endswith("EventDefinition")):
            owner = owner.getparent()
        problems += _check_expression(owner if owner is not None else payload, payload.text, _("muatan pesan"))
    for flow in root.iter(f"{{{BPMN}}}sequenceFlow"):
        cond = flow.find("bpmn:conditionExpression", NS)
        if cond is not None:
            problems += _check_expression(flow, cond.text, _("kondisi"))
    for tag in ("timeDuration", "timeDate", "timeCycle", "loopCardinality", "completionCondition"):
        for el in root.iter(f"{{{BPMN}}}{tag}"):
            owner = el.getparent()
            while owner is not None and owner.get("id") is None:
                owner = owner.getparent()
            problems += _check_expression(owner if owner is not None else el, el.text, tag)
    for structural in (structure.unsupported_elements, structure.reachability, structure.gateways, structure.timers):
        problems += structural(root, _problem)
    return problems
