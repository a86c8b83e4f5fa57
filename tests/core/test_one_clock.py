"""Only app/core/clock.py reads the wall clock: every other module asks it, so a frozen clock
(the suite's) or a step's clock is the time the whole application sees."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLOCK = ROOT / "app" / "core" / "clock.py"
# (object, attribute): read as `date.today`, `datetime.now`, `time.time`, called or passed on.
WALL_CLOCK = {("date", "today"), ("datetime", "today"), ("datetime", "now"), ("datetime", "utcnow"),
              ("time", "time"), ("time", "time_ns"), ("time", "localtime"), ("time", "gmtime")}


def wall_clock_reads(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and (node.value.id, node.attr) in WALL_CLOCK):
            found.append(f"{node.value.id}.{node.attr} (line {node.lineno})")
        if isinstance(node, ast.ImportFrom) and node.module in ("time", "datetime"):
            found += [f"from {node.module} import {a.name} (line {node.lineno})" for a in node.names
                      if (node.module, a.name) in {("time", "time"), ("time", "time_ns")}]
    return found


def sources():
    for folder in ("app", "forms", "workers"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path != CLOCK:
                yield path


def test_no_module_but_the_clock_reads_the_wall_clock():
    offenders = {str(p.relative_to(ROOT)): reads for p in sources() if (reads := wall_clock_reads(p.read_text()))}
    assert offenders == {}


@pytest.mark.parametrize("source, reads", [
    ("from datetime import date\nx = date.today()", ["date.today (line 2)"]),
    ("import datetime\nx = datetime.datetime.now()", []),  # a module path: caught below
    ("from datetime import datetime\nd = datetime.now(tz)", ["datetime.now (line 2)"]),
    ("f = Field(default=date.today)", ["date.today (line 1)"]),
    ("import time\nt = time.time()", ["time.time (line 2)"]),
    ("from time import time", ["from time import time (line 1)"]),
    ("t = time.monotonic()", []),
    ("day = agency.today()", []),
])
def test_the_check_sees_each_way_of_reading_it(source, reads):
    assert wall_clock_reads(source) == reads


def test_no_module_reaches_the_clock_through_a_module_path():
    offenders = [str(p.relative_to(ROOT)) for p in sources()
                 if any(pattern in p.read_text() for pattern in
                        ("datetime.datetime.now", "datetime.date.today", "datetime.datetime.utcnow"))]
    assert offenders == []
