"""Every form key a shipped diagram uses resolves to one registered task type with all its parts,
and a form key is registered once."""
from pathlib import Path

import pytest
from flask_wtf import FlaskForm
from lxml import etree

from app.engine.validation import BPMN, NS
from app.services import wiring
from app.services.designer.deployment import WORKFLOWS_DIR
from app.services.tasks import task_types as generic
from app.services.tasks import types as task_types
from forms.tasks import NoteForm
from tests.import_isolation import import_failures


def _shipped_form_keys() -> set[tuple[str, str]]:
    found = set()
    for path in sorted(WORKFLOWS_DIR.glob("*.bpmn")):
        root = etree.parse(str(path)).getroot()
        for task in root.iter(f"{{{BPMN}}}userTask", f"{{{BPMN}}}manualTask"):
            for prop in task.iterfind(".//spiffworkflow:property[@name='form']", NS):
                found.add((path.name, prop.get("value")))
    return found


def test_the_shipped_diagrams_use_form_keys():
    files = {name for name, _key in _shipped_form_keys()}
    assert files == {path.name for path in WORKFLOWS_DIR.glob("*.bpmn")}


@pytest.mark.parametrize("diagram, key", sorted(_shipped_form_keys()))
def test_every_shipped_form_key_resolves_to_a_complete_task_type(app, diagram, key):
    task_type = task_types.get(key)
    assert task_type.key == key
    assert issubclass(task_type.form_class, FlaskForm)
    assert callable(task_type.handler)
    assert (Path(app.root_path) / app.template_folder / task_type.template).is_file()
    assert task_type.label.strip() and task_type.help.strip()


def test_every_registered_type_is_complete(app):
    for task_type in task_types.all_types():
        assert issubclass(task_type.form_class, FlaskForm), task_type.key
        assert callable(task_type.handler), task_type.key
        assert (Path(app.root_path) / app.template_folder / task_type.template).is_file(), task_type.key
        assert task_type.label.strip(), task_type.key


def test_a_form_key_taken_by_another_type_is_refused(app):
    impostor = task_types.TaskType("note", "Catatan lain", NoteForm, "forms/simple.html", "Tulis catatan.",
                                   lambda session, case, task, user, data: {})
    with pytest.raises(task_types.DuplicateTaskType, match="'note' sudah terdaftar"):
        task_types.register(impostor)
    assert task_types.get("note") is generic.NOTE


def test_registering_the_same_types_again_changes_nothing(app):
    before = task_types.all_types()
    wiring.register_task_types()
    assert task_types.all_types() == before


def test_decision_labels_come_from_the_types(app):
    labels = task_types.decision_labels()
    assert labels["escalate"] == "Teruskan ke Tim TI" and labels["pemeriksaan"] == "Lanjut ke pemeriksaan"


FORM_MODULES = ("forms.tasks", "forms.complaints", "forms.plan")


@pytest.mark.parametrize("module", FORM_MODULES)
def test_a_form_module_imports_on_its_own(module):
    """The task types import forms and the app factory registers them: a script importing a form
    first must not meet the factory's wiring half-imported."""
    assert module not in import_failures(FORM_MODULES), import_failures(FORM_MODULES)[module]
