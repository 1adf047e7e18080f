"""Patchy truncated (cantellated) nanocubes in a monolayer: the shape :cite:`patchy_cubes_seed004`.

Each particle is a cube of edge length :math:`L` whose edges are bevelled by {110} facets
(optionally its corners by {111}); it lies with a {100} facet up, translates in the plane and
rotates about :math:`z` only.

Both bodies are convex and mirror-symmetric about the common plane :math:`z = 0`, so if they
share a point :math:`(x, y, z)` they share :math:`(x, y, -z)` and hence :math:`(x, y, 0)`: the 3D
hard overlap *is* the overlap of the mid-plane sections. That section is the octagon
:math:`|x|, |y| \\le L/2,\\ |x| + |y| \\le L(1 - t)` with corner-cut fraction :math:`t \\in [0, 1/2]`
(:class:`TruncatedCube`); HOOMD simulates it exactly with ``hpmc.integrate.ConvexPolygon``.
Angles in radians, measured counter-clockwise from :math:`+x`; :math:`r_{ij} = r_j - r_i`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import coxeter
import numpy as np

#: Corner-cut fraction of the regular octagon, :math:`t = 1 - 1/\\sqrt 2`.
REGULAR_OCTAGON_T = 1.0 - 1.0 / math.sqrt(2.0)
#: Default corner-cut fraction (Fx = 0.70 L) [our proposal: the seed paper does not give it].
DEFAULT_T = 0.15
# Pairs per block in the vectorised kernels (bounds the (M, 4, 4) temporaries to a few MB).
_CHUNK = 1 << 15


def finite_scalar(name: str, value: Any) -> float:
    """``value`` as a float, or a ValueError naming ``name`` if it is not one finite number.

    Args:
        name (str): Parameter name for the message.
        value: The input.

    Returns:
        float: ``float(value)``.
    """
    if isinstance(value, bool) or not np.isscalar(value) or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)


def pair_arrays(r_ij: Any, theta_i: Any, theta_j: Any) -> tuple[np.ndarray, ...]:
    """Validate and broadcast pair inputs to ``(M, 2)``, ``(M,)``, ``(M,)`` float arrays.

    Args:
        r_ij ((M, 2) or (M, 3) array): :math:`r_j - r_i` (in the plane) :math:`[L]`.
        theta_i: Orientations of i [rad], scalar or ``(M,)``.
        theta_j: Orientations of j [rad], scalar or ``(M,)``.

    Returns:
        tuple: ``(r, theta_i, theta_j)``.
    """
    r = np.asarray(r_ij, dtype=float)
    if r.ndim == 1:
        r = r[None, :]
    if r.ndim != 2 or r.shape[1] not in (2, 3):
        raise ValueError(f"r_ij must have shape (M, 2) (or (M, 3) with z = 0), got {r.shape}")
    if r.shape[1] == 3:
        if np.any(r[:, 2] != 0):
            raise ValueError("r_ij must lie in the plane: its z components must be 0")
        r = r[:, :2]
    m = len(r)
    try:
        ti = np.broadcast_to(np.asarray(theta_i, dtype=float), (m,))
        tj = np.broadcast_to(np.asarray(theta_j, dtype=float), (m,))
    except ValueError:
        raise ValueError(
            f"theta_i and theta_j must be scalars or have shape ({m},) to match r_ij"
        ) from None
    if not (np.all(np.isfinite(r)) and np.all(np.isfinite(ti)) and np.all(np.isfinite(tj))):
        raise ValueError("r_ij, theta_i and theta_j must be finite")
    return r, ti, tj


@dataclass(frozen=True)
class TruncatedCube:
    """Cantellated cube lying {100}-up, reduced exactly to its mid-plane octagon.

    The section is :math:`|x|, |y| \\le a` and :math:`|x| + |y| \\le L(1 - t)` with
    :math:`a = L/2`: four {100} edges of length :math:`F_x = L(1 - 2t)` (normals
    :math:`\\pm x, \\pm y`, the patch facets) and four {110} bevels of length
    :math:`\\sqrt 2\\, t L`. For a cube also truncated by {111} planes
    :math:`|x|+|y|+|z| \\le d`, pass :math:`t = (L - \\min(c, d))/L`.

    Args:
        edge_length (float): Facet-to-facet width :math:`L` :math:`[\\mathrm{length}]`, > 0 (the model's length
            unit, 5.7 nm for the seed PbSe cubes).
        t (float): Corner-cut fraction, in [0, 0.5]: 0 is the square, :data:`REGULAR_OCTAGON_T`
            the regular octagon, 0.5 the square rotated by 45 degrees.

    Example::

        >>> cube = TruncatedCube(t=0.15)
        >>> cube.facet_length, cube.area
        (0.7, 0.955)
    """

    edge_length: float = 1.0
    t: float = DEFAULT_T

    def __post_init__(self) -> None:
        edge = finite_scalar("edge_length", self.edge_length)
        if not edge > 0:
            raise ValueError(f"edge_length must be > 0, got {self.edge_length!r}")
        t = finite_scalar("t", self.t)
        if not 0.0 <= t <= 0.5:
            raise ValueError(f"corner-cut fraction t must lie in [0, 0.5], got {self.t!r}")
        object.__setattr__(self, "edge_length", edge)
        object.__setattr__(self, "t", t)

    @classmethod
    def from_facet_fraction(cls, fx_over_l: float, edge_length: float = 1.0) -> TruncatedCube:
        """Build from the {100} edge fraction :math:`F_x/L = 1 - 2t`.

        Args:
            fx_over_l (float): :math:`F_x/L`, in [0, 1].
            edge_length (float): :math:`L` :math:`[\\mathrm{length}]`, > 0.

        Returns:
            TruncatedCube: Shape with :math:`t = (1 - F_x/L)/2`.
        """
        f = finite_scalar("fx_over_l", fx_over_l)
        if not 0.0 <= f <= 1.0:
            raise ValueError(f"fx_over_l must lie in [0, 1], got {fx_over_l!r}")
        return cls(edge_length=edge_length, t=0.5 * (1.0 - f))

    # ---- sizes ----------------------------------------------------------------------------

    @property
    def half_width(self) -> float:
        """float: :math:`a = L/2`, centre-to-{100}-facet distance :math:`[\\mathrm{length}]`."""
        return 0.5 * self.edge_length

    @property
    def bevel_distance(self) -> float:
        """float: :math:`c = L(1 - t)`; the bevels are :math:`|x| \\pm |y| = c` :math:`[\\mathrm{length}]`."""
        return self.edge_length * (1.0 - self.t)

    @property
    def facet_length(self) -> float:
        """float: {100} edge length :math:`F_x = L(1 - 2t)` :math:`[\\mathrm{length}]`."""
        return self.edge_length * (1.0 - 2.0 * self.t)

    @property
    def bevel_length(self) -> float:
        """float: {110} edge length :math:`\\sqrt 2\\, t L` :math:`[\\mathrm{length}]`."""
        return math.sqrt(2.0) * self.t * self.edge_length

    @property
    def area(self) -> float:
        """float: Octagon area :math:`L^2 (1 - 2t^2)` [length^2]."""
        return self.edge_length**2 * (1.0 - 2.0 * self.t**2)

    @property
    def circumradius(self) -> float:
        """float: Largest centre-vertex distance :math:`\\sqrt{a^2 + (F_x/2)^2}` :math:`[\\mathrm{length}]`."""
        return math.hypot(self.half_width, 0.5 * self.facet_length)

    @property
    def square_packing_fraction(self) -> float:
        """float: Area fraction of the square lattice of spacing L, :math:`1 - 2t^2`.

        This is ``phi_cp``, the packing of facet-to-facet contact.
        It is *not* the densest packing for :math:`t > 0`: see
        :attr:`densest_packing_fraction`.
        """
        return 1.0 - 2.0 * self.t**2

    @property
    def densest_packing_fraction(self) -> float:
        """float: Densest packing fraction of the octagon [derived].

        For a centrally symmetric convex body the densest packing is a lattice packing
        (Fejes Toth) of density :math:`|K| / |H|`, with :math:`H` the smallest circumscribed
        centrally symmetric hexagon. Here :math:`H` is the square with two opposite corners cut
        by the bevels (area :math:`L^2(1 - t^2)`) for :math:`t \\le` :data:`REGULAR_OCTAGON_T`
        and the bevel diamond with two opposite corners cut by {100} lines (area
        :math:`L^2(3/2 - 2t)`) above, so

        .. math::

            \\phi_{max} = \\frac{1 - 2t^2}{\\min(1 - t^2,\\ 3/2 - 2t)}

        which is 1 at t = 0 and 0.5 and :math:`(4 + 4\\sqrt 2)/(5 + 4\\sqrt 2) = 0.90616` for
        the regular octagon. Checked against a numerical search over six-contact lattices for
        t = 0..0.5 (agreement to 1e-12). NPT runs must never exceed it.
        """
        t = self.t
        return (1.0 - 2.0 * t**2) / min(1.0 - t**2, 1.5 - 2.0 * t)

    @property
    def densest_packing_lattice(self) -> np.ndarray:
        """(2, 2) numpy.ndarray: Lattice vectors (rows) of the densest packing :math:`[\\mathrm{length}]`.

        :math:`L(1, -t), L(-t, 1)` (sheared square lattice, bevels in contact) for
        :math:`t \\le` :data:`REGULAR_OCTAGON_T`; :math:`L(1, 0), L(1/2, 3/2 - 2t)` (rows
        shifted by L/2, each octagon nested in the notch of two below) above. All particles
        have :math:`\\theta = 0`.
        """
        t, edge = self.t, self.edge_length
        if t <= REGULAR_OCTAGON_T:
            return edge * np.array([[1.0, -t], [-t, 1.0]])
        return edge * np.array([[1.0, 0.0], [0.5, 1.5 - 2.0 * t]])

    # ---- vertices and exports ---------------------------------------------------------------

    @property
    def vertices(self) -> np.ndarray:
        """(V, 2) numpy.ndarray: Body-frame vertices, counter-clockwise, origin inside :math:`[\\mathrm{length}]`.

        V = 8 for :math:`0 < t < 1/2`, starting with the +x {100} edge
        :math:`(a, -F_x/2) \\to (a, F_x/2)`, so edge :math:`2k` is the facet of patch
        :math:`k`. Where vertices coincide in floating point (t = 0, t = 0.5) the duplicates
        are dropped (V = 4). This is the ``vertices`` list of HOOMD
        ``hpmc.integrate.ConvexPolygon``.
        """
        a, f = self.half_width, 0.5 * self.facet_length
        v = np.array([(a, -f), (a, f), (f, a), (-f, a), (-a, f), (-a, -f), (-f, -a), (f, -a)])
        # Drop coincident neighbours (t = 0: f = a; t = 0.5: f = 0): HOOMD needs real edges.
        out = v[np.any(v != np.roll(v, 1, axis=0), axis=1)] + 0.0  # + 0.0: no -0.0
        out.setflags(write=False)
        return out

    @property
    def num_vertices(self) -> int:
        """int: Number of vertices (8, or 4 at t = 0 and t = 0.5)."""
        return len(self.vertices)

    def to_coxeter(self) -> coxeter.shapes.ConvexPolygon:
        """The octagon as a :class:`coxeter.shapes.ConvexPolygon` (plotting, form factors)."""
        return coxeter.shapes.ConvexPolygon(np.asarray(self.vertices))

    @property
    def gsd_shape_spec(self) -> dict:
        """dict: GSD ``particles/type_shapes`` entry, so OVITO draws the octagon.

        ``{"type": "Polygon", "rounding_radius": 0.0, "vertices": [[x, y], ...]}``. Written by
        hand: coxeter's ``gsd_shape_spec`` gives 3D vertices and no ``rounding_radius``, while
        the GSD shape schema (and HOOMD's own ``ConvexPolygon.type_shapes``) use 2D vertices.
        """
        return {
            "type": "Polygon",
            "rounding_radius": 0.0,
            "vertices": [[float(x), float(y)] for x, y in self.vertices],
        }

    @property
    def hpmc_shape(self) -> dict:
        """dict: ``ConvexPolygon.shape[type]`` parameters: ``vertices`` (list of tuples)."""
        return {"vertices": [(float(x), float(y)) for x, y in self.vertices]}

    # ---- hard overlap -----------------------------------------------------------------------

    def _support(self, angle: np.ndarray) -> np.ndarray:
        """Half-width of the body-frame octagon along the unit vector at ``angle``."""
        v = np.asarray(self.vertices)
        proj = np.cos(angle)[..., None] * v[:, 0] + np.sin(angle)[..., None] * v[:, 1]
        # Central symmetry: the support interval is symmetric, max |v . u| is the half-width.
        return np.max(np.abs(proj), axis=-1)

    def separation(self, r_ij: Any, theta_i: Any, theta_j: Any) -> np.ndarray:
        """Separating-axis margin of pairs of octagons.

        For the eight candidate axes (the edge normals of both octagons, at
        :math:`\\theta + m\\pi/4`, m = 0..3) the margin is :math:`|r_{ij}\\cdot u| - h_i(u) -
        h_j(u)` with :math:`h` the support half-width; the result is its maximum over axes.
        Positive: separated by that gap along the best axis; zero: touching; negative: the
        octagons overlap (the value is minus the smallest penetration among the axes).

        Args:
            r_ij ((M, 2) numpy.ndarray): :math:`r_j - r_i` :math:`[\\mathrm{length}]`.
            theta_i ((M,) numpy.ndarray): Orientation of i [rad] (or a scalar).
            theta_j ((M,) numpy.ndarray): Orientation of j [rad] (or a scalar).

        Returns:
            (M,) numpy.ndarray: Margin :math:`[\\mathrm{length}]`.
        """
        r, ti, tj = pair_arrays(r_ij, theta_i, theta_j)
        base = np.arange(4) * (math.pi / 4.0)
        out = np.empty(len(r))
        for s in range(0, len(r), _CHUNK):
            sl = slice(s, s + _CHUNK)
            # Separating-axis theorem by hand: coxeter/shapely test one pair at a time, and the
            # compiled component needs exactly this axis set anyway.
            axes = np.concatenate([ti[sl, None] + base, tj[sl, None] + base], axis=1)
            proj = np.abs(r[sl, 0, None] * np.cos(axes) + r[sl, 1, None] * np.sin(axes))
            h_i = self._support(axes - ti[sl, None])
            h_j = self._support(axes - tj[sl, None])
            out[sl] = np.max(proj - h_i - h_j, axis=1)
        return out

    def overlaps(self, r_ij: Any, theta_i: Any, theta_j: Any, tol: float = 1e-10) -> np.ndarray:
        """Exact hard overlap of pairs of octagons (separating axis theorem), vectorised.

        Args:
            r_ij ((M, 2) numpy.ndarray): :math:`r_j - r_i` :math:`[\\mathrm{length}]`.
            theta_i ((M,) numpy.ndarray): Orientation of i [rad] (or a scalar).
            theta_j ((M,) numpy.ndarray): Orientation of j [rad] (or a scalar).
            tol (float): Penetration depth, in units of L, up to which octagons count as
                touching rather than overlapping (>= 0; absorbs rounding at exact contact).

        Returns:
            (M,) numpy.ndarray: ``True`` where the interiors overlap by more than ``tol``.
        """
        tol = finite_scalar("tol", tol)
        if tol < 0:
            raise ValueError(f"tol must be >= 0, got {tol!r}")
        return self.separation(r_ij, theta_i, theta_j) < -tol * self.edge_length
