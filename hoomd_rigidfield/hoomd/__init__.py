"""Deprecated: the HOOMD-facing code now lives in each suite (``md``, ``hpmc``, ``update``).

========================================  ==============================================
old name (removed in the next release)    new name
========================================  ==============================================
``hoomd_rigidfield.hoomd.FieldRotation``  ``hoomd_rigidfield.fieldtheory.update.FieldRotation``
``hoomd_rigidfield.hoomd.updater``        ``hoomd_rigidfield.fieldtheory.update``
``hoomd_rigidfield.hoomd.mie``            ``hoomd_rigidfield.mie.md``
``hoomd_rigidfield.hoomd.patchy``         ``hoomd_rigidfield.patchy.hpmc``
``hoomd_rigidfield.hoomd.checkpoint``     ``hoomd_rigidfield.runs``
========================================  ==============================================

Importing it (or a submodule) warns once with :class:`DeprecationWarning`, as freud does for its
deprecated aliases, and then hands on the new objects.
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

#: Old submodule -> new module.
MOVED = {
    "updater": "hoomd_rigidfield.fieldtheory.update",
    "mie": "hoomd_rigidfield.mie.md",
    "patchy": "hoomd_rigidfield.patchy.hpmc",
    "checkpoint": "hoomd_rigidfield.runs",
}

__all__ = ["FieldRotation", "FieldRotationUpdater"]


def deprecated(old: str, new: str) -> Any:
    """Warn that ``old`` moved to ``new`` and return the module ``new``.

    Args:
        old (str): The deprecated dotted name.
        new (str): The module that replaces it.

    Returns:
        types.ModuleType: The new module.
    """
    warnings.warn(
        f"{old} is deprecated and will be removed in the next release: use {new}",
        DeprecationWarning,
        stacklevel=3,
    )
    return importlib.import_module(new)


def __getattr__(name: str) -> Any:
    if name in __all__:
        return getattr(deprecated(f"hoomd_rigidfield.hoomd.{name}", MOVED["updater"]), name)
    raise AttributeError(f"module 'hoomd_rigidfield.hoomd' has no attribute {name!r}")
