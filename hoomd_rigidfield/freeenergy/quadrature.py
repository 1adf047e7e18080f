"""Switching the springs off: Gauss-Legendre nodes in :math:`\\ln(\\lambda + c)`, block averages.

The last step of the solid branch is

.. math::

    \\Delta A_2 = -\\int_0^{\\Lambda_E} \\langle \\textstyle\\sum_{i\\ge1}
        |\\vec r_i - \\vec r_{i,0}|^2 \\rangle_\\lambda \\, d\\lambda
    = -\\int_{\\ln c}^{\\ln(\\Lambda_E + c)} (\\lambda + c)
        \\langle \\textstyle\\sum |\\Delta \\vec r|^2 \\rangle_\\lambda \\, d\\ln(\\lambda + c),

(springs :math:`\\lambda \\sum|\\Delta\\vec r|^2`, see :mod:`.einstein`). At large
:math:`\\lambda` the mean squared displacement falls as :math:`3(N-1)kT/2\\lambda`, so the second
form has an almost flat integrand and Gauss-Legendre converges fast; :math:`c =
e^{3.5}\\,kT/\\sigma^2` is the choice of :cite:`vega2007` (:data:`DEFAULT_SHIFT`).

Each node is an independent run, so the error of the integral is the weighted sum in quadrature
of the nodes' standard errors, which come from block averages of their correlated series
(:func:`block_average`). A hand-written block average rather than pymbar: it is a few lines, it
is tested here against the exact AR(1) result, and it keeps the dependency list short.

Example:
    >>> import numpy as np
    >>> from hoomd_rigidfield.freeenergy.quadrature import SpringNodes
    >>> nodes = SpringNodes.gauss_legendre(1000.0, 12)
    >>> exact = np.log((1000.0 + nodes.shift) / nodes.shift)  # f = 1/(lambda + c)
    >>> bool(abs(nodes.integrate(1.0 / (nodes.springs + nodes.shift))[0] - exact) < 1e-12)
    True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from hoomd_rigidfield.validation import check_finite_array, check_int, check_positive

#: Shift :math:`c` of the variable :math:`\\ln(\\lambda + c)` [kT/σ²] :cite:`vega2007`.
DEFAULT_SHIFT = math.exp(3.5)


@dataclass(frozen=True)
class SpringNodes:
    """Quadrature nodes over the spring constant :math:`\\lambda \\in [0, \\Lambda_E]`.

    Args:
        springs ((K,) numpy.ndarray): Nodes :math:`\\lambda_k` [kT/σ²], descending.
        weights ((K,) numpy.ndarray): Weights :math:`w_k` [kT/σ²]:
            :math:`\\int_0^{\\Lambda_E} f\\,d\\lambda \\approx \\sum_k w_k f(\\lambda_k)`.
        spring_max (float): :math:`\\Lambda_E` [kT/σ²].
        shift (float): :math:`c` [kT/σ²].
    """

    springs: np.ndarray
    weights: np.ndarray
    spring_max: float
    shift: float

    @classmethod
    def gauss_legendre(
        cls, spring_max: float, n_nodes: int = 12, shift: float = DEFAULT_SHIFT
    ) -> SpringNodes:
        """Gauss-Legendre nodes in :math:`x = \\ln(\\lambda + c)` mapped back to :math:`\\lambda`.

        Args:
            spring_max (float): :math:`\\Lambda_E` [kT/σ²] (> 0).
            n_nodes (int): Number of nodes (>= 2; >= 10 for production).
            shift (float): :math:`c` [kT/σ²] (> 0).

        Returns:
            SpringNodes: Nodes and weights (weights include the Jacobian :math:`\\lambda + c`).
        """
        lam_max = check_positive("spring_max", spring_max, "kT/sigma^2")
        k = check_int("n_nodes", n_nodes, 2, 200)
        c = check_positive("shift", shift, "kT/sigma^2")
        t, w = np.polynomial.legendre.leggauss(k)
        a, b = math.log(c), math.log(lam_max + c)
        x = 0.5 * (b - a) * t + 0.5 * (b + a)
        lam = np.exp(x) - c
        weights = 0.5 * (b - a) * w * (lam + c)
        order = np.argsort(lam)[::-1]
        return cls(lam[order], weights[order], lam_max, c)

    def integrate(self, values: Any, errors: Any = None) -> tuple[float, float]:
        """:math:`\\sum_k w_k f_k` and its error :math:`\\sqrt{\\sum_k (w_k e_k)^2}`.

        Args:
            values ((K,) array): Integrand at the nodes.
            errors ((K,) array): Standard errors of ``values`` (independent nodes; ``None``: 0).

        Returns:
            tuple[float, float]: Integral and standard error.
        """
        k = len(self.springs)
        f = check_finite_array("values", values, (k,))
        e = np.zeros(k) if errors is None else check_finite_array("errors", errors, (k,))
        if np.any(e < 0):
            raise ValueError("errors must be >= 0")
        return float(np.dot(self.weights, f)), float(np.sqrt(np.sum((self.weights * e) ** 2)))


def block_average(series: Any, n_blocks: int = 16) -> tuple[float, float]:
    """Mean of a correlated series and its standard error from ``n_blocks`` block means.

    The series is cut into ``n_blocks`` equal consecutive blocks (the remainder at the start is
    dropped); if the blocks are much longer than the correlation time, their means are
    independent and :math:`\\mathrm{SE} = s_\\mathrm{blocks}/\\sqrt{n_\\mathrm{blocks}}`.

    Args:
        series ((T,) array): Samples in time order.
        n_blocks (int): Number of blocks (>= 2, <= T).

    Returns:
        tuple[float, float]: Mean of the blocks and its standard error.

    Example:
        >>> block_average([1.0, 2.0, 3.0, 4.0], n_blocks=2)
        (2.5, 1.0)
    """
    x = check_finite_array("series", series, (None,))
    b = check_int("n_blocks", n_blocks, 2, max(len(x), 2))
    if len(x) < b:
        raise ValueError(f"series must have at least n_blocks = {b} samples, got {len(x)}")
    length = len(x) // b
    means = x[len(x) - b * length :].reshape(b, length).mean(axis=1)
    return float(means.mean()), float(means.std(ddof=1) / math.sqrt(b))
