"""The freud compute contract shared by the computes of every suite.

Parameters go to ``__init__``, data to ``compute(...)`` (which returns ``self``), and results are
properties that raise :class:`AttributeError` until the first ``compute`` (as freud's do).
"""

from __future__ import annotations

import functools
from collections.abc import Callable


class _Compute:
    """Base of the freud-style computes: the one "not computed yet" guard.

    A subclass sets ``self._computed = True`` at the end of its ``compute`` (or defines
    ``_computed`` as a property of its stored results) and declares its results with
    :func:`computed_property` or guards them with :meth:`_require_computed`.
    """

    _computed: bool = False

    def _require_computed(self, name: str) -> None:
        """Raise :class:`AttributeError` naming ``name`` until ``compute()`` has run."""
        if not self._computed:
            raise AttributeError(
                f"{type(self).__name__}.{name} is not available: call compute() first"
            )


def computed_property(func: Callable) -> property:
    """Property of a :class:`_Compute` that raises AttributeError until ``compute()`` has run.

    Args:
        func: The getter.

    Returns:
        property: The guarded property.
    """

    @functools.wraps(func)
    def getter(self: _Compute):
        self._require_computed(func.__name__)
        return func(self)

    return property(getter)
