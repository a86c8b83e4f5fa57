"""Attendance pages: the employee's check-in/out, and HR's import, leave/travel, calendar and offices."""
from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from app.core.errors import ServiceError
from app.extensions import db
from app.models import Absence, AttendanceImport, Employee, Holiday, OfficeLocation, OrgUnit, WorkSchedule
from app.models.statuses import DAY_STATUS_LABELS
from app.rules.periods import month_key
from app.services.access import scope
from app.services.attendance import calendars
from app.services.attendance import records as attendance
from app.services.attendance.days import classify_rows
from app.services.monitoring import settings as monitoring_settings
from app.services.monitoring import work_logs
from app.web.errors import HANDLED, action_form_required
from app.web.hr import hr_required
from app.web.paging import paginate
from forms.common import ActionForm
from forms.monitoring import (
    WEEKDAYS,
    AbsenceForm,
    CheckInForm,
    HolidayForm,
    ImportForm,
    LeaveRequestForm,
    OfficeForm,
    ScheduleForm,
    SettingsForm,
)

bp = Blueprint("attendance", __name__)

DAY_LABELS = DAY_STATUS_LABELS


@bp.route("/attendance", methods=["GET", "POST"])
@login_required
def check():
    if current_user.employee_id is None:
        abort(403, _("Presensi untuk pegawai yang memiliki data kepegawaian."))
    employee = current_user.employee
    form = CheckInForm()
    status = 200
    distance = None
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            attendance.check_in(db.session, current_user, form.kind.data, form.latitude.data, form.longitude.data,
                                form.accuracy.data)
            db.session.commit()
        except attendance.CheckInRefused as err:
            db.session.commit()  # keep the audit of the refused attempt
            flash(str(err), "danger")
            distance = err.distance
            status = 422
        except ServiceError as err:
            db.session.rollback()
            flash(str(err), "danger")
            status = 422
        else:
            flash(_("Presensi datang tercatat.") if form.kind.data == "in" else _("Presensi pulang tercatat."),
                  "success")
            return redirect(url_for("attendance.check"))
    today = work_logs.local_today(employee.unit.agency)
    first = today.replace(day=1)
    days = classify_rows(db.session, [employee.id], first, today - timedelta(days=1)) if today > first else []
    office = attendance.office_for(db.session, employee.unit)
    return render_template("attendance.html", form=form, punches=attendance.punches_on(db.session, employee, today),
                           days=days, office=office, distance=distance, today=today, day_labels=DAY_LABELS,
                           month=month_key(today)), status


@bp.route("/leave", methods=["GET", "POST"])
@login_required
def leave():
    if current_user.employee_id is None:
        abort(403, _("Permohonan cuti untuk pegawai yang memiliki data kepegawaian."))
    form = LeaveRequestForm()
    form.kind.choices = list(attendance.ABSENCE_KINDS.items())
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                attendance.request_absence(db.session, current_user, form.kind.data, form.starts_on.data,
                                           form.ends_on.data, form.reason.data)
                db.session.commit()
            except ServiceError as err:
                db.session.rollback()
                form.starts_on.errors = [str(err)]
                status = 422
            else:
                flash(_("Permohonan terkirim ke atasan Anda."), "success")
                return redirect(url_for("attendance.leave"))
        else:
            status = 422
    return render_template("leave.html", form=form, absences=attendance.own_absences(db.session, current_user),
                           kinds=attendance.ABSENCE_KINDS), status


# -- HR ------------------------------------------------------------------------------------------------

@bp.route("/hr/attendance/import", methods=["GET", "POST"])
@login_required
@hr_required
def import_csv():
    form = ImportForm()
    result = None
    status = 200
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        upload = form.file.data
        if upload is None or not upload.filename:
            form.file.errors = [_("Pilih berkas CSV.")]
            status = 422
        else:
            try:
                result = attendance.import_punches(db.session, current_user, upload.filename, upload.read(),
                                                   form.skip_invalid.data)
                db.session.commit()
            except HANDLED:
                raise
            except ServiceError as err:
                db.session.rollback()
                form.file.errors = [str(err)]
                status = 422
            else:
                if not result.saved:
                    status = 422
    agency_ids = {u.agency_id for u in scope.hr_units(db.session, current_user)}
    history = db.session.scalars(select(AttendanceImport).where(AttendanceImport.agency_id.in_(agency_ids))
                                 .order_by(AttendanceImport.imported_at.desc()).limit(20)).all()
    return render_template("hr_attendance_import.html", form=form, result=result, history=history), status


def _hr_paths():
    return [u.path for u in scope.hr_units(db.session, current_user)]


@bp.route("/hr/absences", methods=["GET", "POST"])
@login_required
@hr_required
def absences():
    form = AbsenceForm()
    form.kind.choices = list(attendance.ABSENCE_KINDS.items())
    status = 200
    if request.method == "POST":
        if form.validate():
            nip = "".join((form.nip.data or "").split())
            employee = db.session.scalars(select(Employee).where(Employee.nip == nip)).first()
            if employee is None:
                form.nip.errors = [_("Pegawai dengan NIP %(nip)s tidak ditemukan.", nip=nip)]
                status = 422
            else:
                try:
                    attendance.record_absence(db.session, current_user, employee.id, form.kind.data,
                                              form.starts_on.data, form.ends_on.data, form.reason.data)
                    db.session.commit()
                except HANDLED:
                    raise
                except ServiceError as err:
                    db.session.rollback()
                    form.starts_on.errors = [str(err)]
                    status = 422
                else:
                    flash(_("%(kind)s %(name)s tercatat.", kind=attendance.ABSENCE_KINDS[form.kind.data],
                            name=employee.name), "success")
                    return redirect(url_for("attendance.absences"))
        else:
            status = 422
    q = request.args.get("q", "").strip()
    stmt = (select(Absence).join(Employee, Employee.id == Absence.employee_id)
            .join(OrgUnit, OrgUnit.id == Employee.unit_id)
            .where(or_(*[OrgUnit.path.like(f"{p}%") for p in _hr_paths()]))
            .options(selectinload(Absence.employee)).order_by(Absence.starts_on.desc(), Absence.id.desc()))
    if q:
        stmt = stmt.where(or_(Employee.name.ilike(f"%{q}%"), Employee.nip.like(f"%{q}%")))
    return render_template("hr_absences.html", form=form, page=paginate(db.session, stmt), q=q,
                           kinds=attendance.ABSENCE_KINDS, action_form=ActionForm()), status


@bp.route("/hr/absences/<int:absence_id>/cancel", methods=["POST"])
@login_required
@hr_required
@action_form_required
def cancel_absence(absence_id):
    attendance.cancel_absence(db.session, current_user, absence_id)
    db.session.commit()
    flash(_("Cuti/dinas luar dibatalkan."), "info")
    return redirect(url_for("attendance.absences"))


def _schedule_pairs(form: ScheduleForm) -> dict:
    return {str(i): (getattr(form, f"start_{i}").data, getattr(form, f"end_{i}").data) for i in range(7)}


@bp.route("/hr/calendar", methods=["GET", "POST"])
@login_required
@hr_required
def calendar():
    agency = scope.hr_units(db.session, current_user)[0].agency
    holiday_form = HolidayForm(prefix="h")
    schedule_form = ScheduleForm(prefix="s")
    settings_form = SettingsForm(prefix="t")
    status = 200
    action = request.form.get("action")
    if request.method == "POST":
        try:
            if action == "load_national":
                loaded = calendars.load_national(db.session, request.form.get("year", type=int) or 0,
                                                 current_user.id)
                flash(_("Hari libur nasional %(year)s dimuat: %(holidays)s hari libur, %(joint_leave)s cuti "
                        "bersama. Periksa dan sesuaikan bila keputusan pemerintah berbeda.", year=loaded.year,
                        holidays=loaded.holidays, joint_leave=loaded.joint_leave), "info")
            elif action == "holiday" and holiday_form.validate():
                attendance.add_holiday(db.session, current_user, holiday_form.day.data, holiday_form.name.data,
                                       holiday_form.kind.data, holiday_form.national.data)
            elif action == "schedule" and schedule_form.validate():
                attendance.save_schedule(db.session, current_user, schedule_form.name.data,
                                         schedule_form.starts_on.data, schedule_form.ends_on.data,
                                         _schedule_pairs(schedule_form),
                                         request.form.get("schedule_id", type=int))
            elif action == "settings" and settings_form.validate():
                monitoring_settings.save_settings(db.session, current_user, settings_form.monthly_target_minutes.data,
                                         settings_form.daily_cap_minutes.data)
            else:
                raise ServiceError(_("Periksa isian yang ditandai."))
            db.session.commit()
        except ServiceError as err:
            db.session.rollback()
            flash(str(err), "danger")
            status = 422
        else:
            flash(_("Tersimpan."), "success")
            return redirect(url_for("attendance.calendar", year=request.form.get("year", type=int)))
    year = request.args.get("year", type=int) or current_user.today().year
    if not calendars.FIRST_YEAR <= year <= calendars.LAST_YEAR:
        abort(404, _("Kalender hanya untuk tahun %(first)s–%(last)s.", first=calendars.FIRST_YEAR,
                     last=calendars.LAST_YEAR))
    holidays = db.session.scalars(select(Holiday).where(
        or_(Holiday.agency_id.is_(None), Holiday.agency_id == agency.id),
        Holiday.day >= date(year, 1, 1), Holiday.day <= date(year, 12, 31)).order_by(Holiday.day)).all()
    schedules = db.session.scalars(select(WorkSchedule).where(WorkSchedule.agency_id == agency.id)
                                   .order_by(WorkSchedule.starts_on.is_not(None), WorkSchedule.starts_on)).all()
    target, cap = work_logs.settings_for(db.session, agency.id)
    if request.method == "GET":
        settings_form.monthly_target_minutes.data, settings_form.daily_cap_minutes.data = target, cap
    return render_template("hr_calendar.html", holidays=holidays, schedules=schedules, year=year,
                           year_missing=bool(calendars.missing_years(db.session, [year])),
                           holiday_form=holiday_form, schedule_form=schedule_form, settings_form=settings_form,
                           weekdays=WEEKDAYS, action_form=ActionForm()), status


@bp.route("/hr/calendar/holidays/<int:holiday_id>/delete", methods=["POST"])
@login_required
@hr_required
@action_form_required
def delete_holiday(holiday_id):
    attendance.delete_holiday(db.session, current_user, holiday_id)
    db.session.commit()
    flash(_("Hari libur dihapus."), "info")
    return redirect(url_for("attendance.calendar"))


@bp.route("/hr/calendar/schedules/<int:schedule_id>/delete", methods=["POST"])
@login_required
@hr_required
@action_form_required
def delete_schedule(schedule_id):
    attendance.delete_schedule(db.session, current_user, schedule_id)
    db.session.commit()
    flash(_("Jadwal khusus dihapus."), "info")
    return redirect(url_for("attendance.calendar"))


@bp.route("/hr/offices", methods=["GET", "POST"])
@login_required
@hr_required
def offices():
    units = scope.hr_units(db.session, current_user)
    form = OfficeForm()
    form.unit_id.choices = [(u.id, ("— " * (u.path.count("/") - 2)) + u.name) for u in units]
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                attendance.save_office(db.session, current_user, form.unit_id.data, form.name.data,
                                       form.latitude.data, form.longitude.data, form.radius_m.data)
                db.session.commit()
            except HANDLED:
                raise
            except ServiceError as err:
                db.session.rollback()
                form.latitude.errors = [str(err)]
                status = 422
            else:
                flash(_("Lokasi kantor tersimpan."), "success")
                return redirect(url_for("attendance.offices"))
        else:
            status = 422
    located = {o.unit_id: o for o in db.session.scalars(
        select(OfficeLocation).where(OfficeLocation.unit_id.in_([u.id for u in units])))}
    return render_template("hr_offices.html", form=form, units=units, located=located), status
