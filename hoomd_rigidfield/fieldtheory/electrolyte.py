r"""Landau-Ginzburg model of a concentrated (strong) electrolyte.

The bulk Hamiltonian of the charge density :math:`\phi` (:cite:`pbs_alignment2026`, SI eq. 5.1) is

.. math::

    H_0 = -a\int\phi^2 + m\int|\nabla\phi|^2
          + Q^2\iint\frac{\phi(\mathbf r)\phi(\mathbf r')}{|\mathbf r-\mathbf r'|},

whose inverse susceptibility is
:math:`D(k) = 1/\hat\chi(k) = 2a\,(l_c^2k^2 + 1/(l_s^2k^2) - 1)` with :math:`l_c^2 = m/a` and
:math:`l_s^2 = a/(4\pi Q^2)`. For :math:`l_s/l_c < 2` the poles of :math:`\hat\chi` are complex,
:math:`k_0 = (\gamma + i)/\alpha`, and the real-space response is a damped oscillation
:math:`\chi(r) = A\,e^{-r/\alpha}\cos(\gamma r/\alpha - \theta)/(4\pi r)`.

The nanocrystal couples to the field by an interface term :math:`b\int\Sigma\phi` and is kept
(almost) free of charge by the penalty :math:`\lambda\int\eta\phi^2`; both couplings are held here
so that one object carries every parameter of the Hamiltonian. Units: lengths in Angstrom,
energies in :math:`k_BT`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from hoomd_rigidfield.backend import get_array_module
from hoomd_rigidfield.validation import check_positive, check_real


class Electrolyte:
    r"""Parameters of the strong-electrolyte field theory.

    Construct from the correlation and screening lengths, or with :meth:`from_alpha_gamma` from
    the decay length and oscillation parameter of :math:`\chi(r)`.

    Args:
        l_c (float): Correlation length :math:`l_c = \sqrt{m/a}` :math:`[\mathrm{\AA}]`.
        l_s (float): Screening length :math:`l_s = \sqrt{a/(4\pi Q^2)}` :math:`[\mathrm{\AA}]`;
            :math:`0 < l_s/l_c < 2` (local-order regime).
        a (float): Harmonic coefficient :math:`a > 0` :math:`[k_BT\,\mathrm{\AA}^{-3}]` per unit
            field squared. The free energy scales as :math:`b^2/a`.
        b (float): Interface coupling :math:`b` (any sign; default :math:`100\,a`,
            the paper's :math:`b/a = 100\,\mathrm{\AA}`).
        lam (float): Constraint penalty :math:`\lambda \ge 0` (default :math:`500\,a`).

    Raises:
        ValueError: On non-positive lengths, :math:`l_s/l_c \ge 2`, :math:`a \le 0` or
            :math:`\lambda < 0`, with the valid range in the message.

    Example::

        el = Electrolyte.from_alpha_gamma(alpha=3.0, gamma=2.1)
        el.l_c, el.l_s  # (1.14876, 1.44816)
    """

    def __init__(
        self,
        l_c: float,
        l_s: float,
        *,
        a: float = 1.0,
        b: float | None = None,
        lam: float | None = None,
    ) -> None:
        self._l_c = check_positive("l_c", l_c, "A")
        self._l_s = check_positive("l_s", l_s, "A")
        ratio = self._l_s / self._l_c
        if ratio >= 2.0:
            raise ValueError(
                f"l_s/l_c = {ratio:.6g} is outside the local-order regime: the theory needs "
                "0 < l_s/l_c < 2 (for l_s/l_c >= 2 the bulk is unstable and the linear "
                "system is not positive definite)"
            )
        self._a = check_positive("a", a)
        self._b = 100.0 * self._a if b is None else check_real("b", b, unit="A")
        self._lam = 500.0 * self._a if lam is None else check_real("lam", lam, 0.0, low_open=False)

    @classmethod
    def from_alpha_gamma(
        cls,
        alpha: float,
        gamma: float,
        *,
        a: float = 1.0,
        b: float | None = None,
        lam: float | None = None,
    ) -> Electrolyte:
        r"""Construct from the decay length :math:`\alpha` and oscillation parameter :math:`\gamma`.

        Inverts SI eq. 5.5: :math:`l_c = \alpha/\sqrt{2(\gamma^2-1)}`,
        :math:`l_s = \alpha\sqrt{2(\gamma^2-1)}/(\gamma^2+1)`.

        Args:
            alpha (float): Decay length :math:`\alpha > 0` :math:`[\mathrm{\AA}]`.
            gamma (float): Dimensionless :math:`\gamma > 1`.
            a (float): See :class:`Electrolyte`.
            b (float): See :class:`Electrolyte`.
            lam (float): See :class:`Electrolyte`.

        Returns:
            Electrolyte: The equivalent parameter set.

        Raises:
            ValueError: If :math:`\alpha \le 0` or :math:`\gamma \le 1`.
        """
        alpha = check_positive("alpha", alpha, "A")
        gamma = check_real("gamma", gamma, 1.0)  # gamma <= 1: no damped-oscillation regime
        g2 = gamma * gamma
        l_c = alpha / math.sqrt(2.0 * (g2 - 1.0))
        l_s = alpha * math.sqrt(2.0 * (g2 - 1.0)) / (g2 + 1.0)
        return cls(l_c, l_s, a=a, b=b, lam=lam)

    def __repr__(self) -> str:
        return (
            f"hoomd_rigidfield.Electrolyte(l_c={self._l_c!r}, l_s={self._l_s!r}, "
            f"a={self._a!r}, b={self._b!r}, lam={self._lam!r})"
        )

    @property
    def l_c(self) -> float:
        r"""float: Correlation length :math:`[\mathrm{\AA}]`."""
        return self._l_c

    @property
    def l_s(self) -> float:
        r"""float: Screening length :math:`[\mathrm{\AA}]`."""
        return self._l_s

    @property
    def a(self) -> float:
        """float: Harmonic coefficient."""
        return self._a

    @property
    def b(self) -> float:
        """float: Interface coupling."""
        return self._b

    @property
    def lam(self) -> float:
        r"""float: Constraint penalty :math:`\lambda`."""
        return self._lam

    @property
    def m(self) -> float:
        r"""float: Gradient coefficient :math:`m = a l_c^2`."""
        return self._a * self._l_c**2

    @property
    def Q(self) -> float:  # noqa: N802 - the paper's symbol
        r"""float: Coulomb coupling :math:`Q = \sqrt{a/(4\pi l_s^2)}`."""
        return math.sqrt(self._a / (4.0 * math.pi * self._l_s**2))

    @property
    def alpha(self) -> float:
        r"""float: Decay length :math:`\alpha = 2 l_c\sqrt{l_s}/\sqrt{2l_c - l_s}` :math:`[\mathrm{\AA}]`."""
        return 2.0 * self._l_c * math.sqrt(self._l_s) / math.sqrt(2.0 * self._l_c - self._l_s)

    @property
    def gamma(self) -> float:
        r"""float: Oscillation parameter :math:`\gamma = \sqrt{(2+x)/(2-x)}`, :math:`x = l_s/l_c`."""
        x = self._l_s / self._l_c
        return math.sqrt((2.0 + x) / (2.0 - x))

    @property
    def theta(self) -> float:
        r"""float: Phase :math:`\theta = \arcsin(l_s/(2 l_c))` [rad]."""
        return math.asin(self._l_s / (2.0 * self._l_c))

    @property
    def amplitude(self) -> float:
        r"""float: Amplitude :math:`A = 1/(a\,l_c\sqrt{4l_c^2 - l_s^2})` of :math:`\chi(r)`."""
        return 1.0 / (self._a * self._l_c * math.sqrt(4.0 * self._l_c**2 - self._l_s**2))

    @property
    def wavelength(self) -> float:
        r"""float: Oscillation wavelength :math:`2\pi\alpha/\gamma` of :math:`\chi(r)` :math:`[\mathrm{\AA}]`."""
        return 2.0 * math.pi * self.alpha / self.gamma

    @property
    def d_min(self) -> float:
        r"""float: :math:`\min_k D(k) = 2a(2l_c/l_s - 1) > 0`, the operator's lower bound."""
        return 2.0 * self._a * (2.0 * self._l_c / self._l_s - 1.0)

    def inverse_susceptibility(self, k2: Any) -> Any:
        r"""Inverse susceptibility :math:`D(k) = 2a(l_c^2k^2 + 1/(l_s^2k^2) - 1)`.

        Args:
            k2: :math:`k^2` :math:`[\mathrm{\AA}^{-2}]`, NumPy or CuPy array, :math:`k^2 > 0`.

        Returns:
            Array of :math:`D(k)` on the same backend.
        """
        return 2.0 * self._a * (self._l_c**2 * k2 + 1.0 / (self._l_s**2 * k2) - 1.0)

    def susceptibility(self, k2: Any) -> Any:
        r"""Susceptibility :math:`\hat\chi(k) = 1/D(k)`, finite and :math:`\to 0` as :math:`k \to 0`.

        Written as :math:`k^2/(2a(l_c^2k^4 - k^2 + l_s^{-2}))` so that :math:`k = 0` gives 0
        (charge neutrality) without a division by zero.

        Args:
            k2: :math:`k^2` :math:`[\mathrm{\AA}^{-2}]`, NumPy or CuPy array.

        Returns:
            Array of :math:`\hat\chi(k)` on the same backend.
        """
        return k2 / (2.0 * self._a * (self._l_c**2 * k2 * k2 - k2 + 1.0 / self._l_s**2))

    def chi(self, r: Any) -> Any:
        r"""Closed-form real-space susceptibility (SI eq. 5.4).

        .. math::

            \chi(r) = \frac{A\,e^{-r/\alpha}\cos(\gamma r/\alpha - \theta)}{4\pi r}

        Args:
            r: Distances :math:`r > 0` :math:`[\mathrm{\AA}]`.

        Returns:
            Array of :math:`\chi(r)` on the same backend.
        """
        xp = get_array_module(r)
        r = xp.asarray(r, dtype=float)
        if bool(xp.any(r <= 0)):
            raise ValueError("chi(r) is defined for r > 0 only")
        alpha, gamma = self.alpha, self.gamma
        return (
            self.amplitude
            * xp.exp(-r / alpha)
            * xp.cos(gamma * r / alpha - self.theta)
            / (4.0 * np.pi * r)
        )
