"""The ideal Einstein molecule: closed form, exact sampling, perturbation steps (no HOOMD)."""

import math

import freud
import numpy as np
import pytest
import rowan
from scipy import integrate, special, stats

from hoomd_rigidfield.analysis.lattices import fcc
from hoomd_rigidfield.freeenergy.einstein import (
    ROTOR_BARRIER,
    Perturbation,
    check_quaternions,
    check_rotor_wells,
    check_symmetries,
    einstein_displacements,
    einstein_molecule_free_energy,
    einstein_molecule_msd,
    hard_sphere_perturbation,
    hoomd_rotational_spring_constant,
    hoomd_spring_constant,
    rotor_free_energy,
    rotor_mean_distance,
    rotor_orientations,
    rotor_partition_function,
    soft_perturbation,
    symmetry_barrier,
)
from hoomd_rigidfield.freeenergy.quadrature import SpringNodes
from hoomd_rigidfield.freeenergy.shapes import octahedral_symmetries


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


def _rotor_quadrature(x):
    # (2/pi) int_0^pi sin^2 w exp(-x (2 - 2 cos w)) dw on [0, w_max]: beyond it exp(-x w^2) < 1e-40
    w_max = min(math.pi, 10.0 / math.sqrt(x))
    value, _ = integrate.quad(
        lambda w: math.sin(w) ** 2 * math.exp(-2 * x * (1 - math.cos(w))),
        0,
        w_max,
        epsabs=0,
        epsrel=1e-12,
        limit=200,
    )
    return 2 / math.pi * value


@pytest.mark.parametrize("x", [1e-3, 0.5, 3.0, 40.0, 2000.0])
def test_rotor_closed_form_is_the_quadrature_over_s3(x):
    assert rotor_partition_function(x) == pytest.approx(_rotor_quadrature(x), rel=1e-9)
    assert rotor_partition_function(x / 1.3, kT=1 / 1.3) == pytest.approx(
        _rotor_quadrature(x), rel=1e-9
    )


def test_rotor_stiff_limit_is_three_gaussian_angles():
    # z_1 -> int exp(-x w^2) (2/pi) w^2 dw = (4 pi)^(-1/2) x^(-3/2); <d> -> 3 / (2x)
    x = 1e6
    assert rotor_partition_function(x) * math.sqrt(4 * math.pi) * x**1.5 == pytest.approx(
        1, rel=1e-6
    )
    assert rotor_mean_distance(x) * x == pytest.approx(1.5, rel=1e-6)
    assert rotor_mean_distance(1e-9) == pytest.approx(2.0, rel=1e-8)  # free rotor: <2 - 2 cos w>


@pytest.mark.parametrize("x", [0.3, 5.0, 300.0])
def test_rotor_mean_distance_is_minus_the_log_derivative(x):
    h = 1e-5 * x
    slope = (
        math.log(rotor_partition_function(x + h)) - math.log(rotor_partition_function(x - h))
    ) / (2 * h)
    assert rotor_mean_distance(x) == pytest.approx(-slope, rel=1e-7)


def _gaussian_quaternions(m, rng):
    q = rng.normal(size=(m, 4))  # uniform on S^3: both signs, no SO(3) canonicalisation
    return q / np.linalg.norm(q, axis=1, keepdims=True)


def _one_sign(sym):
    # one of each +-s pair: the first nonzero component positive
    lead = np.array([row[np.flatnonzero(np.abs(row) > 1e-9)[0]] for row in sym])
    return sym[lead > 0]


@pytest.mark.parametrize("signs", ["both", "one"])
def test_wells_of_the_octahedral_group_hold_m_rotors_monte_carlo(rng, signs):
    # z = <exp(-x min_j |q0 - q s_j|^2)> over uniform quaternions q, at x = 60: the saddle
    # is 60 * 0.152 = 9 kT up, so the cells are whole wells to ~e^-9 and z = M z_1
    sym = octahedral_symmetries()
    sym = sym if signs == "both" else _one_sign(sym)
    assert len(sym) == (48 if signs == "both" else 24)
    x, q0 = 60.0, _gaussian_quaternions(1, rng)[0]
    weights = []
    for _ in range(4):
        q = _gaussian_quaternions(100_000, rng)
        # |q0 - q s|^2 = 2 - 2 (q* q0) . s
        dots = rowan.multiply(rowan.conjugate(q), q0) @ sym.T
        weights.append(np.exp(-x * (2 - 2 * dots.max(axis=1))))
    w = np.concatenate(weights)
    z, se = w.mean(), w.std() / math.sqrt(len(w))
    assert se < 0.02 * z
    assert z == pytest.approx(len(sym) * rotor_partition_function(x), abs=4 * se)
    assert abs(z - (len(sym) - 1) * rotor_partition_function(x)) > 4 * se  # M - 1 is refused


def test_exact_rotor_sampling_has_the_closed_form_distance(rng):
    x = 5.0
    q0 = _gaussian_quaternions(3, rng)
    q = rotor_orientations(q0, x, 20_000, rng)
    assert q.shape == (20_000, 3, 4)
    assert np.allclose(np.linalg.norm(q, axis=-1), 1.0)
    d = np.sum((q - q0) ** 2, axis=-1).ravel()
    assert d.mean() == pytest.approx(rotor_mean_distance(x), abs=4 * d.std() / math.sqrt(len(d)))
    # the whole distribution: u = cos w = q0 . q has density ~ sqrt(1 - u^2) exp(2 x u)
    u_grid = np.linspace(-1, 1, 20_001)
    pdf = np.sqrt(1 - u_grid**2) * np.exp(2 * x * (u_grid - 1))
    cdf = integrate.cumulative_trapezoid(pdf, u_grid, initial=0)
    cdf /= cdf[-1]
    u = np.einsum("mnk,nk->mn", q, q0).ravel()
    assert stats.kstest(u, lambda t: np.interp(t, u_grid, cdf)).pvalue > 1e-3
    # the axis n = vec(q0* q) / |...| is isotropic
    axes = rowan.multiply(rowan.conjugate(q0), q)[..., 1:].reshape(-1, 3)
    axes /= np.linalg.norm(axes, axis=1, keepdims=True)
    assert np.abs(axes.mean(axis=0)).max() < 4 / math.sqrt(len(axes))


def test_coupled_reference_derivative_is_the_switching_integrand():
    # d(beta A0 / N)/d lambda with Lambda_E = lambda, Lambda_R = r lambda is
    # [<sum |dr|^2> + r N <d>] / N: integrate the closed forms between two springs
    n, v, r = 32, 30.0, 2.5
    sym = octahedral_symmetries()
    nodes = SpringNodes.gauss_legendre(900.0, 16, shift=200.0)
    lam = nodes.springs + 200.0  # 200 to 1100: the saddle is >= 76 kT up
    values = [einstein_molecule_msd(n, s) + r * n * rotor_mean_distance(r * s) for s in lam]
    integral, _ = nodes.integrate(values)

    def a0(spring):
        return einstein_molecule_free_energy(
            n, v, spring, rotational_spring=r * spring, symmetries=sym
        )

    assert a0(1100.0) - a0(200.0) == pytest.approx(integral / n, rel=1e-9)
    assert a0(200.0) - einstein_molecule_free_energy(n, v, 200.0) == pytest.approx(
        -math.log(48 * rotor_partition_function(r * 200.0)), rel=1e-12
    )
    assert hoomd_rotational_spring_constant(r * 200.0) == 1000.0


def test_symmetry_barrier_of_the_cube_is_half_way_along_the_quarter_turn():
    # nearest wells: identity and a 90 degree turn, 45 degrees apart on S^3; the saddle is the
    # 22.5 degree point, d = |1 - (cos(pi/8), sin(pi/8) n)|^2 = 2 - 2 cos(pi/8)
    assert symmetry_barrier(octahedral_symmetries()) == pytest.approx(
        2 - 2 * math.cos(math.pi / 8), rel=1e-12
    )
    assert symmetry_barrier(None) == math.inf
    spring = 1.01 * ROTOR_BARRIER / (2 - 2 * math.cos(math.pi / 8))
    assert len(check_rotor_wells(octahedral_symmetries(), spring)) == 48
    # 40 kT / 0.1522 = 262.7 kT
    with pytest.raises(ValueError, match=r"raise spring_max to at least 262\.7"):
        check_rotor_wells(octahedral_symmetries(), spring / 1.02, name="spring_max")


def test_overlap_counts_give_the_binomial_perturbation():
    out = Perturbation.from_overlap_counts(750, 1000, 10)
    assert out.value == pytest.approx(-math.log(0.75) / 10)
    assert out.error == pytest.approx(math.sqrt(0.75 * 0.25 / 1000) / 0.75 / 10)


_NOT_UNIT = [[1.0, 0.0, 0.0, 0.0], [1.0, 1.0, 0.0, 0.0]]


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: check_quaternions("q", [[0.0, 0, 0, 0]]), r"q\[0\] has norm 0.0"),
        (lambda: check_symmetries([[0.0, 1.0, 0.0, 0.0]]), "must include the identity"),
        (lambda: check_symmetries(_NOT_UNIT), r"symmetries\[1\] has norm 1.41"),
        (lambda: check_symmetries([[1.0, 0, 0, 0], [math.nan, 0, 0, 0]]), "symmetries must be"),
        (lambda: check_symmetries([[1.0, 0, 0]]), r"symmetries must have shape \(N, 4\)"),
        (lambda: check_symmetries(np.zeros((0, 4))), "at least one"),
        (lambda: check_symmetries([[1.0, 0, 0, 0], [1.0, 0, 0, 0]]), "same quaternion"),
        (lambda: rotor_partition_function(0.0), "spring must be a finite number"),
        (lambda: rotor_mean_distance(math.nan), "spring must be a finite number"),
        (lambda: rotor_free_energy(-1.0), "spring must be a finite number"),
        (lambda: rotor_free_energy(10.0, octahedral_symmetries()), "symmetry wells only"),
        (lambda: rotor_orientations([[2.0, 0, 0, 0]], 1.0, 5), r"reference\[0\] has norm"),
        (lambda: rotor_orientations([[1.0, 0, 0, 0]], 1.0, 0), "n_samples must be"),
        (
            lambda: einstein_molecule_free_energy(4, 1.0, 1.0, symmetries=[[1.0, 0, 0, 0]]),
            "symmetries needs rotational_spring",
        ),
        (
            lambda: einstein_molecule_free_energy(
                4, 1.0, 1.0, rotational_spring=10.0, symmetries=octahedral_symmetries()
            ),
            "rotational_spring = 10.0 kT puts",
        ),
        (lambda: hoomd_rotational_spring_constant(math.nan), "spring must be"),
        (lambda: Perturbation.from_overlap_counts(11, 10, 4), "n_free must be"),
        (lambda: Perturbation.from_overlap_counts(0, 10, 4), "stiffer"),
    ],
)
def test_bad_rotor_inputs_name_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()


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
