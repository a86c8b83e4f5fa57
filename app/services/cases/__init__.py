"""Cases as HR and supervisors read them: lists, the case page, its diagram, retry after an error,
and firing due timers."""
