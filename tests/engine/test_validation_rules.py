"""Validation, table-driven: one small diagram per rule, each problem naming its element."""
import pytest
from sqlalchemy import select

from app.engine import operations, validation
from app.engine.validation import DiagramRejected
from app.models import ProcessVersion
from app.services.designer.deployment import WORKFLOWS_DIR, deploy_xml
from app.services.tasks import types as task_types
from tests.engine.diagrams import HEADER, user_task

FOOTER = "</bpmn:definitions>"


def process(body: str, lanes: str = "", pid: str = "rule_test") -> str:
    return HEADER + f'<bpmn:process id="{pid}" name="Uji aturan" isExecutable="true">{lanes}{body}</bpmn:process>' + FOOTER


def linear(*middle: str, flows: str = "") -> str:
    """start -> middle... -> end, with flows between consecutive elements; `middle` are element XML
    snippets whose first id="..." is used for the flow."""
    ids = ["start"] + [m.split('id="', 1)[1].split('"', 1)[0] for m in middle] + ["end"]
    seq = "".join(f'<bpmn:sequenceFlow id="s{i}" sourceRef="{a}" targetRef="{b}" />'
                  for i, (a, b) in enumerate(zip(ids, ids[1:])))
    return process('<bpmn:startEvent id="start" />' + "".join(middle) + '<bpmn:endEvent id="end" />' + seq + flows)


def gateway(conditions: list[str], default: bool = False, kind: str = "exclusiveGateway") -> str:
    branches = "".join(
        f'<bpmn:sequenceFlow id="c{i}" sourceRef="gw" targetRef="t{i}"><bpmn:conditionExpression>{c}'
        f'</bpmn:conditionExpression></bpmn:sequenceFlow>{user_task(f"t{i}")}'
        f'<bpmn:sequenceFlow id="e{i}" sourceRef="t{i}" targetRef="end" />'
        for i, c in enumerate(conditions))
    if default:
        branches += ('<bpmn:sequenceFlow id="dflt" sourceRef="gw" targetRef="tdef" />' + user_task("tdef")
                     + '<bpmn:sequenceFlow id="edef" sourceRef="tdef" targetRef="end" />')
    default_attr = ' default="dflt"' if default else ""
    return process(f'<bpmn:startEvent id="start" /><bpmn:sequenceFlow id="s0" sourceRef="start" targetRef="first" />'
                   f'{user_task("first")}<bpmn:sequenceFlow id="s1" sourceRef="first" targetRef="gw" />'
                   f'<bpmn:{kind} id="gw" name="Keputusan"{default_attr} />{branches}<bpmn:endEvent id="end" />')


def timer(kind: str, value: str) -> str:
    return linear(f'<bpmn:intermediateCatchEvent id="wait" name="Tunggu"><bpmn:timerEventDefinition id="td">'
                  f'<bpmn:{kind}>{value}</bpmn:{kind}></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>')


LANES = ('<bpmn:laneSet id="ls"><bpmn:lane id="lane_x" name="{}"><bpmn:flowNodeRef>t</bpmn:flowNodeRef>'
         '</bpmn:lane></bpmn:laneSet>')

# (rule, diagram, element id, fragment of the message)
RULES = [
    ("unknown lane/role", process('<bpmn:startEvent id="start" /><bpmn:sequenceFlow id="s0" sourceRef="start" '
                                  f'targetRef="t" />{user_task("t")}<bpmn:sequenceFlow id="s1" sourceRef="t" '
                                  'targetRef="end" /><bpmn:endEvent id="end" />', LANES.format("satpam")),
     "lane_x", "lane 'satpam' bukan peran"),
    ("unknown form key", linear(user_task("t", form="formulir_hantu")), "t", "formulir 'formulir_hantu' tidak dikenal"),
    ("unknown operator", linear('<bpmn:serviceTask id="svc" name="Layanan"><bpmn:extensionElements>'
                                '<spiffworkflow:serviceTaskOperator id="hapus_data" /></bpmn:extensionElements>'
                                '</bpmn:serviceTask>'), "svc", "operator 'hapus_data' tidak terdaftar"),
    ("unsafe expression", gateway(["().__class__.__bases__"], default=True), "c0", "__class__"),
    ("unparsable expression", gateway(["nilai >"], default=True), "c0", "tidak dapat diurai"),
    ("script task", linear('<bpmn:scriptTask id="skrip" name="Skrip"><bpmn:script>x = 1</bpmn:script>'
                           '</bpmn:scriptTask>'), "skrip", "script task tidak diizinkan"),
    ("unreachable element", linear(user_task("t"), flows=user_task("yatim")
                                   + '<bpmn:sequenceFlow id="sy" sourceRef="yatim" targetRef="end" />'),
     "yatim", "tidak dapat dicapai"),
    ("missing end", process('<bpmn:startEvent id="start" /><bpmn:sequenceFlow id="s0" sourceRef="start" '
                            f'targetRef="t" />{user_task("t")}'), "rule_test", "tidak memiliki peristiwa akhir"),
    ("exclusive gateway may get stuck", gateway(["nilai > 10", "nilai &lt; 5"]), "gw", "tanpa alur default"),
    ("inclusive gateway may get stuck", gateway(["a == 1", "b == 1"], kind="inclusiveGateway"), "gw",
     "tanpa alur default"),
    ("timer duration not ISO", timer("timeDuration", "'P5X'"), "wait", "durasi timer 'P5X' bukan ISO-8601"),
    ("timer date not ISO", timer("timeDate", "'31-12-2026'"), "wait", "tanggal timer '31-12-2026'"),
    ("timer cycle not ISO", timer("timeCycle", "'R3/setiap jam'"), "wait", "siklus timer"),
    ("timer without quotes", timer("timeDuration", "P5D"), "wait", "bertanda kutip"),
    ("bad due duration", linear(user_task("t", lane_prop='<spiffworkflow:property name="due" value="5 hari" />')),
     "t", "tenggat 'due' tidak valid"),
    ("unsupported task type", linear('<bpmn:task id="polos" name="Tugas polos" />'), "polos",
     "tugas tanpa jenis (bpmn:task)"),
    ("unsupported gateway", linear('<bpmn:complexGateway id="rumit" />'), "rumit", "gerbang kompleks"),
    ("unsupported event", linear('<bpmn:intermediateThrowEvent id="sinyal"><bpmn:signalEventDefinition id="sd" />'
                                 '</bpmn:intermediateThrowEvent>'), "sinyal", "peristiwa sinyal (signal) tidak didukung"),
    ("dead end", process('<bpmn:startEvent id="start" /><bpmn:sequenceFlow id="s0" sourceRef="start" targetRef="t" />'
                         f'{user_task("t")}{user_task("buntu")}<bpmn:sequenceFlow id="s1" sourceRef="t" '
                         'targetRef="buntu" /><bpmn:sequenceFlow id="s2" sourceRef="t" targetRef="end" />'
                         '<bpmn:endEvent id="end" />'), "buntu", "tidak memiliki alur keluar"),
    ("two processes, no main one", HEADER + '<bpmn:process id="a" /><bpmn:process id="b" />' + FOOTER, "-",
     "tanpa satu proses utama"),
]


def problems_of(xml: str):
    return validation.check(validation.parse_xml(xml), task_types.keys(), operations.names())


@pytest.mark.parametrize("rule, xml, element_id, fragment", RULES, ids=[r[0] for r in RULES])
def test_each_rule_names_the_element(ctx, rule, xml, element_id, fragment):
    found = problems_of(xml)
    matching = [p for p in found if p.element_id == element_id and fragment in p.message]
    assert matching, f"{rule}: {[str(p) for p in found]}"


@pytest.mark.parametrize("rule, xml, element_id, fragment", RULES, ids=[r[0] for r in RULES])
def test_each_rule_blocks_deploy_and_keeps_the_active_version(session, rule, xml, element_id, fragment):
    before = [(v.process_id, v.version, v.is_active) for v in session.scalars(select(ProcessVersion))]
    with pytest.raises(DiagramRejected):
        deploy_xml(session, xml)
    session.rollback()
    assert [(v.process_id, v.version, v.is_active) for v in session.scalars(select(ProcessVersion))] == before


@pytest.mark.parametrize("xml", [
    gateway(["nilai > 10", "nilai &lt; 5"], default=True),
    gateway(["keputusan == 'setuju'", "keputusan != 'setuju'"]),
    gateway(["nilai >= 10", "nilai &lt; 10"]),
    gateway(["disetujui", "not disetujui"]),
    gateway(["True"]),
    timer("timeDuration", "'P5D'"),
    timer("timeDuration", "'PT4H'"),
    timer("timeDate", "'2026-12-31T09:00:00'"),
    timer("timeCycle", "'R3/PT1H'"),
    timer("timeDuration", "tenggat_pengingat"),
], ids=["default flow", "eq/neq", "ge/lt", "not", "always true", "P5D", "PT4H", "date", "cycle", "variable"])
def test_sound_diagrams_have_no_problem(ctx, xml):
    assert problems_of(xml) == []


def test_the_shipped_diagrams_pass_every_rule(ctx):
    for path in WORKFLOWS_DIR.glob("*.bpmn"):
        assert problems_of(path.read_text()) == [], path.name


@pytest.mark.parametrize("text, fragment", [
    ("<bpmn:definitions", "XML tidak valid"),
    ("<html><body>bukan</body></html>", "bukan diagram BPMN"),
    ("", "XML tidak valid"),
])
def test_malformed_files_get_a_clear_message(text, fragment):
    with pytest.raises(DiagramRejected, match=fragment):
        validation.parse_xml(text)
