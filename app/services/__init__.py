"""Use cases that combine models, the engine and the rules. The web layer calls only these."""
