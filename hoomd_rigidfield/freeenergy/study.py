"""From a free-energy state point to the inputs of the Einstein-molecule run, and extrapolation.

A state point holds ``lattice`` (``"fcc"``, ``"alb2"`` or ``"nazn13"``), ``n_cells``,
``density`` (:math:`\\rho\\sigma^3` of all particles), ``spring_max`` (:math:`\\beta\\Lambda_E`
[kT/σ²]), ``n_nodes``, ``sweeps`` (per node) and ``replica`` (the seed); ``c_over_a`` for AlB2.
The lattice is scaled to the density at its given shape (the zero-stress shape is the caller's).

Example:
    >>> from hoomd_rigidfield.freeenergy.study import from_statepoint
    >>> s = from_statepoint(dict(lattice="fcc", n_cells=3, density=1.04086, spring_max=2000.0,
    ...                          n_nodes=12, sweeps=2000, replica=0))
    >>> s.lattice_system.num_particles, round(s.lattice_system.number_density, 5)
    (108, 1.04086)
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from hoomd_rigidfield.analysis import lattices
from hoomd_rigidfield.analysis.lattices import LatticeSystem
from hoomd_rigidfield.validation import (
    check_choice,
    check_finite_array,
    check_int,
    check_positive,
    check_real,
)

#: Lattice builders by state-point name.
BUILDERS = {"fcc": lattices.fcc, "alb2": lattices.alb2, "nazn13": lattices.nazn13}


@dataclass(frozen=True)
class FreeEnergyStudy:
    """The inputs of one Einstein-molecule run.

    Args:
        lattice_system (LatticeSystem): Sites at the requested density.
        spring_max (float): :math:`\\beta\\Lambda_E` [kT/σ²].
        n_nodes (int): Gauss-Legendre nodes.
        sweeps (int): Sampled sweeps (HPMC) or steps (MD) per node.
        seed (int): Random seed (0-65535).
    """

    lattice_system: LatticeSystem
    spring_max: float
    n_nodes: int
    sweeps: int
    seed: int


def build_lattice(name: str, n_cells: int, density: float, **shape: float) -> LatticeSystem:
    """A lattice of :data:`BUILDERS` scaled to number density ``density`` [σ⁻³].

    Args:
        name (str): ``"fcc"``, ``"alb2"`` or ``"nazn13"``.
        n_cells (int): Unit cells per side.
        density (float): Number density of all particles [σ⁻³].
        **shape: Extra builder arguments (``c_over_a`` for AlB2).

    Returns:
        LatticeSystem: The scaled crystal.
    """
    builder = BUILDERS[check_choice("lattice", name, BUILDERS)]
    rho = check_positive("density", density, "sigma^-3")
    unit = builder(check_int("n_cells", n_cells, 1), 1.0, **shape)
    return builder(n_cells, float((unit.number_density / rho) ** (1 / 3)), **shape)


def from_statepoint(sp: Mapping[str, Any]) -> FreeEnergyStudy:
    """Parse a state point (module docstring) once.

    Args:
        sp (Mapping): State point.

    Returns:
        FreeEnergyStudy: The inputs.
    """
    shape = {"c_over_a": float(sp["c_over_a"])} if "c_over_a" in sp else {}
    return FreeEnergyStudy(
        build_lattice(sp["lattice"], sp["n_cells"], sp["density"], **shape),
        check_positive("spring_max", sp["spring_max"], "kT/sigma^2"),
        check_int("n_nodes", sp["n_nodes"], 2),
        check_int("sweeps", sp["sweeps"], 1),
        check_int("replica", sp["replica"], 0) % 65536,
    )


#: :math:`c` of the finite-size law :math:`\\beta A/N = a + b/N + c\\ln N/N` of the Einstein
#: molecule (particle 0 fixed): exact for the harmonic crystal (:mod:`.harmonic`), measured
#: :math:`-1.52 \\pm 0.97` for hard spheres over N = 108-1372 (docs/free_energy.md).
LOG_COEFFICIENT = -1.5


def extrapolate(
    n: Sequence[int],
    values: Sequence[float],
    errors: Sequence[float],
    *,
    log_coefficient: float = LOG_COEFFICIENT,
) -> tuple[float, float, float]:
    """Weighted fit :math:`\\beta A/N = a + b/N + c\\ln N/N` with :math:`c` given.

    The default :math:`c = -\\tfrac32` (:data:`LOG_COEFFICIENT`) is the exact law of the
    harmonic crystal in this suite's convention: :math:`-\\ln N/N` from the fixed particle's
    volume, :math:`-\\tfrac32\\ln N/N` from the reduced Hessian's determinant and
    :math:`+\\ln N/N` from the missing :math:`k = 0` phonons. Hard spheres follow it: a free fit
    over N = 108-1372 gives :math:`c = -1.52 \\pm 0.97`, and with :math:`c = -\\tfrac32` they
    extrapolate to 4.9601(9) against 4.9590(2) :cite:`vega2007` (4.9565(9) with :math:`c = 0`,
    the plain :math:`a + b/N`).

    Args:
        n (Sequence[int]): System sizes (>= 2 distinct).
        values (Sequence[float]): :math:`\\beta A/N` [kT].
        errors (Sequence[float]): Their standard errors [kT] (> 0).
        log_coefficient (float): :math:`c` (0: the plain :math:`a + b/N`).

    Returns:
        tuple[float, float, float]: :math:`a` (:math:`N\\to\\infty`), its standard error, and
        :math:`b`.

    Example:
        >>> a, da, b = extrapolate([100, 200], [4.9, 4.95], [0.01, 0.01], log_coefficient=0.0)
        >>> round(a, 6), round(b, 6)
        (5.0, -10.0)
    """
    sizes = check_finite_array("n", n, (None,))
    x = 1.0 / sizes
    y = check_finite_array("values", values, (len(x),))
    s = check_finite_array("errors", errors, (len(x),))
    c = check_real("log_coefficient", log_coefficient)
    if len(set(x)) < 2 or np.any(s <= 0):
        raise ValueError("need >= 2 distinct n and errors > 0")
    y = y - c * np.log(sizes) * x
    design = np.stack([np.ones_like(x), x], axis=1) / s[:, None]
    cov = np.linalg.inv(design.T @ design)
    a, b = cov @ design.T @ (y / s)
    return float(a), float(np.sqrt(cov[0, 0])), float(b)


def lattice_energy(
    lattice: LatticeSystem,
    pair_energy: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
    r_cut: float,
) -> float:
    """Static energy per particle of a lattice, :math:`U_\\mathrm{lat}/N` [energy].

    Args:
        lattice (LatticeSystem): Sites, box, type ids.
        pair_energy: ``pair_energy(r, type_i, type_j)`` [energy] (as for the perturbation step).
        r_cut (float): Largest cut-off [σ] (below half the shortest box period).

    Returns:
        float: :math:`U_\\mathrm{lat}/N`.
    """
    from hoomd_rigidfield.freeenergy.einstein import LatticePairs

    pairs = LatticePairs.build(lattice.box, lattice.positions, check_positive("r_cut", r_cut))
    r = np.linalg.norm(pairs.vectors, axis=1)
    keep = r < r_cut
    ti, tj = lattice.typeid[pairs.i][keep], lattice.typeid[pairs.j][keep]
    return float(np.sum(pair_energy(r[keep], ti, tj)) / lattice.num_particles)


def relaxed_c_over_a(
    n_cells: int,
    density: float,
    pair_energy: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
    r_cut: float,
    *,
    bounds: tuple[float, float] = (0.8, 1.3),
) -> float:
    """The AlB2 axial ratio of least static energy at fixed density (zero deviatoric stress at T = 0).

    At fixed volume, :math:`\\partial U/\\partial(c/a) = 0` is the condition that the static
    stress is isotropic; the thermal part of the stress is not included (a finite-temperature
    zero-stress shape needs anisotropic NPT runs).

    Args:
        n_cells (int): Cells per side.
        density (float): Number density of all particles [σ⁻³].
        pair_energy: NumPy pair energy ``pair_energy(r, type_i, type_j)``.
        r_cut (float): Largest cut-off [σ].
        bounds (tuple[float, float]): Search interval of :math:`c/a`.

    Returns:
        float: :math:`c/a`.
    """
    from scipy.optimize import minimize_scalar

    lo, hi = (check_positive("bounds", b) for b in bounds)
    if not lo < hi:
        raise ValueError(f"bounds must be increasing, got {bounds!r}")

    def energy(ca: float) -> float:
        return lattice_energy(
            build_lattice("alb2", n_cells, density, c_over_a=ca), pair_energy, r_cut
        )

    grid = np.linspace(lo, hi, 26)
    best = grid[int(np.argmin([energy(c) for c in grid]))]
    step = grid[1] - grid[0]
    res = minimize_scalar(
        energy,
        bounds=(max(lo, best - step), min(hi, best + step)),
        method="bounded",
        options={"xatol": 1e-4},
    )
    return float(res.x)


#: Keys of a phase-diagram state point (:func:`phase_statepoint`) and their kinds.
PHASE_KEYS = {
    "well": str, "m": float, "cutoff": float, "depth": float, "n_cells": int,
    "fluid_densities": list, "reference_depth": (float, type(None)), "liquid_densities": list,
    "isochore_points": int, "solid_densities": list, "solid_density0": float,
    "spring_max": float, "n_nodes": int, "steps": int, "equilibration": int,
    "compression_steps": int, "solid_steps": int, "solid_equilibration": int, "dt": float,
    "gamma": float, "n_bootstrap": int, "replica": int,
}  # fmt: skip


def _densities(name: str, values: Any, minimum: int) -> list[float]:
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise ValueError(f"{name} must be a list of densities, got {values!r}")
    rho = [check_positive(f"{name}[{k}]", v, "sigma^-3") for k, v in enumerate(values)]
    if len(rho) < minimum:
        raise ValueError(f"{name} must hold at least {minimum} densities, got {len(rho)}")
    if any(b <= a for a, b in itertools.pairwise(rho)):
        raise ValueError(f"{name} must increase strictly, got {rho}")
    return rho


def phase_statepoint(sp: Mapping[str, Any]) -> dict[str, Any]:
    """Validate a state point of one depth of a fluid-solid phase diagram (values unchanged).

    Keys (:data:`PHASE_KEYS`): the potential (``well``, ``m``, ``cutoff`` in σ_ij, ``depth``
    :math:`\\beta\\varepsilon`) is the caller's to interpret; ``n_cells`` (AlB2 cells per side,
    :math:`N = 3 n^3`, also the fluid's N); ``fluid_densities`` (the isotherm at ``depth``: the
    whole fluid if ``reference_depth`` is ``None``, else the dilute gas); ``reference_depth``
    (a supercritical depth whose isotherm anchors the isochores) with ``liquid_densities`` and
    ``isochore_points`` (depths from the reference to ``depth``, both included); the solid's
    ``solid_densities`` (its NVT equation of state) and ``solid_density0`` (one of them: the
    Einstein-molecule density); ``spring_max`` [kT/σ²], ``n_nodes``; MD lengths ``steps``,
    ``equilibration``, ``compression_steps`` (fluid), ``solid_steps``, ``solid_equilibration``
    (per spring node and per EOS point); ``dt``, ``gamma``, ``n_bootstrap``, ``replica``.

    Args:
        sp (Mapping): The state point.

    Returns:
        dict: A plain copy.

    Raises:
        ValueError: For a missing key or any bad value, naming it.
    """
    missing = sorted(set(PHASE_KEYS) - set(sp))
    if missing:
        raise ValueError(f"state point lacks {missing}")
    out = dict(sp)
    for key in ("m", "cutoff", "depth", "spring_max", "dt", "gamma"):
        check_positive(key, sp[key])
    for key, low in (("n_cells", 1), ("n_nodes", 2), ("steps", 1), ("equilibration", 0),
                     ("compression_steps", 0), ("solid_steps", 1), ("solid_equilibration", 0),
                     ("n_bootstrap", 2), ("replica", 0), ("isochore_points", 2)):  # fmt: skip
        check_int(key, sp[key], low)
    ref = sp["reference_depth"]
    fluid = _densities("fluid_densities", sp["fluid_densities"], 2)
    if ref is not None:
        check_positive("reference_depth", ref)
        if not ref < sp["depth"]:
            raise ValueError(f"reference_depth {ref!r} must be below depth {sp['depth']!r}")
        _densities("liquid_densities", sp["liquid_densities"], 2)
    elif sp["liquid_densities"]:
        raise ValueError("liquid_densities need a reference_depth (the isochores start there)")
    solid = _densities("solid_densities", sp["solid_densities"], 2)
    if sp["solid_density0"] not in solid:
        raise ValueError(f"solid_density0 {sp['solid_density0']!r} must be one of solid_densities")
    if solid[0] <= fluid[-1] and ref is None:
        raise ValueError("solid_densities must lie above the fluid densities")
    return out
