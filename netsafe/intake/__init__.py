"""Submission intake: templates for agencies, parsing and validation of what
comes back, and landing through netsafe.landing."""
