"""Figures of the free-energy suite: the switching integrand and the finite-size extrapolation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from hoomd_rigidfield.freeenergy.einstein import einstein_molecule_msd
from hoomd_rigidfield.freeenergy.study import LOG_COEFFICIENT, extrapolate


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
    """:math:`\\beta A/N` against :math:`1/N` with the fit :math:`a + b/N - \\tfrac32\\ln N/N`.

    The fit is :func:`~.study.extrapolate`'s (its default :math:`\\ln N/N` coefficient).

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
    grid = np.linspace(0, x.max() * 1.05, 200)[1:]
    curve = a + b * grid - LOG_COEFFICIENT * np.log(grid) * grid  # ln N / N = -x ln x
    ax.plot(grid, curve, "-", label=f"fit: a = {a:.4f}({round(da * 1e4):d})")
    if reference is not None:
        ax.plot([0], [reference], "k*", markersize=10, label=f"literature {reference:g}")
    ax.set(xlabel="1/N", ylabel=r"$\beta A/N$ [kT]")
    ax.legend()
    return ax


#: Colours of the phases in :func:`plot_phase_diagram`.
PHASE_COLOURS = {"gas": "tab:blue", "fluid": "tab:blue", "liquid": "tab:green", "solid": "tab:red"}


def plot_phase_diagram(
    ax: Any,
    points: Sequence[tuple[float, Mapping[str, Any]]],
    *,
    critical: tuple[float, float] | None = None,
    stable_only: bool = False,
) -> Any:
    """A phase diagram in :math:`(\\rho\\sigma^3, \\beta\\varepsilon)`: coexistence densities and tie lines.

    Args:
        ax (matplotlib.axes.Axes): Target axes.
        points: ``(depth, coexistences)`` per depth, ``coexistences`` as returned by
            :func:`~.phases.phase_point` (``"a-b"`` -> entry with densities, errors, ``stable``).
        critical (tuple[float, float]): :math:`(\\beta\\varepsilon_c, \\rho_c)` to mark.
        stable_only (bool): Leave out the metastable coexistences (else drawn faint, dotted).

    Returns:
        matplotlib.axes.Axes: ``ax``.
    """
    boundaries: dict[tuple[str, str, int], list[tuple[float, float, float]]] = {}
    labelled = set()
    for depth, coex in sorted(points, key=lambda t: t[0]):
        for key, c in coex.items():
            stable = bool(c["stable"])
            if stable_only and not stable:
                continue
            a, b = c["phases"]
            alpha = 1.0 if stable else 0.3
            ax.plot([c["density_a"], c["density_b"]], [depth, depth], ":" if not stable else "-",
                    color="0.5", lw=0.8, alpha=alpha, zorder=1)  # fmt: skip
            for side, phase in ((0, a), (1, b)):
                rho = c["density_a" if side == 0 else "density_b"]
                err = c.get(("density_a" if side == 0 else "density_b") + "_error", 0.0)
                label = phase if (phase not in labelled and stable) else None
                labelled.add(phase) if label else None
                ax.errorbar(rho, depth, xerr=err if np.isfinite(err) else 0.0, fmt="o",
                            ms=5, color=PHASE_COLOURS.get(phase, "k"), alpha=alpha,
                            label=label, capsize=2, zorder=3)  # fmt: skip
                if stable:
                    boundaries.setdefault((key, phase, side), []).append((depth, rho, 0.0))
    for (_, phase, _), line in boundaries.items():
        if len(line) > 1:
            d, r, _ = np.array(line).T
            ax.plot(r, d, "-", color=PHASE_COLOURS.get(phase, "k"), lw=1, alpha=0.7)
    # two-phase regions: shaded between the two boundaries of a stable pair over its depths
    for key in {k for k, _, _ in boundaries}:
        lo = boundaries.get((key, key.split("-")[0], 0), [])
        hi = boundaries.get((key, key.split("-")[1], 1), [])
        if len(lo) > 1 and len(lo) == len(hi):
            d = np.array([t[0] for t in lo])
            ax.fill_betweenx(d, [t[1] for t in lo], [t[1] for t in hi], color="0.85", alpha=0.5,
                             lw=0, zorder=0)  # fmt: skip
    for depth, coex in points:
        for c in coex.values():
            if c["stable"]:
                mid = 0.5 * (c["density_a"] + c["density_b"])
                ax.annotate(f"{c['phases'][0]} + {c['phases'][1]}, " + rf"$\beta p\sigma^3$ = {c['pressure']:.3g}",
                            (mid, depth), textcoords="offset points", xytext=(0, 3),
                            ha="center", fontsize=7, color="0.3")  # fmt: skip
    if critical is not None:
        ax.plot([critical[1]], [critical[0]], "k*", ms=12, label="critical point (estimate)")
    ax.set(xlabel=r"$\rho\sigma_{LL}^3$ (all particles)", ylabel=r"$\beta\varepsilon$")
    if ax.get_legend_handles_labels()[1]:
        ax.legend(fontsize=8, loc="best")
    else:
        ax.text(0.5, 0.5, "no coexistence found", transform=ax.transAxes, ha="center")
    return ax
