"""Shared input checks: every message names the parameter, the value and the valid range.

Used by the shared modules, the analyses and the suites (``docs/validation.md`` lists what is
checked where). Each helper returns the normalised value, so a call reads
``n = check_int("n_alpha", n_alpha, 1)``.

Example:
    >>> from hoomd_rigidfield.validation import check_real
    >>> check_real("tol", 1e-6, 0, unit="A")
    1e-06
    >>> check_real("tol", float("nan"), 0, unit="A")
    Traceback (most recent call last):
    ...
    ValueError: tol must be a finite number in (0, inf) A, got nan
"""

from __future__ import annotations

import math
from collections.abc import Collection
from numbers import Integral, Real
from typing import Any

import numpy as np

from hoomd_rigidfield.backend import get_array_module


def _interval(low: float, high: float, low_open: bool, high_open: bool, unit: str) -> str:
    left = "(" if low_open or low == -math.inf else "["
    right = ")" if high_open or high == math.inf else "]"
    text = f"{left}{low:g}, {high:g}{right}"
    return f"{text} {unit}" if unit else text


def check_real(
    name: str,
    value: Any,
    low: float = -math.inf,
    high: float = math.inf,
    *,
    low_open: bool = True,
    high_open: bool = False,
    unit: str = "",
) -> float:
    """A finite real number in an interval.

    Args:
        name (str): Parameter name, as the caller spells it.
        value: The value (a real number; bools, strings and ``None`` are refused).
        low (float): Lower bound.
        high (float): Upper bound.
        low_open (bool): Exclude ``low`` (default: it must be exceeded).
        high_open (bool): Exclude ``high``.
        unit (str): Unit printed after the interval (e.g. ``"A"``, ``"kT"``).

    Returns:
        float: ``value`` as a float.

    Raises:
        ValueError: If ``value`` is not a finite real number in the interval.
    """
    shown = value.item() if isinstance(value, np.generic) else value
    message = (
        f"{name} must be a finite number in "
        f"{_interval(low, high, low_open, high_open, unit)}, got {shown!r}"
    )
    if isinstance(value, bool | np.bool_) or not isinstance(value, Real):
        raise ValueError(message)
    x = float(value)
    below = x <= low if low_open else x < low
    above = x >= high if high_open else x > high
    if not math.isfinite(x) or below or above:
        raise ValueError(message)
    return x


def check_positive(name: str, value: Any, unit: str = "") -> float:
    """A finite number > 0.

    Args:
        name (str): Parameter name.
        value: The value.
        unit (str): Its unit, for the message.

    Returns:
        float: ``value`` as a float.

    Raises:
        ValueError: Unless ``value`` is finite and positive.
    """
    return check_real(name, value, 0.0, unit=unit)


def check_probability(name: str, value: Any) -> float:
    """A probability strictly between 0 and 1 (e.g. a target acceptance ratio).

    Args:
        name (str): Parameter name.
        value: The value.

    Returns:
        float: ``value`` as a float.

    Raises:
        ValueError: Unless ``0 < value < 1``.
    """
    return check_real(name, value, 0.0, 1.0, high_open=True)


def check_int(name: str, value: Any, low: int | None = None, high: int | None = None) -> int:
    """An integer in ``[low, high]`` (integral floats such as ``3.0`` are accepted).

    Args:
        name (str): Parameter name.
        value: The value (bools and non-integral numbers are refused).
        low (int): Smallest allowed value (``None``: no bound).
        high (int): Largest allowed value (``None``: no bound).

    Returns:
        int: ``value`` as an int.

    Raises:
        ValueError: Unless ``value`` is an integer in range.
    """
    bounds = f"[{'-inf' if low is None else low}, {'inf' if high is None else high}]"
    shown = value.item() if isinstance(value, np.generic) else value
    message = f"{name} must be an integer in {bounds}, got {shown!r}"
    if isinstance(value, bool | np.bool_) or not isinstance(value, Real):
        raise ValueError(message)
    if not isinstance(value, Integral) and not (math.isfinite(value) and value == int(value)):
        raise ValueError(message)
    n = int(value)
    if (low is not None and n < low) or (high is not None and n > high):
        raise ValueError(message)
    return n


def check_choice(name: str, value: Any, choices: Collection[Any]) -> Any:
    """One of a fixed set of values: no silent fallback to a default.

    Args:
        name (str): Parameter name.
        value: The value.
        choices: The allowed values.

    Returns:
        The value.

    Raises:
        ValueError: Unless ``value`` is one of ``choices`` (the message lists them).
    """
    if value not in choices:
        raise ValueError(f"{name} must be one of {sorted(map(repr, choices))}, got {value!r}")
    return value


def check_finite_array(name: str, value: Any, shape: tuple[int | None, ...] | None = None) -> Any:
    """A finite array of numbers, optionally of a given shape.

    Works on NumPy and CuPy arrays (the array is returned on its own backend).

    Args:
        name (str): Parameter name.
        value: Array-like of numbers.
        shape (tuple): Required shape; ``None`` entries match any length (``(None, 3)``: N
            rows of 3). ``None``: any shape.

    Returns:
        The array (NumPy unless ``value`` was a CuPy array).

    Raises:
        ValueError: On a wrong shape, or NaN/inf entries (the message counts them).
    """
    xp = get_array_module(value)
    try:
        a = xp.asarray(value, dtype=float)
    except (TypeError, ValueError) as err:
        raise ValueError(f"{name} must be an array of numbers, got {value!r:.80}") from err
    if shape is not None and (
        a.ndim != len(shape) or any(s is not None and s != n for s, n in zip(shape, a.shape))
    ):
        wanted = "(" + ", ".join("N" if s is None else str(s) for s in shape) + ")"
        raise ValueError(f"{name} must have shape {wanted}, got {a.shape}")
    bad = int(a.size - int(xp.count_nonzero(xp.isfinite(a))))
    if bad:
        raise ValueError(f"{name} must be finite: {bad} of its {a.size} entries are NaN or inf")
    return a


#: Particles closer than this fraction of the mean spacing :math:`(V/N)^{1/d}` count as
#: coincident (:func:`check_points`).
COINCIDENT_FRACTION = 1e-6


def check_points(box: Any, points: Any, name: str = "points") -> np.ndarray:
    """Particle positions an analysis can take: finite, and no two at the same place.

    Coincident particles crash freud's Voronoi tessellation (the process dies) and make
    classifiers report a phase for a broken frame, so they are refused here, before freud sees
    them.

    Args:
        box: A :class:`freud.box.Box` or anything :meth:`freud.box.Box.from_box` reads.
        points ((N, 3) array): Positions in the box's length unit.
        name (str): What the positions are called in messages.

    Returns:
        (N, 3) numpy.ndarray: The positions as float64.

    Raises:
        ValueError: On a wrong shape, NaN or inf, or particles closer than
            :data:`COINCIDENT_FRACTION` times the mean spacing (the message names a pair).
    """
    import freud  # only the analyses need it

    pts = np.asarray(check_finite_array(name, points, (None, 3)), dtype=np.float64)
    box = freud.box.Box.from_box(box)
    if len(pts) < 2:
        return pts
    r_min = COINCIDENT_FRACTION * (box.volume / len(pts)) ** (1.0 / box.dimensions)
    pairs = (
        freud.locality.AABBQuery(box, pts)
        .query(pts, {"r_max": r_min, "exclude_ii": True})
        .toNeighborList()
    )
    if len(pairs):
        i, j = int(pairs.query_point_indices[0]), int(pairs.point_indices[0])
        raise ValueError(
            f"{name} {i} and {j} coincide (distance {float(pairs.distances[0]):.3g} < {r_min:.3g},"
            f" {COINCIDENT_FRACTION:g} of the mean spacing; {len(pairs) // 2} such pairs): a broken frame?"
        )
    return pts
