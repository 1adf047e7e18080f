"""Figures of the free-energy suite: the switching integrand and the finite-size extrapolation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from hoomd_rigidfield.freeenergy.einstein import einstein_molecule_msd
from hoomd_rigidfield.freeenergy.study import extrapolate


def plot_integrand(ax: Any, result: Any, *, label: str | None = None) -> Any:
    """:math:`\\langle\\sum|\\Delta\\vec r|^2\\rangle/(N-1)` against :math:`\\lambda`, with errors.

    The ideal-molecule limit :math:`3kT/2\\lambda` is drawn dashed.

    Args:
        ax (matplotlib.axes.Axes): Target axes (log-log).
        result: A :class:`~hoomd_rigidfield.freeenergy.hpmc.SolidFreeEnergy`.
        label (str): Legend label.

    Returns:
        matplotlib.axes.Axes: ``ax``.
    """
    lam = np.array([nd.spring for nd in result.nodes])
    msd = np.array([nd.msd for nd in result.nodes]) / (result.n - 1)
    err = np.array([nd.msd_error for nd in result.nodes]) / (result.n - 1)
    ax.errorbar(lam, msd, yerr=err, fmt="o", label=label or f"N = {result.n}")
    ideal = [einstein_molecule_msd(result.n, s) / (result.n - 1) for s in lam]
    ax.plot(lam, ideal, "--", color="0.5", label="ideal Einstein molecule")
    ax.set(
        xscale="log",
        yscale="log",
        xlabel=r"$\lambda$ [kT/$\sigma^2$]",
        ylabel=r"$\langle|\Delta r|^2\rangle$ [$\sigma^2$]",
    )
    ax.legend()
    return ax


def plot_extrapolation(
    ax: Any,
    n: Sequence[int],
    values: Sequence[float],
    errors: Sequence[float],
    reference: float | None = None,
) -> Any:
    """:math:`\\beta A/N` against :math:`1/N` with the fit :math:`a + b/N`.

    Args:
        ax (matplotlib.axes.Axes): Target axes.
        n (Sequence[int]): System sizes.
        values (Sequence[float]): :math:`\\beta A/N` [kT].
        errors (Sequence[float]): Standard errors [kT].
        reference (float): A literature :math:`N \\to \\infty` value to mark.

    Returns:
        matplotlib.axes.Axes: ``ax``.
    """
    a, da, b = extrapolate(n, values, errors)
    x = 1.0 / np.asarray(n, dtype=float)
    ax.errorbar(x, values, yerr=errors, fmt="o", label="Einstein molecule")
    grid = np.linspace(0, x.max() * 1.05, 50)
    ax.plot(grid, a + b * grid, "-", label=f"a + b/N: a = {a:.4f}({round(da * 1e4):d})")
    if reference is not None:
        ax.plot([0], [reference], "k*", markersize=10, label=f"literature {reference:g}")
    ax.set(xlabel="1/N", ylabel=r"$\beta A/N$ [kT]")
    ax.legend()
    return ax
