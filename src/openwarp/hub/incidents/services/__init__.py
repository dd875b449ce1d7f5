"""Writes for incidents: records, breach reports and the anonymous channel."""
