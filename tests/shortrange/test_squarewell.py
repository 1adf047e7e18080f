import numpy as np
import pytest
from scipy import integrate

from hoomd_rigidfield.shortrange import squarewell as swm
from hoomd_rigidfield.shortrange.corresponding_states import square_well_reduced_b2
from hoomd_rigidfield.shortrange.squarewell import ContinuousSquareWell


def test_core_constants():
    assert swm.core_cutoff() == pytest.approx(50 / 49)
    assert swm.core_prefactor() == pytest.approx(50 * (50 / 49) ** 49)


def test_shape_of_the_well():
    well = ContinuousSquareWell(depth=4.0, lam=0.15)
    assert float(well.energy(1.03)) == pytest.approx(-4.0, abs=1e-5)
    assert float(well.energy(well.step)) == pytest.approx(-2.0, abs=1e-6)
    assert float(well.energy(well.r_cut)) == 0.0 and float(well.energy(2.0)) == 0.0
    # the pseudo-hard core: U(sigma) = eps_c (the shift), steep inside
    assert float(well.core_energy(1.0)) == pytest.approx(well.core_epsilon)
    assert float(well.energy(0.95)) > 30
    assert well.r_cut == pytest.approx(1.15 + 0.1)
    assert well.core_epsilon == pytest.approx(1 / 1.5)


@pytest.mark.parametrize("depth, lam", [(3.0, 0.1), (6.0, 0.18)])
def test_forces_are_minus_the_derivative(depth, lam):
    well = ContinuousSquareWell(depth=depth, lam=lam)
    r = np.linspace(0.97, well.r_cut - 1e-3, 500)
    h = 1e-7
    numeric = -(well.energy(r + h) - well.energy(r - h)) / (2 * h)
    np.testing.assert_allclose(well.force(r), numeric, rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(well.force(r), well.core_force(r) + well.step_force(r))


def test_step_table_integrates_to_its_energies():
    well = ContinuousSquareWell(depth=3.0, lam=0.1)
    u, f = well.step_table(0.8, 5000)
    r = np.linspace(0.8, well.r_cut, 5000, endpoint=False)
    np.testing.assert_allclose(u, well.step_energy(r))
    du = integrate.cumulative_trapezoid(-f, r, initial=0)
    np.testing.assert_allclose(u - u[0], du, atol=2e-4)
    with pytest.raises(ValueError, match="points must be an integer >= 2"):
        well.step_table(0.8, 1)
    with pytest.raises(ValueError, match="r_min"):
        well.step_table(2.0, 100)


@pytest.mark.parametrize("depth, lam", [(1.0, 0.1), (3.5, 0.15), (6.0, 0.1)])
def test_equivalent_square_well_is_close_to_the_nominal_one(depth, lam):
    well = ContinuousSquareWell(depth=depth, lam=lam)
    eq = well.equivalent()
    # the tanh step is symmetric about (1 + lam) sigma and the core is nearly hard
    assert eq.sigma_eff == pytest.approx(1.0, abs=1e-3)
    assert eq.depth == pytest.approx(depth, rel=1e-5)
    assert eq.lam == pytest.approx(lam, abs=0.012)
    nominal = float(square_well_reduced_b2(depth, lam))
    assert eq.reduced_b2 == pytest.approx(nominal, rel=0.15)
    bh = well.equivalent("bh")
    assert bh.diameter == "bh" and 0.97 < bh.sigma_eff < 1.0
    assert well.zero < 1.0 < well.minimum < swm.core_cutoff() + 1e-6


@pytest.mark.parametrize(
    "kw, match",
    [
        (dict(depth=-1.0, lam=0.1), "depth"),
        (dict(depth=1.0, lam=0.04), r"lam must be a finite number in \[0.0504082, 10\] sigma"),
        (dict(depth=1.0, lam=0.1, width=0.0), "width"),
        (dict(depth=float("nan"), lam=0.1), "depth must be a finite number"),
    ],
)
def test_bad_inputs(kw, match):
    with pytest.raises(ValueError, match=match):
        ContinuousSquareWell(**kw)
