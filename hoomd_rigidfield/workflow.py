"""Helpers shared by the signac-flow studies under ``projects/``.

signac-flow 0.29 warns that its directive names will change; every study builds its directives
here so that a rename touches one place.
"""

from __future__ import annotations

import importlib.metadata
from typing import Any

from hoomd_rigidfield.backend import cupy_available


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
        "cupy-cuda12x",
    ):
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return out
