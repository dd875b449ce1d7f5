"""Mutual-aid pages: the roster, requests, offers, deployments and the conflict list."""
