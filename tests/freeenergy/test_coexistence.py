"""Equal pressure and chemical potential between two branches (no HOOMD)."""

import math

import numpy as np
import pytest
from scipy.integrate import quad

from hoomd_rigidfield.freeenergy.coexistence import EquationOfStateBranch, coexistence
from hoomd_rigidfield.freeenergy.fluid import ideal_free_energy


class DoubleWell:
    """beta A / V = (rho - 1)^4 - (rho - 1)^2: coexistence at rho = 1 -+ 1/sqrt(2), exactly."""

    def f(self, rho):
        return (rho - 1) ** 4 - (rho - 1) ** 2

    def chemical_potential(self, rho):
        return 4 * (rho - 1) ** 3 - 2 * (rho - 1)

    def pressure(self, rho):
        return rho * self.chemical_potential(rho) - self.f(rho)


def test_symmetric_double_well_has_the_exact_coexistence():
    well = DoubleWell()
    out = coexistence(well, well, (0.3, 1.7))
    assert out.density_a == pytest.approx(1 - 1 / math.sqrt(2), abs=1e-9)
    assert out.density_b == pytest.approx(1 + 1 / math.sqrt(2), abs=1e-9)
    with pytest.raises(RuntimeError, match=r"one phase twice|did not converge"):
        coexistence(well, well, (1.0, 1.0 + 1e-9))


def test_van_der_waals_obeys_maxwell_equal_area():
    # Z = 1/(1 - b rho) - beta a rho with b = 1, beta a = 27/8 / 0.9 (T / Tc = 0.9)
    beta_a = 27 / 8 / 0.9
    vdw = EquationOfStateBranch(lambda r: 1 / (1 - np.asarray(r)) - beta_a * np.asarray(r))
    out = coexistence(vdw, vdw, (0.1, 0.6))
    rg, rl = sorted((out.density_a, out.density_b))
    p = out.pressure
    area, _ = quad(lambda v: 1 / (v - 1) - beta_a / v**2, 1 / rl, 1 / rg)  # int p dv
    assert area == pytest.approx(p * (1 / rg - 1 / rl), rel=1e-8)
    assert 0 < rg < 1 / 3 < rl < 1  # rho_c = 1/(3b)


def test_hard_sphere_freezing_from_cs_speedy_and_polson():
    # Fluid: Carnahan-Starling from the ideal gas. Solid: Speedy's equation of state anchored at
    # the fcc free energy of Polson et al. (beta A_ex/N = 5.91889 at rho = 1.04086). The
    # literature coexistence (Vega & Noya 2007) is beta p sigma^3 = 11.54(4), rho_f = 0.939,
    # rho_s = 1.037; this chain of fits lands within ~1.5% of p and 0.4% of the densities.
    def cs(rho):
        eta = np.pi / 6 * np.asarray(rho)
        return (1 + eta + eta**2 - eta**3) / (1 - eta) ** 3

    def speedy(rho):
        # Speedy, J. Phys.: Condens. Matter 10, 4387 (1998), Eq. 2 with the fcc constants of its
        # Table 1 (0.5921, 0.7072, 0.601; checked against SklogWiki's table of hard-sphere
        # crystal equations of state); z = rho / rho_close-packed.
        z = np.asarray(rho) / math.sqrt(2)
        return 3 / (1 - z) - 0.5921 * (z - 0.7072) / (z - 0.601)

    fluid = EquationOfStateBranch(cs)
    solid = EquationOfStateBranch(speedy, 1.04086, 5.91889 + ideal_free_energy(1.04086))
    out = coexistence(fluid, solid, (0.94, 1.04))
    assert out.pressure == pytest.approx(11.54, rel=0.015)
    assert out.density_a == pytest.approx(0.939, rel=0.004)
    assert out.density_b == pytest.approx(1.037, rel=0.004)


def test_bad_guess():
    with pytest.raises(ValueError, match="guess must be two densities"):
        coexistence(DoubleWell(), DoubleWell(), (-1.0, 1.0))
    with pytest.raises(ValueError, match="density0 must be"):
        EquationOfStateBranch(lambda r: r, -1.0)
