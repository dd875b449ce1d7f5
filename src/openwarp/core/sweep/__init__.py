"""Sweep members' own logs for the region's indicators (``openwarp sweep``).

Pure Python, no Django: the engine runs at the member, on its logs, and only
the sightings ever leave.
"""

from openwarp.core.sweep.readers import SweepWarning
from openwarp.core.sweep.runner import Hit
from openwarp.core.sweep.service import Summary, sweep_paths

__all__ = ["Hit", "Summary", "SweepWarning", "sweep_paths"]
