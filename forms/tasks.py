"""Forms for the other task keys: plan review, dialog, ratings, follow-ups and the generic ones."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, FormField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app.rules.ratings import BERAKHLAK, RATING_LABELS, RATINGS
from forms.plan import ExpectationsForm

RATING_CHOICES = [(r, RATING_LABELS[r]) for r in reversed(RATINGS)]


class ReviewForm(FlaskForm):
    decision = RadioField(_l("Keputusan"),
                          choices=[("approve", _l("Setujui SKP")), ("return", _l("Kembalikan untuk diperbaiki"))],
                          validators=[InputRequired(_l("Pilih keputusan."))])
    # No Optional(): it stops the chain on a blank note, so validate_note would never run.
    note = TextAreaField(_l("Catatan untuk pegawai"), validators=[Length(max=4000)],
                         description=_l("Wajib bila SKP dikembalikan."))
    expectations = FormField(ExpectationsForm)

    def validate_note(self, field):
        if self.decision.data == "return" and not (field.data or "").strip():
            raise ValidationError(_("Tulis catatan untuk pegawai saat mengembalikan SKP."))

    def payload(self) -> dict:
        return {"decision": self.decision.data, "note": self.note.data,
                "expectations": {k: getattr(self.expectations.form, k).data for k, _label in BERAKHLAK}}


def _viewer_today():
    """Today where the person filling the form works, not on the server (UTC)."""
    return current_user.today()


class DialogForm(FlaskForm):
    held_on = DateField(_l("Tanggal dialog"), default=_viewer_today,
                        validators=[DataRequired(_l("Isi tanggal dialog."))])
    notes = TextAreaField(_l("Catatan dialog"),
                          validators=[DataRequired(_l("Catatan dialog wajib diisi.")), Length(max=8000)])
    follow_ups = TextAreaField(_l("Tindak lanjut yang disepakati"), validators=[Optional(), Length(max=8000)])

    def payload(self) -> dict:
        return {"held_on": self.held_on.data, "notes": self.notes.data, "follow_ups": self.follow_ups.data}


class BehaviourForm(FlaskForm):
    class Meta:
        csrf = False


for _key, _label in BERAKHLAK:
    setattr(BehaviourForm, _key, RadioField(
        _label, choices=RATING_CHOICES, validators=[InputRequired(_l("Pilih nilai untuk %(value)s.", value=_label))]))


class RatingForm(FlaskForm):
    results_rating = RadioField(_l("Hasil kerja"), choices=RATING_CHOICES,
                                validators=[InputRequired(_l("Pilih penilaian hasil kerja."))])
    behaviour = FormField(BehaviourForm)
    notes = TextAreaField(_l("Catatan penilaian"), validators=[Optional(), Length(max=8000)])

    def payload(self) -> dict:
        return {"results_rating": self.results_rating.data,
                "behaviour": {k: getattr(self.behaviour.form, k).data for k, _label in BERAKHLAK},
                "notes": self.notes.data}


class FollowUpForm(FlaskForm):
    decision = SelectField(_l("Keputusan"), choices=[], validators=[DataRequired(_l("Pilih keputusan."))])
    notes = TextAreaField(_l("Catatan"), validators=[DataRequired(_l("Catatan wajib diisi.")), Length(max=8000)])

    def payload(self) -> dict:
        return {"decision": self.decision.data, "notes": self.notes.data}


class ApprovalForm(FlaskForm):
    decision = RadioField(_l("Keputusan"), choices=[("approve", _l("Setujui")), ("reject", _l("Tolak"))],
                          validators=[InputRequired(_l("Pilih keputusan."))])
    note = TextAreaField(_l("Catatan"), validators=[Optional(), Length(max=4000)])

    def payload(self) -> dict:
        return {"decision": self.decision.data, "note": self.note.data}


class AcknowledgeForm(FlaskForm):
    def payload(self) -> dict:
        return {}


class NoteForm(FlaskForm):
    notes = TextAreaField(_l("Catatan"), validators=[DataRequired(_l("Catatan wajib diisi.")), Length(max=8000)])

    def payload(self) -> dict:
        return {"notes": self.notes.data}
