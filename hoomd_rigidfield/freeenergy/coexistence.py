"""Coexistence of two phases: equal pressure and chemical potential (the common tangent).

A *branch* is any object with ``pressure(rho)`` (:math:`\\beta p` [kT σ⁻³]) and
``chemical_potential(rho)`` (:math:`\\beta\\mu` per particle at fixed composition [kT]):
:class:`~.fluid.FluidIsotherm`, :class:`EquationOfStateBranch` (a solid or fluid equation of
state anchored at one known free energy) or the caller's own. :func:`coexistence` solves
:math:`p_a(\\rho_a) = p_b(\\rho_b)`, :math:`\\mu_a(\\rho_a) = \\mu_b(\\rho_b)` with
``scipy.optimize.root`` in :math:`\\ln\\rho`, the common tangent of :math:`\\beta A/V` against
:math:`\\rho`. Scanning a parameter (ε/kT, say) is a loop over branches built per value.

Example:
    >>> from hoomd_rigidfield.freeenergy.coexistence import EquationOfStateBranch
    >>> gas = EquationOfStateBranch(lambda rho: 1.0 + 0.0 * rho)  # the ideal gas, from rho = 0
    >>> round(float(gas.chemical_potential(0.1)), 6)  # ln(rho Lambda^3)
    -2.302585
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from scipy.optimize import root

from hoomd_rigidfield.freeenergy.fluid import excess_free_energy
from hoomd_rigidfield.validation import check_finite_array, check_positive, check_real

#: Densities closer than this (relative) count as the same phase: the trivial solution.
SAME_PHASE = 1e-4


class Branch(Protocol):
    """What :func:`coexistence` needs from a phase."""

    def pressure(self, density: Any) -> Any:
        """:math:`\\beta p` [kT σ⁻³]."""

    def chemical_potential(self, density: Any) -> Any:
        """:math:`\\beta\\mu` [kT]."""


@dataclass(frozen=True)
class EquationOfStateBranch:
    """A branch from :math:`Z(\\rho)` and one known free energy.

    :math:`\\partial(\\beta A/N)/\\partial\\rho = Z/\\rho`, so
    :math:`\\beta A/N(\\rho) = \\beta A/N(\\rho_0) + \\int_{\\rho_0}^{\\rho} Z/\\rho'\\,d\\rho'`.
    Without an anchor (``density0 is None``) the branch is a fluid integrated from the ideal gas
    (one component, :math:`\\Lambda` = ``wavelength``); a solid is anchored at the density of its
    Einstein-molecule free energy.

    Args:
        compressibility: :math:`Z(\\rho)`, vectorised.
        density0 (float): Anchor density [σ⁻³] (``None``: ideal gas at 0).
        free_energy0 (float): :math:`\\beta A/N` there [kT].
        wavelength (float): Thermal wavelength [σ] (fluid from the ideal gas only).
    """

    compressibility: Callable[[np.ndarray], np.ndarray]
    density0: float | None = None
    free_energy0: float = 0.0
    wavelength: float = 1.0

    def __post_init__(self):
        if self.density0 is not None:
            check_positive("density0", self.density0, "sigma^-3")
        check_real("free_energy0", self.free_energy0, unit="kT")
        check_positive("wavelength", self.wavelength, "sigma")

    def free_energy(self, density: float) -> float:
        """:math:`\\beta A/N` [kT]."""
        rho = check_positive("density", density, "sigma^-3")
        if self.density0 is None:
            ideal = math.log(rho * self.wavelength**3) - 1.0
            return ideal + excess_free_energy(self.compressibility, rho)
        t, w = np.polynomial.legendre.leggauss(48)
        r = self.density0 + 0.5 * (rho - self.density0) * (t + 1.0)
        z = check_finite_array("compressibility(rho)", self.compressibility(r), (len(r),))
        return self.free_energy0 + float(0.5 * (rho - self.density0) * np.dot(w, z / r))

    def pressure(self, density: Any) -> Any:
        """:math:`\\beta p = \\rho Z` [kT σ⁻³]."""
        return density * self.compressibility(np.asarray(density, dtype=float))

    def chemical_potential(self, density: Any) -> Any:
        """:math:`\\beta\\mu = \\beta A/N + Z` [kT]."""
        return self.free_energy(float(density)) + float(
            self.compressibility(np.asarray(density, dtype=float))
        )


@dataclass(frozen=True)
class Coexistence:
    """Two coexisting phases.

    Args:
        density_a (float): Density of phase a [σ⁻³].
        density_b (float): Density of phase b [σ⁻³].
        pressure (float): :math:`\\beta p` [kT σ⁻³].
        chemical_potential (float): :math:`\\beta\\mu` [kT].
    """

    density_a: float
    density_b: float
    pressure: float
    chemical_potential: float


def coexistence(
    phase_a: Branch, phase_b: Branch, guess: tuple[float, float], *, tol: float = 1e-10
) -> Coexistence:
    """Equal :math:`\\beta p` and :math:`\\beta\\mu` between two branches.

    Args:
        phase_a (Branch): First phase (e.g. the fluid).
        phase_b (Branch): Second phase (e.g. the solid).
        guess (tuple[float, float]): Starting densities :math:`(\\rho_a, \\rho_b)` [σ⁻³].
        tol (float): Solver tolerance on :math:`\\ln\\rho`.

    Returns:
        Coexistence: The densities, pressure and chemical potential.

    Raises:
        RuntimeError: If the solver fails or finds the trivial solution (one phase twice).
    """
    g = check_finite_array("guess", guess, (2,))
    if np.any(g <= 0):
        raise ValueError(f"guess must be two densities > 0 sigma^-3, got {list(g)}")
    tol = check_positive("tol", tol)

    def residual(x: np.ndarray) -> list[float]:
        ra, rb = np.exp(x)
        pa, pb = float(phase_a.pressure(ra)), float(phase_b.pressure(rb))
        scale = max(abs(pa), abs(pb), 1e-12)
        return [
            (pa - pb) / scale,
            float(phase_a.chemical_potential(ra) - phase_b.chemical_potential(rb)),
        ]

    sol = root(residual, np.log(g), tol=tol)
    ra, rb = (float(v) for v in np.exp(sol.x))
    if not sol.success or max(abs(r) for r in residual(sol.x)) > 1e-6:
        raise RuntimeError(f"coexistence did not converge from guess {list(g)}: {sol.message}")
    if abs(ra - rb) <= SAME_PHASE * max(ra, rb):
        raise RuntimeError(
            f"coexistence found one phase twice (rho = {ra:.6g}): start from more distinct guesses"
        )
    return Coexistence(ra, rb, float(phase_a.pressure(ra)), float(phase_a.chemical_potential(ra)))
