"""State point -> inputs of the field-theory studies, and the fcc Monte Carlo chain of a job.

Every field-theory study under ``projects/`` reads its state point through
:func:`from_statepoint`, which parses it once and builds the solver once (on first use). The fixed
inputs of the fcc chains are those of :cite:`pbs_alignment2026`: 57 :math:`\\mathrm{\\AA}` Archimedean
truncated octahedra, :math:`a = 90\\ \\mathrm{\\AA}`, :math:`b/a = 100\\ \\mathrm{\\AA}`,
:math:`k_BT = 50`, rotation step 0.2 rad, CG tolerance 1e-6.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from hoomd_rigidfield.fieldtheory.electrolyte import Electrolyte
from hoomd_rigidfield.fieldtheory.montecarlo import FieldFreeEnergy, RotationalMonteCarlo
from hoomd_rigidfield.fieldtheory.shapes import TruncatedOctahedron
from hoomd_rigidfield.fieldtheory.solver import FieldSolver
from hoomd_rigidfield.fieldtheory.superlattice import fcc_sites
from hoomd_rigidfield.gsdfiles import TRAJECTORY
from hoomd_rigidfield.workflow import array_backend, versions

#: Job files of a Monte Carlo chain besides :data:`~hoomd_rigidfield.gsdfiles.TRAJECTORY`: its
#: own checkpoint (not a HOOMD restart) and the per-step histories.
CHECKPOINT, HISTORY = "checkpoint.gsd", "history.npz"


@dataclass(frozen=True)
class FieldStudy:
    """The inputs of one field-theory state point (built by :func:`from_statepoint`).

    Args:
        statepoint (Mapping): The state point it was parsed from.
        electrolyte (Electrolyte): The electrolyte.
        shape (TruncatedOctahedron): The nanocrystal shape (``None`` without ``size``).
        box_length (float): Side of the periodic box :math:`[\\mathrm{\\AA}]`.
        sites ((N, 3) numpy.ndarray): fcc lattice sites :math:`[\\mathrm{\\AA}]`
            (``None`` when the state point has no ``lattice_constant``).
    """

    statepoint: Mapping[str, Any]
    electrolyte: Electrolyte
    shape: TruncatedOctahedron | None
    box_length: float
    sites: np.ndarray | None

    @functools.cached_property
    def _solver_and_resolution(self) -> tuple[FieldSolver, bool]:
        sp = self.statepoint
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            solver = FieldSolver(
                self.electrolyte,
                self.box_length,
                sp["n_grid"],
                rtol=sp["rtol"],
                backend=array_backend(),
            )
        return solver, not any("under-resolved" in str(w.message) for w in caught)

    @property
    def solver(self) -> FieldSolver:
        """FieldSolver: The solver (built on first access, then reused).

        Raises:
            GridResolutionError: If the grid cannot represent the smearing or the oscillation.
        """
        return self._solver_and_resolution[0]

    @property
    def resolved(self) -> bool:
        """bool: False when the grid has fewer than 3 points per charge-oscillation wavelength."""
        return self._solver_and_resolution[1]

    def monte_carlo(self) -> RotationalMonteCarlo:
        """The rotational Monte Carlo chain of an fcc state point (``kT``, ``max_rotation``, ``seed``).

        Returns:
            RotationalMonteCarlo: A new chain at step 0 (restore it with ``run_to``).
        """
        sp = self.statepoint
        if self.sites is None or self.shape is None:
            raise ValueError("the state point has no fcc lattice (lattice_constant) or no size")
        model = FieldFreeEnergy(self.solver, self.shape, self.sites)
        return RotationalMonteCarlo(
            model, sp["kT"], max_rotation=sp["max_rotation"], seed=sp["seed"]
        )


def from_statepoint(sp: Mapping[str, Any]) -> FieldStudy:
    """Parse a field-theory state point (nothing heavy is built until it is used).

    Args:
        sp: State point with ``alpha`` :math:`[\\mathrm{\\AA}]`, ``gamma``, ``b``
            :math:`[\\mathrm{\\AA}]`, ``lam``, ``n_grid``, ``rtol``; the box from ``box_length``
            :math:`[\\mathrm{\\AA}]` or from ``n_cells`` fcc cells of ``lattice_constant``
            :math:`[\\mathrm{\\AA}]`; optionally ``size`` :math:`[\\mathrm{\\AA}]` and
            ``wulff_ratio`` (the shape), ``kT``, ``max_rotation`` [rad] and ``seed`` (the chain).

    Returns:
        FieldStudy: The inputs.

    Raises:
        KeyError: If a required key is missing (the message names it).
    """
    missing = [k for k in ("alpha", "gamma", "b", "lam", "n_grid", "rtol") if k not in sp]
    if "box_length" not in sp and "lattice_constant" not in sp:
        missing.append("box_length or lattice_constant")
    if missing:
        raise KeyError(f"field-theory state point lacks {missing}; it has {sorted(sp)}")
    el = Electrolyte.from_alpha_gamma(sp["alpha"], sp["gamma"], b=sp["b"], lam=sp["lam"])
    shape = TruncatedOctahedron.from_size(sp["size"], sp["wulff_ratio"]) if "size" in sp else None
    sites = None
    if "lattice_constant" in sp:
        sites = fcc_sites(sp["lattice_constant"], sp["n_cells"])
    box = sp["box_length"] if "box_length" in sp else sp["n_cells"] * sp["lattice_constant"]
    return FieldStudy(sp, el, shape, float(box), sites)


def fcc_chain_statepoint(
    alpha: float,
    gamma: float,
    *,
    n_cells: int,
    n_grid: int,
    steps: int,
    window: int,
    lam: float = 500.0,
    seed: int = 1,
) -> dict[str, Any]:
    """State point of a rotational MC chain on fcc sites, as :func:`run_fcc_chain` reads it.

    The fixed inputs are those of :cite:`pbs_alignment2026`: 57 A Archimedean truncated octahedra,
    a = 90 A, b/a = 100 A, k_BT = 50, rotation step 0.2 rad, rtol 1e-6.

    Args:
        alpha (float): Decay length :math:`\\alpha` :math:`[\\mathrm{\\AA}]` (rounded to 4 digits).
        gamma (float): Oscillation parameter :math:`\\gamma` (rounded to 4 digits).
        n_cells (int): fcc cells per side.
        n_grid (int): Grid points per side.
        steps (int): Length of the chain.
        window (int): Steps at the end over which <s> is averaged.
        lam (float): :math:`\\lambda/a`.
        seed (int): Seed of the Haar-random start and of the chain (replicas differ by it).

    Returns:
        dict: JSON-able state point.
    """
    return {
        "alpha": round(float(alpha), 4),
        "gamma": round(float(gamma), 4),
        "b": 100.0,
        "lam": float(lam),
        "kT": 50.0,
        "size": 57.0,
        "wulff_ratio": round(float(np.sqrt(3.0) / 2.0), 12),
        "lattice_constant": 90.0,
        "n_cells": int(n_cells),
        "n_grid": int(n_grid),
        "rtol": 1e-6,
        "steps": int(steps),
        "window": int(window),
        "max_rotation": 0.2,
        "seed": int(seed),
    }


def run_fcc_chain(
    job: Any,
    *,
    frames: int = 400,
    max_steps: int | None = None,
    progress: bool = True,
    study: FieldStudy | None = None,
) -> RotationalMonteCarlo:
    """Run (or continue after a kill) the rotational Monte Carlo chain of an fcc state point.

    Args:
        job (signac.job.Job): Job whose state point has the keys of :func:`from_statepoint` plus
            ``size`` :math:`[\\mathrm{\\AA}]`, ``wulff_ratio``, ``kT``, ``max_rotation`` [rad], ``seed`` and ``steps``.
            Writes :data:`CHECKPOINT` (every 1 % of the run, at most every 100 steps) and
            :data:`TRAJECTORY` (about ``frames`` frames) in the job directory.
        frames (int): Trajectory frames per run.
        max_steps (int): Make at most this many new steps now (``None``: to the end).
        progress (bool): Show a progress bar.
        study (FieldStudy): The job's parsed state point, when the caller has it already.

    Returns:
        RotationalMonteCarlo: The chain after the run.
    """
    if study is None:
        study = from_statepoint(job.cached_statepoint)
    mc = study.monte_carlo()
    steps = job.cached_statepoint["steps"]
    return mc.run_to(
        steps,
        checkpoint=job.fn(CHECKPOINT),
        trajectory=job.fn(TRAJECTORY),
        max_steps=max_steps,
        checkpoint_period=max(1, min(100, steps // 100)),
        trajectory_period=max(1, steps // frames),
        progress=progress,
    )


def sample_fcc_chain(
    job: Any, *, frames: int = 400, study: FieldStudy | None = None
) -> RotationalMonteCarlo:
    """Run an fcc chain to its end (:func:`run_fcc_chain`) and record it in the job.

    Writes the per-step histories to :data:`HISTORY` (``step`` plus the keys of
    :attr:`RotationalMonteCarlo.history`) and the run's scalars to the job document
    (``steps_done``, ``acceptance_ratio``, ``initial_free_energy``, ``final_free_energy``,
    ``final_mean_s``, ``versions``).

    Args:
        job (signac.job.Job): As for :func:`run_fcc_chain`.
        frames (int): Trajectory frames per run.
        study (FieldStudy): The job's parsed state point, when the caller has it already.

    Returns:
        RotationalMonteCarlo: The chain after the run.
    """
    mc = run_fcc_chain(job, frames=frames, study=study)
    np.savez(job.fn(HISTORY), step=np.arange(1, mc.step + 1), **mc.history)
    job.doc.update(
        {
            "steps_done": mc.step,
            "acceptance_ratio": mc.acceptance_ratio,
            "initial_free_energy": mc.initial_free_energy,
            "final_free_energy": mc.free_energy,
            "final_mean_s": mc.mean_order_parameter,
            "versions": versions(),
        }
    )
    return mc
