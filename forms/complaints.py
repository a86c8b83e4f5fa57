"""Forms for complaints: filing one, the PIC's and IT's step, the employee's answer and
confirmation, a comment, the desk's bulk reassignment and the SLA targets."""
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, MultipleFileField, RadioField, SelectField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.rules import uploads as upload_rules
from app.rules.sla import CATEGORIES, CATEGORY_LABELS, MAX_HOURS, MAX_TEXT

FILES_HELP = _l("Tangkapan layar atau berkas pendukung (PDF, JPG, PNG, dokumen kantor), paling banyak %(count)s "
                "berkas.", count=upload_rules.MAX_FILES)
TOO_LONG = _l("Paling banyak %(count)s karakter.", count=MAX_TEXT)


class _WithFiles(FlaskForm):
    """A form with an optional `files` field whose uploads are read once and checked before saving."""

    files = MultipleFileField(lazy_pgettext("files", "Lampiran"), description=FILES_HELP)

    def uploads(self) -> list[upload_rules.Upload]:
        if not hasattr(self, "_uploads"):
            self._uploads = [upload_rules.Upload(f.filename, f.read()) for f in (self.files.data or [])
                             if getattr(f, "filename", "")]
        return self._uploads

    def validate_files(self, field):
        uploads = self.uploads()
        if len(uploads) > upload_rules.MAX_FILES:
            raise ValidationError(_("Paling banyak %(count)s berkas sekaligus.", count=upload_rules.MAX_FILES))
        for upload in uploads:
            try:
                upload_rules.check(upload, current_app.config["EVIDENCE_MAX_BYTES"])
            except upload_rules.UploadRefused as err:
                raise ValidationError(str(err)) from err


class ComplaintForm(_WithFiles):
    category = SelectField(_l("Kategori kendala"),
                           choices=[("", _l("— pilih —"))] + [(c, CATEGORY_LABELS[c]) for c in CATEGORIES],
                           validators=[InputRequired(_l("Pilih kategori kendala."))])
    description = TextAreaField(
        _l("Uraian kendala"), validators=[Length(max=MAX_TEXT, message=TOO_LONG)],
        description=_l("Apa yang Anda lakukan, apa yang terjadi, dan pesan galat yang muncul (bila ada)."))
    related_task_id = SelectField(_l("Terkait tugas"), coerce=int, choices=[(0, _l("Tidak terkait tugas tertentu"))],
                                  validators=[Optional()])
    source_url = HiddenField()

    def validate_category(self, field):
        if field.data not in CATEGORIES:
            raise ValidationError(_("Pilih kategori kendala."))

    # Length(min=1) would accept a description of spaces; the strip makes "empty" mean empty.
    def validate_description(self, field):
        if not (field.data or "").strip():
            raise ValidationError(_("Uraian kendala wajib diisi: ceritakan apa yang terjadi."))


class StaffActionForm(_WithFiles):
    """The PIC's or IT's step; the decisions offered come from the form registry."""

    decision = RadioField(_l("Tindakan"), choices=[], validators=[InputRequired(_l("Pilih tindakan."))])
    message = TextAreaField(_l("Pesan untuk pegawai"), validators=[Length(max=MAX_TEXT, message=TOO_LONG)],
                            description=_l("Pegawai membaca pesan ini di halaman pengaduannya."))

    def validate_message(self, field):
        if not (field.data or "").strip():
            raise ValidationError(_("Tulis pesan untuk pegawai: jawaban, pertanyaan, atau cara penyelesaiannya."))

    def payload(self) -> dict:
        return {"decision": self.decision.data, "message": self.message.data, "files": self.uploads()}


class InfoForm(_WithFiles):
    message = TextAreaField(_l("Informasi yang diminta"), validators=[Length(max=MAX_TEXT, message=TOO_LONG)])

    def validate_message(self, field):
        if not (field.data or "").strip():
            raise ValidationError(_("Tuliskan informasi yang diminta petugas."))

    def payload(self) -> dict:
        return {"message": self.message.data, "files": self.uploads()}


class ConfirmForm(_WithFiles):
    decision = RadioField(_l("Apakah kendala Anda sudah teratasi?"), choices=[],
                          validators=[InputRequired(_l("Pilih apakah kendala sudah teratasi."))])
    message = TextAreaField(_l("Catatan"), validators=[Length(max=MAX_TEXT, message=TOO_LONG)],
                            description=_l("Wajib bila Anda membuka kembali pengaduan: apa yang masih belum "
                                           "berfungsi."))

    def validate_message(self, field):
        if self.decision.data == "reopen" and not (field.data or "").strip():
            raise ValidationError(_("Tuliskan apa yang masih belum berfungsi."))

    def payload(self) -> dict:
        return {"decision": self.decision.data, "message": self.message.data, "files": self.uploads()}


class CommentForm(_WithFiles):
    message = TextAreaField(_l("Tambahkan informasi"), validators=[Length(max=MAX_TEXT, message=TOO_LONG)])

    def validate_message(self, field):
        if not (field.data or "").strip():
            raise ValidationError(_("Tulis informasi yang ingin Anda tambahkan."))


class ReassignForm(FlaskForm):
    """Bulk reassignment on the desk; the complaints are the ticked `complaint_ids` of the list."""

    target = SelectField(_l("Alihkan ke"), coerce=int, choices=[], validate_choice=False,
                         description=_l("Pilih petugas pengganti, atau kembalikan ke antrean kelompok."))


def sla_targets_form(categories_with_values: dict[str, tuple[int, int]]):
    """One pair of fields per category, named response_<category> and resolution_<category>."""

    class SlaTargetsForm(FlaskForm):
        pass

    for category, (response, resolution) in categories_with_values.items():
        label = CATEGORY_LABELS[category]
        hours = [InputRequired(_("Isi jumlah jam kerja.")),
                 NumberRange(1, MAX_HOURS, _("Isi 1 sampai %(hours)s jam kerja.", hours=MAX_HOURS))]
        setattr(SlaTargetsForm, f"response_{category}",
                IntegerField(_("%(category)s: respons pertama (jam kerja)", category=label), default=response,
                             validators=hours))
        setattr(SlaTargetsForm, f"resolution_{category}",
                IntegerField(_("%(category)s: penyelesaian (jam kerja)", category=label), default=resolution,
                             validators=hours))
    return SlaTargetsForm
