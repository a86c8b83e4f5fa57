"""Forms for monitoring pages: work log, action plan, comments, validation, attendance, HR settings."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FloatField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from forms.plan import TargetField

OTHER_WORK = 0


class QuantityField(DecimalField):
    """A quantity as people type it here (`2` or `2,5`); what was typed stays when it is refused."""

    def process_formdata(self, valuelist):
        if valuelist and isinstance(valuelist[0], str):
            typed = valuelist[0].strip()
            valuelist = [typed.replace(",", ".") if "," in typed and "." not in typed else typed] if typed else []
        try:
            super().process_formdata(valuelist)
        except ValueError as err:
            self.data = None
            raise ValueError(_("Jumlah harus angka, misalnya 1 atau 2,5.")) from err


class WorkLogForm(FlaskForm):
    day = DateField(_l("Tanggal"), validators=[DataRequired(_l("Isi tanggal (hari kerja yang dilaporkan)."))])
    start_time = TimeField(_l("Mulai"), validators=[DataRequired(_l("Isi jam mulai, misalnya 08:00."))])
    end_time = TimeField(_l("Selesai"), validators=[DataRequired(_l("Isi jam selesai, misalnya 09:30."))])
    # The service checks the plan and says why one is refused (WTForms would only say "not a valid choice").
    action_plan_id = SelectField(lazy_pgettext("one plan", "Rencana aksi"), coerce=int, default=OTHER_WORK, validate_choice=False,
                                 description=_l("Pilih rencana aksi bulan ini (kerja utama), atau 'Tugas lain'."))
    description = TextAreaField(_l("Apa yang dikerjakan"), validators=[
        DataRequired(_l("Tulis apa yang dikerjakan.")), Length(max=4000)])
    quantity = QuantityField(lazy_pgettext("quantity", "Jumlah"), places=None,
                             validators=[InputRequired(_l("Isi jumlah hasil, misalnya 1."))])
    unit = StringField(_l("Satuan"), validators=[DataRequired(_l("Isi satuan, misalnya dokumen.")), Length(max=40)])
    link = StringField(_l("Tautan bukti (opsional)"), validators=[Optional(), Length(max=500)],
                       description=_l("Misalnya tautan dokumen di penyimpanan kantor."))
    files = MultipleFileField(_l("Berkas bukti (opsional)"),
                              description=_l("PDF, JPG, PNG, DOC/DOCX, XLS/XLSX, PPT/PPTX, ODT, ODS; paling besar "
                                             "5 MB per berkas, paling banyak 5 berkas."))
    client_token = HiddenField()


class ActionPlanForm(FlaskForm):
    plan_result_id = SelectField(_l("RHK"), coerce=int, validators=[DataRequired(_l("Pilih RHK dari SKP Anda."))])
    text = TextAreaField(lazy_pgettext("one plan", "Rencana aksi"),
                         validators=[DataRequired(_l("Tulis rencana aksinya.")), Length(max=2000)])
    target = TargetField(_l("Target (opsional)"), places=None, validators=[Optional()])
    unit = StringField(_l("Satuan"), validators=[Optional(), Length(max=40)])


class CommentForm(FlaskForm):
    text = TextAreaField(_l("Komentar"), validators=[DataRequired(_l("Tulis komentarnya.")), Length(max=4000)])


class DecisionForm(FlaskForm):
    decision = HiddenField(validators=[DataRequired()])
    reason = StringField(_l("Alasan penolakan"), validators=[Optional(), Length(max=1000)])


class CheckInForm(FlaskForm):
    kind = HiddenField(validators=[DataRequired()])
    latitude = FloatField(validators=[Optional()])
    longitude = FloatField(validators=[Optional()])
    accuracy = FloatField(validators=[Optional()])


class ImportForm(FlaskForm):
    file = FileField(_l("Berkas CSV dari mesin sidik jari"))
    skip_invalid = BooleanField(_l("Impor baris yang valid saja bila ada baris yang ditolak"))


class AbsenceForm(FlaskForm):
    nip = StringField(_l("NIP pegawai"), validators=[DataRequired(_l("Isi NIP pegawai.")), Length(max=30)])
    kind = SelectField(_l("Jenis"), validators=[DataRequired(_l("Pilih jenis."))])
    starts_on = DateField(_l("Mulai"), validators=[DataRequired(_l("Isi tanggal mulai."))])
    ends_on = DateField(_l("Selesai"), validators=[DataRequired(_l("Isi tanggal selesai."))])
    reason = TextAreaField(_l("Keterangan (nomor surat, tujuan)"), validators=[Optional(), Length(max=2000)])


class HolidayForm(FlaskForm):
    day = DateField(_l("Tanggal"), validators=[DataRequired(_l("Isi tanggal."))])
    name = StringField(_l("Nama"), validators=[DataRequired(_l("Isi nama hari libur.")), Length(max=200)])
    kind = RadioField(_l("Jenis"),
                      choices=[("libur_nasional", _l("Libur nasional")), ("cuti_bersama", _l("Cuti bersama"))],
                      default="libur_nasional")
    national = BooleanField(_l("Berlaku untuk semua instansi (nasional)"), default=True)


WEEKDAYS = (_l("Senin"), _l("Selasa"), _l("Rabu"), _l("Kamis"), _l("Jumat"), _l("Sabtu"), _l("Minggu"))


class ScheduleForm(FlaskForm):
    name = StringField(_l("Nama jadwal"), validators=[Optional(), Length(max=100)])
    starts_on = DateField(_l("Mulai (kosongkan untuk jam reguler)"), validators=[Optional()])
    ends_on = DateField(_l("Selesai"), validators=[Optional()])


for _i, _day in enumerate(WEEKDAYS):
    setattr(ScheduleForm, f"start_{_i}", StringField(_l("%(day)s masuk", day=_day),
                                                     validators=[Optional(), Length(max=5)]))
    setattr(ScheduleForm, f"end_{_i}", StringField(_l("%(day)s pulang", day=_day),
                                                   validators=[Optional(), Length(max=5)]))


class OfficeForm(FlaskForm):
    unit_id = SelectField(_l("Unit kerja"), coerce=int)
    name = StringField(_l("Nama kantor"), validators=[Optional(), Length(max=200)])
    latitude = FloatField(_l("Lintang"), validators=[InputRequired(_l("Isi lintang, misalnya -2.2136."))])
    longitude = FloatField(_l("Bujur"), validators=[InputRequired(_l("Isi bujur, misalnya 113.9108."))])
    radius_m = IntegerField(_l("Radius (meter)"), default=100,
                            validators=[InputRequired(_l("Isi radius.")),
                                        NumberRange(10, 5000, _l("Radius 10-5.000 meter."))])


class SettingsForm(FlaskForm):
    monthly_target_minutes = IntegerField(_l("Target menit efektif per bulan"), validators=[
        InputRequired(_l("Isi target.")), NumberRange(60, 20000, _l("Target 60-20.000 menit."))])
    daily_cap_minutes = IntegerField(_l("Batas menit per hari (lebih dari ini ditandai)"), validators=[
        InputRequired(_l("Isi batas harian.")), NumberRange(60, 1440, _l("Batas 60-1.440 menit."))])


class LeaveRequestForm(FlaskForm):
    kind = SelectField(_l("Jenis"), validators=[DataRequired(_l("Pilih jenis."))])
    starts_on = DateField(_l("Mulai"), validators=[DataRequired(_l("Isi tanggal mulai."))])
    ends_on = DateField(_l("Selesai"), validators=[DataRequired(_l("Isi tanggal selesai."))])
    reason = TextAreaField(_l("Alasan / tujuan"), validators=[DataRequired(_l("Tulis alasan atau tujuan perjalanan.")),
                                                          Length(max=2000)])
