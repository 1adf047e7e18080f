"""The freud compute contract shared by our analysis classes.

Parameters go to ``__init__``, data to ``compute(...)`` (which returns ``self``), and results are
properties that raise :class:`AttributeError` until the first ``compute``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable


def computed_property(func: Callable) -> property:
    """Property that raises AttributeError until ``compute()`` has run (freud's contract).

    The instance sets ``self._computed = True`` at the end of its ``compute``.
    """

    @functools.wraps(func)
    def getter(self):
        if not getattr(self, "_computed", False):
            raise AttributeError(
                f"{type(self).__name__}.{func.__name__} is not available: call compute() first"
            )
        return func(self)

    return property(getter)
