"""Great-circle distance: the issue accepts straight-line distance as the travel measure.

One function serves both the vectorised candidate builder and the plan checker, so
the two can never disagree about a plan's travel by a rounding step.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

#: Mean Earth radius (IUGG), in metres.
EARTH_RADIUS_M = 6_371_008.8

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def distance_m(
    lat1: float | FloatArray,
    lon1: float | FloatArray,
    lat2: float | FloatArray,
    lon2: float | FloatArray,
) -> IntArray:
    """Haversine distance in whole metres (rounded), element-wise over numpy arrays.

    Whole metres make the travel objective an integer, which both the min-cost-flow
    and the CP-SAT solvers need, and keep the two solvers' totals comparable exactly.
    """
    return distance_from(lat1, lon1, Points(np.atleast_1d(lat2), np.atleast_1d(lon2)))


class Points:
    """Many locations with their trigonometry done once: a roster is measured 2,000 times."""

    def __init__(self, lat: FloatArray, lon: FloatArray) -> None:
        self.phi = np.radians(lat)
        self.lam = np.radians(lon)
        self.cos_phi = np.cos(self.phi)

    def subset(self, index: IntArray) -> Points:
        out = Points.__new__(Points)
        out.phi, out.lam, out.cos_phi = self.phi[index], self.lam[index], self.cos_phi[index]
        return out


def distance_from(lat: float | FloatArray, lon: float | FloatArray, points: Points) -> IntArray:
    """Whole metres from (lat, lon) to each of ``points``."""
    phi = np.radians(lat)
    h = (
        np.sin((points.phi - phi) / 2.0) ** 2
        + np.cos(phi) * points.cos_phi * np.sin((points.lam - np.radians(lon)) / 2.0) ** 2
    )
    d = 2.0 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return np.rint(np.atleast_1d(d)).astype(np.int64)
