"""Small forms used by pages: login, claim/release, cycle start, period close, retry."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class LoginForm(FlaskForm):
    # Phones capitalise the first letter ("Staf02") unless told not to; user names are lower case.
    username = StringField(_l("Nama pengguna"), validators=[DataRequired(_l("Isi nama pengguna.")), Length(max=60)],
                           render_kw={"autocomplete": "username", "autocapitalize": "none", "autocorrect": "off",
                                      "spellcheck": "false"})
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(_l("Isi kata sandi."))],
                             render_kw={"autocomplete": "current-password"})


class ActionForm(FlaskForm):
    """A form with only the CSRF token, for buttons that post."""


class StartCycleForm(FlaskForm):
    unit_id = SelectField(_l("Unit kerja"), coerce=int, validators=[DataRequired(_l("Pilih unit kerja."))])
    year = IntegerField(_l("Tahun"), validators=[DataRequired(_l("Isi tahun.")),
                                                 NumberRange(2000, 2100, _l("Tahun tidak valid."))])
    # Set by the confirmation shown for a year already over.
    past_year_confirmed = HiddenField()


class ForceCloseMonthForm(FlaskForm):
    reason = TextAreaField(
        _l("Alasan menutup bulan"), validators=[DataRequired(_l("Tulis alasannya.")), Length(
            min=10, max=1000, message=_l("Alasan 10 sampai 1.000 karakter."))],
        description=_l("Dicatat di riwayat kasus dan dikirim ke atasan dan pegawai. Menit yang sudah divalidasi "
                       "dihitung; entri yang belum diputuskan tidak."))


class RetryForm(FlaskForm):
    data_fix = TextAreaField(
        _l("Data perbaikan (JSON, opsional)"), validators=[Optional(), Length(max=4000)],
        description=_l('Misalnya {"plan_decision": "approve"} bila langkah gagal karena variabel tidak ada.'),
    )


class UnitResultForm(FlaskForm):
    result = SelectField(_l("Hasil kinerja unit"), validators=[DataRequired(_l("Pilih hasil kinerja unit."))],
                         description=_l("Hasil ini menjadi penilaian hasil kerja kepala unit dan membatasi sebaran "
                                        "predikat pegawai di unit ini."))
    note = TextAreaField(_l("Dasar penetapan"), validators=[Optional(), Length(max=2000)],
                         description=_l("Misalnya capaian indikator kinerja utama unit pada periode ini."))


class ReopenForm(FlaskForm):
    reason = TextAreaField(
        _l("Alasan membuka kembali"), validators=[DataRequired(_l("Tuliskan alasan membuka kembali periode.")),
                                                  Length(min=10, max=2000,
                                                         message=_l("Alasan 10 sampai 2.000 karakter."))],
        description=_l("Dicatat di jejak audit, misalnya: koreksi absensi dari mesin sidik jari yang terlambat "
                       "diimpor."),
    )
