"""Incident pages: records, breach report, anonymous channel, regional figures."""
