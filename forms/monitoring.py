"""Forms for monitoring pages: work log, action plan, comments, validation, attendance, HR settings."""
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
            raise ValueError("Jumlah harus angka, misalnya 1 atau 2,5.") from err


class WorkLogForm(FlaskForm):
    day = DateField("Tanggal", validators=[DataRequired("Isi tanggal (hari kerja yang dilaporkan).")])
    start_time = TimeField("Mulai", validators=[DataRequired("Isi jam mulai, misalnya 08:00.")])
    end_time = TimeField("Selesai", validators=[DataRequired("Isi jam selesai, misalnya 09:30.")])
    # The service checks the plan and says why one is refused (WTForms would only say "not a valid choice").
    action_plan_id = SelectField("Rencana aksi", coerce=int, default=OTHER_WORK, validate_choice=False,
                                 description="Pilih rencana aksi bulan ini (kerja utama), atau 'Tugas lain'.")
    description = TextAreaField("Apa yang dikerjakan", validators=[
        DataRequired("Tulis apa yang dikerjakan."), Length(max=4000)])
    quantity = QuantityField("Jumlah", places=None, validators=[InputRequired("Isi jumlah hasil, misalnya 1.")])
    unit = StringField("Satuan", validators=[DataRequired("Isi satuan, misalnya dokumen."), Length(max=40)])
    link = StringField("Tautan bukti (opsional)", validators=[Optional(), Length(max=500)],
                       description="Misalnya tautan dokumen di penyimpanan kantor.")
    files = MultipleFileField("Berkas bukti (opsional)",
                              description="PDF, JPG, PNG, DOC/DOCX, XLS/XLSX, PPT/PPTX, ODT, ODS; paling besar "
                                          "5 MB per berkas, paling banyak 5 berkas.")
    client_token = HiddenField()


class ActionPlanForm(FlaskForm):
    plan_result_id = SelectField("RHK", coerce=int, validators=[DataRequired("Pilih RHK dari SKP Anda.")])
    text = TextAreaField("Rencana aksi", validators=[DataRequired("Tulis rencana aksinya."), Length(max=2000)])
    target = TargetField("Target (opsional)", places=None, validators=[Optional()])
    unit = StringField("Satuan", validators=[Optional(), Length(max=40)])


class CommentForm(FlaskForm):
    text = TextAreaField("Komentar", validators=[DataRequired("Tulis komentarnya."), Length(max=4000)])


class DecisionForm(FlaskForm):
    decision = HiddenField(validators=[DataRequired()])
    reason = StringField("Alasan penolakan", validators=[Optional(), Length(max=1000)])


class CheckInForm(FlaskForm):
    kind = HiddenField(validators=[DataRequired()])
    latitude = FloatField(validators=[Optional()])
    longitude = FloatField(validators=[Optional()])
    accuracy = FloatField(validators=[Optional()])


class ImportForm(FlaskForm):
    file = FileField("Berkas CSV dari mesin sidik jari")
    skip_invalid = BooleanField("Impor baris yang valid saja bila ada baris yang ditolak")


class AbsenceForm(FlaskForm):
    nip = StringField("NIP pegawai", validators=[DataRequired("Isi NIP pegawai."), Length(max=30)])
    kind = SelectField("Jenis", validators=[DataRequired("Pilih jenis.")])
    starts_on = DateField("Mulai", validators=[DataRequired("Isi tanggal mulai.")])
    ends_on = DateField("Selesai", validators=[DataRequired("Isi tanggal selesai.")])
    reason = TextAreaField("Keterangan (nomor surat, tujuan)", validators=[Optional(), Length(max=2000)])


class HolidayForm(FlaskForm):
    day = DateField("Tanggal", validators=[DataRequired("Isi tanggal.")])
    name = StringField("Nama", validators=[DataRequired("Isi nama hari libur."), Length(max=200)])
    kind = RadioField("Jenis", choices=[("libur_nasional", "Libur nasional"), ("cuti_bersama", "Cuti bersama")],
                      default="libur_nasional")
    national = BooleanField("Berlaku untuk semua instansi (nasional)", default=True)


WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


class ScheduleForm(FlaskForm):
    name = StringField("Nama jadwal", validators=[Optional(), Length(max=100)])
    starts_on = DateField("Mulai (kosongkan untuk jam reguler)", validators=[Optional()])
    ends_on = DateField("Selesai", validators=[Optional()])


for _i, _day in enumerate(WEEKDAYS):
    setattr(ScheduleForm, f"start_{_i}", StringField(f"{_day} masuk", validators=[Optional(), Length(max=5)]))
    setattr(ScheduleForm, f"end_{_i}", StringField(f"{_day} pulang", validators=[Optional(), Length(max=5)]))


class OfficeForm(FlaskForm):
    unit_id = SelectField("Unit kerja", coerce=int)
    name = StringField("Nama kantor", validators=[Optional(), Length(max=200)])
    latitude = FloatField("Lintang", validators=[InputRequired("Isi lintang, misalnya -2.2136.")])
    longitude = FloatField("Bujur", validators=[InputRequired("Isi bujur, misalnya 113.9108.")])
    radius_m = IntegerField("Radius (meter)", default=100,
                            validators=[InputRequired("Isi radius."), NumberRange(10, 5000, "Radius 10-5.000 meter.")])


class SettingsForm(FlaskForm):
    monthly_target_minutes = IntegerField("Target menit efektif per bulan", validators=[
        InputRequired("Isi target."), NumberRange(60, 20000, "Target 60-20.000 menit.")])
    daily_cap_minutes = IntegerField("Batas menit per hari (lebih dari ini ditandai)", validators=[
        InputRequired("Isi batas harian."), NumberRange(60, 1440, "Batas 60-1.440 menit.")])


class LeaveRequestForm(FlaskForm):
    kind = SelectField("Jenis", validators=[DataRequired("Pilih jenis.")])
    starts_on = DateField("Mulai", validators=[DataRequired("Isi tanggal mulai.")])
    ends_on = DateField("Selesai", validators=[DataRequired("Isi tanggal selesai.")])
    reason = TextAreaField("Alasan / tujuan", validators=[DataRequired("Tulis alasan atau tujuan perjalanan."),
                                                          Length(max=2000)])
