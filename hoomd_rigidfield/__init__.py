"""hoomd_rigidfield: strong-electrolyte field theory of faceted nanocrystals, with HOOMD-blue studies.

The public API never imports HOOMD-blue or CuPy. HOOMD-facing code lives in
``hoomd_rigidfield.hoomd`` and is imported only when used.
"""

from hoomd_rigidfield.electrolyte import Electrolyte
from hoomd_rigidfield.errors import ConvergenceError, GridResolutionError, OverlapError
from hoomd_rigidfield.field import FieldSolver
from hoomd_rigidfield.shapes import ConvexPolyhedron, TruncatedOctahedron

__version__ = "0.1.0"

__all__ = [
    "ConvergenceError",
    "ConvexPolyhedron",
    "Electrolyte",
    "FieldSolver",
    "GridResolutionError",
    "OverlapError",
    "TruncatedOctahedron",
]
