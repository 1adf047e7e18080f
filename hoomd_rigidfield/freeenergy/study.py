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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from hoomd_rigidfield.analysis import lattices
from hoomd_rigidfield.analysis.lattices import LatticeSystem
from hoomd_rigidfield.validation import check_choice, check_finite_array, check_int, check_positive

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


def extrapolate(
    n: Sequence[int], values: Sequence[float], errors: Sequence[float]
) -> tuple[float, float, float]:
    """Weighted fit :math:`\\beta A/N = a + b/N`, the finite-size form of the Einstein molecule.

    With the centre of mass free (particle 0 fixed instead), the :math:`\\ln N/N` terms of the
    fixed-centre-of-mass crystal :cite:`polson2000` cancel and :math:`1/N` leads.

    Args:
        n (Sequence[int]): System sizes (>= 2 distinct).
        values (Sequence[float]): :math:`\\beta A/N` [kT].
        errors (Sequence[float]): Their standard errors [kT] (> 0).

    Returns:
        tuple[float, float, float]: :math:`a` (:math:`N\\to\\infty`), its standard error, and
        :math:`b`.

    Example:
        >>> a, da, b = extrapolate([100, 200], [4.9, 4.95], [0.01, 0.01])
        >>> round(a, 6), round(b, 6)
        (5.0, -10.0)
    """
    x = 1.0 / check_finite_array("n", n, (None,))
    y = check_finite_array("values", values, (len(x),))
    s = check_finite_array("errors", errors, (len(x),))
    if len(set(x)) < 2 or np.any(s <= 0):
        raise ValueError("need >= 2 distinct n and errors > 0")
    design = np.stack([np.ones_like(x), x], axis=1) / s[:, None]
    cov = np.linalg.inv(design.T @ design)
    a, b = cov @ design.T @ (y / s)
    return float(a), float(np.sqrt(cov[0, 0])), float(b)
