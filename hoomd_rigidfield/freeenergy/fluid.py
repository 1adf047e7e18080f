"""Fluid free energies: the ideal mixture, an isotherm from the ideal gas, an isochore in β.

Composition is fixed (mole fractions :math:`x_i`); densities are total number densities
:math:`\\rho` [σ⁻³]; :math:`Z = \\beta p/\\rho`. Along an isotherm

.. math::

    \\frac{\\beta A}{N} = \\sum_i x_i\\,[\\ln(x_i \\rho \\Lambda_i^3) - 1]
        + \\int_0^\\rho \\frac{Z(\\rho') - 1}{\\rho'}\\, d\\rho' ,

:math:`\\beta p = \\rho Z` and the mean chemical potential (per particle, at fixed
composition) is :math:`\\sum_i x_i \\beta\\mu_i = \\beta G/N = \\beta A/N + Z`.

Two ways in: :func:`excess_free_energy` integrates a callable :math:`Z(\\rho)` (an equation of
state) by Gauss-Legendre quadrature; :class:`FluidIsotherm` fits simulated :math:`Z(\\rho_k)`
(NVT or NPT runs) by :math:`Z - 1 = \\sum_{j=1}^m a_j \\rho^j`, which has the right
low-density (virial) limit by construction (optionally :math:`a_1 = B_2` fixed), and
integrates the fit in closed form, :math:`\\beta A_\\mathrm{ex}/N = \\sum_j a_j\\rho^j/j`.
The fit's degree is the caller's choice; check it with its residuals. Subcritical liquids are
reached from a supercritical isotherm along an isochore, :math:`\\partial(\\beta
A_\\mathrm{ex}/N)/\\partial\\beta = \\langle U\\rangle/N` (:func:`isochore_free_energy`).

Example:
    >>> from hoomd_rigidfield.freeenergy.fluid import excess_free_energy
    >>> excess_free_energy(lambda rho: 1.0 + 0.0 * rho, 0.5)  # the ideal gas
    0.0
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from hoomd_rigidfield.validation import (
    check_finite_array,
    check_int,
    check_positive,
    check_real,
)


def _fractions(fractions: Sequence[float], wavelengths: Any) -> tuple[np.ndarray, np.ndarray]:
    x = check_finite_array("fractions", fractions, (None,))
    if len(x) == 0 or np.any(x <= 0) or abs(x.sum() - 1) > 1e-9:
        raise ValueError(f"fractions must be > 0 and sum to 1, got {list(x)}")
    wl = np.broadcast_to(check_finite_array("wavelengths", wavelengths), x.shape).astype(float)
    if np.any(wl <= 0):
        raise ValueError(f"wavelengths must be > 0 sigma, got {list(wl)}")
    return x, wl


def ideal_free_energy(
    density: float, fractions: Sequence[float] = (1.0,), wavelengths: Any = 1.0
) -> float:
    """:math:`\\beta A_\\mathrm{id}/N = \\sum_i x_i[\\ln(x_i\\rho\\Lambda_i^3) - 1]` (Stirling).

    Args:
        density (float): Total number density :math:`\\rho` [σ⁻³].
        fractions (Sequence[float]): Mole fractions :math:`x_i` (sum 1).
        wavelengths (float or Sequence[float]): Thermal wavelengths :math:`\\Lambda_i` [σ].

    Returns:
        float: [kT].

    Example:
        >>> round(ideal_free_energy(1.04086), 5)
        -0.95995
    """
    rho = check_positive("density", density, "sigma^-3")
    x, wl = _fractions(fractions, wavelengths)
    return float(np.sum(x * (np.log(x * rho * wl**3) - 1.0)))


def excess_free_energy(
    compressibility: Callable[[np.ndarray], np.ndarray], density: float, *, n_points: int = 64
) -> float:
    """:math:`\\int_0^\\rho (Z-1)/\\rho'\\,d\\rho'` of an equation of state, by Gauss-Legendre.

    Args:
        compressibility: :math:`Z(\\rho)`, vectorised over an array of densities.
        density (float): Upper limit :math:`\\rho` [σ⁻³] (>= 0).
        n_points (int): Quadrature points (the integrand is smooth; 64 is plenty).

    Returns:
        float: :math:`\\beta A_\\mathrm{ex}/N` [kT].
    """
    rho = check_real("density", density, 0, low_open=False, unit="sigma^-3")
    if rho == 0:
        return 0.0
    t, w = np.polynomial.legendre.leggauss(check_int("n_points", n_points, 2))
    r = 0.5 * rho * (t + 1.0)
    z = check_finite_array("compressibility(rho)", compressibility(r), (len(r),))
    return float(0.5 * rho * np.dot(w, (z - 1.0) / r))


@dataclass(frozen=True)
class FluidIsotherm:
    """A fluid branch along one isotherm: :math:`Z - 1 = \\sum_{j\\ge1} a_j\\rho^j`.

    Args:
        coefficients ((m,) numpy.ndarray): :math:`a_1..a_m` [σ^{3j}].
        fractions (tuple[float, ...]): Mole fractions (fixed composition).
        wavelengths (tuple[float, ...]): Thermal wavelengths [σ].
        density_max (float): Largest density fitted [σ⁻³] (the fit is not used above it).
    """

    coefficients: np.ndarray
    fractions: tuple[float, ...] = (1.0,)
    wavelengths: tuple[float, ...] = (1.0,)
    density_max: float = math.inf

    @classmethod
    def fit(
        cls,
        density: Any,
        compressibility: Any,
        errors: Any = None,
        *,
        degree: int = 4,
        b2: float | None = None,
        fractions: Sequence[float] = (1.0,),
        wavelengths: Any = 1.0,
    ) -> FluidIsotherm:
        """Weighted least squares of :math:`Z(\\rho_k)` (NVT/NPT runs) by the polynomial.

        Args:
            density ((K,) array): Densities [σ⁻³] (> 0).
            compressibility ((K,) array): :math:`Z` there.
            errors ((K,) array): Standard errors of :math:`Z` (weights; ``None``: equal).
            degree (int): :math:`m` (>= 1).
            b2 (float): Fix :math:`a_1 = B_2` [σ³] (second virial coefficient) if given.
            fractions (Sequence[float]): Mole fractions.
            wavelengths: Thermal wavelengths [σ].

        Returns:
            FluidIsotherm: The fitted branch.
        """
        rho = check_finite_array("density", density, (None,))
        z = check_finite_array("compressibility", compressibility, (len(rho),))
        m = check_int("degree", degree, 1, 30)
        if np.any(rho <= 0):
            raise ValueError("density must be > 0 sigma^-3 everywhere")
        sigma = (
            np.ones_like(rho)
            if errors is None
            else check_finite_array("errors", errors, (len(rho),))
        )
        if np.any(sigma <= 0):
            raise ValueError("errors must be > 0")
        powers = np.arange(1, m + 1)
        design = rho[:, None] ** powers[None]
        target = z - 1.0
        if b2 is not None:
            target = target - check_real("b2", b2, unit="sigma^3") * rho
            design = design[:, 1:]
        n_free = design.shape[1]
        if len(rho) < n_free:
            raise ValueError(f"need at least {n_free} densities for degree {m}, got {len(rho)}")
        coef = (
            np.linalg.lstsq(design / sigma[:, None], target / sigma, rcond=None)[0]
            if n_free
            else np.zeros(0)
        )
        if b2 is not None:
            coef = np.concatenate([[float(b2)], coef])
        x, wl = _fractions(fractions, wavelengths)
        return cls(coef, tuple(map(float, x)), tuple(map(float, wl)), float(rho.max()))

    def _rho(self, density: Any) -> np.ndarray:
        rho = np.asarray(density, dtype=float)
        if (
            np.any(~np.isfinite(rho))
            or np.any(rho < 0)
            or np.any(rho > self.density_max * (1 + 1e-9))
        ):
            raise ValueError(
                f"density must lie in [0, {self.density_max:g}] sigma^-3 (the fitted range), got {density!r}"
            )
        return rho

    def compressibility(self, density: Any) -> np.ndarray:
        """:math:`Z(\\rho)`."""
        rho = self._rho(density)
        return 1.0 + sum(a * rho ** (j + 1) for j, a in enumerate(self.coefficients))

    def excess_free_energy(self, density: Any) -> np.ndarray:
        """:math:`\\beta A_\\mathrm{ex}/N = \\sum_j a_j\\rho^j/j` [kT]."""
        rho = self._rho(density)
        return 0.0 * rho + sum(
            a * rho ** (j + 1) / (j + 1) for j, a in enumerate(self.coefficients)
        )

    def free_energy(self, density: Any) -> np.ndarray:
        """:math:`\\beta A/N` [kT], ideal mixture included."""
        rho = self._rho(density)
        x, wl = np.array(self.fractions), np.array(self.wavelengths)
        ideal = np.sum(x * (np.log(np.multiply.outer(rho, x * wl**3)) - 1.0), axis=-1)
        return ideal + self.excess_free_energy(rho)

    def pressure(self, density: Any) -> np.ndarray:
        """:math:`\\beta p = \\rho Z` [kT σ⁻³]."""
        return self._rho(density) * self.compressibility(density)

    def chemical_potential(self, density: Any) -> np.ndarray:
        """:math:`\\sum_i x_i\\beta\\mu_i = \\beta A/N + Z` [kT]."""
        return self.free_energy(density) + self.compressibility(density)


def isochore_free_energy(
    betas: Any, energies: Any, errors: Any = None, *, start: float = 0.0
) -> tuple[np.ndarray, np.ndarray]:
    """:math:`\\beta A_\\mathrm{ex}/N` along an isochore: :math:`\\int \\langle U\\rangle/N\\,d\\beta`.

    Trapezoidal rule on the given grid (refine the grid where :math:`\\langle U\\rangle` bends);
    the points are independent runs, so errors add in quadrature with the trapezoid weights.

    Args:
        betas ((K,) array): :math:`\\beta = 1/kT` [1/energy], strictly monotonic; ``betas[0]``
            is the known state (e.g. on a supercritical isotherm).
        energies ((K,) array): :math:`\\langle U\\rangle/N` [energy] at each :math:`\\beta`.
        errors ((K,) array): Standard errors of ``energies`` (``None``: 0).
        start (float): :math:`\\beta A_\\mathrm{ex}/N` at ``betas[0]`` [kT].

    Returns:
        tuple[numpy.ndarray, numpy.ndarray]: :math:`\\beta A_\\mathrm{ex}/N` at every
        :math:`\\beta` and its standard error (0 at the start; the start's own error is the
        caller's).
    """
    b = check_finite_array("betas", betas, (None,))
    u = check_finite_array("energies", energies, (len(b),))
    e = np.zeros_like(u) if errors is None else check_finite_array("errors", errors, (len(b),))
    if len(b) < 2 or not (np.all(np.diff(b) > 0) or np.all(np.diff(b) < 0)):
        raise ValueError("betas must have >= 2 strictly monotonic entries")
    a0 = check_real("start", start)
    h = np.diff(b)
    values = a0 + np.concatenate([[0.0], np.cumsum(0.5 * h * (u[1:] + u[:-1]))])
    err = np.zeros(len(b))
    for k in range(1, len(b)):
        w = np.zeros(k + 1)
        w[:-1] += 0.5 * h[:k]
        w[1:] += 0.5 * h[:k]
        err[k] = math.sqrt(float(np.sum((w * e[: k + 1]) ** 2)))
    return values, err


def second_virial(
    pair_energy: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
    fractions: Sequence[float],
    r_cut: Any,
    *,
    kT: float = 1.0,
    n_points: int = 20_000,
) -> float:
    """:math:`B_2 = -2\\pi\\sum_{ij} x_i x_j \\int_0^{r_c} (e^{-\\beta u_{ij}} - 1) r^2\\,dr` [σ³].

    Args:
        pair_energy: ``pair_energy(r, type_i, type_j)`` [energy] (the perturbation step's form);
            type ids are the indices of ``fractions``.
        fractions (Sequence[float]): Mole fractions :math:`x_i`.
        r_cut (float or (n, n) array): Cut-off(s) [σ]: beyond it the pair does not interact.
        kT (float): Temperature [energy].
        n_points (int): Trapezoid points per pair (the steep core is resolved at 20 000).

    Returns:
        float: :math:`B_2` of the mixture at fixed composition [σ³].

    Example:
        >>> hard = lambda r, ti, tj: np.where(r < 1.0, np.inf, 0.0)
        >>> round(second_virial(hard, [1.0], 1.5) / (2 * np.pi / 3), 4)  # hard spheres
        1.0
    """
    x, _ = _fractions(fractions, 1.0)
    beta = 1.0 / check_positive("kT", kT)
    k = len(x)
    rc = np.broadcast_to(check_finite_array("r_cut", r_cut), (k, k))
    if np.any(rc <= 0):
        raise ValueError(f"r_cut must be > 0 sigma, got {r_cut!r}")
    total = 0.0
    for i in range(k):
        for j in range(k):
            r = np.linspace(0.0, rc[i, j], check_int("n_points", n_points, 100))[1:]
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                u = np.asarray(pair_energy(r, np.full(r.shape, i), np.full(r.shape, j)), float)
                f = np.where(np.isposinf(u), -1.0, np.expm1(-beta * np.nan_to_num(u, posinf=0.0)))
            integrand = np.concatenate([[-0.0], f * r * r])
            total += x[i] * x[j] * float(np.trapezoid(integrand, dx=rc[i, j] / (len(r))))
    return float(-2.0 * math.pi * total)
