"""Monitoring during the year: monthly action plans, daily work logs with evidence, the
supervisor's validation, compliance per unit and the daily reminders."""
