"""Second virial coefficients and the Noro-Frenkel extended law of corresponding states.

Any short-ranged pair potential :math:`u(r)` (in kT, as a function of a distance in any unit)
maps onto a square well of equal depth and equal reduced second virial coefficient
:math:`B_2^* = B_2/B_2^\\mathrm{HS}(\\sigma_\\mathrm{eff})` :cite:`noro2000`; systems with equal
:math:`B_2^*` and :math:`\\rho\\sigma_\\mathrm{eff}^3` have nearly the same phase diagram. The
metastable critical point lies near :math:`B_2^* = -1.5` :cite:`vliegenthart2000`.

Conventions (the code names the one it uses): the square-well range is
:math:`\\lambda' = 1 + \\lambda`, so :math:`\\lambda` is the well *width* in units of the hard
core :math:`\\sigma` (the seed's "range" :cite:`coropceanu2022`). The effective diameter is the
Noro-Frenkel (WCA-split) one by default, :math:`\\sigma_\\mathrm{eff} = \\int_0^{r_\\mathrm{min}}
[1 - e^{-\\beta(u + u_0)}]\\,dr`, or Barker-Henderson :cite:`barker1967`,
:math:`d_\\mathrm{BH} = \\int_0^{r_0}[1 - e^{-\\beta u}]\\,dr` with :math:`u(r_0) = 0`.

Fluid-solid (fcc solubility) and metastable binodal lines of the square well at
:math:`\\lambda = 0.18` (the seed's Fig. 2B) are not tabulated here: no source of their numbers
was retrieved (docs/shortrange.md).

Example:
    >>> import functools
    >>> sw = functools.partial(square_well_energy, depth=2.0, lam=0.18)
    >>> round(float(square_well_reduced_b2(2.0, 0.18)), 4)
    -3.1084
    >>> round(equivalent_square_well(sw, 1.0, r_max=1.18).reduced_b2, 4)
    -3.1084
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import integrate

from hoomd_rigidfield.shortrange.validation import check_choice, check_distances, check_real

#: Reduced second virial coefficient at the (metastable) critical point :cite:`vliegenthart2000`.
CRITICAL_REDUCED_B2 = -1.5
#: Effective-diameter conventions: Noro-Frenkel (WCA split) and Barker-Henderson.
DIAMETERS = ("nf", "bh")

Energy = Callable[[np.ndarray], np.ndarray]


def _quad(f: Callable[[float], float], points: Sequence[float]) -> float:
    """Sum of adaptive quadratures over consecutive ``points`` (the potential's kinks)."""
    total = 0.0
    for a, b in itertools.pairwise(points):
        if b > a:
            total += integrate.quad(f, a, b, limit=400, epsabs=1e-13, epsrel=1e-11)[0]
    return total


def _segments(lo: float, hi: float, breakpoints: Sequence[float]) -> list[float]:
    inner = sorted(float(b) for b in breakpoints if lo < b < hi)
    return [lo, *inner, hi]


def _mayer(energy: Energy) -> Callable[[float], float]:
    def f(r: float) -> float:
        u = float(np.asarray(energy(np.asarray([r])), dtype=float).ravel()[0])
        return 1.0 - math.exp(-u) if u > -700 else -math.exp(-u)

    return f


def hard_sphere_b2(diameter: float) -> float:
    """:math:`B_2^\\mathrm{HS} = 2\\pi d^3/3` [length^3 in the unit of ``diameter``].

    Args:
        diameter (float): Hard-sphere diameter (> 0).

    Returns:
        float: The second virial coefficient.

    Example:
        >>> round(hard_sphere_b2(1.0), 6)
        2.094395
    """
    d = check_real("diameter", diameter, 0)
    return 2 * math.pi * d**3 / 3


def second_virial(energy: Energy, r_max: float, *, breakpoints: Sequence[float] = ()) -> float:
    """:math:`B_2 = 2\\pi\\int_0^{r_\\max}[1 - e^{-\\beta u(r)}]\\,r^2 dr` by adaptive quadrature.

    Args:
        energy (Callable): :math:`\\beta u(r)` [kT] of an array of distances (``inf`` in a
            hard core); zero beyond ``r_max``.
        r_max (float): Range of the potential (any length unit; :math:`B_2` in its cube).
        breakpoints (Sequence[float]): Distances where :math:`u` jumps or kinks (hard contact,
            square-well edges): the quadrature is split there.

    Returns:
        float: :math:`B_2`.

    Example:
        >>> hs = lambda r: np.where(r < 1.0, np.inf, 0.0)
        >>> round(second_virial(hs, 1.5, breakpoints=[1.0]) / hard_sphere_b2(1.0), 10)
        1.0
    """
    r_max = check_real("r_max", r_max, 0)
    mayer = _mayer(energy)
    return 2 * math.pi * _quad(lambda r: mayer(r) * r * r, _segments(0.0, r_max, breakpoints))


def barker_henderson_diameter(
    energy: Energy, r0: float, *, breakpoints: Sequence[float] = ()
) -> float:
    """Barker-Henderson diameter :cite:`barker1967`.

    :math:`d_\\mathrm{BH} = \\int_0^{r_0}[1 - e^{-\\beta u}]dr`.

    Args:
        energy (Callable): :math:`\\beta u(r)` [kT].
        r0 (float): Where the repulsive branch crosses zero (the hard contact of a potential
            that is attractive at contact).
        breakpoints (Sequence[float]): Jumps and kinks of :math:`u` below ``r0``.

    Returns:
        float: :math:`d_\\mathrm{BH}` (unit of ``r0``).

    Example:
        >>> hs = lambda r: np.where(r < 1.0, np.inf, 0.0)
        >>> round(barker_henderson_diameter(hs, 1.0), 12)
        1.0
    """
    r0 = check_real("r0", r0, 0)
    return _quad(_mayer(energy), _segments(0.0, r0, breakpoints))


def noro_frenkel_diameter(
    energy: Energy, r_min: float, depth: float, *, breakpoints: Sequence[float] = ()
) -> float:
    """Noro-Frenkel diameter of the WCA repulsion :cite:`noro2000`.

    :math:`\\sigma_\\mathrm{eff} = \\int_0^{r_\\mathrm{min}}[1 - e^{-\\beta(u + u_0)}]dr`.

    Args:
        energy (Callable): :math:`\\beta u(r)` [kT].
        r_min (float): Position of the minimum (the first point of a flat minimum).
        depth (float): :math:`\\beta u_0 = -\\beta u(r_\\mathrm{min})` [kT].
        breakpoints (Sequence[float]): Jumps and kinks below ``r_min``.

    Returns:
        float: :math:`\\sigma_\\mathrm{eff}` (unit of ``r_min``).

    Example:
        >>> sw = lambda r: np.where(r < 1.0, np.inf, np.where(r < 1.2, -3.0, 0.0))
        >>> round(noro_frenkel_diameter(sw, 1.0, 3.0), 12)
        1.0
    """
    r_min = check_real("r_min", r_min, 0)
    u0 = check_real("depth", depth, 0, low_open=False, unit="kT")
    return _quad(_mayer(lambda r: energy(r) + u0), _segments(0.0, r_min, breakpoints))


def square_well_energy(
    r: np.ndarray | float, depth: float, lam: float, sigma: float = 1.0
) -> np.ndarray:
    """Square well [kT].

    ``inf`` for :math:`r < \\sigma`, :math:`-u_0` up to :math:`(1+\\lambda)\\sigma`, 0 beyond.

    Args:
        r: Distances (unit of ``sigma``).
        depth (float): :math:`\\beta u_0` [kT] (>= 0).
        lam (float): Well width :math:`\\lambda` [:math:`\\sigma`] (> 0).
        sigma (float): Hard-core diameter.

    Returns:
        numpy.ndarray: :math:`\\beta u`, shaped like ``r``.

    Example:
        >>> square_well_energy([0.5, 1.0, 1.1, 1.2], 2.0, 0.18).tolist()
        [inf, -2.0, -2.0, 0.0]
    """
    u0 = check_real("depth", depth, 0, low_open=False, unit="kT")
    width = check_real("lam", lam, 0, unit="sigma")
    s = check_real("sigma", sigma, 0)
    d = check_distances("r", r)
    return np.where(d < s, np.inf, np.where(d < (1 + width) * s, -u0, 0.0))


def square_well_reduced_b2(depth: np.ndarray | float, lam: np.ndarray | float) -> np.ndarray:
    """Closed form :math:`B_2^* = 1 - [(1+\\lambda)^3 - 1](e^{\\beta u_0} - 1)`.

    Args:
        depth: :math:`\\beta u_0` [kT] (>= 0; arrays broadcast).
        lam: Well width :math:`\\lambda` [:math:`\\sigma`] (> 0).

    Returns:
        numpy.ndarray: :math:`B_2^*`.

    Example:
        >>> round(float(square_well_reduced_b2(1.0, 0.5)), 4)
        -3.0809
    """
    u0, width = np.asarray(depth, dtype=float), np.asarray(lam, dtype=float)
    if np.any(~np.isfinite(u0) | (u0 < 0)):
        raise ValueError(f"depth must be finite and in [0, inf) kT, got {depth!r}")
    if np.any(~np.isfinite(width) | (width <= 0)):
        raise ValueError(f"lam must be finite and in (0, inf) sigma, got {lam!r}")
    return 1.0 - ((1 + width) ** 3 - 1) * np.expm1(u0)


def critical_depth(lam: np.ndarray | float, reduced_b2: float = CRITICAL_REDUCED_B2) -> np.ndarray:
    """Square-well depth at which :math:`B_2^*` reaches the critical value.

    Args:
        lam: Well width :math:`\\lambda` [:math:`\\sigma`] (> 0).
        reduced_b2 (float): Target :math:`B_2^*` (< 1; default :data:`CRITICAL_REDUCED_B2`).

    Returns:
        numpy.ndarray: :math:`\\beta u_{0,c} = \\ln[1 + (1 - B_2^*)/((1+\\lambda)^3 - 1)]` [kT].

    Example:
        >>> round(float(critical_depth(0.18)), 2)
        1.59
    """
    b2 = check_real("reduced_b2", reduced_b2, -math.inf, 1, high_open=True)
    width = np.asarray(lam, dtype=float)
    if np.any(~np.isfinite(width) | (width <= 0)):
        raise ValueError(f"lam must be finite and in (0, inf) sigma, got {lam!r}")
    return np.log1p((1 - b2) / ((1 + width) ** 3 - 1))


def square_well_width(depth: float, reduced_b2: float) -> float:
    """Width :math:`\\lambda` of the square well of depth ``depth`` with a given :math:`B_2^*`.

    :math:`(1+\\lambda)^3 = 1 + (1 - B_2^*)/(e^{\\beta u_0} - 1)`. Where :math:`B_2^* > 1` (a
    repulsive barrier outweighs the well) the result is negative: no square well of that depth
    has this :math:`B_2^*`, and the real cube root is returned so that callers can see it.

    Args:
        depth (float): :math:`\\beta u_0` [kT] (> 0).
        reduced_b2 (float): :math:`B_2^*`.

    Returns:
        float: :math:`\\lambda` [:math:`\\sigma_\\mathrm{eff}`].

    Example:
        >>> round(square_well_width(2.0, -3.1084), 4)
        0.18
    """
    u0 = check_real("depth", depth, 0, unit="kT")
    b2 = check_real("reduced_b2", reduced_b2)
    return float(np.cbrt(1 + (1 - b2) / math.expm1(u0))) - 1.0


@dataclass(frozen=True)
class EquivalentSquareWell:
    """The square well with the depth and :math:`B_2^*` of a pair potential :cite:`noro2000`.

    Args:
        depth (float): :math:`\\beta u_0` [kT].
        lam (float): Width :math:`\\lambda` [:math:`\\sigma_\\mathrm{eff}`] (< 0: no square
            well has this :math:`B_2^*`; the potential is net repulsive).
        sigma_eff (float): Effective hard-core diameter (the potential's length unit).
        reduced_b2 (float): :math:`B_2^*`.
        diameter (str): Convention of ``sigma_eff`` (:data:`DIAMETERS`).
    """

    depth: float
    lam: float
    sigma_eff: float
    reduced_b2: float
    diameter: str = "nf"

    @property
    def below_critical(self) -> bool:
        """bool: :math:`B_2^*` < :data:`CRITICAL_REDUCED_B2` (deeper than the critical point)."""
        return self.reduced_b2 < CRITICAL_REDUCED_B2


def equivalent_square_well(
    energy: Energy,
    r_min: float,
    *,
    r_max: float,
    depth: float | None = None,
    breakpoints: Sequence[float] = (),
    diameter: str = "nf",
    r0: float | None = None,
) -> EquivalentSquareWell:
    """Map a pair potential onto its Noro-Frenkel square well :cite:`noro2000`.

    1. :math:`u_0 = -u(r_\\mathrm{min})`; 2. :math:`\\sigma_\\mathrm{eff}` and
    :math:`B_2^* = B_2/B_2^\\mathrm{HS}(\\sigma_\\mathrm{eff})`; 3.
    :math:`\\lambda` from :func:`square_well_width`. On a square well it is the identity.

    Args:
        energy (Callable): :math:`\\beta u(r)` [kT] (``inf`` in a hard core).
        r_min (float): Position of the minimum (first point of a flat minimum: for a square
            well or a hard contact, the contact).
        r_max (float): Range (energy zero beyond).
        depth (float): :math:`\\beta u_0` (default :math:`-\\beta u(r_\\mathrm{min})`).
        breakpoints (Sequence[float]): Jumps and kinks of :math:`u` (include ``r_min`` and the
            edges of steps).
        diameter (str): ``"nf"`` (default) or ``"bh"`` (:data:`DIAMETERS`).
        r0 (float): Zero of the repulsive branch for ``"bh"`` (default ``r_min``).

    Returns:
        EquivalentSquareWell: Depth, width, :math:`\\sigma_\\mathrm{eff}`, :math:`B_2^*`.
    """
    check_choice("diameter", diameter, DIAMETERS)
    r_min = check_real("r_min", r_min, 0)
    r_max = check_real("r_max", r_max, r_min, low_open=False)
    if depth is None:
        depth = -float(np.asarray(energy(np.asarray([r_min])), dtype=float).ravel()[0])
    u0 = check_real("depth", depth, 0, unit="kT")
    points = [r_min, *breakpoints]
    if diameter == "nf":
        sigma = noro_frenkel_diameter(energy, r_min, u0, breakpoints=points)
    else:
        sigma = barker_henderson_diameter(energy, r_min if r0 is None else r0, breakpoints=points)
    b2 = second_virial(energy, r_max, breakpoints=points) / hard_sphere_b2(sigma)
    return EquivalentSquareWell(u0, square_well_width(u0, b2), sigma, b2, diameter)
