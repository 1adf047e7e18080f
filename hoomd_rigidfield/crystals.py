"""Crystal identification for binary nanocrystal mixtures (fcc, AlB2, NaZn13), freud style.

The *large* particles are classified (seed paper 002, Marino, LaCour et al., Nat. Synth. 2023,
reports the crystalline fraction :math:`N_\\mathrm{crys}/N_L`). For every phase window
(:class:`PhaseWindow`) and every L particle:

1. Lechner-Dellago averaged :math:`\\bar q_4, \\bar q_6`
   (``freud.order.Steinhardt([4, 6], average=True)``) on the L-only sublattice with the
   ``num_neighbors`` nearest L neighbours of the reference (12 fcc, 8 AlB2, 6 NaZn13);
2. the number of S particles within :math:`r_{LS}\\, d_{LL}`, where :math:`r_{LS}` is the
   midpoint of the first two L-S shells of the reference and :math:`d_{LL}` the measured L-L
   distance (median distance to the 6 nearest L, or given);
3. the number of coherent bonds of the ten Wolde criterion (``freud.order.SolidLiquid``,
   :math:`q_l(i)\\cdot q_l(j) > 0.7` over the same neighbours).

A particle is of a phase when all three fall inside the window; otherwise it is ``"fluid"``.
Windows are fitted (:func:`fit_window`, :func:`fit_reference_windows`) on seeded noisy reference
lattices from :mod:`hoomd_rigidfield.lattices`; the shipped :data:`DEFAULT_WINDOWS` are that fit.

The module also provides the local density of two-step nucleation (:func:`local_density`,
:data:`LOCAL_DENSITY_THRESHOLDS`), partial radial distribution functions (:func:`partial_rdfs`)
and the crystalline fraction along a GSD trajectory
(:func:`crystalline_fraction_trajectory`).
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Iterable, Mapping
from typing import Any

import freud
import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from hoomd_rigidfield import lattices
from hoomd_rigidfield.computes import computed_property

# --------------------------------------------------------------------------------------------
# Reference values
# --------------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class SteinhardtReference:
    """Steinhardt values of a perfect lattice.

    Attributes:
        num_neighbors (int): Nearest neighbours used (the coordination shell).
        q4 (float): :math:`q_4` (identical with and without Lechner-Dellago averaging).
        q6 (float): :math:`q_6`.
    """

    num_neighbors: int
    q4: float
    q6: float


#: Ideal-lattice Steinhardt values, measured with freud 3.4.0 (``Steinhardt([4, 6])``,
#: ``num_neighbors`` = coordination) on :mod:`~hoomd_rigidfield.lattices` and re-measured by
#: ``tests/test_crystals.py`` to 1e-4. They agree with the closed forms (sc: q4 = sqrt(7/12),
#: q6 = sqrt(1/8); simple hexagonal c/a = 1: q4 = 17/32) and with freud's own test constant
#: (fcc q6 = 0.57452416).
STEINHARDT_REFERENCES: dict[str, SteinhardtReference] = {
    "fcc": SteinhardtReference(12, 0.190941, 0.574524),
    "hcp": SteinhardtReference(12, 0.097222, 0.484761),
    "bcc": SteinhardtReference(8, 0.509175, 0.628540),
    "sc": SteinhardtReference(6, 0.763763, 0.353553),
    "simple_hexagonal": SteinhardtReference(8, 0.531250, 0.504013),
}

#: Local-density thresholds :math:`[\\sigma^{-3}]` of seed paper 002 above which a particle is
#: "locally dense", for the FCC, AlB2 and NaZn13 simulations respectively (freud
#: ``LocalDensity(r_max=1.3, diameter=1.0)``, all species counted).
LOCAL_DENSITY_THRESHOLDS: dict[str, float] = {"fcc": 1.05, "AlB2": 1.6, "NaZn13": 2.5}
#: Seed 002 local-density cutoff radius :math:`[\\sigma]`.
LOCAL_DENSITY_R_MAX = 1.3
#: Seed 002 local-density particle diameter :math:`[\\sigma]`.
LOCAL_DENSITY_DIAMETER = 1.0

#: L-S cutoffs in units of d_LL: midpoints of the first two L-S shells of the reference.
#: AlB2 (c/a = 1): shells at sqrt(7/12) = 0.7638 (12 S) and sqrt(19/12) = 1.2583 (12 S).
R_LS_ALB2 = 0.5 * (math.sqrt(7.0 / 12.0) + math.sqrt(19.0 / 12.0))
#: NaZn13 (y, z = 0.1806, 0.1192): shells at 0.5811 (24 S_II) and sqrt(3)/2 = 0.8660 (8 S_I).
R_LS_NAZN13 = 0.7236
#: fcc has no S in the reference; an fcc L particle must have (almost) no S within its first
#: L-L shell, so the cutoff is d_LL itself.
R_LS_FCC = 1.0

#: Phase names of :class:`BinaryCrystalClassifier` with :data:`DEFAULT_WINDOWS`; the integer
#: phase codes index this tuple (0 = fluid).
PHASE_NAMES = ("fluid", "fcc", "AlB2", "NaZn13")
FLUID = "fluid"


# --------------------------------------------------------------------------------------------
# Phase windows
# --------------------------------------------------------------------------------------------


def _int_pair(name: str, value: Any) -> tuple[int, int]:
    try:
        lo, hi = value
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a (low, high) pair, got {value!r}") from None
    if any(isinstance(v, bool) or int(v) != v for v in (lo, hi)) or not 0 <= lo <= hi:
        raise ValueError(f"{name} must be integers with 0 <= low <= high, got {value!r}")
    return int(lo), int(hi)


def _unit_pair(name: str, value: Any) -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a (low, high) pair, got {value!r}") from None
    if not 0.0 <= lo <= hi <= 1.0:
        raise ValueError(f"{name} must satisfy 0 <= low <= high <= 1, got {value!r}")
    return lo, hi


def _envelope(a: tuple, b: tuple) -> tuple:
    return min(a[0], b[0]), max(a[1], b[1])


@dataclasses.dataclass(frozen=True)
class PhaseWindow:
    """Acceptance window of one crystal phase for the large particles.

    Args:
        num_neighbors (int): L-L neighbours (nearest, L-only sublattice) for Steinhardt and the
            coherence criterion, >= 1.
        q4 (tuple[float, float]): Inclusive range of the averaged :math:`\\bar q_4`, in [0, 1].
        q6 (tuple[float, float]): Inclusive range of the averaged :math:`\\bar q_6`, in [0, 1].
        r_ls (float): L-S cutoff in units of the L-L distance :math:`d_{LL}`, > 0.
        num_small (tuple[int, int]): Inclusive range of the number of S within
            ``r_ls * d_LL``.
        coherence_l (int): Degree :math:`l` of the ten Wolde bond coherence, even, >= 2.
        min_coherent_bonds (int): Minimum number of coherent bonds
            (:math:`\\hat q_l(i)\\cdot\\hat q_l(j) >` ``q_threshold``) among the
            ``num_neighbors`` bonds; 0 disables the criterion.
        q_threshold (float): Bond coherence threshold, in [-1, 1].
    """

    num_neighbors: int
    q4: tuple[float, float]
    q6: tuple[float, float]
    r_ls: float
    num_small: tuple[int, int]
    coherence_l: int = 6
    min_coherent_bonds: int = 0
    q_threshold: float = 0.7

    def __post_init__(self):
        nn = self.num_neighbors
        if isinstance(nn, bool) or int(nn) != nn or nn < 1:
            raise ValueError(f"num_neighbors must be an integer >= 1, got {nn!r}")
        object.__setattr__(self, "num_neighbors", int(nn))
        object.__setattr__(self, "q4", _unit_pair("q4", self.q4))
        object.__setattr__(self, "q6", _unit_pair("q6", self.q6))
        if not (np.isfinite(self.r_ls) and self.r_ls > 0):
            raise ValueError(f"r_ls must be > 0 (units of d_LL), got {self.r_ls!r}")
        object.__setattr__(self, "r_ls", float(self.r_ls))
        object.__setattr__(self, "num_small", _int_pair("num_small", self.num_small))
        cl = self.coherence_l
        if isinstance(cl, bool) or int(cl) != cl or cl < 2 or cl % 2:
            raise ValueError(f"coherence_l must be an even integer >= 2, got {cl!r}")
        object.__setattr__(self, "coherence_l", int(cl))
        mb = self.min_coherent_bonds
        if isinstance(mb, bool) or int(mb) != mb or not 0 <= mb <= self.num_neighbors:
            raise ValueError(
                f"min_coherent_bonds must be an integer in [0, num_neighbors = "
                f"{self.num_neighbors}], got {mb!r}"
            )
        object.__setattr__(self, "min_coherent_bonds", int(mb))
        if not -1.0 <= self.q_threshold <= 1.0:
            raise ValueError(f"q_threshold must lie in [-1, 1], got {self.q_threshold!r}")
        object.__setattr__(self, "q_threshold", float(self.q_threshold))

    def contains(
        self, q4: Any, q6: Any, num_small: Any, num_coherent: Any | None = None
    ) -> np.ndarray:
        """Whether particles fall inside the window (bounds inclusive, NaN never inside).

        Args:
            q4: Averaged :math:`\\bar q_4` per particle.
            q6: Averaged :math:`\\bar q_6` per particle.
            num_small: Number of S within ``r_ls * d_LL`` per particle.
            num_coherent: Coherent bonds per particle (ignored when ``None`` or when
                ``min_coherent_bonds`` is 0).

        Returns:
            numpy.ndarray: Boolean mask.
        """
        q4, q6, ns = (np.asarray(x, dtype=float) for x in (q4, q6, num_small))
        inside = (
            (q4 >= self.q4[0])
            & (q4 <= self.q4[1])
            & (q6 >= self.q6[0])
            & (q6 <= self.q6[1])
            & (ns >= self.num_small[0])
            & (ns <= self.num_small[1])
        )
        if num_coherent is not None and self.min_coherent_bonds > 0:
            inside &= np.asarray(num_coherent) >= self.min_coherent_bonds
        return inside

    def distance_to_centre(self, q4: Any, q6: Any, num_small: Any) -> np.ndarray:
        """Distance from the window centre, each coordinate in units of its half width.

        Used to resolve particles that fall inside more than one window.

        Returns:
            numpy.ndarray: :math:`\\sqrt{\\sum_k ((x_k - c_k)/h_k)^2}` over
            :math:`\\bar q_4, \\bar q_6, n_S`.
        """
        total = 0.0
        ranges = ((q4, self.q4, 1e-6), (q6, self.q6, 1e-6), (num_small, self.num_small, 0.5))
        for x, (lo, hi), min_half in ranges:
            half = max(0.5 * (hi - lo), min_half)
            total = total + ((np.asarray(x, dtype=float) - 0.5 * (lo + hi)) / half) ** 2
        return np.sqrt(total)

    def union(self, other: PhaseWindow) -> PhaseWindow:
        """Smallest window holding both (neighbour scheme must be the same).

        Args:
            other (PhaseWindow): Window with the same ``num_neighbors``, ``r_ls``,
                ``coherence_l`` and ``q_threshold``.

        Returns:
            PhaseWindow: Envelope of the two ranges; the smaller ``min_coherent_bonds``.
        """
        keys = ("num_neighbors", "r_ls", "coherence_l", "q_threshold")
        if any(getattr(self, k) != getattr(other, k) for k in keys):
            raise ValueError(f"windows must share {keys} to be merged: {self} vs {other}")
        return dataclasses.replace(
            self,
            q4=_envelope(self.q4, other.q4),
            q6=_envelope(self.q6, other.q6),
            num_small=_envelope(self.num_small, other.num_small),
            min_coherent_bonds=min(self.min_coherent_bonds, other.min_coherent_bonds),
        )


def fit_window(
    q4: Any,
    q6: Any,
    num_small: Any,
    num_coherent: Any | None = None,
    *,
    num_neighbors: int,
    r_ls: float,
    coherence_l: int = 6,
    q_threshold: float = 0.7,
    percentiles: tuple[float, float] = (1.0, 99.0),
    margin: float = 0.02,
    count_margin: int = 1,
    decimals: int = 2,
) -> PhaseWindow:
    """Fit a :class:`PhaseWindow` to samples of a crystal's observables.

    Each bound is the lower/upper percentile of the samples, widened by ``margin`` (for
    :math:`\\bar q_l`, then rounded outward to ``decimals`` and clipped to [0, 1]) or by
    ``count_margin`` (for the integer counts, after rounding the percentile outward). The
    minimum number of coherent bonds is the lower percentile minus ``count_margin`` (at least 0).

    Args:
        q4: Samples of :math:`\\bar q_4` (NaN samples are ignored).
        q6: Samples of :math:`\\bar q_6`.
        num_small: Samples of the number of S within ``r_ls * d_LL``.
        num_coherent: Samples of the number of coherent bonds, or ``None`` to disable the
            coherence criterion.
        num_neighbors (int): L-L neighbours with which the samples were computed.
        r_ls (float): L-S cutoff [d_LL] with which ``num_small`` was computed.
        coherence_l (int): Degree of the bond coherence.
        q_threshold (float): Bond coherence threshold.
        percentiles (tuple[float, float]): Lower and upper percentile, 0 <= low < high <= 100.
        margin (float): Widening of the :math:`\\bar q_l` ranges, >= 0.
        count_margin (int): Widening of the count ranges, >= 0.
        decimals (int): Decimals to which :math:`\\bar q_l` bounds are rounded outward, >= 0.

    Returns:
        PhaseWindow: The fitted window.
    """
    lo_p, hi_p = (float(p) for p in percentiles)
    if not 0.0 <= lo_p < hi_p <= 100.0:
        raise ValueError(f"percentiles must satisfy 0 <= low < high <= 100, got {percentiles!r}")
    if not margin >= 0:
        raise ValueError(f"margin must be >= 0, got {margin!r}")
    if isinstance(count_margin, bool) or int(count_margin) != count_margin or count_margin < 0:
        raise ValueError(f"count_margin must be an integer >= 0, got {count_margin!r}")
    if isinstance(decimals, bool) or int(decimals) != decimals or decimals < 0:
        raise ValueError(f"decimals must be an integer >= 0, got {decimals!r}")
    scale = 10.0 ** int(decimals)

    def q_range(name: str, x: Any) -> tuple[float, float]:
        x = np.asarray(x, dtype=float).ravel()
        x = x[np.isfinite(x)]
        if x.size == 0:
            raise ValueError(f"{name} has no finite samples")
        lo, hi = np.percentile(x, [lo_p, hi_p])
        lo = math.floor(round((lo - margin) * scale, 6)) / scale
        hi = math.ceil(round((hi + margin) * scale, 6)) / scale
        return max(lo, 0.0), min(hi, 1.0)

    def count_range(name: str, x: Any) -> tuple[int, int]:
        x = np.asarray(x, dtype=float).ravel()
        if x.size == 0:
            raise ValueError(f"{name} has no samples")
        lo, hi = np.percentile(x, [lo_p, hi_p])
        return max(math.floor(lo) - int(count_margin), 0), math.ceil(hi) + int(count_margin)

    min_bonds = 0
    if num_coherent is not None:
        min_bonds = max(count_range("num_coherent", num_coherent)[0], 0)
    return PhaseWindow(
        num_neighbors=num_neighbors,
        q4=q_range("q4", q4),
        q6=q_range("q6", q6),
        r_ls=r_ls,
        num_small=count_range("num_small", num_small),
        coherence_l=coherence_l,
        min_coherent_bonds=min(min_bonds, int(num_neighbors)),
        q_threshold=q_threshold,
    )


# Neighbour schemes of the reference phases: (num_neighbors, r_ls, coherence_l).
_SCHEMES: dict[str, tuple[int, float, int]] = {
    "fcc": (12, R_LS_FCC, 6),
    "AlB2": (8, R_LS_ALB2, 4),
    "NaZn13": (6, R_LS_NAZN13, 4),
}

#: Noise levels (Gaussian std per Cartesian component, units of d_LL) of the reference fits.
REFERENCE_NOISE_LEVELS = (0.0, 0.035, 0.07)
#: Seed of the reference fixtures (:func:`reference_fixtures`).
REFERENCE_SEED = 2023
#: Fit settings of :data:`DEFAULT_WINDOWS`.
FIT_PERCENTILES = (1.0, 99.0)
FIT_MARGIN = 0.02
FIT_COUNT_MARGIN = 1


def reference_fixtures(
    phase: str, noise: float, seed: int = REFERENCE_SEED
) -> list[lattices.LatticeSystem]:
    """Seeded noisy reference crystals used to fit the windows.

    * ``"fcc"``: :func:`~hoomd_rigidfield.lattices.fcc` with 8 cells (2048 L).
    * ``"AlB2"``: :func:`~hoomd_rigidfield.lattices.alb2` with 10 cells (1000 L) at
      c/a = 0.9, 1.0 and 1.1 (nanocrystal AlB2 is not exactly c/a = 1).
    * ``"NaZn13"``: :func:`~hoomd_rigidfield.lattices.nazn13` with 6 cells (1728 L).

    Args:
        phase (str): One of ``"fcc"``, ``"AlB2"``, ``"NaZn13"``.
        noise (float): Displacement std per Cartesian component [d_LL], >= 0.
        seed (int): Seed; each fixture uses ``default_rng([seed, phase index, k, noise * 1e4])``.

    Returns:
        list[LatticeSystem]: The fixtures (``d_LL = 1``).
    """
    if phase == "fcc":
        perfect = [lattices.fcc(8)]
    elif phase == "AlB2":
        perfect = [lattices.alb2(10, c_over_a=ca) for ca in (0.9, 1.0, 1.1)]
    elif phase == "NaZn13":
        perfect = [lattices.nazn13(6)]
    else:
        raise ValueError(f"phase must be one of {tuple(_SCHEMES)}, got {phase!r}")
    idx = tuple(_SCHEMES).index(phase)
    return [
        s.with_noise(noise, np.random.default_rng([seed, idx, k, round(noise * 1e4)]))
        for k, s in enumerate(perfect)
    ]


def fit_reference_windows(
    noise_levels: Iterable[float] = REFERENCE_NOISE_LEVELS,
    seed: int = REFERENCE_SEED,
    percentiles: tuple[float, float] = FIT_PERCENTILES,
    margin: float = FIT_MARGIN,
    count_margin: int = FIT_COUNT_MARGIN,
) -> dict[str, PhaseWindow]:
    """Fit the fcc, AlB2 and NaZn13 windows on the seeded reference fixtures.

    For every phase and noise level the observables of all L particles of
    :func:`reference_fixtures` are computed exactly as :class:`BinaryCrystalClassifier` does
    (``d_LL`` estimated from the data), a window is fitted with :func:`fit_window`, and the
    windows of all noise levels are merged (:meth:`PhaseWindow.union`), so that every noise
    level up to the largest is accepted. :data:`DEFAULT_WINDOWS` is the output with the default
    arguments.

    Args:
        noise_levels: Displacement std per component [d_LL], each >= 0.
        seed (int): Seed of the fixtures.
        percentiles (tuple[float, float]): Passed to :func:`fit_window`.
        margin (float): Passed to :func:`fit_window`.
        count_margin (int): Passed to :func:`fit_window`.

    Returns:
        dict[str, PhaseWindow]: Window per phase.
    """
    out: dict[str, PhaseWindow] = {}
    for phase, (nn, r_ls, l_coh) in _SCHEMES.items():
        probe = PhaseWindow(nn, (0.0, 1.0), (0.0, 1.0), r_ls, (0, 10**6), l_coh)
        window = None
        for noise in noise_levels:
            samples = [
                _observables(s.box, s.positions[s.is_large], s.positions[~s.is_large], probe, None)
                for s in reference_fixtures(phase, noise, seed)
            ]
            q4, q6, ns, nc = (np.concatenate([x[k] for x in samples]) for k in range(4))
            fitted = fit_window(
                q4,
                q6,
                ns,
                nc,
                num_neighbors=nn,
                r_ls=r_ls,
                coherence_l=l_coh,
                percentiles=percentiles,
                margin=margin,
                count_margin=count_margin,
            )
            window = fitted if window is None else window.union(fitted)
        if window is None:
            raise ValueError("noise_levels must hold at least one value")
        out[phase] = window
    return out


#: Default windows = ``fit_reference_windows()`` (freud 3.4.0; percentiles 1/99, margin 0.02 on
#: q_l, 1 on counts, noise 0 / 0.035 / 0.07 d_LL, AlB2 at c/a 0.9 / 1.0 / 1.1). The tests re-run
#: the fit and check that these ranges still contain it and exclude the negative controls.
DEFAULT_WINDOWS: dict[str, PhaseWindow] = {
    "fcc": PhaseWindow(
        num_neighbors=12,
        q4=(0.11, 0.22),
        q6=(0.38, 0.60),
        r_ls=R_LS_FCC,
        num_small=(0, 1),
        coherence_l=6,
        min_coherent_bonds=8,
    ),
    "AlB2": PhaseWindow(
        num_neighbors=8,
        q4=(0.37, 0.56),
        q6=(0.31, 0.53),
        r_ls=R_LS_ALB2,
        num_small=(9, 14),
        coherence_l=4,
        min_coherent_bonds=5,
    ),
    "NaZn13": PhaseWindow(
        num_neighbors=6,
        q4=(0.57, 0.79),
        q6=(0.20, 0.38),
        r_ls=R_LS_NAZN13,
        num_small=(18, 28),
        coherence_l=4,
        min_coherent_bonds=4,
    ),
}


# --------------------------------------------------------------------------------------------
# System handling
# --------------------------------------------------------------------------------------------


def _as_lattice_system(system: Any, is_large: Any | None) -> tuple[lattices.LatticeSystem, Any]:
    """Normalise the accepted system forms; returns the system and the is_large mask."""
    if isinstance(system, lattices.LatticeSystem):
        ls = system
    elif hasattr(system, "particles") and hasattr(system, "configuration"):
        ls = lattices.LatticeSystem.from_gsd_frame(system)
    else:
        if isinstance(system, freud.locality.NeighborQuery):
            box, points = system.box, system.points
        else:
            try:
                box, points = system
            except (TypeError, ValueError):
                raise TypeError(
                    "system must be a (box, points) tuple, a freud NeighborQuery, a "
                    f"gsd.hoomd.Frame or a LatticeSystem, got {type(system).__name__}"
                ) from None
        box = freud.box.Box.from_box(box)
        points = np.asarray(points, dtype=np.float64)
        if points.ndim != 2 or points.shape[1] != 3:
            raise ValueError(f"points must have shape (N, 3), got {points.shape}")
        if is_large is None:
            raise ValueError(
                "is_large is required for a (box, points) system: pass a boolean mask of the "
                "large particles (or a gsd.hoomd.Frame, whose types starting with 'L' are large)"
            )
        ls = lattices.LatticeSystem(box, box.wrap(points), np.zeros(len(points), int), ("L",))
    if is_large is None:
        mask = ls.is_large
    else:
        mask = np.asarray(is_large)
        if mask.dtype != bool or mask.shape != (ls.num_particles,):
            raise ValueError(
                f"is_large must be a boolean mask of shape ({ls.num_particles},), "
                f"got {mask.dtype} array of shape {mask.shape}"
            )
    return ls, mask


def estimate_d_ll(box: Any, large_points: np.ndarray, num_neighbors: int = 6) -> float:
    """Typical L-L distance: median distance from each L particle to its 6 nearest L.

    Six neighbours are the coordination of the smallest reference (NaZn13's simple-cubic L
    sublattice), so the estimate is the first-shell distance of fcc, AlB2 (c/a >= 0.9) and
    NaZn13 alike; the median of the single nearest neighbour would be biased low by thermal
    noise.

    Args:
        box: freud box or box-like.
        large_points ((N_L, 3) numpy.ndarray): Positions of the large particles.
        num_neighbors (int): Neighbours per particle, >= 1.

    Returns:
        float: :math:`d_{LL}` :math:`[\\mathrm{length}]`.
    """
    pts = np.asarray(large_points, dtype=np.float64)
    if len(pts) <= num_neighbors:
        raise ValueError(
            f"need more than {num_neighbors} large particles to estimate d_LL, got {len(pts)}"
        )
    aq = freud.locality.AABBQuery(freud.box.Box.from_box(box), pts)
    nl = aq.query(pts, {"num_neighbors": int(num_neighbors), "exclude_ii": True}).toNeighborList()
    return float(np.median(nl.distances))


def _observables(
    box: freud.box.Box,
    large: np.ndarray,
    small: np.ndarray,
    window: PhaseWindow,
    d_ll: float | None,
    aq_large: freud.locality.AABBQuery | None = None,
    aq_small: freud.locality.AABBQuery | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, freud.locality.NeighborList]:
    """q4, q6, n_S, coherent bonds of every L particle under one window's scheme."""
    if d_ll is None:
        d_ll = estimate_d_ll(box, large)
    if aq_large is None:
        aq_large = freud.locality.AABBQuery(box, large)
    nlist = aq_large.query(
        large, {"num_neighbors": window.num_neighbors, "exclude_ii": True}
    ).toNeighborList()
    q = freud.order.Steinhardt([4, 6], average=True).compute(aq_large, neighbors=nlist)
    q4, q6 = (np.array(q.particle_order[:, k], dtype=np.float64) for k in range(2))
    if len(small):
        if aq_small is None:
            aq_small = freud.locality.AABBQuery(box, small)
        nl_s = aq_small.query(large, {"r_max": window.r_ls * d_ll}).toNeighborList()
        ns = np.bincount(nl_s.query_point_indices, minlength=len(large))
    else:
        ns = np.zeros(len(large), dtype=np.int64)
    sl = freud.order.SolidLiquid(
        window.coherence_l, window.q_threshold, max(window.min_coherent_bonds, 1)
    ).compute(aq_large, neighbors=nlist)
    nc = np.asarray(sl.num_connections, dtype=np.int64)
    return q4, q6, ns, nc, nlist


# --------------------------------------------------------------------------------------------
# Classifier
# --------------------------------------------------------------------------------------------


class BinaryCrystalClassifier:
    """Classify the large particles of a binary mixture as fcc, AlB2, NaZn13 or fluid.

    Each L particle is tested against every window (:class:`PhaseWindow`) with that window's
    own neighbour scheme (module docstring). A particle inside exactly one window takes that
    phase. A particle inside several windows takes the one whose centre is nearest in units of
    the window half widths (:meth:`PhaseWindow.distance_to_centre`); with
    :data:`DEFAULT_WINDOWS` this cannot happen because their ``num_small`` ranges are disjoint.
    All other particles are ``"fluid"``.

    Crystalline particles of the same phase that are neighbours in that phase's neighbour list
    form clusters (grains, nuclei); the largest is the nucleation order parameter.

    Args:
        windows (Mapping[str, PhaseWindow]): Window per phase name (any names except
            ``"fluid"``); default :data:`DEFAULT_WINDOWS`. Restrict it (e.g. to AlB2 and NaZn13)
            to score only some phases.
        d_ll (float | Mapping[str, float]): L-L distance :math:`[\\mathrm{length}]` that scales
            the L-S cutoffs, or one per phase name (a crystal's L-L distance depends on its
            structure: at L-S contact it is :math:`\\sigma_{LS}/0.764` in AlB2 but
            :math:`\\sigma_{LS}/0.581` in NaZn13); ``None`` estimates it per frame with
            :func:`estimate_d_ll`.

    Example::

        >>> clf = BinaryCrystalClassifier().compute(lattices.alb2(4))
        >>> clf.crystalline_fraction, clf.fractions["AlB2"]
        (1.0, 1.0)
    """

    def __init__(
        self,
        windows: Mapping[str, PhaseWindow] | None = None,
        d_ll: float | Mapping[str, float] | None = None,
    ):
        windows = DEFAULT_WINDOWS if windows is None else windows
        if not isinstance(windows, Mapping) or len(windows) == 0:
            raise ValueError("windows must be a non-empty mapping of phase name -> PhaseWindow")
        for name, w in windows.items():
            if not isinstance(name, str) or name == FLUID:
                raise ValueError(f"window names must be strings other than {FLUID!r}, got {name!r}")
            if not isinstance(w, PhaseWindow):
                raise ValueError(f"window {name!r} must be a PhaseWindow, got {type(w).__name__}")
        if isinstance(d_ll, Mapping):
            missing = sorted(set(windows) - set(d_ll))
            if missing:
                raise ValueError(f"d_ll has no entry for the phases {missing}")
            scales = list(d_ll.values())
        else:
            scales = [] if d_ll is None else [d_ll]
        if not all(np.isfinite(d) and d > 0 for d in scales):
            raise ValueError(f"d_ll must be None (estimate) or lengths > 0, got {d_ll!r}")
        self._windows = dict(windows)
        if isinstance(d_ll, Mapping):
            self._d_ll = {name: float(d_ll[name]) for name in windows}
        else:
            self._d_ll = None if d_ll is None else float(d_ll)
        self._computed = False

    @property
    def windows(self) -> dict[str, PhaseWindow]:
        """dict[str, PhaseWindow]: The phase windows (a copy)."""
        return dict(self._windows)

    @property
    def d_ll(self) -> float | dict[str, float] | None:
        """L-L distance given (a float, or a dict per phase), or ``None`` (estimated)."""
        return self._d_ll

    @property
    def phase_names(self) -> tuple[str, ...]:
        """tuple[str, ...]: ``("fluid", *windows)``; :attr:`phase_code` indexes it."""
        return (FLUID, *self._windows)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(windows={self._windows!r}, d_ll={self._d_ll!r})"

    def compute(self, system: Any, is_large: Any | None = None) -> BinaryCrystalClassifier:
        """Classify the large particles of one configuration.

        Args:
            system: ``(box, points)`` (freud box or box-like, ``(N, 3)`` positions), a freud
                ``NeighborQuery``, a :class:`gsd.hoomd.Frame` (or HOOMD snapshot), or a
                :class:`~hoomd_rigidfield.lattices.LatticeSystem`.
            is_large ((N,) numpy.ndarray): Boolean mask of the large particles. Required for
                ``(box, points)``; for frames and lattice systems the default is every type
                whose name starts with ``"L"``.

        Returns:
            BinaryCrystalClassifier: ``self``.
        """
        ls, mask = _as_lattice_system(system, is_large)
        box = ls.box
        if box.is2D:
            raise ValueError("BinaryCrystalClassifier needs a 3D system, got a 2D box")
        large, small = ls.positions[mask], ls.positions[~mask]
        n_l = len(large)
        need = max(max(w.num_neighbors for w in self._windows.values()), 6)
        if n_l <= need:
            raise ValueError(
                f"need more than {need} large particles to classify (largest neighbour count), "
                f"got {n_l}"
            )
        given = self._d_ll if self._d_ll is not None else estimate_d_ll(box, large)
        scale = given if isinstance(given, dict) else dict.fromkeys(self._windows, given)
        aq_large = freud.locality.AABBQuery(box, large)
        aq_small = freud.locality.AABBQuery(box, small) if len(small) else None
        q4s, q6s, nss, ncs, matches, dists, nlists = {}, {}, {}, {}, {}, {}, {}
        for name, w in self._windows.items():
            q4, q6, ns, nc, nl = _observables(box, large, small, w, scale[name], aq_large, aq_small)
            q4s[name], q6s[name], nss[name], ncs[name], nlists[name] = q4, q6, ns, nc, nl
            matches[name] = w.contains(q4, q6, ns, nc)
            dists[name] = np.where(matches[name], w.distance_to_centre(q4, q6, ns), np.inf)
        names = list(self._windows)
        dist = np.stack([dists[n] for n in names], axis=1)
        best = np.argmin(dist, axis=1)
        code = np.where(np.isfinite(dist[np.arange(n_l), best]), best + 1, 0)

        # Clusters: bonds of each phase's neighbour list between two particles of that phase.
        rows, cols = [], []
        for k, name in enumerate(names, start=1):
            i = np.asarray(nlists[name].query_point_indices)
            j = np.asarray(nlists[name].point_indices)
            keep = (code[i] == k) & (code[j] == k)
            rows.append(i[keep])
            cols.append(j[keep])
        rows, cols = np.concatenate(rows), np.concatenate(cols)
        graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_l, n_l))
        _, labels = connected_components(graph, directed=False)
        crystal = code > 0
        cluster_idx = np.full(n_l, -1, dtype=np.int64)
        if np.any(crystal):
            _, inv, sizes = np.unique(labels[crystal], return_inverse=True, return_counts=True)
            order = np.argsort(-sizes, kind="stable")
            rank = np.empty_like(order)
            rank[order] = np.arange(len(order))
            cluster_idx[crystal] = rank[inv]
            self._cluster_sizes = sizes[order]
        else:
            self._cluster_sizes = np.zeros(0, dtype=np.int64)

        self._phase_code = code
        self._q4, self._q6, self._ns, self._nc, self._matches = q4s, q6s, nss, ncs, matches
        self._distance_scale = given if isinstance(given, dict) else float(given)
        self._large_indices = np.flatnonzero(mask)
        self._cluster_idx = cluster_idx
        self._computed = True
        return self

    @computed_property
    def phase_code(self) -> np.ndarray:
        """(N_L,) numpy.ndarray: Phase of each L particle as an index into :attr:`phase_names`."""
        return self._phase_code

    @computed_property
    def phase(self) -> np.ndarray:
        """(N_L,) numpy.ndarray: Phase name of each L particle (``"fluid"`` if none)."""
        return np.asarray(self.phase_names)[self._phase_code]

    @computed_property
    def large_indices(self) -> np.ndarray:
        """(N_L,) numpy.ndarray: Index in the input system of each classified L particle."""
        return self._large_indices

    @computed_property
    def num_large(self) -> int:
        """int: Number of large particles :math:`N_L`."""
        return len(self._phase_code)

    @computed_property
    def particle_q4(self) -> dict[str, np.ndarray]:
        """dict[str, numpy.ndarray]: Averaged :math:`\\bar q_4` per L particle, per window."""
        return self._q4

    @computed_property
    def particle_q6(self) -> dict[str, np.ndarray]:
        """dict[str, numpy.ndarray]: Averaged :math:`\\bar q_6` per L particle, per window."""
        return self._q6

    @computed_property
    def num_small_neighbors(self) -> dict[str, np.ndarray]:
        """dict[str, numpy.ndarray]: S within ``r_ls * d_LL`` of each L particle, per window."""
        return self._ns

    @computed_property
    def num_coherent_bonds(self) -> dict[str, np.ndarray]:
        """dict[str, numpy.ndarray]: Coherent (ten Wolde) bonds of each L particle, per window."""
        return self._nc

    @computed_property
    def window_matches(self) -> dict[str, np.ndarray]:
        """dict[str, numpy.ndarray]: Whether each L particle is inside each window (unresolved)."""
        return self._matches

    @computed_property
    def distance_scale(self) -> float | dict[str, float]:
        """:math:`d_{LL}` used for the L-S cutoffs (a float, or a dict per phase)."""
        return self._distance_scale

    @computed_property
    def fractions(self) -> dict[str, float]:
        """dict[str, float]: Fraction of L particles in each phase (``"fluid"`` included)."""
        counts = np.bincount(self._phase_code, minlength=len(self.phase_names))
        return {n: float(c) / len(self._phase_code) for n, c in zip(self.phase_names, counts)}

    @computed_property
    def crystalline_fraction(self) -> float:
        """float: :math:`N_\\mathrm{crys}/N_L`, crystalline = any window's phase."""
        return float(np.count_nonzero(self._phase_code)) / len(self._phase_code)

    @computed_property
    def cluster_idx(self) -> np.ndarray:
        """(N_L,) numpy.ndarray: Crystalline cluster of each L particle (0 = largest, -1 fluid)."""
        return self._cluster_idx

    @computed_property
    def cluster_sizes(self) -> np.ndarray:
        """numpy.ndarray: Sizes of the crystalline clusters, largest first."""
        return self._cluster_sizes

    @computed_property
    def largest_cluster_size(self) -> int:
        """int: Number of L particles in the largest crystalline cluster (0 if none)."""
        return int(self._cluster_sizes[0]) if len(self._cluster_sizes) else 0


# --------------------------------------------------------------------------------------------
# Local density, RDFs, trajectories
# --------------------------------------------------------------------------------------------


def local_density(
    system: Any,
    r_max: float = LOCAL_DENSITY_R_MAX,
    diameter: float = LOCAL_DENSITY_DIAMETER,
    query_mask: Any | None = None,
) -> np.ndarray:
    """Local number density around particles (``freud.density.LocalDensity``), seed 002 style.

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
    ls, _ = _as_lattice_system(system, _dummy_mask(system))
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
    ls, mask = _as_lattice_system(system, is_large)
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


def crystalline_fraction_trajectory(
    path_or_frames: str | os.PathLike | Iterable[Any],
    classifier: BinaryCrystalClassifier | None = None,
    start: int = 0,
    stop: int | None = None,
    step: int = 1,
    progress: bool = True,
) -> dict[str, np.ndarray]:
    """Crystalline fraction of the large particles along a trajectory.

    Args:
        path_or_frames: Path of a GSD file (opened with :func:`gsd.hoomd.open`) or an iterable
            of frames (e.g. an open ``HOOMDTrajectory``).
        classifier (BinaryCrystalClassifier): Classifier to use (default windows if ``None``).
        start (int): First frame index, >= 0.
        stop (int): One past the last frame index (``None``: to the end).
        step (int): Frame stride, >= 1.
        progress (bool): Show a ``tqdm`` progress bar.

    Returns:
        dict[str, numpy.ndarray]: ``"frame"`` (index in the file), ``"timestep"`` (-1 if
        unknown), ``"crystalline_fraction"``, ``"largest_cluster_size"`` and one fraction array
        per phase name (``"fluid"``, ``"fcc"``, ...).
    """
    import gsd.hoomd
    from tqdm.auto import tqdm

    if isinstance(step, bool) or int(step) != step or step < 1:
        raise ValueError(f"step must be an integer >= 1, got {step!r}")
    if isinstance(start, bool) or int(start) != start or start < 0:
        raise ValueError(f"start must be an integer >= 0, got {start!r}")
    clf = BinaryCrystalClassifier() if classifier is None else classifier
    rows: dict[str, list] = {"frame": [], "timestep": [], "crystalline_fraction": []}
    rows["largest_cluster_size"] = []
    for name in clf.phase_names:
        rows[name] = []

    def run(frames: Any, total: int | None) -> None:
        idx = range(int(start), total if stop is None else min(stop, total), int(step))
        for i in tqdm(idx, disable=not progress, desc="classifying frames"):
            frame = frames[i]
            clf.compute(frame)
            rows["frame"].append(i)
            ts = getattr(frame.configuration, "step", None)
            rows["timestep"].append(-1 if ts is None else int(ts))
            rows["crystalline_fraction"].append(clf.crystalline_fraction)
            rows["largest_cluster_size"].append(clf.largest_cluster_size)
            for name, f in clf.fractions.items():
                rows[name].append(f)

    if isinstance(path_or_frames, (str, os.PathLike)):
        with gsd.hoomd.open(os.fspath(path_or_frames), "r") as traj:
            run(traj, len(traj))
    else:
        frames = path_or_frames if hasattr(path_or_frames, "__getitem__") else list(path_or_frames)
        run(frames, len(frames))
    return {k: np.asarray(v) for k, v in rows.items()}
