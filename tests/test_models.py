"""Model-level rules that protect the data whatever path writes it."""
import subprocess
import sys
from pathlib import Path

import pytest

from app.models import Employee

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("nip, message", [
    ("19850315201001100", "18"),
    ("19851315201001 1001", "tanggal lahir"),
    ("198503152010013001", "jenis kelamin"),
])
def test_invalid_nip_is_refused_with_a_message(nip, message):
    with pytest.raises(ValueError) as err:
        Employee(nip=nip, name="X")
    assert message in str(err.value).lower() or message in str(err.value)


def test_valid_nip_is_kept_without_spaces():
    assert Employee(nip="19850315 201001 1 001", name="X").nip == "198503152010011001"


@pytest.mark.parametrize("module", ["app.services.task_handlers", "app.services.complaints",
                                    "app.services.complaint_steps", "app.services.tasks"])
def test_each_service_module_imports_on_its_own(module):
    """No import cycle hides behind the order a web app happens to import modules in (a script
    or a job importing the form handlers first once failed)."""
    result = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
