"""The square-well solid and its dilute gas: pair energy, virial gas, solubility line.

The square well of depth :math:`u_0` and width :math:`\\lambda` (range ratio
:math:`\\lambda' = 1 + \\lambda`) on a hard core :math:`\\sigma` (the convention of
:cite:`noro2000`):

.. math::

    \\beta u(r) = \\infty \\ (r < \\sigma), \\qquad -\\beta u_0 \\ (\\sigma \\le r < \\lambda'\\sigma),
    \\qquad 0 \\ (r \\ge \\lambda'\\sigma) .

The crystal's :math:`\\beta A/N` comes from the Einstein molecule :cite:`vega2007`
(:func:`hoomd_rigidfield.freeenergy.hpmc.hard_sphere_free_energy` with ``square_well``); its
perturbation step is :func:`square_well_perturbation` (the hard core enters as weight 0). The
gas is the virial series with the exact :math:`B_2` and :math:`B_3`
(:class:`VirialGas`; :math:`B_3` in closed form for :math:`\\lambda' \\le 2`). The solid branch
is a weighted polynomial fit of :math:`\\beta A/N` against :math:`\\rho` (:class:`SolidFit`), so
:math:`\\beta p = \\rho^2\\,\\partial(\\beta A/N)/\\partial\\rho` and :math:`\\beta\\mu = \\beta A/N
+ \\beta p/\\rho`; :func:`solubility` solves equal :math:`p` and :math:`\\mu` between the two
(Brent's method along the solid branch from zero pressure up, with the gas of equal
:math:`\\mu` on the series' dilute branch, :meth:`VirialGas.density`) and propagates the
free-energy errors by a parametric bootstrap. :math:`\\Lambda = \\sigma` on both sides unless
given (it cancels at coexistence). :func:`widom_weight` gives the fluid's :math:`\\beta\\mu` from
test-particle insertion into sampled frames, a check of the truncated series.

Example:
    >>> well = SquareWell(2.0, 0.18)
    >>> round(well.reduced_b2, 4)  # 1 - (1.18^3 - 1)(e^2 - 1)
    -3.1084
    >>> round(critical_depth(0.18), 4)  # B2* = -1.5
    1.5867
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import brentq

from hoomd_rigidfield.freeenergy.einstein import LatticePairs, Perturbation, soft_perturbation
from hoomd_rigidfield.validation import (
    check_finite_array,
    check_int,
    check_positive,
    check_real,
)

#: Reduced second virial coefficient :math:`B_2/B_2^\\mathrm{HS}` of the metastable critical
#: point :cite:`vliegenthart2000`.
CRITICAL_REDUCED_B2 = -1.5


@dataclass(frozen=True)
class SquareWell:
    """A square well on a hard core (module docstring).

    Args:
        depth (float): :math:`\\beta u_0` [kT] (>= 0; 0 is the hard sphere).
        width (float): :math:`\\lambda` [σ] (> 0): the well ends at :math:`(1+\\lambda)\\sigma`.
        sigma (float): Hard-core diameter :math:`\\sigma` [σ].
    """

    depth: float
    width: float
    sigma: float = 1.0

    def __post_init__(self):
        check_real("depth", self.depth, 0.0, low_open=False, unit="kT")
        check_positive("width", self.width, "sigma")
        check_positive("sigma", self.sigma, "sigma")

    @property
    def range(self) -> float:
        """float: Outer edge of the well :math:`(1+\\lambda)\\sigma` [σ]."""
        return (1.0 + self.width) * self.sigma

    def energy(self, r: Any) -> np.ndarray:
        """:math:`\\beta u(r)` [kT]: ``inf`` in the core, :math:`-\\beta u_0` in the well.

        Args:
            r (array): Pair distances [σ].

        Returns:
            numpy.ndarray: Energies [kT], the shape of ``r``.

        Example:
            >>> SquareWell(1.5, 0.18).energy([0.9, 1.0, 1.17, 1.18]).tolist()
            [inf, -1.5, -1.5, 0.0]
        """
        r = np.asarray(r, dtype=np.float64)
        well = np.where(r < self.range, -float(self.depth), 0.0)
        return np.where(r < self.sigma, np.inf, well)

    @property
    def b2(self) -> float:
        """float: :math:`B_2 = b_0[1 - (\\lambda'^3 - 1)(e^{\\beta u_0} - 1)]` [σ³].

        :math:`b_0 = 2\\pi\\sigma^3/3` is the hard-sphere :math:`B_2`.
        """
        b0 = 2.0 * math.pi * self.sigma**3 / 3.0
        return b0 * self.reduced_b2

    @property
    def reduced_b2(self) -> float:
        """float: :math:`B_2^* = B_2/b_0` (no unit) :cite:`noro2000`."""
        return 1.0 - ((1.0 + self.width) ** 3 - 1.0) * math.expm1(self.depth)

    @property
    def b3(self) -> float:
        """float: :math:`B_3` [σ⁶], the closed form for :math:`\\lambda' \\le 2`.

        With :math:`x = e^{\\beta u_0} - 1` and :math:`l = \\lambda'`,
        :math:`B_3/b_0^2 = [5 - x(l^6 - 18l^4 + 32l^3 - 15) - x^2(2l^6 - 36l^4 + 32l^3 + 18l^2
        - 16) - x^3(6l^6 - 18l^4 + 18l^2 - 6)]/8`; :math:`5b_0^2/8` for hard spheres.

        Raises:
            ValueError: If :math:`\\lambda > 1` (the form changes beyond :math:`\\lambda' = 2`).
        """
        if self.width > 1.0:
            raise ValueError(f"b3 needs width <= 1 sigma (range ratio <= 2), got {self.width!r}")
        x, l2 = math.expm1(self.depth), 1.0 + self.width
        b0 = 2.0 * math.pi * self.sigma**3 / 3.0
        c1 = l2**6 - 18 * l2**4 + 32 * l2**3 - 15
        c2 = 2 * l2**6 - 36 * l2**4 + 32 * l2**3 + 18 * l2**2 - 16
        c3 = 6 * l2**6 - 18 * l2**4 + 18 * l2**2 - 6
        return b0**2 * (5.0 - x * c1 - x**2 * c2 - x**3 * c3) / 8.0


def critical_depth(width: float, reduced_b2: float = CRITICAL_REDUCED_B2) -> float:
    """:math:`\\beta u_0` at which the square well's :math:`B_2^*` equals ``reduced_b2``.

    Args:
        width (float): :math:`\\lambda` [σ] (> 0).
        reduced_b2 (float): Target :math:`B_2^*` (< 1; default the critical -1.5).

    Returns:
        float: :math:`\\ln[1 + (1 - B_2^*)/(\\lambda'^3 - 1)]` [kT].
    """
    w = check_positive("width", width, "sigma")
    b = check_real("reduced_b2", reduced_b2, high=1.0, high_open=True)
    return math.log1p((1.0 - b) / ((1.0 + w) ** 3 - 1.0))


def square_well_perturbation(
    box: Any,
    positions: Any,
    spring: float,
    well: SquareWell,
    *,
    n_samples: int = 20_000,
    rng: Any = None,
    batch: int | None = None,
) -> Perturbation:
    """:math:`\\beta\\Delta A_1/N` of the square well from exact samples of the ideal molecule.

    :func:`.einstein.soft_perturbation` with :meth:`SquareWell.energy`: an overlapping sample
    has weight :math:`e^{-\\infty} = 0`, so this is :math:`\\beta U_\\mathrm{lat}/N -
    \\ln[P(\\text{no overlap})\\,\\langle e^{-\\beta(U - U_\\mathrm{lat})}\\rangle_\\text{free}]/N`.

    Args:
        box: Periodic box (freud or anything :meth:`freud.box.Box.from_box` reads).
        positions ((N, 3) array): Lattice sites [σ]; site 0 is fixed.
        spring (float): :math:`\\beta\\Lambda_E` [kT/σ²].
        well (SquareWell): The pair potential.
        n_samples (int): Independent configurations (>= 2).
        rng: :class:`numpy.random.Generator` or a seed.
        batch (int): Configurations per vectorised batch.

    Returns:
        Perturbation: With :attr:`~.einstein.Perturbation.lattice_energy` the lattice's
        :math:`\\beta U/N`.

    Raises:
        ValueError: If the lattice overlaps, or no sample is free of overlaps (use a stiffer
            spring).
    """
    if not isinstance(well, SquareWell):
        raise ValueError(f"well must be a SquareWell, got {type(well).__name__}")
    if len(LatticePairs.build(box, positions, well.sigma).i):
        raise ValueError("the lattice sites overlap: the crystal is denser than close packing")
    with np.errstate(invalid="ignore"):  # all samples overlapping: -inf - (-inf), refused below
        out = soft_perturbation(
            box,
            positions,
            spring,
            lambda r, ti, tj: well.energy(r),
            well.range,
            n_samples=n_samples,
            rng=rng,
            batch=batch,
        )
    if not (math.isfinite(out.value) and math.isfinite(out.error)):
        raise ValueError(
            f"no overlap-free configuration in {n_samples} samples of the ideal molecule: "
            "use a stiffer spring"
        )
    return out


@dataclass(frozen=True)
class VirialGas:
    """The dilute square-well fluid, :math:`Z = 1 + B_2\\rho + B_3\\rho^2` (truncated virial).

    Args:
        well (SquareWell): The pair potential (:math:`\\lambda' \\le 2` for ``order = 3``).
        order (int): Highest virial coefficient kept (2 or 3).
        wavelength (float): Thermal wavelength :math:`\\Lambda` [σ].
    """

    well: SquareWell
    order: int = 3
    wavelength: float = 1.0

    def __post_init__(self):
        if not isinstance(self.well, SquareWell):
            raise ValueError(f"well must be a SquareWell, got {type(self.well).__name__}")
        check_int("order", self.order, 2, 3)
        check_positive("wavelength", self.wavelength, "sigma")

    def _b3(self) -> float:
        return self.well.b3 if self.order == 3 else 0.0

    def pressure(self, density: Any) -> Any:
        """:math:`\\beta p = \\rho + B_2\\rho^2 + B_3\\rho^3` [kT σ⁻³]."""
        rho = np.asarray(density, dtype=np.float64)
        return rho * (1.0 + self.well.b2 * rho + self._b3() * rho**2)

    def chemical_potential(self, density: Any) -> Any:
        """:math:`\\beta\\mu = \\ln(\\rho\\Lambda^3) + 2B_2\\rho + \\tfrac32 B_3\\rho^2` [kT].

        Example:
            >>> gas = VirialGas(SquareWell(0.0, 0.18), order=2)
            >>> round(float(gas.chemical_potential(1e-3)) - math.log(1e-3), 6)  # 2 b0 rho
            0.004189
        """
        rho = np.asarray(density, dtype=np.float64)
        return (
            np.log(rho * self.wavelength**3) + 2.0 * self.well.b2 * rho + 1.5 * self._b3() * rho**2
        )

    @property
    def spinodal(self) -> float:
        """float: Lowest density where :math:`\\partial\\beta\\mu/\\partial\\rho = 0` [σ⁻³] (``inf``: none).

        :math:`1 + 2B_2\\rho + 3B_3\\rho^2 = 0`: the series' dilute branch ends there.
        """
        roots = np.roots([3.0 * self._b3(), 2.0 * self.well.b2, 1.0])
        real = [float(r.real) for r in np.atleast_1d(roots) if abs(r.imag) < 1e-12 and r.real > 0]
        return min(real, default=math.inf)

    @property
    def dilute_limit(self) -> float:
        """float: End of the dilute branch, :attr:`spinodal` or :math:`\\sigma^{-3}` [σ⁻³]."""
        return min(self.spinodal, 1.0 / self.well.sigma**3)

    def density(self, chemical_potential: float) -> float:
        """The dilute-branch density of chemical potential :math:`\\beta\\mu` [σ⁻³].

        Args:
            chemical_potential (float): :math:`\\beta\\mu` [kT].

        Returns:
            float: :math:`\\rho` below :attr:`spinodal` with that :math:`\\beta\\mu`.

        Raises:
            ValueError: If :math:`\\beta\\mu` exceeds the series' value at its spinodal (or
                at :math:`\\rho\\sigma^3 = 1` without one): the gas is not dilute there.

        Example:
            >>> gas = VirialGas(SquareWell(2.0, 0.18), order=2)
            >>> rho = gas.density(-6.0)
            >>> round(float(gas.chemical_potential(rho)), 12)
            -6.0
        """
        mu = check_real("chemical_potential", chemical_potential, unit="kT")
        top = self.dilute_limit
        if mu >= float(self.chemical_potential(top)):
            raise ValueError(
                f"chemical_potential = {mu!r} kT is above the virial series' "
                f"{float(self.chemical_potential(top)):.6g} kT at rho = {top:.4g} sigma^-3: "
                "the gas is not dilute there"
            )
        return math.exp(
            brentq(
                lambda x: float(self.chemical_potential(math.exp(x))) - mu,
                mu - 50.0 - 3 * math.log(self.wavelength) - 100.0,
                math.log(top),
                xtol=1e-14,
                rtol=1e-14,
            )
        )


@dataclass(frozen=True)
class SolidFit:
    """:math:`\\beta A/N(\\rho)` of a crystal: a weighted least-squares polynomial.

    Args:
        densities ((K,) array): Crystal densities [σ⁻³] (K > ``degree``).
        free_energies ((K,) array): :math:`\\beta A/N` there [kT].
        errors ((K,) array): Their standard errors [kT] (> 0).
        degree (int): Polynomial degree in :math:`\\rho` (>= 2, so the pressure can vanish).
    """

    densities: np.ndarray
    free_energies: np.ndarray
    errors: np.ndarray
    degree: int = 2

    def __post_init__(self):
        rho = check_finite_array("densities", self.densities, (None,))
        check_int("degree", self.degree, 2)
        if len(rho) <= self.degree:
            raise ValueError(
                f"densities must hold more than degree = {self.degree} points, got {len(rho)}"
            )
        if np.any(rho <= 0):
            raise ValueError(f"densities must be > 0 sigma^-3, got {list(rho)}")
        check_finite_array("free_energies", self.free_energies, (len(rho),))
        err = check_finite_array("errors", self.errors, (len(rho),))
        if np.any(np.asarray(err) <= 0):
            raise ValueError(f"errors must be > 0 kT, got {list(err)}")

    @property
    def polynomial(self) -> np.polynomial.Polynomial:
        """numpy.polynomial.Polynomial: The fit, weights :math:`1/\\text{error}`."""
        rho = np.asarray(self.densities, dtype=float)
        return np.polynomial.Polynomial.fit(
            rho, self.free_energies, self.degree, w=1.0 / np.asarray(self.errors, dtype=float)
        )

    def free_energy(self, density: Any) -> Any:
        """:math:`\\beta A/N` [kT]."""
        return self.polynomial(np.asarray(density, dtype=np.float64))

    def pressure(self, density: Any) -> Any:
        """:math:`\\beta p = \\rho^2\\,\\partial(\\beta A/N)/\\partial\\rho` [kT σ⁻³]."""
        rho = np.asarray(density, dtype=np.float64)
        return rho**2 * self.polynomial.deriv()(rho)

    def chemical_potential(self, density: Any) -> Any:
        """:math:`\\beta\\mu = \\beta A/N + \\beta p/\\rho` [kT]."""
        rho = np.asarray(density, dtype=np.float64)
        return self.free_energy(rho) + rho * self.polynomial.deriv()(rho)

    def zero_pressure_density(self) -> float:
        """The density inside the fitted range where :math:`\\beta p = 0` [σ⁻³].

        Raises:
            ValueError: If the pressure does not change sign inside the fitted range (the
                zero-pressure crystal would be an extrapolation: add densities).
        """
        lo, hi = float(np.min(self.densities)), float(np.max(self.densities))
        roots = [
            float(r.real)
            for r in self.polynomial.deriv().roots()
            if abs(r.imag) < 1e-12 and lo <= r.real <= hi
        ]
        stable = [r for r in roots if self.polynomial.deriv(2)(r) > 0]
        if not stable:
            raise ValueError(
                f"the fitted pressure has no stable zero in [{lo:.6g}, {hi:.6g}] sigma^-3: "
                "add crystal densities around the zero-pressure one"
            )
        return stable[0]

    def density_at_pressure(self, pressure: float) -> float:
        """The density of the fitted crystal at :math:`\\beta p` [σ⁻³], from zero pressure up.

        Args:
            pressure (float): :math:`\\beta p` [kT σ⁻³] (>= 0).

        Returns:
            float: :math:`\\rho` with that pressure, inside the fitted range.

        Raises:
            ValueError: If the pressure is above the fit's at its densest point.
        """
        p = check_real("pressure", pressure, 0.0, low_open=False, unit="kT sigma^-3")
        lo, hi = self.zero_pressure_density(), float(np.max(self.densities))
        if float(self.pressure(hi)) < p:
            raise ValueError(
                f"pressure = {p!r} kT sigma^-3 is above the fit's {float(self.pressure(hi)):.6g} "
                f"at its densest point {hi:.6g} sigma^-3"
            )
        return lo if p == 0 else brentq(lambda r: float(self.pressure(r)) - p, lo, hi, xtol=1e-14)


@dataclass(frozen=True)
class SolubilityPoint:
    """The crystal and the gas that coexist with it.

    Args:
        gas_density (float): :math:`\\rho_g\\sigma^3`.
        gas_density_error (float): Its bootstrap standard error.
        solid_density (float): :math:`\\rho_s\\sigma^3`.
        solid_density_error (float): Its bootstrap standard error.
        pressure (float): :math:`\\beta p\\sigma^3`.
        chemical_potential (float): :math:`\\beta\\mu` [kT] (:math:`\\Lambda` of the inputs).
        chemical_potential_error (float): Its bootstrap standard error [kT].
    """

    gas_density: float
    gas_density_error: float
    solid_density: float
    solid_density_error: float
    pressure: float
    chemical_potential: float
    chemical_potential_error: float


def _coexist(gas: VirialGas, solid: SolidFit) -> tuple[float, float, float, float]:
    # along the solid branch from zero pressure up, the gas of equal mu until p_gas = p_solid
    def gap(rho_s: float) -> float:
        return float(
            solid.pressure(rho_s) - gas.pressure(gas.density(solid.chemical_potential(rho_s)))
        )

    lo, hi = solid.zero_pressure_density(), float(np.max(solid.densities))
    mu_top = float(gas.chemical_potential(gas.dilute_limit)) - 1e-9
    if float(solid.chemical_potential(lo)) >= mu_top:
        raise ValueError(
            f"the zero-pressure solid's beta mu = {float(solid.chemical_potential(lo)):.6g} kT "
            f"is above the virial gas's {mu_top:.6g} kT: the coexisting gas is not dilute"
        )
    if float(solid.chemical_potential(hi)) > mu_top:  # stay on the gas's dilute branch
        hi = brentq(lambda r: float(solid.chemical_potential(r)) - mu_top, lo, hi)
    if gap(hi) <= 0:
        raise ValueError(
            f"the fitted solid reaches no coexistence with the dilute gas below {hi:.6g} sigma^-3"
        )
    rho_s = brentq(gap, lo, hi, xtol=1e-14, rtol=1e-13)
    mu = float(solid.chemical_potential(rho_s))
    return gas.density(mu), rho_s, float(solid.pressure(rho_s)), mu


def solubility(
    gas: VirialGas,
    densities: Sequence[float],
    free_energies: Sequence[float],
    errors: Sequence[float],
    *,
    degree: int = 2,
    n_bootstrap: int = 200,
    rng: Any = None,
) -> SolubilityPoint:
    """Gas-crystal coexistence from crystal free energies at a few densities.

    The solid branch is :class:`SolidFit` of the inputs; equal :math:`\\beta p` and
    :math:`\\beta\\mu` with ``gas`` are solved from the zero-pressure crystal and the ideal gas
    of its :math:`\\beta\\mu`. The errors are the standard deviations over ``n_bootstrap`` fits
    of free energies drawn from normal distributions of the given errors.

    Args:
        gas (VirialGas): The fluid branch (same :math:`\\Lambda` as the free energies).
        densities (Sequence[float]): Crystal densities [σ⁻³].
        free_energies (Sequence[float]): :math:`\\beta A/N` there [kT].
        errors (Sequence[float]): Their standard errors [kT].
        degree (int): Degree of the fit (:class:`SolidFit`).
        n_bootstrap (int): Bootstrap fits (>= 2).
        rng: :class:`numpy.random.Generator` or a seed.

    Returns:
        SolubilityPoint: Densities, pressure, chemical potential and errors.

    Example:
        >>> rho = [1.0, 1.1, 1.2]  # beta A/N = 5 (rho - 1.1)^2 - 6: zero pressure at 1.1
        >>> f = [5 * (r - 1.1) ** 2 - 6.0 for r in rho]
        >>> out = solubility(VirialGas(SquareWell(0.0, 0.18), order=2), rho, f, [1e-3] * 3,
        ...                  n_bootstrap=20, rng=1)
        >>> round(out.gas_density / math.exp(-6.0), 2), round(out.solid_density, 3)  # B2 > 0
        (0.99, 1.1)
    """
    fit = SolidFit(
        np.asarray(densities, float),
        np.asarray(free_energies, float),
        np.asarray(errors, float),
        degree,
    )
    m = check_int("n_bootstrap", n_bootstrap, 2)
    rho_g, rho_s, p, mu = _coexist(gas, fit)
    rng = np.random.default_rng(rng)
    draws = []
    for _ in range(m):
        values = fit.free_energies + rng.normal(0.0, fit.errors)
        draws.append(_coexist(gas, SolidFit(fit.densities, values, fit.errors, degree)))
    d = np.array(draws)
    return SolubilityPoint(
        rho_g,
        float(np.std(d[:, 0], ddof=1)),
        rho_s,
        float(np.std(d[:, 1], ddof=1)),
        p,
        mu,
        float(np.std(d[:, 3], ddof=1)),
    )


def widom_weight(
    box: Any, positions: Any, well: SquareWell, n_insertions: int, rng: Any = None
) -> float:
    """:math:`\\langle e^{-\\beta\\Delta U}\\rangle` of test particles inserted uniformly in a frame.

    Widom's test-particle average: over frames of the fluid at density :math:`\\rho`,
    :math:`\\beta\\mu = \\ln(\\rho\\Lambda^3) - \\ln\\langle e^{-\\beta\\Delta U}\\rangle`; an
    insertion into a hard core has weight 0, one with :math:`k` neighbours in the well
    :math:`e^{k\\beta u_0}`.

    Args:
        box: Periodic box (freud or anything :meth:`freud.box.Box.from_box` reads).
        positions ((N, 3) array): The fluid's particles [σ].
        well (SquareWell): The pair potential.
        n_insertions (int): Test particles (>= 1).
        rng: :class:`numpy.random.Generator` or a seed.

    Returns:
        float: The frame's mean weight (no unit).

    Example:
        >>> w = widom_weight([20.0, 20.0, 20.0], [[0.0, 0.0, 0.0]], SquareWell(1.0, 0.18),
        ...                  100_000, rng=1)
        >>> exact = 1 + (1.18**3 * math.expm1(1.0) - math.e) * (4 * math.pi / 3) / 8000
        >>> abs(w - exact) < 3e-4
        True
    """
    import freud

    if not isinstance(well, SquareWell):
        raise ValueError(f"well must be a SquareWell, got {type(well).__name__}")
    box = freud.box.Box.from_box(box)
    pts = np.asarray(check_finite_array("positions", positions, (None, 3)), dtype=np.float32)
    m = check_int("n_insertions", n_insertions, 1)
    frac = np.random.default_rng(rng).random((m, 3))
    trial = np.asarray(box.make_absolute(frac), dtype=np.float32)
    nl = freud.locality.AABBQuery(box, pts).query(trial, {"r_max": well.range}).toNeighborList()
    q, r = np.asarray(nl.query_point_indices), np.asarray(nl.distances)
    core = np.zeros(m, bool)
    core[q[r < well.sigma]] = True
    bonds = np.bincount(q, minlength=m)
    return float(np.mean(np.where(core, 0.0, np.exp(well.depth * bonds))))
