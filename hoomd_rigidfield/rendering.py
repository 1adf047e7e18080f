"""Rendered snapshots of GSD frames: OVITO's renderer, or a matplotlib scatter plot without it.

:func:`render_frame` draws one frame of any GSD file the package writes with the shapes stored
in it (truncated octahedra as meshes, Mie spheres at their diameters, octagons in 2D) and
colours the particles by a per-particle quantity: continuous values (e.g. :math:`s_j`) on a
colour map with a colour bar, or integer codes of named classes (crystal classes, square /
hexagonal order) with a legend.

OVITO (``pip install ovito``) is imported inside the functions, so this module imports without
it. Its renderer runs headless on a software Vulkan driver (Debian: ``apt-get install
libvulkan1 mesa-vulkan-drivers``). Where OVITO is missing or cannot render, a matplotlib
scatter plot of the particle centres is written instead and a note says so.

Example::

    from hoomd_rigidfield.rendering import render_frame

    render_frame("trajectory.gsd", "snapshot.png", log_key="particles/rigidfield/s",
                 label="$s_j$", value_range=(0.0, 1.0))
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from typing import Any

import gsd.hoomd
import numpy as np

from hoomd_rigidfield.gsdfiles import as_mesh_shape_spec, mesh_triangles, open_trajectory

#: Backends of :func:`render_frame`.
BACKENDS = ("auto", "ovito", "matplotlib")
#: Colours of the classes of a categorical colouring, in order (matplotlib's ``tab10``, with
#: grey first for the "none" class: fluid, disordered).
CATEGORY_COLOURS = (
    (0.62, 0.62, 0.62),
    (0.12, 0.47, 0.71),
    (0.84, 0.15, 0.16),
    (0.17, 0.63, 0.17),
    (1.00, 0.50, 0.05),
    (0.58, 0.40, 0.74),
    (0.55, 0.34, 0.29),
    (0.89, 0.47, 0.76),
)
#: Colour maps of continuous values: matplotlib's name to OVITO's ``ColorCodingModifier`` gradient.
COLORMAPS = {"viridis": "Viridis", "magma": "Magma", "jet": "Jet", "hot": "Hot"}
#: Background of the rendered images (white).
BACKGROUND = (1.0, 1.0, 1.0)
#: Direction the 3D camera looks along (from the upper front right; x to the right).
CAMERA_DIRECTION = (-0.6, 1.0, -0.5)


def particle_colours(
    values: Any,
    *,
    categories: Sequence[str] | None = None,
    colormap: str = "viridis",
    value_range: tuple[float, float] | None = None,
) -> np.ndarray:
    """RGB colour of every particle, from continuous values or integer class codes.

    Args:
        values ((N,) numpy.ndarray): Per-particle values; with ``categories``, integer codes
            ``0 <= code < len(categories)``.
        categories (Sequence[str]): Names of the classes (at most
            ``len(CATEGORY_COLOURS)``); ``None``: continuous values.
        colormap (str): Colour map of continuous values, one of :data:`COLORMAPS`.
        value_range (tuple[float, float]): Values mapped to the ends of the colour map
            (default: the values' finite minimum and maximum); NaN values are grey.

    Returns:
        (N, 3) numpy.ndarray: Colours, components in [0, 1].

    Raises:
        ValueError: If the values are not one per particle, codes are out of range, the
            colour map is unknown or the range is empty.

    Example:
        >>> particle_colours([0, 2, 1], categories=("fluid", "fcc", "AlB2"))[1]
        array([0.84, 0.15, 0.16])
    """
    import matplotlib

    v = np.asarray(values)
    if v.ndim != 1 or len(v) == 0:
        raise ValueError(f"values must be a non-empty (N,) array, got shape {v.shape}")
    if categories is not None:
        n = len(categories)
        if not 0 < n <= len(CATEGORY_COLOURS):
            raise ValueError(f"categories must name 1 to {len(CATEGORY_COLOURS)} classes, got {n}")
        if not np.all(np.isfinite(v.astype(float))) or np.any(v != np.round(v)):
            raise ValueError("values must be integer class codes when categories are given")
        codes = v.astype(int)
        if codes.min() < 0 or codes.max() >= n:
            raise ValueError(
                f"class codes must lie in [0, {n}) for categories {list(categories)}, "
                f"got {codes.min()}..{codes.max()}"
            )
        return np.array(CATEGORY_COLOURS[:n])[codes]
    if colormap not in COLORMAPS:
        raise ValueError(f"colormap must be one of {sorted(COLORMAPS)}, got {colormap!r}")
    lo, hi = _value_range(v, value_range)
    cmap = matplotlib.colormaps[colormap]
    with np.errstate(invalid="ignore"):
        rgb = cmap(np.clip((v.astype(float) - lo) / (hi - lo), 0.0, 1.0))[:, :3]
    rgb[~np.isfinite(v.astype(float))] = CATEGORY_COLOURS[0]
    return rgb


def _value_range(values: np.ndarray, value_range: tuple[float, float] | None) -> tuple:
    """The (low, high) ends of a continuous colouring."""
    if value_range is None:
        finite = values.astype(float)[np.isfinite(values.astype(float))]
        if len(finite) == 0:
            raise ValueError("values has no finite entry to colour by")
        lo, hi = float(finite.min()), float(finite.max())
        return (lo, hi) if hi > lo else (lo - 0.5, hi + 0.5)
    lo, hi = (float(x) for x in value_range)
    if not (np.isfinite(lo) and np.isfinite(hi) and hi > lo):
        raise ValueError(
            f"value_range must be finite (low, high) with high > low, got {value_range!r}"
        )
    return lo, hi


def render_frame(
    path: str | os.PathLike,
    output: str | os.PathLike,
    *,
    frame: int = -1,
    values: Any = None,
    log_key: str | None = None,
    categories: Sequence[str] | None = None,
    label: str = "",
    title: str = "",
    colormap: str = "viridis",
    value_range: tuple[float, float] | None = None,
    size: tuple[int, int] = (800, 600),
    slab: float | None = None,
    backend: str = "auto",
) -> str:
    """Render one frame of a GSD file to a PNG, particles coloured by a per-particle quantity.

    Args:
        path: GSD file (trajectory, checkpoint or ``init.gsd``).
        output: PNG file to write (its directory must exist).
        frame (int): Frame index (negative: from the end).
        values ((N,) numpy.ndarray): Per-particle values to colour by (e.g. crystal-class codes
            computed by the analysis); exclusive with ``log_key``.
        log_key (str): Per-particle log quantity stored in the frame to colour by, e.g.
            ``"particles/rigidfield/s"``. Neither: colour by particle type.
        categories (Sequence[str]): Class names when the values are integer codes.
        label (str): Title of the colour bar or legend (e.g. ``"$s_j$"``).
        title (str): Text drawn at the top left.
        colormap (str): Colour map of continuous values, one of :data:`COLORMAPS`.
        value_range (tuple[float, float]): Values at the ends of the colour map.
        size (tuple[int, int]): Image width and height [pixels].
        slab (float): Draw only the particles whose centres lie within ``slab / 2`` of the
            box's mid-plane z = 0 [length], seen from +z (3D frames: a cut through a dense
            system).
        backend (str): ``"ovito"``, ``"matplotlib"`` or ``"auto"`` (OVITO where it imports and
            renders, else matplotlib with a printed note).

    Returns:
        str: The backend that wrote the image, ``"ovito"`` or ``"matplotlib"``.

    Raises:
        ValueError: On an invalid argument (both ``values`` and ``log_key``, a missing log key,
            a frame out of range, values not one per particle, a bad size, slab or backend).
        ImportError: With ``backend="ovito"`` where OVITO is not installed.
    """
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}, got {backend!r}")
    width, height = _check_size(size)
    if values is not None and log_key is not None:
        raise ValueError("give values or log_key, not both")
    with open_trajectory(path, "GSD file") as traj:
        n_frames = len(traj)
        if not -n_frames <= frame < n_frames:
            raise ValueError(f"frame {frame} is out of range for {path} ({n_frames} frames)")
        snapshot = traj[frame]
    n = snapshot.particles.N
    if slab is not None and not (np.isfinite(slab) and slab > 0):
        raise ValueError(f"slab must be a positive width, got {slab!r}")
    if slab is not None and int(snapshot.configuration.dimensions) == 2:
        raise ValueError("slab cuts 3D frames; this frame is 2D")
    if log_key is not None:
        if log_key not in snapshot.log:
            raise ValueError(
                f"{path} frame {frame} has no log quantity {log_key!r}; it has "
                f"{sorted(snapshot.log)}"
            )
        values = snapshot.log[log_key]
    if values is None:
        values, categories = snapshot.particles.typeid, list(snapshot.particles.types)
        label = label or "type"
    values = np.asarray(values)
    if values.shape != (n,):
        raise ValueError(f"values must hold one value per particle ({n}), got shape {values.shape}")
    colours = particle_colours(
        values, categories=categories, colormap=colormap, value_range=value_range
    )
    if backend != "matplotlib":
        try:
            _render_ovito(path, output, frame % n_frames, snapshot, values, colours, categories,
                          label, title, colormap, value_range, (width, height), slab)  # fmt: skip
            return "ovito"
        except ImportError:
            if backend == "ovito":
                raise
            note = "OVITO is not installed (pip install ovito)"
        except RuntimeError as err:  # e.g. no Vulkan driver for the renderer
            if backend == "ovito":
                raise
            note = f"OVITO could not render ({' '.join(str(err).split())})"
        print(f"Note: {note}; {output} is a matplotlib scatter plot of the particle centres.")
    _render_matplotlib(output, snapshot, values, colours, categories, label, title, colormap,
                       value_range, (width, height), slab)  # fmt: skip
    return "matplotlib"


def _check_size(size: Any) -> tuple[int, int]:
    try:
        width, height = (int(s) for s in size)
    except (TypeError, ValueError):
        raise ValueError(f"size must be (width, height) in pixels, got {size!r}") from None
    if tuple(size) != (width, height) or not (16 <= width <= 8192 and 16 <= height <= 8192):
        raise ValueError(f"size must be two integers in [16, 8192] pixels, got {size!r}")
    return width, height


def _render_ovito(
    path: str | os.PathLike,
    output: str | os.PathLike,
    frame: int,
    snapshot: gsd.hoomd.Frame,
    values: np.ndarray,
    colours: np.ndarray,
    categories: Sequence[str] | None,
    label: str,
    title: str,
    colormap: str,
    value_range: tuple[float, float] | None,
    size: tuple[int, int],
    slab: float | None,
) -> None:
    """Render with OVITO: the file's shapes, ``colours``, a legend or colour bar, the title."""
    from ovito.data import ElementType, TriangleMesh
    from ovito.io import import_file
    from ovito.modifiers import ColorCodingModifier, SliceModifier
    from ovito.qt_compat import QtCore
    from ovito.vis import (
        ColorLegendOverlay,
        OpenGLRenderer,
        ParticlesVis,
        TextLabelOverlay,
        Viewport,
    )

    pipeline = import_file(str(path))
    name = label or "value"

    def colour(_frame: int, data: Any) -> None:
        particles = data.particles_
        if categories is not None:
            prop = particles.create_property(name, data=values.astype(np.int32))
            for i, (category, rgb) in enumerate(zip(categories, CATEGORY_COLOURS)):
                prop.types.append(ElementType(id=i, name=str(category), color=rgb))
            particles.create_property("Color", data=colours)
        else:  # coloured by the ColorCodingModifier below, with the same map and range
            particles.create_property(name, data=values.astype(float))
        specs = snapshot.particles.type_shapes or []
        for ptype in particles.particle_types_.types_:
            spec = specs[ptype.id] if ptype.id < len(specs) else {}
            if ptype.mesh is None and spec.get("type") == "ConvexPolyhedron":
                # An older file: OVITO may have failed to build the hull; draw our mesh.
                mesh_spec = as_mesh_shape_spec(spec)
                mesh = TriangleMesh()
                mesh.set_vertices(np.asarray(mesh_spec["vertices"]))
                mesh.set_faces(mesh_triangles(mesh_spec["indices"]))
                mesh.determine_edge_visibility()
                ptype.shape, ptype.mesh, ptype.radius = ParticlesVis.Shape.Mesh, mesh, 1.0
            ptype.highlight_edges = ptype.mesh is not None

    pipeline.modifiers.append(colour)
    if slab is not None:  # deletes the particles outside the slab
        pipeline.modifiers.append(SliceModifier(normal=(0, 0, 1), distance=0.0, slab_width=slab))
    two_d = int(snapshot.configuration.dimensions) == 2
    legend_style = {
        "title": label,
        "alignment": QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter,
        "orientation": QtCore.Qt.Orientation.Vertical,
        "font_size": 0.1,
        "label_size": 0.8,
        "legend_size": 0.4,
    }
    if categories is not None:
        legend = ColorLegendOverlay(property=f"particles/{name}", **legend_style)
    else:
        lo, hi = _value_range(values, value_range)
        gradient = getattr(ColorCodingModifier, COLORMAPS[colormap])()
        coding = ColorCodingModifier(property=name, start_value=lo, end_value=hi, gradient=gradient)
        pipeline.modifiers.append(coding)
        legend = ColorLegendOverlay(modifier=coding, **legend_style)
    pipeline.add_to_scene()
    try:
        if two_d or slab is not None:  # monolayers and slabs face-on
            view = Viewport(type=Viewport.Type.Top)
        else:
            view = Viewport(type=Viewport.Type.Ortho, camera_dir=CAMERA_DIRECTION)
        view.overlays.append(legend)
        if title:  # OVITO reads labels as rich text: "<s>" would strike the rest through
            view.overlays.append(TextLabelOverlay(text=html.escape(title), font_size=0.04,
                                                  font_family="DejaVu Sans", outline_enabled=True,
                                                  outline_color=BACKGROUND))  # fmt: skip
        view.zoom_all(size=size)
        view.render_image(size=size, filename=str(output), background=BACKGROUND,
                          frame=frame, renderer=OpenGLRenderer())  # fmt: skip
    finally:
        pipeline.remove_from_scene()


def _render_matplotlib(
    output: str | os.PathLike,
    snapshot: gsd.hoomd.Frame,
    values: np.ndarray,
    colours: np.ndarray,
    categories: Sequence[str] | None,
    label: str,
    title: str,
    colormap: str,
    value_range: tuple[float, float] | None,
    size: tuple[int, int],
    slab: float | None,
) -> None:
    """Scatter plot of the particle centres (x-y projection in 2D, perspective in 3D)."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import Normalize
    from matplotlib.lines import Line2D

    dpi = 100
    fig = plt.figure(figsize=(size[0] / dpi, size[1] / dpi), dpi=dpi)
    try:
        pos = np.asarray(snapshot.particles.position, dtype=float)
        if slab is not None:
            inside = np.abs(pos[:, 2]) <= slab / 2
            pos, colours = pos[inside], colours[inside]
        if int(snapshot.configuration.dimensions) == 2:
            ax = fig.add_subplot()
            ax.set_aspect("equal")
            ax.scatter(pos[:, 0], pos[:, 1], c=colours, s=20, edgecolors="k", linewidths=0.3)
        else:
            ax = fig.add_subplot(projection="3d")
            ax.scatter(pos[:, 0], pos[:, 1], pos[:, 2], c=colours, s=20, depthshade=True)
            ax.set_zlabel("z")
            if slab is not None:
                ax.view_init(elev=90, azim=-90)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.set_title(title or "particle centres (OVITO not used)", fontsize=9)
        if categories is not None:
            handles = [
                Line2D([], [], marker="o", ls="", color=rgb, label=str(c))
                for c, rgb in zip(categories, CATEGORY_COLOURS)
            ]
            ax.legend(handles=handles, title=label or None, fontsize=8, loc="upper right")
        else:
            lo, hi = _value_range(values, value_range)
            mappable = plt.cm.ScalarMappable(norm=Normalize(lo, hi), cmap=colormap)
            fig.colorbar(mappable, ax=ax, label=label, shrink=0.8)
        fig.savefig(output, dpi=dpi)
    finally:
        plt.close(fig)
