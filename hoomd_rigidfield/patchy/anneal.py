"""The bond-depth schedule of a patchy-cube run: a geometric ramp of epsilon/kT, then constant."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Log namespace of :class:`~hoomd_rigidfield.patchy.hpmc.PatchAnneal`, pinned so that file keys do
#: not depend on where the class lives (it was ``hoomd_rigidfield.hoomd.patchy`` when the first
#: trajectories were written).
ANNEAL_NAMESPACE = ("hoomd_rigidfield", "hoomd", "patchy", "PatchAnneal")
#: Trajectory log key of the bond depth set by the anneal.
LOG_EPSILON = "/".join((*ANNEAL_NAMESPACE, "epsilon"))


@dataclass(frozen=True)
class AnnealSchedule:
    """Geometric ramp of :math:`\\varepsilon/kT` after compression, then constant.

    Args:
        epsilon (float): Final :math:`\\varepsilon/kT` (>= 0).
        anneal_sweeps (int): Length of the ramp [sweeps] (>= 0).
        start (float): :math:`\\varepsilon/kT` at the start of the ramp (> 0); the ramp
            multiplies it by a constant factor each sweep up to ``epsilon``.
    """

    epsilon: float
    anneal_sweeps: int
    start: float = 0.5

    def __post_init__(self) -> None:
        if not (np.isfinite(self.epsilon) and self.epsilon >= 0):
            raise ValueError(f"epsilon must be finite and >= 0 (kT), got {self.epsilon!r}")
        sweeps = float(self.anneal_sweeps)
        if not (np.isfinite(sweeps) and sweeps.is_integer() and sweeps >= 0):
            raise ValueError(
                f"anneal_sweeps must be a non-negative integer, got {self.anneal_sweeps!r}"
            )
        if not self.start > 0:
            raise ValueError(f"start must be positive (kT), got {self.start!r}")

    def __call__(self, sweeps_since_compression: int | np.ndarray) -> float | np.ndarray:
        """:math:`\\varepsilon/kT` a number of sweeps after the compression ended."""
        x = np.asarray(sweeps_since_compression, dtype=float)
        if self.epsilon == 0 or self.start >= self.epsilon or self.anneal_sweeps == 0:
            return np.full_like(x, self.epsilon) if x.ndim else float(self.epsilon)
        frac = np.clip(x / self.anneal_sweeps, 0.0, 1.0)  # before the ramp: start
        value = self.start * (self.epsilon / self.start) ** frac
        return value if x.ndim else float(value)
