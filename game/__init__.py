"""Heartlight: a conversation card game where listening well lights the lamp."""

__version__ = "0.1.0"
