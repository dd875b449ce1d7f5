"""Writes for sharing: reports, their release, sightings."""
