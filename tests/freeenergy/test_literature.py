"""van der Hoef's LJ fcc fit and the cut-off correction, checked without HOOMD.

Independent references: the fcc lattice sums A12 = 12.13188, A6 = 14.45392 (Lennard-Jones &
Ingham; in units of the nearest-neighbour distance), the fcc coordination numbers, harmonic
lattice dynamics of the full-LJ crystal, the box-based lattice energy of ``study``, and the
thermodynamic identities Z = rho d(beta A/N)/d rho and <U>/N = d(beta a_ex)/d beta.
"""

import itertools
import math

import numpy as np
import pytest

from hoomd_rigidfield.freeenergy import literature as lit
from hoomd_rigidfield.freeenergy.study import build_lattice, lattice_energy

A12, A6 = 12.13188, 14.45392


def _direct_sums(r_max):
    """A12 and A6 of the fcc lattice: sites to r_max (in a_nn), uniform continuum beyond."""
    rho = math.sqrt(2.0)  # a_nn = 1
    r = np.linalg.norm(lit.fcc_vectors(rho, r_max), axis=1)
    tail = [rho * 4 * math.pi / ((n - 3) * r_max ** (n - 3)) for n in (12, 6)]
    return np.sum(r**-12.0) + tail[0], np.sum(r**-6.0) + tail[1]


def test_lattice_sums_are_the_literature_ones_and_give_the_static_energy():
    a12, a6 = _direct_sums(20.0)
    assert (a12, a6) == pytest.approx((A12, A6), abs=1e-5)  # the literature's last digit
    assert _direct_sums(16.0) == pytest.approx((a12, a6), abs=5e-6)  # converged in r_max
    for rho in (0.94, 1.1, 1.28, 2.0):
        a_nn = (math.sqrt(2) / rho) ** (1 / 3)
        by_sum = 2 * (a12 * a_nn**-12 - a6 * a_nn**-6)  # (1/2) sum_R 4 [r^-12 - r^-6]
        assert lit.lj_fcc_lattice_energy(rho) == pytest.approx(by_sum, rel=2e-6)


def test_shells_are_the_fcc_coordination_numbers():
    radii, counts = lit.fcc_shells(1.28, 3.2)
    assert counts.tolist() == [12, 6, 24, 12, 24, 8, 48, 6, 36]
    a_nn = (math.sqrt(2) / 1.28) ** (1 / 3)
    assert radii == pytest.approx(a_nn * np.sqrt(np.arange(1, 10)), rel=1e-12)


@pytest.mark.parametrize(("n_cells", "r_cut"), [(3, 1.92), (5, 3.35)])
def test_shifted_lattice_energy_equals_the_box_sum(n_cells, r_cut):
    u_cut = 4 * (r_cut**-12 - r_cut**-6)

    def shifted(r, ti, tj):
        return 4 * (r**-12 - r**-6) - u_cut

    # freud's sites are single precision: 1e-7 relative in r, 1e-6 in the energy
    box_sum = lattice_energy(build_lattice("fcc", n_cells, 1.28), shifted, r_cut)
    assert lit.lj_fcc_shifted_lattice_energy(1.28, r_cut) == pytest.approx(box_sum, abs=2e-5)
    # the correction is what the shells beyond the cut and the shift add up to
    assert lit.lj_fcc_cutoff_correction(1.28, r_cut) == pytest.approx(
        lit.lj_fcc_lattice_energy(1.28) - box_sum, abs=2e-5
    )


STATES = list(itertools.product((0.3, 1.0, 2.0), (0.96, 1.1, 1.28)))


@pytest.mark.parametrize(("t", "rho"), STATES)
def test_compressibility_is_the_density_derivative_of_the_free_energy(t, rho):
    h = 1e-5
    derivative = (lit.lj_fcc_free_energy(t, rho + h) - lit.lj_fcc_free_energy(t, rho - h)) / (2 * h)
    assert lit.lj_fcc_compressibility(t, rho) == pytest.approx(rho * derivative, rel=1e-7, abs=1e-6)


@pytest.mark.parametrize(("t", "rho"), STATES)
def test_energy_is_the_beta_derivative_of_the_excess_free_energy(t, rho):
    def beta_a(beta):
        return lit.lj_fcc_excess_free_energy(1 / beta, rho) * beta

    h = 1e-6
    derivative = (beta_a(1 / t + h) - beta_a(1 / t - h)) / (2 * h)
    assert lit.lj_fcc_energy(t, rho) == pytest.approx(derivative, rel=1e-7, abs=1e-6)


def _harmonic_log_frequencies(rho, n_k=12, r_max=6.0):
    """(1/2N) sum_k,branches ln omega^2 (m = epsilon = sigma = 1) of the full-LJ fcc crystal.

    Dynamical matrix D(k) = sum_R Phi(R) [1 - cos(k.R)] on an n_k^3 shifted grid of the
    primitive reciprocal cell; the force constants fall as r^-8, so r_max = 6 sigma suffices.
    """
    v = lit.fcc_vectors(rho, r_max)
    r = np.linalg.norm(v, axis=1)
    du = -48 * r**-13 + 24 * r**-7
    d2u = 624 * r**-14 - 168 * r**-8
    e = v / r[:, None]
    phi = (d2u - du / r)[:, None, None] * e[:, :, None] * e[:, None, :]
    phi += (du / r)[:, None, None] * np.eye(3)
    cube = (4 / rho) ** (1 / 3)
    primitive = 0.5 * cube * np.array([[0.0, 1, 1], [1, 0, 1], [1, 1, 0]])
    reciprocal = 2 * np.pi * np.linalg.inv(primitive).T
    f = (np.arange(n_k) + 0.5) / n_k
    k = np.array(list(itertools.product(f, f, f))) @ reciprocal
    w2 = np.linalg.eigvalsh(np.einsum("kp,pab->kab", 1 - np.cos(k @ v.T), phi))
    return 0.5 * np.mean(np.sum(np.log(w2), axis=1))


@pytest.mark.parametrize("rho", [0.94, 1.1, 1.28, 1.3])
def test_low_temperature_limit_is_the_harmonic_crystal(rho):
    # classical harmonic crystal: beta A/N = beta U_stat + (1/2N) sum ln(m omega^2 / 2 pi kT)
    # + 3 ln(Lambda) (Lambda = sigma), and the excess is beta A/N - ln(rho) + 1
    t = 1e-6  # U_ah is O(T)
    fit = lit.lj_fcc_excess_free_energy(t, rho) / t - lit.lj_fcc_lattice_energy(rho) / t
    harmonic = _harmonic_log_frequencies(rho) - 1.5 * math.log(2 * math.pi * t) - math.log(rho) + 1
    # the fit is not built on lattice dynamics: its T -> 0 limit is within 0.04 kT of it
    assert fit == pytest.approx(harmonic, abs=0.04)


def test_harmonic_sum_is_converged_in_the_k_grid():
    assert _harmonic_log_frequencies(1.28, 8) == pytest.approx(
        _harmonic_log_frequencies(1.28, 16), abs=2e-4
    )


def test_wavelength_enters_as_three_ln_lambda():
    shift = lit.lj_fcc_free_energy(2.0, 1.28, 0.5) - lit.lj_fcc_free_energy(2.0, 1.28)
    assert shift == pytest.approx(3 * math.log(0.5), rel=1e-12)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: lit.lj_fcc_free_energy(0.0, 1.28), "kT"),
        (lambda: lit.lj_fcc_free_energy(float("nan"), 1.28), "kT"),
        (lambda: lit.lj_fcc_free_energy(-1.0, 1.28), "kT"),
        (lambda: lit.lj_fcc_free_energy(2.0, float("nan")), "density"),
        (lambda: lit.lj_fcc_free_energy(2.0, 0.5), "density"),  # outside the fit
        (lambda: lit.lj_fcc_free_energy(2.0, 1.28, 0.0), "wavelength"),
        (lambda: lit.lj_fcc_excess_free_energy(float("inf"), 1.28), "kT"),
        (lambda: lit.lj_fcc_compressibility(2.0, 1.5), "density"),
        (lambda: lit.lj_fcc_energy(2.0, -1.0), "density"),
        (lambda: lit.lj_fcc_lattice_energy(0.0), "density"),
        (lambda: lit.fcc_shells(1.28, float("nan")), "r_max"),
        (lambda: lit.lj_fcc_cutoff_correction(1.28, -2.0), "r_cut"),
    ],
)
def test_bad_inputs_name_the_parameter(call, name):
    with pytest.raises(ValueError, match=rf"^{name} must be"):
        call()
