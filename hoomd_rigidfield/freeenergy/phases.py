"""One depth of a phase diagram: branches from measurements, stable coexistences, bootstrap errors.

The measurements of one well depth (plain JSON-able mappings, as job documents hold them) are

* ``fluid``: the isotherm at this depth, ``{"density", "z", "z_error"}`` lists; the whole fluid
  range if the depth is supercritical, the dilute gas only if it is not. Fitted by
  :meth:`~.fluid.FluidIsotherm.fit` with :math:`a_1 = B_2` (``b2``) from the ideal gas;
* ``liquid`` (subcritical depths only): the dense liquid, reached along isochores from a
  supercritical reference depth. ``{"reference": isotherm at the reference depth (as
  ``fluid``), "depths": [βε_ref, ..., βε], "densities": [ρ_k], "energy": [[⟨Φ⟩/N at each
  depth] per ρ_k], "energy_error", "z": [Z(ρ_k) at βε], "z_error"}`` with :math:`U = \\varepsilon
  \\Phi`, so that :math:`\\partial(\\beta A/N)/\\partial(\\beta\\varepsilon) = \\langle\\Phi\\rangle/N`;
* ``solid``: ``{"density0", "free_energy0", "free_energy0_error"`` (Einstein molecule),
  ``"density", "z", "z_error"}`` (the solid's NVT equation of state).

:func:`build_branches` turns them into branches (:class:`PolynomialBranch` for the liquid and
the solid: :math:`\\beta A/N` = ideal mixture + :math:`\\sum_j c_j\\rho^j`, fitted jointly to the
free energies and :math:`Z`), :func:`stable_coexistences` solves every pair of branches and keeps
those no third branch undercuts in :math:`\\mu` at their pressure, and :func:`phase_point` repeats
it on Gaussian resamples of every measurement (parametric bootstrap) for the error bars.
:func:`critical_point` estimates :math:`(\\beta\\varepsilon_c, \\rho_c)` from vapour-liquid
coexistences with the 3D-Ising exponent and the law of rectilinear diameters.

Example:
    >>> import numpy as np
    >>> from hoomd_rigidfield.freeenergy.phases import PolynomialBranch
    >>> b = PolynomialBranch.fit([1.0], [0.5], [0.01], [0.8, 1.0, 1.2], [3.0, 4.0, 5.0],
    ...                          [0.1, 0.1, 0.1], degree=3)
    >>> round(float(b.compressibility(1.0)), 6)
    4.0
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from hoomd_rigidfield.freeenergy.coexistence import Coexistence, coexistence
from hoomd_rigidfield.freeenergy.fluid import FluidIsotherm, isochore_free_energy
from hoomd_rigidfield.validation import check_finite_array, check_int, check_real

#: Relative extension of a branch's sampled density range in which it is still trusted.
EXTRAPOLATION = 0.05
#: 3D-Ising exponent of the coexistence-density difference.
ISING_BETA = 0.326


def _ideal(rho: np.ndarray, fractions: np.ndarray, wavelengths: np.ndarray) -> np.ndarray:
    return np.sum(
        fractions * (np.log(np.multiply.outer(rho, fractions * wavelengths**3)) - 1.0), axis=-1
    )


@dataclass(frozen=True)
class PolynomialBranch:
    """A dense branch: :math:`\\beta A/N = \\sum_i x_i[\\ln(x_i\\rho\\Lambda_i^3)-1] + \\sum_{j=0}^m c_j\\rho^j`.

    Then :math:`Z = 1 + \\sum_j j c_j\\rho^j`. Unlike :class:`~.fluid.FluidIsotherm` there is no
    ideal-gas limit (:math:`c_0` is free), so it fits a liquid or a solid over a density window
    from free energies (isochores, the Einstein molecule) and :math:`Z` values together.

    Args:
        coefficients ((m+1,) numpy.ndarray): :math:`c_0..c_m`.
        density_range (tuple[float, float]): Sampled densities [σ⁻³]; the branch refuses
            densities further than :data:`EXTRAPOLATION` outside.
        fractions (tuple[float, ...]): Mole fractions.
        wavelengths (tuple[float, ...]): Thermal wavelengths [σ].
    """

    coefficients: np.ndarray
    density_range: tuple[float, float]
    fractions: tuple[float, ...] = (1.0,)
    wavelengths: tuple[float, ...] = (1.0,)

    @classmethod
    def fit(
        cls,
        free_energy_densities: Any,
        free_energies: Any,
        free_energy_errors: Any,
        z_densities: Any,
        z: Any,
        z_errors: Any,
        *,
        degree: int = 2,
        fractions: Sequence[float] = (1.0,),
        wavelengths: Any = 1.0,
    ) -> PolynomialBranch:
        """Weighted least squares to :math:`\\beta A/N` values and :math:`Z` values at once.

        Args:
            free_energy_densities ((K,) array): Densities of the free energies [σ⁻³] (K >= 1).
            free_energies ((K,) array): :math:`\\beta A/N` [kT].
            free_energy_errors ((K,) array): Their standard errors (> 0).
            z_densities ((L,) array): Densities of the :math:`Z` values [σ⁻³].
            z ((L,) array): :math:`Z`.
            z_errors ((L,) array): Standard errors (> 0).
            degree (int): :math:`m` (>= 1; K + L >= m + 1).
            fractions (Sequence[float]): Mole fractions.
            wavelengths: Thermal wavelengths [σ].

        Returns:
            PolynomialBranch: The fit.
        """
        ra = check_finite_array("free_energy_densities", free_energy_densities, (None,))
        a = check_finite_array("free_energies", free_energies, (len(ra),))
        ea = check_finite_array("free_energy_errors", free_energy_errors, (len(ra),))
        rz = check_finite_array("z_densities", z_densities, (None,))
        zz = check_finite_array("z", z, (len(rz),))
        ez = check_finite_array("z_errors", z_errors, (len(rz),))
        m = check_int("degree", degree, 1, 10)
        if len(ra) < 1:
            raise ValueError("need at least one free energy (the anchor)")
        if np.any(np.concatenate([ra, rz]) <= 0) or np.any(np.concatenate([ea, ez]) <= 0):
            raise ValueError("densities and errors must be > 0")
        if len(ra) + len(rz) < m + 1:
            raise ValueError(
                f"need at least {m + 1} values for degree {m}, got {len(ra) + len(rz)}"
            )
        x = np.array(fractions, dtype=float)
        wl = np.broadcast_to(np.asarray(wavelengths, dtype=float), x.shape)
        j = np.arange(m + 1)
        rows = np.concatenate([ra[:, None] ** j / ea[:, None], j * rz[:, None] ** j / ez[:, None]])
        rhs = np.concatenate([(a - _ideal(ra, x, wl)) / ea, (zz - 1.0) / ez])
        coef = np.linalg.lstsq(rows, rhs, rcond=None)[0]
        rho = np.concatenate([ra, rz])
        return cls(coef, (float(rho.min()), float(rho.max())), tuple(map(float, x)), tuple(wl))

    def _rho(self, density: Any) -> np.ndarray:
        rho = np.asarray(density, dtype=float)
        lo, hi = self.density_range
        if (
            np.any(~np.isfinite(rho))
            or np.any(rho < lo * (1 - EXTRAPOLATION))
            or np.any(rho > hi * (1 + EXTRAPOLATION))
        ):
            raise ValueError(
                f"density must lie within {EXTRAPOLATION:.0%} of the sampled range "
                f"[{lo:g}, {hi:g}] sigma^-3, got {density!r}"
            )
        return rho

    def free_energy(self, density: Any) -> np.ndarray:
        """:math:`\\beta A/N` [kT]."""
        rho = self._rho(density)
        poly = sum(c * rho**k for k, c in enumerate(self.coefficients))
        return _ideal(rho, np.array(self.fractions), np.array(self.wavelengths)) + poly

    def compressibility(self, density: Any) -> np.ndarray:
        """:math:`Z(\\rho)`."""
        rho = self._rho(density)
        return 1.0 + sum(k * c * rho**k for k, c in enumerate(self.coefficients))

    def pressure(self, density: Any) -> np.ndarray:
        """:math:`\\beta p = \\rho Z` [kT σ⁻³]."""
        return self._rho(density) * self.compressibility(density)

    def chemical_potential(self, density: Any) -> np.ndarray:
        """:math:`\\beta\\mu = \\beta A/N + Z` [kT]."""
        return self.free_energy(density) + self.compressibility(density)


def _perturbed(values: Any, errors: Any, rng: np.random.Generator | None) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    if rng is None:
        return v
    return v + rng.normal(size=v.shape) * np.asarray(errors, dtype=float)


def _isotherm(
    data: Mapping[str, Any], fractions: Sequence[float], b2: float | None, degree: int, rng: Any
) -> FluidIsotherm:
    rho = np.asarray(data["density"], dtype=float)
    z = _perturbed(data["z"], data["z_error"], rng)
    deg = min(int(degree), len(rho) + (b2 is not None))
    return FluidIsotherm.fit(
        rho, z, np.asarray(data["z_error"], float), degree=deg, b2=b2, fractions=fractions
    )


def solid_points(solid: Mapping[str, Any]) -> dict[str, Any]:
    """The solid's EOS points for the fit: all at :math:`\\beta p > 0`, one (the densest) at or below.

    Coexistence needs :math:`p \\ge p_\\mathrm{gas} > 0`; a crystal held at strong tension in
    NVT cracks (its :math:`Z` stops falling with the density), and such points would bend the
    polynomial where it matters. Keeping one point at :math:`p \\le 0` brackets :math:`p = 0`.

    Args:
        solid (Mapping): ``density``, ``z``, ``z_error`` (and the anchor keys, kept).

    Returns:
        dict: A copy with the selected EOS points (at least two: the two densest otherwise).
    """
    rho = np.asarray(solid["density"], dtype=float)
    z = np.asarray(solid["z"], dtype=float)
    order = np.argsort(rho)
    keep = [k for k in order if z[k] > 0]
    below = [k for k in order if z[k] <= 0]
    if below:
        keep.append(below[-1])
    if len(keep) < 2:
        keep = list(order[-2:])
    keep = sorted(keep, key=lambda k: rho[k])
    out = dict(solid)
    for key in ("density", "z", "z_error"):
        out[key] = [float(solid[key][k]) for k in keep]
    return out


def build_branches(
    inputs: Mapping[str, Any], rng: np.random.Generator | None = None
) -> dict[str, Any]:
    """Branches of one depth from its measurements (module docstring), optionally resampled.

    Args:
        inputs (Mapping): ``fractions``, ``fluid``, ``solid``, optional ``liquid``, ``b2``
            (:math:`B_2` at this depth [σ³], fixes :math:`a_1` of the fluid fit),
            ``reference_b2`` (at the reference depth), ``fluid_degree`` (default 5; 2 suits a
            dilute gas), ``reference_degree`` (the reference isotherm, default 5),
            ``dense_degree`` (liquid and solid, default 3).
        rng (numpy.random.Generator): If given, every measurement is redrawn from a normal
            distribution with its standard error (one bootstrap replicate).

    Returns:
        dict[str, Branch]: ``"fluid"`` (supercritical) or ``"gas"`` and ``"liquid"``
        (subcritical), and ``"solid"``.
    """
    x = tuple(float(v) for v in inputs["fractions"])
    deg = int(inputs.get("fluid_degree", 5))
    dense = int(inputs.get("dense_degree", 3))
    fluid = _isotherm(inputs["fluid"], x, inputs.get("b2"), deg, rng)
    s = solid_points(inputs["solid"])
    a0 = _perturbed([s["free_energy0"]], [s["free_energy0_error"]], rng)
    solid = PolynomialBranch.fit(
        [s["density0"]], a0, [s["free_energy0_error"]], s["density"],
        _perturbed(s["z"], s["z_error"], rng), s["z_error"], degree=dense, fractions=x,
    )  # fmt: skip
    liq = inputs.get("liquid")
    if liq is None:
        return {"fluid": fluid, "solid": solid}
    ref_deg = int(inputs.get("reference_degree", 5))
    reference = _isotherm(liq["reference"], x, inputs.get("reference_b2"), ref_deg, rng)
    densities = np.asarray(liq["densities"], dtype=float)
    energies = _perturbed(liq["energy"], liq["energy_error"], rng)
    free, free_err = [], []
    for k, rho in enumerate(densities):
        a_ref = float(reference.free_energy(rho))
        values, errors = isochore_free_energy(
            liq["depths"], energies[k], liq["energy_error"][k], start=a_ref
        )
        free.append(values[-1])
        # the reference isotherm's own error is carried by the bootstrap; keep the weights finite
        free_err.append(max(float(errors[-1]), 1e-3))
    liquid = PolynomialBranch.fit(
        densities, free, free_err, densities, _perturbed(liq["z"], liq["z_error"], rng),
        liq["z_error"], degree=dense, fractions=x,
    )  # fmt: skip
    return {"gas": fluid, "liquid": liquid, "solid": solid}


def _range(branch: Any) -> tuple[float, float]:
    if isinstance(branch, PolynomialBranch):
        lo, hi = branch.density_range
        return lo * (1 - EXTRAPOLATION), hi * (1 + EXTRAPOLATION)
    return 1e-6, float(branch.density_max)


def _curve(branch: Any, n: int = 600) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Densities, :math:`\\beta p` and :math:`\\beta\\mu` over a branch's trusted range."""
    lo, hi = _range(branch)
    if isinstance(branch, PolynomialBranch):
        rho = np.linspace(lo, hi, n)
    else:
        rho = np.geomspace(max(lo, 1e-6 * hi), hi, n)
    p = np.asarray(branch.pressure(rho), dtype=float)
    mu = np.asarray(branch.chemical_potential(rho), dtype=float) + 0.0 * rho
    return rho, p, mu


def _at_pressure(curve: tuple, pressure: float) -> tuple[float, float] | None:
    """Lowest :math:`\\beta\\mu` (and its density) of a sampled branch at ``pressure``."""
    rho, p, mu = curve
    d = p - pressure
    best = None
    for k in np.flatnonzero((np.sign(d[:-1]) != np.sign(d[1:])) | (d[:-1] == 0)):
        w = 0.0 if d[k] == d[k + 1] else d[k] / (d[k] - d[k + 1])
        m = float(mu[k] + w * (mu[k + 1] - mu[k]))
        if best is None or m < best[0]:
            best = (m, float(rho[k] + w * (rho[k + 1] - rho[k])))
    return best


def _solve(a: Any, b: Any) -> Coexistence | None:
    """Equal :math:`p` and :math:`\\mu` of two branches, by scanning :math:`p` (``None``: none).

    Each branch is tabulated over its trusted range; :math:`\\Delta\\mu(p)` is scanned over the
    pressures both reach and its sign change refined by :func:`~.coexistence.coexistence`.
    """
    ca, cb = _curve(a), _curve(b)
    lo, hi = max(ca[1].min(), cb[1].min()), min(ca[1].max(), cb[1].max())
    if not lo < hi:
        return None
    grid = np.unique(
        np.concatenate(
            [
                np.linspace(lo, hi, 300),
                np.geomspace(max(lo, 1e-9 * hi, 1e-12), hi, 300) if hi > 0 else [],
            ]
        )
    )
    diff = []
    for p in grid:
        ma, mb = _at_pressure(ca, p), _at_pressure(cb, p)
        diff.append(math.nan if ma is None or mb is None else ma[0] - mb[0])
    diff = np.array(diff)
    ok = np.isfinite(diff)
    for k in np.flatnonzero(ok[:-1] & ok[1:] & (np.sign(diff[:-1]) != np.sign(diff[1:]))):
        w = diff[k] / (diff[k] - diff[k + 1])
        p = float(grid[k] + w * (grid[k + 1] - grid[k]))
        ra, rb = _at_pressure(ca, p)[1], _at_pressure(cb, p)[1]
        try:
            c = coexistence(a, b, (ra, rb))
            if abs(c.density_a - ra) < 0.05 * ra + 1e-6 and abs(c.density_b - rb) < 0.05 * rb:
                return c
        except (RuntimeError, ValueError, FloatingPointError):
            pass
        return Coexistence(ra, rb, p, float(_at_pressure(ca, p)[0]))
    return None


def _mu_at_pressure(branch: Any, pressure: float) -> float | None:
    """:math:`\\beta\\mu` of ``branch`` at ``pressure`` (``None`` if its range cannot reach it)."""
    got = _at_pressure(_curve(branch), pressure)
    return None if got is None else got[0]


def stable_coexistences(branches: Mapping[str, Any], *, tol: float = 1e-6) -> dict[str, dict]:
    """Every pair of branches that coexists, and whether it is stable.

    Stable: :math:`\\beta p > 0` and no third branch has a lower :math:`\\mu` at that pressure
    (a branch whose trusted range does not reach it does not compete).

    Args:
        branches (Mapping[str, Branch]): Named branches, in order of increasing density
            (``gas``, ``liquid``, ``solid`` or ``fluid``, ``solid``).
        tol (float): :math:`\\beta\\mu` margin [kT] by which a third branch must be lower.

    Returns:
        dict[str, dict]: ``"a-b"`` -> ``{"phases", "density_a", "density_b", "pressure",
        "chemical_potential", "stable"}`` for each pair that has a coexistence in range.
    """
    tol = check_real("tol", tol, 0, low_open=False)
    names = list(branches)
    out = {}
    for a, b in itertools.combinations(names, 2):
        c = _solve(branches[a], branches[b])
        if c is None:
            continue
        # at p <= 0 the two phases are unstable to cavitation (a vapour at p > 0 wins)
        stable = c.pressure > 0
        for other in set(names) - {a, b}:
            mu = _mu_at_pressure(branches[other], c.pressure)
            if mu is not None and mu < c.chemical_potential - tol:
                stable = False
        out[f"{a}-{b}"] = {
            "phases": [a, b],
            "density_a": c.density_a,
            "density_b": c.density_b,
            "pressure": c.pressure,
            "chemical_potential": c.chemical_potential,
            "stable": stable,
        }
    return out


def phase_point(
    inputs: Mapping[str, Any], *, n_bootstrap: int = 200, seed: int = 0
) -> dict[str, dict]:
    """:func:`stable_coexistences` of the measured branches, with bootstrap standard errors.

    Args:
        inputs (Mapping): As for :func:`build_branches`.
        n_bootstrap (int): Resampled replicates (>= 2).
        seed (int): Seed of the resampling.

    Returns:
        dict[str, dict]: As :func:`stable_coexistences`, each entry with ``*_error`` (standard
        deviation over the replicates that found the same coexistence) for the densities,
        pressure and chemical potential, ``found`` (that fraction of replicates) and
        ``stable_fraction`` (the fraction of those in which it was stable).
    """
    n_boot = check_int("n_bootstrap", n_bootstrap, 2)
    best = stable_coexistences(build_branches(inputs))
    rng = np.random.default_rng(check_int("seed", seed, 0))
    samples: dict[str, list[dict]] = {k: [] for k in best}
    for _ in range(n_boot):
        try:
            replicate = stable_coexistences(build_branches(inputs, rng))
        except (ValueError, np.linalg.LinAlgError):
            continue
        for key, value in replicate.items():
            if key in samples:
                samples[key].append(value)
    keys = ("density_a", "density_b", "pressure", "chemical_potential")
    for key, entry in best.items():
        got = samples[key]
        for k in keys:
            entry[f"{k}_error"] = (
                float(np.std([g[k] for g in got], ddof=1)) if len(got) > 1 else math.nan
            )
        entry["found"] = len(got) / n_boot
        entry["stable_fraction"] = float(np.mean([g["stable"] for g in got])) if got else math.nan
    return best


def critical_point(
    depths: Sequence[float], gas: Sequence[float], liquid: Sequence[float]
) -> tuple[float, float]:
    """:math:`(\\beta\\varepsilon_c, \\rho_c)` from vapour-liquid coexistences (>= 2 depths).

    :math:`\\rho_l - \\rho_g = B(1 - T/T_c)^{0.326}` and :math:`(\\rho_l + \\rho_g)/2 = \\rho_c +
    A(T_c - T)`, :math:`T = 1/\\beta\\varepsilon`, fitted by least squares (exact for two depths).

    Args:
        depths (Sequence[float]): :math:`\\beta\\varepsilon` of each coexistence.
        gas (Sequence[float]): Vapour densities [σ⁻³].
        liquid (Sequence[float]): Liquid densities [σ⁻³].

    Returns:
        tuple[float, float]: :math:`\\beta\\varepsilon_c` and :math:`\\rho_c`.
    """
    d = check_finite_array("depths", depths, (None,))
    g = check_finite_array("gas", gas, (len(d),))
    liq = check_finite_array("liquid", liquid, (len(d),))
    if len(d) < 2 or np.any(liq <= g) or np.any(d <= 0):
        raise ValueError("need >= 2 depths > 0 with liquid densities above the gas densities")
    t = 1.0 / d
    # (rho_l - rho_g)^(1/beta) is linear in T: zero at T_c
    y = (liq - g) ** (1.0 / ISING_BETA)
    slope, intercept = np.polyfit(t, y, 1)
    if slope >= 0:
        raise ValueError("the coexistence gap does not close on heating: no critical point")
    tc = -intercept / slope
    a, b = np.polyfit(t, 0.5 * (liq + g), 1)
    return float(1.0 / tc), float(a * tc + b)
