"""Importing a module of the app where none of the app is loaded yet, as a script or a job does:
an import cycle can hide behind the order the web app happens to import modules in.

One child interpreter checks every module asked for: it drops the app's own packages from
`sys.modules` before each import, and keeps the third-party ones (they cannot hide a cycle of
ours), so a module costs its own import rather than a whole interpreter's start (2-3 s each).
"""
import json
import subprocess
import sys
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = """
import importlib, json, sys, traceback
failures = {}
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m.split(".")[0] in ("app", "forms", "workers")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except BaseException:
        failures[name] = traceback.format_exc()
print(json.dumps(failures))
"""


@cache
def import_failures(modules: tuple[str, ...]) -> dict[str, str]:
    """Module name -> the traceback of importing it alone, for those that fail."""
    result = subprocess.run([sys.executable, "-c", _CHILD, *modules], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])
