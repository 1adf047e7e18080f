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


#: Colours of the orientational phases (face-to-face, diagonal, edge-to-edge).
PHASE_COLOURS = ("tab:blue", "tab:orange", "tab:green")


def plot_phase_map(
    ax: Any, alphas: Any, gammas: Any, phase: Any, resolved: Any, gap: Any | None = None
) -> Any:
    r"""Orientational phase in the :math:`(\alpha, \gamma)` plane.

    Args:
        ax (matplotlib.axes.Axes): Axes to draw on.
        alphas ((n_a,) array): Decay lengths :math:`\alpha` :math:`[\mathrm{\AA}]` (rows).
        gammas ((n_g,) array): :math:`\gamma` values (columns).
        phase ((n_a, n_g) int array): Index into
            :data:`~hoomd_rigidfield.superlattice.PHASES`; -1 where not computed.
        resolved ((n_a, n_g) bool array): False where the grid under-resolves the charge
            oscillation (drawn hatched).
        gap ((n_a, n_g) array): Free-energy margin of the winner per nanocrystal
            :math:`[k_BT]`, printed in each cell (optional).

    Returns:
        matplotlib.axes.Axes: ``ax``.
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    from hoomd_rigidfield.superlattice import PHASES

    alphas, gammas = np.asarray(alphas, float), np.asarray(gammas, float)
    phase = np.ma.masked_less(np.asarray(phase), 0)
    ax.pcolormesh(
        gammas,
        alphas,
        phase,
        cmap=ListedColormap(PHASE_COLOURS),
        vmin=-0.5,
        vmax=2.5,
        shading="nearest",
        alpha=0.8,
    )
    bad = ~np.asarray(resolved, bool)
    if bad.any():
        g, a = np.meshgrid(gammas, alphas)
        ax.scatter(g[bad], a[bad], marker="x", color="k", s=30, label="under-resolved grid")
    if gap is not None:
        for i, a in enumerate(alphas):
            for k, g in enumerate(gammas):
                if np.isfinite(gap[i, k]):
                    ax.annotate(f"{gap[i, k]:.0f}", (g, a), ha="center", va="center", fontsize=6)
    handles = [Patch(color=c, alpha=0.8, label=p) for c, p in zip(PHASE_COLOURS, PHASES)]
    ax.legend(
        handles=handles + ax.get_legend_handles_labels()[0],
        fontsize=7,
        loc="upper left",
        bbox_to_anchor=(1.01, 1.0),
    )
    ax.set_xlabel(r"$\gamma$")
    ax.set_ylabel(r"$\alpha$ [$\AA$]")
    ax.text(
        1.01,
        0.02,
        "numbers: F margin of the\nwinner per NC [kT]",
        transform=ax.transAxes,
        fontsize=7,
        va="bottom",
    )
    return ax


#: Short names of the orientational phases for map annotations.
PHASE_ABBREVIATIONS = ("FF", "D", "EE")


def plot_alignment_map(
    ax: Any, alphas: Any, gammas: Any, mean_s: Any, lowest_f_phase: Any | None = None
) -> Any:
    r"""Orientational phase from Monte Carlo :math:`\langle s\rangle` in the :math:`(\alpha, \gamma)` plane.

    Each cell is coloured by the phase of its :math:`\langle s\rangle`
    (:func:`~hoomd_rigidfield.superlattice.classify_alignment`) and labelled with the value and,
    optionally, the phase whose representative configuration has the lowest free energy.

    Args:
        ax (matplotlib.axes.Axes): Axes to draw on.
        alphas ((n_a,) array): Decay lengths :math:`\alpha` :math:`[\mathrm{\AA}]` (rows).
        gammas ((n_g,) array): :math:`\gamma` values (columns).
        mean_s ((n_a, n_g) array): :math:`\langle s\rangle`; NaN where not sampled.
        lowest_f_phase ((n_a, n_g) int array): Index into
            :data:`~hoomd_rigidfield.superlattice.PHASES` of the lowest-F representative
            configuration; -1 where unknown (optional).

    Returns:
        matplotlib.axes.Axes: ``ax``.
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    from hoomd_rigidfield.superlattice import PHASES, classify_alignment

    alphas, gammas = np.asarray(alphas, float), np.asarray(gammas, float)
    mean_s = np.asarray(mean_s, float)
    phase = np.full(mean_s.shape, -1)
    ok = np.isfinite(mean_s)
    index = {p: i for i, p in enumerate(PHASES)}
    phase[ok] = [index[str(p)] for p in classify_alignment(np.clip(mean_s[ok], 0.0, 1.0))]
    ax.pcolormesh(
        gammas,
        alphas,
        np.ma.masked_less(phase, 0),
        cmap=ListedColormap(PHASE_COLOURS),
        vmin=-0.5,
        vmax=2.5,
        shading="nearest",
        alpha=0.8,
    )
    for i, a in enumerate(alphas):
        for k, g in enumerate(gammas):
            if not ok[i, k]:
                continue
            text = f"{mean_s[i, k]:.2f}"
            if lowest_f_phase is not None and lowest_f_phase[i, k] >= 0:
                text += f"\n{PHASE_ABBREVIATIONS[lowest_f_phase[i, k]]}"
            ax.annotate(text, (g, a), ha="center", va="center", fontsize=7)
    handles = [Patch(color=c, alpha=0.8, label=p) for c, p in zip(PHASE_COLOURS, PHASES)]
    ax.legend(handles=handles, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    note = r"colour: phase of MC $\langle s\rangle$" + "\nnumbers: " + r"$\langle s\rangle$"
    if lowest_f_phase is not None:
        note += "\nletters: lowest-F\nrepresentative:\n" + "\n".join(
            f"  {s} {p}" for s, p in zip(PHASE_ABBREVIATIONS, PHASES)
        )
    ax.text(1.01, 0.02, note, transform=ax.transAxes, fontsize=7, va="bottom")
    ax.set_xlabel(r"$\gamma$")
    ax.set_ylabel(r"$\alpha$ [$\AA$]")
    return ax


def plot_order_parameter_history(
    ax: Any, curves: Mapping[str, tuple[Any, Any]], window: int | None = None
) -> Any:
    r"""Mean alignment :math:`\langle s\rangle` versus Monte Carlo step, one line per run.

    The phase thresholds (:data:`~hoomd_rigidfield.superlattice.PHASE_THRESHOLDS`) are drawn as
    dashed lines and the averaging window (the last ``window`` steps) is shaded.

    Args:
        ax (matplotlib.axes.Axes): Axes to draw on.
        curves (dict): Label to ``(steps, mean_s)``.
        window (int): Length of the averaging window at the end of the runs (optional).

    Returns:
        matplotlib.axes.Axes: ``ax``.
    """
    from hoomd_rigidfield.superlattice import PHASE_THRESHOLDS

    last = 0
    for label, (steps, s) in curves.items():
        steps = np.asarray(steps)
        ax.plot(steps, np.asarray(s), lw=0.8, label=label)
        last = max(last, int(steps.max()) if len(steps) else 0)
    for t in PHASE_THRESHOLDS:
        ax.axhline(t, color="0.5", ls="--", lw=0.8)
    if window:
        ax.axvspan(max(0, last - window), last, color="0.9", zorder=0, label="averaging window")
    ax.set_ylim(0.0, 1.0)
    ax.set_xlabel("Monte Carlo step")
    ax.set_ylabel(r"$\langle s\rangle$")
    if 0 < len(curves) <= 12:  # a legend of a full diagram would hide the curves
        ax.legend(fontsize=6)
    return ax


def plot_particle_order_parameters(ax: Any, steps: Any, s: Any) -> Any:
    r"""Alignment :math:`s_j` of every nanocrystal versus Monte Carlo step (seed 000, Fig. S20).

    Args:
        ax (matplotlib.axes.Axes): Axes to draw on.
        steps ((n_frames,) array): Monte Carlo steps of the frames.
        s ((n_frames, N) array): :math:`s_j` per frame and nanocrystal.

    Returns:
        matplotlib.axes.Axes: ``ax``.
    """
    from hoomd_rigidfield.superlattice import PHASE_THRESHOLDS

    steps, s = np.asarray(steps), np.asarray(s, float)
    ax.plot(steps, s, lw=0.5, alpha=0.6)
    ax.plot(steps, s.mean(axis=1), color="k", lw=1.8, label=r"$\langle s\rangle$")
    for t in PHASE_THRESHOLDS:
        ax.axhline(t, color="0.5", ls="--", lw=0.8)
    ax.set_ylim(0.0, 1.0)
    ax.set_xlabel("Monte Carlo step")
    ax.set_ylabel(r"$s_j$")
    ax.legend(fontsize=7, loc="lower right")
    return ax


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


#: Colours of the 2D order classes of a monolayer.
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
    from matplotlib.collections import PolyCollection
    from matplotlib.patches import Patch

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
            ax.scatter(x, y, s=140, c=colour, edgecolors="k", label=name, zorder=3)
    for px, eps, _, psi4, psi6 in points:
        ax.annotate(f"{psi4:.2f}\n{psi6:.2f}", (px, eps), fontsize=5, ha="center", va="center",
                    zorder=4)  # fmt: skip
    ax.set_xlabel(r"patch size $P_x/F_x$")
    ax.set_ylabel(r"$\varepsilon/kT$")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return ax
