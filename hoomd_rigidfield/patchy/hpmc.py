"""HOOMD-blue HPMC of patchy truncated cubes in a monolayer :cite:`patchy_cubes_seed004`, resumable.

The square-patch energy is the compiled component ``hoomd.rigidfield_patchy`` (built by the
top-level ``CMakeLists.txt``); :func:`square_patch_potential` fills it from the same
:class:`~hoomd_rigidfield.patchy.patches.SquarePatches` as the Python reference.

:class:`PatchyMonolayerRun` stages (one timestep = one sweep, ``nselect = 1``):

1. compress the dilute random monolayer of hard octagons to the target area fraction
   (``hpmc.update.QuickCompress``), with move sizes tuned to 30 % acceptance;
2. anneal :math:`\\varepsilon/kT` geometrically to its target (still tuning);
3. production at fixed :math:`\\varepsilon/kT`: NVT, or NPT with ``hpmc.update.BoxMC`` at a
   given :math:`\\beta P` (box area moves).

``restart.gsd`` (atomic) holds the state, the move sizes and the sweep at which the
compression ended, so a killed run continues where it stopped.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

import gsd.hoomd
import numpy as np

from hoomd_rigidfield.errors import hoomd_import_error

try:
    import hoomd  # HOOMD-blue itself (absolute import)
    import hoomd.hpmc
except ImportError as err:
    raise hoomd_import_error(__name__, f"import hoomd failed: {err}") from err
if int(str(hoomd.version.version).split(".")[0]) < 4:
    raise hoomd_import_error(__name__, f"found HOOMD-blue {hoomd.version.version}")

from hoomd_rigidfield.patchy.anneal import ANNEAL_NAMESPACE, AnnealSchedule
from hoomd_rigidfield.patchy.patches import SquarePatches
from hoomd_rigidfield.patchy.shape import TruncatedCube
from hoomd_rigidfield.runs import INITIAL, TRAJECTORY, ResumableRun, resume_trajectory

#: How to get the compiled component.
COMPONENT_HINT = (
    "the square-patch potential is a compiled HOOMD-blue component: build it against this "
    "HOOMD-blue with `cmake -B build -S <hoomd_rigidfield checkout> && cmake --build build && "
    "cmake --install build` (see README.md, 'Installing')"
)
#: Target acceptance of translation and rotation moves.
TARGET_ACCEPTANCE = 0.3


def component_available() -> bool:
    """bool: ``hoomd.rigidfield_patchy`` is built and installed into this HOOMD-blue."""
    try:
        import hoomd.rigidfield_patchy  # noqa: F401
    except ImportError:
        return False
    return True


def square_patch_potential(
    patches: SquarePatches, octagon: TruncatedCube, particle_type: str = "A"
) -> hoomd.hpmc.pair.Pair:
    """The compiled square-patch HPMC pair potential with the parameters of ``patches``.

    Args:
        patches (SquarePatches): The rule (energies in kT: HOOMD 4.8 HPMC has beta = 1).
        octagon (TruncatedCube): The shape.
        particle_type (str): Type of the particles.

    Returns:
        hoomd.rigidfield_patchy.pair.SquarePatch: Add it to ``mc.pair_potentials``.
    """
    try:
        from hoomd.rigidfield_patchy.pair import SquarePatch
    except ImportError as err:
        raise ImportError(f"{COMPONENT_HINT} (import failed: {err})") from err
    potential = SquarePatch()
    potential.params[(particle_type, particle_type)] = patches.absolute_parameters(octagon)
    return potential


@hoomd.logging.modify_namespace(ANNEAL_NAMESPACE)
class PatchAnneal(hoomd.custom.Action):
    """Sets the bond depth of a square-patch potential from an :class:`AnnealSchedule`.

    Args:
        potential: The ``SquarePatch`` potential.
        schedule (AnnealSchedule): :math:`\\varepsilon/kT` versus sweeps since compression.
        start (int): Sweep at which the compression ended (``None``: not yet, depth 0).
        particle_type (str): Type of the particles.
    """

    def __init__(self, potential, schedule: AnnealSchedule, start: int | None, particle_type="A"):
        super().__init__()
        self.potential, self.schedule, self.start = potential, schedule, start
        self.particle_type = particle_type
        self._epsilon = 0.0

    def epsilon_at(self, timestep: int) -> float:
        """Bond depth :math:`[k_BT]` at ``timestep``.

        Args:
            timestep (int): HOOMD timestep (sweep).

        Returns:
            float: :math:`\\varepsilon/kT` of the schedule ``timestep - start`` sweeps after the
            compression; 0 while ``start`` is ``None``.
        """
        return 0.0 if self.start is None else float(self.schedule(timestep - self.start))

    def act(self, timestep: int) -> None:
        """Update the depth if it changed.

        Args:
            timestep (int): HOOMD timestep (sweep).
        """
        eps = self.epsilon_at(timestep)
        if eps != self._epsilon:
            key = (self.particle_type, self.particle_type)
            self.potential.params[key] = dict(self.potential.params[key], epsilon=eps)
            self._epsilon = eps

    @hoomd.logging.log
    def epsilon(self) -> float:
        """float: Current bond depth :math:`\\varepsilon/kT`."""
        return self._epsilon


class PatchyMonolayerRun(ResumableRun):
    """One resumable HPMC run of patchy octagons in a directory.

    Args:
        directory: Run directory (created).
        octagon (TruncatedCube): Particle shape.
        patches (SquarePatches): Patch rule (its ``epsilon`` is the anneal target).
        area_fraction (float): Target area fraction of the compression.
        anneal (AnnealSchedule): Bond depth after compression.
        production_sweeps (int): Sweeps after the anneal.
        seed (int): HOOMD random seed (0-65535).
        max_compress_sweeps (int): Give up (``RuntimeError``) if the compression has not
            reached the target by then.
        pressure (float): If given, production is NPT at this :math:`\\beta P` :math:`[L^{-2}]`
            (``hpmc.update.BoxMC`` area moves); else NVT.
        frame_period (int): Sweeps between trajectory frames.
        checkpoint_period (int): Sweeps between checkpoints.
        device (hoomd.device.Device): HOOMD device (HPMC pair potentials are CPU only).
    """

    unit = "sweep"
    label = "patchy HPMC"

    def __init__(
        self,
        directory: str | os.PathLike,
        octagon: TruncatedCube,
        patches: SquarePatches,
        area_fraction: float,
        anneal: AnnealSchedule,
        production_sweeps: int,
        *,
        seed: int,
        max_compress_sweeps: int = 20_000,
        pressure: float | None = None,
        frame_period: int = 1000,
        checkpoint_period: int = 10_000,
        device: hoomd.device.Device | None = None,
    ) -> None:
        if not 0 < area_fraction < octagon.densest_packing_fraction:
            raise ValueError(
                f"area_fraction must lie in (0, {octagon.densest_packing_fraction:.4f}) (densest "
                f"packing of this octagon), got {area_fraction!r}"
            )
        for name, value in (
            ("production_sweeps", production_sweeps),
            ("max_compress_sweeps", max_compress_sweeps),
        ):
            if int(value) != value or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")
        if pressure is not None and not pressure > 0:
            raise ValueError(f"pressure (beta P) must be positive, got {pressure!r}")
        if abs(anneal.epsilon - patches.epsilon) > 1e-12:
            raise ValueError(
                f"the anneal target {anneal.epsilon} differs from the rule's epsilon "
                f"{patches.epsilon}"
            )
        super().__init__(
            directory,
            seed=seed,
            frame_period=frame_period,
            checkpoint_period=checkpoint_period,
            device=device,
        )
        self.octagon, self.patches, self.area_fraction = octagon, patches, float(area_fraction)
        self.anneal, self.production_sweeps = anneal, int(production_sweeps)
        self.max_compress_sweeps = int(max_compress_sweeps)
        self.pressure = None if pressure is None else float(pressure)
        self.compressed_at: int | None = None

    def _model_fingerprint(self) -> dict[str, Any]:
        """Shape, patch rule, target, anneal and production (what a checkpoint must match)."""
        return {
            "octagon": self.octagon,
            "patches": self.patches,
            "area_fraction": self.area_fraction,
            "anneal": self.anneal,
            "production_sweeps": self.production_sweeps,
            "max_compress_sweeps": self.max_compress_sweeps,
            "pressure": self.pressure,
        }

    def initialize(self, frame: gsd.hoomd.Frame) -> None:
        """Start a new run: write the initial configuration ``init.gsd``, remove older files.

        Args:
            frame (gsd.hoomd.Frame): The monolayer (its step is set to 0).
        """
        self.start_fresh()
        frame.configuration.step = 0
        with gsd.hoomd.open(self.path(INITIAL), "w") as f:
            f.append(frame)

    @property
    def total_sweeps(self) -> int | None:
        """int: Last sweep of the run (known once the compression has ended)."""
        if self.compressed_at is None:
            return None
        return self.compressed_at + self.anneal.anneal_sweeps + self.production_sweeps

    @property
    def end_step(self) -> int | None:
        """int: Last sweep of the run (:attr:`total_sweeps`)."""
        return self.total_sweeps

    def _end_from_checkpoint(self, extra: Mapping[str, list[float]]) -> int | None:
        if "compressed_at" not in extra:
            return None
        return int(extra["compressed_at"][0]) + self.anneal.anneal_sweeps + self.production_sweeps

    def build(self) -> hoomd.Simulation:
        """The simulation at the checkpoint (or at ``init.gsd``) with every operation attached."""
        sim, _, extra = self._open_simulation(hoomd.device.CPU)
        self.simulation = sim
        self.compressed_at = int(extra["compressed_at"][0]) if "compressed_at" in extra else None

        mc = hoomd.hpmc.integrate.ConvexPolygon(
            default_d=extra.get("d", [0.1])[0], default_a=extra.get("a", [0.1])[0], nselect=1
        )
        mc.shape["A"] = self.octagon.hpmc_shape
        potential = square_patch_potential(self.patches, self.octagon)
        potential.params[("A", "A")] = dict(
            self.patches.absolute_parameters(self.octagon), epsilon=0.0
        )
        mc.pair_potentials = [potential]
        sim.operations.integrator = mc
        self._anneal = PatchAnneal(potential, self.anneal, self.compressed_at)
        sim.operations.updaters.append(
            hoomd.update.CustomUpdater(trigger=hoomd.trigger.Periodic(10), action=self._anneal)
        )
        self._tuner = hoomd.hpmc.tune.MoveSize.scale_solver(
            trigger=hoomd.trigger.Periodic(100),
            moves=["a", "d"],
            target=TARGET_ACCEPTANCE,
            max_translation_move=0.5,
            max_rotation_move=np.pi / 4,
        )
        if not self._in_production(sim.timestep):
            sim.operations.tuners.append(self._tuner)
        self._compress = None
        if self.compressed_at is None:
            self._compress = hoomd.hpmc.update.QuickCompress(
                trigger=hoomd.trigger.Periodic(10), target_box=self._target_box(sim)
            )
            sim.operations.updaters.append(self._compress)
        elif self.pressure is not None:
            self._add_box_moves(sim)
        self._trajectory_writer(self._logger(sim, mc, potential), dynamic=["property"])
        # Drops frames after the checkpoint, or all frames of a run killed while compressing.
        resume_trajectory(sim, self.path(TRAJECTORY))
        sim.run(0)
        self._anneal.act(sim.timestep)
        if mc.overlaps:
            raise RuntimeError(f"the configuration has {mc.overlaps} overlapping pairs")
        return sim

    def _target_box(self, sim: hoomd.Simulation) -> hoomd.Box:
        side = float(np.sqrt(sim.state.N_particles * self.octagon.area / self.area_fraction))
        return hoomd.Box.square(side)

    def _add_box_moves(self, sim: hoomd.Simulation) -> None:
        box_mc = hoomd.hpmc.update.BoxMC(trigger=hoomd.trigger.Periodic(1), betaP=self.pressure)
        box_mc.volume = dict(weight=1.0, mode="ln", delta=1e-3)
        sim.operations.updaters.append(box_mc)

    def _in_production(self, timestep: int) -> bool:
        return (
            self.compressed_at is not None
            and timestep >= self.compressed_at + self.anneal.anneal_sweeps
        )

    def _logger(self, sim, mc, potential) -> hoomd.logging.Logger:
        logger = hoomd.logging.Logger(categories=["scalar", "sequence", "object"])
        logger.add(mc, quantities=["type_shapes", "translate_moves", "rotate_moves", "mps"])
        logger.add(potential, quantities=["energy"])
        logger.add(self._anneal, quantities=["epsilon"])
        logger.add(sim, quantities=["timestep", "walltime", "tps"])
        return logger

    def _checkpoint_extra(self) -> dict[str, list[float]]:
        """Move sizes, and the sweep at which the compression ended."""
        mc = self.simulation.operations.integrator
        extra = {"d": [mc.d["A"]], "a": [mc.a["A"]]}
        if self.compressed_at is not None:
            extra["compressed_at"] = [self.compressed_at]
        return extra

    def _next_stop(self, timestep: int) -> int:
        if self.compressed_at is None:
            if timestep >= self.max_compress_sweeps:
                raise RuntimeError(
                    f"the compression to area fraction {self.area_fraction} did not finish in "
                    f"{self.max_compress_sweeps} sweeps"
                )
            return timestep + 100
        stop = min(self.total_sweeps, self._next_checkpoint(timestep))
        if not self._in_production(timestep):
            stop = min(stop, self.compressed_at + self.anneal.anneal_sweeps)
        return stop

    def _after_chunk(self, sim: hoomd.Simulation) -> bool:
        """End the compression stage when it is complete; checkpoint only after it."""
        if self._compress is not None and self._compress.complete:
            self.compressed_at = sim.timestep
            self._anneal.start = sim.timestep
            sim.operations.updaters.remove(self._compress)
            self._compress = None
            if self.pressure is not None:
                self._add_box_moves(sim)
        if self._in_production(sim.timestep) and self._tuner in sim.operations.tuners:
            sim.operations.tuners.remove(self._tuner)
        return self.compressed_at is not None
