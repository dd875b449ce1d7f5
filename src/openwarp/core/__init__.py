"""The pure core of openwarp: plain Python, no Django, safe to use anywhere.

Hot paths (matching, sweeping, optimising) and every rule that can be stated
without a database live here so they can be tested and benchmarked alone.
"""
