"""Flash messages reach a user in the user's language.

A message is looked up in the catalog by its literal text, so every flash() in the web layer and the
services either passes its text through gettext where it is written, or passes on an error's text
(translated where the error was raised). A bare literal reaches the English UI in Indonesian, and an
f-string or a concatenation cannot be looked up at all.
"""
import ast
from pathlib import Path

import pytest

from app.extensions import db
from tests.conftest import user
from tests.test_i18n import english  # noqa: F401  (a fixture: the catalog compiled where Flask-Babel reads it)
from tests.web.conftest import visible

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([*(ROOT / "app" / "web").glob("*.py"), *(ROOT / "app" / "services").rglob("*.py")])
GETTEXT = {"_", "gettext", "ngettext"}


def _is_text_literal(node: ast.expr) -> bool:
    return (isinstance(node, ast.JoinedStr) or isinstance(node, ast.Constant) and isinstance(node.value, str)
            or isinstance(node, ast.BinOp))


def _translated(node: ast.expr) -> bool:
    """A gettext call; an error's text (a name, an attribute, str(err)); field errors joined; or a
    choice (`a if c else b`, `a or b`) between such."""
    if isinstance(node, (ast.Name, ast.Attribute)):
        return True
    if isinstance(node, ast.IfExp):
        return _translated(node.body) and _translated(node.orelse)
    if isinstance(node, ast.BoolOp):
        return all(_translated(value) for value in node.values)
    if not isinstance(node, ast.Call):
        return False
    if isinstance(node.func, ast.Name):
        if node.func.id in GETTEXT:
            return True
        return node.func.id == "str" and len(node.args) == 1 and not _is_text_literal(node.args[0])
    # " ".join(form.reason.errors): the validators' messages, translated where they are defined.
    return (isinstance(node.func, ast.Attribute) and node.func.attr == "join"
            and isinstance(node.func.value, ast.Constant) and len(node.args) == 1
            and not _is_text_literal(node.args[0]))


def _flash_messages(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "flash":
            message = node.args[0] if node.args else next(
                (k.value for k in node.keywords if k.arg == "message"), None)
            yield node.lineno, message


def _untranslated(source: str) -> list[str]:
    return [f"{line}: {ast.unparse(message) if message else '(no message)'}"
            for line, message in _flash_messages(ast.parse(source))
            if message is None or not _translated(message)]


def test_the_check_refuses_literals_and_formatting_and_accepts_gettext_and_errors():
    refused = ['flash("Tersimpan.")', 'flash(f"Tugas {name} selesai.")', 'flash("Tidak: " + reason)',
               'flash("%s kasus" % n)', 'flash("{n} kasus".format(n=n))', 'flash(str("Tersimpan."))',
               'flash(done(result))', 'flash(_("Bulan") + name)', 'flash(ok and "Tersimpan.")']
    accepted = ['flash(_("Tersimpan."))', 'flash(ngettext("%(num)d kasus", "%(num)d kasus", n))',
                'flash(gettext("Tersimpan."))', 'flash(str(err), "danger")', 'flash(message, "warning")',
                'flash(service.NO_EMPLOYEE)', 'flash(_("A") if ok else _("B"))',
                'flash(" ".join(form.reason.errors) or _("Formulir tidak valid."))']
    assert [code for code in refused if not _untranslated(code)] == []
    assert [code for code in accepted if _untranslated(code)] == []


def test_every_flash_message_is_translated_where_it_is_written():
    found, problems = 0, []
    for path in SOURCES:
        source = path.read_text(encoding="utf-8")
        found += sum(1 for _ in _flash_messages(ast.parse(source)))
        problems += [f"{path.relative_to(ROOT)}:{problem}" for problem in _untranslated(source)]
    assert found > 50, "no flash() calls found: the check looks in the wrong place"
    assert problems == [], "flash() with text that gettext never sees:\n" + "\n".join(problems)


@pytest.fixture
def english_user(login, english):  # noqa: F811  (the fixture imported above)
    """staf02 with English as the account's language (no language switch in the session)."""
    user("staf02").language = "en"
    db.session.commit()
    return login("staf02")


def test_flash_messages_of_two_views_come_out_in_english(english_user):
    client = english_user
    log = client.post("/logs/new", data={})
    assert log.status_code == 422
    page = visible(log)
    assert "The entry was not saved; check the marked fields. Evidence files must be chosen again." in page
    assert "Entri belum tersimpan" not in page

    complaint = client.post("/complaints/new", data={})
    assert complaint.status_code == 422
    page = visible(complaint)
    assert ("Check the fields marked in red; your description is not lost (attachments must be chosen again)."
            in page)
    assert "Periksa isian yang ditandai merah" not in page
