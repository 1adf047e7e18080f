"""From a patchy-cube state point to an HPMC run, and from a run to its order history.

The patchy-cube study (``projects/patchy_cubes``, :cite:`patchy_cubes_seed004`) keeps its operations thin:
they call these functions, which need no HOOMD (the Monte Carlo itself is
:class:`hoomd_rigidfield.patchy.hpmc.PatchyMonolayerRun`).

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

from hoomd_rigidfield.analysis.monolayer import MonolayerOrder
from hoomd_rigidfield.gsdfiles import open_trajectory, with_particle_properties
from hoomd_rigidfield.orientation import angle_to_quaternion, quaternion_to_angle
from hoomd_rigidfield.patchy.anneal import LOG_EPSILON, AnnealSchedule
from hoomd_rigidfield.patchy.patches import SquarePatches, num_patch_bonds
from hoomd_rigidfield.patchy.shape import TruncatedCube

#: Area fraction of the random start (dilute; the octagons are then compressed).
INITIAL_AREA_FRACTION = 0.3
#: Densest random start accepted by :func:`random_monolayer`.
MAX_RANDOM_AREA_FRACTION = 0.4


def shape(sp: Mapping[str, Any]) -> TruncatedCube:
    """The octagon of a state point (edge length 1).

    Args:
        sp (Mapping): State point (``t``).

    Returns:
        TruncatedCube: The shape.
    """
    return TruncatedCube(1.0, float(sp["t"]))


def rule(sp: Mapping[str, Any]) -> SquarePatches:
    """The square-patch rule of a state point.

    Args:
        sp (Mapping): State point (``px_over_fx``, ``beta_epsilon``).

    Returns:
        SquarePatches: The rule (other parameters at their defaults).
    """
    return SquarePatches(float(sp["px_over_fx"]), float(sp["beta_epsilon"]))


def anneal(sp: Mapping[str, Any]) -> AnnealSchedule:
    """The anneal of a state point (start at min(0.5, target)).

    Args:
        sp (Mapping): State point (``beta_epsilon``, ``anneal_sweeps``).

    Returns:
        AnnealSchedule: The schedule (start 0.5 for a target of 0).
    """
    eps = float(sp["beta_epsilon"])
    return AnnealSchedule(eps, int(sp["anneal_sweeps"]), start=min(0.5, eps) or 0.5)


def random_monolayer(
    octagon: TruncatedCube, n: int, area_fraction: float, rng: np.random.Generator
) -> gsd.hoomd.Frame:
    """A dilute random monolayer of octagons in a square periodic 2D box.

    Random sequential addition: uniformly random positions and orientations, each kept only if
    the octagon overlaps none placed before it (exact separating-axis test,
    :meth:`~hoomd_rigidfield.patchy.patches.TruncatedCube.overlaps`). Unlike a jittered grid this
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

    Args:
        path (str | os.PathLike): ``trajectory.gsd`` of the run.
        sp (Mapping): Its state point (``t``, ``px_over_fx``, ``beta_epsilon``: shape and rule).
        progress (bool): Show a progress bar.

    Returns:
        dict[str, numpy.ndarray]: ``sweep``, ``area_fraction``, ``epsilon``, ``psi4``,
        ``psi6`` (mean local |psi_k|), fractions ``square``, ``hexagonal``, ``disordered``,
        ``bonds`` (patch bonds per particle), ``orientational_order`` (<cos 4 dtheta>) and
        ``nn_distance`` (mean nearest-neighbour distance :math:`[L]`).
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
    with open_trajectory(path, "patchy-monolayer trajectory") as traj:
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


def ordered_frame(frame: gsd.hoomd.Frame) -> gsd.hoomd.Frame:
    """``frame`` with each octagon's 2D order, for OVITO (colour by ``rigidfield_phase``).

    Args:
        frame (gsd.hoomd.Frame): A monolayer frame.

    Returns:
        gsd.hoomd.Frame: The frame with ``log/particles/rigidfield/`` ``psi4`` and ``psi6``
        (neighbour-averaged :math:`|\\bar\\psi_4|`, :math:`|\\bar\\psi_6|`, the classification
        inputs) and ``phase`` (index into ``("disordered", "square", "hexagonal")``).
    """
    order = MonolayerOrder().compute(frame, orientations=frame.particles.orientation)
    return with_particle_properties(
        frame,
        psi4=np.abs(order.local_psi4),
        psi6=np.abs(order.local_psi6),
        phase=np.asarray(order.phase_code, dtype=np.int32),
    )


@dataclass(frozen=True)
class PatchyStudy:
    """The inputs of one patchy-cube state point (built by :func:`from_statepoint`).

    Args:
        statepoint (Mapping): The state point it was parsed from.
        shape (TruncatedCube): The octagon.
        rule (SquarePatches): The patch rule (its epsilon is the anneal's target).
        anneal (AnnealSchedule): Bond depth after compression.
    """

    statepoint: Mapping[str, Any]
    shape: TruncatedCube
    rule: SquarePatches
    anneal: AnnealSchedule

    def initial_frame(self) -> gsd.hoomd.Frame:
        """The dilute random start (:data:`INITIAL_AREA_FRACTION`), seeded by the replica.

        Returns:
            gsd.hoomd.Frame: The monolayer.
        """
        sp = self.statepoint
        return random_monolayer(
            self.shape,
            sp["n_particles"],
            INITIAL_AREA_FRACTION,
            np.random.default_rng(sp["replica"]),
        )

    def run_arguments(self) -> dict[str, Any]:
        """Keyword arguments of :class:`~hoomd_rigidfield.patchy.hpmc.PatchyMonolayerRun`.

        Returns:
            dict: All but the directory; a checkpoint every 10 frames.
        """
        sp = self.statepoint
        return {
            "octagon": self.shape,
            "patches": self.rule,
            "area_fraction": sp["area_fraction"],
            "anneal": self.anneal,
            "production_sweeps": sp["production_sweeps"],
            "seed": sp["replica"],
            "frame_period": sp["frame_sweeps"],
            "checkpoint_period": 10 * sp["frame_sweeps"],
        }


def from_statepoint(sp: Mapping[str, Any]) -> PatchyStudy:
    """Parse a patchy-cube state point once: shape, patch rule and anneal.

    Args:
        sp: State point (``t``, ``px_over_fx``, ``beta_epsilon``, ``anneal_sweeps``, and for a
            run ``n_particles``, ``replica``, ``area_fraction``, ``production_sweeps``,
            ``frame_sweeps``).

    Returns:
        PatchyStudy: The inputs.
    """
    return PatchyStudy(sp, shape(sp), rule(sp), anneal(sp))
