"""The ideal Einstein molecule: closed form, exact sampling, perturbation steps (no HOOMD)."""

import math

import freud
import numpy as np
import pytest
from scipy import integrate, special, stats

from hoomd_rigidfield.analysis.lattices import fcc
from hoomd_rigidfield.freeenergy.einstein import (
    einstein_displacements,
    einstein_molecule_free_energy,
    einstein_molecule_msd,
    hard_sphere_perturbation,
    hoomd_spring_constant,
    soft_perturbation,
)
from hoomd_rigidfield.freeenergy.quadrature import SpringNodes


@pytest.mark.parametrize("n", [2, 4])
def test_closed_form_equals_the_numerical_partition_function(n):
    # Q = (V / Lambda^3) * prod_{i>=1} (1/Lambda^3) [int_{-L/2}^{L/2} exp(-b Lambda_E x^2) dx]^3,
    # integrated numerically over the periodic cell (the tails beyond L/2 are what is dropped).
    length, spring, kT, wl = 3.0, 12.0, 1.3, 0.7  # tails beyond L/2: exp(-20) relative
    one, _ = integrate.quad(lambda x: math.exp(-spring * x * x / kT), -length / 2, length / 2)
    log_q = math.log(length**3 / wl**3) + 3 * (n - 1) * math.log(one / wl)
    closed = einstein_molecule_free_energy(n, length**3, spring, kT=kT, wavelength=wl)
    assert closed == pytest.approx(-log_q / n, abs=1e-8)


def test_closed_form_against_vega_noya_expression_by_hand():
    n, v, lam = 108, 108 / 1.04086, 2000.0
    by_hand = math.log(1 / v) / n + 1.5 * (1 - 1 / n) * math.log(lam / math.pi)
    assert einstein_molecule_free_energy(n, v, lam) == pytest.approx(by_hand, rel=1e-14)


def test_free_energy_derivative_is_the_mean_squared_displacement():
    # d(beta A0)/d Lambda_E = beta <sum |dr|^2>: integrate the closed-form MSD between two springs
    n, v = 32, 30.0
    nodes = SpringNodes.gauss_legendre(900.0, 16, shift=100.0)
    lam = nodes.springs + 100.0  # from 100 to 1000
    integral, _ = nodes.integrate([einstein_molecule_msd(n, s) for s in lam])
    delta = einstein_molecule_free_energy(n, v, 1000.0) - einstein_molecule_free_energy(n, v, 100.0)
    assert delta == pytest.approx(integral / n, rel=1e-10)


def test_exact_sampling_has_the_closed_form_msd(rng):
    n, spring = 10, 40.0
    u = einstein_displacements(n, spring, 20_000, rng)
    assert np.all(u[:, 0] == 0)
    msd = np.sum(u**2, axis=(1, 2))
    assert msd.mean() == pytest.approx(
        einstein_molecule_msd(n, spring), rel=4 * msd.std() / msd.mean() / math.sqrt(len(msd))
    )
    assert u[:, 1:].var() == pytest.approx(1 / (2 * spring), rel=0.01)
    assert hoomd_spring_constant(spring) == 80.0


def _pair_in_a_big_box(a):
    return freud.box.Box.cube(10.0), np.array([[0.0, 0.0, 0.0], [a, 0.0, 0.0]])


def test_hard_sphere_perturbation_of_two_spheres_is_the_noncentral_chi2():
    # particle 0 fixed, particle 1 Gaussian about a site at distance a: P(|a + u| < sigma)
    a, spring = 1.1, 30.0
    s2 = 1 / (2 * spring)
    p_overlap = stats.ncx2.cdf(1.0 / s2, df=3, nc=a * a / s2)
    box, pts = _pair_in_a_big_box(a)
    out = hard_sphere_perturbation(box, pts, spring, n_samples=200_000, rng=1)
    exact = -math.log(1 - p_overlap) / 2
    assert p_overlap > 0.1
    assert out.value == pytest.approx(exact, abs=4 * out.error)
    assert out.error < 0.01 * exact


def test_soft_perturbation_of_a_harmonic_pair_is_exact():
    # u(r) = alpha r^2: <exp(-beta alpha |a + u|^2)> is a product of 1D Gaussian integrals
    a, spring, alpha, kT = 1.2, 20.0, 3.0, 1.5
    box, pts = _pair_in_a_big_box(a)
    s2, c = kT / (2 * spring), alpha / kT
    log_mean = -1.5 * math.log(1 + 2 * c * s2) - c * a * a / (1 + 2 * c * s2)
    exact = -log_mean / 2
    out = soft_perturbation(
        box, pts, spring, lambda r, ti, tj: alpha * r * r, 3.0, kT=kT, n_samples=100_000, rng=2
    )
    assert out.value == pytest.approx(exact, abs=4 * out.error)
    assert out.lattice_energy == pytest.approx(alpha * a * a / kT / 2)


def test_perturbation_vanishes_for_a_loose_lattice():
    box = freud.box.Box.cube(8.0)
    pts = np.array([[0, 0, 0], [2.0, 0, 0], [0, 2.0, 0]], float)
    out = hard_sphere_perturbation(box, pts, 500.0, n_samples=1000, rng=0)
    assert out.value == 0.0


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: einstein_molecule_free_energy(1, 1.0, 1.0), "n must be an integer in"),
        (lambda: einstein_molecule_free_energy(4, -1.0, 1.0), "volume must be a finite number"),
        (lambda: einstein_molecule_free_energy(4, 1.0, 0.0), "spring must be a finite number"),
        (lambda: einstein_displacements(4, 1.0, 0), "n_samples must be an integer"),
        (lambda: hard_sphere_perturbation(*_pair_in_a_big_box(0.5), 100.0), "overlap"),
        (
            lambda: hard_sphere_perturbation(
                fcc(3, 1.001).box, fcc(3, 1.001).positions, 50.0, n_samples=10
            ),
            "stiffer",
        ),
        (
            lambda: hard_sphere_perturbation(
                freud.box.Box.cube(2.0), np.zeros((2, 3)) + [[0, 0, 0], [0.9, 0, 0]], 1e4
            ),
            "half the shortest box",
        ),
        (lambda: hoomd_spring_constant(-1.0), "spring must be"),
    ],
)
def test_bad_inputs_name_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_special_is_scipy():  # the perturbation uses logsumexp; guard its import path
    assert special.logsumexp([0.0, 0.0]) == pytest.approx(math.log(2))
