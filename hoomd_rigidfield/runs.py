"""The resumable HOOMD run shared by the suites (Mie MD, patchy-cube HPMC) and its checkpoints.

A run directory holds ``init.gsd`` (written once), ``trajectory.gsd`` (appended) and
``restart.gsd`` (replaced atomically). The trajectory writer is flushed just before each
checkpoint, and a resumed run drops the frames written after its checkpoint, so a kill at any
moment leaves a consistent pair of files. :class:`ResumableRun` holds the file names, "start
fresh", :attr:`~ResumableRun.done`, the run loop and its performance figures; a suite's run says
only how to build its simulation, where its next chunk ends and what its checkpoint carries.
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import gsd.hoomd
from tqdm.auto import tqdm

from hoomd_rigidfield.errors import hoomd_import_error

try:
    import hoomd  # HOOMD-blue itself (absolute import)
except ImportError as err:
    raise hoomd_import_error(__name__, f"import hoomd failed: {err}") from err
if int(str(hoomd.version.version).split(".")[0]) < 4:
    raise hoomd_import_error(__name__, f"found HOOMD-blue {hoomd.version.version}")

from hoomd_rigidfield import __version__, fingerprints
from hoomd_rigidfield.gsdfiles import INITIAL, RESTART, TRAJECTORY, truncate_trajectory

#: Namespace of the extra values a checkpoint carries in its log (``log/restart/<name>``).
NAMESPACE = "restart"
#: Name of the extra value that holds the run's fingerprint (:mod:`~hoomd_rigidfield.fingerprints`).
FINGERPRINT = "fingerprint"


def write_checkpoint(
    sim: hoomd.Simulation,
    path: str | os.PathLike,
    extra: Mapping[str, Sequence[float]] | None = None,
    writer: hoomd.write.GSD | None = None,
) -> None:
    """Flush ``writer``, then atomically replace ``path`` with the state and ``extra`` values.

    Args:
        sim (hoomd.Simulation): The simulation (all ranks call this).
        path: Checkpoint file.
        extra (Mapping[str, Sequence[float]]): Values a resumed run needs that the state does
            not hold (thermostat variables, move sizes), stored as ``log/restart/<name>``.
        writer (hoomd.write.GSD): Trajectory writer to flush first.
    """
    if writer is not None:
        writer.flush()
    logger = hoomd.logging.Logger(categories=["sequence"])
    for name, values in (extra or {}).items():
        frozen = [float(v) for v in values]
        logger[(NAMESPACE, name)] = (lambda v=frozen: v, "sequence")
    tmp = Path(f"{path}.tmp")
    hoomd.write.GSD.write(state=sim.state, filename=str(tmp), mode="wb", logger=logger)
    if sim.device.communicator.rank == 0:  # GSD.write is collective, the rename is not
        os.replace(tmp, path)
    sim.device.communicator.barrier()


def read_checkpoint_extra(path: str | os.PathLike) -> dict[str, list[float]]:
    """The ``extra`` values stored by :func:`write_checkpoint`.

    Args:
        path (str | os.PathLike): Checkpoint file.

    Returns:
        dict[str, list[float]]: Values by name (without the ``restart/`` prefix).

    Raises:
        ValueError: If the file has no frame (a run killed before its first checkpoint was
            complete cannot leave one, as checkpoints are replaced atomically).
    """
    with gsd.hoomd.open(path, "r") as f:
        if len(f) == 0:
            raise ValueError(f"checkpoint {path} has no frame: delete it to start the run afresh")
        log = f[0].log
    prefix = NAMESPACE + "/"
    return {k[len(prefix) :]: [float(v) for v in log[k]] for k in log if k.startswith(prefix)}


def resume_trajectory(sim: hoomd.Simulation, trajectory: str | os.PathLike) -> None:
    """Drop trajectory frames after the simulation's (checkpoint) timestep, on rank 0.

    Args:
        sim (hoomd.Simulation): The simulation, resumed from its checkpoint (all ranks call this).
        trajectory (str | os.PathLike): Trajectory file; nothing happens if it does not exist.
    """
    communicator = sim.device.communicator
    if communicator.rank == 0 and Path(trajectory).exists():
        truncate_trajectory(trajectory, sim.timestep)
    communicator.barrier()


def _positive_int(name: str, value: int) -> int:
    if isinstance(value, bool) or int(value) != value or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


class ResumableRun:
    """Base of a HOOMD run in a directory that resumes exactly after a kill.

    A subclass builds its simulation (:meth:`build`, which calls :meth:`_open_simulation`), says
    where the next chunk of the run ends (:meth:`_next_stop`), what happens between chunks
    (:meth:`_after_chunk`), what its checkpoint carries beyond the state
    (:meth:`_checkpoint_extra`) and where the run ends (:attr:`end_step`,
    :meth:`_end_from_checkpoint`).

    Args:
        directory: Run directory (created).
        seed (int): HOOMD random seed, 0-65535.
        frame_period (int): Timesteps between trajectory frames.
        checkpoint_period (int): Timesteps between checkpoints.
        device (hoomd.device.Device): HOOMD device (``None``: the subclass's default).
    """

    #: What one timestep is called in progress bars and :attr:`performance` (``"step"``, ``"sweep"``).
    unit = "step"
    #: Label of the progress bar.
    label = "HOOMD"

    def __init__(
        self,
        directory: str | os.PathLike,
        *,
        seed: int,
        frame_period: int,
        checkpoint_period: int,
        device: hoomd.device.Device | None = None,
    ) -> None:
        if isinstance(seed, bool) or int(seed) != seed or not 0 <= seed <= 65535:
            raise ValueError(f"seed must be an integer in [0, 65535], got {seed!r}")
        self.directory = Path(directory)
        self.seed = int(seed)
        self.frame_period = _positive_int("frame_period", frame_period)
        self.checkpoint_period = _positive_int("checkpoint_period", checkpoint_period)
        self.device = device
        self.simulation: hoomd.Simulation | None = None
        #: Timesteps, wall seconds and rates of the last :meth:`run`.
        self.performance: dict[str, float] = {}
        self._writer: hoomd.write.GSD | None = None

    # ------------------------------------------------------------------ files
    def path(self, name: str) -> Path:
        """Path of a run file (:data:`INITIAL`, :data:`TRAJECTORY`, :data:`RESTART`).

        Args:
            name (str): File name.

        Returns:
            pathlib.Path: The file in the run directory.
        """
        return self.directory / name

    def start_fresh(self) -> None:
        """Create the directory and remove the checkpoint and trajectory of an earlier run.

        A new start must not resume: a stale ``restart.gsd`` would be continued.
        """
        self.directory.mkdir(parents=True, exist_ok=True)
        for stale in (RESTART, TRAJECTORY):
            self.path(stale).unlink(missing_ok=True)

    @property
    def done(self) -> bool:
        """bool: The checkpoint has reached the end of the run."""
        if not self.path(RESTART).exists():
            return False
        end = self._end_from_checkpoint(read_checkpoint_extra(self.path(RESTART)))
        if end is None:
            return False
        with gsd.hoomd.open(self.path(RESTART), "r") as f:
            return int(f[0].configuration.step) >= end

    @property
    def end_step(self) -> int | None:
        """int: Last timestep of the run (``None`` while it is not known yet)."""
        raise NotImplementedError

    def _end_from_checkpoint(self, extra: Mapping[str, list[float]]) -> int | None:
        """Last timestep of the run as the checkpoint's extra values determine it."""
        return self.end_step

    # ------------------------------------------------------------------ simulation
    def build(self) -> hoomd.Simulation:
        """The simulation at the checkpoint (or at ``init.gsd``) with every operation attached.

        Returns:
            hoomd.Simulation: Ready to run; :attr:`simulation` is set to it.
        """
        raise NotImplementedError

    def _open_simulation(
        self, default_device: Callable[[], hoomd.device.Device]
    ) -> tuple[hoomd.Simulation, bool, dict[str, list[float]]]:
        """A simulation whose state is read from ``restart.gsd`` if it exists, else ``init.gsd``.

        Args:
            default_device: Makes the device when :attr:`device` is ``None``.

        Returns:
            tuple: ``(simulation, resumed, extra values of the checkpoint)``.
        """
        if not self.path(INITIAL).exists():
            raise FileNotFoundError(f"{self.path(INITIAL)} is missing: call initialize() first")
        device = self.device if self.device is not None else default_device()
        sim = hoomd.Simulation(device=device, seed=self.seed)
        resume = self.path(RESTART).exists()
        sim.create_state_from_gsd(str(self.path(RESTART if resume else INITIAL)))
        extra = read_checkpoint_extra(self.path(RESTART)) if resume else {}
        if resume:
            self._check_checkpoint(extra)
            extra.pop(FINGERPRINT, None)
        return sim, resume, extra

    def _trajectory_writer(self, logger: hoomd.logging.Logger, **kwargs) -> hoomd.write.GSD:
        """The appending trajectory writer (every :attr:`frame_period` steps), added to the run.

        Args:
            logger (hoomd.logging.Logger): What each frame logs.
            **kwargs: More arguments of :class:`hoomd.write.GSD` (e.g. ``dynamic``).

        Returns:
            hoomd.write.GSD: The writer.
        """
        self._writer = hoomd.write.GSD(
            trigger=hoomd.trigger.Periodic(self.frame_period),
            filename=str(self.path(TRAJECTORY)),
            mode="ab",
            filter=hoomd.filter.All(),
            logger=logger,
            **kwargs,
        )
        self.simulation.operations.writers.append(self._writer)
        return self._writer

    def _checkpoint_extra(self) -> dict[str, Sequence[float]]:
        """Values a resumed run needs that the state does not hold."""
        return {}

    def _model_fingerprint(self) -> dict[str, Any]:
        """What, besides the seed, determines the run (model, thermodynamics, protocol)."""
        return {}

    def fingerprint(self) -> dict[str, Any]:
        """Everything that determines the run, as its checkpoints carry it.

        Returns:
            dict[str, Any]: The run class, the seed and the subclass's model, thermodynamic and
            protocol parameters (JSON values). Frame and checkpoint periods are not part of it:
            they change what is written, not the run.
        """
        return fingerprints.as_json_value(
            {"run": type(self).__name__, "seed": self.seed, **self._model_fingerprint()}
        )

    def checkpoint(self) -> None:
        """Flush the trajectory, then atomically replace ``restart.gsd`` with the current state."""
        extra = dict(self._checkpoint_extra())
        extra[FINGERPRINT] = fingerprints.encode(self.fingerprint(), version=__version__)
        write_checkpoint(self.simulation, self.path(RESTART), extra, self._writer)

    def _check_checkpoint(self, extra: Mapping[str, list[float]]) -> None:
        """Refuse a checkpoint of another run (its fingerprint differs from :meth:`fingerprint`).

        Raises:
            ValueError: Naming the differing fields and how to start afresh.
        """
        fresh = f"delete {self.path(RESTART)} and {self.path(TRAJECTORY)} (or call initialize())"
        if FINGERPRINT not in extra:
            warnings.warn(
                f"checkpoint {self.path(RESTART)} has no fingerprint (written by an older "
                f"version): resuming without checking that it is this run's; {fresh} if the model "
                "or the protocol changed",
                UserWarning,
                stacklevel=3,
            )
            return
        fingerprints.check(self.path(RESTART), self.fingerprint(), extra[FINGERPRINT], fresh)

    def _next_checkpoint(self, timestep: int) -> int:
        """The first multiple of :attr:`checkpoint_period` after ``timestep``."""
        return (timestep // self.checkpoint_period + 1) * self.checkpoint_period

    def _next_stop(self, timestep: int) -> int:
        """Timestep at which the chunk that starts at ``timestep`` ends (<= ``timestep``: done)."""
        raise NotImplementedError

    def _after_chunk(self, sim: hoomd.Simulation) -> bool:
        """Between chunks: change stages; return whether to write a checkpoint now."""
        return True

    def _performance(self, steps: int, seconds: float, n_particles: int) -> dict[str, float]:
        per_second = steps / seconds if steps else 0.0
        return {
            f"{self.unit}s": steps,
            "seconds": seconds,
            f"{self.unit}s_per_second": per_second,
            f"particle_{self.unit}s_per_second": per_second * n_particles,
            "N": n_particles,
        }

    def run(
        self,
        *,
        progress: bool = True,
        stop_after: int | None = None,
        callback: Callable[[hoomd.Simulation], None] | None = None,
    ) -> hoomd.Simulation:
        """Run (or continue) to the end, one checkpointed chunk at a time.

        Args:
            progress (bool): Show a tqdm progress bar (timesteps).
            stop_after (int): Stop after this many timesteps of this call (tests of resuming).
            callback: Called as ``callback(sim)`` after each chunk.

        Returns:
            hoomd.Simulation: The simulation at the end (or where it stopped).
        """
        if stop_after is not None:
            stop_after = _positive_int("stop_after", stop_after)
        sim = self.build()
        first, clock = sim.timestep, time.perf_counter()
        limit = None if stop_after is None else first + stop_after
        with tqdm(
            total=self.end_step,
            initial=sim.timestep,
            unit=self.unit,
            disable=not progress or sim.device.communicator.rank != 0,
            desc=self.label,
        ) as bar:
            while True:
                stop = self._next_stop(sim.timestep)
                if limit is not None:
                    stop = min(stop, limit)
                if stop <= sim.timestep:
                    break
                start = sim.timestep
                sim.run(stop - start)
                if self._after_chunk(sim):
                    self.checkpoint()
                if callback is not None:
                    callback(sim)
                bar.total = self.end_step
                bar.update(sim.timestep - start)
        seconds = time.perf_counter() - clock
        self.performance = self._performance(sim.timestep - first, seconds, sim.state.N_particles)
        return sim
