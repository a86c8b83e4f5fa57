"""Small hand-written diagrams for engine tests."""

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="t">"""


def user_task(task_id, form="acknowledge", lane_prop=""):
    return f"""<bpmn:userTask id="{task_id}" name="Tugas {task_id}"><bpmn:extensionElements>
      <spiffworkflow:properties><spiffworkflow:property name="form" value="{form}" />{lane_prop}
      </spiffworkflow:properties></bpmn:extensionElements></bpmn:userTask>"""


def gateway_process(condition: str, process_id: str = "gw_test", lane: str = "employee") -> str:
    """start -> first (user) -> gateway [condition -> yes | default -> no] -> end."""
    return HEADER + f"""
  <bpmn:process id="{process_id}" name="Uji gerbang" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="l1" name="{lane}">
      <bpmn:flowNodeRef>first</bpmn:flowNodeRef><bpmn:flowNodeRef>yes</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>no</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="first" />
    {user_task("first")}
    <bpmn:sequenceFlow id="f2" sourceRef="first" targetRef="gw" />
    <bpmn:exclusiveGateway id="gw" name="Cek" default="f_no" />
    <bpmn:sequenceFlow id="f_yes" sourceRef="gw" targetRef="yes">
      <bpmn:conditionExpression>{condition}</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f_no" sourceRef="gw" targetRef="no" />
    {user_task("yes")}
    {user_task("no")}
    <bpmn:sequenceFlow id="f3" sourceRef="yes" targetRef="end" />
    <bpmn:sequenceFlow id="f4" sourceRef="no" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>"""


def script_task_process() -> str:
    return HEADER + """
  <bpmn:process id="script_test" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="evil" />
    <bpmn:scriptTask id="evil" name="Jahat"><bpmn:script>import os; os.system('true')</bpmn:script></bpmn:scriptTask>
    <bpmn:sequenceFlow id="f2" sourceRef="evil" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>"""


def timer_process(boundary: str, wait: str) -> str:
    """first (user, interrupting boundary timer -> late) -> intermediate timer -> second -> end."""
    return HEADER + f"""
  <bpmn:process id="timer_test" name="Uji pengatur waktu" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="l1" name="employee">
      <bpmn:flowNodeRef>first</bpmn:flowNodeRef><bpmn:flowNodeRef>second</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>late</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="first" />
    {user_task("first")}
    <bpmn:boundaryEvent id="overdue" name="Lewat tenggat" attachedToRef="first">
      <bpmn:timerEventDefinition><bpmn:timeDuration>{boundary}</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:sequenceFlow id="f_late" sourceRef="overdue" targetRef="late" />
    {user_task("late")}
    <bpmn:sequenceFlow id="f_late_end" sourceRef="late" targetRef="end_late" />
    <bpmn:endEvent id="end_late" />
    <bpmn:sequenceFlow id="f2" sourceRef="first" targetRef="pause" />
    <bpmn:intermediateCatchEvent id="pause" name="Jeda">
      <bpmn:timerEventDefinition><bpmn:timeDate>{wait}</bpmn:timeDate></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f3" sourceRef="pause" targetRef="second" />
    {user_task("second")}
    <bpmn:sequenceFlow id="f4" sourceRef="second" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>"""


def message_started_process(payload: str = "'bulan ' + str(nomor)") -> str:
    """start -> announce (throws `dibuka` with `payload`) -> main (user) -> end, beside an event
    subprocess started by `dibuka`: its `follow_up` task runs while the main flow goes on."""
    return HEADER + f"""
  <bpmn:message id="m_dibuka" name="dibuka" />
  <bpmn:process id="message_test" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="l1" name="employee">
      <bpmn:flowNodeRef>announce</bpmn:flowNodeRef><bpmn:flowNodeRef>main</bpmn:flowNodeRef>
      <bpmn:flowNodeRef>on_open</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="announce" />
    <bpmn:intermediateThrowEvent id="announce" name="Umumkan">
      <bpmn:messageEventDefinition id="throw_def" messageRef="m_dibuka"><bpmn:extensionElements>
        <spiffworkflow:messagePayload>{payload}</spiffworkflow:messagePayload>
      </bpmn:extensionElements></bpmn:messageEventDefinition>
    </bpmn:intermediateThrowEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="announce" targetRef="main" />
    {user_task("main")}
    <bpmn:sequenceFlow id="f3" sourceRef="main" targetRef="end" />
    <bpmn:endEvent id="end" />
    <bpmn:subProcess id="on_open" name="Saat dibuka" triggeredByEvent="true">
      <bpmn:startEvent id="open_start" isInterrupting="false">
        <bpmn:messageEventDefinition id="catch_def" messageRef="m_dibuka"><bpmn:extensionElements>
          <spiffworkflow:messageVariable>judul</spiffworkflow:messageVariable>
        </bpmn:extensionElements></bpmn:messageEventDefinition>
      </bpmn:startEvent>
      <bpmn:sequenceFlow id="f4" sourceRef="open_start" targetRef="follow_up" />
      <bpmn:userTask id="follow_up" name="Tindak lanjut"><bpmn:extensionElements><spiffworkflow:properties>
        <spiffworkflow:property name="form" value="acknowledge" />
        <spiffworkflow:property name="label" value="'Tindak lanjut ' + judul" />
      </spiffworkflow:properties></bpmn:extensionElements></bpmn:userTask>
      <bpmn:sequenceFlow id="f5" sourceRef="follow_up" targetRef="open_end" />
      <bpmn:endEvent id="open_end" />
    </bpmn:subProcess>
  </bpmn:process>
</bpmn:definitions>"""


def property_process(properties: dict, process_id: str = "prop_run") -> str:
    """start -> first (user) -> checked (user, with the given extra task properties) -> end."""
    extra = "".join(f'<spiffworkflow:property name="{key}" value="{value}" />' for key, value in properties.items())
    return HEADER + f"""
  <bpmn:process id="{process_id}" name="Uji properti tugas" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="l1" name="employee">
      <bpmn:flowNodeRef>first</bpmn:flowNodeRef><bpmn:flowNodeRef>checked</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="first" />
    {user_task("first")}
    <bpmn:sequenceFlow id="f2" sourceRef="first" targetRef="checked" />
    <bpmn:userTask id="checked" name="Tugas diperiksa"><bpmn:extensionElements><spiffworkflow:properties>
      <spiffworkflow:property name="form" value="acknowledge" />{extra}
    </spiffworkflow:properties></bpmn:extensionElements></bpmn:userTask>
    <bpmn:sequenceFlow id="f3" sourceRef="checked" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>"""
