"""Small forms used by pages: login, claim/release, cycle start, period close, retry."""
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class LoginForm(FlaskForm):
    # Phones capitalise the first letter ("Staf02") unless told not to; user names are lower case.
    username = StringField("Nama pengguna", validators=[DataRequired("Isi nama pengguna."), Length(max=60)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none", "autocorrect": "off",
                                      "spellcheck": "false"})
    password = PasswordField("Kata sandi", validators=[DataRequired("Isi kata sandi.")],
                             render_kw={"autocomplete": "current-password"})


class ActionForm(FlaskForm):
    """A form with only the CSRF token, for buttons that post."""


class StartCycleForm(FlaskForm):
    unit_id = SelectField("Unit kerja", coerce=int, validators=[DataRequired("Pilih unit kerja.")])
    year = IntegerField("Tahun", validators=[DataRequired("Isi tahun."), NumberRange(2000, 2100, "Tahun tidak valid.")])
    # Set by the confirmation shown for a year already over.
    past_year_confirmed = HiddenField()


class ForceCloseMonthForm(FlaskForm):
    reason = TextAreaField(
        "Alasan menutup bulan", validators=[DataRequired("Tulis alasannya."), Length(min=10, max=1000,
                                            message="Alasan 10 sampai 1.000 karakter.")],
        description="Dicatat di riwayat kasus dan dikirim ke atasan dan pegawai. Menit yang sudah divalidasi "
                    "dihitung; entri yang belum diputuskan tidak.")


class RetryForm(FlaskForm):
    data_fix = TextAreaField(
        "Data perbaikan (JSON, opsional)", validators=[Optional(), Length(max=4000)],
        description='Misalnya {"plan_decision": "approve"} bila langkah gagal karena variabel tidak ada.',
    )


class UnitResultForm(FlaskForm):
    result = SelectField("Hasil kinerja unit", validators=[DataRequired("Pilih hasil kinerja unit.")],
                         description="Hasil ini menjadi penilaian hasil kerja kepala unit dan membatasi sebaran "
                                     "predikat pegawai di unit ini.")
    note = TextAreaField("Dasar penetapan", validators=[Optional(), Length(max=2000)],
                         description="Misalnya capaian indikator kinerja utama unit pada periode ini.")


class ReopenForm(FlaskForm):
    reason = TextAreaField(
        "Alasan membuka kembali", validators=[DataRequired("Tuliskan alasan membuka kembali periode."),
                                              Length(min=10, max=2000, message="Alasan 10 sampai 2.000 karakter.")],
        description="Dicatat di jejak audit, misalnya: koreksi absensi dari mesin sidik jari yang terlambat diimpor.",
    )
