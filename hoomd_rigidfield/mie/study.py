"""From a Mie-study state point to a run, and from a run to its crystallisation history.

The binary Mie study (``projects/binary_mie``) keeps its operations thin: they call these
functions, which need no HOOMD (the MD itself is :class:`hoomd_rigidfield.mie.md.MieRun`).

A state point holds ``m`` (25 narrow, 6 wide, 0 inverse power law), ``beta_epsilon``
(:math:`\\varepsilon/kT`; 0 with ``m = 0`` means the IPL at :math:`kT = \\varepsilon`),
``ratio`` ``[N_L, N_S]`` per formula unit, ``n_large``, ``geometry`` (``"bulk"`` or
``"droplet"``), ``polydisperse``, ``protocol`` (``"ramp"`` or ``"seeded"``), ``dt`` and the
schedule in time units :math:`\\tau` (``phi_initial``, ``phi_start``, ``phi_end``,
``equilibrate_tau``, ``precompress_tau``, ``ramp_tau``, ``hold_tau``, ``frame_tau``), plus
``seed_n_large``, ``seed_d_ll``, ``seed_c_over_a`` for seeded runs and a ``replica`` number that
seeds the random numbers. Optional ``epsilon_ls`` and ``epsilon_ss`` (default 1) weaken the L-S
and S-S wells relative to :math:`\\varepsilon_{LL}`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import gsd.hoomd
import numpy as np

from hoomd_rigidfield.analysis import lattices
from hoomd_rigidfield.analysis.classifier import BinaryCrystalClassifier
from hoomd_rigidfield.analysis.density import dense_fraction, local_density
from hoomd_rigidfield.analysis.reference_values import LOCAL_DENSITY_THRESHOLDS
from hoomd_rigidfield.analysis.windows import DEFAULT_WINDOWS
from hoomd_rigidfield.gsdfiles import open_trajectory, with_particle_properties
from hoomd_rigidfield.mie.compression import LOG_PHI, CompressionSchedule
from hoomd_rigidfield.mie.configurations import fluid_frame, seed_region, seeded_fluid_frame
from hoomd_rigidfield.mie.potential import INVERSE_POWER_LAW, MieMixture, largest_remainder_counts
from hoomd_rigidfield.validation import check_choice, check_positive

#: Run protocols: a compression of a random fluid, or a fixed seed in a compressed fluid.
PROTOCOLS = ("ramp", "seeded")
#: Geometries: a periodic bulk fluid, or a droplet in vacuum (``"bulk"`` when absent).
GEOMETRIES = ("bulk", "droplet")
#: Trajectory log keys written by :class:`hoomd_rigidfield.mie.md.MieRun`.
LOG_POTENTIAL = "md/compute/ThermodynamicQuantities/potential_energy"
#: First and second L-S shell distances in units of d_LL in the ideal lattices (AlB2 at c/a = 1,
#: NaZn13: the 24 S_II, then the 8 S_I).
LS_SHELLS = {"AlB2": (0.7638, 1.2583), "NaZn13": (0.5810, 0.8660)}
#: Largest expansion of a crystal over L-S contact that the classifier must accept.
MAX_EXPANSION = 1.15


def classifier(sp: Mapping[str, Any]) -> BinaryCrystalClassifier:
    """The crystal classifier of a Mie run, with the L-L spacings its crystals would have.

    A single L-L distance estimated from a frame fails for a small crystal in a dilute fluid
    (the median spacing is the fluid's) and cannot serve both AlB2 and NaZn13, whose L-L
    spacings at L-S contact differ by 30 %. Superlattices of sticky or dense spheres form at or
    near contact, so each phase's L-S cut-off is placed in the middle of the gap between its
    first L-S shell at :data:`MAX_EXPANSION` times the contact spacing and its second shell at
    contact. The contact distance :math:`r_c` is the L-S well minimum (:math:`\\sigma_{LS}` for
    the IPL); fcc uses the L-L contact :math:`r_c/\\sigma_{LS}`.

    Args:
        sp: State point (``m``).

    Returns:
        BinaryCrystalClassifier: Default windows with a ``d_ll`` per phase.
    """
    contact = MieMixture.binary(float(sp["m"])).pair("L", "S")
    r_c = contact.r_min
    d_ll = {"fcc": r_c / contact.sigma}
    for phase, (first, second) in LS_SHELLS.items():
        d_contact = r_c / first
        cutoff = 0.5 * (first * MAX_EXPANSION + second) * d_contact
        d_ll[phase] = cutoff / DEFAULT_WINDOWS[phase].r_ls
    return BinaryCrystalClassifier(d_ll=d_ll)


def temperature(sp: Mapping[str, Any]) -> float:
    """:math:`kT` in units of :math:`\\varepsilon` (1 for the inverse power law).

    Args:
        sp (Mapping): State point (``beta_epsilon``, ``m``).

    Returns:
        float: :math:`1/(\\beta\\varepsilon)` :math:`[\\varepsilon]`.
    """
    beta_epsilon = float(sp["beta_epsilon"])
    if not (np.isfinite(beta_epsilon) and beta_epsilon >= 0):
        raise ValueError(f"beta_epsilon must be finite and >= 0, got {beta_epsilon}")
    if beta_epsilon == 0:
        if float(sp["m"]) != INVERSE_POWER_LAW:
            raise ValueError("beta_epsilon = 0 is the inverse power law: it needs m = 0")
        return 1.0
    return 1.0 / beta_epsilon


def mixture(sp: Mapping[str, Any]) -> tuple[MieMixture, dict[str, int]]:
    """The mixture of a state point and the number of particles of each type.

    Args:
        sp (Mapping): State point (``m``, ``n_large``, ``ratio``, ``polydisperse``,
            ``epsilon_ls``, ``epsilon_ss``).

    Returns:
        tuple: :class:`~hoomd_rigidfield.mie.potential.MieMixture` and ``{type: count}``; polydisperse
        counts are shared out over the 13 bins by the largest-remainder method.
    """
    n_l, (r_l, r_s) = int(sp["n_large"]), sp["ratio"]
    if n_l < 1 or r_l < 1 or r_s < 0:
        raise ValueError(f"need n_large >= 1 and a ratio [>=1, >=0], got {n_l}, {sp['ratio']}")
    n_s = round(n_l * r_s / r_l)
    epsilon = {
        ("L", "L"): 1.0,
        ("L", "S"): float(sp.get("epsilon_ls", 1.0)),
        ("S", "S"): float(sp.get("epsilon_ss", 1.0)),
    }
    if not sp.get("polydisperse", False):
        return MieMixture.binary(float(sp["m"]), epsilon=epsilon), {"L": n_l, "S": n_s}
    mix, fractions = MieMixture.polydisperse(float(sp["m"]), epsilon=epsilon)
    counts = {}
    for cls, total in (("L", n_l), ("S", n_s)):
        names = [t for t in mix.types if t[0] == cls]
        for t, c in zip(names, largest_remainder_counts([fractions[t] for t in names], total)):
            counts[t] = int(c)
    return mix, counts


def schedule(sp: Mapping[str, Any]) -> CompressionSchedule:
    """The compression schedule of a state point (times in :math:`\\tau` -> timesteps).

    Args:
        sp (Mapping): State point (``dt``, ``protocol``, ``phi_initial``, ``phi_start``,
            ``phi_end``, ``equilibrate_tau``, ``precompress_tau``, ``ramp_tau``, ``hold_tau``).

    Returns:
        CompressionSchedule: The schedule; seeded runs hold the seed fixed through the
        equilibration and the precompression.
    """
    dt = float(sp["dt"])

    def steps(key: str) -> int:
        return round(float(sp.get(key, 0.0)) / dt)

    seeded = _protocol(sp) == "seeded"
    return CompressionSchedule(
        float(sp["phi_initial"]),
        float(sp["phi_start"]),
        float(sp["phi_end"]),
        equilibrate_steps=steps("equilibrate_tau"),
        precompress_steps=steps("precompress_tau"),
        ramp_steps=steps("ramp_tau"),
        hold_steps=steps("hold_tau"),
        frozen_steps=steps("equilibrate_tau") + steps("precompress_tau") if seeded else 0,
    )


def _protocol(sp: Mapping[str, Any]) -> str:
    if sp["protocol"] not in PROTOCOLS:
        raise ValueError(f"protocol must be one of {PROTOCOLS}, got {sp['protocol']!r}")
    return sp["protocol"]


def geometry(sp: Mapping[str, Any]) -> str:
    """The geometry of a state point (no silent fallback: a typo is an error).

    Args:
        sp (Mapping): State point (``geometry`` optional, default ``"bulk"``).

    Returns:
        str: One of :data:`GEOMETRIES`.

    Raises:
        ValueError: If ``geometry`` is not one of :data:`GEOMETRIES`.
    """
    return check_choice("geometry", sp.get("geometry", "bulk"), GEOMETRIES)


def frame_period(sp: Mapping[str, Any]) -> int:
    """Timesteps between trajectory frames.

    Args:
        sp (Mapping): State point (``frame_tau``, ``dt``).

    Returns:
        int: ``frame_tau / dt``, rounded, at least 1.

    Raises:
        ValueError: Unless ``frame_tau`` and ``dt`` are positive numbers.
    """
    tau = check_positive("frame_tau", sp["frame_tau"], "tau")
    return max(1, round(tau / check_positive("dt", sp["dt"], "tau")))


def alb2_seed(n_large: int, d_ll: float, c_over_a: float) -> tuple[np.ndarray, np.ndarray]:
    """A spherical AlB2 crystallite with about ``n_large`` large particles, centred on 0.

    Args:
        n_large (int): Target number of large particles (>= 8).
        d_ll (float): In-plane L-L distance :math:`[\\sigma_{LL}]`.
        c_over_a (float): Axial ratio.

    Returns:
        tuple: Positions (M, 3) and type names (M,).
    """
    if n_large < 8:
        raise ValueError(f"a seed needs at least 8 large particles, got {n_large}")
    lattice = lattices.alb2(1, d_ll, c_over_a)
    density = 1.0 / lattice.box.volume  # one L per cell
    radius = (3 * n_large / density / (4 * np.pi)) ** (1 / 3)
    cells = int(np.ceil(2.6 * radius / (d_ll * min(1.0, c_over_a) * np.sqrt(3) / 2))) + 1
    block = lattices.alb2(cells, d_ll, c_over_a)
    inside = seed_region(block.positions, radius)
    positions = block.positions[inside] - block.positions[inside].mean(axis=0)
    return positions, np.asarray(block.types)[block.typeid[inside]]


def initial_configuration(sp: Mapping[str, Any]) -> tuple[gsd.hoomd.Frame, np.ndarray]:
    """Initial configuration of a state point and the mask of particles held while frozen.

    Args:
        sp (Mapping): State point (keys of :func:`mixture` and :func:`temperature`,
            ``protocol``, ``geometry``, ``phi_initial``, ``replica``, and for seeded runs
            ``seed_n_large``, ``seed_d_ll``, ``seed_c_over_a``).

    Returns:
        tuple: :class:`gsd.hoomd.Frame` and an (N,) bool array (the seed, if any).
    """
    mix, counts = mixture(sp)
    kT = temperature(sp)
    rng = np.random.default_rng(int(sp["replica"]))
    droplet = geometry(sp) == "droplet"
    if sp["protocol"] == "ramp":
        frame = fluid_frame(mix, counts, kT, float(sp["phi_initial"]), rng, droplet=droplet)
        return frame, np.zeros(frame.particles.N, bool)
    if sp["protocol"] != "seeded" or droplet or sp.get("polydisperse", False):
        raise ValueError("seeded runs are bulk and monodisperse; protocol must be ramp or seeded")
    positions, types = alb2_seed(
        int(sp["seed_n_large"]), float(sp["seed_d_ll"]), float(sp["seed_c_over_a"])
    )
    frame = seeded_fluid_frame(mix, positions, types, counts, kT, float(sp["phi_initial"]), rng)
    frozen = np.arange(frame.particles.N) < len(positions)
    return frame, frozen


def run_options(sp: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword arguments of :class:`~hoomd_rigidfield.mie.md.MieRun` for a state point.

    Bulk runs use the MTTK thermostat and droplets Langevin dynamics :cite:`marino2024`.

    Args:
        sp (Mapping): State point (``protocol``, ``geometry``, ``replica``, ``dt``,
            ``frame_tau``).

    Returns:
        dict: ``seed``, ``dt``, ``thermostat``, ``droplet``, ``frame_period`` and
        ``checkpoint_period`` (every 10 frames).
    """
    _protocol(sp)
    droplet = geometry(sp) == "droplet"
    period = frame_period(sp)
    return {
        "seed": int(sp["replica"]) % 65536,
        "dt": float(sp["dt"]),
        "thermostat": "langevin" if droplet else "mttk",
        "droplet": droplet,
        "frame_period": period,
        "checkpoint_period": 10 * period,
    }


def crystallisation_history(
    path: str | os.PathLike,
    sp: Mapping[str, Any],
    *,
    progress: bool = False,
) -> dict[str, np.ndarray]:
    """Per-frame crystallisation observables of a run's trajectory.

    Args:
        path: ``trajectory.gsd`` of the run.
        sp: Its state point (for the time unit and the local-density threshold).
        progress (bool): Show a progress bar.

    Returns:
        dict[str, numpy.ndarray]: ``time`` :math:`[\\tau]`, ``phi`` (effective volume fraction),
        ``potential_energy`` per particle :math:`[\\varepsilon]`, ``crystalline_fraction`` and
        one fraction per phase (``fluid``, ``fcc``, ``AlB2``, ``NaZn13``) of the large
        particles, ``num_crystalline`` and ``largest_cluster`` (numbers of large particles),
        ``dense_fraction`` (fraction of
        particles above the :cite:`marino2024` local-density threshold for the run's target phase).
    """
    from tqdm.auto import tqdm

    ratio = tuple(sp["ratio"])
    target = {(1, 0): "fcc", (1, 2): "AlB2", (1, 13): "NaZn13"}.get(ratio, "AlB2")
    clf = classifier(sp)
    rows: dict[str, list] = {
        k: []
        for k in (
            "time", "phi", "potential_energy", "crystalline_fraction", "num_crystalline",
            "largest_cluster",
            "dense_fraction", *clf.phase_names,
        )
    }  # fmt: skip
    with open_trajectory(path, "Mie trajectory", (LOG_PHI, LOG_POTENTIAL)) as traj:
        for frame in tqdm(traj, disable=not progress, desc="analysing frames"):
            clf.compute(frame)
            rows["time"].append(int(frame.configuration.step) * float(sp["dt"]))
            rows["phi"].append(float(frame.log[LOG_PHI][0]))
            rows["potential_energy"].append(float(frame.log[LOG_POTENTIAL][0]) / frame.particles.N)
            rows["crystalline_fraction"].append(clf.crystalline_fraction)
            rows["num_crystalline"].append(round(clf.crystalline_fraction * clf.num_large))
            rows["largest_cluster"].append(clf.largest_cluster_size)
            for name, value in clf.fractions.items():
                rows[name].append(value)
            rows["dense_fraction"].append(
                dense_fraction(local_density(frame), LOCAL_DENSITY_THRESHOLDS[target])
            )
    return {k: np.asarray(v) for k, v in rows.items()}


#: Code of the small particles in :func:`classified_frame` (L particles: index into the
#: classifier's ``phase_names``, 0 fluid).
SMALL_CODE = -1


def classified_frame(frame: gsd.hoomd.Frame, sp: Mapping[str, Any]) -> gsd.hoomd.Frame:
    """``frame`` with each particle's crystal class, for OVITO (colour by ``rigidfield_phase``).

    Args:
        frame (gsd.hoomd.Frame): A frame of the run.
        sp (Mapping): Its state point (for :func:`classifier`).

    Returns:
        gsd.hoomd.Frame: The frame with ``log/particles/rigidfield/phase`` (L: index into
        ``("fluid", "fcc", "AlB2", "NaZn13")``; S: :data:`SMALL_CODE`) and
        ``log/particles/rigidfield/cluster`` (L: rank of its crystalline cluster, 0 the largest;
        fluid L and S: -1).
    """
    clf = classifier(sp).compute(frame)
    phase = np.full(frame.particles.N, SMALL_CODE, dtype=np.int32)
    cluster = np.full(frame.particles.N, -1, dtype=np.int32)
    phase[clf.large_indices] = clf.phase_code
    cluster[clf.large_indices] = clf.cluster_idx
    return with_particle_properties(frame, phase=phase, cluster=cluster)


@dataclass(frozen=True)
class MieStudy:
    """The inputs of one binary Mie state point (built by :func:`from_statepoint`).

    Args:
        statepoint (Mapping): The state point it was parsed from.
        mixture (MieMixture): The interactions.
        counts (dict[str, int]): Particles per type.
        kT (float): Temperature :math:`[\\varepsilon]`.
        schedule (CompressionSchedule): Volume fraction versus timestep.
        options (dict): The other keyword arguments of :class:`~hoomd_rigidfield.mie.md.MieRun`.
    """

    statepoint: Mapping[str, Any]
    mixture: MieMixture
    counts: dict[str, int]
    kT: float  # noqa: N815 - HOOMD spells it so
    schedule: CompressionSchedule
    options: dict[str, Any]

    @functools.cached_property
    def classifier(self) -> BinaryCrystalClassifier:
        """BinaryCrystalClassifier: The run's crystal classifier (:func:`classifier`)."""
        return classifier(self.statepoint)

    def run_arguments(self) -> dict[str, Any]:
        """Keyword arguments of :class:`~hoomd_rigidfield.mie.md.MieRun` (all but the directory).

        Returns:
            dict: ``mixture``, ``kT``, ``schedule`` and :attr:`options`.
        """
        return {"mixture": self.mixture, "kT": self.kT, "schedule": self.schedule, **self.options}


def from_statepoint(sp: Mapping[str, Any]) -> MieStudy:
    """Parse a binary Mie state point once: mixture, counts, temperature, schedule, run options.

    Args:
        sp: State point (keys of :func:`mixture`, :func:`temperature`, :func:`schedule` and
            :func:`run_options`).

    Returns:
        MieStudy: The inputs.
    """
    mix, counts = mixture(sp)
    return MieStudy(sp, mix, counts, temperature(sp), schedule(sp), run_options(sp))
