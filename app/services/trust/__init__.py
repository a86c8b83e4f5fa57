"""Trust: passwords and login with failure limits."""
