r"""Rotational Metropolis Monte Carlo of rigid nanocrystals on a free-energy landscape.

The move (:cite:`pbs_alignment2026`, SI 4): pick one nanocrystal :math:`j` uniformly, draw
:math:`w \sim \mathcal N(0, \epsilon^2 I_3)`, set :math:`R_j' = \exp([w]_\times) R_j` (a lab-frame
rotation by :math:`|w|` about :math:`\hat w`) and accept with
:math:`\min(1, e^{-\Delta F/k_BT})`. The proposal is symmetric, so the chain samples
:math:`e^{-F/k_BT}` with respect to the Haar measure.

Random numbers are counter based, as in HOOMD-blue: the numbers of step :math:`t` come from a
generator keyed by (seed, instance, t). A chain is therefore a pure function of its seed and
initial state, a restart needs no generator state, and the standalone driver
(:class:`RotationalMonteCarlo`) and the HOOMD updater
(:class:`hoomd_rigidfield.hoomd.FieldRotation`) produce the same chain. Both call
:func:`propose` and :func:`attempt_move`.
"""

from __future__ import annotations

import hashlib
import math
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import gsd.hoomd
import numpy as np
from tqdm.auto import tqdm

from hoomd_rigidfield import __version__, backend, fingerprints
from hoomd_rigidfield.errors import OverlapError
from hoomd_rigidfield.fieldtheory.shapes import ConvexPolyhedron
from hoomd_rigidfield.fieldtheory.solver import FieldSolver
from hoomd_rigidfield.gsdfiles import truncate_trajectory
from hoomd_rigidfield.orientation import (
    alignment_order_parameter,
    as_rotation_matrices,
    haar_quaternions,
    rotate_quaternions,
)
from hoomd_rigidfield.validation import check_finite_array

#: First word of every generator key, so that our streams differ from other users of the seed.
RNG_ID = 0x5246_4D43  # "RFMC"
#: Largest accepted rotation step :math:`\epsilon` [rad].
MAX_ROTATION_LIMIT = math.pi


def digest(*arrays: Any) -> str:
    """Short SHA-256 digest of float64 arrays (values and shapes), for checkpoint fingerprints.

    Args:
        *arrays: Array-likes of numbers.

    Returns:
        str: 16 hexadecimal digits; equal arrays give equal digests.
    """
    h = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(np.asarray(a, dtype=np.float64))
        h.update(repr(a.shape).encode())
        h.update(a.tobytes())
    return h.hexdigest()[:16]


def move_generator(seed: int, step: int, instance: int = 0) -> np.random.Generator:
    """Counter-based generator for one Monte Carlo step.

    Args:
        seed (int): Chain seed (HOOMD masks simulation seeds to 16 bits; any non-negative int
            works here).
        step (int): Step (HOOMD timestep) the move belongs to.
        instance (int): Distinguishes several movers that share a seed.

    Returns:
        numpy.random.Generator: Fresh generator; the same key always gives the same numbers.
    """
    for name, value in (("seed", seed), ("step", step), ("instance", instance)):
        if int(value) != value or value < 0:
            raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    return np.random.default_rng([RNG_ID, int(seed), int(instance), int(step)])


@dataclass(frozen=True)
class Move:
    """A proposed rotation of one nanocrystal and the uniform number that decides it.

    Attributes:
        step (int): Monte Carlo step.
        index (int): Nanocrystal to rotate.
        rotation_vector ((3,) numpy.ndarray): Lab-frame rotation vector :math:`w` [rad].
        uniform (float): Uniform number in [0, 1) compared with :math:`e^{-\\Delta F/k_BT}`.
    """

    step: int
    index: int
    rotation_vector: np.ndarray
    uniform: float

    def trial(self, quaternions: np.ndarray) -> np.ndarray:
        """Orientations after the move.

        Args:
            quaternions ((N, 4) numpy.ndarray): Current orientations (scalar first).

        Returns:
            (N, 4) numpy.ndarray: A copy with nanocrystal :attr:`index` rotated.
        """
        out = np.array(quaternions, dtype=float, copy=True)
        out[self.index] = rotate_quaternions(out[self.index], self.rotation_vector)[0]
        return out


def propose(n: int, seed: int, step: int, max_rotation: float, instance: int = 0) -> Move:
    """Draw the move of one step: a nanocrystal, a Gaussian rotation vector and a uniform number.

    Args:
        n (int): Number of nanocrystals.
        seed (int): Chain seed.
        step (int): Step number.
        max_rotation (float): Standard deviation :math:`\\epsilon` of each component of
            :math:`w` [rad] (paper: 0.2).
        instance (int): Mover instance.

    Returns:
        Move: The proposal; the same arguments always give the same move.
    """
    validate_max_rotation(max_rotation)
    if int(n) != n or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    rng = move_generator(seed, step, instance)
    index = int(rng.integers(n))
    w = rng.normal(0.0, max_rotation, 3)
    return Move(int(step), index, w, float(rng.random()))


def validate_max_rotation(max_rotation: float) -> float:
    """Check a rotation step size.

    Args:
        max_rotation (float): :math:`\\epsilon` [rad].

    Returns:
        float: ``max_rotation`` as a float.

    Raises:
        ValueError: Unless :math:`0 < \\epsilon \\le \\pi`.
    """
    eps = float(max_rotation)
    if not 0 < eps <= MAX_ROTATION_LIMIT:
        raise ValueError(f"max_rotation must lie in (0, pi] rad, got {max_rotation!r}")
    return eps


def metropolis(delta: float, kT: float, uniform: float) -> bool:
    """Metropolis criterion: accept with probability :math:`\\min(1, e^{-\\Delta/k_BT})`.

    Args:
        delta (float): Free-energy change :math:`\\Delta F` [energy].
        kT (float): Temperature [energy].
        uniform (float): Uniform number in [0, 1).

    Returns:
        bool: Whether the move is accepted.
    """
    if not math.isfinite(delta):
        raise ValueError(f"free-energy change must be finite, got {delta!r}")
    return delta <= 0.0 or uniform < math.exp(-delta / kT)


class OrientationalFreeEnergy(Protocol):
    """What the Monte Carlo needs from a free-energy model of orientations at fixed positions.

    :meth:`evaluate` computes the free energy of a trial configuration (raising
    :class:`~hoomd_rigidfield.errors.OverlapError` for a forbidden one); :meth:`accept` makes the
    last evaluated configuration the current one. ``state`` / ``load_state`` carry whatever the
    model needs to continue exactly after a restart (the field that warm-starts the solver).
    A model may also have a ``fingerprint()`` method returning a JSON-able dict of its
    parameters (as :meth:`FieldFreeEnergy.fingerprint`); checkpoints then refuse to resume
    with another model.
    """

    positions: np.ndarray
    box_length: float
    shapes: list[ConvexPolyhedron]

    def evaluate(self, quaternions: np.ndarray, reject_above: float | None = None) -> float | None:
        """Free energy of a trial configuration [energy] (the units of ``kT``).

        Args:
            quaternions ((N, 4) numpy.ndarray): Trial orientations (scalar first).
            reject_above (float): The trial's Metropolis threshold: a model may stop once its F
                is provably above it and return ``None`` (a sure rejection); ``None``: no stop.

        Returns:
            float: :math:`F`, or ``None`` for a sure rejection.

        Raises:
            OverlapError: If the configuration is forbidden (e.g. nanocrystals overlap).
        """

    def accept(self) -> None: ...  # noqa: D102

    def state(self) -> dict[str, np.ndarray]: ...  # noqa: D102

    def load_state(self, state: dict[str, np.ndarray]) -> None:
        """Restore a state saved by :meth:`state` (e.g. from a checkpoint).

        Args:
            state (dict[str, numpy.ndarray]): As returned by :meth:`state`.
        """


class FieldFreeEnergy:
    """Field-theory free energy of nanocrystals at fixed positions as a function of orientations.

    Each evaluation is a field solve warm-started from the field of the current (last accepted)
    configuration, so the chain does not depend on rejected trials. The solver re-evaluates
    only the form factors of the nanocrystal that moved, and none after a rejection.

    Args:
        solver (FieldSolver): Electrolyte, box and grid.
        shapes: One body-frame :class:`ConvexPolyhedron` for all, or one per nanocrystal.
        positions ((N, 3) array): Centres :math:`[\\mathrm{\\AA}]` in the periodic box.
    """

    def __init__(
        self, solver: FieldSolver, shapes: ConvexPolyhedron | list[ConvexPolyhedron], positions: Any
    ) -> None:
        if not isinstance(solver, FieldSolver):
            raise TypeError("solver must be a FieldSolver")
        pos = np.array(check_finite_array("positions", positions, (None, 3)), dtype=float)
        if len(pos) == 0:
            raise ValueError("positions must hold at least one nanocrystal, got shape (0, 3)")
        if isinstance(shapes, ConvexPolyhedron):
            shapes = [shapes] * len(pos)
        if len(shapes) != len(pos):
            raise ValueError(f"need one shape or {len(pos)} shapes, got {len(shapes)}")
        self.solver = solver
        self.shapes = list(shapes)
        self._positions = pos
        self._current: Any = None
        self._trial: Any = None

    @property
    def positions(self) -> np.ndarray:
        """(N, 3) numpy.ndarray: Nanocrystal centres :math:`[\\mathrm{\\AA}]`.

        Setting them (e.g. after translation moves of another integrator) keeps the warm start.
        """
        return self._positions

    @positions.setter
    def positions(self, positions: Any) -> None:
        pos = np.array(check_finite_array("positions", positions), dtype=float)
        if pos.shape != self._positions.shape:
            raise ValueError(f"positions must have shape {self._positions.shape}, got {pos.shape}")
        self._positions = pos

    @property
    def box_length(self) -> float:
        """float: Side of the periodic cubic box :math:`[\\mathrm{\\AA}]`."""
        return self.solver.box_length

    def evaluate(self, quaternions: np.ndarray, reject_above: float | None = None) -> float | None:
        """Free energy of a configuration :math:`[k_BT]`.

        Args:
            quaternions ((N, 4) numpy.ndarray): Orientations (scalar first).
            reject_above (float): Stop the solve once F is provably above this value (the
                Metropolis threshold of the trial): ``None`` is returned then.

        Returns:
            float: :math:`F`, or ``None`` if it is provably above ``reject_above``.

        Raises:
            OverlapError: If nanocrystals overlap.
        """
        self.solver.compute(
            self.shapes,
            self._positions,
            quaternions,
            initial_field=self._current,
            reject_above=reject_above,
        )
        if self.solver.rejected:
            self._trial = None
            return None
        self._trial = self.solver.field
        return self.solver.free_energy

    def accept(self) -> None:
        """Make the last evaluated configuration the current one."""
        self._current = self._trial

    def fingerprint(self) -> dict[str, Any]:
        """What determines :meth:`evaluate`: the solver's parameters, the shapes and positions.

        Returns:
            dict[str, Any]: :meth:`FieldSolver.fingerprint` plus ``shapes`` and ``positions``,
            :func:`digest` s of the body-frame vertices of every nanocrystal and of the centres.
        """
        return {
            **self.solver.fingerprint(),
            "shapes": digest(*(s.vertices for s in self.shapes)),
            "positions": digest(self._positions),
        }

    def state(self) -> dict[str, np.ndarray]:
        """dict: The field of the current configuration (host copy), for checkpoints."""
        return {} if self._current is None else {"field": backend.to_numpy(self._current)}

    def load_state(self, state: dict[str, np.ndarray]) -> None:
        """Restore :meth:`state` (the warm-start field).

        Args:
            state (dict): As returned by :meth:`state`.
        """
        field = state.get("field")
        if field is None:
            self._current = None
            return
        grid = self.solver.grid
        field = np.asarray(field, dtype=float)
        if field.size != math.prod(grid.shape):
            raise ValueError(
                f"the saved field has {field.size} values but the grid {grid.shape} needs "
                f"{math.prod(grid.shape)}: the state was saved with another n_grid"
            )
        self._current = grid.xp.asarray(field.reshape(grid.shape))


def attempt_move(
    model: OrientationalFreeEnergy,
    quaternions: np.ndarray,
    free_energy: float,
    kT: float,
    move: Move,
    veto: Callable[[np.ndarray], bool] | None = None,
) -> tuple[bool, np.ndarray, float]:
    """Apply one Metropolis step.

    Args:
        model: Free-energy model (:class:`OrientationalFreeEnergy`).
        quaternions ((N, 4) numpy.ndarray): Current orientations.
        free_energy (float): Free energy of the current orientations.
        kT (float): Temperature (same units as the free energy).
        move (Move): The proposal (:func:`propose`).
        veto: Optional hard constraint on the trial orientations (e.g. HPMC overlaps); a vetoed
            move is rejected without evaluating the free energy.

    Returns:
        tuple: ``(accepted, orientations, free_energy)`` after the step.
    """
    trial = move.trial(quaternions)
    if veto is not None and veto(trial):
        return False, quaternions, free_energy
    # Accepted iff F_trial - F < -kT ln u: the model may stop its solve once F_trial is provably
    # above that threshold (a sure rejection), so the chain is the one of exact solves.
    threshold = free_energy - kT * math.log(move.uniform) if move.uniform > 0 else math.inf
    try:
        trial_f = model.evaluate(trial, reject_above=threshold)
    except OverlapError:
        return False, quaternions, free_energy
    if trial_f is None:
        return False, quaternions, free_energy
    if metropolis(trial_f - free_energy, kT, move.uniform):
        model.accept()
        return True, trial, trial_f
    return False, quaternions, free_energy


def validate_temperature(kT: float) -> float:
    """Check a temperature.

    Args:
        kT (float): :math:`k_BT` [energy].

    Returns:
        float: ``kT``.

    Raises:
        ValueError: Unless ``kT`` is positive and finite.
    """
    kT = float(kT)
    if not (math.isfinite(kT) and kT > 0):
        raise ValueError(f"kT must be positive and finite, got {kT!r}")
    return kT


_HISTORY = ("free_energy", "mean_s", "accepted", "index")
_LOG = "rigidfield"


class RotationalMonteCarlo:
    """Standalone rotational Metropolis driver (no HOOMD needed).

    Args:
        model: Free-energy model (:class:`FieldFreeEnergy` or any
            :class:`OrientationalFreeEnergy`).
        kT (float): Metropolis temperature [energy] (paper phase diagram: 50 with
            :math:`b/k_BT = 2\\,\\mathrm{\\AA}^{-2}`).
        max_rotation (float): Step size :math:`\\epsilon` [rad] (paper: 0.2).
        seed (int): Chain seed; also draws the Haar-random initial orientations.
        instance (int): Mover instance (see :func:`move_generator`).
        orientations ((N, 4) array): Initial orientations; default Haar random from ``seed``.
        tune_until (int): Adapt :math:`\\epsilon` towards ``target_acceptance`` every
            ``tune_period`` steps before this step (equilibration only; 0: never).
        tune_period (int): Steps per adaptation window.
        target_acceptance (float): Target acceptance ratio in (0, 1).

    Example::

        model = FieldFreeEnergy(solver, nc, fcc_sites(90.0))
        mc = RotationalMonteCarlo(model, kT=50.0, seed=1)
        mc.run(1000, checkpoint="restart.gsd", trajectory="trajectory.gsd")
        mc.mean_order_parameter, mc.acceptance_ratio
    """

    def __init__(
        self,
        model: OrientationalFreeEnergy,
        kT: float,
        *,
        max_rotation: float = 0.2,
        seed: int = 0,
        instance: int = 0,
        orientations: Any = None,
        tune_until: int = 0,
        tune_period: int = 100,
        target_acceptance: float = 0.4,
    ) -> None:
        self.model = model
        self.kT = validate_temperature(kT)
        self.max_rotation = validate_max_rotation(max_rotation)
        move_generator(seed, 0, instance)  # validates both
        self.seed, self.instance = int(seed), int(instance)
        n = len(model.positions)
        if orientations is None:
            quats = haar_quaternions(n, np.random.default_rng([RNG_ID, self.seed, self.instance]))
        else:
            quats = np.array(orientations, dtype=float).reshape(-1, 4)
            as_rotation_matrices(quats, n)  # validates shape and norm
            quats = quats / np.linalg.norm(quats, axis=1, keepdims=True)
        if int(tune_until) != tune_until or tune_until < 0:
            raise ValueError(f"tune_until must be a non-negative integer, got {tune_until!r}")
        if int(tune_period) != tune_period or tune_period < 1:
            raise ValueError(f"tune_period must be a positive integer, got {tune_period!r}")
        if not 0 < target_acceptance < 1:
            raise ValueError(f"target_acceptance must lie in (0, 1), got {target_acceptance!r}")
        self.tune_until, self.tune_period = int(tune_until), int(tune_period)
        self.target_acceptance = float(target_acceptance)
        self._chain = {
            "kT": self.kT,
            "max_rotation": self.max_rotation,
            "seed": self.seed,
            "instance": self.instance,
            "n": n,
            "orientations": digest(quats),
            "tune_until": self.tune_until,
            "tune_period": self.tune_period,
            "target_acceptance": self.target_acceptance,
        }
        self._trajectories: set[Path] = set()  # trajectories this chain wrote or truncated
        self._quats = quats
        self._step = 0
        self._counts = np.zeros(2, dtype=np.int64)  # accepted, rejected
        self._window = 0  # accepted moves in the current tuning window
        self._history: dict[str, list] = {k: [] for k in _HISTORY}
        self._free_energy = float(model.evaluate(quats))
        model.accept()
        self._initial_free_energy = self._free_energy

    # ------------------------------------------------------------------ results
    @property
    def step(self) -> int:
        """int: Number of steps done."""
        return self._step

    @property
    def orientations(self) -> np.ndarray:
        """(N, 4) numpy.ndarray: Current orientations (quaternions, scalar first)."""
        return self._quats.copy()

    @property
    def free_energy(self) -> float:
        """float: Free energy of the current orientations [energy]."""
        return self._free_energy

    @property
    def order_parameter(self) -> np.ndarray:
        """(N,) numpy.ndarray: Alignment :math:`s_j` of each nanocrystal."""
        return alignment_order_parameter(self._quats)

    @property
    def mean_order_parameter(self) -> float:
        """float: :math:`\\langle s\\rangle` of the current configuration."""
        return float(self.order_parameter.mean())

    @property
    def acceptance_ratio(self) -> float:
        """float: Accepted fraction of all moves so far (NaN before the first)."""
        total = int(self._counts.sum())
        return float(self._counts[0] / total) if total else math.nan

    @property
    def history(self) -> dict[str, np.ndarray]:
        """dict[str, numpy.ndarray]: Per-step histories.

        ``free_energy`` and ``mean_s`` after each step, ``accepted`` (bool) and ``index`` (the
        nanocrystal proposed).
        """
        return {
            "free_energy": np.array(self._history["free_energy"], dtype=float),
            "mean_s": np.array(self._history["mean_s"], dtype=float),
            "accepted": np.array(self._history["accepted"], dtype=bool),
            "index": np.array(self._history["index"], dtype=np.int64),
        }

    @property
    def initial_free_energy(self) -> float:
        """float: Free energy of the initial orientations [energy]."""
        return self._initial_free_energy

    def fingerprint(self) -> dict[str, Any]:
        """Everything that determines the chain, as :meth:`save` stores it and :meth:`restore` checks.

        Returns:
            dict[str, Any]: JSON-able values by name: ``kT``, the initial ``max_rotation`` [rad],
            ``seed``, ``instance``, ``n``, ``orientations`` (:func:`digest` of the initial ones),
            the tuning parameters and, when the model has a ``fingerprint()`` method (as
            :class:`FieldFreeEnergy`), the model's (electrolyte, box, grid, solver options,
            shapes, positions).
        """
        model = getattr(self.model, "fingerprint", None)
        return {**self._chain, **(model() if model is not None else {})}

    # ------------------------------------------------------------------ running
    def run(
        self,
        steps: int,
        *,
        checkpoint: str | os.PathLike | None = None,
        checkpoint_period: int = 100,
        trajectory: str | os.PathLike | None = None,
        trajectory_period: int = 100,
        progress: bool = True,
    ) -> RotationalMonteCarlo:
        """Run ``steps`` Metropolis steps.

        Args:
            steps (int): Number of steps.
            checkpoint: GSD file rewritten (atomically) every ``checkpoint_period`` steps and at
                the end; :meth:`restore` continues from it.
            checkpoint_period (int): Steps between checkpoints.
            trajectory: GSD file to which a frame is appended every ``trajectory_period`` steps
                (orientations, ``type_shapes`` for OVITO, :math:`F`, :math:`s_j`).
            trajectory_period (int): Steps between trajectory frames.
            progress (bool): Show a progress bar.

        Returns:
            RotationalMonteCarlo: ``self``.
        """
        if int(steps) != steps or steps < 0:
            raise ValueError(f"steps must be a non-negative integer, got {steps!r}")
        for name, period in (("checkpoint", checkpoint_period), ("trajectory", trajectory_period)):
            if int(period) != period or period < 1:
                raise ValueError(f"{name}_period must be a positive integer, got {period!r}")
        if trajectory is not None:
            self._check_trajectory(trajectory)
            if self._step == 0 and not Path(trajectory).exists():
                self._append_frame(trajectory)
        bar = tqdm(total=int(steps), disable=not progress, desc="rotational MC", unit="step")
        with bar:
            for _ in range(int(steps)):
                self._advance()
                bar.update()
                if self._step % 10 == 0:
                    bar.set_postfix(
                        F=f"{self._free_energy:.6g}",
                        s=f"{self.mean_order_parameter:.3f}",
                        acc=f"{self.acceptance_ratio:.2f}",
                    )
                if trajectory is not None and self._step % trajectory_period == 0:
                    self._append_frame(trajectory)
                if checkpoint is not None and self._step % checkpoint_period == 0:
                    self.save(checkpoint)
        if checkpoint is not None:
            self.save(checkpoint)
        return self

    def run_to(
        self,
        total_steps: int,
        *,
        checkpoint: str | os.PathLike,
        trajectory: str | os.PathLike | None = None,
        max_steps: int | None = None,
        checkpoint_period: int = 100,
        trajectory_period: int = 100,
        progress: bool = True,
    ) -> RotationalMonteCarlo:
        """Run (or continue) the chain until it has made ``total_steps`` steps.

        Continues from ``checkpoint`` when it exists (dropping trajectory frames written after
        it); otherwise a stale ``trajectory`` from an earlier chain is removed and the chain
        starts afresh. Rerunning after a kill therefore gives the uninterrupted chain.

        Args:
            total_steps (int): Length of the whole chain.
            checkpoint: Checkpoint GSD file (see :meth:`save`).
            trajectory: Trajectory GSD file (optional).
            max_steps (int): Make at most this many new steps now (``None``: all).
            checkpoint_period (int): Steps between checkpoints.
            trajectory_period (int): Steps between trajectory frames.
            progress (bool): Show a progress bar.

        Returns:
            RotationalMonteCarlo: ``self``.
        """
        if Path(checkpoint).exists():
            self.restore(checkpoint, trajectory=trajectory)
        elif trajectory is not None and Path(trajectory).exists():
            Path(trajectory).unlink()
        todo = max(0, int(total_steps) - self._step)
        if max_steps is not None:
            todo = min(todo, int(max_steps))
        return self.run(
            todo,
            checkpoint=checkpoint,
            checkpoint_period=checkpoint_period,
            trajectory=trajectory,
            trajectory_period=trajectory_period,
            progress=progress,
        )

    def _advance(self) -> None:
        move = propose(len(self._quats), self.seed, self._step, self.max_rotation, self.instance)
        accepted, self._quats, self._free_energy = attempt_move(
            self.model, self._quats, self._free_energy, self.kT, move
        )
        self._counts[0 if accepted else 1] += 1
        self._window += int(accepted)
        self._step += 1
        for key, value in zip(
            _HISTORY, (self._free_energy, self.mean_order_parameter, accepted, move.index)
        ):
            self._history[key].append(value)
        if self._step <= self.tune_until and self._step % self.tune_period == 0:
            ratio = self._window / self.tune_period
            scale = min(2.0, max(0.5, ratio / self.target_acceptance)) if ratio > 0 else 0.5
            self.max_rotation = min(MAX_ROTATION_LIMIT, self.max_rotation * scale)
            self._window = 0

    # ------------------------------------------------------------------ files
    def _frame(self) -> gsd.hoomd.Frame:
        model = self.model
        L = float(model.box_length)
        frame = gsd.hoomd.Frame()
        frame.configuration.step = self._step
        frame.configuration.box = [L, L, L, 0.0, 0.0, 0.0]
        frame.particles.N = len(self._quats)
        # GSD/HOOMD boxes are centred on the origin; the solver's box has its origin at a corner.
        frame.particles.position = (np.mod(model.positions, L) - L / 2).astype(np.float32)
        frame.particles.orientation = self._quats.astype(np.float32)
        shapes = list(dict.fromkeys(model.shapes))
        frame.particles.types = [f"NC{i}" for i in range(len(shapes))]
        frame.particles.typeid = np.array([shapes.index(s) for s in model.shapes], dtype=np.uint32)
        frame.particles.type_shapes = [s.gsd_shape_spec for s in shapes]
        frame.log = {
            f"particles/{_LOG}/s": self.order_parameter,
            f"{_LOG}/free_energy": np.array([self._free_energy]),
            f"{_LOG}/mean_s": np.array([self.mean_order_parameter]),
            f"{_LOG}/acceptance_ratio": np.array([self.acceptance_ratio]),
        }
        return frame

    def _append_frame(self, path: str | os.PathLike) -> None:
        with gsd.hoomd.open(path, "a" if Path(path).exists() else "w") as f:
            f.append(self._frame())
        self._trajectories.add(Path(path).resolve())

    def _check_trajectory(self, path: str | os.PathLike) -> None:
        """Refuse to append to a trajectory of another chain, or to one ahead of this chain."""
        if not Path(path).exists():
            return
        with gsd.hoomd.open(path, "r") as f:
            if len(f) == 0:
                return
            last = int(f[-1].configuration.step)
        foreign = self._step == 0 and Path(path).resolve() not in self._trajectories
        if foreign or last > self._step:
            raise ValueError(
                f"trajectory {path} already holds frames up to step {last} and this chain is at "
                f"step {self._step}: appending would mix two chains in one file. Delete it or "
                "choose another file for a new chain; to continue a chain, use run_to() or "
                "restore(checkpoint, trajectory=...), which drop the frames after the checkpoint"
            )

    def save(self, path: str | os.PathLike) -> None:
        """Write a checkpoint.

        It holds the orientations (exact, float64), counters, step size, histories, the
        model's state and the chain's :meth:`fingerprint` (as JSON, with the package version,
        which is recorded but not compared). The file is replaced atomically, so a kill never
        leaves a broken one.

        Args:
            path: GSD file name.
        """
        frame = self._frame()
        frame.log.update(
            {
                f"{_LOG}/checkpoint/orientation": self._quats,
                f"{_LOG}/checkpoint/scalars": np.array(
                    [self.kT, self.max_rotation, self._free_energy, self._initial_free_energy]
                ),
                f"{_LOG}/checkpoint/integers": np.array(
                    [self.seed, self.instance, self._step, *self._counts, self._window],
                    dtype=np.int64,
                ),
            }
        )
        for key, value in self.history.items():
            frame.log[f"{_LOG}/checkpoint/history/{key}"] = (
                value.astype(np.int64) if value.dtype == bool else value
            )
        for key, value in self.model.state().items():
            frame.log[f"{_LOG}/checkpoint/model/{key}"] = np.asarray(value).ravel()
        frame.log[f"{_LOG}/checkpoint/fingerprint"] = fingerprints.encode(
            self.fingerprint(), version=__version__
        )
        tmp = Path(f"{path}.tmp")
        with gsd.hoomd.open(tmp, "w") as f:
            f.append(frame)
        os.replace(tmp, path)

    def restore(
        self, path: str | os.PathLike, trajectory: str | os.PathLike | None = None
    ) -> RotationalMonteCarlo:
        """Continue from a checkpoint written by :meth:`save` by a run with the same seed.

        Args:
            path: Checkpoint GSD file.
            trajectory: Trajectory of the same run; frames written after the checkpoint (by a
                run that was killed) are dropped so the resumed run appends them again.

        Returns:
            RotationalMonteCarlo: ``self``.

        Raises:
            ValueError: If the file is not a checkpoint, or it belongs to a different chain: its
                :meth:`fingerprint` differs from this chain's (the message names the differing
                fields). A checkpoint without a fingerprint (written before fingerprints existed)
                is accepted with a :class:`UserWarning` when seed, instance, kT and the number of
                nanocrystals agree.
        """
        with gsd.hoomd.open(path, "r") as f:
            if len(f) == 0:
                raise ValueError(f"checkpoint {path} has no frame: delete it to start afresh")
            log = f[-1].log
        ck = f"{_LOG}/checkpoint/"
        if ck + "scalars" not in log:
            raise ValueError(
                f"{path} is not a RotationalMonteCarlo checkpoint (its log has no {ck}scalars): "
                "a trajectory or another program's file?"
            )
        kT, max_rotation, free_energy, initial = log[ck + "scalars"]
        seed, instance, step, acc, rej, window = (int(v) for v in log[ck + "integers"])
        quats = np.asarray(log[ck + "orientation"], dtype=float).reshape(-1, 4)
        if ck + "fingerprint" in log:
            self._check_fingerprint(path, log[ck + "fingerprint"])
        else:
            mine = (self.seed, self.instance, self.kT, len(self._quats))
            theirs = (seed, instance, float(kT), len(quats))
            if mine != theirs:
                raise ValueError(
                    f"checkpoint {path} is from another chain: (seed, instance, kT, N) = "
                    f"{theirs}, this run has {mine}; delete it to start a fresh chain"
                )
            warnings.warn(
                f"checkpoint {path} has no fingerprint (written by an older version): only seed, "
                "instance, kT and N were checked; delete it to start a fresh chain if the model "
                "(electrolyte, shapes, grid, box, positions, solver options) changed",
                UserWarning,
                stacklevel=2,
            )
        self._quats = quats
        self.max_rotation = float(max_rotation)
        self._free_energy, self._initial_free_energy = float(free_energy), float(initial)
        self._step, self._counts[:], self._window = step, (acc, rej), window
        self._history = {k: list(log[ck + "history/" + k]) for k in _HISTORY}
        self._history["accepted"] = [bool(v) for v in self._history["accepted"]]
        prefix = ck + "model/"
        self.model.load_state({k[len(prefix) :]: v for k, v in log.items() if k.startswith(prefix)})
        if trajectory is not None and Path(trajectory).exists():
            truncate_trajectory(trajectory, step)
            self._trajectories.add(Path(trajectory).resolve())
        return self

    def _check_fingerprint(self, path: str | os.PathLike, raw: np.ndarray) -> None:
        """Raise unless the checkpoint's fingerprint equals this chain's."""
        try:
            theirs = fingerprints.decode(raw)
        except ValueError as err:
            raise ValueError(
                f"checkpoint {path}: {err}; delete it to start a fresh chain"
            ) from None
        differ = fingerprints.differences(self.fingerprint(), theirs)
        if differ:
            raise ValueError(
                f"checkpoint {path} is from another chain or model: it differs in "
                f"{'; '.join(differ)}. Delete {path} (and its trajectory) to start a fresh chain, "
                "or resume with the parameters it was written with"
            )
