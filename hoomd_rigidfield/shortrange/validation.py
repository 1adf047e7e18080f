"""Input checks of the short-range suite: every message names the parameter, value and range.

:func:`check_real` is the shared one of :mod:`hoomd_rigidfield.validation`, re-exported here.

Example:
    >>> from hoomd_rigidfield.shortrange.validation import check_real
    >>> check_real("radius", 2.25e-9, 0, unit="m")
    2.25e-09
    >>> check_real("radius", float("nan"), 0, unit="m")
    Traceback (most recent call last):
    ...
    ValueError: radius must be a finite number in (0, inf) m, got nan
"""

from __future__ import annotations

import numpy as np

from hoomd_rigidfield.validation import check_real

__all__ = ["check_choice", "check_distances", "check_real"]


def check_choice(name: str, value: object, choices: tuple[str, ...]) -> str:
    """One of a fixed set of names, or a :class:`ValueError` listing them.

    Args:
        name (str): Parameter name.
        value: The value.
        choices (tuple[str, ...]): Allowed names.

    Returns:
        str: ``value``.

    Example:
        >>> check_choice("form", "lsa", ("hhf", "lsa"))
        'lsa'
    """
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {value!r}")
    return str(value)


def check_distances(name: str, r: object, unit: str = "") -> np.ndarray:
    """Distances as a float array: finite or ``inf``, and positive.

    Args:
        name (str): Parameter name.
        r: Scalar or array of distances.
        unit (str): Unit for the message.

    Returns:
        numpy.ndarray: ``r`` as a float array (same shape).

    Example:
        >>> check_distances("r", [1.0, 2.0]).tolist()
        [1.0, 2.0]
    """
    try:
        out = np.asarray(r, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of distances, got {r!r}") from None
    bad = np.isnan(out) | (out <= 0)
    if bad.any():
        first = out[bad].flat[0]
        raise ValueError(
            f"{name} must be positive distances{' in ' + unit if unit else ''}, got {first!r}"
        )
    return out
