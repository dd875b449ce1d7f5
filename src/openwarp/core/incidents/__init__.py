"""Incidents and personal-data breaches: categories, deadlines and the ICO report.

Pure Python (no Django): the hub stores incidents; the rules about time --
the 72-hour clocks, which times are plausible -- are decided here so they
can be tested across time zones without a database.
"""
