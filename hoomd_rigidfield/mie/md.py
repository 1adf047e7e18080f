"""HOOMD-blue MD of Mie mixtures: forces, slow compression in a box or a droplet, resumable runs.

The HOOMD objects are built from the same :class:`~hoomd_rigidfield.mie.potential.MieMixture` as the
pure-Python potentials, and the compression follows a
:class:`~hoomd_rigidfield.mie.compression.CompressionSchedule` (a pure function of the timestep).
:class:`MieRun` ties them together in one directory (``init.gsd`` -> ``trajectory.gsd`` +
``restart.gsd``) and resumes after a kill.
"""

from __future__ import annotations

import os
from typing import Any

import gsd.hoomd
import numpy as np

from hoomd_rigidfield.errors import hoomd_import_error

try:
    import hoomd  # HOOMD-blue itself (absolute import)
    import hoomd.md
except ImportError as err:
    raise hoomd_import_error(__name__, f"import hoomd failed: {err}") from err
if int(str(hoomd.version.version).split(".")[0]) < 4:
    raise hoomd_import_error(__name__, f"found HOOMD-blue {hoomd.version.version}")

from hoomd_rigidfield.mie.compression import COMPRESSION_NAMESPACE, CompressionSchedule
from hoomd_rigidfield.mie.configurations import FROZEN_KEY, write_initial
from hoomd_rigidfield.mie.potential import MieMixture
from hoomd_rigidfield.runs import (
    INITIAL,
    TRAJECTORY,
    ResumableRun,
    resume_trajectory,
)

#: HOOMD's Mie evaluator computes (n/m)^(m/(n-m)) and returns NaN at m = 0, so the inverse power
#: law runs as m = 1e-6: with the energy shift this changes U by < 1e-6 eps (tested against
#: the exact IPL in tests/test_hoomd_mie.py).
HOOMD_IPL_EXPONENT = 1e-6
THERMOSTATS = ("mttk", "langevin")
#: Largest change of the droplet radius between two wall updates :math:`[\\sigma_{LL}]`.
MAX_WALL_JUMP = 2e-3


def mie_pair_force(mixture: MieMixture, *, buffer: float = 0.3) -> hoomd.md.pair.Mie:
    """HOOMD ``md.pair.Mie`` with every pair of ``mixture``, truncated and shifted at its cut-off.

    Args:
        mixture (MieMixture): Types, diameters, exponents, depths and cut-offs.
        buffer (float): Neighbour-list buffer :math:`[\\sigma_{LL}]`; the n = 50 core is steep,
            so 0.2-0.4 keeps rebuilds rare without large lists.

    Returns:
        hoomd.md.pair.Mie: The force (with its own cell list).
    """
    if not buffer > 0:
        raise ValueError(f"buffer must be positive, got {buffer!r}")
    mie = hoomd.md.pair.Mie(nlist=hoomd.md.nlist.Cell(buffer=float(buffer)), mode="shift")
    for (a, b), pair in mixture.pairs().items():
        mie.params[(a, b)] = dict(
            epsilon=pair.epsilon, sigma=pair.sigma, n=pair.n, m=pair.m or HOOMD_IPL_EXPONENT
        )
        mie.r_cut[(a, b)] = pair.r_cut
    return mie


def droplet_wall_force(
    mixture: MieMixture, radius: float, *, epsilon: float = 1.0
) -> hoomd.md.external.wall.LJ:
    """WCA spherical wall whose range is scaled by each type's radius :cite:`marino2024`.

    :math:`U_w(h) = 4\\varepsilon_w[(s/h)^{12} - (s/h)^6] + \\varepsilon_w` for
    :math:`h < 2^{1/6}s`, with :math:`h` the distance of the centre to the wall and
    :math:`s = \\sigma_{ii}/2`. Below :math:`h = 0.7 s` (:math:`U \\approx 250\\varepsilon_w`,
    never reached thermally) the potential is extrapolated linearly, which pushes a particle that
    a shrinking step left outside back in.

    Args:
        mixture (MieMixture): Types and diameters.
        radius (float): Droplet radius :math:`[\\sigma_{LL}]`, centred on the origin.
        epsilon (float): Wall strength :math:`[\\varepsilon]`.

    Returns:
        hoomd.md.external.wall.LJ: The wall force; replace ``walls[0]`` to change the radius.
    """
    if not radius > 0 or not epsilon > 0:
        raise ValueError(f"radius and epsilon must be positive, got {radius!r}, {epsilon!r}")
    wall = hoomd.md.external.wall.LJ(walls=[hoomd.wall.Sphere(radius=float(radius), inside=True)])
    for name, d in mixture.diameters.items():
        s = d / 2
        wall.params[name] = dict(
            epsilon=float(epsilon), sigma=s, r_cut=2 ** (1 / 6) * s, r_extrap=0.7 * s
        )
    return wall


@hoomd.logging.modify_namespace(COMPRESSION_NAMESPACE)
class Compression(hoomd.custom.Action):
    """Sets the box (bulk) or the droplet radius (confined) to follow a compression schedule.

    Bulk runs are rescaled with :meth:`hoomd.update.BoxResize.update` (cubic box, particles
    scaled); droplet runs replace the spherical wall of ``wall_force``. Particles listed in
    ``frozen_tags`` are neither scaled nor (see :class:`MieRun`) integrated before
    ``schedule.frozen_steps``.

    Args:
        schedule (CompressionSchedule): Target effective volume fraction per timestep.
        particle_volume (float): Sum of the Barker-Henderson volumes of the particles
            :math:`[\\sigma_{LL}^3]`.
        wall_force (hoomd.md.external.wall.LJ): Droplet wall; ``None`` for a periodic box.
        frozen ((N,) bool numpy.ndarray): Particles (by tag) held fixed while frozen.
    """

    def __init__(
        self,
        schedule: CompressionSchedule,
        particle_volume: float,
        wall_force: hoomd.md.external.wall.WallPotential | None = None,
        frozen: np.ndarray | None = None,
    ) -> None:
        super().__init__()
        self.schedule = schedule
        self.particle_volume = float(particle_volume)
        self.wall_force = wall_force
        self.frozen = np.zeros(0, bool) if frozen is None else np.asarray(frozen, bool)

    @property
    def frozen_tags(self) -> np.ndarray:
        """(M,) numpy.ndarray: Tags of the particles held fixed while frozen."""
        return np.flatnonzero(self.frozen).astype(np.uint32)

    def mobile_filter(self, timestep: int) -> hoomd.filter.ParticleFilter:
        """Particles that move at ``timestep``: all but the frozen ones while frozen.

        Args:
            timestep (int): HOOMD timestep.

        Returns:
            hoomd.filter.ParticleFilter: ``hoomd.filter.All()``, or before
            ``schedule.frozen_steps`` (when any particle is frozen) the tags of the others.
        """
        if not self.frozen.any() or timestep >= self.schedule.frozen_steps:
            return hoomd.filter.All()
        return hoomd.filter.Tags(np.flatnonzero(~self.frozen).astype(np.uint32))

    def act(self, timestep: int) -> None:
        """Apply the target volume of ``timestep``.

        Args:
            timestep (int): HOOMD timestep; the schedule's volume at it sets the box (particles
                scaled, frozen ones excluded) or the droplet radius.
        """
        volume = float(self.schedule.volume(timestep, self.particle_volume))
        if self.wall_force is not None:
            radius = (3 * volume / (4 * np.pi)) ** (1 / 3)
            if radius != self.wall_force.walls[0].radius:
                self.wall_force.walls[0] = hoomd.wall.Sphere(radius=radius, inside=True)
            return
        length = volume ** (1 / 3)
        if not np.isclose(length, self._state.box.Lx, rtol=1e-12, atol=0):
            hoomd.update.BoxResize.update(
                self._state, hoomd.Box.cube(length), filter=self.mobile_filter(timestep)
            )

    @hoomd.logging.log(requires_run=True)
    def volume(self) -> float:
        """float: Current volume: the box, or the droplet :math:`[\\sigma_{LL}^3]`."""
        if self.wall_force is not None:
            return 4 / 3 * np.pi * self.wall_force.walls[0].radius ** 3
        return float(self._state.box.volume)

    @hoomd.logging.log(requires_run=True)
    def volume_fraction(self) -> float:
        """float: Effective (Barker-Henderson) volume fraction of the current volume."""
        return self.particle_volume / self.volume


class MieRun(ResumableRun):
    """One resumable MD run of a Mie mixture in a directory.

    :meth:`initialize` writes ``init.gsd``; :meth:`run` integrates (NVT: MTTK or Langevin)
    while :class:`Compression` follows the schedule, appends frames with a log of the volume
    fraction, the energies and the temperature to ``trajectory.gsd``, and replaces
    ``restart.gsd`` atomically every ``checkpoint_period`` steps. When ``restart.gsd`` exists,
    :meth:`run` continues from it (thermostat state included) and drops trajectory frames
    written after it, so a killed run resumes where it stopped
    (:class:`~hoomd_rigidfield.runs.ResumableRun`).

    Args:
        directory: Run directory (created).
        mixture (MieMixture): The interactions.
        kT (float): Temperature :math:`[\\varepsilon]`.
        schedule (CompressionSchedule): Volume fraction versus timestep.
        seed (int): HOOMD random seed (momenta, Langevin noise), 0-65535.
        dt (float): Timestep :math:`[\\tau]`.
        thermostat (str): ``"mttk"`` (Nosé-Hoover, bulk default) or ``"langevin"``.
        tau (float): MTTK coupling time :math:`[\\tau]`.
        gamma (float): Langevin drag :math:`[m/\\tau]`.
        droplet (bool): Confine to a shrinking WCA sphere instead of a shrinking periodic box.
        frame_period (int): Steps between trajectory frames.
        checkpoint_period (int): Steps between checkpoints.
        resize_period (int): Steps between volume updates.
        buffer (float): Neighbour-list buffer :math:`[\\sigma_{LL}]`.
        device (hoomd.device.Device): HOOMD device; default ``hoomd.device.auto_select()``.
    """

    label = "Mie MD"

    def __init__(
        self,
        directory: str | os.PathLike,
        mixture: MieMixture,
        kT: float,
        schedule: CompressionSchedule,
        *,
        seed: int,
        dt: float = 1e-3,
        thermostat: str = "mttk",
        tau: float = 0.5,
        gamma: float = 1.0,
        droplet: bool = False,
        frame_period: int = 10_000,
        checkpoint_period: int = 100_000,
        resize_period: int = 100,
        buffer: float = 0.3,
        device: hoomd.device.Device | None = None,
    ) -> None:
        if not (np.isfinite(kT) and kT > 0):
            raise ValueError(f"kT must be positive, got {kT!r}")
        if not 0 < dt <= 0.005:
            raise ValueError(
                f"dt must be in (0, 0.005] tau (the n = 50 core needs ~1e-3), got {dt!r}"
            )
        if thermostat not in THERMOSTATS:
            raise ValueError(f"thermostat must be one of {THERMOSTATS}, got {thermostat!r}")
        if not (tau > 0 and gamma > 0):
            raise ValueError(f"tau and gamma must be positive, got {tau!r}, {gamma!r}")
        if int(resize_period) != resize_period or resize_period < 1:
            raise ValueError(f"resize_period must be a positive integer, got {resize_period!r}")
        super().__init__(
            directory,
            seed=seed,
            frame_period=frame_period,
            checkpoint_period=checkpoint_period,
            device=device,
        )
        self.mixture, self.kT, self.schedule = mixture, float(kT), schedule
        self.dt, self.thermostat = float(dt), thermostat
        self.tau, self.gamma, self.droplet = float(tau), float(gamma), bool(droplet)
        self.resize_period, self.buffer = int(resize_period), float(buffer)

    def _model_fingerprint(self) -> dict[str, Any]:
        """The mixture, temperature, schedule and dynamics (what a checkpoint must match)."""
        return {
            "mixture": self.mixture,
            "kT": self.kT,
            "schedule": self.schedule,
            "dt": self.dt,
            "thermostat": self.thermostat,
            "tau": self.tau,
            "gamma": self.gamma,
            "droplet": self.droplet,
            "resize_period": self.resize_period,
            "buffer": self.buffer,
        }

    # ------------------------------------------------------------------ files
    @property
    def end_step(self) -> int:
        """int: Last timestep: the end of the schedule."""
        return self.schedule.total_steps

    def initialize(self, frame: gsd.hoomd.Frame, frozen: np.ndarray | None = None) -> None:
        """Start a new run: write ``init.gsd`` and remove files of an earlier run.

        Same as :func:`~hoomd_rigidfield.mie.configurations.write_initial` (which needs no HOOMD).

        Args:
            frame (gsd.hoomd.Frame): Initial configuration; its types must be the mixture's.
            frozen ((N,) bool numpy.ndarray): Particles held fixed for ``schedule.frozen_steps``
                (an embedded seed).
        """
        self.start_fresh()
        write_initial(self.path(INITIAL), frame, self.mixture, frozen)

    def counts(self) -> dict[str, int]:
        """dict[str, int]: Particles per type in ``init.gsd``."""
        with gsd.hoomd.open(self.path(INITIAL), "r") as f:
            frame = f[0]
        tally = np.bincount(frame.particles.typeid, minlength=len(frame.particles.types))
        return {t: int(c) for t, c in zip(frame.particles.types, tally)}

    # ------------------------------------------------------------------ simulation
    def _method(self, filter_: hoomd.filter.ParticleFilter) -> hoomd.md.methods.Method:
        if self.thermostat == "langevin":
            return hoomd.md.methods.Langevin(filter=filter_, kT=self.kT, default_gamma=self.gamma)
        return hoomd.md.methods.ConstantVolume(
            filter=filter_, thermostat=hoomd.md.methods.thermostats.MTTK(kT=self.kT, tau=self.tau)
        )

    def build(self) -> hoomd.Simulation:
        """The simulation at the checkpoint (or at ``init.gsd``), with every operation attached.

        Returns:
            hoomd.Simulation: Ready to run; :attr:`simulation` is set to it.
        """
        sim, resume, extra = self._open_simulation(hoomd.device.auto_select)
        with gsd.hoomd.open(self.path(INITIAL), "r") as f:
            frozen = np.asarray(f[0].log.get(FROZEN_KEY, np.zeros(f[0].particles.N)), bool)
        counts = self.counts()
        particle_volume = self.mixture.effective_particle_volume(counts, self.kT)

        mie = mie_pair_force(self.mixture, buffer=self.buffer)
        forces: list[hoomd.md.force.Force] = [mie]
        wall = None
        if self.droplet:
            radius = float(self.schedule.droplet_radius(sim.timestep, particle_volume))
            wall = droplet_wall_force(self.mixture, radius)
            forces.append(wall)
        compression = Compression(self.schedule, particle_volume, wall, frozen)
        self._compression = compression
        self._frozen_until = self.schedule.frozen_steps if frozen.any() else 0
        resize = hoomd.update.CustomUpdater(
            trigger=hoomd.trigger.Periodic(self.wall_update_period(particle_volume)),
            action=compression,
        )
        sim.operations.updaters.append(resize)
        integrator = hoomd.md.Integrator(dt=self.dt, forces=forces)
        sim.operations.integrator = integrator
        sim.operations.computes.append(
            thermo := hoomd.md.compute.ThermodynamicQuantities(filter=hoomd.filter.All())
        )
        self.simulation = sim
        self._trajectory_writer(self._trajectory_logger(sim, thermo, compression))
        integrator.methods.append(self._method(compression.mobile_filter(sim.timestep)))
        if resume:
            resume_trajectory(sim, self.path(TRAJECTORY))
            dof = extra.get("translational_dof")
            sim.run(0)
            if dof is not None and self.thermostat == "mttk":
                integrator.methods[0].thermostat.translational_dof = tuple(dof)
        else:
            sim.state.thermalize_particle_momenta(
                filter=compression.mobile_filter(sim.timestep), kT=self.kT
            )
            sim.run(0)
        return sim

    def wall_update_period(self, particle_volume: float) -> int:
        """Steps between volume updates: ``resize_period``, shortened for a droplet if needed.

        The droplet's wall never jumps by more than :data:`MAX_WALL_JUMP`: a large jump onto
        the steep WCA wall would fling particles out.

        Args:
            particle_volume (float): Sum of the effective particle volumes
                :math:`[\\sigma_{LL}^3]`.

        Returns:
            int: The update period [timesteps].
        """
        if not self.droplet:  # box rescaling moves neighbours apart by only r dL/L
            return self.resize_period
        steps = np.arange(0, self.schedule.total_steps + self.resize_period, self.resize_period)
        radius = self.schedule.droplet_radius(steps, particle_volume)
        jump = float(np.max(np.abs(np.diff(radius)), initial=0.0))
        if jump <= MAX_WALL_JUMP:
            return self.resize_period
        return max(1, int(self.resize_period * MAX_WALL_JUMP / jump))

    def _trajectory_logger(
        self,
        sim: hoomd.Simulation,
        thermo: hoomd.md.compute.ThermodynamicQuantities,
        compression: Compression,
    ) -> hoomd.logging.Logger:
        logger = hoomd.logging.Logger(categories=["scalar", "sequence", "object"])
        quantities = ["potential_energy", "kinetic_temperature", "kinetic_energy"]
        if not self.droplet:  # the virial pressure is not meaningful with walls
            quantities.append("pressure")
        logger.add(thermo, quantities=quantities)
        logger.add(compression, quantities=["volume_fraction", "volume"])
        logger.add(sim, quantities=["timestep", "walltime", "tps"])
        shapes = [
            {"type": "Sphere", "diameter": self.mixture.diameters[t]} for t in self.mixture.types
        ]
        logger[("hoomd_rigidfield", "type_shapes")] = (lambda: shapes, "object")
        return logger

    def _release(self, sim: hoomd.Simulation) -> None:
        """Integrate every particle from now on (end of the frozen phase)."""
        methods = sim.operations.integrator.methods
        frozen_tags = self._compression.frozen_tags
        methods.clear()
        methods.append(self._method(hoomd.filter.All()))
        sim.state.thermalize_particle_momenta(filter=hoomd.filter.Tags(frozen_tags), kT=self.kT)
        sim.run(0)

    def _checkpoint_extra(self) -> dict[str, list[float]]:
        """The MTTK thermostat's variables (a Langevin run needs none)."""
        if self.thermostat != "mttk":
            return {}
        return {
            "translational_dof": self.simulation.operations.integrator.methods[
                0
            ].thermostat.translational_dof
        }

    def _next_stop(self, timestep: int) -> int:
        stop = min(self.end_step, self._next_checkpoint(timestep))
        if timestep < self._frozen_until < stop:  # the seed is released at a chunk's end
            stop = self._frozen_until
        return stop

    def _after_chunk(self, sim: hoomd.Simulation) -> bool:
        if sim.timestep == self._frozen_until:
            self._release(sim)
        return True
