"""Figures of the short-range suite: DLVO families (the seed's Fig. 2A) and regime maps (2C).

Library functions draw on axes they are given or return :class:`matplotlib.figure.Figure`
objects; nothing here touches pyplot's global state.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullFormatter

from hoomd_rigidfield.shortrange.corresponding_states import critical_depth
from hoomd_rigidfield.shortrange.potentials import DLVOPair
from hoomd_rigidfield.shortrange.regimes import GEL_DEPTH, REGIMES, predicted_regime

#: Colour of each regime / end state.
REGIME_COLOURS = {"fluid": "#9ecae1", "crystal": "#a1d99b", "droplets": "#fdd0a2", "gel": "#bcbddc"}
#: Marker of each simulated end state.
STATE_MARKERS = {"fluid": "o", "crystal": "*", "droplets": "s", "gel": "X"}


def plot_dlvo_family(ax: Any, pairs: Mapping[str, DLVOPair], *, gap_max: float = 6e-9) -> Any:
    """:math:`U/kT` against the surface gap for a family of pairs (e.g. salt concentrations).

    Args:
        ax (matplotlib.axes.Axes): Axes.
        pairs (Mapping[str, DLVOPair]): Label -> pair.
        gap_max (float): Largest gap drawn [m].

    Returns:
        Axes: ``ax``.
    """
    if not pairs:
        raise ValueError("pairs must hold at least one DLVOPair")
    for label, pair in pairs.items():
        h = np.linspace(pair.contact_gap, gap_max, 600)
        ax.plot(h * 1e9, pair.energy(sum(pair.radii) + h), label=label)
    first = next(iter(pairs.values()))
    ax.axvline(first.contact_gap * 1e9, color="0.3", lw=0.8, ls=":")
    ax.axhline(0.0, color="0.5", lw=0.6)
    ax.set_xlabel("surface gap h (nm)")
    ax.set_ylabel("U / kT")
    ax.legend(fontsize=8)
    return ax


def plot_regime_map(
    ax: Any,
    *,
    depth: Sequence[float] = (0.0, 10.0),
    lam: Sequence[float] = (0.001, 0.5),
    simulated: Sequence[tuple[float, float, str]] = (),
    point: tuple[float, float] | None = None,
    point_label: str = "this NC",
    notes: Sequence[str] = (),
    resolution: int = 200,
) -> Any:
    """The landmark regime map (:func:`~.regimes.predicted_regime`) over width and depth.

    Args:
        ax (matplotlib.axes.Axes): Axes.
        depth (Sequence[float]): Range of :math:`\\beta u_0` [kT].
        lam (Sequence[float]): Range of :math:`\\lambda` [:math:`\\sigma`] (log axis: DLVO
            wells map to :math:`\\lambda \\sim 10^{-3}`).
        simulated (Sequence[tuple]): ``(depth, lam, state)`` of simulated end states, drawn
            with :data:`STATE_MARKERS`.
        point (tuple[float, float]): ``(depth, lam)`` to mark (an equivalent square well).
        point_label (str): Its legend label.
        notes (Sequence[str]): A text next to each simulated point (e.g. its crystalline
            fraction), in the order of ``simulated``.
        resolution (int): Grid points per axis.

    Returns:
        Axes: ``ax``.
    """
    lams = np.geomspace(*lam, resolution)
    depths = np.linspace(*depth, resolution)
    code = np.array([[REGIMES.index(predicted_regime(d, w)) for w in lams] for d in depths])
    cmap = ListedColormap([REGIME_COLOURS[r] for r in REGIMES])
    ax.pcolormesh(lams, depths, code, cmap=cmap, vmin=-0.5, vmax=len(REGIMES) - 0.5,
                  shading="auto")  # fmt: skip
    ax.plot(lams, critical_depth(lams), color="k", lw=1, label="$B_2^*$ = -1.5")
    ax.axhline(GEL_DEPTH, color="k", lw=0.8, ls="--")
    for name in REGIMES:
        ax.fill_between([], [], color=REGIME_COLOURS[name], label=f"predicted {name}")
    for state in REGIMES:
        pts = [(d, w) for d, w, s in simulated if s == state]
        if pts:
            d, w = np.array(pts).T
            ax.scatter(w, d, marker=STATE_MARKERS[state], s=90, c="k", label=f"MD: {state}",
                       zorder=3)  # fmt: skip
    if notes and len(notes) != len(simulated):
        raise ValueError(f"notes must have one text per simulated point, got {len(notes)}")
    for (d, w, _), text in zip(simulated, notes):
        ax.annotate(text, (w, d), xytext=(9, 0), textcoords="offset points", fontsize=6.5,
                    ha="left", va="center", zorder=2,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})  # fmt: skip
    if point is not None:
        ax.scatter([point[1]], [point[0]], marker="P", s=140, c="tab:red", edgecolors="k",
                   label=point_label, zorder=4)  # fmt: skip
    ax.set_xscale("log")
    ax.set_xticks([t for t in (1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5)
                   if lam[0] <= t <= lam[1]])  # fmt: skip
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}"))
    ax.set_xlim(*lam)
    ax.set_ylim(*depth)
    ax.set_xlabel(r"well width $\lambda$ ($\sigma$)")
    ax.set_ylabel(r"depth $\beta u_0$ (kT)")
    ax.legend(fontsize=7, loc="lower right")
    return ax


def dlvo_figure(
    pairs: Mapping[str, DLVOPair],
    point: tuple[float, float] | None = None,
    *,
    title: str = "",
) -> Figure:
    """DLVO family (left) and the regime map with the equivalent square well (right).

    Args:
        pairs (Mapping[str, DLVOPair]): Label -> pair.
        point (tuple[float, float]): ``(depth, lam)`` of the equivalent square well to mark
            (outside the map's range: clipped to its edge and labelled so).
        title (str): Figure title.

    Returns:
        matplotlib.figure.Figure: The figure.
    """
    fig = Figure(figsize=(11.0, 4.5), constrained_layout=True)
    left, right = fig.subplots(1, 2)
    plot_dlvo_family(left, pairs)
    label = "this NC"
    if point is not None:
        depth, lam = point
        clipped = (float(np.clip(depth, 0.0, 10.0)), float(np.clip(lam, 0.001, 0.5)))
        if clipped != (depth, lam):
            label = rf"this NC ($\beta u_0$ = {depth:.2g}, $\lambda$ = {lam:.2g}; clipped)"
        point = clipped
    plot_regime_map(right, point=point, point_label=label)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def regime_map_figure(
    results: Sequence[tuple[float, float, str]],
    *,
    notes: Sequence[str] = (),
    title: str = "",
) -> Figure:
    """Simulated end states over the predicted regime map (the study's figure).

    Args:
        results (Sequence[tuple]): ``(depth, lam, state)`` per run.
        notes (Sequence[str]): A text next to each point (:func:`plot_regime_map`).
        title (str): Figure title.

    Returns:
        matplotlib.figure.Figure: The figure.
    """
    fig = Figure(figsize=(8.0, 5.2), constrained_layout=True)
    ax = fig.add_subplot()
    if results:
        lams = [w for _, w, _ in results]
        depths = [d for d, _, _ in results]
        plot_regime_map(ax, simulated=results, notes=notes,
                        lam=(0.02, max(0.5, 1.2 * max(lams))),
                        depth=(0.0, max(9.0, 1.1 * max(depths))))  # fmt: skip
    else:
        plot_regime_map(ax)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))  # clear of the points
    if title:
        ax.set_title(title, fontsize=8, wrap=True)
    return fig


def quench_history_figure(
    histories: Mapping[str, Mapping[str, Any]],
    *,
    crystal_fraction: float = 0.3,
    arrest_diffusion: float = 2e-3,
    title: str = "",
) -> Figure:
    """Crystalline fraction and recent diffusion coefficient against time, one line per run.

    The classifier's thresholds (:class:`~.classify.QuenchClassifier`) are drawn as dashed
    lines: above ``crystal_fraction`` a run is a crystal; an arrested percolating network below
    ``arrest_diffusion`` with little crystal is a gel.

    Args:
        histories (Mapping): Label -> history (:func:`~.study.quench_history`: ``time``
            [tau], ``crystalline_fraction``, ``diffusion`` [sigma^2/tau]).
        crystal_fraction (float): The crystal threshold.
        arrest_diffusion (float): The arrest threshold [sigma^2/tau].
        title (str): Figure title.

    Returns:
        matplotlib.figure.Figure: Two panels sharing the time axis.

    Raises:
        ValueError: If ``histories`` is empty or a history lacks a key.
    """
    if not histories:
        raise ValueError("histories must hold at least one run")
    fig = Figure(figsize=(6.5, 5.6), constrained_layout=True)
    top, bottom = fig.subplots(2, 1, sharex=True)
    for label, h in histories.items():
        missing = {"time", "crystalline_fraction", "diffusion"} - set(h)
        if missing:
            raise ValueError(f"history {label!r} has no {sorted(missing)}")
        (line,) = top.plot(h["time"], h["crystalline_fraction"], lw=1.2, label=label)
        d = np.asarray(h["diffusion"], dtype=float)
        ok = np.isfinite(d) & (d > 0)
        bottom.plot(np.asarray(h["time"])[ok], d[ok], lw=1.2, color=line.get_color())
    top.axhline(crystal_fraction, ls="--", color="k", lw=0.8)
    top.text(0.01, crystal_fraction, " crystal threshold", transform=top.get_yaxis_transform(),
             va="bottom", fontsize=7)  # fmt: skip
    top.set_ylabel("crystalline fraction")
    top.set_ylim(0, 1)
    top.legend(fontsize=7, ncol=2)
    bottom.axhline(arrest_diffusion, ls="--", color="k", lw=0.8)
    bottom.text(0.01, arrest_diffusion, " arrest threshold", transform=bottom.get_yaxis_transform(),
                va="bottom", fontsize=7)  # fmt: skip
    bottom.set_yscale("log")
    bottom.set_ylabel(r"recent $D$ ($\sigma^2/\tau$)")
    bottom.set_xlabel(r"time ($\tau$)")
    if title:
        top.set_title(title, fontsize=8, wrap=True)
    return fig
