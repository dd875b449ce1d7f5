"""openwarp: a regional Warning, Advice and Reporting Point."""

__version__ = "0.1.0"
