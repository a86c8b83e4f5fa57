"""Generated diagram interchange: every element drawn, inside its lane or subprocess, nothing overlapping."""
import itertools

import pytest
from lxml import etree

from app.engine import layout, specs
from app.engine.layout import BPMN, BPMNDI, DC, DI
from app.services.designer.deployment import WORKFLOWS_DIR
from tests.engine.test_other_tools import CAMUNDA_DIAGRAM

NESTED = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="t">
  <bpmn:process id="pengaduan" name="Pengaduan" isExecutable="true">
    <bpmn:laneSet id="ls">
      <bpmn:lane id="l_emp" name="employee"><bpmn:flowNodeRef>start</bpmn:flowNodeRef><bpmn:flowNodeRef>isi</bpmn:flowNodeRef><bpmn:flowNodeRef>konfirmasi</bpmn:flowNodeRef><bpmn:flowNodeRef>end</bpmn:flowNodeRef></bpmn:lane>
      <bpmn:lane id="l_pic" name="pic"><bpmn:flowNodeRef>triase</bpmn:flowNodeRef><bpmn:flowNodeRef>gw</bpmn:flowNodeRef><bpmn:flowNodeRef>tangani</bpmn:flowNodeRef><bpmn:flowNodeRef>join</bpmn:flowNodeRef></bpmn:lane>
      <bpmn:lane id="l_it" name="it"><bpmn:flowNodeRef>it_sub</bpmn:flowNodeRef></bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="start" name="Aduan masuk"/>
    <bpmn:userTask id="isi" name="Isi aduan"/>
    <bpmn:userTask id="triase" name="Triase"/>
    <bpmn:boundaryEvent id="telat" name="3 hari" attachedToRef="triase"><bpmn:timerEventDefinition><bpmn:timeDuration>'P3D'</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
    <bpmn:exclusiveGateway id="gw" name="Perlu TI?" default="f_self"/>
    <bpmn:userTask id="tangani" name="Tangani sendiri"/>
    <bpmn:subProcess id="it_sub" name="Penanganan TI">
      <bpmn:startEvent id="it_s"/>
      <bpmn:userTask id="it_a" name="Analisis"/>
      <bpmn:subProcess id="it_inner" name="Perbaikan">
        <bpmn:startEvent id="in_s"/><bpmn:userTask id="in_a" name="Perbaiki"/><bpmn:userTask id="in_b" name="Uji"/><bpmn:endEvent id="in_e"/>
        <bpmn:sequenceFlow id="i1" sourceRef="in_s" targetRef="in_a"/><bpmn:sequenceFlow id="i2" sourceRef="in_a" targetRef="in_b"/><bpmn:sequenceFlow id="i3" sourceRef="in_b" targetRef="in_e"/>
      </bpmn:subProcess>
      <bpmn:endEvent id="it_e"/>
      <bpmn:sequenceFlow id="s1" sourceRef="it_s" targetRef="it_a"/><bpmn:sequenceFlow id="s2" sourceRef="it_a" targetRef="it_inner"/><bpmn:sequenceFlow id="s3" sourceRef="it_inner" targetRef="it_e"/>
    </bpmn:subProcess>
    <bpmn:exclusiveGateway id="join"/>
    <bpmn:userTask id="konfirmasi" name="Konfirmasi selesai"/>
    <bpmn:endEvent id="end" name="Selesai"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="isi"/>
    <bpmn:sequenceFlow id="f2" sourceRef="isi" targetRef="triase"/>
    <bpmn:sequenceFlow id="f3" sourceRef="triase" targetRef="gw"/>
    <bpmn:sequenceFlow id="f_it" name="Ya" sourceRef="gw" targetRef="it_sub"><bpmn:conditionExpression>perlu_ti</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f_self" name="Tidak" sourceRef="gw" targetRef="tangani"/>
    <bpmn:sequenceFlow id="f4" sourceRef="it_sub" targetRef="join"/>
    <bpmn:sequenceFlow id="f5" sourceRef="tangani" targetRef="join"/>
    <bpmn:sequenceFlow id="f6" sourceRef="join" targetRef="konfirmasi"/>
    <bpmn:sequenceFlow id="f7" sourceRef="konfirmasi" targetRef="end"/>
    <bpmn:sequenceFlow id="f_esc" name="Eskalasi" sourceRef="telat" targetRef="it_sub"/>
    <bpmn:sequenceFlow id="f_back" name="Belum beres" sourceRef="konfirmasi" targetRef="triase"/>
  </bpmn:process>
</bpmn:definitions>
"""


def _boxes(root):
    boxes = {}
    for shape in root.iter(f"{{{BPMNDI}}}BPMNShape"):
        b = shape.find(f"{{{DC}}}Bounds")
        boxes[shape.get("bpmnElement")] = tuple(float(b.get(k)) for k in ("x", "y", "width", "height"))
    return boxes


def _inside(inner, outer):
    x, y, w, h = inner
    X, Y, W, H = outer
    return x >= X and y >= Y and x + w <= X + W and y + h <= Y + H


def _overlap(a, b):
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _touches(point, box):
    x, y = point
    X, Y, W, H = box
    return X - 1 <= x <= X + W + 1 and Y - 1 <= y <= Y + H + 1


def _check(xml):
    root = etree.fromstring(layout.add_diagram(xml).encode())
    boxes = _boxes(root)
    for container in [*root.iter(f"{{{BPMN}}}process"), *root.iter(f"{{{BPMN}}}subProcess")]:
        children = [el for el in container
                    if isinstance(el.tag, str) and etree.QName(el).localname in layout.FLOW_NODES]
        for el in children:
            assert el.get("id") in boxes, f"{el.get('id')} has no shape"
            if etree.QName(container).localname == "subProcess":
                assert _inside(boxes[el.get("id")], boxes[container.get("id")]), el.get("id")
        solid = [el.get("id") for el in children if etree.QName(el).localname != "boundaryEvent"]
        for a, b in itertools.combinations(solid, 2):
            assert not _overlap(boxes[a], boxes[b]), (a, b)
        for flow in container.iterfind(f"{{{BPMN}}}sequenceFlow"):
            edge = next(e for e in root.iter(f"{{{BPMNDI}}}BPMNEdge") if e.get("bpmnElement") == flow.get("id"))
            points = [(float(p.get("x")), float(p.get("y"))) for p in edge.iter(f"{{{DI}}}waypoint")]
            assert all(a[0] == b[0] or a[1] == b[1] for a, b in zip(points, points[1:])), "orthogonal"
            assert _touches(points[0], boxes[flow.get("sourceRef")]), flow.get("id")
            assert _touches(points[-1], boxes[flow.get("targetRef")]), flow.get("id")
    for lane in root.iter(f"{{{BPMN}}}lane"):
        for ref in lane.iterfind(f"{{{BPMN}}}flowNodeRef"):
            assert _inside(boxes[ref.text.strip()], boxes[lane.get("id")]), ref.text
    return root


@pytest.mark.parametrize("name", [p.name for p in WORKFLOWS_DIR.glob("*.bpmn")])
def test_shipped_diagrams_get_a_full_layout_and_still_parse(name):
    xml = (WORKFLOWS_DIR / name).read_text()
    root = _check(xml)
    pools = list(root.iter(f"{{{BPMN}}}participant"))
    assert len(pools) == (1 if root.find(f".//{{{BPMN}}}lane") is not None else 0)
    laid_out = layout.add_diagram(xml)
    assert specs.parse(laid_out).process_id == specs.parse(xml).process_id


def test_nested_subprocesses_boundary_events_and_loops_back():
    root = _check(NESTED)
    boxes = _boxes(root)
    assert _inside(boxes["in_a"], boxes["it_inner"]) and _inside(boxes["it_inner"], boxes["it_sub"])
    triase, timer = boxes["triase"], boxes["telat"]
    assert timer[1] + timer[3] / 2 == pytest.approx(triase[1] + triase[3])  # on the host's lower edge
    assert boxes["isi"][0] < boxes["triase"][0] < boxes["gw"][0] < boxes["join"][0] < boxes["konfirmasi"][0]


def test_a_diagram_with_its_own_di_is_left_alone():
    assert layout.add_diagram(CAMUNDA_DIAGRAM) == CAMUNDA_DIAGRAM
    assert layout.with_diagram(CAMUNDA_DIAGRAM) == CAMUNDA_DIAGRAM
