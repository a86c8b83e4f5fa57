"""A readable summary of what changed between two versions of a diagram: steps added, removed,
renamed or re-typed, lanes and task properties changed, flows added, removed, re-routed or given
another condition. Versions are immutable, so a summary is remembered per pair of texts and per
language it was read in."""
import hashlib
import threading
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from lxml import etree

from app.engine.structure import BPMN, FLOW_NODES

SPIFF = "http://spiffworkflow.org/bpmn/schema/1.0/core"
TYPE_LABELS = {
    "startEvent": _l("peristiwa mulai"), "endEvent": _l("peristiwa akhir"),
    "intermediateCatchEvent": _l("peristiwa tunggu"), "intermediateThrowEvent": _l("peristiwa kirim"),
    "boundaryEvent": _l("peristiwa batas"), "userTask": _l("tugas pengguna"), "manualTask": _l("tugas manual"),
    "serviceTask": _l("tugas layanan"), "scriptTask": "script task", "subProcess": _l("subproses"),
    "callActivity": _l("pemanggilan proses"), "exclusiveGateway": _l("gerbang eksklusif"),
    "inclusiveGateway": _l("gerbang inklusif"), "parallelGateway": _l("gerbang paralel"),
    "eventBasedGateway": _l("gerbang berbasis peristiwa"),
}
# Settings are named by their BPMN property, "operator", "parameter <id>" or "timer", which read the
# same in English; only the default flow's needs a label.
SETTING_LABELS = {"alur default": _l("alur default")}


@dataclass(frozen=True)
class Change:
    kind: str          # added | removed | renamed | changed | flow_added | flow_removed | flow_changed
    element_id: str
    text: str


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _main(root):
    processes = list(root.iterfind(f"{{{BPMN}}}process"))
    executable = [p for p in processes if p.get("isExecutable") == "true"]
    return (executable or processes or [None])[0]


def _settings(node) -> dict:
    values = {p.get("name"): p.get("value") for p in node.iterfind(f".//{{{SPIFF}}}property")}
    op = node.find(f".//{{{SPIFF}}}serviceTaskOperator")
    if op is not None:
        values["operator"] = op.get("id")
        for param in op.iterfind(f".//{{{SPIFF}}}parameter"):
            values[f"parameter {param.get('id')}"] = param.get("value")
    for tag in ("timeDuration", "timeDate", "timeCycle"):
        el = node.find(f".//{{{BPMN}}}{tag}")
        if el is not None:
            values["timer"] = (el.text or "").strip()
    if node.get("default"):
        values["alur default"] = node.get("default")
    return values


def _read(xml: str):
    root = etree.fromstring(xml.encode("utf-8"))
    process = _main(root)
    nodes, flows, lane_of = {}, {}, {}
    if process is None:
        return "", nodes, flows, lane_of
    for el in process.iter():
        if _local(el) in FLOW_NODES:
            nodes[el.get("id")] = (_local(el), el.get("name") or "", _settings(el))
        elif _local(el) == "sequenceFlow":
            cond = el.find(f"{{{BPMN}}}conditionExpression")
            flows[el.get("id")] = (el.get("sourceRef"), el.get("targetRef"),
                                   (cond.text or "").strip() if cond is not None else "")
        elif _local(el) == "lane":
            for ref in el.iterfind(f"{{{BPMN}}}flowNodeRef"):
                lane_of[(ref.text or "").strip()] = el.get("name") or el.get("id")
    return process.get("name") or "", nodes, flows, lane_of


def _name(nodes, node_id) -> str:
    entry = nodes.get(node_id)
    return (entry[1] if entry and entry[1] else node_id) or "?"


def summarize(old_xml: str | None, new_xml: str) -> list[Change]:
    if old_xml is None:
        return []
    old_name, old_nodes, old_flows, old_lanes = _read(old_xml)
    new_name, new_nodes, new_flows, new_lanes = _read(new_xml)
    out: list[Change] = []
    if old_name != new_name:
        out.append(Change("renamed", "-", _("Nama proses: '%(old)s' menjadi '%(new)s'", old=old_name, new=new_name)))
    for node_id, (kind, name, _node_settings) in new_nodes.items():
        if node_id not in old_nodes:
            out.append(Change("added", node_id, _("Langkah ditambahkan: '%(name)s' (%(type)s)",
                                                  name=name or node_id, type=TYPE_LABELS.get(kind, kind))))
    for node_id, (_kind, name, _node_settings) in old_nodes.items():
        if node_id not in new_nodes:
            out.append(Change("removed", node_id, _("Langkah dihapus: '%(name)s'", name=name or node_id)))
    for node_id, (kind, name, settings) in new_nodes.items():
        if node_id not in old_nodes:
            continue
        old_kind, old_label, old_settings = old_nodes[node_id]
        if old_label != name:
            out.append(Change("renamed", node_id, _("Langkah diganti nama: '%(old)s' menjadi '%(new)s'",
                                                    old=old_label or node_id, new=name or node_id)))
        if old_kind != kind:
            out.append(Change("changed", node_id, _("Jenis '%(name)s' diubah: %(old)s menjadi %(new)s",
                                                    name=name or node_id, old=TYPE_LABELS.get(old_kind, old_kind),
                                                    new=TYPE_LABELS.get(kind, kind))))
        if old_lanes.get(node_id) != new_lanes.get(node_id):
            out.append(Change("changed", node_id, _("Peran '%(name)s' diubah: %(old)s menjadi %(new)s",
                                                    name=name or node_id, old=old_lanes.get(node_id) or "—",
                                                    new=new_lanes.get(node_id) or "—")))
        diffs = [_("%(setting)s %(old)s menjadi %(new)s", setting=SETTING_LABELS.get(key, key),
                   old=old_settings.get(key) or "—", new=settings.get(key) or "—")
                 for key in sorted(set(old_settings) | set(settings)) if old_settings.get(key) != settings.get(key)]
        if diffs:
            out.append(Change("changed", node_id, _("Pengaturan '%(name)s' diubah: %(changes)s",
                                                    name=name or node_id, changes="; ".join(diffs))))
    for flow_id, (src, dst, _cond) in new_flows.items():
        if flow_id not in old_flows:
            out.append(Change("flow_added", flow_id, _("Alur ditambahkan: '%(source)s' ke '%(target)s'",
                                                       source=_name(new_nodes, src), target=_name(new_nodes, dst))))
    for flow_id, (src, dst, _cond) in old_flows.items():
        if flow_id not in new_flows:
            out.append(Change("flow_removed", flow_id, _("Alur dihapus: '%(source)s' ke '%(target)s'",
                                                         source=_name(old_nodes, src), target=_name(old_nodes, dst))))
    for flow_id, (src, dst, cond) in new_flows.items():
        if flow_id not in old_flows:
            continue
        old_src, old_dst, old_cond = old_flows[flow_id]
        if (old_src, old_dst) != (src, dst):
            out.append(Change("flow_changed", flow_id, _(
                "Alur diarahkan ulang: '%(old_source)s' ke '%(old_target)s' menjadi '%(source)s' ke '%(target)s'",
                old_source=_name(old_nodes, old_src), old_target=_name(old_nodes, old_dst),
                source=_name(new_nodes, src), target=_name(new_nodes, dst))))
        if old_cond != cond:
            out.append(Change("flow_changed", flow_id, _(
                "Kondisi alur '%(source)s' ke '%(target)s' diubah: %(old)s menjadi %(new)s",
                source=_name(new_nodes, src), target=_name(new_nodes, dst), old=old_cond or "—", new=cond or "—")))
    return out


_cache: dict[tuple[str, str, str], list[Change]] = {}
_lock = threading.Lock()


def cached_summary(old_xml: str | None, new_xml: str) -> list[Change]:
    if old_xml is None:
        return []
    key = (str(get_locale()), hashlib.sha256(old_xml.encode()).hexdigest(),
           hashlib.sha256(new_xml.encode()).hexdigest())
    with _lock:
        if key in _cache:
            return _cache[key]
    result = summarize(old_xml, new_xml)
    with _lock:
        if len(_cache) > 512:
            _cache.clear()
        _cache[key] = result
    return result
