"""Deprecated alias of :mod:`hoomd_rigidfield.runs` (removed in the next release)."""

from hoomd_rigidfield.hoomd import deprecated

globals().update(
    {
        k: v
        for k, v in vars(deprecated(__name__, "hoomd_rigidfield.runs")).items()
        if not k.startswith("__")
    }
)
