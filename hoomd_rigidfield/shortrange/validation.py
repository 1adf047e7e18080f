"""Input checks of the short-range suite: every message names the parameter, value and range.

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

import math
from numbers import Real

import numpy as np


def _interval(low: float, high: float, low_open: bool, high_open: bool, unit: str) -> str:
    left = "(" if low_open or low == -math.inf else "["
    right = ")" if high_open or high == math.inf else "]"
    text = f"{left}{low:g}, {high:g}{right}"
    return f"{text} {unit}" if unit else text


def check_real(
    name: str,
    value: object,
    low: float = -math.inf,
    high: float = math.inf,
    *,
    low_open: bool = True,
    high_open: bool = False,
    unit: str = "",
) -> float:
    """A finite real number in an interval, or a :class:`ValueError` that says what is wrong.

    Args:
        name (str): Parameter name, as the caller spells it.
        value: The value (a real number; bools are refused).
        low (float): Lower bound.
        high (float): Upper bound.
        low_open (bool): Exclude ``low`` (default: it must be exceeded).
        high_open (bool): Exclude ``high``.
        unit (str): Unit printed after the interval (e.g. ``"m"``, ``"K"``).

    Returns:
        float: ``value`` as a float.
    """
    interval = _interval(low, high, low_open, high_open, unit)
    shown = value.item() if isinstance(value, np.generic) else value
    message = f"{name} must be a finite number in {interval}, got {shown!r}"
    if isinstance(value, bool) or not isinstance(value, Real | np.floating | np.integer):
        raise ValueError(message)
    x = float(value)
    if not math.isfinite(x):
        raise ValueError(message)
    below = x <= low if low_open else x < low
    above = x >= high if high_open else x > high
    if below or above:
        raise ValueError(message)
    return x


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
