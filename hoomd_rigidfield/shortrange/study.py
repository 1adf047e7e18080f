"""From a short-range state point to a quench run, and from its trajectory to its end state.

The study ``projects/short_range`` keeps its operations thin: they call these functions, which
need no HOOMD (the MD itself is :class:`hoomd_rigidfield.shortrange.md.QuenchRun`).

A state point holds ``depth`` (:math:`\\beta u_0` [kT]), ``lam`` (well width
[:math:`\\sigma`]), ``n`` (particles), ``phi`` (volume fraction :math:`N\\pi\\sigma^3/6V`),
``dt`` [:math:`\\tau`], ``gamma`` (Langevin drag [:math:`m/\\tau`]), ``time_tau`` (run length
[:math:`\\tau`]), ``frame_tau`` (between frames [:math:`\\tau`]) and ``replica`` (seeds the
initial fluid and the noise). The quench is instant: the fluid is made without attraction and
the well is on from the first step :cite:`haxton2015`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import gsd.hoomd
import numpy as np

from hoomd_rigidfield.gsdfiles import open_trajectory
from hoomd_rigidfield.shortrange.classify import QuenchClassifier
from hoomd_rigidfield.shortrange.squarewell import ContinuousSquareWell
from hoomd_rigidfield.shortrange.validation import check_real

#: Trajectory log key of the potential energy written by :class:`~.md.QuenchRun`.
LOG_POTENTIAL = "md/compute/ThermodynamicQuantities/potential_energy"
#: Smallest centre distance in the initial fluid [sigma] (the core is soft below 1).
MIN_DISTANCE = 1.05
#: Fraction of the run, at its end, over which the mean squared displacement tests arrest.
ARREST_WINDOW = 0.25


def box_length(n: int, phi: float) -> float:
    """Edge of the cubic box of ``n`` unit spheres at volume fraction ``phi`` [sigma].

    Args:
        n (int): Number of particles.
        phi (float): Volume fraction :math:`n\\pi/6V`.

    Returns:
        float: :math:`L`.

    Example:
        >>> round(box_length(500, 0.1), 3)
        13.782
    """
    if isinstance(n, bool) or int(n) != n or n < 2:
        raise ValueError(f"n must be an integer >= 2, got {n!r}")
    phi = check_real("phi", phi, 0, 0.3)
    return float((n * np.pi / 6 / phi) ** (1 / 3))


def random_fluid(n: int, length: float, rng: np.random.Generator) -> np.ndarray:
    """Random sequential insertion of ``n`` points at least :data:`MIN_DISTANCE` apart.

    Args:
        n (int): Number of points.
        length (float): Cubic box edge [sigma] (centred on the origin).
        rng (numpy.random.Generator): Random numbers.

    Returns:
        (n, 3) numpy.ndarray: Positions in ``[-L/2, L/2)``.
    """
    out = np.empty((n, 3))
    k, tries = 0, 0
    while k < n:
        trial = rng.uniform(-length / 2, length / 2, size=3)
        d = out[:k] - trial
        d -= length * np.round(d / length)
        if k == 0 or np.min(np.einsum("ij,ij->i", d, d)) >= MIN_DISTANCE**2:
            out[k] = trial
            k += 1
        tries += 1
        if tries > 1000 * n:
            raise RuntimeError(f"could not insert {n} particles in a box of {length:g} sigma")
    return out


def initial_frame(sp: Mapping[str, Any]) -> gsd.hoomd.Frame:
    """The fluid a state point starts from (no attraction yet).

    Args:
        sp (Mapping): State point (``n``, ``phi``, ``replica``).

    Returns:
        gsd.hoomd.Frame: One type ``"A"``, unit diameters and masses, zero velocities.
    """
    n, length = int(sp["n"]), box_length(int(sp["n"]), float(sp["phi"]))
    rng = np.random.default_rng(int(sp["replica"]))
    frame = gsd.hoomd.Frame()
    frame.configuration.box = [length, length, length, 0, 0, 0]
    frame.particles.N = n
    frame.particles.types = ["A"]
    frame.particles.typeid = np.zeros(n, np.uint32)
    frame.particles.position = random_fluid(n, length, rng).astype(np.float32)
    frame.particles.diameter = np.ones(n, np.float32)
    frame.particles.mass = np.ones(n, np.float32)
    return frame


def write_initial(path: str | os.PathLike, frame: gsd.hoomd.Frame) -> None:
    """Write ``init.gsd`` (one frame; HOOMD and OVITO read it).

    Args:
        path: File to (over)write.
        frame (gsd.hoomd.Frame): The configuration.
    """
    with gsd.hoomd.open(path, "w") as f:
        f.append(frame)


def _steps(sp: Mapping[str, Any], key: str) -> int:
    value = check_real(key, float(sp[key]), 0, unit="tau")
    return max(1, round(value / check_real("dt", float(sp["dt"]), 0, 0.002, unit="tau")))


def classifier(sp: Mapping[str, Any]) -> QuenchClassifier:
    """The end-state classifier of a state point (bonds within the well plus 0.02 sigma).

    Args:
        sp (Mapping): State point (``lam``).

    Returns:
        QuenchClassifier: Default thresholds (docs/shortrange.md).
    """
    return QuenchClassifier(lam=float(sp["lam"]))


def unwrapped_positions(frame: gsd.hoomd.Frame) -> np.ndarray:
    """Positions plus images times the box edges [sigma].

    Args:
        frame (gsd.hoomd.Frame): A frame with ``particles.image``.

    Returns:
        (N, 3) numpy.ndarray: Unwrapped positions.
    """
    box = np.asarray(frame.configuration.box[:3], dtype=float)
    return np.asarray(frame.particles.position, float) + np.asarray(frame.particles.image) * box


def quench_history(path: str | os.PathLike, sp: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Per-frame observables and end-state classes of a quench trajectory.

    The mean squared displacement (centre-of-mass drift removed) is measured from the first
    frame (``msd``) and, for the classification, over the last :data:`ARREST_WINDOW` of the
    time up to each frame, as a diffusion coefficient :math:`\\langle\\Delta r^2\\rangle/6\\Delta t`
    (``diffusion``; ``nan`` for the first frame).

    Args:
        path: ``trajectory.gsd`` of the run.
        sp (Mapping): Its state point.

    Returns:
        dict[str, numpy.ndarray]: ``time`` [tau], ``potential_energy`` per particle [kT],
        ``crystalline_fraction``, ``largest_cluster_fraction``, ``dense_fraction``,
        ``mean_bonds``, ``percolating``, ``msd`` [sigma^2], ``diffusion`` [sigma^2/tau] and ``state``
        (strings).
    """
    clf = classifier(sp)
    keys = ("time", "potential_energy", "crystalline_fraction", "largest_cluster_fraction",
            "dense_fraction", "mean_bonds", "percolating", "msd", "diffusion", "state")  # fmt: skip
    rows: dict[str, list] = {k: [] for k in keys}
    unwrapped, times = [], []
    with open_trajectory(path, "quench trajectory") as traj:
        for frame in traj:
            x = unwrapped_positions(frame)
            x -= x.mean(axis=0)
            unwrapped.append(x)
            times.append(int(frame.configuration.step) * float(sp["dt"]))
            k = len(unwrapped) - 1
            back = k - max(1, round(ARREST_WINDOW * k)) if k else None
            diffusion = None
            if back is not None and times[k] > times[back]:
                msd = float(np.mean(np.sum((x - unwrapped[back]) ** 2, axis=1)))
                diffusion = msd / (6 * (times[k] - times[back]))
            clf.compute(frame, diffusion=diffusion)
            rows["time"].append(times[k])
            energy = frame.log.get(LOG_POTENTIAL)
            rows["potential_energy"].append(
                float(energy[0]) / frame.particles.N if energy is not None else np.nan
            )
            for key in ("crystalline_fraction", "largest_cluster_fraction", "dense_fraction",
                        "mean_bonds", "percolating", "state"):  # fmt: skip
                rows[key].append(getattr(clf, key))
            rows["msd"].append(float(np.mean(np.sum((x - unwrapped[0]) ** 2, axis=1))))
            rows["diffusion"].append(np.nan if diffusion is None else diffusion)
    return {k: np.asarray(v) for k, v in rows.items()}


@dataclass(frozen=True)
class ShortRangeStudy:
    """The inputs of one quench state point (built by :func:`from_statepoint`).

    Args:
        statepoint (Mapping): The state point it was parsed from.
        well (ContinuousSquareWell): The interaction.
        steps (int): Run length [timesteps].
        frame_period (int): Steps between frames.
        options (dict): The other keyword arguments of :class:`~.md.QuenchRun`.
    """

    statepoint: Mapping[str, Any]
    well: ContinuousSquareWell
    steps: int
    frame_period: int
    options: dict[str, Any]

    def run_arguments(self) -> dict[str, Any]:
        """Keyword arguments of :class:`~.md.QuenchRun` (all but the directory).

        Returns:
            dict: ``well``, ``steps``, ``frame_period``, ``checkpoint_period`` and the options.
        """
        return {
            "well": self.well,
            "steps": self.steps,
            "frame_period": self.frame_period,
            "checkpoint_period": 10 * self.frame_period,
            **self.options,
        }


def from_statepoint(sp: Mapping[str, Any]) -> ShortRangeStudy:
    """Parse a quench state point once: the well, the schedule and the run options.

    Args:
        sp (Mapping): State point (module docstring).

    Returns:
        ShortRangeStudy: The inputs.
    """
    well = ContinuousSquareWell(depth=float(sp["depth"]), lam=float(sp["lam"]))
    box_length(int(sp["n"]), float(sp["phi"]))  # validates n and phi
    options = {
        "seed": int(sp["replica"]) % 65536,
        "dt": float(sp["dt"]),
        "gamma": check_real("gamma", float(sp["gamma"]), 0, unit="m/tau"),
    }
    return ShortRangeStudy(sp, well, _steps(sp, "time_tau"), _steps(sp, "frame_tau"), options)
