"""The SKP form: results (RHK) with indicators, the three attachments, BerAKHLAK expectations.

Rows are a fixed list with blank rows at the end (a blank row is ignored), so the form works
without JavaScript on any phone; "Tambah baris" saves the draft and offers more blank rows.
"""
from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import DecimalField, FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from app.models.performance import ASPECTS, PERSPECTIVES
from app.rules.ratings import BERAKHLAK

ASPECT_CHOICES = [(a, a.capitalize()) for a in ASPECTS]
PERSPECTIVE_CHOICES = [("", "— pilih perspektif —")] + [
    (p, label) for p, label in zip(PERSPECTIVES, (
        "Penerima layanan", "Proses bisnis", "Penguatan internal", "Anggaran"))
]
KIND_CHOICES = [("utama", "Utama"), ("tambahan", "Tambahan")]


class IndicatorForm(Form):
    aspect = SelectField("Aspek", choices=ASPECT_CHOICES, default="kuantitas")
    text = StringField("Indikator", validators=[Optional(), Length(max=500)])
    target = DecimalField(
        "Target", places=None, validators=[Optional(), NumberRange(min=Decimal("0.01"), message="Target harus bilangan positif.")]
    )
    unit = StringField("Satuan", validators=[Optional(), Length(max=40)])

    def validate_target(self, field):
        if (self.text.data or "").strip() and field.data is None and not field.errors:
            field.errors.append("Isi target (bilangan positif).")


class ResultForm(Form):
    kind = SelectField("Jenis", choices=KIND_CHOICES, default="utama")
    text = TextAreaField("Rencana hasil kerja (RHK)", validators=[Optional(), Length(max=2000)])
    parent_result_id = SelectField("RHK atasan yang diintervensi", coerce=lambda v: int(v) if v else None,
                                   validate_choice=False)
    perspective = SelectField("Perspektif (JPT)", choices=PERSPECTIVE_CHOICES, validate_choice=False)
    indicators = FieldList(FormField(IndicatorForm), min_entries=2)


class ExpectationsForm(Form):
    pass


for _key, _label in BERAKHLAK:
    setattr(ExpectationsForm, _key, TextAreaField(_label, validators=[Optional(), Length(max=1000)]))


class PlanForm(FlaskForm):
    results = FieldList(FormField(ResultForm), min_entries=1)
    resource_support = TextAreaField("Dukungan sumber daya", validators=[Optional(), Length(max=4000)])
    accountability = TextAreaField("Skema pertanggungjawaban", validators=[Optional(), Length(max=4000)])
    consequences = TextAreaField("Konsekuensi", validators=[Optional(), Length(max=4000)])
    expectations = FormField(ExpectationsForm)

    def set_parent_choices(self, choices):
        for result in self.results:
            result.parent_result_id.choices = [("", "— pilih RHK atasan —")] + choices

    def check_for_submit(self, is_jpt: bool, allowed_parents: set[int]) -> bool:
        """Submit-only rules, reported next to the field they concern; True when none fail."""
        ok = True
        filled = [r for r in self.results if (r.text.data or "").strip()]
        if not filled:
            self.results.entries[0].text.errors = list(self.results.entries[0].text.errors) + [
                "Isi paling sedikit satu RHK."]
            return False
        if not any(r.kind.data == "utama" for r in filled):
            filled[0].kind.errors = list(filled[0].kind.errors) + ["Paling sedikit satu RHK harus berjenis Utama."]
            ok = False
        for result in filled:
            if not any((i.text.data or "").strip() for i in result.indicators):
                result.indicators.entries[0].text.errors = list(result.indicators.entries[0].text.errors) + [
                    "Setiap RHK membutuhkan paling sedikit satu indikator dengan target."]
                ok = False
            if is_jpt and not result.perspective.data:
                result.perspective.errors = list(result.perspective.errors) + ["Pilih perspektif untuk RHK JPT."]
                ok = False
            if not is_jpt and result.parent_result_id.data not in allowed_parents:
                result.parent_result_id.errors = list(result.parent_result_id.errors) + [
                    "Pilih RHK atasan yang diintervensi."]
                ok = False
        return ok

    def check_parents(self, allowed_parents: set[int]) -> bool:
        ok = True
        for result in self.results:
            value = result.parent_result_id.data
            if value is not None and value not in allowed_parents:
                result.parent_result_id.errors = list(result.parent_result_id.errors) + [
                    "RHK atasan ini tidak tersedia."]
                ok = False
        return ok

    def payload(self) -> dict:
        return {
            "resource_support": self.resource_support.data,
            "accountability": self.accountability.data,
            "consequences": self.consequences.data,
            "expectations": {k: getattr(self.expectations.form, k).data for k, _ in BERAKHLAK},
            "results": [
                {
                    "kind": r.kind.data,
                    "text": r.text.data,
                    "parent_result_id": r.parent_result_id.data,
                    "perspective": r.perspective.data or None,
                    "indicators": [
                        {"aspect": i.aspect.data, "text": i.text.data, "target": i.target.data, "unit": i.unit.data}
                        for i in r.indicators
                    ],
                }
                for r in self.results
            ],
        }


def plan_formdata(plan, extra_rows: int = 1) -> dict:
    """The stored plan as form data, plus blank rows to type into."""
    results = []
    for r in plan.results:
        results.append({
            "kind": r.kind, "text": r.text, "parent_result_id": r.parent_result_id or "",
            "perspective": r.perspective or "",
            "indicators": [{"aspect": i.aspect, "text": i.text, "target": i.target, "unit": i.unit}
                           for i in r.indicators] + [{}],
        })
    results += [{"indicators": [{}, {}]} for _ in range(extra_rows)]
    expectations = {e.value_key: e.expectation for e in plan.expectations}
    return {
        "results": results,
        "resource_support": plan.resource_support,
        "accountability": plan.accountability,
        "consequences": plan.consequences,
        "expectations": expectations,
    }
