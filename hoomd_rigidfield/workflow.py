"""Helpers shared by the signac-flow studies under ``projects/``.

signac-flow 0.29 warns that its directive names will change; every study builds its directives
here so that a rename touches one place.
"""

from __future__ import annotations

import importlib.metadata
import sys
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import signac

from hoomd_rigidfield.backend import cupy_available
from hoomd_rigidfield.electrolyte import Electrolyte
from hoomd_rigidfield.field import FieldSolver
from hoomd_rigidfield.montecarlo import FieldFreeEnergy, RotationalMonteCarlo
from hoomd_rigidfield.shapes import TruncatedOctahedron
from hoomd_rigidfield.superlattice import fcc_sites

#: Job files of a Monte Carlo chain.
CHECKPOINT, TRAJECTORY, HISTORY = "checkpoint.gsd", "trajectory.gsd", "history.npz"


def array_backend() -> str:
    """Array backend for field solves: ``"cupy"`` where CuPy and a GPU work, else ``"numpy"``.

    Returns:
        str: Backend name for :class:`~hoomd_rigidfield.FieldSolver`.
    """
    return "cupy" if cupy_available() else "numpy"


def directives(
    *, gpu: bool = False, walltime: float | None = None, cores: int = 1
) -> dict[str, Any]:
    """signac-flow directives for an operation.

    Args:
        gpu (bool): Ask the scheduler for one GPU (operations still run on the CPU without one).
        walltime (float): Wall-clock limit [hours].
        cores (int): CPU cores (threads) the operation uses.

    Returns:
        dict: Directives for ``@Project.operation(directives=...)``.
    """
    if int(cores) != cores or cores < 1:
        raise ValueError(f"cores must be a positive integer, got {cores!r}")
    # No ``omp_num_threads``: it makes flow run the operation in a subprocess of project.py.
    out: dict[str, Any] = {"np": int(cores)}
    if gpu:
        out["ngpu"] = 1
    if walltime is not None:
        if not walltime > 0:
            raise ValueError(f"walltime must be positive (hours), got {walltime!r}")
        out["walltime"] = float(walltime)
    return out


def versions() -> dict[str, str]:
    """Versions of the software that produced a result, for job documents.

    Returns:
        dict[str, str]: Distribution name to version (missing optional ones are left out).
    """
    out = {}
    for name in (
        "hoomd-rigidfield",
        "numpy",
        "scipy",
        "gsd",
        "signac",
        "signac-flow",
        "freud-analysis",
        "cupy-cuda12x",
    ):
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    if "hoomd" in sys.modules:  # conda and source builds of HOOMD-blue carry no pip metadata
        out["hoomd"] = str(sys.modules["hoomd"].version.version)
    return out


def init_jobs(path: str, statepoints: Any) -> Any:
    """Create (idempotently) a signac project and its jobs, and say how many it holds.

    Args:
        path (str): Project directory.
        statepoints: Iterable of state-point dicts.

    Returns:
        signac.Project: The project.
    """
    project = signac.init_project(path=path)
    for sp in statepoints:
        project.open_job(sp).init()
    print(f"{len(project)} jobs in {project.path}")
    return project


def field_solver(sp: Mapping[str, Any]) -> tuple[FieldSolver, bool]:
    """Field solver of an fcc state point and whether its grid resolves the charge oscillation.

    Args:
        sp: State point with ``alpha`` [A], ``gamma``, ``b``, ``lam``, ``lattice_constant`` [A],
            ``n_cells``, ``n_grid`` and ``rtol``.

    Returns:
        tuple: ``(solver, resolved)``; ``resolved`` is False when the solver warned that the
        oscillation has fewer than 3 grid points per wavelength.

    Raises:
        GridResolutionError: If the grid cannot represent the smearing or the oscillation.
    """
    el = Electrolyte.from_alpha_gamma(sp["alpha"], sp["gamma"], b=sp["b"], lam=sp["lam"])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        solver = FieldSolver(
            el,
            sp["n_cells"] * sp["lattice_constant"],
            sp["n_grid"],
            rtol=sp["rtol"],
            backend=array_backend(),
        )
    return solver, not any("under-resolved" in str(w.message) for w in caught)


def fcc_chain_statepoint(
    alpha: float,
    gamma: float,
    *,
    n_cells: int,
    n_grid: int,
    steps: int,
    window: int,
    lam: float = 500.0,
) -> dict[str, Any]:
    """State point of a rotational MC chain on fcc sites, as :func:`run_fcc_chain` reads it.

    The fixed inputs are the paper's (seed 000): 57 A Archimedean truncated octahedra,
    a = 90 A, b/a = 100 A, k_BT = 50, rotation step 0.2 rad, rtol 1e-6, seed 1.

    Args:
        alpha (float): Decay length :math:`\\alpha` [A] (rounded to 4 digits).
        gamma (float): Oscillation parameter :math:`\\gamma` (rounded to 4 digits).
        n_cells (int): fcc cells per side.
        n_grid (int): Grid points per side.
        steps (int): Length of the chain.
        window (int): Steps at the end over which <s> is averaged.
        lam (float): :math:`\\lambda/a`.

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
        "seed": 1,
    }


def run_fcc_chain(
    job: Any, *, frames: int = 400, max_steps: int | None = None, progress: bool = True
) -> RotationalMonteCarlo:
    """Run (or continue after a kill) the rotational Monte Carlo chain of an fcc state point.

    Args:
        job (signac.job.Job): Job whose state point has the keys of :func:`field_solver` plus
            ``size`` [A], ``wulff_ratio``, ``kT``, ``max_rotation`` [rad], ``seed`` and ``steps``.
            Writes :data:`CHECKPOINT` (every 1 % of the run, at most every 100 steps) and
            :data:`TRAJECTORY` (about ``frames`` frames) in the job directory.
        frames (int): Trajectory frames per run.
        max_steps (int): Make at most this many new steps now (``None``: to the end).
        progress (bool): Show a progress bar.

    Returns:
        RotationalMonteCarlo: The chain after the run.
    """
    sp = job.cached_statepoint
    solver, _ = field_solver(sp)
    shape = TruncatedOctahedron.from_size(sp["size"], sp["wulff_ratio"])
    model = FieldFreeEnergy(solver, shape, fcc_sites(sp["lattice_constant"], sp["n_cells"]))
    mc = RotationalMonteCarlo(model, sp["kT"], max_rotation=sp["max_rotation"], seed=sp["seed"])
    steps = sp["steps"]
    return mc.run_to(
        steps,
        checkpoint=job.fn(CHECKPOINT),
        trajectory=job.fn(TRAJECTORY),
        max_steps=max_steps,
        checkpoint_period=max(1, min(100, steps // 100)),
        trajectory_period=max(1, steps // frames),
        progress=progress,
    )


def sample_fcc_chain(job: Any, *, frames: int = 400) -> RotationalMonteCarlo:
    """Run an fcc chain to its end (:func:`run_fcc_chain`) and record it in the job.

    Writes the per-step histories to :data:`HISTORY` (``step`` plus the keys of
    :attr:`RotationalMonteCarlo.history`) and the run's scalars to the job document
    (``steps_done``, ``acceptance_ratio``, ``initial_free_energy``, ``final_free_energy``,
    ``final_mean_s``, ``versions``).

    Args:
        job (signac.job.Job): As for :func:`run_fcc_chain`.
        frames (int): Trajectory frames per run.

    Returns:
        RotationalMonteCarlo: The chain after the run.
    """
    mc = run_fcc_chain(job, frames=frames)
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
