"""Hard shapes of the HPMC Einstein molecule: spheres, convex polyhedra, their symmetry quaternions.

A :class:`HardShape` is what :func:`hoomd_rigidfield.freeenergy.hpmc.hard_particle_free_energy`
puts into HPMC: a sphere (``hpmc.integrate.Sphere``, optionally orientable, so that it carries an
orientation that does not change its overlaps) or a convex polyhedron (the convex hull of its
vertices, ``hpmc.integrate.ConvexPolyhedron``), in the body frame with its centre at the origin.
Geometry (volume, circumsphere) comes from coxeter. The orientational spring of
:mod:`.einstein` needs the quaternions :math:`s_j` that leave the shape unchanged;
:meth:`HardShape.check_symmetries` verifies that each maps the vertex set onto itself (the
perturbation step samples one well, which is only right if every well is the same orientation).

:func:`octahedral_symmetries` is the rotation group of the cube and of the truncated octahedron
(the 24 signed permutation matrices of determinant +1) as quaternions **with both signs**, 48
points of :math:`S^3` (the binary octahedral group): HOOMD's field then treats :math:`q` and
:math:`-q`, one physical orientation, alike, and the number of wells of :mod:`.einstein` is 48.

Example:
    >>> from hoomd_rigidfield.freeenergy.shapes import HardShape, octahedral_symmetries
    >>> cube = HardShape.cube(1.0)
    >>> round(cube.volume, 12), round(cube.circumsphere_diameter, 6)
    (1.0, 1.732051)
    >>> cube.check_symmetries(octahedral_symmetries()).shape
    (48, 4)
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import coxeter
import numpy as np
import rowan
from scipy.spatial import QhullError

from hoomd_rigidfield.freeenergy.einstein import check_symmetries
from hoomd_rigidfield.orientation import cube_symmetry_group
from hoomd_rigidfield.validation import check_finite_array, check_positive

#: A rotated vertex counts as a vertex of the shape within this fraction of the circumradius.
SYMMETRY_TOL = 1e-8


def octahedral_symmetries() -> np.ndarray:
    """The 24 proper rotations of the cube as 48 quaternions (both signs), identity first.

    Returns:
        (48, 4) numpy.ndarray: Unit quaternions :math:`\\pm s_j` (scalar first).

    Example:
        >>> s = octahedral_symmetries()
        >>> s.shape, s[0].tolist()
        ((48, 4), [1.0, 0.0, 0.0, 0.0])
    """
    proper = [g for g in cube_symmetry_group() if np.linalg.det(g) > 0]
    q = rowan.from_matrix(np.array(proper)) + 0.0  # no negative zeros
    q = q[np.argsort(-q[:, 0], kind="stable")]  # the identity (w = 1) first
    return np.concatenate([q, -q])


@dataclass(frozen=True, eq=False)
class HardShape:
    """A hard particle for HPMC (use the constructors).

    Args:
        diameter (float): Sphere diameter [σ] (spheres; for polyhedra it is set to the
            circumsphere diameter, from the vertices).
        vertices ((V, 3) numpy.ndarray): Body-frame vertices [σ] (polyhedra only; ``None``
            for a sphere).
        orientable (bool): The particle carries an orientation HPMC moves (``None``: False for
            spheres; polyhedra always are).
    """

    diameter: float | None = None
    vertices: np.ndarray | None = field(default=None, repr=False)
    orientable: bool | None = None

    def __post_init__(self) -> None:
        if self.orientable is not None and not isinstance(self.orientable, bool | np.bool_):
            raise ValueError(f"orientable must be True or False, got {self.orientable!r}")
        if self.vertices is None:
            if self.diameter is None:
                raise ValueError("give a sphere diameter or polyhedron vertices")
            object.__setattr__(self, "diameter", check_positive("diameter", self.diameter, "sigma"))
            object.__setattr__(self, "orientable", bool(self.orientable))
            return
        if self.diameter is not None:
            raise ValueError("give diameter (a sphere) or vertices (a polyhedron), not both")
        if self.orientable is False:
            raise ValueError("orientable must be True for a polyhedron (its overlaps need it)")
        v = np.array(check_finite_array("vertices", self.vertices, (None, 3)), dtype=np.float64)
        if len(v) < 4:
            raise ValueError(f"vertices must hold at least 4 points (a polyhedron), got {len(v)}")
        try:
            poly = coxeter.shapes.ConvexPolyhedron(v)
        except QhullError as err:  # flat or degenerate point sets
            first = str(err).strip().splitlines()[0]
            raise ValueError(f"vertices must span a polyhedron (Qhull: {first})") from err
        if not poly.is_inside([0.0, 0.0, 0.0])[0]:
            raise ValueError("vertices must surround the origin (the particle's centre)")
        v.setflags(write=False)
        object.__setattr__(self, "vertices", v)
        object.__setattr__(self, "diameter", 2.0 * float(np.linalg.norm(v, axis=1).max()))
        object.__setattr__(self, "orientable", True)

    @classmethod
    def sphere(cls, diameter: float = 1.0, *, orientable: bool = False) -> HardShape:
        """A hard sphere.

        Args:
            diameter (float): Diameter [σ] (> 0).
            orientable (bool): Give it an orientation (HPMC rotates it; overlaps ignore it).

        Returns:
            HardShape: The sphere.
        """
        return cls(diameter=diameter, orientable=orientable)

    @classmethod
    def convex_polyhedron(cls, vertices: Any) -> HardShape:
        """The convex hull of ``vertices`` (body frame, centre at the origin).

        Args:
            vertices ((V, 3) array): Vertices [σ].

        Returns:
            HardShape: The polyhedron.
        """
        return cls(vertices=vertices)

    @classmethod
    def cube(cls, edge: float = 1.0) -> HardShape:
        """An axis-aligned cube.

        Args:
            edge (float): Edge length [σ] (> 0).

        Returns:
            HardShape: Vertices :math:`(\\pm e/2, \\pm e/2, \\pm e/2)`.
        """
        e = check_positive("edge", edge, "sigma")
        return cls(vertices=0.5 * e * np.array(list(itertools.product((-1.0, 1.0), repeat=3))))

    @classmethod
    def truncated_octahedron(cls, edge: float = 1.0) -> HardShape:
        """The Archimedean truncated octahedron, square faces normal to the axes.

        In this orientation it is the Voronoi cell of the bcc lattice: edge
        :math:`a/(2\\sqrt2)` tiles bcc of cubic constant :math:`a`.

        Args:
            edge (float): Edge length [σ] (> 0).

        Returns:
            HardShape: Vertices at the signed permutations of :math:`(0, 1, 2)\\,e/\\sqrt2`.
        """
        e = check_positive("edge", edge, "sigma")
        base = {
            tuple(s * p for s, p in zip(signs, perm))
            for perm in itertools.permutations((0.0, 1.0, 2.0))
            for signs in itertools.product((-1.0, 1.0), repeat=3)
        }
        return cls(vertices=e / math.sqrt(2.0) * np.array(sorted(base)))

    @property
    def is_sphere(self) -> bool:
        """bool: A sphere (``hpmc.integrate.Sphere``), else a convex polyhedron."""
        return self.vertices is None

    @property
    def circumsphere_diameter(self) -> float:
        """float: Diameter of the smallest origin-centred sphere holding the shape [σ]."""
        return self.diameter

    @property
    def volume(self) -> float:
        """float: Volume [σ³]."""
        if self.is_sphere:
            return math.pi * self.diameter**3 / 6.0
        return float(coxeter.shapes.ConvexPolyhedron(self.vertices).volume)

    @property
    def hoomd_params(self) -> dict[str, Any]:
        """dict: ``mc.shape[type]`` of ``hpmc.integrate.Sphere`` or ``ConvexPolyhedron``."""
        if self.is_sphere:
            return {"diameter": self.diameter, "orientable": bool(self.orientable)}
        return {"vertices": [tuple(map(float, v)) for v in self.vertices]}

    def check_symmetries(self, symmetries: Any) -> np.ndarray:
        """Symmetry quaternions that leave this shape unchanged (every rotation, for a sphere).

        Args:
            symmetries ((M, 4) array): Quaternions (:func:`.einstein.check_symmetries`;
                ``None``: the identity only).

        Returns:
            (M, 4) numpy.ndarray: The checked quaternions.

        Raises:
            ValueError: On a bad quaternion set, or one that does not map the vertex set onto
                itself (the message names the row).
        """
        s = check_symmetries(symmetries)
        if self.is_sphere:
            return s
        v = self.vertices
        rotated = rowan.rotate(s[:, None], v[None])  # (M, V, 3)
        gaps = np.linalg.norm(rotated[:, :, None] - v[None, None], axis=-1).min(axis=2).max(axis=1)
        bad = np.flatnonzero(gaps > SYMMETRY_TOL * self.diameter)
        if len(bad):
            raise ValueError(
                f"symmetries[{bad[0]}] = {s[bad[0]].tolist()} is not a symmetry of the shape "
                f"(a rotated vertex is {gaps[bad[0]]:.3g} sigma from every vertex; "
                f"{len(bad)} such rows)"
            )
        return s
