"""Figures of the binary Mie suite: snapshots coloured by crystal class, crystallisation (matplotlib)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

#: Colours of the crystal classes of the large particles (fluid in light grey).
CRYSTAL_COLOURS = {"fluid": "0.8", "fcc": "tab:green", "AlB2": "tab:red", "NaZn13": "tab:blue"}


def plot_classified_snapshot(
    ax: Any,
    positions: Any,
    phase: Any,
    small_positions: Any = None,
    slab: float | None = None,
) -> Any:
    """Large particles coloured by crystal class, small ones as grey dots (3D axes).

    Args:
        ax (mpl_toolkits.mplot3d.axes3d.Axes3D): 3D axes (``projection="3d"``).
        positions ((N_L, 3) array): Large-particle positions :math:`[\\sigma_{LL}]`.
        phase ((N_L,) array of str): Class of each large particle (keys of
            :data:`CRYSTAL_COLOURS`).
        small_positions ((N_S, 3) array): Small-particle positions (optional).
        slab (float): If given, draw only particles with :math:`|z| <` ``slab``/2 (a slice
            through the centre shows the inside of a crystallite).

    Returns:
        Axes: ``ax``.
    """
    positions, phase = np.asarray(positions, float), np.asarray(phase)
    if positions.shape != (len(phase), 3):
        raise ValueError(
            f"positions must be (N_L, 3) with one phase per particle, got {positions.shape} and "
            f"{phase.shape}"
        )
    unknown = set(np.unique(phase)) - set(CRYSTAL_COLOURS)
    if unknown:
        raise ValueError(f"unknown classes {sorted(unknown)}; known: {list(CRYSTAL_COLOURS)}")

    def cut(p: np.ndarray) -> np.ndarray:
        return np.ones(len(p), bool) if slab is None else np.abs(p[:, 2]) < slab / 2

    if small_positions is not None and len(small_positions):
        small = np.asarray(small_positions, float)
        small = small[cut(small)]
        ax.scatter(*small.T, s=2, c="0.55", alpha=0.35, depthshade=False, linewidths=0)
    keep = cut(positions)
    for name, colour in CRYSTAL_COLOURS.items():
        sel = keep & (phase == name)
        if sel.any():
            ax.scatter(
                *positions[sel].T,
                s=14 if name != "fluid" else 6,
                c=colour,
                alpha=0.9 if name != "fluid" else 0.4,
                depthshade=False,
                linewidths=0,
                label=f"{name} ({int((phase == name).sum())})",
            )
    ax.set_xlabel(r"$x$ [$\sigma$]")
    ax.set_ylabel(r"$y$ [$\sigma$]")
    ax.set_zlabel(r"$z$ [$\sigma$]")
    ax.legend(fontsize=7, loc="upper left", markerscale=1.5)
    return ax


#: Per-frame arrays of a compression ramp's history that :func:`crystallisation_figure` reads.
RAMP_KEYS = ("time", "phi", "crystalline_fraction")
#: Per-frame arrays of a seeded run's history that :func:`crystallisation_figure` reads.
SEEDED_KEYS = ("time", "num_crystalline", "largest_cluster")


def crystallisation_figure(
    conditions: Mapping[str, Sequence[Mapping[str, Any]]],
    seeded: bool = False,
    release: float | None = None,
    title: str = "",
) -> Figure:
    r"""Figure of the crystallisation of a group of runs, one colour per condition.

    Ramps: :math:`N_{crys}/N_L` versus time (left) and versus :math:`\phi_{eff}` (right). Seeded
    runs: the crystalline L particles (left) and the largest nucleus (right) versus time, with the
    release of the seed marked. Each replica is one line (the first one of a condition carries the
    legend label); the mean final value of a condition is written at the end of its lines.

    Args:
        conditions (Mapping): Condition label to the histories of its replicas; a history maps
            ``"time"`` :math:`[\tau]` and ``"phi"``, ``"crystalline_fraction"`` (ramps) or
            ``"num_crystalline"``, ``"largest_cluster"`` (seeded) to per-frame arrays (e.g. the
            ``history.npz`` of a job).
        seeded (bool): Seeded runs (else compression ramps).
        release (float): Time at which the seed is released :math:`[\tau]` (seeded runs only;
            optional).
        title (str): Figure title.

    Returns:
        matplotlib.figure.Figure: The figure (11 x 4.2 in).
    """
    keys = SEEDED_KEYS if seeded else RAMP_KEYS
    for label, histories in conditions.items():
        if len(histories) == 0:
            raise ValueError(f"conditions[{label!r}] holds no history")
        for i, h in enumerate(histories):
            missing = [k for k in keys if k not in h]
            if missing:
                raise ValueError(
                    f"conditions[{label!r}][{i}] lacks {missing} (needs {list(keys)} for "
                    f"{'seeded runs' if seeded else 'ramps'})"
                )
    if release is not None and not seeded:
        raise ValueError(f"release is for seeded runs only, got release={release!r}")
    fig = Figure(figsize=(11.0, 4.2), constrained_layout=True)
    ax_t, ax_phi = fig.subplots(1, 2)
    for k, (label, histories) in enumerate(conditions.items()):
        colour = f"C{k}"
        finals, t_end = [], 0.0
        for i, h in enumerate(histories):
            t_end = max(t_end, float(h["time"][-1]))
            kw = dict(color=colour, lw=1.0, alpha=0.8, label=label if i == 0 else None)
            if seeded:
                finals.append(float(h["num_crystalline"][-1]))
                ax_t.plot(h["time"], h["num_crystalline"], **kw)
                ax_phi.plot(h["time"], h["largest_cluster"], **kw)
            else:
                finals.append(float(h["crystalline_fraction"][-1]))
                ax_t.plot(h["time"], h["crystalline_fraction"], **kw)
                ax_phi.plot(h["phi"], h["crystalline_fraction"], **kw)
        ax_t.annotate(
            f"{np.mean(finals):.3g}",
            (t_end, np.mean(finals)),
            color=colour,
            fontsize=7,
            xytext=(3, 0),
            textcoords="offset points",
        )
    ax_t.set_xlabel(r"time [$\tau$]")
    if seeded:
        ax_phi.set_xlabel(r"time [$\tau$]")
        ax_t.set_ylabel("crystalline L particles")
        ax_phi.set_ylabel("largest nucleus [L particles]")
        if release is not None:
            for ax in (ax_t, ax_phi):
                ax.axvline(release, color="0.5", ls="--", lw=0.8)
                ax.annotate("seed released", (release, 0), xytext=(3, 3),
                            textcoords="offset points", fontsize=7, color="0.4")  # fmt: skip
    else:
        ax_phi.set_xlabel(r"$\phi_{eff}$ (Barker-Henderson)")
        for ax in (ax_t, ax_phi):
            ax.set_ylabel(r"$N_{crys}/N_L$")
            ax.set_ylim(-0.02, 1.02)
    ax_t.legend(fontsize=7)
    fig.suptitle(title, fontsize=10)
    return fig
