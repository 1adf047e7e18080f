"""hoomd_rigidfield: nanocrystal superlattices by field theory and HOOMD-blue, one suite each.

Suites (no suite imports another): :mod:`~hoomd_rigidfield.fieldtheory` (strong electrolytes
around faceted nanocrystals), :mod:`~hoomd_rigidfield.mie` (binary Mie superlattices, HOOMD MD),
:mod:`~hoomd_rigidfield.patchy` (patchy truncated cubes, HOOMD HPMC),
:mod:`~hoomd_rigidfield.shortrange` (DLVO, square wells, quench regimes),
:mod:`~hoomd_rigidfield.freeenergy` (crystal and fluid free energies, Einstein molecule) and
:mod:`~hoomd_rigidfield.scattering` (SAXS/WAXS, Debye powder patterns, XCCA). Shared:
:mod:`~hoomd_rigidfield.analysis` and the top-level modules (backend, errors, orientation, gsd
files, runs, workflow, references).

The field-theory names below are re-exported lazily, so that importing another suite does not
load the field theory. Nothing here imports HOOMD-blue or CuPy; only the modules named as HOOMD
names its families (``md``, ``hpmc``, ``update``, ``write``) and :mod:`~hoomd_rigidfield.runs`
import HOOMD.
"""

from __future__ import annotations

import importlib
from typing import Any

from hoomd_rigidfield.errors import ConvergenceError, GridResolutionError, OverlapError

__version__ = "0.1.0"

#: Lazily re-exported names -> their module.
_LAZY = {
    "Electrolyte": "hoomd_rigidfield.fieldtheory.electrolyte",
    "FieldSolver": "hoomd_rigidfield.fieldtheory.solver",
    "ConvexPolyhedron": "hoomd_rigidfield.fieldtheory.shapes",
    "TruncatedOctahedron": "hoomd_rigidfield.fieldtheory.shapes",
}

__all__ = [
    "ConvergenceError",
    "ConvexPolyhedron",
    "Electrolyte",
    "FieldSolver",
    "GridResolutionError",
    "OverlapError",
    "TruncatedOctahedron",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'hoomd_rigidfield' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
