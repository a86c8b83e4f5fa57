"""Structural deploy-time checks: elements the engine does not support, unreachable elements,
processes without a start or an end, gateways that can leave a case stuck, and timers whose
ISO-8601 text cannot be read.

Each check returns `Problem`s naming the element, in the reader's language, for the designer's list.
"""
import ast

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition as Timer

from app.engine.expressions import UnsafeExpression
from app.engine.expressions import validate as validate_expression

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"

FLOW_NODES = frozenset({
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
    "userTask", "manualTask", "serviceTask", "scriptTask", "subProcess", "callActivity",
    "exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway",
})
# Everything else the engine reads or safely ignores inside a process.
OTHER_SUPPORTED = frozenset({
    "sequenceFlow", "laneSet", "lane", "flowNodeRef", "childLaneSet", "extensionElements", "documentation",
    "conditionExpression", "multiInstanceLoopCharacteristics", "standardLoopCharacteristics",
    "loopCardinality", "loopDataInputRef", "loopDataOutputRef", "inputDataItem", "outputDataItem",
    "completionCondition", "loopCondition", "timerEventDefinition", "messageEventDefinition",
    "errorEventDefinition", "terminateEventDefinition", "timeDuration", "timeDate", "timeCycle",
    "incoming", "outgoing", "textAnnotation", "text", "association", "dataObject", "dataObjectReference",
    "dataStoreReference", "ioSpecification", "dataInput", "dataOutput", "inputSet", "outputSet",
    "dataInputRefs", "dataOutputRefs", "dataInputAssociation", "dataOutputAssociation", "sourceRef",
    "targetRef", "group", "property", "messageRef", "correlationPropertyRef",
    "script",  # inside a script task, which has its own, clearer problem
})
SUPPORTED = FLOW_NODES | OTHER_SUPPORTED

# What HR reads for the elements people most often draw and the engine does not run.
UNSUPPORTED_LABELS = {
    "task": _l("tugas tanpa jenis (bpmn:task); pilih tugas pengguna (user task) atau tugas layanan (service task)"),
    "sendTask": _l("tugas kirim (send task); gunakan tugas layanan dengan operator notifikasi"),
    "receiveTask": _l("tugas terima (receive task); gunakan peristiwa tunggu pesan (intermediate catch event)"),
    "businessRuleTask": _l("tugas aturan bisnis (business rule task/DMN)"),
    "complexGateway": _l("gerbang kompleks (complex gateway)"),
    "transaction": _l("subproses transaksi (transaction)"),
    "adHocSubProcess": _l("subproses ad-hoc"),
    "signalEventDefinition": _l("peristiwa sinyal (signal)"),
    "escalationEventDefinition": _l("peristiwa eskalasi (escalation)"),
    "compensateEventDefinition": _l("peristiwa kompensasi (compensation)"),
    "conditionalEventDefinition": _l("peristiwa bersyarat (conditional)"),
    "linkEventDefinition": _l("peristiwa tautan (link)"),
    "cancelEventDefinition": _l("peristiwa pembatalan (cancel)"),
}

_COMPLEMENTS = {ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.Gt: ast.LtE,
                ast.LtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}


def _local(el) -> str:
    tag = el.tag
    return tag.split("}", 1)[1] if isinstance(tag, str) and "}" in tag else ""


def _owner(el):
    """The element a problem belongs to: a timer or a loop names its event or task, not itself."""
    while el is not None and (el.get("id") is None or _local(el).endswith("EventDefinition")):
        el = el.getparent()
    return el


def unsupported_elements(root, problem) -> list:
    problems = []
    for process in root.iter(f"{{{BPMN}}}process"):
        for el in process.iter():
            if not isinstance(el.tag, str) or not el.tag.startswith(f"{{{BPMN}}}"):
                continue
            if el is process or el.getparent().tag == f"{{{BPMN}}}extensionElements":
                continue
            name = _local(el)
            if name in SUPPORTED:
                continue
            label = UNSUPPORTED_LABELS.get(name) or _("elemen BPMN '%(name)s'", name=name)
            problems.append(problem(_owner(el), _("%(element)s tidak didukung oleh mesin proses ini.", element=label)))
    return problems


def _containers(root):
    yield from root.iter(f"{{{BPMN}}}process")
    yield from root.iter(f"{{{BPMN}}}subProcess")


def _flow_nodes(container) -> list:
    return [el for el in container if _local(el) in FLOW_NODES]


def reachability(root, problem) -> list:
    """Every container needs a start and an end, and every element must be reachable from a start."""
    problems = []
    for container in _containers(root):
        nodes = _flow_nodes(container)
        by_id = {n.get("id"): n for n in nodes}
        is_event_subprocess = container.get("triggeredByEvent") == "true"
        starts = [n for n in nodes if _local(n) == "startEvent"]
        kind = _("subproses") if _local(container) == "subProcess" else _("proses")
        if not starts:
            problems.append(problem(container, _("%(kind)s tidak memiliki peristiwa mulai (start event).", kind=kind)))
        if not any(_local(n) == "endEvent" for n in nodes):
            problems.append(problem(container, _("%(kind)s tidak memiliki peristiwa akhir (end event).", kind=kind)))
        outgoing: dict[str, list[str]] = {}
        for flow in container.iterfind(f"{{{BPMN}}}sequenceFlow"):
            outgoing.setdefault(flow.get("sourceRef"), []).append(flow.get("targetRef"))
        attached: dict[str, list[str]] = {}
        for n in nodes:
            if _local(n) == "boundaryEvent":
                attached.setdefault(n.get("attachedToRef"), []).append(n.get("id"))
        seen = set()
        stack = [n.get("id") for n in starts]
        stack += [n.get("id") for n in nodes if _local(n) == "subProcess" and n.get("triggeredByEvent") == "true"]
        while stack:
            node_id = stack.pop()
            if node_id in seen or node_id not in by_id:
                continue
            seen.add(node_id)
            stack.extend(outgoing.get(node_id, []))
            stack.extend(attached.get(node_id, []))
        if starts or is_event_subprocess:
            for node_id, node in by_id.items():
                if node_id not in seen:
                    problems.append(problem(node, _("tidak dapat dicapai dari peristiwa mulai; hubungkan dengan alur "
                                                    "atau hapus elemen ini.")))
        for node_id, node in by_id.items():
            if _local(node) not in ("endEvent", "boundaryEvent") and not outgoing.get(node_id) and not (
                    _local(node) == "subProcess" and node.get("triggeredByEvent") == "true"):
                problems.append(problem(node, _("tidak memiliki alur keluar; sambungkan ke langkah berikutnya atau ke "
                                                "peristiwa akhir.")))
    return problems


def _parsed(text: str | None):
    try:
        validate_expression(text.strip())
        return ast.parse(text.strip(), mode="eval").body
    except (UnsafeExpression, SyntaxError, AttributeError):
        return None


def _complementary(a, b) -> bool:
    dump = ast.dump
    if isinstance(b, ast.UnaryOp) and isinstance(b.op, ast.Not) and dump(b.operand) == dump(a):
        return True
    if isinstance(a, ast.UnaryOp) and isinstance(a.op, ast.Not) and dump(a.operand) == dump(b):
        return True
    if isinstance(a, ast.Compare) and isinstance(b, ast.Compare) and len(a.ops) == len(b.ops) == 1:
        same_operands = dump(a.left) == dump(b.left) and dump(a.comparators[0]) == dump(b.comparators[0])
        return same_operands and _COMPLEMENTS.get(type(a.ops[0])) is type(b.ops[0])
    return False


def _always_true(expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is True


def _exhaustive(conditions: list[str]) -> bool:
    """True only when the conditions provably cover every case (one is True, or two are each
    other's negation); anything else may leave all of them false."""
    parsed = [_parsed(c) for c in conditions]
    if any(p is not None and _always_true(p) for p in parsed):
        return True
    known = [p for p in parsed if p is not None]
    return any(_complementary(a, b) for i, a in enumerate(known) for b in known[i + 1:])


def gateways(root, problem) -> list:
    problems = []
    flows = {f.get("id"): f for f in root.iter(f"{{{BPMN}}}sequenceFlow")}
    for tag, label in (("exclusiveGateway", _("gerbang eksklusif")), ("inclusiveGateway", _("gerbang inklusif"))):
        for gw in root.iter(f"{{{BPMN}}}{tag}"):
            out = [f for f in flows.values() if f.get("sourceRef") == gw.get("id")]
            if len(out) < 2:
                continue
            default = gw.get("default")
            if default and default not in {f.get("id") for f in out}:
                problems.append(problem(gw, _("alur default '%(flow)s' bukan alur keluar %(gateway)s ini.",
                                              flow=default, gateway=label)))
                continue
            conditional = []
            for flow in out:
                cond = flow.find(f"{{{BPMN}}}conditionExpression")
                text = cond.text if cond is not None else None
                if flow.get("id") == default:
                    continue
                if not (text or "").strip():
                    problems.append(problem(flow, _("alur keluar dari %(gateway)s '%(name)s' tanpa kondisi dan bukan "
                                                    "alur default.", gateway=label, name=gw.get("name") or gw.get("id"))))
                    continue
                conditional.append(text)
            if not default and conditional and not _exhaustive(conditional):
                problems.append(problem(gw, _("%(gateway)s tanpa alur default dan kondisinya bisa semuanya bernilai "
                                              "salah, sehingga kasus akan macet; tandai satu alur sebagai default.",
                                              gateway=label)))
    return problems


def _timer_literal(text: str):
    """The ISO text of a timer written as a quoted literal, a bare ISO-looking word, or None."""
    expr = _parsed(text)
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value, True
    if isinstance(expr, ast.Name) and expr.id[:1] in ("P", "R"):
        return expr.id, False
    return None, True


def timers(root, problem) -> list:
    readers = {
        "timeDuration": (_("durasi"), lambda v: v.upper().startswith("P") and Timer.parse_iso_duration(v)),
        "timeDate": (_("tanggal"), Timer.parse_time_or_duration),
        "timeCycle": (_("siklus"), lambda v: v.upper().startswith("R") and Timer.parse_iso_recurring_interval(v)),
    }
    problems = []
    for definition in root.iter(f"{{{BPMN}}}timerEventDefinition"):
        owner = _owner(definition)
        values = [el for el in definition if _local(el) in readers]
        if not values or not (values[0].text or "").strip():
            problems.append(problem(owner, _("timer tanpa nilai; isi durasi (mis. 'P5D'), tanggal atau siklus "
                                             "ISO-8601.")))
            continue
        el = values[0]
        kind, read = readers[_local(el)]
        literal, quoted = _timer_literal(el.text)
        if literal is None:
            continue  # an expression over case data; checked for safety elsewhere, evaluated at run time
        if not quoted:
            problems.append(problem(owner, _("nilai timer %(value)s harus ditulis sebagai teks bertanda kutip, "
                                             "misalnya '%(value)s'.", value=literal)))
            continue
        try:
            ok = read(literal)
        except Exception:  # Spiff's readers raise bare Exception/ValueError/AttributeError on bad text
            ok = False
        if not ok:
            problems.append(problem(owner, _("%(kind)s timer '%(value)s' bukan ISO-8601 yang valid "
                                             "(contoh: 'P5D', 'PT4H', '2026-12-31T09:00:00', 'R3/PT1H').",
                                             kind=kind, value=literal)))
    return problems
