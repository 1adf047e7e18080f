"""Deprecated alias of :mod:`hoomd_rigidfield.fieldtheory.update` (removed in the next release)."""

from hoomd_rigidfield.hoomd import deprecated

globals().update(
    {
        k: v
        for k, v in vars(deprecated(__name__, "hoomd_rigidfield.fieldtheory.update")).items()
        if not k.startswith("__")
    }
)
