"""Writes to members: organisations, networks, people, tokens, second factor."""
