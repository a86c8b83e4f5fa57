"""A diagram exported from another BPMN tool (Camunda Modeler style) deploys and runs."""
from sqlalchemy import select

from app.engine import layout
from app.engine.interchange import from_other_tools, unwrap_expression
from app.engine.runner import CaseRunner
from app.models import HumanTask
from app.services.designer.deployment import deploy_xml
from tests.conftest import employee, user

# Written by hand the way Camunda Modeler 5 saves a diagram: a collaboration with a pool, lanes,
# camunda:formKey and camunda:properties on tasks, a ${...} condition, bare ISO timer text, DI.
CAMUNDA_DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"
  xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:modeler="http://camunda.org/schema/modeler/1.0"
  id="Definitions_1x2y3z" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler"
  exporterVersion="5.28.0" modeler:executionPlatform="Camunda Platform" modeler:executionPlatformVersion="7.21.0">
  <bpmn:collaboration id="Collaboration_0k1">
    <bpmn:participant id="Participant_0p1" name="Izin belajar" processRef="izin_belajar" />
  </bpmn:collaboration>
  <bpmn:process id="izin_belajar" name="Izin belajar" isExecutable="true" camunda:historyTimeToLive="180">
    <bpmn:laneSet id="LaneSet_1">
      <bpmn:lane id="Lane_pegawai" name="employee">
        <bpmn:flowNodeRef>StartEvent_1</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Activity_ajukan</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Event_selesai</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Event_ditolak</bpmn:flowNodeRef>
      </bpmn:lane>
      <bpmn:lane id="Lane_atasan" name="supervisor">
        <bpmn:flowNodeRef>Activity_setujui</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Gateway_keputusan</bpmn:flowNodeRef>
        <bpmn:flowNodeRef>Event_pengingat</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:startEvent id="StartEvent_1" name="Diajukan">
      <bpmn:outgoing>Flow_1</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:userTask id="Activity_ajukan" name="Lengkapi berkas" camunda:formKey="note">
      <bpmn:extensionElements>
        <camunda:properties>
          <camunda:property name="due" value="P3D" />
        </camunda:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>Flow_1</bpmn:incoming>
      <bpmn:outgoing>Flow_2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:userTask id="Activity_setujui" name="Setujui izin belajar" camunda:formKey="approval" camunda:candidateGroups="atasan">
      <bpmn:extensionElements>
        <camunda:properties>
          <camunda:property name="due" value="P5D" />
          <camunda:property name="escalate_to" value="hr" />
        </camunda:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>Flow_2</bpmn:incoming>
      <bpmn:outgoing>Flow_3</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:boundaryEvent id="Event_pengingat" name="Lewat 10 hari" cancelActivity="false" attachedToRef="Activity_setujui">
      <bpmn:outgoing>Flow_ingat</bpmn:outgoing>
      <bpmn:timerEventDefinition id="TimerEventDefinition_1">
        <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">P10D</bpmn:timeDuration>
      </bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:endEvent id="Event_ingat_selesai" name="Pengingat dicatat">
      <bpmn:incoming>Flow_ingat</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:exclusiveGateway id="Gateway_keputusan" name="Disetujui?" default="Flow_tolak">
      <bpmn:incoming>Flow_3</bpmn:incoming>
      <bpmn:outgoing>Flow_setuju</bpmn:outgoing>
      <bpmn:outgoing>Flow_tolak</bpmn:outgoing>
    </bpmn:exclusiveGateway>
    <bpmn:endEvent id="Event_selesai" name="Izin diberikan">
      <bpmn:incoming>Flow_setuju</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:endEvent id="Event_ditolak" name="Izin ditolak">
      <bpmn:incoming>Flow_tolak</bpmn:incoming>
    </bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_1" targetRef="Activity_ajukan" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Activity_ajukan" targetRef="Activity_setujui" />
    <bpmn:sequenceFlow id="Flow_3" sourceRef="Activity_setujui" targetRef="Gateway_keputusan" />
    <bpmn:sequenceFlow id="Flow_setuju" name="Ya" sourceRef="Gateway_keputusan" targetRef="Event_selesai">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${decision == 'approve' &amp;&amp; !ditunda}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="Flow_tolak" name="Tidak" sourceRef="Gateway_keputusan" targetRef="Event_ditolak" />
    <bpmn:sequenceFlow id="Flow_ingat" sourceRef="Event_pengingat" targetRef="Event_ingat_selesai" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_1">
    <bpmndi:BPMNPlane id="BPMNPlane_1" bpmnElement="Collaboration_0k1">
      <bpmndi:BPMNShape id="Participant_0p1_di" bpmnElement="Participant_0p1" isHorizontal="true">
        <dc:Bounds x="129" y="80" width="760" height="370" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Lane_atasan_di" bpmnElement="Lane_atasan" isHorizontal="true">
        <dc:Bounds x="159" y="230" width="730" height="220" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Lane_pegawai_di" bpmnElement="Lane_pegawai" isHorizontal="true">
        <dc:Bounds x="159" y="80" width="730" height="150" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="_BPMNShape_StartEvent_2" bpmnElement="StartEvent_1">
        <dc:Bounds x="202" y="137" width="36" height="36" />
        <bpmndi:BPMNLabel><dc:Bounds x="200" y="180" width="43" height="14" /></bpmndi:BPMNLabel>
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Activity_ajukan_di" bpmnElement="Activity_ajukan">
        <dc:Bounds x="290" y="115" width="100" height="80" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Activity_setujui_di" bpmnElement="Activity_setujui">
        <dc:Bounds x="450" y="270" width="100" height="80" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Gateway_keputusan_di" bpmnElement="Gateway_keputusan" isMarkerVisible="true">
        <dc:Bounds x="615" y="285" width="50" height="50" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Event_selesai_di" bpmnElement="Event_selesai">
        <dc:Bounds x="742" y="137" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Event_ditolak_di" bpmnElement="Event_ditolak">
        <dc:Bounds x="742" y="182" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Event_ingat_selesai_di" bpmnElement="Event_ingat_selesai">
        <dc:Bounds x="542" y="392" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Event_pengingat_di" bpmnElement="Event_pengingat">
        <dc:Bounds x="482" y="332" width="36" height="36" />
      </bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="Flow_1_di" bpmnElement="Flow_1">
        <di:waypoint x="238" y="155" /><di:waypoint x="290" y="155" />
      </bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_2_di" bpmnElement="Flow_2">
        <di:waypoint x="390" y="155" /><di:waypoint x="420" y="155" /><di:waypoint x="420" y="310" /><di:waypoint x="450" y="310" />
      </bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_3_di" bpmnElement="Flow_3">
        <di:waypoint x="550" y="310" /><di:waypoint x="615" y="310" />
      </bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_setuju_di" bpmnElement="Flow_setuju">
        <di:waypoint x="640" y="285" /><di:waypoint x="640" y="155" /><di:waypoint x="742" y="155" />
      </bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_tolak_di" bpmnElement="Flow_tolak">
        <di:waypoint x="665" y="310" /><di:waypoint x="700" y="310" /><di:waypoint x="700" y="200" /><di:waypoint x="742" y="200" />
      </bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_ingat_di" bpmnElement="Flow_ingat">
        <di:waypoint x="500" y="368" /><di:waypoint x="500" y="410" /><di:waypoint x="542" y="410" />
      </bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
"""


def test_camunda_terms_are_read_as_this_products(ctx):
    xml = from_other_tools(CAMUNDA_DIAGRAM)
    assert '<spiffworkflow:property name="form" value="approval"/>' in xml
    assert '<spiffworkflow:property name="escalate_to" value="hr"/>' in xml
    assert "decision == 'approve' and not ditunda" in xml
    assert "'P10D'" in xml
    assert unwrap_expression("${a || b != 'x!'}") == "a or b != 'x!'"


def test_a_camunda_modeler_diagram_deploys_and_runs(session):
    version = deploy_xml(session, CAMUNDA_DIAGRAM, user("hr.admin").id, "Dari Camunda Modeler")
    session.commit()
    assert (version.process_id, version.version, version.is_active) == ("izin_belajar", 1, True)
    assert layout.with_diagram(version.bpmn_xml) == version.bpmn_xml  # its own DI is kept

    runner = CaseRunner(session)
    case = runner.start(version, employee("staf02"), "2026-IB1", {"ditunda": False}, user("hr.admin").id)
    session.commit()
    first = session.scalars(select(HumanTask).where(HumanTask.case_id == case.id, HumanTask.status == "open")).one()
    assert (first.bpmn_id, first.form_key, first.lane) == ("Activity_ajukan", "note", "employee")
    assert first.assignee_user_id == user("staf02").id and first.due_at is not None
    runner.complete(first, user("staf02").id, {})
    session.commit()
    review = session.scalars(select(HumanTask).where(HumanTask.case_id == case.id, HumanTask.status == "open")).one()
    assert (review.bpmn_id, review.form_key, review.escalate_to) == ("Activity_setujui", "approval", "hr")
    assert review.assignee_user_id == user("kasi.rujukan").id
    assert case.next_timer_at is not None  # the boundary reminder waits
    runner.complete(review, user("kasi.rujukan").id, {"decision": "approve"})
    session.commit()
    assert case.status == "completed"
    assert "Event_selesai" in {t for t in _completed_ids(runner, case)}


def _completed_ids(runner, case):
    from SpiffWorkflow.task import TaskState

    workflow = runner.load(case, None)
    return {t.task_spec.bpmn_id for t in workflow.get_tasks(state=TaskState.COMPLETED)}
