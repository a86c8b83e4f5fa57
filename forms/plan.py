"""The SKP form: results (RHK) with indicators, the three attachments, BerAKHLAK expectations.

Rows are a fixed list with blank rows at the end (a blank row is ignored), so the form works
without JavaScript on any phone; "Tambah baris" saves the draft and offers more blank rows.
"""
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional, StopValidation, ValidationError

from app.models.performance import ASPECTS, PERSPECTIVES
from app.rules.ratings import BERAKHLAK

ASPECT_LABELS = {"kuantitas": _l("Kuantitas"), "kualitas": _l("Kualitas"), "waktu": _l("Waktu"), "biaya": _l("Biaya")}
ASPECT_CHOICES = [(a, ASPECT_LABELS[a]) for a in ASPECTS]
PERSPECTIVE_CHOICES = [("", _l("— pilih perspektif —"))] + [
    (p, label) for p, label in zip(PERSPECTIVES, (
        _l("Penerima layanan"), _l("Proses bisnis"), _l("Penguatan internal"), _l("Anggaran")))
]
KIND_CHOICES = [("utama", _l("Utama")), ("tambahan", _l("Tambahan"))]


TARGET_MAX = Decimal("999999999999.99")  # indicator.target is NUMERIC(14, 2)
TARGET_MESSAGE = _l("Target harus bilangan positif.")


class TargetField(DecimalField):
    """A positive number as people type it here: `12`, `2.5` or `2,5`. What was typed stays in the
    field when it is refused, and the message is the app's own (WTForms has no `id` locale)."""

    def process_formdata(self, valuelist):
        if valuelist and isinstance(valuelist[0], str):
            typed = valuelist[0].strip()
            if "," in typed and "." not in typed:
                typed = typed.replace(",", ".")
            valuelist = [typed] if typed else []
        try:
            super().process_formdata(valuelist)
        except ValueError as err:
            self.data = None
            raise ValueError(_("Target harus bilangan positif. Tulis angka, misalnya 12 atau 2,5.")) from err


def _positive_target(form, field):
    if field.process_errors:
        raise StopValidation()  # the parse error already says what is wrong
    value = field.data
    if value is None:
        return
    if not value.is_finite() or value <= 0:
        raise ValidationError(TARGET_MESSAGE)
    if value > TARGET_MAX or value != value.quantize(Decimal("0.01")):
        raise ValidationError(_("Target terlalu besar atau memiliki lebih dari dua angka desimal."))


class IndicatorForm(Form):
    aspect = SelectField(_l("Aspek"), choices=ASPECT_CHOICES, default="kuantitas")
    text = StringField(_l("Indikator"), validators=[Optional(), Length(max=500)])
    target = TargetField(_l("Target"), places=None, validators=[Optional(), _positive_target])
    unit = StringField(_l("Satuan"), validators=[Optional(), Length(max=40)])

    def validate(self, extra_validators=None):
        # Not an inline validate_target: Optional() stops the chain on a blank target, so such a
        # validator never ran and a blank target was stored as 0.
        ok = super().validate(extra_validators)
        if (self.text.data or "").strip():
            if self.target.data is None and not self.target.errors:
                self.target.errors.append(_("Isi target (bilangan positif)."))
                ok = False
        elif self.has_input() and not self.text.errors:
            # A row without indicator text is dropped on save: say so instead of losing the target.
            self.text.errors.append(_("Isi nama indikator untuk target ini, atau kosongkan barisnya."))
            ok = False
        return ok

    def has_input(self) -> bool:
        typed_target = self.target.raw_data[0] if self.target.raw_data else ""
        return bool((self.text.data or "").strip() or str(typed_target or "").strip()
                    or (self.unit.data or "").strip())


class ResultForm(Form):
    kind = SelectField(_l("Jenis"), choices=KIND_CHOICES, default="utama")
    text = TextAreaField(_l("Rencana hasil kerja (RHK)"), validators=[Optional(), Length(max=2000)])
    parent_result_id = SelectField(_l("RHK atasan yang diintervensi"), coerce=lambda v: int(v) if v else None,
                                   validate_choice=False)
    perspective = SelectField(_l("Perspektif (JPT)"), choices=PERSPECTIVE_CHOICES, validate_choice=False)
    indicators = FieldList(FormField(IndicatorForm), min_entries=2)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if not (self.text.data or "").strip() and not self.text.errors and any(
                i.form.has_input() for i in self.indicators):
            # A row without RHK text is dropped on save, indicators and all.
            self.text.errors.append(_("Isi teks RHK untuk indikator di baris ini, atau kosongkan barisnya."))
            ok = False
        return ok


class ExpectationsForm(Form):
    pass


for _key, _label in BERAKHLAK:
    setattr(ExpectationsForm, _key, TextAreaField(_label, validators=[Optional(), Length(max=1000)]))


class PlanForm(FlaskForm):
    results = FieldList(FormField(ResultForm), min_entries=1)
    resource_support = TextAreaField(_l("Dukungan sumber daya"), validators=[Optional(), Length(max=4000)])
    accountability = TextAreaField(_l("Skema pertanggungjawaban"), validators=[Optional(), Length(max=4000)])
    consequences = TextAreaField(_l("Konsekuensi"), validators=[Optional(), Length(max=4000)])
    expectations = FormField(ExpectationsForm)

    def set_parent_choices(self, choices):
        for result in self.results:
            result.parent_result_id.choices = [("", _("— pilih RHK atasan —"))] + choices

    def check_for_submit(self, is_jpt: bool, allowed_parents: set[int]) -> bool:
        """Submit-only rules, reported next to the field they concern; True when none fail."""
        ok = True
        filled = [r for r in self.results if (r.text.data or "").strip()]
        if not filled:
            self.results.entries[0].text.errors = list(self.results.entries[0].text.errors) + [
                _("Isi paling sedikit satu RHK.")]
            return False
        if not any(r.kind.data == "utama" for r in filled):
            filled[0].kind.errors = list(filled[0].kind.errors) + [_("Paling sedikit satu RHK harus berjenis Utama.")]
            ok = False
        for result in filled:
            if not any((i.text.data or "").strip() for i in result.indicators):
                result.indicators.entries[0].text.errors = list(result.indicators.entries[0].text.errors) + [
                    _("Setiap RHK membutuhkan paling sedikit satu indikator dengan target.")]
                ok = False
            if is_jpt and not result.perspective.data:
                result.perspective.errors = list(result.perspective.errors) + [_("Pilih perspektif untuk RHK JPT.")]
                ok = False
            if not is_jpt and result.parent_result_id.data not in allowed_parents:
                result.parent_result_id.errors = list(result.parent_result_id.errors) + [
                    _("Pilih RHK atasan yang diintervensi.")]
                ok = False
        return ok

    def check_parents(self, allowed_parents: set[int]) -> bool:
        ok = True
        for result in self.results:
            value = result.parent_result_id.data
            if value is not None and value not in allowed_parents:
                result.parent_result_id.errors = list(result.parent_result_id.errors) + [
                    _("RHK atasan ini tidak tersedia.")]
                ok = False
        return ok

    def payload(self) -> dict:
        return {
            "resource_support": self.resource_support.data,
            "accountability": self.accountability.data,
            "consequences": self.consequences.data,
            "expectations": {k: getattr(self.expectations.form, k).data for k, _label in BERAKHLAK},
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
    results += [{"indicators": [{}, {}]} for _row in range(extra_rows)]
    expectations = {e.value_key: e.expectation for e in plan.expectations}
    return {
        "results": results,
        "resource_support": plan.resource_support,
        "accountability": plan.accountability,
        "consequences": plan.consequences,
        "expectations": expectations,
    }
