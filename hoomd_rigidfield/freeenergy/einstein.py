"""The ideal Einstein molecule: its exact free energy, its exact sampling, the perturbation step.

The reference of the solid branch :cite:`vega2007`: particle 0 (the *fixed* particle) never
moves; every other particle is tethered to its lattice site by

.. math::

    U_E = \\Lambda_E \\sum_{i \\ge 1} |\\vec r_i - \\vec r_{i,0}|^2 ,

**the one spring convention of this suite**: :math:`\\Lambda_E` [kT/σ²] multiplies the squared
displacement (no factor 1/2). HOOMD writes springs as :math:`(k/2) r^2`, so HOOMD's spring
constant is :math:`k = 2\\Lambda_E` (:func:`hoomd_spring_constant`, the only place the two
meet). Each Cartesian component of a tethered displacement is Gaussian with variance
:math:`kT / (2\\Lambda_E)`.

With particle 0 fixed, the crystal cannot drift, the translational integral over particle 0 gives
:math:`V`, and the :math:`N!` of the labelled crystal cancels its :math:`N!` equivalent site
permutations :cite:`vega2007`, so

.. math::

    \\frac{\\beta A_0}{N} = \\frac{1}{N} \\ln\\frac{\\Lambda^3}{V}
        + \\frac{3}{2}\\Bigl(1 - \\frac{1}{N}\\Bigr) \\ln\\frac{\\beta \\Lambda_E \\Lambda^2}{\\pi}

(:func:`einstein_molecule_free_energy`; :math:`\\Lambda` is the thermal wavelength, σ by
default). The step from the ideal molecule to the interacting one with the same springs is

.. math::

    \\Delta A_1 = -kT \\ln \\langle e^{-\\beta U} \\rangle_{E}
               = U_\\mathrm{lattice} - kT \\ln\\langle e^{-\\beta (U - U_\\mathrm{lattice})}\\rangle_E ,

an average over the ideal molecule, which is sampled exactly here (independent Gaussian
displacements, :func:`soft_perturbation`); for hard particles it is :math:`-kT\\ln P`, with
:math:`P` the probability of no overlap (:func:`hard_sphere_perturbation`).

Pairs are listed once on the lattice (every pair whose lattice distance is within the cut-off
plus :data:`SKIN_SIGMAS` standard deviations of the relative displacement); a displaced pair
vector is its lattice minimum image plus the difference of the two displacements, so no
wrapping is needed and any triclinic box works.

Example:
    >>> from hoomd_rigidfield.freeenergy.einstein import einstein_molecule_msd
    >>> einstein_molecule_msd(4, 10.0)  # 3 (N - 1) kT / (2 Lambda_E)
    0.45
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import logsumexp

from hoomd_rigidfield.validation import check_finite_array, check_int, check_positive

#: Pairs are kept if their lattice distance is below the cut-off plus this many standard
#: deviations of a relative displacement component (a pair further out comes that close with
#: probability below :math:`10^{-9}` per sample).
SKIN_SIGMAS = 6.0
#: Index of the particle that the Einstein molecule keeps fixed.
FIXED = 0


def hoomd_spring_constant(spring: float) -> float:
    """HOOMD's :math:`k` for this suite's :math:`\\Lambda_E`: :math:`(k/2) r^2 = \\Lambda_E r^2`.

    Args:
        spring (float): :math:`\\Lambda_E` [kT/σ²] (>= 0).

    Returns:
        float: :math:`k = 2\\Lambda_E` [kT/σ²].

    Example:
        >>> hoomd_spring_constant(500.0)
        1000.0
    """
    if spring != 0:
        check_positive("spring", spring, "kT/sigma^2")
    return 2.0 * float(spring)


def einstein_molecule_free_energy(
    n: int, volume: float, spring: float, *, kT: float = 1.0, wavelength: float = 1.0
) -> float:
    """:math:`\\beta A_0/N` of the ideal Einstein molecule (particle 0 fixed) :cite:`vega2007`.

    Args:
        n (int): Number of particles :math:`N` (>= 2).
        volume (float): Box volume :math:`V` [σ³].
        spring (float): :math:`\\Lambda_E` [kT/σ², energy unit of ``kT``] (> 0).
        kT (float): Thermal energy, in the energy unit of ``spring``.
        wavelength (float): Thermal wavelength :math:`\\Lambda` [σ].

    Returns:
        float: Free energy per particle [kT].

    Example:
        >>> round(einstein_molecule_free_energy(108, 108 / 1.04086, 2000.0), 6)
        9.551608
    """
    n = check_int("n", n, 2)
    v = check_positive("volume", volume, "sigma^3")
    lam = check_positive("spring", spring, "kT/sigma^2")
    beta = 1.0 / check_positive("kT", kT)
    wl = check_positive("wavelength", wavelength, "sigma")
    return math.log(wl**3 / v) / n + 1.5 * (1.0 - 1.0 / n) * math.log(beta * lam * wl**2 / math.pi)


def einstein_molecule_msd(n: int, spring: float, *, kT: float = 1.0) -> float:
    """:math:`\\langle\\sum_{i\\ge1}|\\vec r_i-\\vec r_{i,0}|^2\\rangle` of the ideal molecule.

    The integrand of the switching step tends to this as :math:`\\lambda \\to \\infty`.

    Args:
        n (int): Number of particles (>= 2).
        spring (float): :math:`\\Lambda_E` [kT/σ²].
        kT (float): Thermal energy.

    Returns:
        float: :math:`3(N-1)kT/(2\\Lambda_E)` [σ²].
    """
    n = check_int("n", n, 2)
    return 3.0 * (n - 1) * check_positive("kT", kT) / (2.0 * check_positive("spring", spring))


def einstein_displacements(
    n: int, spring: float, n_samples: int, rng: Any = None, *, kT: float = 1.0
) -> np.ndarray:
    """Exact samples of the ideal Einstein molecule's displacements (row 0 is zero: fixed).

    Args:
        n (int): Number of particles (>= 2).
        spring (float): :math:`\\Lambda_E` [kT/σ²].
        n_samples (int): Number of independent configurations (>= 1).
        rng: :class:`numpy.random.Generator` or a seed.
        kT (float): Thermal energy.

    Returns:
        (n_samples, N, 3) numpy.ndarray: :math:`\\vec r_i - \\vec r_{i,0}` [σ].
    """
    n = check_int("n", n, 2)
    m = check_int("n_samples", n_samples, 1)
    width = math.sqrt(check_positive("kT", kT) / (2.0 * check_positive("spring", spring)))
    u = np.random.default_rng(rng).normal(0.0, width, size=(m, n, 3))
    u[:, FIXED] = 0.0
    return u


@dataclass(frozen=True)
class LatticePairs:
    """Pairs of lattice sites that can interact: indices and minimum-image lattice vectors.

    Args:
        i ((P,) numpy.ndarray): First site of each pair.
        j ((P,) numpy.ndarray): Second site (``i < j``).
        vectors ((P, 3) numpy.ndarray): :math:`\\vec r_{j,0} - \\vec r_{i,0}`, minimum image [σ].
    """

    i: np.ndarray
    j: np.ndarray
    vectors: np.ndarray

    @classmethod
    def build(cls, box: Any, positions: Any, r_max: float) -> LatticePairs:
        """Every pair of sites closer than ``r_max`` (freud's AABB query, minimum image).

        Args:
            box: :class:`freud.box.Box` or anything :meth:`freud.box.Box.from_box` reads.
            positions ((N, 3) array): Lattice sites [σ].
            r_max (float): Largest lattice distance kept [σ] (below half the shortest box
                period, or a pair would be listed once for several images).

        Returns:
            LatticePairs: The pairs.
        """
        import freud

        box = freud.box.Box.from_box(box)
        pts = check_finite_array("positions", positions, (None, 3))
        r = check_positive("r_max", r_max, "sigma")
        half = 0.5 * min(_periods(box))
        if r >= half:
            raise ValueError(
                f"r_max must be below half the shortest box period {half:.6g} sigma, got {r!r}: "
                "use more unit cells"
            )
        nl = (
            freud.locality.AABBQuery(box, pts)
            .query(pts, {"r_max": r, "exclude_ii": True})
            .toNeighborList()
        )
        i, j = np.asarray(nl.query_point_indices), np.asarray(nl.point_indices)
        keep = i < j
        i, j = i[keep].astype(np.int64), j[keep].astype(np.int64)
        vec = np.asarray(box.wrap(pts[j] - pts[i]), dtype=np.float64)
        return cls(i, j, vec)

    def distances(self, displacements: np.ndarray) -> np.ndarray:
        """Pair distances for a batch of displaced configurations.

        Args:
            displacements ((M, N, 3) numpy.ndarray): Displacements from the sites [σ].

        Returns:
            (M, P) numpy.ndarray: Distances [σ].
        """
        d = self.vectors[None] + displacements[:, self.j] - displacements[:, self.i]
        return np.sqrt(np.einsum("mpk,mpk->mp", d, d))


def _periods(box: Any) -> list[float]:
    """Perpendicular widths of a freud box (the distances between opposite faces) [σ]."""
    m = np.asarray(box.to_matrix(), dtype=float)
    a, b, c = m[:, 0], m[:, 1], m[:, 2]
    vol = abs(float(np.dot(a, np.cross(b, c))))
    return [
        vol / float(np.linalg.norm(np.cross(b, c))),
        vol / float(np.linalg.norm(np.cross(c, a))),
        vol / float(np.linalg.norm(np.cross(a, b))),
    ]


@dataclass(frozen=True)
class Perturbation:
    """The step from the ideal Einstein molecule to the interacting one (same springs).

    Args:
        value (float): :math:`\\beta\\Delta A_1/N` [kT].
        error (float): Its standard error [kT] (independent samples).
        n_samples (int): Configurations drawn.
        lattice_energy (float): :math:`\\beta U_\\mathrm{lattice}/N` [kT] (0 for hard spheres).
    """

    value: float
    error: float
    n_samples: int
    lattice_energy: float = 0.0


def _batches(n_samples: int, n: int, batch: int | None) -> list[int]:
    size = batch or max(1, 2_000_000 // max(n, 1))
    full, rest = divmod(n_samples, size)
    return [size] * full + ([rest] if rest else [])


def hard_sphere_perturbation(
    box: Any,
    positions: Any,
    spring: float,
    *,
    diameters: Any = 1.0,
    n_samples: int = 20_000,
    rng: Any = None,
    batch: int | None = None,
) -> Perturbation:
    """:math:`\\beta\\Delta A_1/N = -\\ln P(\\text{no overlap})/N` for hard spheres.

    Additive diameters :math:`\\sigma_{ij} = (\\sigma_i + \\sigma_j)/2`.

    Args:
        box: Periodic box (freud or anything :meth:`freud.box.Box.from_box` reads).
        positions ((N, 3) array): Lattice sites [σ]; site 0 is the fixed particle.
        spring (float): :math:`\\beta\\Lambda_E` [kT/σ²].
        diameters (float or (N,) array): Sphere diameters [σ].
        n_samples (int): Independent configurations of the ideal molecule.
        rng: :class:`numpy.random.Generator` or a seed.
        batch (int): Configurations per vectorised batch (``None``: about 2e6 site rows).

    Returns:
        Perturbation: With the binomial standard error.

    Raises:
        ValueError: If the lattice itself overlaps, or no sampled configuration is free of
            overlaps (use a stiffer spring).
    """
    pts = check_finite_array("positions", positions, (None, 3))
    n = len(pts)
    m = check_int("n_samples", n_samples, 1)
    width = math.sqrt(1.0 / (2.0 * check_positive("spring", spring, "kT/sigma^2")))
    diam = np.broadcast_to(np.asarray(check_finite_array("diameters", diameters), float), (n,))
    if np.any(diam <= 0):
        raise ValueError(f"diameters must be > 0 sigma, got minimum {diam.min()!r}")
    pairs = LatticePairs.build(box, pts, float(diam.max()) + SKIN_SIGMAS * math.sqrt(2) * width)
    contact = 0.5 * (diam[pairs.i] + diam[pairs.j])
    if np.any(np.linalg.norm(pairs.vectors, axis=1) < contact):
        raise ValueError("the lattice sites overlap: the crystal is denser than close packing")
    rng = np.random.default_rng(rng)
    free = 0
    for size in _batches(m, n, batch):
        u = einstein_displacements(n, spring, size, rng)
        free += int(np.count_nonzero(np.all(pairs.distances(u) >= contact, axis=1)))
    if free == 0:
        raise ValueError(
            f"no overlap-free configuration in {m} samples at spring {spring!r} kT/sigma^2: "
            "use a stiffer spring"
        )
    p = free / m
    error = math.sqrt(max(p * (1 - p), 1.0 / m) / m) / p / n
    return Perturbation(-math.log(p) / n, error, m)


def soft_perturbation(
    box: Any,
    positions: Any,
    spring: float,
    pair_energy: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
    r_cut: float,
    *,
    typeid: Any = None,
    kT: float = 1.0,
    n_samples: int = 20_000,
    rng: Any = None,
    batch: int | None = None,
) -> Perturbation:
    """:math:`\\beta\\Delta A_1/N` for a pair potential, from exact samples of the ideal molecule.

    Args:
        box: Periodic box.
        positions ((N, 3) array): Lattice sites [σ]; site 0 is fixed.
        spring (float): :math:`\\Lambda_E` [energy/σ²].
        pair_energy: ``pair_energy(r, type_i, type_j)``: energies [energy] of pairs at
            distances ``r`` (array) with type ids ``type_i``, ``type_j`` (arrays of the same
            shape); it is only called for ``r < r_cut`` (truncation is done here, shifting is
            the caller's).
        r_cut (float): Cut-off [σ].
        typeid ((N,) array): Type id of each site (``None``: all 0).
        kT (float): Thermal energy [energy].
        n_samples (int): Independent configurations.
        rng: :class:`numpy.random.Generator` or a seed.
        batch (int): Configurations per vectorised batch.

    Returns:
        Perturbation: :math:`\\beta\\Delta A_1/N` with its standard error (delta method on
        :math:`\\langle e^{-\\beta(U-U_\\mathrm{lat})}\\rangle`) and :math:`\\beta U_\\mathrm{lat}/N`.
    """
    pts = check_finite_array("positions", positions, (None, 3))
    n = len(pts)
    m = check_int("n_samples", n_samples, 2)
    beta = 1.0 / check_positive("kT", kT)
    lam = check_positive("spring", spring)
    rc = check_positive("r_cut", r_cut, "sigma")
    width = math.sqrt(1.0 / (2.0 * beta * lam))
    types = np.zeros(n, np.int64) if typeid is None else np.asarray(typeid, dtype=np.int64)
    if types.shape != (n,):
        raise ValueError(f"typeid must have shape ({n},), got {types.shape}")
    pairs = LatticePairs.build(box, pts, rc + SKIN_SIGMAS * math.sqrt(2) * width)
    ti, tj = types[pairs.i], types[pairs.j]

    def energy(r: np.ndarray) -> np.ndarray:
        e = np.zeros_like(r)
        inside = r < rc
        e[inside] = pair_energy(
            r[inside], np.broadcast_to(ti, r.shape)[inside], np.broadcast_to(tj, r.shape)[inside]
        )
        return e.sum(axis=-1)

    u_lat = float(energy(np.linalg.norm(pairs.vectors, axis=1)[None])[0])
    rng = np.random.default_rng(rng)
    logw = []
    for size in _batches(m, n, batch):
        du = energy(pairs.distances(einstein_displacements(n, lam, size, rng, kT=kT))) - u_lat
        logw.append(-beta * du)
    logw = np.concatenate(logw)
    log_mean = float(logsumexp(logw) - math.log(m))
    w = np.exp(logw - log_mean)  # w / <w>
    error = float(np.std(w, ddof=1) / math.sqrt(m)) / n
    return Perturbation(beta * u_lat / n - log_mean / n, error, m, beta * u_lat / n)
