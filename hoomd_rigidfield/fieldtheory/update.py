r"""Field-theory rotational Metropolis moves applied to the particles of a HOOMD-blue simulation.

:class:`FieldRotation` is a :class:`hoomd.custom.Action`; :class:`FieldRotationUpdater` wraps it in
a :class:`hoomd.update.CustomUpdater`. Each call rotates one nanocrystal by the move of
:func:`hoomd_rigidfield.fieldtheory.montecarlo.propose` keyed by ``(simulation.seed, instance, timestep)`` and
accepts it with :math:`\min(1, e^{-\Delta F/k_BT})` through
:func:`hoomd_rigidfield.fieldtheory.montecarlo.attempt_move`, so a HOOMD run and the standalone
:class:`~hoomd_rigidfield.fieldtheory.montecarlo.RotationalMonteCarlo` give the same chain: HOOMD calls
``act(t)`` with the timestep *before* the step advances, so a simulation started at timestep 0
makes the moves of standalone steps 0, 1, 2, ...

See ``docs/hoomd_updater.md`` for the design notes.
"""

from __future__ import annotations

import math
import warnings
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from hoomd_rigidfield.errors import hoomd_import_error

try:
    import hoomd  # HOOMD-blue itself (absolute import)
except ImportError as err:
    raise hoomd_import_error(__name__, f"import hoomd failed: {err}") from err
if int(str(hoomd.version.version).split(".")[0]) < 4:
    raise hoomd_import_error(__name__, f"found HOOMD-blue {hoomd.version.version}")

from hoomd_rigidfield.errors import OverlapError, hoomd_import_error
from hoomd_rigidfield.fieldtheory.montecarlo import (
    Move,
    OrientationalFreeEnergy,
    attempt_move,
    move_generator,
    propose,
    validate_max_rotation,
    validate_temperature,
)
from hoomd_rigidfield.orientation import alignment_order_parameter

#: Logger namespace of the loggable quantities.
NAMESPACE = ("rigidfield", "FieldRotation")
#: Tolerance (relative to the box length) under which HOOMD positions and the model's positions
#: are taken to be the same when the updater first sees a simulation.
POSITION_TOL = 1e-9
#: Orientations whose norm differs from 1 by more than this (e.g. single precision ones read from
#: a GSD file) are renormalised, in the simulation too, before the first move.
NORM_TOL = 1e-12


def _hpmc_integrator_class() -> type | None:
    """HOOMD-blue's HPMC integrator base class, or ``None`` when HPMC is not built."""
    hpmc = getattr(hoomd, "hpmc", None)  # hoomd imports hoomd.hpmc when it is built
    return None if hpmc is None else hpmc.integrate.HPMCIntegrator


def _check_box(box: hoomd.Box, box_length: float) -> None:
    """Require a cubic 3D box of side ``box_length`` :math:`[\\mathrm{\\AA}]`."""
    lengths = (box.Lx, box.Ly, box.Lz)
    tilts = (box.xy, box.xz, box.yz)
    if (
        box.is2D
        or any(t != 0 for t in tilts)
        or not all(math.isclose(x, lengths[0], rel_tol=1e-12) for x in lengths)
    ):
        raise ValueError(
            "FieldRotation needs a cubic 3D box without tilt (the field solver's box); got "
            f"L = {lengths}, tilts (xy, xz, yz) = {tilts}"
        )
    if not math.isclose(lengths[0], box_length, rel_tol=1e-9):
        raise ValueError(
            f"the simulation box side L = {lengths[0]!r} differs from the model's box_length = "
            f"{box_length!r}; build the FieldSolver with the simulation's box length"
        )


@hoomd.logging.modify_namespace(NAMESPACE)
class FieldRotation(hoomd.custom.Action):
    r"""Rotational Metropolis moves of nanocrystals on the field-theory free energy.

    Every call to :meth:`act` rotates one randomly chosen particle by
    :math:`R' = \exp([w]_\times) R` with :math:`w \sim \mathcal N(0, \epsilon^2 I_3)` and accepts
    with :math:`\min(1, e^{-\Delta F/k_BT})`, where :math:`\Delta F` comes from a warm-started
    field solve of ``model``. Positions are not moved; when another operation (e.g. an HPMC
    integrator) has translated particles since the last call, the model's positions are updated
    and the current free energy is re-evaluated before the move.

    Particle ``tag`` :math:`j` is nanocrystal :math:`j` of the model. The solver's box has its
    origin at a corner, HOOMD's is centred: model position = HOOMD position + :math:`L/2`.

    Args:
        model: Free-energy model at fixed positions
            (:class:`~hoomd_rigidfield.fieldtheory.montecarlo.FieldFreeEnergy` or any
            :class:`~hoomd_rigidfield.fieldtheory.montecarlo.OrientationalFreeEnergy`); its ``box_length``
            must equal the (cubic) simulation box side and it must hold one position per particle.
        kT (float): Metropolis temperature, in the units of the model's free energy [energy].
        max_rotation (float): Step size :math:`\epsilon`, the standard deviation of each component
            of the rotation vector [rad], in :math:`(0, \pi]` (paper: 0.2).
        instance (int): Distinguishes movers that share the simulation seed.
        integrator_veto (bool): When the simulation's integrator is an HPMC integrator, reject
            a trial rotation that makes HPMC report overlaps (``mc.overlaps > 0``). Otherwise
            (or when ``False``) only the model's own overlap test
            (:class:`~hoomd_rigidfield.errors.OverlapError`) rejects.

    Raises:
        ValueError: On an invalid argument; at attach time, if the box is not cubic with side
            ``model.box_length`` or the number of particles differs from the model's.
        RuntimeError: At attach time, on more than one MPI rank (not supported).

    Example::

        model = FieldFreeEnergy(solver, nc, positions + solver.box_length / 2)
        action = FieldRotation(model, kT=50.0)
        sim.operations.updaters.append(
            hoomd.update.CustomUpdater(trigger=hoomd.trigger.Periodic(1), action=action)
        )
        logger.add(action, quantities=["free_energy", "mean_order_parameter", "type_shapes"])
    """

    def __init__(
        self,
        model: OrientationalFreeEnergy,
        kT: float,
        max_rotation: float = 0.2,
        instance: int = 0,
        integrator_veto: bool = True,
    ) -> None:
        super().__init__()
        for attr in ("positions", "box_length", "shapes", "evaluate", "accept"):
            if not hasattr(model, attr):
                raise TypeError(
                    f"model must follow the OrientationalFreeEnergy protocol (no {attr!r} on "
                    f"{type(model).__name__})"
                )
        self.model = model
        self.kT = kT
        self.max_rotation = max_rotation
        move_generator(0, 0, instance)  # validates
        self.instance = int(instance)
        self.integrator_veto = bool(integrator_veto)
        self._sim_ref: Callable[[], Any] | None = None
        self._reset()

    def _reset(self) -> None:
        self._counts = np.zeros(2, dtype=np.int64)  # accepted, rejected
        self._free_energy: float | None = None
        self._quats: np.ndarray | None = None  # (N, 4) tag order, as last seen / written
        self._positions: np.ndarray | None = None  # (N, 3) tag order, HOOMD frame
        self._last_move: Move | None = None
        self._last_accepted: bool | None = None

    # ------------------------------------------------------------------ parameters
    @property
    def kT(self) -> float:  # noqa: N802
        """float: Metropolis temperature [energy] (same units as the model's free energy)."""
        return self._kT

    @kT.setter
    def kT(self, value: float) -> None:  # noqa: N802
        self._kT = validate_temperature(value)

    @hoomd.logging.log
    def max_rotation(self) -> float:
        """float: Rotation step size :math:`\\epsilon` [rad], in :math:`(0, \\pi]`."""
        return self._max_rotation

    @max_rotation.setter
    def max_rotation(self, value: float) -> None:
        self._max_rotation = validate_max_rotation(value)

    # ------------------------------------------------------------------ attach / detach
    def attach(self, simulation: hoomd.Simulation) -> None:
        """Attach to a simulation; check its box, particle number and MPI layout.

        Args:
            simulation (hoomd.Simulation): The simulation (a weak reference is kept).
        """
        if simulation.device.communicator.num_ranks > 1:
            raise RuntimeError(
                "FieldRotation does not support MPI: run on one rank "
                f"(got {simulation.device.communicator.num_ranks})"
            )
        state = simulation.state
        _check_box(state.box, float(self.model.box_length))
        n_model = len(self.model.positions)
        if state.N_particles != n_model:
            raise ValueError(
                f"the model has {n_model} nanocrystals but the simulation has "
                f"{state.N_particles} particles; they must correspond one to one (tag j = "
                "nanocrystal j)"
            )
        if simulation.seed is None:
            warnings.warn(
                "Simulation.seed is not set; FieldRotation uses seed 0 (as HOOMD-blue does)",
                RuntimeWarning,
                stacklevel=2,
            )
        mc = simulation.operations.integrator
        hpmc = _hpmc_integrator_class()
        if hpmc is not None and isinstance(mc, hpmc):
            rotating = [t for t in state.particle_types if mc.a[t] > 0]
            if rotating:
                warnings.warn(
                    f"the HPMC integrator also rotates types {rotating} (a > 0) without the "
                    "field free energy; set mc.a[type] = 0 to sample the field-theory ensemble",
                    RuntimeWarning,
                    stacklevel=2,
                )
        super().attach(simulation)
        self._sim_ref = weakref.ref(simulation)
        self._reset()

    def detach(self) -> None:
        """Detach from the simulation (the model keeps its state)."""
        super().detach()
        self._sim_ref = None

    def _simulation(self) -> hoomd.Simulation:
        sim = self._sim_ref() if self._sim_ref is not None else None
        if sim is None:
            raise RuntimeError("FieldRotation is not attached to a live simulation")
        return sim

    # ------------------------------------------------------------------ state access
    def _read(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Positions (HOOMD frame), orientations and type ids, all in tag order."""
        with self._state.cpu_local_snapshot as snap:
            tag = np.array(snap.particles.tag, copy=True)
            n = len(tag)
            pos = np.empty((n, 3))
            quat = np.empty((n, 4))
            typeid = np.empty(n, dtype=np.int64)
            pos[tag] = snap.particles.position
            quat[tag] = snap.particles.orientation
            typeid[tag] = snap.particles.typeid
        return pos, quat, typeid

    def _write_orientation(self, tag: int | np.ndarray, quaternion: np.ndarray) -> None:
        with self._state.cpu_local_snapshot as snap:
            snap.particles.orientation[snap.particles.rtag[tag]] = quaternion

    def _normalized(self, quats: np.ndarray) -> np.ndarray:
        """Renormalise (here and in the simulation) quaternions that are not unit ones."""
        norms = np.linalg.norm(quats, axis=1)
        bad = np.flatnonzero(np.abs(norms - 1.0) > NORM_TOL)
        if len(bad) == 0:
            return quats
        if np.any(np.abs(norms[bad] - 1.0) > 1e-3):
            raise ValueError(
                f"particles {bad[np.abs(norms[bad] - 1.0) > 1e-3].tolist()} have orientation "
                "quaternions far from unit norm; set valid orientations in the simulation"
            )
        quats = quats.copy()
        quats[bad] /= norms[bad, None]
        self._write_orientation(bad, quats[bad])
        return quats

    def _sync(self) -> tuple[np.ndarray, float]:
        """Bring the model up to date with the simulation; return orientations and F."""
        pos, quats, _ = self._read()
        quats = self._normalized(quats)
        L = float(self.model.box_length)
        _check_box(self._state.box, L)
        new_pos = pos + L / 2.0
        stale = self._free_energy is None
        if stale:
            # First call: keep the model's positions when they are the same points (avoids
            # rounding and periodic images changing the chain relative to a standalone run).
            d = new_pos - np.asarray(self.model.positions, dtype=float)
            d -= L * np.round(d / L)
            if np.max(np.abs(d)) > POSITION_TOL * L:
                self.model.positions = new_pos
        else:
            if not np.array_equal(pos, self._positions):
                self.model.positions = new_pos
                stale = True
            if not np.array_equal(quats, self._quats):
                stale = True
        if stale:
            try:
                self._free_energy = float(self.model.evaluate(quats))
            except OverlapError as err:
                raise OverlapError(
                    "the field model finds the simulation's current configuration forbidden "
                    f"(timestep {self._simulation().timestep}): {err}"
                ) from err
            self.model.accept()
        self._positions, self._quats = pos, quats
        return quats, self._free_energy

    def _overlap_veto(self, move: Move) -> Callable[[np.ndarray], bool] | None:
        if not self.integrator_veto:
            return None
        mc = self._simulation().operations.integrator
        hpmc = _hpmc_integrator_class()
        if hpmc is None or not isinstance(mc, hpmc):
            return None

        def veto(trial: np.ndarray) -> bool:
            self._write_orientation(move.index, trial[move.index])
            return mc.overlaps > 0  # act() writes the final orientation back either way

        return veto

    # ------------------------------------------------------------------ the move
    def act(self, timestep: int) -> None:
        """Attempt one rotation move.

        Args:
            timestep (int): HOOMD timestep; keys the random numbers with the simulation seed.
        """
        sim = self._simulation()
        quats, free_energy = self._sync()
        seed = 0 if sim.seed is None else int(sim.seed)
        move = propose(len(quats), seed, int(timestep), self._max_rotation, self.instance)
        accepted, new_quats, new_f = attempt_move(
            self.model, quats, free_energy, self._kT, move, veto=self._overlap_veto(move)
        )
        self._write_orientation(move.index, new_quats[move.index])
        self._quats, self._free_energy = new_quats, float(new_f)
        self._counts[0 if accepted else 1] += 1
        self._last_move, self._last_accepted = move, accepted

    # ------------------------------------------------------------------ results
    @property
    def last_move(self) -> Move | None:
        """Move: The proposal of the last :meth:`act` call (``None`` before the first)."""
        return self._last_move

    @property
    def last_accepted(self) -> bool | None:
        """bool: Whether the last move was accepted (``None`` before the first)."""
        return self._last_accepted

    @hoomd.logging.log(requires_run=True)
    def free_energy(self) -> float:
        """float: Free energy :math:`F` of the current orientations [energy].

        The value after the last move, at the positions the updater last saw (an integrator
        that translates particles afterwards changes it at the next call). Before the first
        move it is evaluated from the simulation's state.
        """
        if self._free_energy is None:
            self._sync()
        return float(self._free_energy)

    @hoomd.logging.log(category="particle", requires_run=True)
    def order_parameter(self) -> np.ndarray:
        """(N,) numpy.ndarray: Alignment :math:`s_j` of each particle, in tag order."""
        return alignment_order_parameter(self._read()[1])

    @hoomd.logging.log(requires_run=True)
    def mean_order_parameter(self) -> float:
        """float: Mean alignment :math:`\\langle s\\rangle` of the current orientations."""
        return float(np.mean(self.order_parameter))

    @hoomd.logging.log(category="sequence")
    def rotate_moves(self) -> tuple[int, int]:
        """tuple[int, int]: Accepted and rejected moves since the updater was attached."""
        return int(self._counts[0]), int(self._counts[1])

    @hoomd.logging.log
    def acceptance_ratio(self) -> float:
        """float: Accepted fraction of the moves since attaching (NaN before the first)."""
        total = int(self._counts.sum())
        return float(self._counts[0] / total) if total else math.nan

    @hoomd.logging.log(category="object", requires_run=True)
    def type_shapes(self) -> list[dict]:
        """list[dict]: One GSD shape specification per particle type (body frame).

        Taken from the model's shapes, so that OVITO draws the nanocrystals when this is logged
        to a GSD file (HOOMD's GSD writer stores it in ``particles/type_shapes``). A type
        without particles gets ``{}`` (undefined shape in the GSD specification).

        Raises:
            ValueError: If particles of one type have different shapes in the model.
        """
        typeid = self._read()[2]
        shapes = list(self.model.shapes)
        specs = []
        for t, name in enumerate(self._state.particle_types):
            members = np.flatnonzero(typeid == t)
            if len(members) == 0:
                specs.append({})
                continue
            spec = shapes[members[0]].gsd_shape_spec
            for j in members[1:]:
                if shapes[j] is not shapes[members[0]] and shapes[j].gsd_shape_spec != spec:
                    raise ValueError(
                        f"particles of type {name!r} have different shapes in the model "
                        f"(tags {members[0]} and {j}); give each shape its own particle type"
                    )
            specs.append(spec)
        return specs


class FieldRotationUpdater(hoomd.update.CustomUpdater):
    r"""A :class:`hoomd.update.CustomUpdater` running a :class:`FieldRotation`.

    Attributes and loggables of the action are available on the updater (``updater.kT``,
    ``updater.free_energy``, ...); pass the updater itself to :meth:`hoomd.logging.Logger.add`.

    Args:
        trigger (hoomd.trigger.trigger_like): Timesteps at which a move is attempted.
        model: Free-energy model (see :class:`FieldRotation`).
        kT (float): Metropolis temperature [energy].
        max_rotation (float): Step size :math:`\epsilon` [rad].
        instance (int): Mover instance.
        integrator_veto (bool): Reject rotations that create HPMC overlaps.

    Example::

        updater = FieldRotationUpdater(trigger=hoomd.trigger.Periodic(1), model=model, kT=50.0)
        sim.operations.updaters.append(updater)
        sim.run(1000)
        updater.acceptance_ratio, updater.free_energy
    """

    def __init__(
        self,
        trigger: hoomd.trigger.Trigger | int,
        model: OrientationalFreeEnergy,
        kT: float,
        *,
        max_rotation: float = 0.2,
        instance: int = 0,
        integrator_veto: bool = True,
    ) -> None:
        action = FieldRotation(
            model,
            kT,
            max_rotation=max_rotation,
            instance=instance,
            integrator_veto=integrator_veto,
        )
        super().__init__(trigger=trigger, action=action)
