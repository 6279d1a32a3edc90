"""Evidence Desk: the application core (no Qt here)."""

__version__ = "0.1.0"
