"""The allowance computed when a month closes: exact rows, re-runnable without drift, sanctions,
a transfer in the month, gaps in the rules reported rather than guessed."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.core.errors import ServiceError
from app.extensions import db
from app.models import (
    Allowance,
    AllowanceBatch,
    AllowanceRun,
    AttendanceDay,
    AuditEvent,
    Employee,
    EmployeePlacement,
    OrgUnit,
    Period,
    Position,
)
from app.rules.allowance import ANNUAL_LEAVE, LEAVE_TYPES, TRAVEL, default_rules
from app.services.allowance import discipline
from app.services.allowance import rules as allowance_rules
from app.services.allowance import runs as allowance_runs
from app.services.attendance import days, records
from app.services.cycle import periods
from app.services.org import placements
from tests.allowance_data import WORKED_EXAMPLE, attendance, save_rules, validated_minutes, working_days
from tests.conftest import employee, user
from tests.helpers import start_cycle


def _march() -> Period:
    db.session.expire_all()
    return db.session.scalars(select(Period).where(Period.key == "2026-03")).one()


def _row(username="staf02") -> Allowance:
    db.session.expire_all()
    return db.session.scalars(select(Allowance).where(Allowance.employee_id == employee(username).id,
                                                      Allowance.period_key == "2026-03")).one()


def _close_march():
    start_cycle()
    periods.close_period(db.session, _march().id, user("hr.admin").id)


@pytest.fixture
def worked_example(ctx):
    save_rules()
    attendance("staf02", WORKED_EXAMPLE)
    validated_minutes("staf02", 6075)
    validated_minutes("staf02", 300, status="submitted")


def test_demo_calendar_gives_march_19_working_days(ctx):
    assert len(working_days()) == 19


def test_closing_the_month_computes_the_worked_example(worked_example):
    _close_march()
    row = _row()
    assert (row.working_days, row.days_covered, row.base_amount) == (19, 19, 5_000_000)
    assert (row.validated_minutes, row.target_minutes, row.performance_factor) == (6075, 6750, Decimal("0.9"))
    assert (row.performance_part, row.discipline_base, row.discipline_part) == (2_700_000, 2_000_000, 1_612_500)
    assert (row.deduction_tl, row.deduction_psw, row.deduction_tk) == (112_500, 125_000, 150_000)
    assert (row.gross, row.contribution, row.tax, row.net) == (4_312_500, 43_125, 215_625, 4_053_750)
    deductions = [(i["code"], i["day"], i["amount"]) for i in row.items if i["amount"] < 0 and i["day"]]
    assert deductions == [("TL1", "2026-03-02", -25_000), ("TL1", "2026-03-03", -25_000), ("TL3", "2026-03-04", -62_500),
                          ("PSW2", "2026-03-05", -50_000), ("TK", "2026-03-09", -150_000), ("PSW4", "2026-03-10", -75_000)]
    assert [(i["code"], i["amount"]) for i in row.items[-2:]] == [("IURAN", -43_125), ("PAJAK", -215_625)]
    active = db.session.scalar(select(func.count()).select_from(Employee).where(Employee.is_active.is_(True)))
    assert db.session.scalar(select(func.count()).select_from(Allowance)) == active
    run = db.session.scalars(select(AllowanceRun)).one()
    assert (run.status, run.employees) == ("finished", active)


def test_computing_again_with_the_same_inputs_changes_nothing(worked_example):
    _close_march()
    before = {r.id: (r.computed_at, r.inputs_hash, r.net) for r in db.session.scalars(select(Allowance))}
    allowance_runs.compute_for_period(db.session, _march(), user("hr.admin").id)
    db.session.expire_all()
    after = {r.id: (r.computed_at, r.inputs_hash, r.net) for r in db.session.scalars(select(Allowance))}
    assert after == before
    summaries = db.session.scalars(select(AuditEvent.summary).where(AuditEvent.action == "allowance_computed")
                                   .order_by(AuditEvent.id)).all()
    assert summaries[-1].endswith(", 0 baris berubah")


def test_a_corrected_day_changes_only_that_employee(worked_example):
    _close_march()
    others = {r.employee_id: r.computed_at for r in db.session.scalars(select(Allowance))
              if r.employee_id != employee("staf02").id}
    day = db.session.scalars(select(AttendanceDay).where(AttendanceDay.employee_id == employee("staf02").id,
                                                         AttendanceDay.day == date(2026, 3, 9))).one()
    day.status = "leave"
    day.leave_type = "cuti_tahunan"
    db.session.commit()
    allowance_runs.compute_for_period(db.session, _march(), user("hr.admin").id)
    assert _row().discipline_part == 1_612_500 + 150_000
    assert {r.employee_id: r.computed_at for r in db.session.scalars(select(Allowance))
            if r.employee_id != employee("staf02").id} == others
    assert db.session.scalar(select(func.count()).select_from(Allowance)) == len(others) + 1


def test_a_sanction_in_force_cuts_the_allowance(worked_example):
    discipline.record_sanction(db.session, user("hr.admin"), employee("staf02").nip, "sedang",
                               "Pemotongan TPP 25% selama 6 bulan", "800/12/BKPSDM/2026", date(2026, 3, 1), 6, None)
    _close_march()
    row = _row()
    # 25% of (2,700,000 + 1,612,500); contribution and tax from the rest.
    assert (row.sanction_pct, row.sanction_cut) == (Decimal("25.000"), 1_078_125)
    assert (row.gross, row.contribution, row.tax, row.net) == (3_234_375, 32_344, 161_719, 3_040_312)


def test_a_revoked_sanction_cuts_nothing(worked_example):
    sanction = discipline.record_sanction(db.session, user("hr.admin"), employee("staf02").nip, "berat", "Salah catat",
                                          "800/13/BKPSDM/2026", date(2026, 1, 1), 12, Decimal(50))
    discipline.revoke_sanction(db.session, user("hr.admin"), sanction, "SK salah orang")
    _close_march()
    assert _row().sanction_cut == 0


def test_a_transfer_in_the_month_pays_each_part_by_its_working_days(ctx):
    save_rules()
    staff = employee("staf02")
    old_position = staff.position
    new_unit = db.session.scalars(select(OrgUnit).where(OrgUnit.code == "SURV")).one()
    new_position = Position(unit_id=new_unit.id, name="Epidemiolog Ahli Muda", position_type="fungsional", class_level=9)
    db.session.add(new_position)
    db.session.flush()
    db.session.add_all([
        EmployeePlacement(employee_id=staff.id, unit_id=staff.unit_id, position_id=old_position.id,
                          valid_from=date(2025, 1, 1), valid_to=date(2026, 3, 15)),
        EmployeePlacement(employee_id=staff.id, unit_id=new_unit.id, position_id=new_position.id,
                          valid_from=date(2026, 3, 16)),
    ])
    db.session.commit()
    attendance("staf02")
    validated_minutes("staf02", 6750)
    _close_march()
    row = _row()
    # 1-15 March: 10 working days in class 7 (5,000,000); 16-31 March: 9 in class 9 (7,000,000).
    assert [i["amount"] for i in row.items if i["code"] == "KINERJA"] == [1_578_947, 1_989_474]
    assert [i["amount"] for i in row.items if i["code"] == "DISIPLIN"] == [1_052_632, 1_326_316]
    assert (row.performance_part, row.discipline_part, row.gross) == (3_568_421, 2_378_948, 5_947_369)
    assert (row.contribution, row.tax, row.net) == (59_474, 297_368, 5_590_527)
    assert (row.unit_id, row.class_level) == (new_unit.id, 9)


def test_without_rules_the_run_says_so_and_the_month_still_closes(ctx):
    attendance("staf02", WORKED_EXAMPLE)
    _close_march()
    assert _march().state == "closed"
    run = db.session.scalars(select(AllowanceRun)).one()
    assert run.status == "failed"
    assert "Aturan TPP yang berlaku untuk tahun 2026 belum ada" in run.error
    assert db.session.scalar(select(func.count()).select_from(Allowance)) == 0
    save_rules()
    validated_minutes("staf02", 6075)
    allowance_runs.compute_for_period(db.session, _march(), user("hr.admin").id)
    assert _row().net == 4_053_750


def test_rules_of_an_earlier_year_apply_until_replaced(worked_example):
    rules_2025 = save_rules(2025, performance_pct=Decimal(70), discipline_pct=Decimal(30))
    assert allowance_rules.in_force(db.session, rules_2025.agency_id, 2026).effective_year == 2026
    assert allowance_rules.in_force(db.session, rules_2025.agency_id, 2025).id == rules_2025.id
    assert allowance_rules.in_force(db.session, rules_2025.agency_id, 2024) is None


def test_an_employee_the_rules_cannot_price_is_reported_and_keeps_no_row(worked_example):
    staff = employee("staf05")
    staff.rank_group = "V/a"  # no tax rate for a PNS golongan V
    db.session.commit()
    _close_march()
    run = db.session.scalars(select(AllowanceRun)).one()
    assert run.status == "finished"
    warnings = allowance_runs.progress(db.session, run)["warnings"]
    assert any(staff.nip in w and "golongan 'V'" in w for w in warnings)
    assert db.session.scalar(select(func.count()).select_from(Allowance).where(
        Allowance.employee_id == staff.id)) == 0


def test_rules_with_gaps_are_refused_field_by_field_and_nothing_is_saved(ctx):
    agency_id = employee("staf02").agency_id
    rules = default_rules({level: 1_000_000 for level in range(1, 17)})
    with pytest.raises(allowance_rules.RulesRejected) as refused:
        allowance_rules.save(db.session, agency_id, 2026, rules, user("hr.admin").id)
    assert refused.value.problems == {"base_17": "Kelas jabatan 17 belum punya nilai dasar TPP."}
    assert allowance_rules.in_force(db.session, agency_id, 2026) is None


def test_saving_rules_is_audited_with_what_changed(ctx):
    save_rules()
    save_rules(contribution_pct=Decimal(2))
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "allowance_rules_saved")
                               .order_by(AuditEvent.id.desc())).first()
    assert event.summary == "Aturan TPP berlaku 2026 diubah: contribution_pct"
    assert (event.detail["before"]["contribution_pct"], event.detail["after"]["contribution_pct"]) == ("1", "2")


def test_a_transfer_recorded_through_the_service_splits_the_month(ctx):
    save_rules()
    staff = employee("staf02")
    old_unit_id = staff.unit_id
    new_unit = db.session.scalars(select(OrgUnit).where(OrgUnit.code == "SURV")).one()
    new_position = Position(unit_id=new_unit.id, name="Epidemiolog Ahli Muda", position_type="fungsional", class_level=9)
    db.session.add(new_position)
    db.session.commit()
    with pytest.raises(ServiceError, match="belum tiba"):
        placements.transfer(db.session, staff, new_position, date(2026, 3, 16), user("hr.admin").id,
                            today=date(2026, 3, 1))
    placements.transfer(db.session, staff, new_position, date(2026, 3, 16), user("hr.admin").id,
                        today=date(2026, 4, 1))
    stretches = placements.history(db.session, staff.id)
    assert [(p.unit_id, p.valid_from, p.valid_to) for p in stretches] == [
        (old_unit_id, placements.HISTORY_START, date(2026, 3, 15)), (new_unit.id, date(2026, 3, 16), None)]
    assert (staff.unit_id, staff.position_id) == (new_unit.id, new_position.id)
    assert "Mutasi" in db.session.scalars(select(AuditEvent.summary).where(
        AuditEvent.action == "employee_transferred")).one()
    attendance("staf02")
    validated_minutes("staf02", 6750)
    _close_march()
    assert _row().gross == 5_947_369
    with pytest.raises(ServiceError, match="sudah ditutup"):
        placements.transfer(db.session, employee("staf05"), new_position, date(2026, 3, 20), user("hr.admin").id,
                            today=date(2026, 4, 1))


def test_every_leave_an_absence_records_is_one_the_rules_price():
    priced = set(LEAVE_TYPES) | {ANNUAL_LEAVE, TRAVEL}
    assert set(records.ABSENCE_KINDS) == priced


def test_unpaid_leave_recorded_by_hr_is_deducted_at_the_rules_rate(worked_example):
    staf02 = employee("staf02")
    records.record_absence(db.session, user("hr.admin"), staf02.id, "cltn", date(2026, 3, 16), date(2026, 3, 17),
                           "Urusan keluarga di luar daerah")
    days.classify_range(db.session, [staf02.id], date(2026, 3, 16), date(2026, 3, 17))
    db.session.commit()
    _close_march()
    row = _row()
    leave_lines = [item for item in row.items if item["code"] == "CUTI:cltn"]
    assert len(leave_lines) == 2
    assert row.deduction_leave > 0
    warnings = [w for batch in db.session.scalars(select(AllowanceBatch)) for w in batch.warnings or []]
    assert not [w for w in warnings if "cltn" in str(w)]
