"""External indicator feeds: source grading and matching whole feeds at once."""
