"""Checkpoints shared by the resumable HOOMD runs (Mie MD, patchy-cube HPMC).

A run keeps ``restart.gsd`` (replaced atomically) next to its ``trajectory.gsd`` (appended).
The trajectory writer is flushed just before each checkpoint, and a resumed run drops the frames
written after its checkpoint, so a kill at any moment leaves a consistent pair of files.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

import gsd.hoomd
import hoomd

from hoomd_rigidfield.gsdfiles import truncate_trajectory

#: Namespace of the extra values a checkpoint carries in its log (``log/restart/<name>``).
NAMESPACE = "restart"


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
    """The ``extra`` values stored by :func:`write_checkpoint`."""
    with gsd.hoomd.open(path, "r") as f:
        log = f[0].log
    prefix = NAMESPACE + "/"
    return {k[len(prefix) :]: [float(v) for v in log[k]] for k in log if k.startswith(prefix)}


def resume_trajectory(sim: hoomd.Simulation, trajectory: str | os.PathLike) -> None:
    """Drop trajectory frames after the simulation's (checkpoint) timestep, on rank 0."""
    communicator = sim.device.communicator
    if communicator.rank == 0 and Path(trajectory).exists():
        truncate_trajectory(trajectory, sim.timestep)
    communicator.barrier()
