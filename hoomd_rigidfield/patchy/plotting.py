"""Figures of the patchy-cube suite: monolayer drawings and the state diagram (matplotlib)."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch

MONOLAYER_COLOURS = {"disordered": "0.75", "square": "tab:blue", "hexagonal": "tab:orange"}


def plot_monolayer(
    ax: Any, positions: Any, angles: Any, vertices: Any, phase: Any, box: Any = None
) -> Any:
    """Draw the octagons of a monolayer, filled by their 2D order class.

    Args:
        ax (matplotlib.axes.Axes): Axes to draw on.
        positions ((N, 2) array): Centres [L].
        angles ((N,) array): In-plane orientations [rad].
        vertices ((V, 2) array): Body-frame polygon (counter-clockwise) [L].
        phase ((N,) array of str): Class of each particle (keys of :data:`MONOLAYER_COLOURS`).
        box: ``(Lx, Ly)`` to draw the periodic box outline (optional).

    Returns:
        matplotlib.axes.Axes: ``ax``.
    """
    positions, angles = np.asarray(positions, float)[:, :2], np.asarray(angles, float)
    vertices, phase = np.asarray(vertices, float), np.asarray(phase)
    if not len(positions) == len(angles) == len(phase):
        raise ValueError("positions, angles and phase need one entry per particle")
    unknown = set(np.unique(phase)) - set(MONOLAYER_COLOURS)
    if unknown:
        raise ValueError(f"unknown classes {sorted(unknown)}; known: {list(MONOLAYER_COLOURS)}")
    c, s = np.cos(angles), np.sin(angles)
    rot = np.stack([np.stack([c, -s], -1), np.stack([s, c], -1)], -2)  # (N, 2, 2)
    polygons = positions[:, None, :] + np.einsum("nij,vj->nvi", rot, vertices)
    colours = [MONOLAYER_COLOURS[p] for p in phase]
    ax.add_collection(PolyCollection(polygons, facecolors=colours, edgecolors="k", linewidths=0.3))
    if box is not None:
        lx, ly = float(box[0]), float(box[1])
        ax.plot([-lx / 2, lx / 2, lx / 2, -lx / 2, -lx / 2],
                [-ly / 2, -ly / 2, ly / 2, ly / 2, -ly / 2], color="0.4", lw=0.6)  # fmt: skip
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.set_xlabel(r"$x$ [$L$]")
    ax.set_ylabel(r"$y$ [$L$]")
    handles = [
        Patch(facecolor=col, edgecolor="k", label=f"{name} ({int((phase == name).sum())})")
        for name, col in MONOLAYER_COLOURS.items()
    ]
    ax.legend(handles=handles, fontsize=7, loc="upper right")
    return ax


def plot_state_diagram(ax: Any, points: Any) -> Any:
    """State diagram of patchy monolayers: one marker per (patch size, depth), coloured by phase.

    Args:
        ax (matplotlib.axes.Axes): Axes to draw on.
        points: Iterable of ``(px_over_fx, beta_epsilon, phase, psi4, psi6)``.

    Returns:
        matplotlib.axes.Axes: ``ax``.
    """
    points = [tuple(p) for p in points]
    if any(len(p) != 5 for p in points):
        raise ValueError("each point must be (px_over_fx, beta_epsilon, phase, psi4, psi6)")
    unknown = {p[2] for p in points} - set(MONOLAYER_COLOURS)
    if unknown:
        raise ValueError(f"unknown classes {sorted(unknown)}; known: {list(MONOLAYER_COLOURS)}")
    for name, colour in MONOLAYER_COLOURS.items():
        sel = [p for p in points if p[2] == name]
        if sel:
            x, y = [p[0] for p in sel], [p[1] for p in sel]
            ax.scatter(x, y, s=90, c=colour, edgecolors="k", label=name, zorder=3)
    # |psi4| over |psi6| under each marker, at a readable size (inside the markers it was ~5 pt)
    for px, eps, _, psi4, psi6 in points:
        ax.annotate(
            f"{psi4:.2f}\n{psi6:.2f}",
            (px, eps),
            xytext=(0, -8),
            textcoords="offset points",
            fontsize=7,
            ha="center",
            va="top",
            linespacing=1.0,
            zorder=4,
        )
    ax.margins(x=0.08, y=0.18)  # room for the labels of the lowest row
    ax.set_xlabel(r"patch size $P_x/F_x$")
    ax.set_ylabel(r"$\varepsilon/kT$")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.text(
        1.01,
        0.02,
        "under each state:\n" + r"$|\psi_4|$" + "\n" + r"$|\psi_6|$",
        transform=ax.transAxes,
        fontsize=7,
        va="bottom",
    )
    return ax


def state_diagram_figure(points: Any, title: str = "") -> Figure:
    """Figure of the state diagram of patchy monolayers (:func:`plot_state_diagram`).

    Args:
        points: Iterable of ``(px_over_fx, beta_epsilon, phase, psi4, psi6)``, one per state.
        title (str): Axes title.

    Returns:
        matplotlib.figure.Figure: The figure (7 x 4.5 in).
    """
    fig = Figure(figsize=(7.0, 4.5), constrained_layout=True)
    ax = fig.subplots()
    plot_state_diagram(ax, points)
    ax.set_title(title, fontsize=9)
    return fig
