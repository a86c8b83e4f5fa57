"""Diagrams from other BPMN tools, read in this product's terms.

Camunda Modeler writes a form as `camunda:formKey`, task settings as `camunda:properties`, a
service call as an external task topic, conditions as `${...}` and timers as bare ISO text. Those
are turned into what the engine reads (`spiffworkflow:properties`, `serviceTaskOperator`, plain
expressions, quoted ISO literals), so such a diagram validates, deploys and runs like one drawn
here. Elements already in this product's terms are left as they are.
"""
import re

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
TASK_PROPERTIES = ("form", "due", "escalate_to")
_ISO_TIMER = re.compile(r"^(R\d*/)?(P[0-9WYMDTHS.,]+|\d{4}-\d{2}-\d{2}\S*)(/\S+)?$", re.I)


def _q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


def _extensions(el):
    ext = el.find(_q(BPMN, "extensionElements"))
    if ext is None:
        ext = etree.Element(_q(BPMN, "extensionElements"))
        el.insert(0, ext)  # extensionElements come first in every BPMN element
    return ext


def _camunda_properties(el) -> dict:
    values = {}
    for prop in el.iterfind(f"{_q(BPMN, 'extensionElements')}/{_q(CAMUNDA, 'properties')}/{_q(CAMUNDA, 'property')}"):
        if prop.get("name"):
            values[prop.get("name")] = prop.get("value") or ""
    return values


def unwrap_expression(text: str) -> str:
    """`${a && !b}` (JUEL) -> `a and not b`; text outside string literals only."""
    stripped = text.strip()
    if stripped.startswith("${") and stripped.endswith("}"):
        stripped = stripped[2:-1].strip()
    parts = re.split(r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""", stripped)
    for i in range(0, len(parts), 2):
        code = parts[i].replace("&&", " and ").replace("||", " or ")
        parts[i] = re.sub(r"!(?!=)", " not ", code)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _task_properties(task) -> None:
    wanted = {}
    if task.get(_q(CAMUNDA, "formKey")):
        wanted["form"] = task.get(_q(CAMUNDA, "formKey"))
    due = task.get(_q(CAMUNDA, "dueDate")) or ""
    if due.upper().startswith("P"):
        wanted["due"] = due
    wanted.update({k: v for k, v in _camunda_properties(task).items() if k in TASK_PROPERTIES})
    if not wanted:
        return
    ext = _extensions(task)
    props = ext.find(_q(SPIFF, "properties"))
    if props is None:
        props = etree.SubElement(ext, _q(SPIFF, "properties"))
    present = {p.get("name") for p in props.iterfind(_q(SPIFF, "property"))}
    for name, value in wanted.items():
        if name not in present:
            etree.SubElement(props, _q(SPIFF, "property"), name=name, value=value)


def _service_operator(task) -> None:
    topic = task.get(_q(CAMUNDA, "topic"))
    if not topic or task.find(f".//{_q(SPIFF, 'serviceTaskOperator')}") is not None:
        return
    operator = etree.SubElement(_extensions(task), _q(SPIFF, "serviceTaskOperator"), id=topic)
    if task.get(_q(CAMUNDA, "resultVariable")):
        operator.set("resultVariable", task.get(_q(CAMUNDA, "resultVariable")))
    inputs = task.findall(f"{_q(BPMN, 'extensionElements')}/{_q(CAMUNDA, 'inputOutput')}/{_q(CAMUNDA, 'inputParameter')}")
    if inputs:
        params = etree.SubElement(operator, _q(SPIFF, "parameters"))
        for param in inputs:
            value = unwrap_expression(param.text or "")
            if not (param.text or "").strip().startswith("${"):
                value = repr(param.text or "")  # a Camunda input without ${} is a literal text
            etree.SubElement(params, _q(SPIFF, "parameter"), id=param.get("name"), type="any", value=value)


def _timer(el) -> None:
    text = (el.text or "").strip()
    if text.startswith("${"):
        el.text = unwrap_expression(text)
    elif _ISO_TIMER.match(text):
        el.text = repr(text)


def from_other_tools(xml: str) -> str:
    """The diagram in this product's terms; the text itself when nothing needed translating."""
    try:
        root = etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError:
        return xml  # validation reports it, with the line and column
    if CAMUNDA not in {ns for el in root.iter() if isinstance(el.tag, str) for ns in el.nsmap.values()}:
        return xml
    for task in root.iter(_q(BPMN, "userTask"), _q(BPMN, "manualTask")):
        _task_properties(task)
    for task in root.iter(_q(BPMN, "serviceTask")):
        _service_operator(task)
    for cond in root.iter(_q(BPMN, "conditionExpression"), _q(BPMN, "completionCondition")):
        if (cond.text or "").strip().startswith("${"):
            cond.text = unwrap_expression(cond.text)
    for el in root.iter(_q(BPMN, "timeDuration"), _q(BPMN, "timeDate"), _q(BPMN, "timeCycle")):
        _timer(el)
    etree.cleanup_namespaces(root, top_nsmap={"spiffworkflow": SPIFF})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode("utf-8")
