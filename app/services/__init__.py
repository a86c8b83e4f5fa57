"""Use cases that combine models, the engine and the rules. The web layer calls only these."""
from flask_babel import force_locale

# The language of the msgids, in which the stored texts' own words are written.
STORED_LOCALE = "id"


def stored_language():
    """Render translated labels inside this when they go into a text kept in the database (the
    audit trail, notifications): such a text is written once, in Bahasa Indonesia, whatever the
    language of the user whose act writes it."""
    return force_locale(STORED_LOCALE)
