"""Notifications: a row per user in the app, and a mail when SMTP is configured and the user has
an address. Mail is a job enqueued after the caller commits, so a rolled-back action mails nobody
and no request waits for the mail server."""
import logging
import smtplib
from email.message import EmailMessage

from flask import current_app, has_app_context
from sqlalchemy import Engine, event, func, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.clock import utcnow
from app.core.errors import ServiceError
from app.core.jobs import queue
from app.models import Notification, OrgUnit, User

log = logging.getLogger(__name__)
_PENDING = "pending_notification_mail"
MAIL_JOB = "workers.jobs.send_notification_mail"


def notify(session: Session, user_id: int, text: str, link: str | None = None, key: str | None = None) -> bool:
    """Add a notification; with `key`, at most one per user and key (for jobs that may rerun).

    Returns False when a notification with that key already exists. The caller commits.
    """
    notification = Notification(user_id=user_id, text=text[:500], link=(link or None) and link[:300],
                                created=utcnow(), dedupe_key=key)
    if key is None:
        session.add(notification)
    else:
        if session.scalar(select(Notification.id).where(
                Notification.user_id == user_id, Notification.dedupe_key == key)) is not None:
            return False
        # Two runs of a job (two local runners, or cron and a manual run) can pass the check
        # together; the unique key decides, and the loser's savepoint alone is undone.
        try:
            with session.begin_nested():
                session.add(notification)
        except IntegrityError:
            return False
    if has_app_context() and current_app.config.get("SMTP_HOST"):
        session.info.setdefault(_PENDING, []).append(notification)
    return True


@event.listens_for(Session, "after_commit")
def _enqueue_pending_mail(session):
    """Mail goes out as a job after the commit: a slow or absent mail server never holds a request
    or a period-close batch, and a rolled-back action mails nobody."""
    pending = session.info.pop(_PENDING, None)
    if not pending or not has_app_context():
        return
    ids = [identity[0] for identity in (inspect(n).identity for n in pending) if identity]
    try:
        queue.enqueue(MAIL_JOB, ids)
    except ServiceError:
        log.warning("notification mail for %s not queued; the notifications are saved", ids)


def send_mail(engine: Engine, notification_ids: list[int]) -> int:
    """Mail these notifications to those of their users who have an address; the number sent."""
    config = current_app.config
    if not config.get("SMTP_HOST") or not notification_ids:
        return 0
    with Session(bind=engine) as reader:
        rows = reader.execute(select(User.email, Notification.text, Notification.link)
                              .join(User, User.id == Notification.user_id)
                              .where(Notification.id.in_(notification_ids), User.email.is_not(None))
                              .order_by(Notification.id)).all()
    if not rows:
        return 0
    try:
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=10) as smtp:
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config["SMTP_USER"]:
                smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"] or "")
            for email, text, link in rows:
                smtp.send_message(_message(config["SMTP_SENDER"], email, text, link))
    except (OSError, smtplib.SMTPException):
        # The in-app notification is saved either way; a mail server outage must not undo it.
        log.exception("notification mail failed")
        return 0
    return len(rows)


@event.listens_for(Session, "after_rollback")
def _drop_pending_mail(session):
    session.info.pop(_PENDING, None)


def _message(sender: str, to: str, text: str, link: str | None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = "Siklus Kinerja: " + (text[:60] + "…" if len(text) > 60 else text)
    message.set_content(text + (f"\n\n{link}" if link else ""))
    return message


def unread_count(session: Session, user_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None)))


def nav_fact_columns(user: User) -> list:
    """Unread notifications and whether the user heads a unit, as labelled scalar subqueries:
    every page shows both, read with the inbox counts in one round trip."""
    unread = select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)).scalar_subquery()
    heads = select(func.count()).select_from(OrgUnit).where(
        OrgUnit.head_employee_id == (user.employee_id or -1)).scalar_subquery()
    return [unread.label("unread"), heads.label("units_headed")]


def list_query(user_id: int, unread_only: bool = False):
    stmt = select(Notification).where(Notification.user_id == user_id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    return stmt.order_by(Notification.created.desc(), Notification.id.desc())


def mark_read(session: Session, user_id: int, notification_id: int | None = None) -> int:
    """Mark one (or, without an id, all) of the user's notifications read; the caller commits."""
    stmt = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    return session.execute(stmt.values(read_at=utcnow())).rowcount
