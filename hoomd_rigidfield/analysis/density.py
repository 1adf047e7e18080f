"""Local density and partial radial distribution functions of binary mixtures (freud).

The local density of two-step nucleation :cite:`marino2024` (:func:`local_density`,
:data:`~hoomd_rigidfield.analysis.reference_values.LOCAL_DENSITY_THRESHOLDS`) and the partial
RDFs :math:`g_{LL}, g_{LS}, g_{SS}` (:func:`partial_rdfs`).
"""

from __future__ import annotations

from typing import Any

import freud
import numpy as np

from hoomd_rigidfield.analysis import lattices
from hoomd_rigidfield.analysis.classifier import as_lattice_system
from hoomd_rigidfield.analysis.reference_values import (
    LOCAL_DENSITY_DIAMETER,
    LOCAL_DENSITY_R_MAX,
    LOCAL_DENSITY_THRESHOLDS,
)


def local_density(
    system: Any,
    r_max: float = LOCAL_DENSITY_R_MAX,
    diameter: float = LOCAL_DENSITY_DIAMETER,
    query_mask: Any | None = None,
) -> np.ndarray:
    """Local number density around particles (``freud.density.LocalDensity``), as in :cite:`marino2024`.

    All particles count equally (number density of the mixture); a particle does not count
    itself. Neighbours are weighted linearly from 1 at distance ``r_max - diameter/2`` to 0 at
    ``r_max + diameter/2``, and the sum is divided by :math:`\\frac43\\pi r_{max}^3`
    (:math:`\\pi r_{max}^2` in 2D). For a homogeneous fluid of density :math:`\\rho` this gives
    :math:`\\rho\\,(1 + d^2/(4 r_{max}^2))` in 3D.

    Args:
        system: Any form accepted by :meth:`BinaryCrystalClassifier.compute` (``(box, points)``
            needs no type information here).
        r_max (float): Cutoff radius :math:`[\\mathrm{length}]`, > 0.
        diameter (float): Smoothing diameter :math:`[\\mathrm{length}]`, >= 0.
        query_mask ((N,) numpy.ndarray): Boolean mask of the particles around which the density
            is returned (e.g. the large ones); default all.

    Returns:
        numpy.ndarray: Local density :math:`[\\mathrm{length}^{-3}]` of each (selected) particle.
    """
    if not (np.isfinite(r_max) and r_max > 0):
        raise ValueError(f"r_max must be > 0, got {r_max!r}")
    if not (np.isfinite(diameter) and diameter >= 0):
        raise ValueError(f"diameter must be >= 0, got {diameter!r}")
    ls, _ = as_lattice_system(system, _dummy_mask(system))
    ld = freud.density.LocalDensity(float(r_max), float(diameter)).compute(ls.as_system())
    density = np.array(ld.density, dtype=np.float64)
    if query_mask is None:
        return density
    qm = np.asarray(query_mask)
    if qm.dtype != bool or qm.shape != (ls.num_particles,):
        raise ValueError(
            f"query_mask must be a boolean mask of shape ({ls.num_particles},), "
            f"got {qm.dtype} array of shape {qm.shape}"
        )
    return density[qm]


def _dummy_mask(system: Any) -> np.ndarray | None:
    """An all-False is_large mask for (box, points) systems, where no types are needed."""
    if isinstance(system, lattices.LatticeSystem) or (
        hasattr(system, "particles") and hasattr(system, "configuration")
    ):
        return None
    if isinstance(system, freud.locality.NeighborQuery):
        return np.zeros(len(system.points), dtype=bool)
    try:
        _, points = system
    except (TypeError, ValueError):
        return None
    return np.zeros(len(np.asarray(points)), dtype=bool)


def dense_fraction(density: Any, threshold: float | str) -> float:
    """Fraction of particles whose local density exceeds a threshold.

    Args:
        density: Local densities (:func:`local_density`).
        threshold: Density :math:`[\\mathrm{length}^{-3}]`, or a key of
            :data:`LOCAL_DENSITY_THRESHOLDS` (``"fcc"``, ``"AlB2"``, ``"NaZn13"``).

    Returns:
        float: Fraction of entries strictly above the threshold.
    """
    if isinstance(threshold, str):
        if threshold not in LOCAL_DENSITY_THRESHOLDS:
            raise ValueError(
                f"threshold name must be one of {tuple(LOCAL_DENSITY_THRESHOLDS)}, "
                f"got {threshold!r}"
            )
        threshold = LOCAL_DENSITY_THRESHOLDS[threshold]
    rho = np.asarray(density, dtype=float)
    if rho.size == 0:
        raise ValueError("density is empty")
    return float(np.count_nonzero(rho > float(threshold))) / rho.size


def partial_rdfs(
    system: Any,
    is_large: Any | None = None,
    r_max: float = 3.0,
    bins: int = 150,
    r_min: float = 0.0,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Partial radial distribution functions :math:`g_{LL}, g_{LS}, g_{SS}` (``freud.density.RDF``).

    :math:`g_{ab}(r)` is the density of b particles at distance r from an a particle divided by
    the mean density of b (freud's ``"exact"`` normalisation, which for the like pairs uses
    :math:`N_b - 1` and for the cross pair the disjoint sets), so every partial tends to 1 at
    large r in a homogeneous mixture and :math:`g_{LS} = g_{SL}`.

    Args:
        system: Any form accepted by :meth:`BinaryCrystalClassifier.compute`.
        is_large ((N,) numpy.ndarray): Boolean mask of the large particles (required for
            ``(box, points)``).
        r_max (float): Largest distance :math:`[\\mathrm{length}]`; must be below half the
            smallest box width.
        bins (int): Number of bins, >= 1.
        r_min (float): Smallest distance :math:`[\\mathrm{length}]`, in [0, r_max).

    Returns:
        dict[str, tuple[numpy.ndarray, numpy.ndarray]]: ``"LL"``, ``"LS"``, ``"SS"`` -> (bin
        centres, g). A pair is left out when a species has too few particles (fewer than 2 for a
        like pair, 0 for the cross pair).
    """
    if isinstance(bins, bool) or int(bins) != bins or bins < 1:
        raise ValueError(f"bins must be an integer >= 1, got {bins!r}")
    if not (np.isfinite(r_max) and 0 <= r_min < r_max):
        raise ValueError(f"need 0 <= r_min < r_max, got r_min={r_min!r}, r_max={r_max!r}")
    ls, mask = as_lattice_system(system, is_large)
    groups = {"L": ls.positions[mask], "S": ls.positions[~mask]}
    out = {}
    for a, b in (("L", "L"), ("L", "S"), ("S", "S")):
        pa, pb = groups[a], groups[b]
        if (a == b and len(pa) < 2) or len(pa) == 0 or len(pb) == 0:
            continue
        rdf = freud.density.RDF(int(bins), float(r_max), float(r_min))
        if a == b:
            rdf.compute((ls.box, pa))
        else:
            rdf.compute((ls.box, pb), query_points=pa)
        out[a + b] = (np.array(rdf.bin_centers, dtype=float), np.array(rdf.rdf, dtype=float))
    return out
