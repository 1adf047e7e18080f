"""Initial configurations for MD of sphere mixtures: random fluids, droplets and embedded seeds.

The builders return :class:`gsd.hoomd.Frame` objects (HOOMD's box convention, centred on the
origin) that HOOMD reads with ``Simulation.create_state_from_snapshot(Snapshot.from_gsd_frame())``
and OVITO opens once written. They need no HOOMD.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import gsd.hoomd
import numpy as np
from scipy.spatial import cKDTree

from hoomd_rigidfield.mie.potential import MieMixture

#: GSD log key of the per-particle "held fixed while frozen" flag of an initial configuration.
FROZEN_KEY = "hoomd_rigidfield/frozen"
#: Random placement keeps centres at least this fraction of sigma_ij apart.
DEFAULT_CLEARANCE = 0.95


def random_mixture(
    diameters: Mapping[str, float],
    counts: Mapping[str, int],
    box_length: float,
    rng: np.random.Generator,
    *,
    droplet_radius: float | None = None,
    fixed_positions: np.ndarray | None = None,
    fixed_types: np.ndarray | list[str] | None = None,
    clearance: float = DEFAULT_CLEARANCE,
    max_sweeps: int = 500,
) -> gsd.hoomd.Frame:
    """Non-overlapping random spheres in a cubic periodic box or inside a droplet.

    Particles are placed uniformly and, sweep by sweep, every particle that is closer than
    ``clearance * (d_i + d_j)/2`` to another is drawn again (fixed particles never move). At the
    volume fractions of a dilute start (<= 0.3) this converges in a few sweeps.

    Args:
        diameters (Mapping[str, float]): Type name to diameter :math:`[\\sigma_{LL}]`; the frame's
            types follow this order.
        counts (Mapping[str, int]): Number of random particles per type.
        box_length (float): Side of the cubic box :math:`[\\sigma_{LL}]`.
        rng (numpy.random.Generator): Random numbers.
        droplet_radius (float): If given, confine centres to a sphere of this radius about the
            origin, less each particle's radius; the box must enclose the sphere.
        fixed_positions ((M, 3) numpy.ndarray): Particles placed first and kept (a seed).
        fixed_types: Type names of the fixed particles.
        clearance (float): Minimum centre distance in units of :math:`\\sigma_{ij}`, in (0, 1].
        max_sweeps (int): Give up (``RuntimeError``) after this many sweeps.

    Returns:
        gsd.hoomd.Frame: Fixed particles first, then the random ones by type; ``diameter`` is
        set per particle so that OVITO and freud draw true sizes.
    """
    types = list(diameters)
    d = np.array([float(diameters[t]) for t in types])
    if np.any(~(d > 0)):
        raise ValueError(f"diameters must be positive, got {dict(diameters)}")
    if not box_length > 0:
        raise ValueError(f"box_length must be positive, got {box_length!r}")
    if not 0 < clearance <= 1:
        raise ValueError(f"clearance must be in (0, 1], got {clearance!r}")
    unknown = set(counts) - set(types)
    if unknown:
        raise ValueError(f"counts name types without a diameter: {sorted(unknown)}")
    if any(int(c) != c or c < 0 for c in counts.values()):
        raise ValueError(f"counts must be non-negative integers, got {dict(counts)}")
    if droplet_radius is not None and not 0 < 2 * droplet_radius <= box_length:
        raise ValueError(
            f"droplet_radius must be in (0, box_length/2] = (0, {box_length / 2}], got "
            f"{droplet_radius!r}"
        )
    n_fixed = 0 if fixed_positions is None else len(fixed_positions)
    fixed_types = [] if fixed_types is None else list(fixed_types)
    if len(fixed_types) != n_fixed:
        raise ValueError("fixed_positions and fixed_types must have the same length")
    missing = sorted(set(fixed_types) - set(types))
    if missing:
        raise ValueError(f"fixed_types name types without a diameter: {missing}")
    fixed_id = np.array([types.index(t) for t in fixed_types], dtype=int)
    typeid = np.concatenate(
        [fixed_id] + [np.full(int(counts.get(t, 0)), i) for i, t in enumerate(types)]
    ).astype(np.uint32)
    radius = d[typeid] / 2

    def draw(idx: np.ndarray) -> np.ndarray:
        if droplet_radius is None:
            return rng.uniform(-box_length / 2, box_length / 2, size=(len(idx), 3))
        r_max = droplet_radius - radius[idx]
        if np.any(r_max <= 0):
            raise ValueError("droplet_radius is smaller than a particle radius")
        v = rng.normal(size=(len(idx), 3))
        v /= np.linalg.norm(v, axis=1, keepdims=True)
        return v * (r_max * rng.uniform(size=len(idx)) ** (1 / 3))[:, None]

    pos = np.empty((len(typeid), 3))
    if n_fixed:
        pos[:n_fixed] = np.asarray(fixed_positions, dtype=float)
    movable = np.arange(n_fixed, len(typeid))
    pos[movable] = draw(movable)
    for _ in range(int(max_sweeps)):
        bad = _clashing(pos, radius, box_length, clearance, n_fixed)
        if len(bad) == 0:
            break
        pos[bad] = draw(bad)
    else:
        raise RuntimeError(
            f"could not place {len(movable)} particles without overlaps in {max_sweeps} sweeps; "
            "lower the density or the clearance"
        )
    frame = gsd.hoomd.Frame()
    frame.configuration.box = [box_length] * 3 + [0, 0, 0]
    frame.particles.N = len(typeid)
    frame.particles.types = types
    frame.particles.typeid = typeid
    frame.particles.position = pos.astype(np.float32)
    frame.particles.diameter = d[typeid].astype(np.float32)
    return frame


def _clashing(
    pos: np.ndarray, radius: np.ndarray, box_length: float, clearance: float, n_fixed: int
) -> np.ndarray:
    """Indices (>= n_fixed) to redraw: the later particle of every clashing pair."""
    tree = cKDTree(np.mod(pos + box_length / 2, box_length), boxsize=box_length)
    pairs = tree.query_pairs(clearance * 2 * radius.max(), output_type="ndarray")
    if len(pairs) == 0:
        return np.empty(0, dtype=int)
    delta = pos[pairs[:, 0]] - pos[pairs[:, 1]]
    delta -= box_length * np.round(delta / box_length)
    close = np.linalg.norm(delta, axis=1) < clearance * (radius[pairs[:, 0]] + radius[pairs[:, 1]])
    worst = pairs[close].max(axis=1)
    return np.unique(worst[worst >= n_fixed])


def seed_region(positions: np.ndarray, radius: float) -> np.ndarray:
    """Particles of a lattice block within ``radius`` of its centroid (a spherical seed).

    Args:
        positions ((N, 3) numpy.ndarray): Lattice positions, unwrapped (one periodic image).
        radius (float): Seed radius :math:`[\\sigma_{LL}]`.

    Returns:
        numpy.ndarray: Boolean mask of the seed particles.
    """
    positions = np.asarray(positions, dtype=float)
    centre = positions.mean(axis=0)
    return np.linalg.norm(positions - centre, axis=1) <= float(radius)


def fluid_frame(
    mixture: MieMixture,
    counts: Mapping[str, int],
    kT: float,
    volume_fraction: float,
    rng: np.random.Generator,
    *,
    droplet: bool = False,
    margin: float = 2.0,
) -> gsd.hoomd.Frame:
    """Random fluid of a Mie mixture at an effective (Barker-Henderson) volume fraction.

    Args:
        mixture (MieMixture): Types and diameters.
        counts (Mapping[str, int]): Particles per type.
        kT (float): Temperature :math:`[\\varepsilon]` (sets the effective diameters).
        volume_fraction (float): :math:`\\phi_{eff}` of the box, or of the droplet, in (0, 0.35].
        rng (numpy.random.Generator): Random numbers.
        droplet (bool): Fill a sphere of the required volume, centred in a cubic box wider than
            it by ``margin`` on each side (the box is only a container for a walled droplet).
        margin (float): Gap between the droplet and the box faces :math:`[\\sigma_{LL}]`.

    Returns:
        gsd.hoomd.Frame: The configuration (types in ``mixture.types`` order).
    """
    if not 0 < volume_fraction <= 0.35:
        raise ValueError(
            f"random placement needs volume_fraction in (0, 0.35] (random sequential addition "
            f"jams near 0.38), got {volume_fraction!r}"
        )
    volume = mixture.effective_particle_volume(counts, kT) / volume_fraction
    diameters = {t: mixture.diameters[t] for t in mixture.types}
    if not droplet:
        return random_mixture(diameters, counts, volume ** (1 / 3), rng)
    radius = (3 * volume / (4 * np.pi)) ** (1 / 3)
    return random_mixture(diameters, counts, 2 * (radius + margin), rng, droplet_radius=radius)


def seeded_fluid_frame(
    mixture: MieMixture,
    seed_positions: np.ndarray,
    seed_types: np.ndarray | list[str],
    fluid_counts: Mapping[str, int],
    kT: float,
    volume_fraction: float,
    rng: np.random.Generator,
) -> gsd.hoomd.Frame:
    """A crystal seed at the centre of a cubic box, surrounded by a random fluid.

    Args:
        mixture (MieMixture): Types and diameters.
        seed_positions ((M, 3) numpy.ndarray): Seed particles, centred near the origin
            :math:`[\\sigma_{LL}]` (for example a :func:`seed_region` of a lattice).
        seed_types: Type name of each seed particle.
        fluid_counts (Mapping[str, int]): Fluid particles per type.
        kT (float): Temperature :math:`[\\varepsilon]` (effective diameters).
        volume_fraction (float): :math:`\\phi_{eff}` of the whole box (seed included); the fluid
            around the seed must stay below ~0.35 for random placement.
        rng (numpy.random.Generator): Random numbers.

    Returns:
        gsd.hoomd.Frame: Seed particles first (tags 0..M-1), then the fluid.
    """
    seed_positions = np.asarray(seed_positions, dtype=float)
    seed_types = list(seed_types)
    counts = dict(fluid_counts)
    for t in seed_types:
        counts[t] = counts.get(t, 0) + 1
    volume = mixture.effective_particle_volume(counts, kT) / volume_fraction
    length = volume ** (1 / 3)
    extent = np.abs(seed_positions).max() if len(seed_positions) else 0.0
    if 2 * extent + 2 * max(mixture.diameters.values()) > length:
        raise ValueError(
            f"the seed (half-extent {extent:.3g}) does not fit in the box of side {length:.3g} "
            "at this volume fraction: add fluid particles or lower volume_fraction"
        )
    diameters = {t: mixture.diameters[t] for t in mixture.types}
    return random_mixture(
        diameters,
        fluid_counts,
        length,
        rng,
        fixed_positions=seed_positions,
        fixed_types=seed_types,
    )


def write_initial(
    path: str | os.PathLike,
    frame: gsd.hoomd.Frame,
    mixture: MieMixture,
    frozen: np.ndarray | None = None,
) -> None:
    """Write an initial configuration for a Mie MD run (``init.gsd``), without HOOMD.

    Sets the step to 0, per-particle diameters and sphere ``type_shapes`` (so OVITO draws true
    sizes) and stores which particles are held fixed during a frozen phase in the frame's log
    (:data:`FROZEN_KEY`).

    Args:
        path: Output GSD file (overwritten).
        frame (gsd.hoomd.Frame): Configuration; its types must be ``mixture.types``.
        mixture (MieMixture): The mixture it is for.
        frozen ((N,) bool numpy.ndarray): Particles held fixed while frozen (an embedded seed).
    """
    if list(frame.particles.types) != list(mixture.types):
        raise ValueError(
            f"frame types {list(frame.particles.types)} differ from the mixture's "
            f"{list(mixture.types)}"
        )
    n = frame.particles.N
    frozen = np.zeros(n, bool) if frozen is None else np.asarray(frozen, bool)
    if frozen.shape != (n,):
        raise ValueError(f"frozen must have shape ({n},), got {frozen.shape}")
    frame.configuration.step = 0
    diameters = np.array([mixture.diameters[t] for t in mixture.types], dtype=np.float32)
    frame.particles.diameter = diameters[frame.particles.typeid]
    frame.particles.type_shapes = [{"type": "Sphere", "diameter": float(d)} for d in diameters]
    frame.log = {FROZEN_KEY: frozen.astype(np.uint8)}
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with gsd.hoomd.open(path, "w") as f:
        f.append(frame)
