"""GSD file helpers shared by the resumable runs (Monte Carlo chains and HOOMD MD)."""

from __future__ import annotations

import contextlib
import copy
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import coxeter
import gsd.fl
import gsd.hoomd
import numpy as np
from scipy.spatial import ConvexHull

#: Files of a run directory (every suite): the initial configuration, the trajectory (appended;
#: OVITO and freud read it) and the HOOMD checkpoint (replaced atomically).
INITIAL, TRAJECTORY, RESTART = "init.gsd", "trajectory.gsd", "restart.gsd"

_STEP = "configuration/step"


def mesh_shape_spec(vertices: Any, faces: Sequence[Sequence[int]]) -> dict:
    """GSD ``particles/type_shapes`` entry of a polyhedron given by its vertices and faces.

    The GSD ``Mesh`` shape (GSD documentation, "Shape Visualization"): ``vertices`` and
    ``indices``, one list of zero-based vertex indices per face, counter-clockwise seen from
    outside. Viewers draw the faces as given and construct no hull, so polyhedra with exactly
    coplanar face vertices (truncated octahedra, cubes) display for every size; OVITO 3.17's
    hull construction fails on some sizes of the ``ConvexPolyhedron`` shape
    (``docs/gsd_files.md``).

    Args:
        vertices ((N_vertices, 3) numpy.ndarray): Vertices in the body frame [length].
        faces (Sequence[Sequence[int]]): Vertex indices of each face (at least 3 each),
            counter-clockwise about the outward normal.

    Returns:
        dict: ``{"type": "Mesh", "vertices": [[x, y, z], ...], "indices": [[i, j, k, ...], ...]}``
        with plain Python numbers (JSON-serialisable, equal after a GSD round trip).

    Raises:
        ValueError: If the vertices are not a finite (N, 3) array or a face has fewer than 3
            indices or an index out of range.

    Example:
        >>> spec = mesh_shape_spec([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]],
        ...                        [[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]])
        >>> spec["type"], len(spec["vertices"]), spec["indices"][0]
        ('Mesh', 4, [0, 2, 1])
    """
    v = np.asarray(vertices, dtype=float)
    if v.ndim != 2 or v.shape[1] != 3 or len(v) < 4 or not np.all(np.isfinite(v)):
        raise ValueError(f"vertices must be a finite (N >= 4, 3) array, got shape {v.shape}")
    indices = []
    for i, face in enumerate(faces):
        face = [int(k) for k in face]
        if len(face) < 3 or min(face) < 0 or max(face) >= len(v):
            raise ValueError(
                f"faces[{i}] = {face} must hold at least 3 vertex indices in [0, {len(v)})"
            )
        indices.append(face)
    if not indices:
        raise ValueError("faces must hold at least one face")
    return {"type": "Mesh", "vertices": v.tolist(), "indices": indices}


def mesh_triangles(faces: Sequence[Sequence[int]]) -> np.ndarray:
    """Triangles of a mesh's faces, each face split into a fan from its first vertex.

    Args:
        faces (Sequence[Sequence[int]]): Vertex indices of each (convex) face.

    Returns:
        (N_triangles, 3) numpy.ndarray: Vertex indices of the triangles, with the faces'
        winding.

    Example:
        >>> mesh_triangles([[0, 1, 2, 3]]).tolist()
        [[0, 1, 2], [0, 2, 3]]
    """
    triangles = [(f[0], f[k], f[k + 1]) for f in faces for k in range(1, len(f) - 1)]
    return np.array(triangles, dtype=np.int64).reshape(-1, 3)


def mesh_volume_and_area(vertices: Any, faces: Sequence[Sequence[int]]) -> tuple[float, float]:
    r"""Enclosed volume and surface area of a closed mesh (e.g. a GSD ``Mesh`` shape).

    Each face is split into triangles (:func:`mesh_triangles`); the volume is the
    divergence-theorem sum :math:`\sum_t \mathbf a_t \cdot (\mathbf b_t \times \mathbf c_t)/6`,
    positive for faces wound counter-clockwise seen from outside.

    Args:
        vertices ((N_vertices, 3) numpy.ndarray): Vertices [length].
        faces (Sequence[Sequence[int]]): Vertex indices of each face (triangles or polygons).

    Returns:
        tuple[float, float]: Signed volume [length^3] and area [length^2].

    Example:
        >>> spec = mesh_shape_spec([[0, 0, 0], [1, 0, 0], [0, 1, 0], [0, 0, 1]],
        ...                        [[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]])
        >>> volume, area = mesh_volume_and_area(spec["vertices"], spec["indices"])
        >>> round(6 * volume, 12), round(area, 6)
        (1.0, 2.366025)
    """
    v = np.asarray(vertices, dtype=float)
    triangles = mesh_triangles(faces)
    a, b, c = (v[triangles[:, i]] for i in range(3))
    volume = float(np.einsum("ij,ij->", a, np.cross(b, c)) / 6.0)
    area = float(0.5 * np.linalg.norm(np.cross(b - a, c - a), axis=1).sum())
    return volume, area


def as_mesh_shape_spec(spec: Mapping[str, Any]) -> dict:
    """The ``Mesh`` form of a ``ConvexPolyhedron`` shape spec; other specs unchanged (a copy).

    Files written before the package switched to ``Mesh`` (``docs/gsd_files.md``) hold
    ``ConvexPolyhedron`` specs, whose hull OVITO 3.17 fails to build for some sizes; this
    builds the faces here (coplanar facets merged into one polygon, as
    :class:`coxeter.shapes.ConvexPolyhedron` does).

    Args:
        spec (Mapping): One entry of ``particles/type_shapes``.

    Returns:
        dict: A ``Mesh`` spec (:func:`mesh_shape_spec`) for a ``ConvexPolyhedron``, else a copy
        of ``spec``.

    Raises:
        ValueError: For a rounded ``ConvexPolyhedron`` (``rounding_radius`` > 0: a mesh
            cannot represent it) or one whose vertices span no volume.

    Example:
        >>> cube = [[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)]
        >>> mesh = as_mesh_shape_spec({"type": "ConvexPolyhedron", "vertices": cube})
        >>> mesh["type"], sorted(len(f) for f in mesh["indices"])
        ('Mesh', [4, 4, 4, 4, 4, 4])
    """
    if spec.get("type") != "ConvexPolyhedron":
        return {k: v for k, v in spec.items()}
    if float(spec.get("rounding_radius", 0.0)) != 0.0:
        raise ValueError(
            f"a rounded ConvexPolyhedron (rounding_radius = {spec['rounding_radius']!r}) has no "
            "mesh form"
        )
    v = np.asarray(spec["vertices"], dtype=float)
    try:
        hull = coxeter.shapes.ConvexPolyhedron(v[ConvexHull(v).vertices])
    except Exception as err:  # scipy's Qhull errors for flat or degenerate input
        raise ValueError(f"the ConvexPolyhedron's vertices span no volume: {err}") from err
    return mesh_shape_spec(hull.vertices, hull.faces)


def truncate_trajectory(path: str | os.PathLike, step: int) -> int:
    """Drop the frames of a trajectory written after ``step``.

    A run resumed from a checkpoint at ``step`` then leaves no duplicated or orphaned frames.
    The kept frames are copied chunk by chunk with :mod:`gsd.fl`, keeping the file's schema and
    schema version (``gsd.hoomd`` would write its own, newer schema version, which HOOMD-blue 4
    refuses to append to). The copy goes to a temporary name that atomically replaces the file,
    so a kill during the truncation leaves either the old or the new file.

    Args:
        path: GSD trajectory.
        step (int): Timestep of the checkpoint the run resumes from.

    Returns:
        int: Number of frames kept.
    """
    with gsd.fl.open(path, "r") as src:
        # The hoomd schema omits a chunk equal to frame 0's: such a frame has frame 0's step.
        first = (
            int(src.read_chunk(0, _STEP)[0]) if src.nframes and src.chunk_exists(0, _STEP) else 0
        )
        steps = [
            int(src.read_chunk(i, _STEP)[0]) if src.chunk_exists(i, _STEP) else first
            for i in range(src.nframes)
        ]
        keep = np.flatnonzero(np.asarray(steps) <= step)
        if len(keep) == src.nframes:
            return len(keep)
        names = src.find_matching_chunk_names("")
        tmp = Path(f"{path}.tmp")
        with gsd.fl.open(
            tmp,
            "w",
            application=src.application,
            schema=src.schema,
            schema_version=src.schema_version,
        ) as dst:
            for i in keep:
                for name in names:
                    if src.chunk_exists(int(i), name):
                        dst.write_chunk(name, src.read_chunk(int(i), name))
                dst.end_frame()
    os.replace(tmp, path)
    return len(keep)


@contextlib.contextmanager
def open_trajectory(
    path: str | os.PathLike, what: str = "trajectory", required_log: Sequence[str] = ()
) -> Iterator[gsd.hoomd.HOOMDTrajectory]:
    """Open a GSD file for reading, refusing files that cannot be what the caller reads.

    Args:
        path (str | os.PathLike): The file.
        what (str): What it should be, for the messages (e.g. ``"Mie trajectory"``).
        required_log (Sequence[str]): Log keys its first frame must have (a trajectory of
            another study, or an ``init.gsd``, lacks them).

    Yields:
        gsd.hoomd.HOOMDTrajectory: The open file (at least one frame).

    Raises:
        FileNotFoundError: If ``path`` does not exist.
        ValueError: If it is not a GSD file, is corrupt, has no frame or lacks a required key.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{what} {path} does not exist (has the run written it yet?)")
    try:
        traj = gsd.hoomd.open(path, "r")
    except RuntimeError as err:  # gsd: "Not a GSD file", "Corrupt GSD file", ...
        raise ValueError(f"{what} {path} cannot be read: {err}") from None
    with traj:
        if len(traj) == 0:
            raise ValueError(f"{what} {path} has no frames (a run killed before its first frame?)")
        if required_log:
            log = traj[0].log
            missing = [key for key in required_log if key not in log]
            if missing:
                raise ValueError(
                    f"{path} is not a {what}: its log has no {', '.join(missing)} (it has "
                    f"{sorted(log) or 'no log'}); another study's file, or an init.gsd?"
                )
        yield traj


#: Log namespace of the per-particle properties we write (OVITO names ``log/particles/a/b`` a_b).
PROPERTY_NAMESPACE = "particles/rigidfield"


def with_particle_properties(frame: gsd.hoomd.Frame, **properties: Any) -> gsd.hoomd.Frame:
    """A copy of ``frame`` that carries per-particle values as ``log/particles/rigidfield/<name>``.

    OVITO's GSD reader turns each into a particle property ``rigidfield_<name>`` (colour by it,
    select with it); freud and gsd read it from ``frame.log``.

    Args:
        frame (gsd.hoomd.Frame): The frame (not changed).
        **properties: ``name=values``, one finite number per particle each.

    Returns:
        gsd.hoomd.Frame: The frame with the properties in its log.

    Raises:
        ValueError: If a property has not one finite value per particle.
    """
    out = copy.deepcopy(frame)
    n = int(frame.particles.N)
    for name, values in properties.items():
        values = np.asarray(values)
        if values.shape != (n,) or not np.all(np.isfinite(values.astype(float))):
            raise ValueError(
                f"property {name!r} must hold one finite number per particle ({n}), got "
                f"shape {values.shape}"
            )
        out.log[f"{PROPERTY_NAMESPACE}/{name}"] = values
    return out
