"""Helpers for web tests: form posts built the way a browser sends the SKP and review forms."""
import html
import re
from datetime import date

import pytest

from app.extensions import db
from app.services.cycle import plans
from tests.conftest import employee, text_of, user
from tests.helpers import approve_plan, complete, open_task, plan_payload, start_cycle

CHAIN = ("kadis", "kabid.yankes", "kasi.rujukan")
# kasi.rujukan's direct reports in the demo data (every third staff member from staf02).
RUJUKAN_STAFF = ("staf02", "staf05", "staf08", "staf11", "staf14", "staf17", "staf20", "staf23", "staf26")


def rows(response) -> list[str]:
    """The visible text of each row of the page's list (inbox, cases), one string per row."""
    body = re.search(r"<tbody>(.*?)</tbody>", response.get_data(as_text=True), re.S)
    if body is None:
        return []
    return [html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))).strip()
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), re.S)]


def has_row(response, *texts) -> bool:
    return any(all(t in row for t in texts) for row in rows(response))


def visible(response) -> str:
    """text_of() with HTML entities decoded (flash messages quote task names)."""
    return html.unescape(text_of(response))


@pytest.fixture
def cycle_started(ctx):
    start_cycle()


@pytest.fixture
def chain_approved(cycle_started):
    """The cycle is running and staf02's supervisors have approved plans, so staf02 can cascade."""
    for username in CHAIN:
        approve_plan(username)


def parent_ids(username: str) -> list[int]:
    return [r.id for r in plans.supervisor_results(db.session, employee(username), "2026", date.today())]


def submit_plan_via_service(username: str):
    """staf submits a complete plan without the web (to set up a later step)."""
    task = open_task(username, "susun_skp")
    complete(username, task, plan_payload(parent_ids(username)[:1]))


def skp_form(parent_id=None, *, text="Terlaksananya layanan rujukan pasien", indicator="Jumlah pasien dirujuk",
             target="120", unit="pasien", kind="utama", action="submit", extra=None) -> dict:
    data = {
        "action": action,
        "results-0-kind": kind,
        "results-0-text": text,
        "results-0-parent_result_id": str(parent_id) if parent_id else "",
        "results-0-perspective": "",
        "results-0-indicators-0-aspect": "kuantitas",
        "results-0-indicators-0-text": indicator,
        "results-0-indicators-0-target": target,
        "results-0-indicators-0-unit": unit,
        "results-0-indicators-1-aspect": "kualitas",
        "results-0-indicators-1-text": "",
        "results-0-indicators-1-target": "",
        "results-0-indicators-1-unit": "",
        "resource_support": "Anggaran DPA 2026",
        "accountability": "Laporan bulanan ke kepala seksi",
        "consequences": "Sesuai ketentuan",
        "expectations-akuntabel": "Laporan tepat waktu",
    }
    data.update(extra or {})
    return data


def review_form(decision, note="", **expectations) -> dict:
    data = {"decision": decision, "note": note}
    data.update({f"expectations-{k}": v for k, v in expectations.items()})
    return data


__all__ = ["CHAIN", "RUJUKAN_STAFF", "parent_ids", "submit_plan_via_service", "skp_form", "review_form", "user", "visible", "rows", "has_row"]
