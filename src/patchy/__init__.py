# Part of hoomd_rigidfield (BSD 3-Clause).
"""hoomd_rigidfield's square-patch HPMC pair potential (a compiled HOOMD-blue component).

Built and installed into HOOMD-blue by the top-level ``CMakeLists.txt`` of hoomd_rigidfield;
use it through :mod:`hoomd_rigidfield.patchy.hpmc`, or directly::

    from hoomd.rigidfield_patchy.pair import SquarePatch
"""

from hoomd.rigidfield_patchy import pair

__all__ = ["pair"]
