"""Forms of the process designer pages: upload a diagram, roll back a version, start a migration."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional


class UploadProcessForm(FlaskForm):
    file = FileField(_l("Berkas BPMN (.bpmn)"), validators=[FileRequired(_l("Pilih berkas .bpmn."))],
                     description=_l("Diagram dari desainer ini atau dari alat BPMN 2.0 lain (mis. Camunda Modeler). "
                                    "Berkas disimpan sebagai draf; tidak ada kasus yang terpengaruh."))


class ActivateForm(FlaskForm):
    note = StringField(_l("Alasan"), validators=[Optional(), Length(max=300)])


class MigrationStartForm(FlaskForm):
    from_version = SelectField(_l("Dari versi"), coerce=int, validators=[DataRequired(_l("Pilih versi asal."))])
    to_version = SelectField(_l("Ke versi"), coerce=int, validators=[DataRequired(_l("Pilih versi tujuan."))])
