"""From a patchy-cube state point to an HPMC run, and from a run to its order history.

The patchy-cube study (``projects/patchy_cubes``, seed paper 004) keeps its operations thin:
they call these functions, which need no HOOMD (the Monte Carlo itself is
:class:`hoomd_rigidfield.hoomd.patchy.PatchyMonolayerRun`).

A state point holds ``t`` (corner-cut fraction of the octagon), ``px_over_fx`` (patch size),
``beta_epsilon`` (bond depth :math:`\\varepsilon/kT`), ``area_fraction`` (target),
``n_particles``, the stage lengths in sweeps (``anneal_sweeps``, ``production_sweeps``,
``max_compress_sweeps``), ``frame_sweeps`` and a ``replica`` number that seeds the random numbers.
One timestep is one sweep (``nselect = 1``: N trial moves).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import freud
import gsd.hoomd
import numpy as np

from hoomd_rigidfield.monolayer import MonolayerOrder
from hoomd_rigidfield.patchy import (
    SquarePatches,
    TruncatedCube,
    angle_to_quaternion,
    num_patch_bonds,
    quaternion_to_angle,
)

#: Area fraction of the random start (dilute; the octagons are then compressed).
INITIAL_AREA_FRACTION = 0.3
#: Densest random start accepted by :func:`random_monolayer`.
MAX_RANDOM_AREA_FRACTION = 0.4
#: Trajectory log key of the bond depth set by the anneal.
LOG_EPSILON = "hoomd_rigidfield/hoomd/patchy/PatchAnneal/epsilon"


@dataclass(frozen=True)
class AnnealSchedule:
    """Geometric ramp of :math:`\\varepsilon/kT` after compression, then constant.

    Args:
        epsilon (float): Final :math:`\\varepsilon/kT` (>= 0).
        anneal_sweeps (int): Length of the ramp [sweeps] (>= 0).
        start (float): :math:`\\varepsilon/kT` at the start of the ramp (> 0); the ramp
            multiplies it by a constant factor each sweep up to ``epsilon``.
    """

    epsilon: float
    anneal_sweeps: int
    start: float = 0.5

    def __post_init__(self) -> None:
        if not (np.isfinite(self.epsilon) and self.epsilon >= 0):
            raise ValueError(f"epsilon must be finite and >= 0 (kT), got {self.epsilon!r}")
        sweeps = float(self.anneal_sweeps)
        if not (np.isfinite(sweeps) and sweeps.is_integer() and sweeps >= 0):
            raise ValueError(
                f"anneal_sweeps must be a non-negative integer, got {self.anneal_sweeps!r}"
            )
        if not self.start > 0:
            raise ValueError(f"start must be positive (kT), got {self.start!r}")

    def __call__(self, sweeps_since_compression: int | np.ndarray) -> float | np.ndarray:
        """:math:`\\varepsilon/kT` a number of sweeps after the compression ended."""
        x = np.asarray(sweeps_since_compression, dtype=float)
        if self.epsilon == 0 or self.start >= self.epsilon or self.anneal_sweeps == 0:
            return np.full_like(x, self.epsilon) if x.ndim else float(self.epsilon)
        frac = np.clip(x / self.anneal_sweeps, 0.0, 1.0)  # before the ramp: start
        value = self.start * (self.epsilon / self.start) ** frac
        return value if x.ndim else float(value)


def shape(sp: Mapping[str, Any]) -> TruncatedCube:
    """The octagon of a state point (edge length 1)."""
    return TruncatedCube(1.0, float(sp["t"]))


def rule(sp: Mapping[str, Any]) -> SquarePatches:
    """The square-patch rule of a state point."""
    return SquarePatches(float(sp["px_over_fx"]), float(sp["beta_epsilon"]))


def anneal(sp: Mapping[str, Any]) -> AnnealSchedule:
    """The anneal of a state point (start at min(0.5, target))."""
    eps = float(sp["beta_epsilon"])
    return AnnealSchedule(eps, int(sp["anneal_sweeps"]), start=min(0.5, eps) or 0.5)


def random_monolayer(
    octagon: TruncatedCube, n: int, area_fraction: float, rng: np.random.Generator
) -> gsd.hoomd.Frame:
    """A dilute random monolayer of octagons in a square periodic 2D box.

    Random sequential addition: uniformly random positions and orientations, each kept only if
    the octagon overlaps none placed before it (exact separating-axis test,
    :meth:`~hoomd_rigidfield.patchy.TruncatedCube.overlaps`). Unlike a jittered grid this
    carries no positional order into the run (a filled square grid would start the square
    phase).

    Args:
        octagon (TruncatedCube): The shape.
        n (int): Number of particles (>= 1).
        area_fraction (float): Area fraction of the box, in (0, 0.4] (random sequential
            addition of octagons slows down sharply above ~0.45).
        rng (numpy.random.Generator): Random numbers.

    Returns:
        gsd.hoomd.Frame: 2D frame (type ``"A"``, quaternions about z, ``type_shapes``).
    """
    if int(n) != n or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    if not 0 < area_fraction <= MAX_RANDOM_AREA_FRACTION:
        raise ValueError(
            f"area_fraction must lie in (0, {MAX_RANDOM_AREA_FRACTION}] for a random start, "
            f"got {area_fraction!r}"
        )
    n = int(n)
    side = float(np.sqrt(n * octagon.area / area_fraction))
    reach = 2 * octagon.circumradius
    pos, theta = np.empty((n, 2)), np.empty(n)
    placed, attempts = 0, 0
    while placed < n:
        attempts += 1
        if attempts > 1000 * n:
            raise RuntimeError(f"random sequential addition stalled at {placed} of {n} particles")
        p = rng.uniform(-side / 2, side / 2, 2)
        t = rng.uniform(-np.pi / 4, np.pi / 4)  # the octagon has 4-fold symmetry
        d = pos[:placed] - p
        d -= side * np.round(d / side)
        near = np.flatnonzero(np.einsum("ij,ij->i", d, d) < reach * reach)
        if len(near) and np.any(octagon.overlaps(d[near], t, theta[near])):
            continue
        pos[placed], theta[placed] = p, t
        placed += 1
    frame = gsd.hoomd.Frame()
    frame.configuration.box = [side, side, 0, 0, 0, 0]
    frame.configuration.dimensions = 2
    frame.particles.N = n
    frame.particles.types = ["A"]
    frame.particles.typeid = np.zeros(n, dtype=np.uint32)
    frame.particles.position = np.column_stack([pos, np.zeros(n)]).astype(np.float32)
    frame.particles.orientation = angle_to_quaternion(theta).astype(np.float32)
    frame.particles.type_shapes = [octagon.gsd_shape_spec]
    return frame


def bonds_per_particle(
    frame: gsd.hoomd.Frame, octagon: TruncatedCube, patches: SquarePatches
) -> float:
    """Mean number of patch bonds per particle (4 in a square lattice, 6 in a brick lattice).

    Args:
        frame (gsd.hoomd.Frame): Configuration (2D, quaternions about z).
        octagon (TruncatedCube): Shape.
        patches (SquarePatches): Patch rule.

    Returns:
        float: :math:`2 N_{bonds}/N`.
    """
    box = freud.box.Box.from_box(frame.configuration.box, dimensions=2)
    pos = np.asarray(frame.particles.position, dtype=float)
    pos[:, 2] = 0.0
    nlist = (
        freud.locality.AABBQuery(box, pos)
        .query(pos, {"r_max": patches.r_cut(octagon), "exclude_ii": True})
        .toNeighborList()
    )
    i, j = np.asarray(nlist.query_point_indices), np.asarray(nlist.point_indices)
    keep = i < j
    i, j = i[keep], j[keep]
    theta = quaternion_to_angle(np.asarray(frame.particles.orientation, dtype=float))
    r_ij = box.wrap(pos[j] - pos[i])[:, :2]
    bonds = num_patch_bonds(patches, octagon, r_ij, theta[i], theta[j]) if len(i) else []
    return 2.0 * float(np.sum(bonds)) / len(pos)


def order_history(
    path: str | os.PathLike, sp: Mapping[str, Any], *, progress: bool = False
) -> dict[str, np.ndarray]:
    """Per-frame 2D order of a patchy-monolayer trajectory.

    Returns:
        dict[str, numpy.ndarray]: ``sweep``, ``area_fraction``, ``epsilon``, ``psi4``,
        ``psi6`` (mean local |psi_k|), fractions ``square``, ``hexagonal``, ``disordered``,
        ``bonds`` (patch bonds per particle), ``orientational_order`` (<cos 4 dtheta>) and
        ``nn_distance`` (mean nearest-neighbour distance [L]).
    """
    from tqdm.auto import tqdm

    octagon, patches = shape(sp), rule(sp)
    order = MonolayerOrder()
    rows: dict[str, list] = {
        k: []
        for k in (
            "sweep", "area_fraction", "epsilon", "psi4", "psi6", "square", "hexagonal",
            "disordered", "bonds", "orientational_order", "nn_distance",
        )
    }  # fmt: skip
    with gsd.hoomd.open(path, "r") as traj:
        for frame in tqdm(traj, disable=not progress, desc="2D order"):
            box = frame.configuration.box
            order.compute(frame, orientations=frame.particles.orientation)
            rows["sweep"].append(int(frame.configuration.step))
            rows["area_fraction"].append(frame.particles.N * octagon.area / (box[0] * box[1]))
            rows["epsilon"].append(float(frame.log.get(LOG_EPSILON, [np.nan])[0]))
            rows["psi4"].append(float(np.mean(order.local_psi4)))
            rows["psi6"].append(float(np.mean(order.local_psi6)))
            for name, value in order.fractions.items():
                rows[name].append(value)
            rows["bonds"].append(bonds_per_particle(frame, octagon, patches))
            rows["orientational_order"].append(float(np.mean(order.orientational_order)))
            rows["nn_distance"].append(float(np.mean(order.nearest_neighbor_distances)))
    return {k: np.asarray(v) for k, v in rows.items()}
