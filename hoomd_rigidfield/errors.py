"""Exceptions raised by hoomd_rigidfield (never a silent wrong number)."""


class ConvergenceError(RuntimeError):
    """The conjugate-gradient solve did not reach the requested tolerance."""


class OverlapError(ValueError):
    """Nanocrystals overlap, or a nanocrystal overlaps its own periodic image."""


class GridResolutionError(ValueError):
    """The grid is too coarse for the electrolyte's oscillation or for the smearing width."""
