"""The English catalog is complete, and the language switch changes what a user reads.

A developer who wraps a new string in _() without translating it fails here: the test extracts
messages with the mapping in babel.cfg (as pybabel does) and looks every one up in the catalog.
The catalog is compiled by the test itself, so it does not depend on `make translations`.
"""
import os
import tempfile
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import get_domain

from app import demo_data
from tests.conftest import text_of

ROOT = Path(__file__).resolve().parent.parent
BABEL_CFG = ROOT / "babel.cfg"
LC_MESSAGES = ROOT / "app" / "translations" / "en" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "messages.po"
MO_FILE = LC_MESSAGES / "messages.mo"
# The same keywords as the extract command in babel.cfg: `_l` marks lazy strings, `lazy_pgettext`
# lazy ones with a context (one Indonesian word that needs two English ones).
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None, "lazy_pgettext": ((1, "c"), 2)}
SKIPPED_DIRS = {"node_modules", "instance", "__pycache__"}


def _read_catalog():
    with PO_FILE.open("rb") as f:
        return read_po(f, locale="en")


def _extracted_messages():
    """(msgid, context) -> "file:line" for every message pybabel would extract with babel.cfg."""
    with BABEL_CFG.open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, filename=str(BABEL_CFG))

    def wanted(path: str) -> bool:
        name = os.path.basename(path)
        return not name.startswith((".", "_")) and name not in SKIPPED_DIRS

    found = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, directory_filter=wanted,
    ):
        msgid = message[0] if isinstance(message, (tuple, list)) else message
        if msgid:
            found.setdefault((msgid, context), f"{filename}:{lineno}")
    return found


def test_every_catalog_entry_is_translated_and_not_fuzzy():
    catalog = _read_catalog()
    assert not catalog.fuzzy, "the catalog header is marked fuzzy"
    entries = [m for m in catalog if m.id]
    assert entries, "the English catalog is empty"
    untranslated = [m.id for m in entries
                    if not (all(m.string) if isinstance(m.string, (tuple, list)) else m.string)]
    fuzzy = [m.id for m in entries if m.fuzzy]
    assert not untranslated, f"msgstr is empty for: {untranslated}"
    assert not fuzzy, f"fuzzy entries (check the translation, then remove the flag): {fuzzy}"
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert not problems, f"placeholders differ between msgid and msgstr: {problems}"


def test_every_extracted_string_is_in_the_catalog():
    extracted = _extracted_messages()
    assert any(where.startswith("app/web/templates/") for where in extracted.values()), \
        "babel.cfg extracted nothing from app/web/templates"
    catalog = _read_catalog()
    missing = {msgid: where for (msgid, context), where in extracted.items()
               if catalog.get(msgid, context=context) is None}
    assert not missing, (
        "strings without an English translation (run the pybabel extract/update commands in "
        f"babel.cfg, then translate them in {PO_FILE.relative_to(ROOT)}): {missing}")


@pytest.fixture
def english(app):
    """Compile the catalog where Flask-Babel looks for it and drop translations cached earlier."""
    with tempfile.NamedTemporaryFile(dir=LC_MESSAGES, prefix=".messages-", suffix=".mo", delete=False) as f:
        write_mo(f, _read_catalog())
    os.replace(f.name, MO_FILE)
    with app.test_request_context():
        get_domain().cache.clear()
    yield
    with app.test_request_context():
        get_domain().cache.clear()


def test_login_page_follows_the_language_switch(client, english):
    assert client.get("/lang/en").status_code == 302
    page = client.get("/login")
    assert page.status_code == 200
    text = text_of(page)
    assert '<html lang="en">' in page.get_data(as_text=True)
    assert "Sign in to Siklus Kinerja" in text
    assert "Masuk ke Siklus Kinerja" not in text

    client.get("/lang/id")
    text = text_of(client.get("/login"))
    assert "Masuk ke Siklus Kinerja" in text
    assert "Sign in to Siklus Kinerja" not in text


def test_inbox_switches_to_english_and_back(client, login, english):
    assert demo_data.DEMO_PASSWORD
    login("staf02")

    assert client.get("/lang/en").status_code == 302
    page = client.get("/inbox")
    assert page.status_code == 200
    text = text_of(page)
    assert "Inbox" in text
    assert "Sign out" in text
    assert "Kotak tugas" not in text

    client.get("/lang/xx")  # an unknown code leaves the choice alone
    assert "Inbox" in text_of(client.get("/inbox"))

    assert client.get("/lang/id").status_code == 302
    text = text_of(client.get("/inbox"))
    assert "Kotak tugas" in text
    assert "Keluar" in text
    assert "Inbox" not in text
