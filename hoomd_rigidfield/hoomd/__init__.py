"""HOOMD-blue integration: field-theory rotation moves as a custom HOOMD updater.

This subpackage imports HOOMD-blue at import time; the rest of :mod:`hoomd_rigidfield` never
does. Inside it, the name ``hoomd`` always means the real HOOMD-blue package (absolute imports
only).

Example::

    from hoomd_rigidfield.hoomd import FieldRotationUpdater

    updater = FieldRotationUpdater(trigger=1, model=model, kT=50.0)
    sim.operations.updaters.append(updater)
"""

from __future__ import annotations

_INSTALL_HINT = (
    "hoomd_rigidfield.hoomd requires HOOMD-blue >= 4.0 (developed against 4.8): install it with "
    '`conda install -c conda-forge "hoomd=4.8"` or build it from source '
    "(https://hoomd-blue.readthedocs.io/en/v4.8.2/building.html). The rest of hoomd_rigidfield "
    "works without it."
)

try:
    import hoomd  # the real HOOMD-blue package, not this subpackage
except ImportError as err:
    raise ImportError(f"{_INSTALL_HINT} (import hoomd failed: {err})") from err

if int(str(hoomd.version.version).split(".")[0]) < 4:
    raise ImportError(f"{_INSTALL_HINT} Found HOOMD-blue {hoomd.version.version}.")

from hoomd_rigidfield.hoomd.updater import FieldRotation, FieldRotationUpdater  # noqa: E402

__all__ = ["FieldRotation", "FieldRotationUpdater"]
