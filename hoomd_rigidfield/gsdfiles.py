"""GSD file helpers shared by the resumable runs (Monte Carlo chains and HOOMD MD)."""

from __future__ import annotations

import os
from pathlib import Path

import gsd.hoomd


def truncate_trajectory(path: str | os.PathLike, step: int) -> int:
    """Drop the frames of a trajectory written after ``step``.

    A run resumed from a checkpoint at ``step`` then leaves no duplicated or orphaned frames.

    The file is rewritten to a temporary name and atomically replaced, so a kill during the
    truncation leaves either the old or the new file.

    Args:
        path: GSD trajectory.
        step (int): Timestep of the checkpoint the run resumes from.

    Returns:
        int: Number of frames kept.
    """
    with gsd.hoomd.open(path, "r") as f:
        steps = [int(frame.configuration.step) for frame in f]
        if all(s <= step for s in steps):
            return len(steps)
        keep = [f[i] for i, s in enumerate(steps) if s <= step]
    tmp = Path(f"{path}.tmp")
    with gsd.hoomd.open(tmp, "w") as out:
        for frame in keep:
            out.append(frame)
    os.replace(tmp, path)
    return len(keep)
