"""Who may see what and act on what: the scope of every query (own, subordinates, HR and auditor
units) and the rights on a human task. Every area reads through here; it reads only the models."""
