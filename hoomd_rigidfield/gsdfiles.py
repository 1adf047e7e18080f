"""GSD file helpers shared by the resumable runs (Monte Carlo chains and HOOMD MD)."""

from __future__ import annotations

import os
from pathlib import Path

import gsd.fl
import numpy as np

#: Files of a run directory (every suite): the initial configuration, the trajectory (appended;
#: OVITO and freud read it) and the HOOMD checkpoint (replaced atomically).
INITIAL, TRAJECTORY, RESTART = "init.gsd", "trajectory.gsd", "restart.gsd"

_STEP = "configuration/step"


def truncate_trajectory(path: str | os.PathLike, step: int) -> int:
    """Drop the frames of a trajectory written after ``step``.

    A run resumed from a checkpoint at ``step`` then leaves no duplicated or orphaned frames.
    The kept frames are copied chunk by chunk with :mod:`gsd.fl`, keeping the file's schema and
    schema version (``gsd.hoomd`` would write its own, newer schema version, which HOOMD-blue 4
    refuses to append to). The copy goes to a temporary name that atomically replaces the file,
    so a kill during the truncation leaves either the old or the new file.

    Args:
        path: GSD trajectory.
        step (int): Timestep of the checkpoint the run resumes from.

    Returns:
        int: Number of frames kept.
    """
    with gsd.fl.open(path, "r") as src:
        # The hoomd schema omits a chunk equal to frame 0's: such a frame has frame 0's step.
        first = (
            int(src.read_chunk(0, _STEP)[0]) if src.nframes and src.chunk_exists(0, _STEP) else 0
        )
        steps = [
            int(src.read_chunk(i, _STEP)[0]) if src.chunk_exists(i, _STEP) else first
            for i in range(src.nframes)
        ]
        keep = np.flatnonzero(np.asarray(steps) <= step)
        if len(keep) == src.nframes:
            return len(keep)
        names = src.find_matching_chunk_names("")
        tmp = Path(f"{path}.tmp")
        with gsd.fl.open(
            tmp,
            "w",
            application=src.application,
            schema=src.schema,
            schema_version=src.schema_version,
        ) as dst:
            for i in keep:
                for name in names:
                    if src.chunk_exists(int(i), name):
                        dst.write_chunk(name, src.read_chunk(int(i), name))
                dst.end_frame()
    os.replace(tmp, path)
    return len(keep)
