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


#: Line styles of the conditions (with their colours, so that lines on top of each other show).
CONDITION_STYLES = ("-", "--", ":", "-.")


def _fraction_limits(values: Sequence[np.ndarray]) -> tuple[float, float]:
    """y-range of crystalline fractions: 0-1, or closer where all stay small (>= 0-0.05)."""
    top = max(float(np.max(v)) if len(v) else 0.0 for v in values)
    upper = min(1.02, max(0.05, 1.15 * top))
    return (-0.02, 1.02) if upper >= 1.02 else (-0.02 * upper, upper)


def crystallisation_figure(
    conditions: Mapping[str, Sequence[Mapping[str, Any]]],
    seeded: bool = False,
    release: float | None = None,
    title: str = "",
) -> Figure:
    r"""Figure of the crystallisation of a group of runs, one colour and line style per condition.

    Ramps: :math:`N_{crys}/N_L` versus time (left) and versus :math:`\phi_{eff}` (right), on
    0-1, or on a range that shows small fractions where every run stays well below 1 (at least
    0-0.05); a note says so where no run has any crystalline particle. Seeded runs: the largest nucleus (left) and the
    crystalline L particles outside it (right, other nuclei: spontaneous nucleation) versus time,
    with the release of the seed marked. Each replica is one line (the first one of a condition
    carries the legend label); the mean final value of a condition is written at the end of its
    lines.

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
    plotted = []
    for k, (label, histories) in enumerate(conditions.items()):
        colour, style = f"C{k}", CONDITION_STYLES[k % len(CONDITION_STYLES)]
        finals, finals_right, t_end = [], [], 0.0
        for i, h in enumerate(histories):
            t_end = max(t_end, float(h["time"][-1]))
            kw = dict(color=colour, ls=style, lw=1.2, alpha=0.8, label=label if i == 0 else None)
            if seeded:
                largest = np.asarray(h["largest_cluster"])
                outside = np.asarray(h["num_crystalline"]) - largest
                finals.append(float(largest[-1]))
                finals_right.append(float(outside[-1]))
                ax_t.plot(h["time"], largest, **kw)
                ax_phi.plot(h["time"], outside, **kw)
                plotted.append(outside)
            else:
                fraction = np.asarray(h["crystalline_fraction"])
                finals.append(float(fraction[-1]))
                ax_t.plot(h["time"], fraction, **kw)
                ax_phi.plot(h["phi"], fraction, **kw)
                plotted.append(fraction)
        for ax, values in ((ax_t, finals), (ax_phi, finals_right)):
            if values:
                ax.annotate(
                    f"{np.mean(values):.3g}",
                    (t_end, np.mean(values)),
                    color=colour,
                    fontsize=7,
                    xytext=(3, 0),
                    textcoords="offset points",
                )
    ax_t.set_xlabel(r"time [$\tau$]")
    nothing = all(not np.any(v) for v in plotted)
    if seeded:
        ax_phi.set_xlabel(r"time [$\tau$]")
        ax_t.set_ylabel("largest nucleus [L particles]")
        ax_phi.set_ylabel("crystalline L outside the largest nucleus")
        if nothing:
            ax_phi.set_ylim(-0.5, 5.0)
            ax_phi.text(
                0.97,
                0.6,
                "none in any run: every crystalline L\nparticle is in the largest nucleus",
                transform=ax_phi.transAxes,
                ha="right",
                va="center",
                fontsize=8,
                color="0.3",
                backgroundcolor="white",
            )
        if release is not None:
            for ax in (ax_t, ax_phi):
                ax.axvline(release, color="0.5", ls="--", lw=0.8)
                ax.text(
                    release,
                    0.98,
                    " seed released",
                    transform=ax.get_xaxis_transform(),
                    ha="left",
                    va="top",
                    fontsize=7,
                    color="0.4",
                )
    else:
        ax_phi.set_xlabel(r"$\phi_{eff}$ (Barker-Henderson)")
        limits = _fraction_limits(plotted)
        for ax in (ax_t, ax_phi):
            ax.set_ylabel(r"$N_{crys}/N_L$")
            ax.set_ylim(*limits)
        if nothing:
            for ax in (ax_t, ax_phi):
                ax.text(
                    0.5,
                    0.5,
                    "no crystalline L particle in any run",
                    transform=ax.transAxes,
                    ha="center",
                    va="center",
                    fontsize=8,
                    color="0.3",
                )
    ax_t.legend(fontsize=7)
    fig.suptitle(title, fontsize=10)
    return fig
