"""Attendance: check-in and out, device imports, leave and travel, day classification for the
allowance, and the agency's calendars (national holidays per year)."""
