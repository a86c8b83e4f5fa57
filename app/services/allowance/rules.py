"""HR's allowance rules per agency and year: reading the one in force and saving a checked one."""
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core import audit
from app.core.clock import utcnow
from app.core.errors import ServiceError
from app.models import AllowanceRuleSet
from app.rules.allowance import Rules, check_rules


class RulesRejected(ServiceError):
    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        # The rules' problems may be lazy labels: text before they are sorted and joined.
        super().__init__(_("Aturan TPP belum dapat disimpan: %(problems)s",
                           problems=" ".join(sorted({str(problem) for problem in problems.values()}))))


def in_force(session: Session, agency_id: int, year: int) -> AllowanceRuleSet | None:
    """The rule set with the latest effective year not after `year`."""
    return session.scalars(
        select(AllowanceRuleSet).where(AllowanceRuleSet.agency_id == agency_id,
                                       AllowanceRuleSet.effective_year <= year)
        .order_by(AllowanceRuleSet.effective_year.desc()).limit(1)).first()


def to_rules(row: AllowanceRuleSet) -> Rules:
    def pcts(values: dict) -> dict:
        return {key: Decimal(str(value)) for key, value in values.items()}

    return Rules(
        performance_pct=Decimal(row.performance_pct), discipline_pct=Decimal(row.discipline_pct),
        contribution_pct=Decimal(row.contribution_pct),
        base_amounts={int(level): int(amount) for level, amount in row.base_amounts.items()},
        deductions=pcts(row.deductions), leave_deductions=pcts(row.leave_deductions),
        sanction_cuts=pcts(row.sanction_cuts), grade_factors=pcts(row.grade_factors), tax_rates=pcts(row.tax_rates),
    )


def _stored(rules: Rules) -> dict:
    def pcts(values) -> dict:
        return {key: str(value) for key, value in values.items()}

    return {
        "performance_pct": rules.performance_pct, "discipline_pct": rules.discipline_pct,
        "contribution_pct": rules.contribution_pct,
        "base_amounts": {str(level): int(amount) for level, amount in sorted(rules.base_amounts.items())},
        "deductions": pcts(rules.deductions), "leave_deductions": pcts(rules.leave_deductions),
        "sanction_cuts": pcts(rules.sanction_cuts), "grade_factors": pcts(rules.grade_factors),
        "tax_rates": pcts(rules.tax_rates),
    }


def save(session: Session, agency_id: int, year: int, rules: Rules, actor_user_id: int) -> AllowanceRuleSet:
    """Create or replace the rule set effective from `year`; refused whole, field by field, when
    it has gaps. Months already computed keep their rows until they are computed again."""
    if not 2000 <= year <= 2100:
        raise RulesRejected({"effective_year": _("Tahun berlaku tidak valid.")})
    problems = check_rules(rules)
    if problems:
        raise RulesRejected(problems)
    row = session.scalars(select(AllowanceRuleSet).where(
        AllowanceRuleSet.agency_id == agency_id, AllowanceRuleSet.effective_year == year)).first()
    values = _stored(rules)
    if row is None:
        row = AllowanceRuleSet(agency_id=agency_id, effective_year=year)
        session.add(row)
        before = None
    else:
        before = {key: _comparable(getattr(row, key)) for key in values}
    for key, value in values.items():
        setattr(row, key, value)
    row.updated_by_id = actor_user_id
    row.updated_at = utcnow()
    session.flush()
    after = {key: _comparable(value) for key, value in values.items()}
    changed = sorted(key for key in after if before is None or before[key] != after[key])
    audit.record(session, actor_user_id, "allowance_rules_saved",
                 f"Aturan TPP berlaku {year} {'dibuat' if before is None else 'diubah'}"
                 + (f": {', '.join(changed)}" if before is not None else ""),
                 detail={"rule_set_id": row.id, "before": before, "after": after})
    session.flush()
    return row


def _comparable(value):
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    return format(Decimal(str(value)).normalize(), "f")
