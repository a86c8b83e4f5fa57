"""The language of what is written to the database.

A notification, a complaint's thread, an audit summary or a case error is written once and read
by everyone, so it is in the app's own language (the Indonesian of the msgids), whichever
language the user whose request wrote it reads. A label or a message that is also shown (and
so is lazy, or raised lazily) goes into such a text through `stored`.
"""
from datetime import date

from flask_babel import force_locale, format_date

# Bahasa Indonesia: the msgids themselves, so no catalog is needed for it.
STORED_LOCALE = "id"


def stored_language():
    """Inside this, translated labels render in the stored language: for building a text that is
    kept (the audit trail, notifications) out of labels that are also shown."""
    return force_locale(STORED_LOCALE)


def stored(text) -> str:
    """`text` (a lazy string, or an exception raised with one) as the app's own language says it."""
    with stored_language():
        return str(text)


def month_name(first_day: date) -> str:
    """The month of `first_day` in the reader's language (April 2026), for what a page shows; a
    stored text names its month with app.rules.periods.month_label instead."""
    return format_date(first_day, "MMMM yyyy")
