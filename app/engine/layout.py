"""Diagram interchange (DI) for processes that have none, so the modeler and the case viewer can draw them.

Diagrams written by hand or by code (the shipped ones) hold only the semantic process; bpmn-js
needs shapes and waypoints. This lays a process out left to right in layers (longest path from
the start), one horizontal band per lane (lanes are wrapped in a pool, as BPMN tools expect, so
they stay editable), expanded subprocesses drawn inside their box, boundary events on their
host's lower edge, and orthogonal flows routed around elements. A diagram whose elements all have
shapes keeps its own DI untouched.
"""
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from lxml import etree

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"

EVENTS = {"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent"}
GATEWAYS = {"exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway", "complexGateway"}
ACTIVITIES = {"task", "userTask", "manualTask", "serviceTask", "scriptTask", "sendTask", "receiveTask",
              "businessRuleTask", "callActivity"}
CONTAINERS = {"subProcess", "transaction", "adHocSubProcess"}
FLOW_NODES = EVENTS | GATEWAYS | ACTIVITIES | CONTAINERS

TASK = (100, 80)
EVENT = (36, 36)
GATEWAY = (50, 50)
H_GAP = 60          # between columns: room for a bend and a flow label
V_GAP = 50          # between rows of one lane
LANE_PAD = 30       # above the first and below the last row of a lane
POOL_LABEL = 30     # the pool's name band on the left
SUB_PAD = 25        # inside an expanded subprocess
SUB_HEADER = 20     # room for the subprocess name above its content
MIN_LANE = 140


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _q(ns: str, name: str) -> str:
    return f"{{{ns}}}{name}"


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self):
        return self.x + self.w / 2

    @property
    def cy(self):
        return self.y + self.h / 2

    @property
    def right(self):
        return self.x + self.w

    @property
    def bottom(self):
        return self.y + self.h

    def moved(self, dx, dy) -> "Box":
        return Box(self.x + dx, self.y + dy, self.w, self.h)


@dataclass
class Placed:
    """A laid-out container: node boxes and flow waypoints relative to its own origin."""
    width: float
    height: float
    boxes: dict = field(default_factory=dict)       # element id -> Box
    waypoints: dict = field(default_factory=dict)   # flow id -> [(x, y), ...]
    expanded: set = field(default_factory=set)      # subprocess ids drawn expanded
    lanes: list = field(default_factory=list)       # (lane id, Box)


def _size(el, nested: dict) -> tuple[float, float]:
    name = _local(el)
    if name in EVENTS:
        return EVENT
    if name in GATEWAYS:
        return GATEWAY
    if name in CONTAINERS and el.get("id") in nested:
        inner = nested[el.get("id")]
        return inner.width + 2 * SUB_PAD, inner.height + 2 * SUB_PAD + SUB_HEADER
    return TASK


def _leaf_lanes(process) -> list:
    lane_set = process.find(_q(BPMN, "laneSet"))
    if lane_set is None:
        return []
    leaves = []

    def walk(lanes):
        for lane in lanes.iterfind(_q(BPMN, "lane")):
            child = lane.find(_q(BPMN, "childLaneSet"))
            if child is not None and child.find(_q(BPMN, "lane")) is not None:
                walk(child)
            else:
                leaves.append(lane)

    walk(lane_set)
    return leaves


class _ContainerLayout:
    def __init__(self, container, lanes: list, nested: dict):
        self.container = container
        children = [el for el in container if _local(el) in FLOW_NODES]
        self.nodes = [el for el in children if _local(el) != "boundaryEvent"]
        self.boundary = [el for el in children if _local(el) == "boundaryEvent"]
        self.ids = [n.get("id") for n in self.nodes]
        self.size = {n.get("id"): _size(n, nested) for n in self.nodes}
        self.nested = nested
        self.flows = [f for f in container.iterfind(_q(BPMN, "sequenceFlow"))]
        host_of = {b.get("id"): b.get("attachedToRef") for b in self.boundary}
        self.host_of = host_of
        # Layering sees a flow leaving a boundary event as leaving its host.
        self.edges = []
        for f in self.flows:
            src, dst = host_of.get(f.get("sourceRef"), f.get("sourceRef")), f.get("targetRef")
            if src in self.size and dst in self.size and src != dst:
                self.edges.append((src, dst))
        self.lanes = lanes
        lane_index = {}
        for i, lane in enumerate(lanes):
            for ref in lane.iterfind(_q(BPMN, "flowNodeRef")):
                lane_index[(ref.text or "").strip()] = i
        self.lane_index = lane_index

    def _order_and_back_edges(self):
        succ = {i: [] for i in self.ids}
        for s, t in self.edges:
            succ[s].append(t)
        starts = [n.get("id") for n in self.nodes if _local(n) == "startEvent"]
        no_incoming = [i for i in self.ids if not any(t == i for _, t in self.edges)]
        order, back, state = [], set(), {}
        for root in starts + no_incoming + self.ids:
            if root in state:
                continue
            stack = [(root, iter(succ[root]))]
            state[root] = "open"
            order.append(root)
            while stack:
                node, it = stack[-1]
                nxt = next(it, None)
                if nxt is None:
                    state[node] = "done"
                    stack.pop()
                elif state.get(nxt) == "open":
                    back.add((node, nxt))
                elif nxt not in state:
                    state[nxt] = "open"
                    order.append(nxt)
                    stack.append((nxt, iter(succ[nxt])))
        return order, back

    def place(self) -> Placed:
        order, back = self._order_and_back_edges()
        rank = {n: i for i, n in enumerate(order)}
        forward = [(s, t) for s, t in self.edges if (s, t) not in back]
        layer = {n: 0 for n in self.ids}
        preds = {n: [] for n in self.ids}
        for s, t in forward:
            preds[t].append(s)
        for n in self._topological(forward, rank):
            for p in preds[n]:
                layer[n] = max(layer[n], layer[p] + 1)
        lane_of = {}
        for n in sorted(self.ids, key=lambda i: (layer[i], rank[i])):
            if n in self.lane_index or not self.lanes:
                lane_of[n] = self.lane_index.get(n, 0)
            else:
                placed_preds = [p for p in sorted(preds[n], key=rank.get) if p in lane_of]
                lane_of[n] = lane_of[placed_preds[0]] if placed_preds else 0
        row, taken = {}, set()
        for n in sorted(self.ids, key=lambda i: (layer[i], rank[i])):
            same_lane = [p for p in sorted(preds[n], key=rank.get) if p in row and lane_of[p] == lane_of[n]]
            r = row[same_lane[0]] if same_lane else 0
            while (lane_of[n], layer[n], r) in taken:
                r += 1
            row[n] = r
            taken.add((lane_of[n], layer[n], r))
        return self._geometry(layer, lane_of, row, back)

    def _topological(self, forward, rank):
        indegree = {n: 0 for n in self.ids}
        out = {n: [] for n in self.ids}
        for s, t in forward:
            indegree[t] += 1
            out[s].append(t)
        ready = sorted([n for n, d in indegree.items() if d == 0], key=rank.get)
        result = []
        while ready:
            n = ready.pop(0)
            result.append(n)
            for t in out[n]:
                indegree[t] -= 1
                if indegree[t] == 0:
                    ready.append(t)
                    ready.sort(key=rank.get)
        return result

    def _geometry(self, layer, lane_of, row, back) -> Placed:
        layers = max(layer.values(), default=0) + 1
        col_w = [0.0] * layers
        for n in self.ids:
            col_w[layer[n]] = max(col_w[layer[n]], self.size[n][0])
        col_x, x = [], H_GAP / 2
        for w in col_w:
            col_x.append(x)
            x += w + H_GAP
        width = x - H_GAP / 2
        lane_count = max(len(self.lanes), 1)
        row_h = [dict() for _ in range(lane_count)]
        for n in self.ids:
            heights = row_h[lane_of[n]]
            heights[row[n]] = max(heights.get(row[n], 0), self.size[n][1])
        placed = Placed(width=width, height=0)
        lane_y, y = [], 0.0
        row_y = [dict() for _ in range(lane_count)]
        for i in range(lane_count):
            lane_y.append(y)
            inner = y + LANE_PAD
            for r in range(max(row_h[i], default=-1) + 1):
                row_y[i][r] = inner
                inner += row_h[i].get(r, GATEWAY[1]) + V_GAP
            height = max(inner - V_GAP + LANE_PAD - y, MIN_LANE if self.lanes else 0)
            if self.lanes:
                placed.lanes.append((self.lanes[i].get("id"), Box(0, y, width, height)))
            y += height
        placed.height = y
        for n in self.ids:
            w, h = self.size[n]
            lane, r = lane_of[n], row[n]
            cx = col_x[layer[n]] + col_w[layer[n]] / 2
            cy = row_y[lane][r] + row_h[lane][r] / 2
            placed.boxes[n] = Box(cx - w / 2, cy - h / 2, w, h)
        per_host: dict[str, int] = {}
        for b in self.boundary:
            host = placed.boxes.get(b.get("attachedToRef"))
            if host is None:
                continue
            k = per_host.get(b.get("attachedToRef"), 0)
            per_host[b.get("attachedToRef")] = k + 1
            placed.boxes[b.get("id")] = Box(host.x + 15 + k * 46, host.bottom - EVENT[1] / 2, *EVENT)
        for n in self.nodes:
            if n.get("id") in self.nested:
                placed.expanded.add(n.get("id"))
        router = _Router(placed, self.host_of, {n.get("id") for n in self.nodes if _local(n) in GATEWAYS})
        for f in self.flows:
            s, t = f.get("sourceRef"), f.get("targetRef")
            if s in placed.boxes and t in placed.boxes:
                placed.waypoints[f.get("id")] = router.route(s, t, (self.host_of.get(s, s), t) in back)
        return placed


class _Router:
    """Orthogonal routes that avoid the boxes of other elements in the same container."""

    def __init__(self, placed: Placed, host_of: dict, gateways: set):
        self.placed = placed
        self.is_gateway = gateways.__contains__
        self.host_of = host_of
        # Horizontal channels: the middle of every gap between boxes, and the container's margins.
        ys = {0.0, placed.height}
        for box in placed.boxes.values():
            ys.add(box.y - V_GAP / 2)
            ys.add(box.bottom + V_GAP / 2)
        self.channels = sorted(y for y in ys if 0 <= y <= placed.height)

    def _clear(self, points, skip) -> bool:
        for (x1, y1), (x2, y2) in zip(points, points[1:]):
            lo_x, hi_x, lo_y, hi_y = min(x1, x2), max(x1, x2), min(y1, y2), max(y1, y2)
            for node, box in self.placed.boxes.items():
                if node in skip:
                    continue
                if lo_x < box.right + 4 and hi_x > box.x - 4 and lo_y < box.bottom + 4 and hi_y > box.y - 4:
                    return False
        return True

    def route(self, s: str, t: str, is_back: bool):
        S, T = self.placed.boxes[s], self.placed.boxes[t]
        skip = {s, t, self.host_of.get(s)}
        if s in self.host_of:
            candidates = [[(S.cx, S.bottom), (S.cx, T.cy), (T.x, T.cy)]]
            start, gap_x = (S.cx, S.bottom), S.cx
        elif is_back:
            return self._around(S, T, skip)
        else:
            gap_after = S.right + H_GAP / 2
            gap_before = T.x - H_GAP / 2
            candidates = []
            if abs(S.cy - T.cy) < 1:
                candidates.append([(S.right, S.cy), (T.x, T.cy)])
            else:
                if self.is_gateway(s):
                    # A split leaves a diamond from its top or bottom corner, as people draw it.
                    edge_y = S.y if T.cy < S.cy else S.bottom
                    candidates.append([(S.cx, edge_y), (S.cx, T.cy), (T.x, T.cy)])
                candidates.append([(S.right, S.cy), (gap_before, S.cy), (gap_before, T.cy), (T.x, T.cy)])
                candidates.append([(S.right, S.cy), (gap_after, S.cy), (gap_after, T.cy), (T.x, T.cy)])
            start, gap_x = (S.right, S.cy), gap_after
        for points in candidates:
            if self._clear(points, skip):
                return points
        gap_before = T.x - H_GAP / 2
        for y in sorted(self.channels, key=lambda c: abs(c - S.cy) + abs(c - T.cy)):
            points = [start, (gap_x, start[1]), (gap_x, y), (gap_before, y), (gap_before, T.cy), (T.x, T.cy)]
            if start[0] == gap_x:
                points = [start, (gap_x, y), (gap_before, y), (gap_before, T.cy), (T.x, T.cy)]
            if self._clear(points, skip):
                return points
        return candidates[0]

    def _around(self, S: Box, T: Box, skip):
        """A flow back to an earlier element leaves downwards (or upwards) and comes back along a channel."""
        for y in sorted(self.channels, key=lambda c: abs(c - max(S.bottom, T.bottom))):
            if y > max(S.bottom, T.bottom):
                points = [(S.cx, S.bottom), (S.cx, y), (T.cx, y), (T.cx, T.bottom)]
            elif y < min(S.y, T.y):
                points = [(S.cx, S.y), (S.cx, y), (T.cx, y), (T.cx, T.y)]
            else:
                continue
            if self._clear(points, skip):
                return points
        y = self.placed.height
        return [(S.cx, S.bottom), (S.cx, y), (T.cx, y), (T.cx, T.bottom)]


def _lay_out(container, lanes) -> tuple[Placed, dict]:
    """Lay out a container and, first, every subprocess inside it; returns its own and the nested layouts."""
    nested: dict[str, Placed] = {}
    for child in container:
        if _local(child) in CONTAINERS:
            inner, deeper = _lay_out(child, [])
            nested[child.get("id")] = inner
            nested.update(deeper)
    return _ContainerLayout(container, lanes, nested).place(), nested


def has_complete_di(root) -> bool:
    drawn = {s.get("bpmnElement") for s in root.iter(_q(BPMNDI, "BPMNShape"), _q(BPMNDI, "BPMNEdge"))}
    if not drawn:
        return False
    for process in root.iter(_q(BPMN, "process")):
        for el in process.iter():
            if _local(el) in FLOW_NODES and el.get("id") not in drawn:
                return False
    return True


def _main_process(root):
    processes = list(root.iterfind(_q(BPMN, "process")))
    executable = [p for p in processes if p.get("isExecutable") == "true"]
    return (executable or processes or [None])[0]


class _Writer:
    def __init__(self, plane):
        self.plane = plane

    def shape(self, element_id, box: Box, **attrs):
        shape = etree.SubElement(self.plane, _q(BPMNDI, "BPMNShape"), id=f"{element_id}_di", bpmnElement=element_id)
        for key, value in attrs.items():
            shape.set(key, value)
        etree.SubElement(shape, _q(DC, "Bounds"), x=_n(box.x), y=_n(box.y), width=_n(box.w), height=_n(box.h))

    def edge(self, flow_id, points):
        edge = etree.SubElement(self.plane, _q(BPMNDI, "BPMNEdge"), id=f"{flow_id}_di", bpmnElement=flow_id)
        for x, y in points:
            etree.SubElement(edge, _q(DI, "waypoint"), x=_n(x), y=_n(y))


def _n(value: float) -> str:
    return str(int(round(value)))


def _write(writer: _Writer, placed: Placed, nested: dict, dx: float, dy: float) -> None:
    for lane_id, box in placed.lanes:
        writer.shape(lane_id, box.moved(dx, dy), isHorizontal="true")
    for node_id, box in placed.boxes.items():
        absolute = box.moved(dx, dy)
        if node_id in placed.expanded:
            writer.shape(node_id, absolute, isExpanded="true")
            _write(writer, nested[node_id], nested, absolute.x + SUB_PAD, absolute.y + SUB_PAD + SUB_HEADER)
        else:
            writer.shape(node_id, absolute)
    for flow_id, points in placed.waypoints.items():
        writer.edge(flow_id, [(x + dx, y + dy) for x, y in points])


def add_diagram(xml: str) -> str:
    """The same diagram with DI for its main process; unchanged when every element already has a shape."""
    root = etree.fromstring(xml.encode("utf-8"))
    if has_complete_di(root):
        return xml
    process = _main_process(root)
    if process is None:
        return xml
    for old in root.findall(_q(BPMNDI, "BPMNDiagram")):
        root.remove(old)
    lanes = _leaf_lanes(process)
    placed, nested = _lay_out(process, lanes)
    pid = process.get("id")
    collaboration = root.find(_q(BPMN, "collaboration"))
    participant = None
    if collaboration is not None:
        participant = next((p for p in collaboration.iterfind(_q(BPMN, "participant"))
                            if p.get("processRef") == pid), None)
    elif lanes:
        # Lanes live in a pool in every BPMN tool; without one they cannot be edited.
        collaboration = etree.Element(_q(BPMN, "collaboration"), id=f"Collaboration_{pid}")
        root.insert(list(root).index(process), collaboration)
        participant = etree.SubElement(collaboration, _q(BPMN, "participant"), id=f"Participant_{pid}",
                                       processRef=pid)
        if process.get("name"):
            participant.set("name", process.get("name"))
    diagram = etree.SubElement(root, _q(BPMNDI, "BPMNDiagram"), id=f"Diagram_{pid}")
    plane_target = collaboration.get("id") if collaboration is not None else pid
    plane = etree.SubElement(diagram, _q(BPMNDI, "BPMNPlane"), id=f"Plane_{pid}", bpmnElement=plane_target)
    writer = _Writer(plane)
    origin_x, origin_y = 150.0, 80.0
    if participant is not None:
        writer.shape(participant.get("id"), Box(origin_x, origin_y, placed.width + POOL_LABEL,
                                                max(placed.height, MIN_LANE)), isHorizontal="true")
        _write(writer, placed, nested, origin_x + POOL_LABEL, origin_y)
        others_y = origin_y + max(placed.height, MIN_LANE) + 60
        for other in collaboration.iterfind(_q(BPMN, "participant")):
            if other is not participant:
                writer.shape(other.get("id"), Box(origin_x, others_y, placed.width + POOL_LABEL, 100),
                             isHorizontal="true")
                others_y += 160
    else:
        _write(writer, placed, nested, origin_x, origin_y)
    etree.cleanup_namespaces(root, top_nsmap={"bpmndi": BPMNDI, "dc": DC, "di": DI})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode("utf-8")


_cache: "OrderedDict[str, str]" = OrderedDict()
_lock = threading.Lock()


def with_diagram(xml: str) -> str:
    """add_diagram, remembered per text: versions are immutable and the layout is deterministic."""
    key = hashlib.sha256(xml.encode("utf-8")).hexdigest()
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    result = add_diagram(xml)
    with _lock:
        _cache[key] = result
        while len(_cache) > 64:
            _cache.popitem(last=False)
    return result
