"""Writes for mutual aid: the roster, requests, offers and deployments."""
