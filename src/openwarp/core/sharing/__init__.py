"""Pure rules for shared reports: reading pasted indicators."""
