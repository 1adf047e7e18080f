"""2D patchy truncated (cantellated) nanocubes of seed paper 004: geometry and square-patch rule.

Model C of ``ASSEMBLY_MODELS.md`` §3. Each particle is a cube of edge length :math:`L` whose
edges are bevelled by {110} facets (optionally its corners by {111}); it lies with a {100} facet
up, translates in the plane and rotates about :math:`z` only.

**Geometry.** Both bodies are convex and mirror-symmetric about the common plane :math:`z = 0`,
so if they share a point :math:`(x, y, z)` they share :math:`(x, y, -z)` and hence
:math:`(x, y, 0)`: the 3D hard overlap *is* the overlap of the mid-plane sections. That section
is the octagon :math:`|x|, |y| \\le L/2,\\ |x| + |y| \\le L(1 - t)` with corner-cut fraction
:math:`t \\in [0, 1/2]` (:class:`TruncatedCube`); HOOMD simulates it exactly with
``hpmc.integrate.ConvexPolygon``.

**Patches.** One square :math:`P_x \\times P_x` patch sits at the centre of each of the four
vertical {100} facets; :class:`SquarePatches` holds the rule's parameters and
:func:`patch_energy` is the vectorised *reference* of the "facing-segment overlap" square well.
A compiled HOOMD component is tested against it, so the conventions are fixed here:

* angles in radians; :math:`\\theta` is the in-plane rotation of the body frame, measured
  counter-clockwise from :math:`+x` (HOOMD quaternion :math:`(\\cos\\theta/2, 0, 0,
  \\sin\\theta/2)`, :func:`angle_to_quaternion`);
* patch :math:`k = 0, 1, 2, 3` has outward normal :math:`n_{ik} = R(\\theta_i)\\,e_k` with
  :math:`e_k = +x, +y, -x, -y` (:data:`PATCH_DIRECTIONS`) and tangent
  :math:`t_{ik} = \\hat z \\times n_{ik}`;
* :math:`r_{ij} = r_j - r_i` (HOOMD's pair convention);
* energies in units of :math:`kT` (HOOMD v4.8 HPMC has :math:`\\beta = 1`).

The rule does not test hard overlap; the integrator does. Everything here is plain NumPy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import coxeter
import numpy as np

#: Corner-cut fraction of the regular octagon, :math:`t = 1 - 1/\\sqrt 2`.
REGULAR_OCTAGON_T = 1.0 - 1.0 / math.sqrt(2.0)
#: Default corner-cut fraction (Fx = 0.70 L) [ASSEMBLY_MODELS §3.1 proposal].
DEFAULT_T = 0.15
#: Default largest facet misalignment of a bond, 15 degrees (in radians).
DEFAULT_THETA_MAX = math.radians(15.0)
#: Default upper end of the gap window, in units of L [proposal, §3.2].
DEFAULT_DELTA = 0.10
#: Default tolerance below zero of the gap window, in units of L (absorbs rounding).
DEFAULT_GAP_TOLERANCE = 0.01
#: Body-frame patch normals :math:`e_k`, k = 0..3: +x, +y, -x, -y.
PATCH_DIRECTIONS = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])
PATCH_DIRECTIONS.setflags(write=False)
#: Energy variants of :class:`SquarePatches`: ``"step"`` is the paper's square well.
PATCH_MODES = ("step", "overlap")

# Pairs per block in the vectorised kernels (bounds the (M, 4, 4) temporaries to a few MB).
_CHUNK = 1 << 15


def _finite(name: str, value: Any) -> float:
    if isinstance(value, bool) or not np.isscalar(value) or not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)


def angle_to_quaternion(theta: Any) -> np.ndarray:
    """HOOMD orientation quaternions of in-plane rotations.

    Args:
        theta: Rotation angles about :math:`z` [rad], any shape.

    Returns:
        numpy.ndarray: ``theta.shape + (4,)`` quaternions :math:`(w, x, y, z) =
        (\\cos\\theta/2, 0, 0, \\sin\\theta/2)` (scalar first, HOOMD and rowan order).
    """
    half = 0.5 * np.asarray(theta, dtype=float)
    zeros = np.zeros_like(half)
    return np.stack([np.cos(half), zeros, zeros, np.sin(half)], axis=-1)


def quaternion_to_angle(q: Any) -> np.ndarray:
    """In-plane angles of rotations about :math:`z` (inverse of :func:`angle_to_quaternion`).

    Args:
        q: ``(..., 4)`` quaternions :math:`(w, x, y, z)`; x and y must vanish (2D runs).

    Returns:
        numpy.ndarray: Angles :math:`2\\,\\mathrm{atan2}(q_z, q_w)` wrapped to
        :math:`(-\\pi, \\pi]` [rad].
    """
    q = np.asarray(q, dtype=float)
    if q.shape[-1:] != (4,):
        raise ValueError(f"quaternions must have shape (..., 4), got {q.shape}")
    norm = np.linalg.norm(q, axis=-1)
    if np.any(np.abs(q[..., 1:3]) > 1e-6 * np.maximum(norm, 1e-300)[..., None]):
        raise ValueError("quaternions must be rotations about z (x and y components 0)")
    theta = 2.0 * np.arctan2(q[..., 3], q[..., 0])
    return np.angle(np.exp(1j * theta))


def _pair_arrays(r_ij: Any, theta_i: Any, theta_j: Any) -> tuple[np.ndarray, ...]:
    """Validate and broadcast pair inputs to ``(M, 2)``, ``(M,)``, ``(M,)`` float arrays."""
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


def _patch_frames(theta: np.ndarray) -> np.ndarray:
    """Lab-frame patch normals :math:`R(\\theta) e_k`, shape ``(M, 4, 2)``.

    Written out rather than computed as cos(theta + k pi/2) so that the four normals are exact
    +-permutations of (cos theta, sin theta): a quarter turn then permutes patches bit-exactly.
    """
    c, s = np.cos(theta), np.sin(theta)
    return np.stack(
        [
            np.stack([c, s], -1),
            np.stack([-s, c], -1),
            np.stack([-c, -s], -1),
            np.stack([s, -c], -1),
        ],
        axis=1,
    )


@dataclass(frozen=True)
class TruncatedCube:
    """Cantellated cube lying {100}-up, reduced exactly to its mid-plane octagon.

    The section is :math:`|x|, |y| \\le a` and :math:`|x| + |y| \\le L(1 - t)` with
    :math:`a = L/2`: four {100} edges of length :math:`F_x = L(1 - 2t)` (normals
    :math:`\\pm x, \\pm y`, the patch facets) and four {110} bevels of length
    :math:`\\sqrt 2\\, t L`. For a cube also truncated by {111} planes
    :math:`|x|+|y|+|z| \\le d`, pass :math:`t = (L - \\min(c, d))/L`.

    Args:
        edge_length (float): Facet-to-facet width :math:`L` [length], > 0 (the model's length
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
        edge = _finite("edge_length", self.edge_length)
        if not edge > 0:
            raise ValueError(f"edge_length must be > 0, got {self.edge_length!r}")
        t = _finite("t", self.t)
        if not 0.0 <= t <= 0.5:
            raise ValueError(f"corner-cut fraction t must lie in [0, 0.5], got {self.t!r}")
        object.__setattr__(self, "edge_length", edge)
        object.__setattr__(self, "t", t)

    @classmethod
    def from_facet_fraction(cls, fx_over_l: float, edge_length: float = 1.0) -> TruncatedCube:
        """Build from the {100} edge fraction :math:`F_x/L = 1 - 2t`.

        Args:
            fx_over_l (float): :math:`F_x/L`, in [0, 1].
            edge_length (float): :math:`L` [length], > 0.

        Returns:
            TruncatedCube: Shape with :math:`t = (1 - F_x/L)/2`.
        """
        f = _finite("fx_over_l", fx_over_l)
        if not 0.0 <= f <= 1.0:
            raise ValueError(f"fx_over_l must lie in [0, 1], got {fx_over_l!r}")
        return cls(edge_length=edge_length, t=0.5 * (1.0 - f))

    # ---- sizes ----------------------------------------------------------------------------

    @property
    def half_width(self) -> float:
        """float: :math:`a = L/2`, centre-to-{100}-facet distance [length]."""
        return 0.5 * self.edge_length

    @property
    def bevel_distance(self) -> float:
        """float: :math:`c = L(1 - t)`; the bevels are :math:`|x| \\pm |y| = c` [length]."""
        return self.edge_length * (1.0 - self.t)

    @property
    def facet_length(self) -> float:
        """float: {100} edge length :math:`F_x = L(1 - 2t)` [length]."""
        return self.edge_length * (1.0 - 2.0 * self.t)

    @property
    def bevel_length(self) -> float:
        """float: {110} edge length :math:`\\sqrt 2\\, t L` [length]."""
        return math.sqrt(2.0) * self.t * self.edge_length

    @property
    def area(self) -> float:
        """float: Octagon area :math:`L^2 (1 - 2t^2)` [length^2]."""
        return self.edge_length**2 * (1.0 - 2.0 * self.t**2)

    @property
    def circumradius(self) -> float:
        """float: Largest centre-vertex distance :math:`\\sqrt{a^2 + (F_x/2)^2}` [length]."""
        return math.hypot(self.half_width, 0.5 * self.facet_length)

    @property
    def square_packing_fraction(self) -> float:
        """float: Area fraction of the square lattice of spacing L, :math:`1 - 2t^2`.

        This is ``phi_cp`` of ASSEMBLY_MODELS §3.1, the packing of facet-to-facet contact.
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
        """(2, 2) numpy.ndarray: Lattice vectors (rows) of the densest packing [length].

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
        """(V, 2) numpy.ndarray: Body-frame vertices, counter-clockwise, origin inside [length].

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
            r_ij ((M, 2) numpy.ndarray): :math:`r_j - r_i` [length].
            theta_i ((M,) numpy.ndarray): Orientation of i [rad] (or a scalar).
            theta_j ((M,) numpy.ndarray): Orientation of j [rad] (or a scalar).

        Returns:
            (M,) numpy.ndarray: Margin [length].
        """
        r, ti, tj = _pair_arrays(r_ij, theta_i, theta_j)
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
            r_ij ((M, 2) numpy.ndarray): :math:`r_j - r_i` [length].
            theta_i ((M,) numpy.ndarray): Orientation of i [rad] (or a scalar).
            theta_j ((M,) numpy.ndarray): Orientation of j [rad] (or a scalar).
            tol (float): Penetration depth, in units of L, up to which octagons count as
                touching rather than overlapping (>= 0; absorbs rounding at exact contact).

        Returns:
            (M,) numpy.ndarray: ``True`` where the interiors overlap by more than ``tol``.
        """
        tol = _finite("tol", tol)
        if tol < 0:
            raise ValueError(f"tol must be >= 0, got {tol!r}")
        return self.separation(r_ij, theta_i, theta_j) < -tol * self.edge_length


@dataclass(frozen=True)
class SquarePatches:
    """Parameters of the "facing-segment overlap" square-patch square well (§3.2).

    Patch :math:`k` of particle :math:`i` is the segment of half-length :math:`p = P_x/2`
    centred at :math:`c_{ik} = r_i + a\\,n_{ik}` (module docstring for :math:`n_{ik}`,
    :math:`t_{ik}`). Patches :math:`ik` and :math:`jl` are **bonded** iff all of

    1. facing: :math:`n_{ik}\\cdot n_{jl} \\le -\\cos\\theta_{max}`;
    2. gap: :math:`g_{ij} = (c_{jl} - c_{ik})\\cdot n_{ik}` and
       :math:`g_{ji} = (c_{ik} - c_{jl})\\cdot n_{jl}` both in
       :math:`[-\\tau L, \\delta L]` (closed);
    3. lateral overlap in both frames: with :math:`s_{ij} = (c_{jl} - c_{ik})\\cdot t_{ik}`,
       :math:`q = p\\,|n_{ik}\\cdot n_{jl}|` (:math:`= p\\,|t_{ik}\\cdot t_{jl}|`),
       :math:`O_{ij} = \\min(p, s_{ij} + q) - \\max(-p, s_{ij} - q) > 0` (strict), and the
       same for :math:`s_{ji} = (c_{ik} - c_{jl})\\cdot t_{jl}`.

    The pair energy sums over all 16 patch pairs :math:`(k, l)`: :math:`-\\varepsilon` per
    bonded pair (``mode="step"``, the paper's model), or
    :math:`-\\varepsilon (O_{ij} + O_{ji})/(2 P_x)` per bonded pair (``mode="overlap"``, a
    variant that favours exact alignment; **not the paper**).

    Args:
        px_over_fx (float): Patch size :math:`P_x/F_x`, in (0, 1].
        epsilon (float): Well depth per bonded patch pair :math:`\\varepsilon/kT`, >= 0.
        delta (float): Upper end of the gap window :math:`\\delta`, in units of L, in [0, 0.5].
        theta_max (float): Largest facet misalignment of a bond [rad], in (0, pi/4].
        gap_tolerance (float): :math:`\\tau`, how far below zero the gap window reaches, in
            units of L, in [0, 0.1]. Hard overlap already forbids real negative gaps; this only
            absorbs rounding at contact.
        mode (str): ``"step"`` or ``"overlap"`` (:data:`PATCH_MODES`).

    The bounds on ``delta`` and ``theta_max`` guarantee :math:`\\delta < \\cos^2(\\theta_{max}/2)`,
    which makes :meth:`max_bond_distance` a proven bound (see there).
    """

    px_over_fx: float
    epsilon: float
    delta: float = DEFAULT_DELTA
    theta_max: float = DEFAULT_THETA_MAX
    gap_tolerance: float = DEFAULT_GAP_TOLERANCE
    mode: str = "step"

    def __post_init__(self) -> None:
        px = _finite("px_over_fx", self.px_over_fx)
        if not 0.0 < px <= 1.0:
            raise ValueError(f"px_over_fx (patch size Px/Fx) must lie in (0, 1], got {px!r}")
        eps = _finite("epsilon", self.epsilon)
        if eps < 0:
            raise ValueError(f"epsilon (well depth in kT) must be >= 0, got {eps!r}")
        delta = _finite("delta", self.delta)
        if not 0.0 <= delta <= 0.5:
            raise ValueError(f"delta (gap range in units of L) must lie in [0, 0.5], got {delta!r}")
        theta = _finite("theta_max", self.theta_max)
        if not 0.0 < theta <= math.pi / 4:
            raise ValueError(
                f"theta_max must lie in (0, pi/4] radians (0 to 45 degrees), got {theta!r}"
            )
        tau = _finite("gap_tolerance", self.gap_tolerance)
        if not 0.0 <= tau <= 0.1:
            raise ValueError(f"gap_tolerance (units of L) must lie in [0, 0.1], got {tau!r}")
        if self.mode not in PATCH_MODES:
            raise ValueError(f"mode must be one of {PATCH_MODES}, got {self.mode!r}")
        for name, value in (
            ("px_over_fx", px),
            ("epsilon", eps),
            ("delta", delta),
            ("theta_max", theta),
            ("gap_tolerance", tau),
        ):
            object.__setattr__(self, name, value)

    @classmethod
    def from_degrees(
        cls, px_over_fx: float, epsilon: float, theta_max_deg: float = 15.0, **kw: Any
    ) -> SquarePatches:
        """Same as the constructor with ``theta_max`` in degrees."""
        return cls(px_over_fx, epsilon, theta_max=math.radians(theta_max_deg), **kw)

    def patch_size(self, shape: TruncatedCube) -> float:
        """Patch edge length :math:`P_x = (P_x/F_x)\\,F_x` [length]."""
        return self.px_over_fx * shape.facet_length

    def r_cut(self, shape: TruncatedCube) -> float:
        """Neighbour-list cutoff :math:`L\\sqrt 2 + \\delta L` [length] (§3.2).

        It bounds :meth:`max_bond_distance` (since :math:`P_x \\le F_x \\le L`), so the
        energy is exactly 0 for :math:`|r_{ij}| \\ge r_{cut}`.
        """
        return shape.edge_length * (math.sqrt(2.0) + self.delta)

    def max_bond_distance(self, shape: TruncatedCube) -> float:
        """Proven bound :math:`\\sqrt{(L + \\delta L)^2 + P_x^2}` on :math:`|r_{ij}|` of a bond.

        Proof: let :math:`\\phi` be the misalignment (:math:`n_{jl} = -R(\\phi) n_{ik}`,
        :math:`|\\phi| \\le \\theta_{max}`), :math:`d = c_{jl} - c_{ik}` and :math:`b, w` the
        unit bisectors :math:`R(\\phi/2) n_{ik}, R(\\phi/2) t_{ik}`. Then
        :math:`r_{ij} = d + L\\cos(\\phi/2)\\, b`; the gaps give
        :math:`d\\cdot b = (g_{ij} + g_{ji})/(2\\cos(\\phi/2)) \\le \\delta L/\\cos(\\phi/2)`
        and the lateral overlaps :math:`|s| < p(1 + \\cos\\phi)` give
        :math:`|d\\cdot w| < P_x\\cos(\\phi/2)`. With :math:`u = \\cos(\\phi/2)`,
        :math:`|r|^2 < (\\delta L/u + L u)^2 + P_x^2 u^2`, increasing in u when
        :math:`\\delta < u^2`, hence largest at :math:`\\phi = 0`. The parameter bounds ensure
        :math:`\\delta \\le 0.5 < \\cos^2(22.5°)`.

        Returns:
            float: The bound [length]; bonds have :math:`|r_{ij}|` strictly below it.
        """
        return math.hypot(shape.edge_length * (1.0 + self.delta), self.patch_size(shape))

    def absolute_parameters(self, shape: TruncatedCube) -> dict[str, float | str]:
        """The rule in absolute lengths: what a compiled component needs per type.

        Returns:
            dict: ``half_width`` a, ``half_patch`` p, ``gap_min`` :math:`-\\tau L`, ``gap_max``
            :math:`\\delta L`, ``cos_theta_max``, ``epsilon`` (kT, positive depth),
            ``r_cut``, ``mode``.
        """
        return {
            "half_width": shape.half_width,
            "half_patch": 0.5 * self.patch_size(shape),
            "gap_min": -self.gap_tolerance * shape.edge_length,
            "gap_max": self.delta * shape.edge_length,
            "cos_theta_max": math.cos(self.theta_max),
            "epsilon": self.epsilon,
            "r_cut": self.r_cut(shape),
            "mode": self.mode,
        }

    def kern_frenkel_parameters(
        self, shape: TruncatedCube, step_r: float | None = None
    ) -> dict[str, Any]:
        """Kern-Frenkel stand-in for HOOMD ``hpmc.pair.AngularStep(Step)``. NOT the exact rule.

        Patch cone half-angle :math:`\\theta_p = \\arctan(P_x/L) =
        \\arctan((P_x/F_x)(1 - 2t))` about the directors :math:`e_k`, well :math:`-\\varepsilon`
        for :math:`|r_{ij}| <` ``step_r``. It ignores rule 1 (relative rotation) and, like
        HOOMD's ``AngularStep``, counts at most one bond per particle pair (boolean OR, not a
        sum). See :func:`kern_frenkel_energy`.

        Warning:
            The default range :math:`L(1 + \\delta)` of ASSEMBLY_MODELS §3.2 is a centre-centre
            distance, so it also cuts the *lateral* offset: aligned facing particles at gap g
            bond only for :math:`|s| < \\sqrt{L^2(1+\\delta)^2 - (L+g)^2}` (0.32 L at g = 0.05 L)
            instead of :math:`|s| < P_x`, and the brick bond (:math:`s = L/2`) never forms.
            ``step_r = self.max_bond_distance(shape)`` keeps every aligned bond of the exact
            rule, at the price of extra bonds at gaps up to about
            :math:`\\delta L + P_x^2/2L`.

        Args:
            shape (TruncatedCube): Particle shape.
            step_r (float): Range of the isotropic ``Step`` [length]; default
                :math:`L(1 + \\delta)`.

        Returns:
            dict: ``directors`` (4 tuples, 3D, body frame), ``deltas`` (4 half-angles [rad],
            HOOMD ``mask`` key), ``theta_p`` [rad], ``step_r`` (list, the ``Step`` ``r``)
            [length], ``step_epsilon`` (list, ``Step`` ``epsilon`` = :math:`-\\varepsilon/kT`).
        """
        if step_r is None:
            step_r = shape.edge_length * (1.0 + self.delta)
        step_r = _finite("step_r", step_r)
        if not step_r > 0:
            raise ValueError(f"step_r must be > 0, got {step_r!r}")
        theta_p = math.atan(self.patch_size(shape) / shape.edge_length)
        return {
            "directors": [(float(x), float(y), 0.0) for x, y in PATCH_DIRECTIONS],
            "deltas": [theta_p] * 4,
            "theta_p": theta_p,
            "step_r": [step_r],
            "step_epsilon": [-self.epsilon],
        }


def _bond_blocks(rule: SquarePatches, shape: TruncatedCube, r, ti, tj):
    """Yield ``(slice, bonded (m,4,4), mean lateral overlap (m,4,4))`` block by block."""
    a = shape.half_width
    p = 0.5 * rule.patch_size(shape)
    gap_min = -rule.gap_tolerance * shape.edge_length
    gap_max = rule.delta * shape.edge_length
    cos_max = math.cos(rule.theta_max)
    for s in range(0, len(r), _CHUNK):
        sl = slice(s, s + _CHUNK)
        n_i = _patch_frames(ti[sl])[:, :, None, :]  # (m, 4, 1, 2): patch k of i
        n_j = _patch_frames(tj[sl])[:, None, :, :]  # (m, 1, 4, 2): patch l of j
        t_i = np.stack([-n_i[..., 1], n_i[..., 0]], axis=-1)  # z x n
        t_j = np.stack([-n_j[..., 1], n_j[..., 0]], axis=-1)
        # d = c_jl - c_ik = r_ij + a (n_jl - n_ik), shape (m, 4, 4, 2).
        d = r[sl, None, None, :] + a * (n_j - n_i)
        cos_nn = np.sum(n_i * n_j, axis=-1)
        g_ij = np.sum(d * n_i, axis=-1)
        g_ji = -np.sum(d * n_j, axis=-1)
        s_ij = np.sum(d * t_i, axis=-1)
        s_ji = -np.sum(d * t_j, axis=-1)
        q = p * np.abs(cos_nn)
        o_ij = np.minimum(p, s_ij + q) - np.maximum(-p, s_ij - q)
        o_ji = np.minimum(p, s_ji + q) - np.maximum(-p, s_ji - q)
        bonded = (
            (cos_nn <= -cos_max)
            & (g_ij >= gap_min)
            & (g_ij <= gap_max)
            & (g_ji >= gap_min)
            & (g_ji <= gap_max)
            & (o_ij > 0)
            & (o_ji > 0)
        )
        yield sl, bonded, 0.5 * (o_ij + o_ji)


def patch_bonds(
    rule: SquarePatches, shape: TruncatedCube, r_ij: Any, theta_i: Any, theta_j: Any
) -> np.ndarray:
    """Which patch pairs are bonded (rules 1-3 of :class:`SquarePatches`).

    Args:
        rule (SquarePatches): Patch parameters.
        shape (TruncatedCube): Particle shape (both particles).
        r_ij ((M, 2) numpy.ndarray): :math:`r_j - r_i` [length] (also (2,), or (M, 3) with
            z = 0).
        theta_i ((M,) numpy.ndarray): Orientation of i [rad] (or a scalar).
        theta_j ((M,) numpy.ndarray): Orientation of j [rad] (or a scalar).

    Returns:
        (M, 4, 4) numpy.ndarray: ``bonds[m, k, l]`` is ``True`` when patch k of i and patch l of
        j are bonded. Exchange symmetry: swapping i and j (and r -> -r) transposes (k, l).
    """
    r, ti, tj = _pair_arrays(r_ij, theta_i, theta_j)
    out = np.zeros((len(r), 4, 4), dtype=bool)
    for sl, bonded, _ in _bond_blocks(rule, shape, r, ti, tj):
        out[sl] = bonded
    return out


def num_patch_bonds(
    rule: SquarePatches, shape: TruncatedCube, r_ij: Any, theta_i: Any, theta_j: Any
) -> np.ndarray:
    """Number of bonded patch pairs per particle pair (arguments as :func:`patch_bonds`).

    Returns:
        (M,) numpy.ndarray: Integer counts (0 or 1 for non-overlapping octagons in practice).
    """
    return patch_bonds(rule, shape, r_ij, theta_i, theta_j).sum(axis=(1, 2))


def patch_energy(
    rule: SquarePatches, shape: TruncatedCube, r_ij: Any, theta_i: Any, theta_j: Any
) -> np.ndarray:
    """Reference square-patch pair energy (§3.2), vectorised over pairs.

    :math:`U_{ij} = -\\varepsilon \\sum_{k,l} B_{ij}^{kl}` with :math:`B` from
    :func:`patch_bonds` (``mode="step"``), or weighted by :math:`(O_{ij}+O_{ji})/(2P_x)`
    (``mode="overlap"``). Exactly 0 for :math:`|r_{ij}| \\ge` ``rule.r_cut(shape)``.
    Symmetric under :math:`i \\leftrightarrow j,\\ r \\to -r`, invariant under global rotation and
    translation and under :math:`\\theta \\to \\theta + \\pi/2` of either particle. Hard overlap
    is not tested.

    Args:
        rule (SquarePatches): Patch parameters.
        shape (TruncatedCube): Particle shape (both particles).
        r_ij ((M, 2) numpy.ndarray): :math:`r_j - r_i` [length] (also (2,), or (M, 3) with
            z = 0).
        theta_i ((M,) numpy.ndarray): Orientation of i [rad], from +x, counter-clockwise.
        theta_j ((M,) numpy.ndarray): Orientation of j [rad].

    Returns:
        (M,) numpy.ndarray: Energies [kT] (<= 0).
    """
    r, ti, tj = _pair_arrays(r_ij, theta_i, theta_j)
    out = np.zeros(len(r))
    px = rule.patch_size(shape)
    for sl, bonded, overlap in _bond_blocks(rule, shape, r, ti, tj):
        weight = bonded.astype(float) if rule.mode == "step" else np.where(bonded, overlap / px, 0)
        # 0.0 - x keeps unbonded pairs at +0.0 rather than -0.0.
        out[sl] = 0.0 - rule.epsilon * weight.sum(axis=(1, 2))
    return out


def kern_frenkel_energy(
    rule: SquarePatches,
    shape: TruncatedCube,
    r_ij: Any,
    theta_i: Any,
    theta_j: Any,
    step_r: float | None = None,
) -> np.ndarray:
    """Energy of the Kern-Frenkel stand-in, as HOOMD ``AngularStep(Step)`` evaluates it.

    :math:`-\\varepsilon` if :math:`|r_{ij}| <` ``step_r`` and some patch pair has
    :math:`n_{ik}\\cdot\\hat r_{ij} \\ge \\cos\\theta_p` and
    :math:`n_{jl}\\cdot\\hat r_{ji} \\ge \\cos\\theta_p`; else 0
    (:meth:`SquarePatches.kern_frenkel_parameters`, whose warning applies). Not equal to
    :func:`patch_energy`.

    Args:
        rule (SquarePatches): Patch parameters.
        shape (TruncatedCube): Particle shape.
        r_ij ((M, 2) numpy.ndarray): :math:`r_j - r_i` [length].
        theta_i ((M,) numpy.ndarray): Orientation of i [rad].
        theta_j ((M,) numpy.ndarray): Orientation of j [rad].
        step_r (float): Range of the isotropic step [length]; default :math:`L(1 + \\delta)`.

    Returns:
        (M,) numpy.ndarray: Energies [kT].
    """
    r, ti, tj = _pair_arrays(r_ij, theta_i, theta_j)
    kf = rule.kern_frenkel_parameters(shape, step_r)
    dist = np.hypot(r[:, 0], r[:, 1])
    rhat = r / np.where(dist > 0, dist, 1.0)[:, None]
    cos_p = math.cos(kf["theta_p"])
    in_i = np.any(np.einsum("mkx,mx->mk", _patch_frames(ti), rhat) >= cos_p, axis=1)
    in_j = np.any(np.einsum("mkx,mx->mk", _patch_frames(tj), -rhat) >= cos_p, axis=1)
    bonded = (dist < kf["step_r"][0]) & (dist > 0) & in_i & in_j
    return np.where(bonded, 0.0 - rule.epsilon, 0.0)
