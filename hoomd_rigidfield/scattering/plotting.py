r"""Figures of the scattering suite: I(q) with indexed peaks, 2D patterns with rings, C(Delta).

Each function draws on axes it is given (or makes a figure) and returns them, as freud's
``plot`` methods do. :func:`frame_figures` draws the three figures of
:func:`~hoomd_rigidfield.scattering.experiment.scatter_frame`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from hoomd_rigidfield.scattering.study import fcc_reflections
from hoomd_rigidfield.validation import check_finite_array

#: Colours of the superlattice (SL) and atomic-lattice (AL) markers.
SL_COLOUR, AL_COLOUR = "tab:blue", "tab:red"


def _axes(ax: Any) -> Any:
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots()
    return ax


def plot_intensity(
    q: Any,
    intensity: Any,
    *,
    reflections: Sequence[tuple[str, float]] = (),
    ax: Any = None,
    label: str | None = None,
    colour: str = "k",
    marker_colour: str = AL_COLOUR,
    ylabel: str = r"$I(q)$ [e$^2$]",
) -> Any:
    """I(q) on a log scale with its reflections marked and indexed.

    Args:
        q ((N,) array): :math:`q` :math:`[\\mathrm{\\AA}^{-1}]`.
        intensity ((N,) array): :math:`I(q)` (> 0 where drawn; NaN and values <= 0 are skipped).
        reflections (Sequence[tuple[str, float]]): ``(hkl, q)`` to mark (dashed lines, labels).
        ax (matplotlib.axes.Axes): Axes (default a new figure).
        label (str): Legend label of the curve.
        colour (str): Curve colour.
        marker_colour (str): Colour of the reflection markers.
        ylabel (str): y-axis label.

    Returns:
        matplotlib.axes.Axes: The axes.
    """
    q = np.asarray(check_finite_array("q", q, (None,)), dtype=float)
    y = np.asarray(intensity, dtype=float)
    if y.shape != q.shape:
        raise ValueError(f"intensity must have the shape of q {q.shape}, got {y.shape}")
    ax = _axes(ax)
    good = np.isfinite(y) & (y > 0)
    ax.semilogy(q[good], y[good], color=colour, lw=1.0, label=label)
    ymax = np.nanmax(y[good]) if good.any() else 1.0
    shown = [(hkl, qh) for hkl, qh in reflections if q.min() <= qh <= q.max()]
    for k, (hkl, qh) in enumerate(shown):  # labels of close reflections alternate in height
        ax.axvline(qh, color=marker_colour, ls="--", lw=0.7, alpha=0.7)
        ax.text(qh, ymax * (1.0 if k % 2 == 0 else 0.15), hkl, color=marker_colour, fontsize=8,
                ha="center", va="bottom")  # fmt: skip
    ax.set_xlabel(r"$q$ [$\mathrm{\AA}^{-1}$]")
    ax.set_ylabel(ylabel)
    ax.set_xlim(q.min(), q.max())
    return ax


def plot_pattern(
    image: Any,
    q_map: Any,
    *,
    rings: Mapping[str, float] | None = None,
    ax: Any = None,
) -> Any:
    """A 2D pattern on a log colour scale with chosen q rings marked.

    The image is drawn in detector pixels about the beam; a ring is the contour of ``q_map``
    at its :math:`q`, so it sits where it should for a flat or a curved Ewald sphere.

    Args:
        image ((H, W) array): Intensity (NaN on masked pixels).
        q_map ((H, W) array): :math:`|q|` of each pixel :math:`[\\mathrm{\\AA}^{-1}]`.
        rings (Mapping[str, float]): Ring name (``"SL 220"``, ``"AL 111"``) -> q; SL rings are
            drawn in :data:`SL_COLOUR`, others in :data:`AL_COLOUR`.
        ax (matplotlib.axes.Axes): Axes (default a new figure).

    Returns:
        matplotlib.axes.Axes: The axes.
    """
    from matplotlib.colors import LogNorm

    img = np.asarray(image, dtype=float)
    qm = np.asarray(q_map, dtype=float)
    if img.ndim != 2 or qm.shape != img.shape:
        raise ValueError(f"image and q_map must be 2D of one shape, got {img.shape}, {qm.shape}")
    ax = _axes(ax)
    rows, cols = img.shape
    centre = np.unravel_index(np.argmin(qm), qm.shape)
    x = np.arange(cols) - centre[1]
    y = np.arange(rows) - centre[0]
    positive = img[np.isfinite(img) & (img > 0)]
    vmax = float(positive.max()) if positive.size else 1.0
    vmin = max(vmax * 1e-7, float(positive.min())) if positive.size else 1e-7
    shown = np.where(np.isfinite(img) & (img > 0), img, np.nan)
    mesh = ax.imshow(
        shown,
        origin="lower",
        extent=(x[0] - 0.5, x[-1] + 0.5, y[0] - 0.5, y[-1] + 0.5),
        norm=LogNorm(vmin=vmin, vmax=vmax),
        cmap="magma",
    )
    ax.figure.colorbar(mesh, ax=ax, label=r"$|A(\mathbf{q})|^2$ [e$^2$]")
    for name, q in (rings or {}).items():
        colour = SL_COLOUR if name.startswith("SL") else AL_COLOUR
        if not qm.min() < q < qm.max():
            continue
        ax.contour(x, y, qm, levels=[q], colors=[colour], linewidths=0.6, linestyles="--")
        on_ring = np.argwhere(np.abs(qm - q) < 0.5 * np.ptp(qm) / max(rows, cols))
        if len(on_ring):
            r, c = on_ring[np.argmax(on_ring[:, 0] + on_ring[:, 1])]
            ax.text(x[c], y[r], name, color=colour, fontsize=7, ha="left", va="bottom")
    ax.set_xlabel("detector column from the beam [px]")
    ax.set_ylabel("detector row from the beam [px]")
    ax.set_aspect("equal")
    return ax


def plot_correlation(
    delta: Any, correlations: Mapping[str, Any], *, ax: Any = None, normalise: bool = True
) -> Any:
    """Angular correlations :math:`C(\\Delta)` against Δ in degrees, one curve per ring pair.

    Args:
        delta ((n_phi,) array): Angles [rad].
        correlations (Mapping[str, array]): Label -> :math:`C(\\Delta)` of shape ``delta``.
        ax (matplotlib.axes.Axes): Axes (default a new figure).
        normalise (bool): Scale each curve to [0, 1] (min-max) so curves of different rings
            share one axis.

    Returns:
        matplotlib.axes.Axes: The axes.
    """
    d = np.degrees(np.asarray(check_finite_array("delta", delta, (None,)), float))
    ax = _axes(ax)
    for k, (label, c) in enumerate(correlations.items()):
        c = np.asarray(c, float)
        if c.shape != d.shape:
            raise ValueError(f"correlation {label!r} must have the shape of delta {d.shape}")
        if normalise and np.isfinite(c).any():
            lo, hi = np.nanmin(c), np.nanmax(c)
            c = (c - lo) / (hi - lo) if hi > lo else np.zeros_like(c)
        ax.plot(d, c + (k * 1.1 if normalise else 0.0), lw=1.0, label=label)
    ax.set_xlabel(r"$\Delta$ [deg]")
    ax.set_ylabel(r"$C(q_1, q_2, \Delta)$" + (" (min-max, offset)" if normalise else ""))
    ax.set_xlim(0, 360)
    ax.set_xticks(range(0, 361, 45))
    ax.legend(fontsize=7, loc="upper right")
    return ax


def plot_peak_history(
    time: Any,
    lattice_constant: Any,
    grain_size: Any,
    *,
    axes: Sequence[Any] | None = None,
    time_label: str = r"$t$ [$\tau$]",
    length_unit: str = r"$\sigma$",
) -> Sequence[Any]:
    """Lattice parameter and Scherrer grain size against time (in-situ S(q, t)).

    Args:
        time ((T,) array): Times of the frames.
        lattice_constant ((T,) array): :math:`a(t)` (NaN where no peak was fitted).
        grain_size ((T,) array): Scherrer size :math:`D(t)` (NaN where none).
        axes: Two axes (default a new figure with two panels).
        time_label (str): Label of the time axis.
        length_unit (str): Unit of the lengths.

    Returns:
        Sequence[matplotlib.axes.Axes]: The two axes.
    """
    t = np.asarray(check_finite_array("time", time, (None,)), float)
    a, g = np.asarray(lattice_constant, float), np.asarray(grain_size, float)
    if a.shape != t.shape or g.shape != t.shape:
        raise ValueError("lattice_constant and grain_size must have the shape of time")
    if axes is None:
        import matplotlib.pyplot as plt

        _, axes = plt.subplots(2, 1, sharex=True)
    axes[0].plot(t, a, "o-", ms=3)
    axes[0].set_ylabel(f"$a$ [{length_unit}]")
    axes[1].plot(t, g, "s-", ms=3, color="tab:green")
    axes[1].set_ylabel(f"Scherrer $D$ [{length_unit}]")
    axes[1].set_xlabel(time_label)
    return axes


def frame_figures(result: Any, study: Any) -> dict[str, Any]:
    """The figures of one frame: ``"intensity"``, ``"pattern"`` and ``"correlation"``.

    Args:
        result (~hoomd_rigidfield.scattering.experiment.FrameScattering): The observables.
        study (~hoomd_rigidfield.scattering.study.ScatteringStudy): Their inputs (for labels).

    Returns:
        dict[str, matplotlib.figure.Figure]: The figures.
    """
    import matplotlib.pyplot as plt

    sp = study.statepoint
    material = f"{''.join(study.species)}, a = {study.lattice_constant:g} Å"
    figs = {}
    fig, (ax_s, ax_w) = plt.subplots(1, 2, figsize=(11, 4))
    sl = fcc_reflections(result.sl_lattice_constant, float(result.saxs_q.max()))
    plot_intensity(
        result.saxs_q, result.saxs, reflections=sl[:8], ax=ax_s, marker_colour=SL_COLOUR,
        ylabel=r"$S(q)\,|F(q)/F(0)|^2$",
    )  # fmt: skip
    ax_s.set_title(f"SAXS: NC centres, fcc a = {result.sl_lattice_constant:g} Å", fontsize=10)
    plot_intensity(result.q, result.powder, reflections=study.atomic_reflections(), ax=ax_w)
    ax_w.set_title(f"WAXS powder (Debye), one fcc cell of NCs ({material})", fontsize=10)
    fig.tight_layout()
    figs["intensity"] = fig

    beam = "[" + " ".join(f"{b:.3g}" for b in sp["beam"]) + "]"
    panels = [(result.image, result.q_map, "SAXS + WAXS detector")]
    if result.saxs_image is not None:
        panels.append((result.saxs_image, result.saxs_q_map, "SAXS region, finer pixels"))
    fig, axes = plt.subplots(1, len(panels), figsize=(6.2 * len(panels), 5.4), squeeze=False)
    for ax, (image, q_map, what) in zip(axes[0], panels):
        plot_pattern(image, q_map, rings=result.rings, ax=ax)
        ax.set_title(f"{what}: {result.n_ncs} NCs, beam {beam}, {sp['energy']:g} keV", fontsize=9)
    fig.tight_layout()
    figs["pattern"] = fig

    fig, ax = plt.subplots(figsize=(7, 4.5))
    plot_correlation(result.delta, result.correlation, ax=ax)
    relation = result.relation
    verdict = relation if isinstance(relation, str) else f"{relation.label}"
    ax.set_title(f"XCCA on the SL and AL rings; SL/AL relation: {verdict}", fontsize=9)
    fig.tight_layout()
    figs["correlation"] = fig
    return figs
