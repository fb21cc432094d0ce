"""smspool-tui: a keyboard-driven terminal client for the SMSPool API."""

__version__ = "0.1.0"
