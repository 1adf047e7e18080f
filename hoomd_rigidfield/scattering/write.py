"""In-situ S(q, t) while HOOMD-blue runs: a writer that fits the superlattice peak as it grows.

:class:`StructureFactorWriter` is a :class:`hoomd.write.CustomWriter` whose action takes the
state every ``trigger`` steps, computes the centre structure factor of the chosen types and fits
its first peak (:class:`~hoomd_rigidfield.scattering.insitu.StructureFactorHistory`), and
rewrites a CSV table (timestep, peak position, lattice parameter, Scherrer grain size, ...)
after each analysis. It follows a compression as seed 002's in-situ SAXS did
:cite:`marino2024` without writing a trajectory first. The analysis runs on rank 0 of an MPI
run (the snapshot is gathered there).

Example::

    writer = StructureFactorWriter(
        hoomd.trigger.Periodic(10_000), "sq.csv", q_max=12.0, types=["L"], lattice="fcc"
    )
    sim.operations.writers.append(writer)
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import gsd.hoomd
import numpy as np

from hoomd_rigidfield.errors import hoomd_import_error
from hoomd_rigidfield.scattering.insitu import (
    StructureFactorFrames,
    StructureFactorHistory,
    write_csv,
)

try:
    import hoomd
except ImportError as err:
    raise hoomd_import_error(__name__, f"import hoomd failed: {err}") from err


def snapshot_frame(snapshot: Any, step: int) -> gsd.hoomd.Frame:
    """A :class:`gsd.hoomd.Frame` with the box, types and positions of a HOOMD snapshot.

    Args:
        snapshot (hoomd.Snapshot): The state (rank 0).
        step (int): Its timestep.

    Returns:
        gsd.hoomd.Frame: The frame.
    """
    frame = gsd.hoomd.Frame()
    frame.configuration.step = int(step)
    frame.configuration.box = np.asarray(snapshot.configuration.box, dtype=np.float64)
    frame.configuration.dimensions = int(snapshot.configuration.dimensions)
    frame.particles.N = int(snapshot.particles.N)
    frame.particles.types = list(snapshot.particles.types)
    frame.particles.typeid = np.asarray(snapshot.particles.typeid).copy()
    frame.particles.position = np.asarray(snapshot.particles.position).copy()
    return frame


class StructureFactorAction(hoomd.custom.Action):
    """Compute and fit S(q) of the current state, append it, rewrite the CSV table.

    Args:
        filename: CSV table (rewritten after each analysis; see
            :func:`~hoomd_rigidfield.scattering.insitu.write_csv` for its columns).
        history (StructureFactorHistory): The analysis (its parameters: q grid, types,
            lattice, peak profile).
        structure_factor_filename: Optional CSV of S(q, t) (header: timestep, q values).
    """

    def __init__(
        self,
        filename: str | os.PathLike,
        history: StructureFactorHistory,
        structure_factor_filename: str | os.PathLike | None = None,
    ) -> None:
        if not isinstance(history, StructureFactorHistory):
            raise ValueError(f"history must be a StructureFactorHistory, got {history!r}")
        self.filename = Path(filename)
        self.structure_factor_filename = (
            None if structure_factor_filename is None else Path(structure_factor_filename)
        )
        self.history = history
        self._frames: list[StructureFactorFrames] = []

    @property
    def result(self) -> StructureFactorFrames | None:
        """StructureFactorFrames: Every analysis so far (``None`` before the first)."""
        if not self._frames:
            return None
        parts = self._frames
        first = parts[0]
        stacked = {
            name: np.concatenate([getattr(p, name) for p in parts])
            for name in first.__dataclass_fields__
            if name not in ("q", "lattice", "structure_factor")
        }
        stacked["structure_factor"] = np.vstack([p.structure_factor for p in parts])
        return StructureFactorFrames(q=first.q, lattice=first.lattice, **stacked)

    def act(self, timestep: int) -> None:
        """Analyse the state at ``timestep`` (rank 0) and rewrite the table."""
        snapshot = self._state.get_snapshot()
        if snapshot.communicator.rank != 0:
            return
        self.history.compute([snapshot_frame(snapshot, timestep)])
        self._frames.append(self.history.result)
        write_csv(
            self.result,
            self.filename,
            structure_factor_path=self.structure_factor_filename,
        )


class StructureFactorWriter(hoomd.write.CustomWriter):
    """HOOMD writer of in-situ S(q, t) and its fitted superlattice peak.

    Args:
        trigger (hoomd.trigger.Trigger | int): When to analyse (an int is a period in steps).
        filename: CSV table of the peak fits.
        q_max (float): Largest q of S(q) [length^-1].
        num_q (int): Points of the q grid.
        types (Sequence[str]): Particle types to include (``None``: all), e.g. ``["L"]``.
        lattice (str): ``"fcc"``, ``"bcc"``, ``"sc"`` or ``None`` (spacing only) to index the
            first peak.
        structure_factor_filename: Optional CSV of S(q, t).
        **kwargs: More :class:`~hoomd_rigidfield.scattering.insitu.StructureFactorHistory`
            parameters (``q_min``, ``method``, ``profile``, ``shape_factor``, ...).
    """

    def __init__(
        self,
        trigger: Any,
        filename: str | os.PathLike,
        q_max: float,
        *,
        num_q: int = 400,
        types: Sequence[str] | None = None,
        lattice: str | None = "fcc",
        structure_factor_filename: str | os.PathLike | None = None,
        **kwargs: Any,
    ) -> None:
        history = StructureFactorHistory(q_max, num_q, types=types, lattice=lattice, **kwargs)
        action = StructureFactorAction(filename, history, structure_factor_filename)
        super().__init__(trigger=trigger, action=action)

    @property
    def result(self) -> StructureFactorFrames | None:
        """StructureFactorFrames: Every analysis so far (``None`` before the first)."""
        return self._action.result
