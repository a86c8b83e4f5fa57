"""The performance cycle: starting a year, plans (SKP), periods and their close, appraisal
and ratings, unit results, and the operations the cycle diagram's service tasks call."""
