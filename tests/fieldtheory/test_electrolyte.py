import math

import numpy as np
import pytest
import scipy.fft
from scipy.integrate import quad

from hoomd_rigidfield import Electrolyte
from hoomd_rigidfield.fieldtheory.grid import PeriodicGrid

# ../shared/FIELD_THEORY.md (a): alpha = 3.0 A, gamma = 2.1 -> l_c, l_s (re-derived from SI eq. 5.5)
PAPER_L_C = 1.148759
PAPER_L_S = 1.448159
PAPER_THETA = 0.68196
PAPER_A_TIMES_A = 0.48804
PAPER_WAVELENGTH = 8.976


class TestElectrolyte:
    def test_paper_values(self, electrolyte):
        assert electrolyte.l_c == pytest.approx(PAPER_L_C, abs=1e-6)
        assert electrolyte.l_s == pytest.approx(PAPER_L_S, abs=1e-6)
        assert electrolyte.theta == pytest.approx(PAPER_THETA, abs=1e-5)
        assert electrolyte.amplitude * electrolyte.a == pytest.approx(PAPER_A_TIMES_A, abs=1e-5)
        assert electrolyte.wavelength == pytest.approx(PAPER_WAVELENGTH, abs=1e-3)
        assert electrolyte.b == 100.0 and electrolyte.lam == 500.0

    @pytest.mark.parametrize("alpha,gamma", [(3.0, 2.1), (1.8, 1.1), (4.0, 4.0), (2.5, 1.0001)])
    def test_round_trip(self, alpha, gamma):
        el = Electrolyte.from_alpha_gamma(alpha, gamma)
        assert el.alpha == pytest.approx(alpha, rel=1e-12)
        assert el.gamma == pytest.approx(gamma, rel=1e-12)
        back = Electrolyte(el.l_c, el.l_s)
        assert back.alpha == pytest.approx(alpha, rel=1e-12)

    def test_derived_coefficients(self, electrolyte):
        el = electrolyte
        assert el.m == pytest.approx(el.a * el.l_c**2)
        assert el.a / (4 * math.pi * el.Q**2) == pytest.approx(el.l_s**2)
        g = el.gamma
        assert el.amplitude == pytest.approx((g * g + 1) / (4 * g * el.a * el.l_c**2), rel=1e-12)
        assert math.sin(el.theta) == pytest.approx((g * g - 1) / (g * g + 1), rel=1e-12)

    def test_inverse_susceptibility_bounds(self, electrolyte):
        k2 = np.logspace(-4, 2, 2001)
        d = electrolyte.inverse_susceptibility(k2)
        assert d.min() >= electrolyte.d_min * (1 - 1e-12)
        # the minimum is reached at k^2 = 1/(l_c l_s)
        k2_star = 1 / (electrolyte.l_c * electrolyte.l_s)
        assert electrolyte.inverse_susceptibility(k2_star) == pytest.approx(electrolyte.d_min)
        np.testing.assert_allclose(d * electrolyte.susceptibility(k2), 1.0, rtol=1e-12)
        assert electrolyte.susceptibility(np.zeros(1))[0] == 0.0

    @pytest.mark.parametrize(
        "kwargs,match",
        [
            ({"l_c": 1.0, "l_s": 2.0}, "0 < l_s/l_c < 2"),
            ({"l_c": 1.0, "l_s": 3.0}, "local-order"),
            ({"l_c": -1.0, "l_s": 1.0}, r"l_c must be a finite number in \(0, inf\)"),
            ({"l_c": 1.0, "l_s": 0.0}, r"l_s must be a finite number in \(0, inf\)"),
            ({"l_c": 1.0, "l_s": 1.0, "a": 0.0}, r"a must be a finite number in \(0, inf\)"),
            ({"l_c": 1.0, "l_s": 1.0, "lam": -1.0}, "lam must be"),
            ({"l_c": 1.0, "l_s": float("nan")}, "l_s must be"),
        ],
    )
    def test_invalid_parameters(self, kwargs, match):
        with pytest.raises(ValueError, match=match):
            Electrolyte(**kwargs)

    @pytest.mark.parametrize("alpha,gamma", [(3.0, 1.0), (3.0, 0.5), (0.0, 2.0), (-1.0, 2.0)])
    def test_invalid_alpha_gamma(self, alpha, gamma):
        with pytest.raises(ValueError, match="must be"):
            Electrolyte.from_alpha_gamma(alpha, gamma)

    def test_repr_round_trip(self, electrolyte):
        import hoomd_rigidfield  # noqa: F401 - used by eval

        assert repr(eval(repr(electrolyte))) == repr(electrolyte)

    @pytest.mark.parametrize("r", [0.5, 2.0, 5.0, 9.0, 15.0])
    def test_chi_closed_form_against_hankel_quadrature(self, electrolyte, r):
        """chi(r) = (1/(2 pi^2 r)) Int k sin(kr) chi^(k) dk, large-k tail subtracted analytically."""
        el = electrolyte
        mu = 1.0
        c = 1.0 / (2 * el.a * el.l_c**2)

        def remainder(k):
            return k * (el.susceptibility(k * k) - c / (k * k + mu * mu))

        integral, quad_error = quad(remainder, 0, np.inf, weight="sin", wvar=r, limlst=200)
        expected = c * math.exp(-mu * r) / (4 * math.pi * r) + integral / (2 * math.pi**2 * r)
        scale = el.amplitude * math.exp(-r / el.alpha) / (4 * math.pi * r)
        tol = max(1e-9 * scale, quad_error / (2 * math.pi**2 * r))
        assert el.chi(np.array([r]))[0] == pytest.approx(expected, abs=tol)

    def test_chi_from_inverse_fft(self, electrolyte):
        """3D inverse FFT of chi^(k_m) converges to the closed form at O(h).

        The error comes from the spectral truncation of the 1/k^2 tail; it is largest at small r,
        so it is measured against the envelope A e^{-r/alpha}/(4 pi r) at r = 2 A (FIELD_THEORY.md
        (g)3: < 5 % at h = 0.5 A, < 2.5 % at h = 0.25 A).
        """
        el = electrolyte
        envelope_2 = el.amplitude * math.exp(-2.0 / el.alpha) / (8 * math.pi)
        errors = {}
        for n in (64, 128):
            grid = PeriodicGrid(64.0, n)
            chi_grid = grid.to_real(el.susceptibility(grid.k2))
            x = grid.coordinates()
            sel = (x >= 2.0) & (x <= 20.0)
            errors[n] = np.max(np.abs(chi_grid[sel, 0, 0] - el.chi(x[sel]))) / envelope_2
        assert errors[128] < 0.05
        assert errors[128] / errors[64] == pytest.approx(0.5, abs=0.1)  # first order in h

    def test_chi_rejects_non_positive_r(self, electrolyte):
        with pytest.raises(ValueError, match="r > 0"):
            electrolyte.chi(np.array([0.0, 1.0]))


def test_scipy_fft_available():
    assert scipy.fft.rfftn(np.ones((4, 4, 4)))[0, 0, 0] == 64
