"""Convex polyhedra for rigid nanocrystals.

:class:`ConvexPolyhedron` wraps :class:`coxeter.shapes.ConvexPolyhedron` (convex hull, faces
ordered counter-clockwise about their outward normals, areas, volume) and adds what the form
factors and overlap checks need: per-face centroids, edge midpoints and in-plane edge normals,
and a rigid placement in the lab frame. :class:`TruncatedOctahedron` builds the Wulff shape of a
rock-salt nanocrystal from physical facet distances.
"""

from __future__ import annotations

import copy
import itertools
import math
from dataclasses import dataclass
from typing import Any

import coxeter
import numpy as np
from scipy.spatial import ConvexHull

from hoomd_rigidfield.gsdfiles import mesh_shape_spec
from hoomd_rigidfield.validation import check_finite_array, check_real

#: Wulff ratio h111/h100 of the Archimedean truncated octahedron (all edges equal).
ARCHIMEDEAN_WULFF_RATIO = math.sqrt(3.0) / 2.0
#: Smallest :func:`contact_distance` tolerance relative to the sum of the circumradii: a finer
#: bisection would reach adjacent floating-point numbers and never end.
MIN_CONTACT_TOL = 1e-12


@dataclass(frozen=True)
class Face:
    """One planar face of a polyhedron (lab or body frame).

    Attributes:
        vertices ((n, 3) numpy.ndarray): Vertices, counter-clockwise about ``normal``.
        normal ((3,) numpy.ndarray): Outward unit normal.
        centroid ((3,) numpy.ndarray): Area centroid.
        area (float): Face area.
    """

    vertices: np.ndarray
    normal: np.ndarray
    centroid: np.ndarray
    area: float

    @property
    def edges(self) -> np.ndarray:
        """(n, 3) numpy.ndarray: Edge vectors ``v[i+1] - v[i]``."""
        return np.roll(self.vertices, -1, axis=0) - self.vertices

    @property
    def edge_midpoints(self) -> np.ndarray:
        """(n, 3) numpy.ndarray: Edge midpoints."""
        return 0.5 * (np.roll(self.vertices, -1, axis=0) + self.vertices)

    @property
    def edge_normals(self) -> np.ndarray:
        """(n, 3) numpy.ndarray: Outward in-plane unit normals of the edges."""
        e = self.edges
        return np.cross(e, self.normal) / np.linalg.norm(e, axis=1)[:, None]

    @property
    def radius(self) -> float:
        """float: Largest distance from the centroid to a vertex."""
        return float(np.max(np.linalg.norm(self.vertices - self.centroid, axis=1)))


class ConvexPolyhedron:
    """A convex polyhedron given by its vertices, placed at ``center``.

    The body frame has the nanocrystal's reference point (its centre) at the origin; the
    origin must lie strictly inside the hull.

    Args:
        vertices ((N_vertices, 3) numpy.ndarray): Vertices in the body frame
            :math:`[\\mathrm{\\AA}]`; interior points are discarded (convex hull).

    Raises:
        ValueError: If the hull is degenerate or does not contain the origin.
    """

    def __init__(self, vertices: Any) -> None:
        vertices = np.asarray(vertices, dtype=float)
        if vertices.ndim != 2 or vertices.shape[1] != 3 or len(vertices) < 4:
            raise ValueError(f"vertices must be an (N >= 4, 3) array, got shape {vertices.shape}")
        try:
            # coxeter rejects interior points: keep the hull's vertices (Qhull via scipy)
            hull = coxeter.shapes.ConvexPolyhedron(vertices[ConvexHull(vertices).vertices])
        except Exception as err:  # scipy's Qhull errors for flat or degenerate input
            raise ValueError(f"vertices do not span a 3D convex polyhedron: {err}") from err
        if hull.volume <= 0:
            raise ValueError("vertices do not span a 3D convex polyhedron (zero volume)")
        hull_vertices = np.asarray(hull.vertices, dtype=float)
        normals = np.asarray(hull.normals, dtype=float)
        offsets = -np.asarray(hull.equations, dtype=float)[:, 3]
        if np.any(offsets <= 1e-9 * np.max(np.abs(hull_vertices))):
            raise ValueError(
                "the origin (the nanocrystal centre) must lie strictly inside the polyhedron"
            )
        faces = []
        for idx, n in zip(hull.faces, normals):
            fv = hull_vertices[np.asarray(idx)]
            faces.append(Face(fv, n, *_polygon_centroid_area(fv, n)))
        self._init_placed(
            hull_vertices, tuple(faces), np.asarray(hull.edges), np.zeros(3), float(hull.volume)
        )
        self._gsd_shape_spec = mesh_shape_spec(hull_vertices, hull.faces)

    def _init_placed(
        self,
        vertices: np.ndarray,
        faces: tuple[Face, ...],
        edges: np.ndarray,
        center: np.ndarray,
        volume: float,
    ) -> None:
        self._vertices = vertices
        self._faces = faces
        self._edges = edges
        self._center = center
        self._volume = volume

    def placed(self, rotation: Any, position: Any) -> ConvexPolyhedron:
        """A copy moved by the rigid motion :math:`\\mathbf r \\to R\\mathbf r + \\mathbf p`.

        Applied to a body-frame shape (centre at the origin), this places its centre at
        ``position`` with orientation ``rotation``.

        Args:
            rotation ((3, 3) numpy.ndarray): Rotation matrix, ``r_lab = R @ r_body``.
            position ((3,) numpy.ndarray): Lab-frame position of the centre
                :math:`[\\mathrm{\\AA}]`.

        Returns:
            ConvexPolyhedron: The placed copy (the original is not modified).
        """
        rot = np.asarray(rotation, dtype=float)
        pos = np.asarray(position, dtype=float)
        out = object.__new__(type(self))
        out.__dict__.update(self.__dict__)
        faces = tuple(
            Face(f.vertices @ rot.T + pos, rot @ f.normal, rot @ f.centroid + pos, f.area)
            for f in self._faces
        )
        out._init_placed(
            self._vertices @ rot.T + pos, faces, self._edges, rot @ self._center + pos, self._volume
        )
        return out

    def translated(self, shift: Any) -> ConvexPolyhedron:
        """The same (placed) polyhedron translated by ``shift`` :math:`[\\mathrm{\\AA}]`.

        Args:
            shift ((3,) numpy.ndarray): Lab-frame translation :math:`[\\mathrm{\\AA}]`.

        Returns:
            ConvexPolyhedron: The translated copy (the original is not modified).
        """
        return self.placed(np.eye(3), shift)

    @property
    def vertices(self) -> np.ndarray:
        """(N_vertices, 3) numpy.ndarray: Hull vertices :math:`[\\mathrm{\\AA}]`."""
        return self._vertices

    @property
    def faces(self) -> tuple[Face, ...]:
        """tuple[Face]: Faces with outward normals, vertices counter-clockwise."""
        return self._faces

    @property
    def edges(self) -> np.ndarray:
        """(N_edges, 2) numpy.ndarray: Vertex indices of each edge."""
        return self._edges

    @property
    def center(self) -> np.ndarray:
        """(3,) numpy.ndarray: Position of the reference point (origin of the body frame)."""
        return self._center

    @property
    def volume(self) -> float:
        """float: Volume :math:`[\\mathrm{\\AA}^3]`."""
        return self._volume

    @property
    def surface_area(self) -> float:
        """float: Total surface area :math:`[\\mathrm{\\AA}^2]`."""
        return float(sum(f.area for f in self._faces))

    @property
    def circumradius(self) -> float:
        """float: Largest distance from the centre to a vertex :math:`[\\mathrm{\\AA}]`."""
        return float(np.max(np.linalg.norm(self._vertices - self._center, axis=1)))

    @property
    def gsd_shape_spec(self) -> dict:
        """dict: ``type_shapes`` entry (body frame) that OVITO and HOOMD read from GSD files.

        A GSD ``Mesh`` (vertices and the faces, counter-clockwise from outside; see
        :func:`hoomd_rigidfield.gsdfiles.mesh_shape_spec`), not a ``ConvexPolyhedron``: OVITO
        3.17 fails to build the hull of the latter for some sizes of truncated octahedra.
        """
        return copy.deepcopy(self._gsd_shape_spec)

    def extent(self, direction: Any) -> float:
        """Support function: largest projection of the body onto ``direction`` from its centre.

        Args:
            direction ((3,) numpy.ndarray): Direction (normalised internally).

        Returns:
            float: :math:`\\max_v (v - c)\\cdot\\hat d` :math:`[\\mathrm{\\AA}]`.
        """
        d = np.asarray(direction, dtype=float)
        d = d / np.linalg.norm(d)
        return float(np.max((self._vertices - self._center) @ d))

    def __repr__(self) -> str:
        body = self._vertices - self._center
        return f"hoomd_rigidfield.ConvexPolyhedron(vertices={body.tolist()!r})"


def _polygon_centroid_area(vertices: np.ndarray, normal: np.ndarray) -> tuple[np.ndarray, float]:
    """Area centroid and area of a planar convex polygon (fan from the vertex mean)."""
    c0 = vertices.mean(axis=0)
    a = vertices - c0
    b = np.roll(vertices, -1, axis=0) - c0
    tri_area = 0.5 * (np.cross(a, b) @ normal)
    centroid = c0 + (tri_area[:, None] * (a + b) / 3.0).sum(axis=0) / tri_area.sum()
    return centroid, float(tri_area.sum())


class TruncatedOctahedron(ConvexPolyhedron):
    r"""Wulff truncated octahedron: six {100} squares and eight {111} hexagons.

    The solid is :math:`|x_i| \le h_{100}` and :math:`|x|+|y|+|z| \le \sqrt3 h_{111}` in the body
    frame (body axes along the rock-salt <100> directions).

    Args:
        h100 (float): Centre-to-{100}-facet distance :math:`[\mathrm{\AA}]` (half the
            {100} facet-to-facet size).
        h111 (float): Centre-to-{111}-facet distance :math:`[\mathrm{\AA}]`; the Wulff ratio
            :math:`w = h_{111}/h_{100}` must satisfy :math:`1/\sqrt3 < w < 2/\sqrt3` for both
            facet families to be present.

    Raises:
        ValueError: If a distance is not positive or :math:`w` is outside the valid range.

    Example::

        nc = TruncatedOctahedron.from_size(57.0)  # 2 h100 = 57 A, Archimedean (w = sqrt(3)/2)
    """

    def __init__(self, h100: float, h111: float) -> None:
        h100, h111 = float(h100), float(h111)
        if not (math.isfinite(h100) and h100 > 0 and math.isfinite(h111) and h111 > 0):
            raise ValueError(f"h100 and h111 must be positive, got {h100!r}, {h111!r}")
        w = h111 / h100
        lo, hi = 1.0 / math.sqrt(3.0), 2.0 / math.sqrt(3.0)
        if not lo < w < hi:
            raise ValueError(
                f"Wulff ratio h111/h100 = {w:.6g} must lie in ({lo:.6f}, {hi:.6f}) for a "
                "truncated octahedron (below: a cube; above: an octahedron or cuboctahedron)"
            )
        self._h100, self._h111 = h100, h111
        d = math.sqrt(3.0) * h111
        # Vertices: all permutations of (+-h100, +-(D - h100), 0).
        verts = set()
        for perm in itertools.permutations((h100, d - h100, 0.0)):
            for signs in itertools.product((-1.0, 1.0), repeat=3):
                verts.add(tuple(s * x for s, x in zip(signs, perm)))
        super().__init__(np.array(sorted(verts)))

    @classmethod
    def from_size(
        cls, size: float, wulff_ratio: float = ARCHIMEDEAN_WULFF_RATIO
    ) -> TruncatedOctahedron:
        r"""Construct from the {100} facet-to-facet size and the Wulff ratio.

        Args:
            size (float): :math:`2h_{100}` :math:`[\mathrm{\AA}]` (the paper's "diameter", 57 A).
            wulff_ratio (float): :math:`h_{111}/h_{100}`; default :math:`\sqrt3/2` (all edges equal).

        Returns:
            TruncatedOctahedron: The shape.
        """
        return cls(0.5 * float(size), 0.5 * float(size) * float(wulff_ratio))

    @property
    def h100(self) -> float:
        r"""float: Centre-to-{100}-facet distance :math:`[\mathrm{\AA}]`."""
        return self._h100

    @property
    def h111(self) -> float:
        r"""float: Centre-to-{111}-facet distance :math:`[\mathrm{\AA}]`."""
        return self._h111

    def __repr__(self) -> str:
        return f"hoomd_rigidfield.TruncatedOctahedron(h100={self._h100!r}, h111={self._h111!r})"


def overlap(a: ConvexPolyhedron, b: ConvexPolyhedron, tol: float = 1e-9) -> bool:
    """Whether two placed convex polyhedra overlap (separating-axis test).

    Candidate axes are the face normals of both bodies and the cross products of their edge
    directions; the bodies are disjoint if the projections onto one axis are separated. Touching
    bodies (a gap of at most ``tol``) do not overlap.

    Args:
        a (ConvexPolyhedron): First body (placed in the lab frame).
        b (ConvexPolyhedron): Second body.
        tol (float): Distance tolerance :math:`[\\mathrm{\\AA}]`.

    Returns:
        bool: ``True`` if the interiors intersect.
    """
    gap = np.linalg.norm(a.center - b.center)
    if gap > a.circumradius + b.circumradius + tol:
        return False
    ea = _edge_directions(a)
    eb = _edge_directions(b)
    cross = np.cross(ea[:, None, :], eb[None, :, :]).reshape(-1, 3)
    norms = np.linalg.norm(cross, axis=1)
    axes = np.concatenate(
        [
            np.array([f.normal for f in a.faces]),
            np.array([f.normal for f in b.faces]),
            cross[norms > 1e-12] / norms[norms > 1e-12, None],
        ]
    )
    pa = a.vertices @ axes.T
    pb = b.vertices @ axes.T
    separated = (pa.max(axis=0) <= pb.min(axis=0) + tol) | (pb.max(axis=0) <= pa.min(axis=0) + tol)
    return not bool(np.any(separated))


def _edge_directions(p: ConvexPolyhedron) -> np.ndarray:
    e = p.vertices[p.edges[:, 1]] - p.vertices[p.edges[:, 0]]
    return e / np.linalg.norm(e, axis=1)[:, None]


def contact_distance(
    a: ConvexPolyhedron,
    rotation_a: Any,
    b: ConvexPolyhedron,
    rotation_b: Any,
    direction: Any,
    tol: float = 1e-6,
) -> float:
    """Centre-to-centre distance at which two bodies touch when approaching along ``direction``.

    Found by bisection on :func:`overlap` between 0 and the sum of the circumradii.

    Args:
        a (ConvexPolyhedron): First body (body frame), placed at the origin.
        rotation_a ((3, 3) numpy.ndarray): Its rotation matrix.
        b (ConvexPolyhedron): Second body (body frame), placed at ``r * direction``.
        rotation_b ((3, 3) numpy.ndarray): Its rotation matrix.
        direction ((3,) numpy.ndarray): Approach direction (normalised internally).
        tol (float): Bisection tolerance :math:`[\\mathrm{\\AA}]`, at least
            :data:`MIN_CONTACT_TOL` times the sum of the circumradii (finer ones cannot end).

    Returns:
        float: Contact distance :math:`[\\mathrm{\\AA}]`.

    Raises:
        ValueError: If ``direction`` is zero or not finite, or ``tol`` is out of range.
    """
    d = check_finite_array("direction", direction, (3,))
    norm = float(np.linalg.norm(d))
    if norm == 0.0:
        raise ValueError("direction must be a non-zero vector, got [0, 0, 0]")
    d = d / norm
    reach = a.circumradius + b.circumradius
    check_real("tol", tol, MIN_CONTACT_TOL * reach, low_open=False, unit="A")
    pa = a.placed(rotation_a, np.zeros(3))
    pb = b.placed(rotation_b, np.zeros(3))
    lo, hi = 0.0, reach
    while hi - lo > tol:
        mid = 0.5 * (lo + hi)
        if overlap(pa, pb.translated(mid * d)):
            lo = mid
        else:
            hi = mid
    return hi
