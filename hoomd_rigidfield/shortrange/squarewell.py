"""A continuous square well for molecular dynamics: pseudo-hard core plus a smooth step.

.. math::

    \\beta u(r) = \\beta u_\\mathrm{PHS}(r) - \\frac{\\beta u_0}{2}\\left[1 -
    \\tanh\\frac{r - (1+\\lambda)\\sigma}{w}\\right] + \\mathrm{const},

with the pseudo-hard-sphere core of Jover et al. :cite:`jover2012`: Mie 50-49 of depth
:math:`\\varepsilon_c` cut at its minimum :math:`(50/49)\\sigma` and shifted up by
:math:`\\varepsilon_c`, at :math:`kT/\\varepsilon_c = 1.5`, where it behaves like a hard
sphere of diameter :math:`\\approx\\sigma`. The step is cut at :math:`(1+\\lambda)\\sigma + 10w`
and shifted to zero there (a :math:`2\\times10^{-9}u_0` shift). Lengths in :math:`\\sigma`,
energies in kT (HOOMD runs at :math:`kT = 1`).

The model is not the square well of the literature: compare it through its Noro-Frenkel
equivalent (:meth:`ContinuousSquareWell.equivalent`), never directly.

Example:
    >>> well = ContinuousSquareWell(depth=3.0, lam=0.1)
    >>> round(float(well.energy(1.03)), 4)
    -3.0
    >>> eq = well.equivalent()
    >>> round(eq.sigma_eff, 3), round(eq.lam, 3)
    (1.0, 0.093)
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from hoomd_rigidfield.shortrange.corresponding_states import (
    EquivalentSquareWell,
    equivalent_square_well,
)
from hoomd_rigidfield.shortrange.validation import check_distances, check_real

#: Exponents of the pseudo-hard-sphere core :cite:`jover2012`.
CORE_N, CORE_M = 50.0, 49.0
#: Its temperature :math:`kT/\\varepsilon_c`.
CORE_TEMPERATURE = 1.5
#: Default step width :math:`w` [:math:`\\sigma`].
STEP_WIDTH = 0.01
#: The step is cut this many widths beyond its centre.
STEP_CUT = 10.0
#: Smallest distance from the core's edge to the step's centre, in step widths.
MIN_STEP_CLEARANCE = 3.0


def core_cutoff(sigma: float = 1.0) -> float:
    """Edge of the pseudo-hard core, :math:`(50/49)\\sigma`, its Mie minimum.

    Args:
        sigma (float): Core diameter.

    Returns:
        float: The cut-off distance.

    Example:
        >>> round(core_cutoff(), 6)
        1.020408
    """
    return check_real("sigma", sigma, 0) * (CORE_N / CORE_M) ** (1 / (CORE_N - CORE_M))


def core_prefactor() -> float:
    """Mie prefactor :math:`C = \\frac{n}{n-m}(n/m)^{m/(n-m)}` of the 50-49 core.

    Returns:
        float: :math:`C` (134.55).

    Example:
        >>> round(core_prefactor(), 2)
        134.55
    """
    n, m = CORE_N, CORE_M
    return n / (n - m) * (n / m) ** (m / (n - m))


@dataclass(frozen=True)
class ContinuousSquareWell:
    """Pseudo-hard core plus a tanh step (module docstring); lengths in :math:`\\sigma`, kT.

    Args:
        depth (float): :math:`\\beta u_0` [kT] (>= 0).
        lam (float): Step position :math:`\\lambda` (well width) [:math:`\\sigma`].
        width (float): Step width :math:`w` [:math:`\\sigma`].
        sigma (float): Core diameter.
        core_temperature (float): :math:`kT/\\varepsilon_c` of the core.
    """

    depth: float
    lam: float
    width: float = STEP_WIDTH
    sigma: float = 1.0
    core_temperature: float = CORE_TEMPERATURE

    def __post_init__(self) -> None:
        check_real("depth", self.depth, 0, low_open=False, unit="kT")
        check_real("width", self.width, 0, unit="sigma")
        check_real("sigma", self.sigma, 0)
        check_real("core_temperature", self.core_temperature, 0)
        lowest = (core_cutoff(self.sigma) + MIN_STEP_CLEARANCE * self.width) / self.sigma - 1
        check_real("lam", self.lam, lowest, 10.0, low_open=False, unit="sigma")

    @property
    def core_epsilon(self) -> float:
        """float: :math:`\\varepsilon_c` [kT]."""
        return 1.0 / self.core_temperature

    @property
    def step(self) -> float:
        """float: Step centre :math:`(1+\\lambda)\\sigma`."""
        return (1 + self.lam) * self.sigma

    @property
    def r_cut(self) -> float:
        """float: Cut-off of the step :math:`(1+\\lambda)\\sigma + 10w`."""
        return self.step + STEP_CUT * self.width

    def core_energy(self, r: np.ndarray | float) -> np.ndarray:
        """Pseudo-hard-sphere energy [kT] (0 beyond :func:`core_cutoff`).

        Args:
            r: Distances [:math:`\\sigma`].

        Returns:
            numpy.ndarray: Energies, shaped like ``r``.
        """
        d = check_distances("r", r) / self.sigma
        eps = self.core_epsilon
        u = core_prefactor() * eps * (d**-CORE_N - d**-CORE_M) + eps
        return np.where(d < core_cutoff(), u, 0.0)

    def core_force(self, r: np.ndarray | float) -> np.ndarray:
        """:math:`-du_\\mathrm{PHS}/dr` [kT/:math:`\\sigma`].

        Args:
            r: Distances [:math:`\\sigma`].

        Returns:
            numpy.ndarray: Forces (positive: repulsive), shaped like ``r``.
        """
        d = check_distances("r", r) / self.sigma
        f = (
            core_prefactor()
            * self.core_epsilon
            * (CORE_N * d ** -(CORE_N + 1) - CORE_M * d**-CORE_N)
        )
        return np.where(d < core_cutoff(), f / self.sigma, 0.0)

    def step_energy(self, r: np.ndarray | float) -> np.ndarray:
        """The smooth step, shifted to 0 at :attr:`r_cut` and 0 beyond [kT].

        Args:
            r: Distances [:math:`\\sigma`].

        Returns:
            numpy.ndarray: Energies, shaped like ``r``.
        """
        d = check_distances("r", r)
        u = -0.5 * self.depth * (1 - np.tanh((d - self.step) / self.width))
        shift = -0.5 * self.depth * (1 - math.tanh(STEP_CUT))
        return np.where(d < self.r_cut, u - shift, 0.0)

    def step_force(self, r: np.ndarray | float) -> np.ndarray:
        """:math:`-du_\\mathrm{step}/dr` [kT/:math:`\\sigma`] (negative: attractive).

        Args:
            r: Distances [:math:`\\sigma`].

        Returns:
            numpy.ndarray: Forces, shaped like ``r``.
        """
        d = check_distances("r", r)
        f = -0.5 * self.depth / self.width / np.cosh((d - self.step) / self.width) ** 2
        return np.where(d < self.r_cut, f, 0.0)

    def energy(self, r: np.ndarray | float) -> np.ndarray:
        """Total pair energy [kT].

        Args:
            r: Distances [:math:`\\sigma`].

        Returns:
            numpy.ndarray: Energies, shaped like ``r``.
        """
        return self.core_energy(r) + self.step_energy(r)

    def force(self, r: np.ndarray | float) -> np.ndarray:
        """Total pair force :math:`-du/dr` [kT/:math:`\\sigma`].

        Args:
            r: Distances [:math:`\\sigma`].

        Returns:
            numpy.ndarray: Forces, shaped like ``r``.
        """
        return self.core_force(r) + self.step_force(r)

    def step_table(self, r_min: float, points: int) -> tuple[np.ndarray, np.ndarray]:
        """The step tabulated for HOOMD's ``md.pair.Table``.

        The grid is ``linspace(r_min, r_cut, points, endpoint=False)``.

        Args:
            r_min (float): First grid point [:math:`\\sigma`] (below any reachable distance).
            points (int): Number of grid points.

        Returns:
            tuple: Energies [kT] and forces [kT/:math:`\\sigma`] on the grid.
        """
        r0 = check_real("r_min", r_min, 0, self.r_cut, high_open=True)
        if isinstance(points, bool) or int(points) != points or points < 2:
            raise ValueError(f"points must be an integer >= 2, got {points!r}")
        r = np.linspace(r0, self.r_cut, int(points), endpoint=False)
        return self.step_energy(r), self.step_force(r)

    @functools.cached_property
    def zero(self) -> float:
        """float: Where the core branch crosses zero energy, the BH :math:`r_0` [sigma]."""
        return float(
            optimize.brentq(lambda x: float(self.energy(x)), 0.9 * self.sigma, self.minimum)
        )

    @functools.cached_property
    def minimum(self) -> float:
        """float: Position of the energy minimum [:math:`\\sigma`]."""
        lo, hi = 0.98 * self.sigma, self.step
        r = np.linspace(lo, hi, 2001)
        i = int(np.argmin(self.energy(r)))
        a, b = r[max(i - 1, 0)], r[min(i + 1, len(r) - 1)]
        res = optimize.minimize_scalar(
            lambda x: float(self.energy(x)), bounds=(a, b), method="bounded",
            options={"xatol": 1e-10},
        )  # fmt: skip
        return float(res.x)

    def equivalent(self, diameter: str = "nf") -> EquivalentSquareWell:
        """The Noro-Frenkel square well of this model :cite:`noro2000`.

        Args:
            diameter (str): ``"nf"`` (default) or ``"bh"``.

        Returns:
            EquivalentSquareWell: Depth, width (in units of its :math:`\\sigma_\\mathrm{eff}`),
            :math:`\\sigma_\\mathrm{eff}` [:math:`\\sigma`] and :math:`B_2^*`.
        """
        kinks = [core_cutoff(self.sigma), self.step - 5 * self.width, self.step,
                 self.step + 5 * self.width]  # fmt: skip
        return equivalent_square_well(
            self.energy,
            self.minimum,
            r_max=self.r_cut,
            breakpoints=[k for k in kinks if k < self.r_cut] + [0.9 * self.sigma, self.zero],
            diameter=diameter,
            r0=self.zero,
        )
