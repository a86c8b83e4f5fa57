"""Forms of the process designer pages: upload a diagram, roll back a version, start a migration."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional


class UploadProcessForm(FlaskForm):
    file = FileField("Berkas BPMN (.bpmn)", validators=[FileRequired("Pilih berkas .bpmn.")],
                     description="Diagram dari desainer ini atau dari alat BPMN 2.0 lain (mis. Camunda Modeler). "
                                 "Berkas disimpan sebagai draf; tidak ada kasus yang terpengaruh.")


class ActivateForm(FlaskForm):
    note = StringField("Alasan", validators=[Optional(), Length(max=300)])


class MigrationStartForm(FlaskForm):
    from_version = SelectField("Dari versi", coerce=int, validators=[DataRequired("Pilih versi asal.")])
    to_version = SelectField("Ke versi", coerce=int, validators=[DataRequired("Pilih versi tujuan.")])
