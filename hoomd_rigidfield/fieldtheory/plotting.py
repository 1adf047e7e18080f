"""Figures of the field-theory suite: pair free energies, field slices, phase maps, MC histories.

matplotlib only (no display needed). The ``plot_*`` functions draw on the axes they are given and
return them; the ``*_figure`` functions build the whole figure of a study's group of jobs from
plain arrays (no pyplot state: save it with ``fig.savefig``, nothing to close).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.collections import PatchCollection
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch, Rectangle

from hoomd_rigidfield.backend import to_numpy
from hoomd_rigidfield.fieldtheory.superlattice import PHASE_THRESHOLDS, PHASES, classify_alignment


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


def _cell_edges(values: np.ndarray) -> np.ndarray:
    """Edges of the cells centred on sorted grid values (as ``pcolormesh(shading="nearest")``)."""
    if len(values) == 1:
        return np.array([values[0] - 0.5, values[0] + 0.5])
    mid = (values[1:] + values[:-1]) / 2
    return np.concatenate([[2 * values[0] - mid[0]], mid, [2 * values[-1] - mid[-1]]])


#: Hatching of the cells whose grid under-resolves the charge oscillation.
UNDER_RESOLVED_HATCH = "////"


def plot_phase_map(
    ax: Any, alphas: Any, gammas: Any, phase: Any, resolved: Any, gap: Any | None = None
) -> Any:
    r"""Orientational phase in the :math:`(\alpha, \gamma)` plane.

    Cells whose grid under-resolves the charge oscillation are hatched (a
    :class:`~matplotlib.collections.PatchCollection` with gid ``"under-resolved"``), so that
    the margins printed in the cells stay readable.

    Args:
        ax (matplotlib.axes.Axes): Axes to draw on.
        alphas ((n_a,) array): Decay lengths :math:`\alpha` :math:`[\mathrm{\AA}]` (rows).
        gammas ((n_g,) array): :math:`\gamma` values (columns).
        phase ((n_a, n_g) int array): Index into
            :data:`~hoomd_rigidfield.fieldtheory.superlattice.PHASES`; -1 where not computed.
        resolved ((n_a, n_g) bool array): False where the grid under-resolves the charge
            oscillation (drawn hatched).
        gap ((n_a, n_g) array): Free-energy margin of the winner per nanocrystal
            :math:`[k_BT]`, printed in each cell (optional).

    Returns:
        matplotlib.axes.Axes: ``ax``.
    """
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
    extra = []
    if bad.any():
        g_edges, a_edges = _cell_edges(gammas), _cell_edges(alphas)
        cells = []
        for i, k in zip(*np.nonzero(bad)):
            width, height = g_edges[k + 1] - g_edges[k], a_edges[i + 1] - a_edges[i]
            cells.append(Rectangle((g_edges[k], a_edges[i]), width, height))
        hatch = PatchCollection(cells, facecolor="none", edgecolor="0.2", linewidth=0.0)
        hatch.set_hatch(UNDER_RESOLVED_HATCH)
        hatch.set_gid("under-resolved")
        ax.add_collection(hatch)
        extra.append(
            Patch(
                facecolor="none",
                edgecolor="0.2",
                hatch=UNDER_RESOLVED_HATCH,
                label="under-resolved grid",
            )
        )
    if gap is not None:
        box = {
            "boxstyle": "round,pad=0.15",
            "facecolor": "white",
            "edgecolor": "none",
            "alpha": 0.8,
        }
        for i, a in enumerate(alphas):
            for k, g in enumerate(gammas):
                if np.isfinite(gap[i, k]):
                    ax.annotate(
                        f"{gap[i, k]:.0f}", (g, a), ha="center", va="center", fontsize=7, bbox=box
                    )
    handles = [Patch(color=c, alpha=0.8, label=p) for c, p in zip(PHASE_COLOURS, PHASES)]
    ax.legend(handles=handles + extra, fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_xlabel(r"$\gamma$")
    ax.set_ylabel(r"$\alpha$ [$\mathrm{\AA}$]")
    if gap is not None:
        ax.text(
            1.01,
            0.02,
            "numbers: F margin of the\nwinner per NC [kT]",
            transform=ax.transAxes,
            fontsize=7,
            va="bottom",
        )
    return ax


def plot_monte_carlo_points(ax: Any, alphas: Any, gammas: Any, mean_s: Any) -> Any:
    r"""Monte Carlo :math:`\langle s\rangle` of single chains on top of a phase map.

    One marker per chain, filled with the colour of its phase (:func:`classify_alignment`) and
    edged in black, with its :math:`\langle s\rangle` written next to it; replicas of one
    :math:`(\alpha, \gamma)` are spread sideways so that all stay visible.

    Args:
        ax (matplotlib.axes.Axes): Axes of a :func:`plot_phase_map` (or any
            :math:`(\gamma, \alpha)` axes).
        alphas ((n,) array): :math:`\alpha` of each chain :math:`[\mathrm{\AA}]`.
        gammas ((n,) array): :math:`\gamma` of each chain.
        mean_s ((n,) array): :math:`\langle s\rangle` of each chain, in [0, 1].

    Returns:
        matplotlib.axes.Axes: ``ax``.
    """
    alphas, gammas, mean_s = (np.asarray(v, float).ravel() for v in (alphas, gammas, mean_s))
    if not (len(alphas) == len(gammas) == len(mean_s)):
        raise ValueError(
            f"alphas, gammas and mean_s need one entry per chain, got "
            f"{len(alphas)}, {len(gammas)} and {len(mean_s)}"
        )
    if not np.all(np.isfinite(mean_s) & (mean_s >= 0) & (mean_s <= 1)):
        raise ValueError(f"mean_s must lie in [0, 1], got {mean_s}")
    phases = classify_alignment(mean_s)
    x_low, x_high = ax.get_xlim() if ax.has_data() else (gammas.min() - 0.5, gammas.max() + 0.5)
    span = 0.08 * (x_high - x_low)  # between replicas: about two labels wide
    keys = list(zip(alphas.tolist(), gammas.tolist()))
    seen: dict[tuple[float, float], int] = {}
    for key, a, g, s, phase in zip(keys, alphas, gammas, mean_s, phases):
        k = seen.get(key, 0)
        seen[key] = k + 1
        x = g + (k - (keys.count(key) - 1) / 2) * span
        colour = PHASE_COLOURS[PHASES.index(str(phase))]
        ax.scatter([x], [a], s=70, color=colour, edgecolors="k", linewidths=1.2, zorder=3)
        ax.annotate(f"{s:.2f}", (x, a), xytext=(0, 7), textcoords="offset points",
                    ha="center", fontsize=7, zorder=4)  # fmt: skip
    return ax


#: Short names of the orientational phases for map annotations.
PHASE_ABBREVIATIONS = ("FF", "D", "EE")


def plot_alignment_map(
    ax: Any, alphas: Any, gammas: Any, mean_s: Any, lowest_f_phase: Any | None = None
) -> Any:
    r"""Orientational phase from Monte Carlo :math:`\langle s\rangle` in the :math:`(\alpha, \gamma)` plane.

    Each cell is coloured by the phase of its :math:`\langle s\rangle`
    (:func:`~hoomd_rigidfield.fieldtheory.superlattice.classify_alignment`) and labelled with the value and,
    optionally, the phase whose representative configuration has the lowest free energy.

    Args:
        ax (matplotlib.axes.Axes): Axes to draw on.
        alphas ((n_a,) array): Decay lengths :math:`\alpha` :math:`[\mathrm{\AA}]` (rows).
        gammas ((n_g,) array): :math:`\gamma` values (columns).
        mean_s ((n_a, n_g) array): :math:`\langle s\rangle`; NaN where not sampled.
        lowest_f_phase ((n_a, n_g) int array): Index into
            :data:`~hoomd_rigidfield.fieldtheory.superlattice.PHASES` of the lowest-F representative
            configuration; -1 where unknown (optional).

    Returns:
        matplotlib.axes.Axes: ``ax``.
    """
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
    ax.set_ylabel(r"$\alpha$ [$\mathrm{\AA}$]")
    return ax


def plot_order_parameter_history(
    ax: Any, curves: Mapping[str, tuple[Any, Any]], window: int | None = None
) -> Any:
    r"""Mean alignment :math:`\langle s\rangle` versus Monte Carlo step, one line per run.

    The phase thresholds (:data:`~hoomd_rigidfield.fieldtheory.superlattice.PHASE_THRESHOLDS`) are drawn as
    dashed lines and the averaging window (the last ``window`` steps) is shaded.

    Args:
        ax (matplotlib.axes.Axes): Axes to draw on.
        curves (dict): Label to ``(steps, mean_s)``.
        window (int): Length of the averaging window at the end of the runs (optional).

    Returns:
        matplotlib.axes.Axes: ``ax``.
    """
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


def _state_grid(alphas: Any, gammas: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sorted distinct alphas and gammas, and the (row, column) of every state in that grid."""
    alphas, gammas = np.asarray(alphas, float), np.asarray(gammas, float)
    if alphas.ndim != 1 or alphas.shape != gammas.shape:
        raise ValueError(
            f"alphas and gammas must be 1D with one entry per state, got shapes {alphas.shape} "
            f"and {gammas.shape}"
        )
    alpha_values = np.array(sorted(set(alphas.tolist())))
    gamma_values = np.array(sorted(set(gammas.tolist())))
    rows = np.searchsorted(alpha_values, alphas)
    columns = np.searchsorted(gamma_values, gammas)
    return alpha_values, gamma_values, rows, columns


def _per_state(name: str, values: Sequence[Any], n: int) -> list[Any]:
    values = list(values)
    if len(values) != n:
        raise ValueError(f"{name} needs one entry per state ({n}), got {len(values)}: {values!r}")
    return values


def _phase_index(name: str, phase: Any) -> int:
    if phase not in PHASES:
        raise ValueError(f"{name} holds {phase!r}, which is not one of {list(PHASES)} or None")
    return PHASES.index(phase)


def phase_map_figure(
    alphas: Any,
    gammas: Any,
    phases: Sequence[str | None],
    resolved: Sequence[bool],
    free_energy_per_nc: Sequence[Mapping[str, float] | None],
    title: str = "",
) -> Figure:
    r"""Figure of the free-energy map: the lowest-F phase in the :math:`(\alpha, \gamma)` plane.

    One entry per state in each argument; the states need not be ordered and together span the
    grid of distinct :math:`\alpha` and :math:`\gamma`. Cells are coloured by :func:`plot_phase_map`,
    labelled with the margin of the winner (second-lowest minus lowest free energy per nanocrystal)
    and hatched where the grid under-resolves the charge oscillation.

    Args:
        alphas ((n,) array): Decay length :math:`\alpha` of each state :math:`[\mathrm{\AA}]`.
        gammas ((n,) array): :math:`\gamma` of each state.
        phases (Sequence[str | None]): Lowest-F phase of each state (one of
            :data:`~hoomd_rigidfield.fieldtheory.superlattice.PHASES`); ``None`` where not computed.
        resolved (Sequence[bool]): Whether the grid resolves each state's oscillation.
        free_energy_per_nc (Sequence[Mapping | None]): Phase to free energy per nanocrystal
            :math:`[k_BT]` of each state; ignored where the phase is ``None``.
        title (str): Axes title.

    Returns:
        matplotlib.figure.Figure: The figure (6.4 x 4.8 in).
    """
    alpha_values, gamma_values, rows, columns = _state_grid(alphas, gammas)
    n = len(rows)
    phases = _per_state("phases", phases, n)
    resolved = _per_state("resolved", resolved, n)
    free_energy_per_nc = _per_state("free_energy_per_nc", free_energy_per_nc, n)
    phase = np.full((len(alpha_values), len(gamma_values)), -1)
    ok = np.zeros_like(phase, dtype=bool)
    gap = np.full(phase.shape, np.nan)
    for i, k, p, res, f_nc in zip(rows, columns, phases, resolved, free_energy_per_nc):
        ok[i, k] = bool(res)
        if p is None:
            continue
        phase[i, k] = _phase_index("phases", p)
        if f_nc is None:
            raise ValueError(f"free_energy_per_nc is None for a state of phase {p!r}")
        gap[i, k] = sorted(f_nc.values())[1] - min(f_nc.values())
    fig = Figure(figsize=(6.4, 4.8), constrained_layout=True)
    ax = fig.subplots()
    plot_phase_map(ax, alpha_values, gamma_values, phase, ok, gap)
    ax.set_title(title, fontsize=9)
    return fig


def alignment_diagram_figure(
    alphas: Any,
    gammas: Any,
    mean_s: Any,
    lowest_f_phases: Sequence[str | None],
    histories: Mapping[tuple[float, float], tuple[Any, Any]],
    window: int | None = None,
    map_title: str = "",
    history_title: str = "",
) -> Figure:
    r"""Figure of the Monte Carlo phase diagram: the :math:`\langle s\rangle` map and the runs.

    Left: :func:`plot_alignment_map` of the states (one entry per state in ``alphas`` to
    ``lowest_f_phases``, in any order). Right: :func:`plot_order_parameter_history`, one line per
    entry of ``histories``, labelled with its :math:`(\alpha, \gamma)`.

    Args:
        alphas ((n,) array): Decay length :math:`\alpha` of each state :math:`[\mathrm{\AA}]`.
        gammas ((n,) array): :math:`\gamma` of each state.
        mean_s ((n,) array): :math:`\langle s\rangle` of each state; NaN where not sampled.
        lowest_f_phases (Sequence[str | None]): Phase of the lowest-F representative
            configuration of each state; ``None`` where unknown.
        histories (Mapping): ``(alpha, gamma)``, or ``(alpha, gamma, seed)`` where a state has
            replicas, to ``(steps, mean_s)`` of its run (in the order of the legend).
        window (int): Length of the averaging window at the end of the runs (optional).
        map_title (str): Title of the map.
        history_title (str): Title of the history panel.

    Returns:
        matplotlib.figure.Figure: The figure (12 x 4.8 in).
    """
    alpha_values, gamma_values, rows, columns = _state_grid(alphas, gammas)
    n = len(rows)
    mean_s = _per_state("mean_s", np.asarray(mean_s, float).ravel(), n)
    lowest_f_phases = _per_state("lowest_f_phases", lowest_f_phases, n)
    s_grid = np.full((len(alpha_values), len(gamma_values)), np.nan)
    f_grid = np.full(s_grid.shape, -1)
    for i, k, s, p in zip(rows, columns, mean_s, lowest_f_phases):
        s_grid[i, k] = s
        if p is not None:
            f_grid[i, k] = _phase_index("lowest_f_phases", p)
    curves = {
        rf"$\alpha$={key[0]:g}, $\gamma$={key[1]:g}" + "".join(f", seed {r}" for r in key[2:]): run
        for key, run in histories.items()
    }
    fig = Figure(figsize=(12.0, 4.8), constrained_layout=True)
    ax_map, ax_s = fig.subplots(1, 2)
    plot_alignment_map(ax_map, alpha_values, gamma_values, s_grid, f_grid)
    ax_map.set_title(map_title, fontsize=9)
    plot_order_parameter_history(ax_s, curves, window)
    ax_s.set_title(history_title, fontsize=9)
    return fig


def chain_runs_figure(runs: Sequence[Sequence[Any]]) -> Figure:
    r"""Figure of Monte Carlo chains, one row per run: :math:`s_j` per nanocrystal and :math:`F/N`.

    Left: :func:`plot_particle_order_parameters` of the trajectory frames. Right: the free energy
    per nanocrystal of every step of the history.

    Args:
        runs (Sequence): Per run ``(steps, s, history_steps, free_energy, s_title, f_title)``:
            frame steps ``(n_frames,)``, :math:`s_j` ``(n_frames, N)``, history steps
            ``(n_steps,)``, total free energy ``(n_steps,)`` :math:`[k_BT]` and the titles of the
            two panels.

    Returns:
        matplotlib.figure.Figure: The figure (11 x 3.4 in per run).
    """
    runs = [tuple(run) for run in runs]
    if not runs:
        raise ValueError(f"runs must hold at least one run, got {runs!r}")
    for i, run in enumerate(runs):
        if len(run) != 6:
            raise ValueError(
                f"runs[{i}] must be (steps, s, history_steps, free_energy, s_title, f_title), "
                f"got {len(run)} values"
            )
        if np.ndim(run[1]) != 2 or len(run[1]) != len(run[0]):
            raise ValueError(
                f"runs[{i}]: s must be (n_frames, N) with one row per step, got shape "
                f"{np.shape(run[1])} for {len(run[0])} steps"
            )
    fig = Figure(figsize=(11.0, 3.4 * len(runs)), constrained_layout=True)
    axes = fig.subplots(len(runs), 2, squeeze=False)
    for (steps, s, history_steps, free, s_title, f_title), (ax_s, ax_f) in zip(runs, axes):
        n_nc = np.shape(s)[1]
        plot_particle_order_parameters(ax_s, steps, s)
        ax_s.set_title(s_title, fontsize=9)
        ax_f.plot(history_steps, np.asarray(free) / n_nc, lw=0.8)
        ax_f.set_xlabel("Monte Carlo step")
        ax_f.set_ylabel(r"$F/N$ [$k_BT$]")
        ax_f.set_title(f_title, fontsize=9)
    return fig


def pair_free_energy_figure(
    curves: Mapping[str, tuple[Any, Any]],
    minima: Sequence[Sequence[tuple[float, float]]] | None = None,
    title: str = "",
) -> Figure:
    """Figure of pair free energies: :func:`plot_pair_free_energy` and the minima of each curve.

    Args:
        curves (dict): Label to ``(r, DeltaF)``: centre-to-centre distances
            :math:`[\\mathrm{\\AA}]` and :math:`\\Delta F(r)` :math:`[k_BT]`.
        minima (Sequence): Per curve (in the order of ``curves``), its minima as ``(r, DeltaF)``
            pairs, marked with triangles of the curve's colour (optional).
        title (str): Axes title.

    Returns:
        matplotlib.figure.Figure: The figure (6.4 x 4.4 in).
    """
    if minima is not None:
        minima = [list(points) for points in minima]
        if len(minima) != len(curves):
            raise ValueError(
                f"minima needs one list per curve ({len(curves)}), got {len(minima)}: {minima!r}"
            )
    fig = Figure(figsize=(6.4, 4.4), constrained_layout=True)
    ax = fig.subplots()
    plot_pair_free_energy(ax, curves)
    for line, points in zip(ax.get_lines(), minima or ()):
        for r, delta_f in points:
            ax.plot(r, delta_f, "v", color=line.get_color(), ms=6)
    ax.set_title(title, fontsize=9)
    return fig
