"""Reads for incidents, every one filtered by `policy.incidents`."""
