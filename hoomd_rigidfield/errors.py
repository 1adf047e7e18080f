"""Exceptions raised by hoomd_rigidfield (never a silent wrong number)."""


class ConvergenceError(RuntimeError):
    """The conjugate-gradient solve did not reach the requested tolerance."""


class OverlapError(ValueError):
    """Nanocrystals overlap, or a nanocrystal overlaps its own periodic image."""


class GridResolutionError(ValueError):
    """The grid is too coarse for the electrolyte's oscillation or for the smearing width."""


#: How to get HOOMD-blue, for the error raised when a HOOMD-facing module cannot import it.
HOOMD_INSTALL_HINT = (
    "requires HOOMD-blue >= 4.0 (developed against 4.8): install it with "
    '`conda install -c conda-forge "hoomd=4.8"` or build it from source '
    "(https://hoomd-blue.readthedocs.io/en/v4.8.2/building.html). The rest of hoomd_rigidfield "
    "works without it."
)


def hoomd_import_error(module: str, reason: object) -> ImportError:
    """The ImportError of a HOOMD-facing module whose ``import hoomd`` failed or found HOOMD 3.

    Args:
        module (str): The module that needs HOOMD-blue (``__name__``).
        reason: What went wrong (the original exception, or the version found).

    Returns:
        ImportError: With the install hint, to raise from the original error.
    """
    return ImportError(f"{module} {HOOMD_INSTALL_HINT} ({reason})")
