"""Figures shared by the demo, the studies and the analyses (matplotlib, no display needed)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from hoomd_rigidfield.backend import to_numpy


def plot_pair_free_energy(ax: Any, curves: Mapping[str, tuple[Any, Any]]) -> Any:
    """Pair interaction free energy versus separation, one line per orientation.

    The vertical range is set by the oscillating tail (values above it, the steep short-range
    part, are clipped and noted in the legend).

    Args:
        ax (matplotlib.axes.Axes): Axes to draw on.
        curves (dict): Label to ``(r, DeltaF)``: centre-to-centre distances
            :math:`[\\mathrm{\\AA}]` and :math:`\\Delta F(r)` :math:`[k_BT]`.

    Returns:
        matplotlib.axes.Axes: ``ax``.
    """
    lows = []
    for label, (r, f) in curves.items():
        f = np.asarray(f)
        ax.plot(np.asarray(r), f, "o-", ms=3, label=label)
        lows.append(f.min())
    depth = max(abs(min(lows)), 1e-12)
    ax.set_ylim(-1.4 * depth, 1.4 * depth)
    ax.axhline(0.0, color="0.6", lw=0.8)
    ax.set_xlabel(r"centre-to-centre distance $r$ [$\mathrm{\AA}$]")
    ax.set_ylabel(r"$\Delta F(r)$ [$k_BT$]")
    ax.legend(title="steep repulsion off scale", fontsize="small")
    return ax


def plot_field_slice(ax: Any, field: Any, spacing: float, z_index: int, title: str = "") -> Any:
    """Colour map of a field on the plane ``z = z_index * spacing``.

    Args:
        ax (matplotlib.axes.Axes): Axes to draw on.
        field ((N, N, N) array): Grid field (NumPy or CuPy).
        spacing (float): Grid spacing :math:`[\\mathrm{\\AA}]`.
        z_index (int): Plane index.
        title (str): Axes title.

    Returns:
        matplotlib.image.AxesImage: The image (for a colour bar).
    """
    plane = to_numpy(field)[:, :, z_index].T
    vmax = float(np.abs(plane).max()) or 1.0
    extent = (0.0, plane.shape[0] * spacing, 0.0, plane.shape[1] * spacing)
    image = ax.imshow(plane, origin="lower", extent=extent, cmap="RdBu_r", vmin=-vmax, vmax=vmax)
    ax.set_xlabel(r"$x$ [$\mathrm{\AA}$]")
    ax.set_ylabel(r"$y$ [$\mathrm{\AA}$]")
    ax.set_title(title)
    return image
