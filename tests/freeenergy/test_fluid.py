"""The fluid branch: ideal-gas limit, Carnahan-Starling, fits, isochores (no HOOMD)."""

import math

import numpy as np
import pytest

from hoomd_rigidfield.freeenergy.fluid import (
    FluidIsotherm,
    excess_free_energy,
    ideal_free_energy,
    isochore_free_energy,
)


def carnahan_starling(rho):
    eta = np.pi / 6 * np.asarray(rho)
    return (1 + eta + eta**2 - eta**3) / (1 - eta) ** 3


def cs_excess(rho):
    eta = np.pi / 6 * rho
    return (4 * eta - 3 * eta**2) / (1 - eta) ** 2


def test_ideal_gas_limit():
    assert excess_free_energy(lambda r: np.ones_like(r), 0.8) == 0.0
    gas = FluidIsotherm.fit([0.1, 0.2, 0.3], [1.0, 1.0, 1.0], degree=2)
    assert np.allclose(gas.coefficients, 0.0, atol=1e-14)
    assert gas.chemical_potential(0.2) == pytest.approx(math.log(0.2))  # beta mu = ln(rho Lambda^3)
    assert gas.pressure(0.2) == pytest.approx(0.2)
    assert gas.free_energy(0.2) == pytest.approx(ideal_free_energy(0.2))


def test_ideal_mixture():
    x = (1 / 3, 2 / 3)
    expected = sum(xi * (math.log(xi * 0.5 * wl**3) - 1) for xi, wl in zip(x, (1.0, 0.8)))
    assert ideal_free_energy(0.5, x, (1.0, 0.8)) == pytest.approx(expected)


@pytest.mark.parametrize("rho", [0.1, 0.5, 0.9, 0.95])
def test_carnahan_starling_integrates_to_its_closed_form(rho):
    assert excess_free_energy(carnahan_starling, rho) == pytest.approx(cs_excess(rho), abs=1e-6)


def test_fit_of_cs_data_reproduces_the_closed_form():
    rho = np.linspace(0.02, 0.6, 40)
    fit = FluidIsotherm.fit(rho, carnahan_starling(rho), degree=10)
    assert fit.excess_free_energy(0.6) == pytest.approx(cs_excess(0.6), abs=1e-6)
    assert fit.coefficients[0] == pytest.approx(4 * np.pi / 6, rel=1e-3)  # B2 = 2 pi sigma^3 / 3
    fixed = FluidIsotherm.fit(rho, carnahan_starling(rho), degree=10, b2=2 * np.pi / 3)
    assert fixed.coefficients[0] == 2 * np.pi / 3
    # mu = A/N + Z, and p = rho^2 d(A/N)/d rho
    h = 1e-6
    dadr = (fit.free_energy(0.4 + h) - fit.free_energy(0.4 - h)) / (2 * h)
    assert fit.pressure(0.4) == pytest.approx(0.4**2 * dadr, rel=1e-7)
    with pytest.raises(ValueError, match="fitted range"):
        fit.free_energy(0.7)


def test_isochore_is_exact_for_linear_energy_and_converges_otherwise():
    betas = np.linspace(0.5, 1.0, 6)
    values, errors = isochore_free_energy(betas, 2.0 - 3.0 * betas, np.full(6, 0.1), start=1.0)
    exact = 1.0 + 2.0 * (betas - 0.5) - 1.5 * (betas**2 - 0.25)
    assert np.allclose(values, exact)
    assert errors[0] == 0 and np.all(np.diff(errors) > 0)
    fine = np.linspace(0.5, 1.0, 201)
    v, _ = isochore_free_energy(fine, np.exp(-fine))
    assert v[-1] == pytest.approx(math.exp(-0.5) - math.exp(-1.0), rel=1e-5)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: ideal_free_energy(-1.0), "density must be"),
        (lambda: ideal_free_energy(1.0, (0.5, 0.6)), "fractions must be > 0 and sum to 1"),
        (lambda: excess_free_energy(carnahan_starling, -0.1), "density must be"),
        (lambda: FluidIsotherm.fit([0.1, 0.2], [1.1, 1.2], degree=3), "at least 3 densities"),
        (lambda: FluidIsotherm.fit([0.1, -0.2], [1.1, 1.2], degree=1), "density must be > 0"),
        (lambda: isochore_free_energy([1.0, 1.0], [0.0, 0.0]), "strictly monotonic"),
    ],
)
def test_bad_inputs(call, match):
    with pytest.raises(ValueError, match=match):
        call()
