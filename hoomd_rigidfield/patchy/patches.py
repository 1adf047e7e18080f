"""The square-patch rule of the patchy truncated cubes :cite:`patchy_cubes_seed004` (Model C).

One square :math:`P_x \\times P_x` patch sits at the centre of each of the four vertical {100}
facets of a :class:`~hoomd_rigidfield.patchy.shape.TruncatedCube`; :class:`SquarePatches` holds the
rule's parameters and :func:`patch_energy` is the vectorised *reference* of the "facing-segment
overlap" square well. The compiled HOOMD component is tested against it, so the conventions are
fixed here:

* angles in radians; :math:`\\theta` is the in-plane rotation of the body frame, measured
  counter-clockwise from :math:`+x` (HOOMD quaternion :math:`(\\cos\\theta/2, 0, 0,
  \\sin\\theta/2)`, :func:`~hoomd_rigidfield.orientation.angle_to_quaternion`);
* patch :math:`k = 0, 1, 2, 3` has outward normal :math:`n_{ik} = R(\\theta_i)\\,e_k` with
  :math:`e_k = +x, +y, -x, -y` (:data:`PATCH_DIRECTIONS`) and tangent
  :math:`t_{ik} = \\hat z \\times n_{ik}`;
* :math:`r_{ij} = r_j - r_i` (HOOMD's pair convention);
* energies in :math:`[k_BT]` (HOOMD v4.8 HPMC has :math:`\\beta = 1`).

The rule does not test hard overlap; the integrator does. Everything here is plain NumPy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from hoomd_rigidfield.patchy.shape import TruncatedCube, finite_scalar, pair_arrays

#: Default largest facet misalignment of a bond, 15 degrees (in radians).
DEFAULT_THETA_MAX = math.radians(15.0)
#: Default upper end of the gap window, in units of L [our proposal: the seed paper does not give it].
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
class SquarePatches:
    """Parameters of the "facing-segment overlap" square-patch square well.

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
        px = finite_scalar("px_over_fx", self.px_over_fx)
        if not 0.0 < px <= 1.0:
            raise ValueError(f"px_over_fx (patch size Px/Fx) must lie in (0, 1], got {px!r}")
        eps = finite_scalar("epsilon", self.epsilon)
        if eps < 0:
            raise ValueError(f"epsilon (well depth in kT) must be >= 0, got {eps!r}")
        delta = finite_scalar("delta", self.delta)
        if not 0.0 <= delta <= 0.5:
            raise ValueError(f"delta (gap range in units of L) must lie in [0, 0.5], got {delta!r}")
        theta = finite_scalar("theta_max", self.theta_max)
        if not 0.0 < theta <= math.pi / 4:
            raise ValueError(
                f"theta_max must lie in (0, pi/4] radians (0 to 45 degrees), got {theta!r}"
            )
        tau = finite_scalar("gap_tolerance", self.gap_tolerance)
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
        """Same as the constructor with ``theta_max`` in degrees.

        Args:
            px_over_fx (float): Patch size :math:`P_x/F_x`, in (0, 1].
            epsilon (float): Well depth per bonded patch pair :math:`\\varepsilon/kT`, >= 0.
            theta_max_deg (float): Largest facet misalignment of a bond [deg], in (0, 45].
            **kw: Other fields (``delta``, ``gap_tolerance``, ``mode``).

        Returns:
            SquarePatches: The rule.
        """
        return cls(px_over_fx, epsilon, theta_max=math.radians(theta_max_deg), **kw)

    def patch_size(self, shape: TruncatedCube) -> float:
        """Patch edge length :math:`P_x = (P_x/F_x)\\,F_x` :math:`[\\mathrm{length}]`.

        Args:
            shape (TruncatedCube): Particle shape.

        Returns:
            float: :math:`P_x` :math:`[\\mathrm{length}]`.
        """
        return self.px_over_fx * shape.facet_length

    def r_cut(self, shape: TruncatedCube) -> float:
        """Neighbour-list cutoff :math:`L\\sqrt 2 + \\delta L` :math:`[\\mathrm{length}]`.

        It bounds :meth:`max_bond_distance` (since :math:`P_x \\le F_x \\le L`), so the
        energy is exactly 0 for :math:`|r_{ij}| \\ge r_{cut}`.

        Args:
            shape (TruncatedCube): Particle shape.

        Returns:
            float: :math:`r_{cut}` :math:`[\\mathrm{length}]`.
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

        Args:
            shape (TruncatedCube): Particle shape.

        Returns:
            float: The bound :math:`[\\mathrm{length}]`; bonds have :math:`|r_{ij}|` strictly below it.
        """
        return math.hypot(shape.edge_length * (1.0 + self.delta), self.patch_size(shape))

    def absolute_parameters(self, shape: TruncatedCube) -> dict[str, float | str]:
        """The rule in absolute lengths: what a compiled component needs per type.

        Args:
            shape (TruncatedCube): Particle shape.

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
        r_ij ((M, 2) numpy.ndarray): :math:`r_j - r_i` :math:`[\\mathrm{length}]` (also (2,), or (M, 3) with
            z = 0).
        theta_i ((M,) numpy.ndarray): Orientation of i [rad] (or a scalar).
        theta_j ((M,) numpy.ndarray): Orientation of j [rad] (or a scalar).

    Returns:
        (M, 4, 4) numpy.ndarray: ``bonds[m, k, l]`` is ``True`` when patch k of i and patch l of
        j are bonded. Exchange symmetry: swapping i and j (and r -> -r) transposes (k, l).
    """
    r, ti, tj = pair_arrays(r_ij, theta_i, theta_j)
    out = np.zeros((len(r), 4, 4), dtype=bool)
    for sl, bonded, _ in _bond_blocks(rule, shape, r, ti, tj):
        out[sl] = bonded
    return out


def num_patch_bonds(
    rule: SquarePatches, shape: TruncatedCube, r_ij: Any, theta_i: Any, theta_j: Any
) -> np.ndarray:
    """Number of bonded patch pairs per particle pair (arguments as :func:`patch_bonds`).

    Args:
        rule (SquarePatches): Patch parameters.
        shape (TruncatedCube): Particle shape (both particles).
        r_ij ((M, 2) numpy.ndarray): :math:`r_j - r_i` :math:`[\\mathrm{length}]` (also (2,),
            or (M, 3) with z = 0).
        theta_i ((M,) numpy.ndarray): Orientation of i [rad] (or a scalar).
        theta_j ((M,) numpy.ndarray): Orientation of j [rad] (or a scalar).

    Returns:
        (M,) numpy.ndarray: Integer counts (0 or 1 for non-overlapping octagons in practice).
    """
    return patch_bonds(rule, shape, r_ij, theta_i, theta_j).sum(axis=(1, 2))


def patch_energy(
    rule: SquarePatches, shape: TruncatedCube, r_ij: Any, theta_i: Any, theta_j: Any
) -> np.ndarray:
    """Reference square-patch pair energy, vectorised over pairs.

    :math:`U_{ij} = -\\varepsilon \\sum_{k,l} B_{ij}^{kl}` with :math:`B` from
    :func:`patch_bonds` (``mode="step"``), or weighted by :math:`(O_{ij}+O_{ji})/(2P_x)`
    (``mode="overlap"``). Exactly 0 for :math:`|r_{ij}| \\ge` ``rule.r_cut(shape)``.
    Symmetric under :math:`i \\leftrightarrow j,\\ r \\to -r`, invariant under global rotation and
    translation and under :math:`\\theta \\to \\theta + \\pi/2` of either particle. Hard overlap
    is not tested.

    Args:
        rule (SquarePatches): Patch parameters.
        shape (TruncatedCube): Particle shape (both particles).
        r_ij ((M, 2) numpy.ndarray): :math:`r_j - r_i` :math:`[\\mathrm{length}]` (also (2,), or (M, 3) with
            z = 0).
        theta_i ((M,) numpy.ndarray): Orientation of i [rad], from +x, counter-clockwise.
        theta_j ((M,) numpy.ndarray): Orientation of j [rad].

    Returns:
        (M,) numpy.ndarray: Energies :math:`[k_BT]` (<= 0).
    """
    r, ti, tj = pair_arrays(r_ij, theta_i, theta_j)
    out = np.zeros(len(r))
    px = rule.patch_size(shape)
    for sl, bonded, overlap in _bond_blocks(rule, shape, r, ti, tj):
        weight = bonded.astype(float) if rule.mode == "step" else np.where(bonded, overlap / px, 0)
        # 0.0 - x keeps unbonded pairs at +0.0 rather than -0.0.
        out[sl] = 0.0 - rule.epsilon * weight.sum(axis=(1, 2))
    return out
