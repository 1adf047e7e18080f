"""Compression schedules: the effective volume fraction as a function of the timestep.

A schedule is piecewise linear in :math:`\\phi_{eff}` (so linear in number density, as in
the slow compressions of :cite:`marino2024`): equilibrate at ``phi_initial``, compress quickly to
``phi_start``, ramp slowly to ``phi_end``, hold. The same schedule drives a periodic box
(:math:`V = V_{eff}/\\phi`) and a spherical droplet (:math:`R = (3V/4\\pi)^{1/3}`), and it is a
pure function of the timestep, so a restarted run picks it up where it stopped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Log namespace of :class:`~hoomd_rigidfield.mie.md.Compression`, pinned so that file keys do not
#: depend on where the class lives (it was ``hoomd_rigidfield.hoomd.mie`` when the first
#: trajectories were written).
COMPRESSION_NAMESPACE = ("hoomd_rigidfield", "hoomd", "mie", "Compression")
#: Trajectory log key of the effective volume fraction.
LOG_PHI = "/".join((*COMPRESSION_NAMESPACE, "volume_fraction"))

#: Random close packing of spheres; a schedule beyond it is an input error.
PHI_LIMIT = 0.74


@dataclass(frozen=True)
class CompressionSchedule:
    """Effective volume fraction versus timestep.

    Args:
        phi_initial (float): Volume fraction of the initial random fluid.
        phi_start (float): Start of the slow ramp.
        phi_end (float): End of the slow ramp.
        equilibrate_steps (int): Steps at ``phi_initial``.
        precompress_steps (int): Steps from ``phi_initial`` to ``phi_start``.
        ramp_steps (int): Steps from ``phi_start`` to ``phi_end``.
        hold_steps (int): Steps at ``phi_end``.
        frozen_steps (int): Steps during which a seed (if any) is held fixed; 0 for none.
    """

    phi_initial: float
    phi_start: float
    phi_end: float
    equilibrate_steps: int = 0
    precompress_steps: int = 0
    ramp_steps: int = 0
    hold_steps: int = 0
    frozen_steps: int = 0

    def __post_init__(self) -> None:
        phis = (self.phi_initial, self.phi_start, self.phi_end)
        if not all(0 < p < PHI_LIMIT for p in phis):
            raise ValueError(f"volume fractions must lie in (0, {PHI_LIMIT}), got {phis}")
        if not self.phi_initial <= self.phi_start <= self.phi_end:
            raise ValueError(f"a compression needs phi_initial <= phi_start <= phi_end, got {phis}")
        for name in ("equilibrate", "precompress", "ramp", "hold", "frozen"):
            value = getattr(self, f"{name}_steps")
            if int(value) != value or value < 0:
                raise ValueError(f"{name}_steps must be a non-negative integer, got {value!r}")
            object.__setattr__(self, f"{name}_steps", int(value))
        if self.frozen_steps > self.total_steps:
            raise ValueError(
                f"frozen_steps = {self.frozen_steps} exceeds the schedule's {self.total_steps} "
                "steps"
            )

    @property
    def knots(self) -> tuple[np.ndarray, np.ndarray]:
        """tuple: Timesteps and volume fractions of the piecewise-linear schedule."""
        steps = np.cumsum(
            [0, self.equilibrate_steps, self.precompress_steps, self.ramp_steps, self.hold_steps]
        )
        phis = [self.phi_initial, self.phi_initial, self.phi_start, self.phi_end, self.phi_end]
        return steps, np.array(phis)

    @property
    def total_steps(self) -> int:
        """int: Length of the schedule in timesteps."""
        return int(self.knots[0][-1])

    @property
    def ramp_begin(self) -> int:
        """int: Timestep at which the slow ramp starts."""
        return int(self.knots[0][2])

    def phi(self, step: int | np.ndarray) -> float | np.ndarray:
        """Target effective volume fraction at ``step`` (held at the ends).

        Args:
            step: Timestep(s).

        Returns:
            :math:`\\phi_{eff}` at each step.
        """
        steps, phis = self.knots
        return np.interp(step, steps, phis)

    def volume(self, step: int | np.ndarray, particle_volume: float) -> float | np.ndarray:
        """Target volume :math:`V = V_{eff}/\\phi_{eff}(t)` :math:`[\\sigma_{LL}^3]`.

        Args:
            step: Timestep(s).
            particle_volume (float): Sum of the effective particle volumes
                :math:`[\\sigma_{LL}^3]` (see
                :meth:`~hoomd_rigidfield.mie.potential.MieMixture.effective_particle_volume`).
        """
        if not particle_volume > 0:
            raise ValueError(f"particle_volume must be positive, got {particle_volume!r}")
        return particle_volume / self.phi(step)

    def droplet_radius(self, step: int | np.ndarray, particle_volume: float):
        """Droplet radius with the target volume, :math:`(3V/4\\pi)^{1/3}` :math:`[\\sigma_{LL}]`.

        Args:
            step (int | numpy.ndarray): Timestep(s).
            particle_volume (float): Sum of the effective particle volumes
                :math:`[\\sigma_{LL}^3]` (see :meth:`volume`).

        Returns:
            float | numpy.ndarray: Radius :math:`R` at each step :math:`[\\sigma_{LL}]`.
        """
        return (3 * self.volume(step, particle_volume) / (4 * np.pi)) ** (1 / 3)
