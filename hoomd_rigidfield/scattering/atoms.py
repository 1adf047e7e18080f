r"""Atomistic nanocrystals on demand: crystal lattices cut to convex polyhedra, placed on superlattices.

A nanocrystal (NC) is an :class:`AtomisticNC`: atom positions in the NC body frame
:math:`[\mathrm{\AA}]`, a tuple of element symbols and the species index of each atom. The body
axes are the crystal's cubic axes, so a body frame :math:`[100]` is the crystal :math:`[100]`.
NCs are cut from a rock-salt (PbS, PbSe, ...) or fcc (Au, Ag, ...) lattice by a convex
:class:`Polyhedron` (cube, octahedron, truncated octahedron, or any vertex/half-space set),
centred at the origin.

:func:`place_ncs` puts copies of one NC at superlattice sites :math:`\mathbf R_n` with
orientations :math:`q_n` (unit quaternions, scalar first as in HOOMD and rowan):
:math:`\mathbf r = \mathbf R_n + \mathrm{rot}(q_n)\,\mathbf r_\mathrm{body}`.
:class:`NCPlacement` holds such sites and reads them from arrays or a GSD frame.

Example:
    >>> nc = rocksalt_nc(Polyhedron.cube(2 * 5.936), 5.936, ("Pb", "S"))
    >>> len(nc), nc.counts
    (125, (63, 62))
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.spatial import ConvexHull, HalfspaceIntersection

from hoomd_rigidfield.orientation import as_rotation_matrices
from hoomd_rigidfield.validation import (
    check_finite_array,
    check_int,
    check_positive,
    check_real,
)

#: Room-temperature rock-salt lattice constants :math:`[\mathrm{\AA}]` (cation, anion).
ROCKSALT_LATTICE_CONSTANTS: dict[str, tuple[float, tuple[str, str]]] = {
    "PbS": (5.936, ("Pb", "S")),
    "PbSe": (6.124, ("Pb", "Se")),
}

#: Atoms closer than this to a facet plane :math:`[\mathrm{\AA}]` count as inside the cut.
FACET_TOLERANCE = 1e-6

#: Wulff ratio :math:`h_{111}/h_{100}` of the Archimedean truncated octahedron (all edges equal).
ARCHIMEDEAN_WULFF_RATIO = math.sqrt(3.0) / 2.0


class Polyhedron:
    r"""A convex polyhedron as half-spaces :math:`\mathbf n_k\cdot\mathbf x \le d_k`.

    Build it with :meth:`from_vertices`, :meth:`from_halfspaces` or the shape helpers
    (:meth:`cube`, :meth:`octahedron`, :meth:`truncated_octahedron`). All shapes are in the NC
    body frame, lengths in :math:`\mathrm{\AA}`.

    Args:
        normals ((K, 3) array): Outward facet normals (normalised here).
        offsets ((K,) array): Distances :math:`d_k` of the facet planes from the origin
            :math:`[\mathrm{\AA}]`; all positive (the origin must be inside).

    Raises:
        ValueError: On wrong shapes, zero normals, non-positive offsets or an unbounded set.
    """

    def __init__(self, normals: Any, offsets: Any) -> None:
        n = np.asarray(check_finite_array("normals", normals, (None, 3)), dtype=float)
        d = np.asarray(check_finite_array("offsets", offsets, (len(n),)), dtype=float)
        norms = np.linalg.norm(n, axis=1)
        if len(n) < 4 or np.any(norms == 0):
            raise ValueError(
                f"normals must hold at least 4 non-zero vectors, got {len(n)} "
                f"({int(np.sum(norms == 0))} zero)"
            )
        d = d / norms
        if np.any(d <= 0):
            raise ValueError(
                "offsets must be > 0 (the origin must lie strictly inside the polyhedron), "
                f"got min {d.min():g} A"
            )
        self._normals = n / norms[:, None]
        self._offsets = d
        hs = np.hstack([self._normals, -self._offsets[:, None]])
        try:
            with np.errstate(divide="ignore", invalid="ignore"):
                verts = HalfspaceIntersection(hs, np.zeros(3)).intersections
            if not np.all(np.isfinite(verts)):
                raise ValueError("vertices at infinity (unbounded)")
            hull = ConvexHull(verts)
        except Exception as err:  # qhull: unbounded or degenerate
            raise ValueError(f"the half-spaces do not bound a 3D polyhedron: {err}") from err
        self._vertices = verts[hull.vertices]
        self._volume = float(hull.volume)

    @classmethod
    def from_vertices(cls, vertices: Any) -> Polyhedron:
        r"""The convex hull of points.

        Args:
            vertices ((V, 3) array): Points :math:`[\mathrm{\AA}]`; the origin must be inside
                their hull.

        Returns:
            Polyhedron: The hull.
        """
        v = np.asarray(check_finite_array("vertices", vertices, (None, 3)), dtype=float)
        if len(v) < 4:
            raise ValueError(f"vertices must hold at least 4 points, got {len(v)}")
        try:
            hull = ConvexHull(v)
        except Exception as err:
            raise ValueError(f"vertices do not span a 3D hull: {err}") from err
        # hull.equations rows: (n, c) with n.x + c <= 0 inside; duplicate facets are harmless.
        eq = np.unique(np.round(hull.equations, 12), axis=0)
        return cls(eq[:, :3], -eq[:, 3])

    @classmethod
    def from_halfspaces(cls, normals: Any, offsets: Any) -> Polyhedron:
        r"""The intersection of half-spaces :math:`\mathbf n_k\cdot\mathbf x \le d_k`.

        Args:
            normals ((K, 3) array): Outward normals.
            offsets ((K,) array): Plane distances :math:`[\mathrm{\AA}]` (times :math:`|\mathbf n_k|`).

        Returns:
            Polyhedron: The intersection.
        """
        return cls(normals, offsets)

    @classmethod
    def cube(cls, edge: float) -> Polyhedron:
        r"""Cube :math:`|x_i| \le a/2` with {100} facets.

        Args:
            edge (float): Edge length :math:`a` (= facet-to-facet size) :math:`[\mathrm{\AA}]`.

        Returns:
            Polyhedron: The cube.
        """
        h = 0.5 * check_positive("edge", edge, "A")
        return cls(np.vstack([np.eye(3), -np.eye(3)]), np.full(6, h))

    @classmethod
    def octahedron(cls, edge: float) -> Polyhedron:
        r"""Regular octahedron :math:`|x|+|y|+|z| \le a/\sqrt2` with {111} facets.

        Vertices lie on the cube axes at :math:`\pm a/\sqrt2`; the {111} facet-to-facet size is
        :math:`2a/\sqrt6`.

        Args:
            edge (float): Edge length :math:`a` :math:`[\mathrm{\AA}]`.

        Returns:
            Polyhedron: The octahedron.
        """
        a = check_positive("edge", edge, "A")
        normals = np.array(list(itertools.product((-1.0, 1.0), repeat=3)))
        return cls(normals, np.full(8, a / math.sqrt(2.0)))

    @classmethod
    def truncated_octahedron(
        cls, size: float, wulff_ratio: float = ARCHIMEDEAN_WULFF_RATIO
    ) -> Polyhedron:
        r"""Wulff truncated octahedron: six {100} and eight {111} facets.

        The solid is :math:`|x_i| \le h_{100}`, :math:`|x|+|y|+|z| \le \sqrt3\,h_{111}`.

        Args:
            size (float): {100} facet-to-facet size :math:`2h_{100}` :math:`[\mathrm{\AA}]`.
            wulff_ratio (float): :math:`w = h_{111}/h_{100}` in :math:`(1/\sqrt3, 2/\sqrt3)`;
                default :math:`\sqrt3/2` (Archimedean, all edges equal).

        Returns:
            Polyhedron: The truncated octahedron.
        """
        h100 = 0.5 * check_positive("size", size, "A")
        lo, hi = 1.0 / math.sqrt(3.0), 2.0 / math.sqrt(3.0)
        w = check_real("wulff_ratio", wulff_ratio, lo, hi, high_open=True)
        normals = np.vstack(
            [np.eye(3), -np.eye(3), np.array(list(itertools.product((-1.0, 1.0), repeat=3)))]
        )
        offsets = np.concatenate([np.full(6, h100), np.full(8, math.sqrt(3.0) * w * h100)])
        return cls(normals, offsets)

    @property
    def normals(self) -> np.ndarray:
        """(K, 3) numpy.ndarray: Unit outward facet normals."""
        return self._normals.copy()

    @property
    def offsets(self) -> np.ndarray:
        r"""(K,) numpy.ndarray: Facet plane distances from the origin :math:`[\mathrm{\AA}]`."""
        return self._offsets.copy()

    @property
    def vertices(self) -> np.ndarray:
        r"""(V, 3) numpy.ndarray: Vertices :math:`[\mathrm{\AA}]`."""
        return self._vertices.copy()

    @property
    def volume(self) -> float:
        r"""float: Volume :math:`[\mathrm{\AA}^3]`."""
        return self._volume

    @property
    def circumradius(self) -> float:
        r"""float: Largest vertex distance from the origin :math:`[\mathrm{\AA}]`."""
        return float(np.linalg.norm(self._vertices, axis=1).max())

    def contains(self, points: Any, tol: float = FACET_TOLERANCE) -> np.ndarray:
        r"""Which points lie inside (facets included, within ``tol``).

        Args:
            points ((N, 3) array): Points :math:`[\mathrm{\AA}]`.
            tol (float): Distance beyond a facet still counted inside :math:`[\mathrm{\AA}]`.

        Returns:
            (N,) numpy.ndarray: Boolean mask.
        """
        p = np.asarray(check_finite_array("points", points, (None, 3)), dtype=float)
        tol = check_real("tol", tol, 0.0, low_open=False, unit="A")
        return np.all(p @ self._normals.T <= self._offsets + tol, axis=1)

    def __repr__(self) -> str:
        return f"Polyhedron({len(self._normals)} facets, volume={self._volume:.6g} A^3)"


@dataclass(frozen=True)
class AtomisticNC:
    r"""A nanocrystal as atoms in its body frame.

    Args:
        positions ((N, 3) array): Atom positions :math:`[\mathrm{\AA}]`, body frame.
        species (tuple[str, ...]): Element symbols (as :func:`xraydb.f0` spells them), e.g.
            ``("Pb", "S")``.
        types ((N,) array of int): Index into ``species`` of each atom.

    Raises:
        ValueError: On wrong shapes, non-finite positions or type indices out of range.

    The arrays are stored as read-only copies.
    """

    positions: np.ndarray
    species: tuple[str, ...]
    types: np.ndarray

    def __post_init__(self) -> None:
        pos = np.array(check_finite_array("positions", self.positions, (None, 3)), dtype=float)
        species = tuple(str(s) for s in self.species)
        if not species:
            raise ValueError("species must name at least one element, got ()")
        types = np.asarray(self.types)
        if types.shape != (len(pos),):
            raise ValueError(f"types must have shape ({len(pos)},), got {types.shape}")
        if types.size and not np.issubdtype(types.dtype, np.integer):
            raise ValueError(f"types must hold integers, got dtype {types.dtype}")
        types = types.astype(np.int64)
        if types.size and (types.min() < 0 or types.max() >= len(species)):
            raise ValueError(
                f"types must lie in [0, {len(species) - 1}] (species {species}), "
                f"got range [{types.min()}, {types.max()}]"
            )
        pos.setflags(write=False)
        types.setflags(write=False)
        object.__setattr__(self, "positions", pos)
        object.__setattr__(self, "species", species)
        object.__setattr__(self, "types", types)

    def __len__(self) -> int:
        return len(self.positions)

    @property
    def counts(self) -> tuple[int, ...]:
        """tuple[int, ...]: Number of atoms of each species."""
        return tuple(int(c) for c in np.bincount(self.types, minlength=len(self.species)))

    def positions_of(self, species: int | str) -> np.ndarray:
        r"""Positions of the atoms of one species.

        Args:
            species (int | str): Index into :attr:`species` or an element symbol.

        Returns:
            (N_s, 3) numpy.ndarray: Positions :math:`[\mathrm{\AA}]`.
        """
        if isinstance(species, str):
            if species not in self.species:
                raise ValueError(f"species must be one of {self.species}, got {species!r}")
            species = self.species.index(species)
        s = check_int("species", species, 0, len(self.species) - 1)
        return self.positions[self.types == s]

    def transformed(self, rotation: Any = None, translation: Any = None) -> AtomisticNC:
        r"""The NC rotated about its origin, then translated.

        Args:
            rotation: Quaternion ``(4,)`` (scalar first) or ``(3, 3)`` matrix; ``None``: identity.
            translation ((3,) array): Shift :math:`[\mathrm{\AA}]`; ``None``: none.

        Returns:
            AtomisticNC: Positions :math:`\mathbf t + R\,\mathbf r`.
        """
        rot = as_rotation_matrices(rotation, 1)[0]
        t = (
            np.zeros(3)
            if translation is None
            else check_finite_array("translation", translation, (3,))
        )
        return AtomisticNC(self.positions @ rot.T + t, self.species, self.types)


def _lattice_sites(polyhedron: Polyhedron, half_a: float, offset: np.ndarray) -> np.ndarray:
    """Integer coordinates (units a/2) of the simple-cubic sites offset + i*a/2 inside the cut."""
    n = math.ceil((polyhedron.circumradius + np.abs(offset).max()) / half_a) + 1
    r = np.arange(-n, n + 1)
    ijk = np.stack(np.meshgrid(r, r, r, indexing="ij"), axis=-1).reshape(-1, 3)
    return ijk[polyhedron.contains(ijk * half_a + offset)]


def _check_polyhedron(polyhedron: Any) -> Polyhedron:
    if not isinstance(polyhedron, Polyhedron):
        raise ValueError(
            f"polyhedron must be a scattering.atoms.Polyhedron, got {type(polyhedron).__name__}"
        )
    return polyhedron


def rocksalt_nc(
    polyhedron: Polyhedron,
    lattice_constant: float,
    species: Sequence[str] = ("Pb", "S"),
    offset: Any = (0.0, 0.0, 0.0),
) -> AtomisticNC:
    r"""A rock-salt NC: cations at fcc sites, anions shifted by :math:`(a/2, 0, 0)`, cut to a shape.

    With ``offset = 0`` a cation sits at the centre of the shape. The sites are
    :math:`\mathbf o + (a/2)(i, j, k)`; cation where :math:`i+j+k` is even.

    Args:
        polyhedron (Polyhedron): The cut (body frame, centred at the origin).
        lattice_constant (float): Cubic lattice constant :math:`a` :math:`[\mathrm{\AA}]`
            (PbS 5.936, PbSe 6.124: :data:`ROCKSALT_LATTICE_CONSTANTS`).
        species (tuple[str, str]): (cation, anion) element symbols.
        offset ((3,) array): Position of a cation site relative to the shape centre
            :math:`[\mathrm{\AA}]`.

    Returns:
        AtomisticNC: Species ``(cation, anion)``, positions centred on the shape centre.
    """
    poly = _check_polyhedron(polyhedron)
    a = check_positive("lattice_constant", lattice_constant, "A")
    species = tuple(species)
    if len(species) != 2:
        raise ValueError(f"species must be (cation, anion), got {species!r}")
    o = np.asarray(check_finite_array("offset", offset, (3,)), dtype=float)
    ijk = _lattice_sites(poly, 0.5 * a, o)
    types = (ijk.sum(axis=1) % 2).astype(np.int64)
    return AtomisticNC(ijk * (0.5 * a) + o, species, types)


def fcc_nc(
    polyhedron: Polyhedron,
    lattice_constant: float,
    species: str = "Au",
    offset: Any = (0.0, 0.0, 0.0),
) -> AtomisticNC:
    r"""An fcc metal NC cut to a shape (an atom at the centre for ``offset = 0``).

    Args:
        polyhedron (Polyhedron): The cut.
        lattice_constant (float): Cubic lattice constant :math:`a` :math:`[\mathrm{\AA}]`
            (Au 4.078, Ag 4.086, Pt 3.924).
        species (str): Element symbol.
        offset ((3,) array): Position of a lattice site relative to the shape centre
            :math:`[\mathrm{\AA}]`.

    Returns:
        AtomisticNC: One species.
    """
    poly = _check_polyhedron(polyhedron)
    a = check_positive("lattice_constant", lattice_constant, "A")
    o = np.asarray(check_finite_array("offset", offset, (3,)), dtype=float)
    ijk = _lattice_sites(poly, 0.5 * a, o)
    ijk = ijk[ijk.sum(axis=1) % 2 == 0]
    return AtomisticNC(ijk * (0.5 * a) + o, (str(species),), np.zeros(len(ijk), dtype=np.int64))


def pbs_truncated_octahedron(
    size: float, wulff_ratio: float = ARCHIMEDEAN_WULFF_RATIO
) -> AtomisticNC:
    r"""A PbS truncated octahedron (Pb at the centre), the NC of the seed superlattice studies.

    Args:
        size (float): {100} facet-to-facet size :math:`[\mathrm{\AA}]` (60 for a 6 nm NC).
        wulff_ratio (float): :math:`h_{111}/h_{100}`.

    Returns:
        AtomisticNC: Species ``("Pb", "S")``.
    """
    a, species = ROCKSALT_LATTICE_CONSTANTS["PbS"]
    return rocksalt_nc(Polyhedron.truncated_octahedron(size, wulff_ratio), a, species)


def fcc_lattice_sites(lattice_constant: float, n_cells: int | Sequence[int]) -> np.ndarray:
    r"""Sites of an fcc lattice of :math:`n_x n_y n_z` conventional cells, centred at the origin.

    Args:
        lattice_constant (float): Cubic lattice constant :math:`[\mathrm{\AA}]`.
        n_cells (int | tuple[int, int, int]): Cells per side.

    Returns:
        (4 n_x n_y n_z, 3) numpy.ndarray: Sites :math:`[\mathrm{\AA}]` (mean at the origin).

    Example:
        >>> fcc_lattice_sites(150.0, 2).shape
        (32, 3)
    """
    a = check_positive("lattice_constant", lattice_constant, "A")
    n = (n_cells,) * 3 if np.ndim(n_cells) == 0 else tuple(n_cells)
    if len(n) != 3:
        raise ValueError(f"n_cells must be an int or 3 ints, got {n_cells!r}")
    n = tuple(check_int("n_cells", k, 1) for k in n)
    basis = np.array([[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]])
    cells = np.stack(np.meshgrid(*(np.arange(k) for k in n), indexing="ij"), -1).reshape(-1, 3)
    sites = (cells[:, None, :] + basis[None]).reshape(-1, 3) * a
    return sites - sites.mean(axis=0)


@dataclass(frozen=True)
class NCPlacement:
    r"""NC centres and orientations (a superlattice configuration).

    Args:
        positions ((N, 3) array): Centres :math:`\mathbf R_n` :math:`[\mathrm{\AA}]`.
        orientations ((N, 4) array): Unit quaternions, scalar first (``None``: all identity;
            one ``(4,)`` quaternion: the same for all).

    Raises:
        ValueError: On wrong shapes or non-unit quaternions.
    """

    positions: np.ndarray
    orientations: np.ndarray | None = None

    def __post_init__(self) -> None:
        pos = np.array(check_finite_array("positions", self.positions, (None, 3)), dtype=float)
        if self.orientations is None:
            quats = np.tile([1.0, 0.0, 0.0, 0.0], (len(pos), 1))
        else:
            quats = np.array(check_finite_array("orientations", self.orientations), dtype=float)
            if quats.shape == (4,):
                quats = np.tile(quats, (len(pos), 1))
            if quats.shape != (len(pos), 4):
                raise ValueError(
                    f"orientations must have shape ({len(pos)}, 4) or (4,), got {quats.shape}"
                )
            as_rotation_matrices(quats)  # validates unit norm
            quats = quats / np.linalg.norm(quats, axis=1, keepdims=True)
        pos.setflags(write=False)
        quats.setflags(write=False)
        object.__setattr__(self, "positions", pos)
        object.__setattr__(self, "orientations", quats)

    def __len__(self) -> int:
        return len(self.positions)

    @property
    def rotation_matrices(self) -> np.ndarray:
        """(N, 3, 3) numpy.ndarray: :math:`R_n` with :math:`r_{lab} = R_n r_{body}`."""
        return as_rotation_matrices(self.orientations, len(self))

    @classmethod
    def from_gsd(
        cls,
        source: Any,
        frame: int = -1,
        types: Sequence[str] | None = None,
        unwrap: bool = True,
    ) -> NCPlacement:
        r"""Read centres and orientations from a GSD (HOOMD schema) frame.

        Args:
            source: A path to a ``.gsd`` file or a :class:`gsd.hoomd.Frame`.
            frame (int): Frame index when ``source`` is a path (negative counts from the end).
            types (sequence of str): Particle types to keep (``None``: all), e.g. the NC type
                of a rigid body and not its constituents.
            unwrap (bool): Add ``image * L`` (for an orthorhombic box) so that a crystal split by
                the periodic boundary is whole.

        Returns:
            NCPlacement: Positions in the file's length unit (must be :math:`\mathrm{\AA}` for
            scattering) and orientations.
        """
        import gsd.hoomd

        if isinstance(source, str | os.PathLike):
            with gsd.hoomd.open(source, "r") as traj:
                n = len(traj)
                if n == 0:
                    raise ValueError(f"{source} holds no frames")
                k = check_int("frame", frame, -n, n - 1)
                snap = traj[k]
        else:
            snap = source
        p = snap.particles
        pos = np.asarray(p.position, dtype=float)
        quat = (
            np.tile([1.0, 0.0, 0.0, 0.0], (len(pos), 1))
            if p.orientation is None
            else np.asarray(p.orientation, dtype=float)
        )
        # GSD stores float32 quaternions: renormalise in double precision.
        quat = quat / np.linalg.norm(quat, axis=1, keepdims=True)
        if unwrap and p.image is not None:
            box = np.asarray(snap.configuration.box, dtype=float)
            if np.any(box[3:] != 0):
                raise ValueError("unwrap=True needs an orthorhombic box (tilts xy, xz, yz = 0)")
            pos = pos + np.asarray(p.image, dtype=float) * box[:3]
        if types is not None:
            names = list(p.types)
            missing = [t for t in types if t not in names]
            if missing:
                raise ValueError(f"types must be among the frame's types {names}, got {missing}")
            keep = np.isin(np.asarray(p.typeid), [names.index(t) for t in types])
            pos, quat = pos[keep], quat[keep]
        return cls(pos, quat)


def place_ncs(
    nc: AtomisticNC, placement: NCPlacement | Any, orientations: Any = None
) -> AtomisticNC:
    r"""Copies of one NC at superlattice sites: :math:`\mathbf R_n + R(q_n)\,\mathbf r_\mathrm{body}`.

    Args:
        nc (AtomisticNC): The NC (body frame).
        placement: An :class:`NCPlacement`, or an ``(N, 3)`` array of centres
            :math:`[\mathrm{\AA}]` (then ``orientations`` gives the quaternions).
        orientations ((N, 4) array): Quaternions when ``placement`` is an array.

    Returns:
        AtomisticNC: All atoms in the lab frame, NC by NC (atom ``j`` of NC ``n`` at row
        ``n * len(nc) + j``).
    """
    if not isinstance(placement, NCPlacement):
        placement = NCPlacement(placement, orientations)
    elif orientations is not None:
        raise ValueError("orientations must be None when placement is an NCPlacement")
    rot = placement.rotation_matrices
    pos = np.einsum("nij,aj->nai", rot, nc.positions) + placement.positions[:, None, :]
    return AtomisticNC(pos.reshape(-1, 3), nc.species, np.tile(nc.types, len(placement)))
