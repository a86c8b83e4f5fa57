"""Forms of the allowance pages: the rule set (one field per number), a sanction, missed assemblies.

Numbers are typed the way people here write them: "0,5" or "0.5" for a percentage, "5.000.000"
or "5000000" for rupiah. A blank base amount is not an input error here; the rule check names it
("Kelas jabatan 7 belum punya nilai dasar TPP") so every gap is reported in one go.
"""
from decimal import Decimal, InvalidOperation

from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from app.rules.allowance import (
    CLASS_LEVELS,
    DEDUCTION_CODES,
    DEDUCTION_LABELS,
    LEAVE_LABELS,
    LEAVE_TYPES,
    SANCTION_LABELS,
    SANCTION_LEVELS,
    TAX_KEYS,
    Rules,
    tax_field,
)
from app.rules.ratings import GRADE_LABELS, GRADES


class PercentField(StringField):
    """A percentage 0-100 with a comma or a dot as the decimal mark; shown with the reader's."""

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip().replace("%", "").replace(",", ".")
        if not text:
            return
        try:
            self.data = Decimal(text)
        except InvalidOperation:
            self.data = None
            raise ValueError(_("'%(value)s' bukan angka persen; contoh: 0,5 atau 1,25.", value=valuelist[0])) from None
        if not self.data.is_finite():
            self.data = None
            raise ValueError(_("Isi angka persen yang wajar."))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else format_decimal(self.data, "0.#", locale=get_locale(),
                                                           decimal_quantization=False)


class RupiahField(StringField):
    """Whole rupiah, with or without thousands dots: 5.000.000 or 5000000. Shown with dots in every
    language: a comma is the decimal mark here, so 5,000,000 cannot be read back."""

    def process_formdata(self, valuelist):
        self.data = None
        text = (valuelist[0] if valuelist else "").strip().replace("Rp", "").replace(" ", "").replace(".", "")
        if not text:
            return
        if not text.isdigit():
            raise ValueError(_("'%(value)s' bukan jumlah rupiah; contoh: 5.000.000.", value=valuelist[0]))
        self.data = int(text)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else f"{self.data:,}".replace(",", ".")


def _required_percent(label):
    return PercentField(label, validators=[InputRequired(_l("%(label)s: isi persentasenya.", label=label))])


# (field name, label) per section of the page, in the order shown.
BASE_FIELDS = [(f"base_{level}", _l("Kelas %(level)s", level=level)) for level in CLASS_LEVELS]
DEDUCTION_FIELDS = [(f"ded_{code}", DEDUCTION_LABELS[code]) for code in DEDUCTION_CODES]
LEAVE_FIELDS = [(f"leave_{kind}", LEAVE_LABELS[kind]) for kind in LEAVE_TYPES]
SANCTION_FIELDS = [(f"sanction_{level}", SANCTION_LABELS[level]) for level in SANCTION_LEVELS]
GRADE_FIELDS = [(f"grade_{grade}", GRADE_LABELS[grade]) for grade in GRADES]
TAX_FIELDS = [(tax_field(key), _l("Golongan %(group)s", group=key)) for key in TAX_KEYS]


class AllowanceRulesForm(FlaskForm):
    effective_year = IntegerField(_l("Berlaku mulai tahun"), validators=[
        DataRequired(_l("Isi tahun mulai berlaku.")), NumberRange(2000, 2100, _l("Tahun tidak valid."))])
    performance_pct = _required_percent(_l("Bagian kinerja (%)"))
    discipline_pct = _required_percent(_l("Bagian disiplin (%)"))
    contribution_pct = PercentField(_l("Iuran pegawai (% dari bruto)"), validators=[Optional()])


for _name, _label in BASE_FIELDS:
    setattr(AllowanceRulesForm, _name, RupiahField(_label, validators=[Optional()]))
for _name, _label in DEDUCTION_FIELDS + LEAVE_FIELDS + SANCTION_FIELDS + GRADE_FIELDS + TAX_FIELDS:
    setattr(AllowanceRulesForm, _name, PercentField(_label, validators=[Optional()]))


def rules_from(form: AllowanceRulesForm) -> Rules:
    """The rules as typed; blanks stay missing so the rule check can name them."""
    def values(fields, key_of):
        return {key_of(name): form[name].data for name, _label in fields if form[name].data is not None}

    return Rules(
        performance_pct=form.performance_pct.data, discipline_pct=form.discipline_pct.data,
        contribution_pct=form.contribution_pct.data if form.contribution_pct.data is not None else None,
        base_amounts=values(BASE_FIELDS, lambda name: int(name.split("_")[1])),
        deductions=values(DEDUCTION_FIELDS, lambda name: name[4:]),
        leave_deductions=values(LEAVE_FIELDS, lambda name: name[6:]),
        sanction_cuts=values(SANCTION_FIELDS, lambda name: name[9:]),
        grade_factors=values(GRADE_FIELDS, lambda name: name[6:]),
        tax_rates={key: form[tax_field(key)].data for key in TAX_KEYS if form[tax_field(key)].data is not None},
    )


def fill(form: AllowanceRulesForm, rules: Rules) -> None:
    form.performance_pct.data = rules.performance_pct
    form.discipline_pct.data = rules.discipline_pct
    form.contribution_pct.data = rules.contribution_pct
    for level in CLASS_LEVELS:
        form[f"base_{level}"].data = rules.base_amounts.get(level)
    for code in DEDUCTION_CODES:
        form[f"ded_{code}"].data = rules.deductions.get(code)
    for kind in LEAVE_TYPES:
        form[f"leave_{kind}"].data = rules.leave_deductions.get(kind)
    for level in SANCTION_LEVELS:
        form[f"sanction_{level}"].data = rules.sanction_cuts.get(level)
    for grade in GRADES:
        form[f"grade_{grade}"].data = rules.grade_factors.get(grade)
    for key in TAX_KEYS:
        form[tax_field(key)].data = rules.tax_rates.get(key)


class SanctionForm(FlaskForm):
    nip = StringField(_l("NIP pegawai"), validators=[DataRequired(_l("Isi NIP pegawai.")), Length(max=30)])
    level = SelectField(_l("Tingkat hukuman"), choices=[(level, SANCTION_LABELS[level]) for level in SANCTION_LEVELS],
                        validators=[DataRequired(_l("Pilih tingkat hukuman."))])
    kind = StringField(_l("Jenis hukuman"), validators=[DataRequired(_l("Isi jenis hukuman.")), Length(max=200)],
                       description=_l("Misalnya: pemotongan tunjangan kinerja 25% selama 6 bulan."))
    decree_number = StringField(_l("Nomor SK"), validators=[DataRequired(_l("Isi nomor SK.")), Length(max=100)])
    starts_on = DateField(_l("Berlaku mulai"), validators=[DataRequired(_l("Isi tanggal mulai berlaku."))])
    months = IntegerField(_l("Lama (bulan)"), validators=[DataRequired(_l("Isi lama hukuman dalam bulan.")),
                                                          NumberRange(1, 60, _l("Lama hukuman 1 sampai 60 bulan."))])
    cut_pct = PercentField(_l("Potongan TPP (%)"), validators=[Optional()],
                           description=_l("Kosongkan untuk memakai potongan menurut tingkat di aturan TPP."))
    note = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=2000)])

    def validate_cut_pct(self, field):
        if field.data is not None and not 0 <= field.data <= 100:
            raise ValidationError(_("Potongan harus antara 0 dan 100 persen."))


class RevokeForm(FlaskForm):
    reason = StringField(_l("Alasan pencabutan"), validators=[
        DataRequired(_l("Tuliskan alasan pencabutan.")),
        Length(min=5, max=500, message=_l("Alasan 5 sampai 500 karakter."))])


class ApelForm(FlaskForm):
    day = DateField(_l("Tanggal apel"), validators=[DataRequired(_l("Isi tanggal apel."))])
    nips = TextAreaField(_l("NIP yang tidak hadir"), validators=[DataRequired(_l("Isi paling sedikit satu NIP.")),
                                                                  Length(max=20000)],
                         description=_l("Satu NIP per baris (boleh disalin dari daftar hadir apel)."))
