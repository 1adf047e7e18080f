"""Gauss-Legendre switching nodes and the block-average error (no HOOMD)."""

import math

import numpy as np
import pytest
from scipy.signal import lfilter

from hoomd_rigidfield.freeenergy.quadrature import DEFAULT_SHIFT, SpringNodes, block_average


def test_nodes_lie_in_the_interval_and_weights_sum_to_its_length():
    nodes = SpringNodes.gauss_legendre(2000.0, 12)
    assert nodes.shift == pytest.approx(math.exp(3.5))
    assert np.all((nodes.springs > 0) & (nodes.springs < 2000.0))
    assert np.all(np.diff(nodes.springs) < 0)
    assert nodes.weights.sum() == pytest.approx(2000.0, rel=1e-3)


@pytest.mark.parametrize("k", [10, 12, 16])
def test_variable_change_integrates_the_einstein_like_integrand(k):
    # f = A / (lambda + a) + B: the stiff-spring MSD shape plus a constant
    lam_max, a = 2000.0, 5.0
    nodes = SpringNodes.gauss_legendre(lam_max, k)
    f = 3.0 / (nodes.springs + a) + 0.01
    exact = 3.0 * math.log((lam_max + a) / a) + 0.01 * lam_max
    value, _ = nodes.integrate(f)
    assert value == pytest.approx(exact, rel=2e-4)


def test_polynomials_in_the_new_variable_are_exact():
    nodes = SpringNodes.gauss_legendre(100.0, 10, shift=DEFAULT_SHIFT)
    x = np.log(nodes.springs + nodes.shift)
    # int (x^5) dlambda with dlambda = e^x dx: compare with scipy quad
    from scipy.integrate import quad

    exact, _ = quad(lambda lam: math.log(lam + nodes.shift) ** 5, 0, 100.0)
    assert nodes.integrate(x**5)[0] == pytest.approx(exact, rel=1e-9)


def test_errors_add_in_quadrature_with_the_weights():
    nodes = SpringNodes.gauss_legendre(10.0, 4, shift=1.0)
    _, err = nodes.integrate(np.ones(4), np.full(4, 0.5))
    assert err == pytest.approx(0.5 * math.sqrt(np.sum(nodes.weights**2)))


def test_block_average_error_matches_ar1_theory():
    # x_t = phi x_{t-1} + e_t: var(mean) = s_e^2 / (1 - phi)^2 / T for T >> 1/(1 - phi)
    rng = np.random.default_rng(7)
    phi, length, series = 0.9, 40_000, 200
    noise = rng.normal(size=(series, length))
    x = lfilter([1.0], [1.0, -phi], noise, axis=1)
    theory = 1.0 / (1 - phi) / math.sqrt(length)
    estimates = np.array([block_average(row, 20)[1] for row in x])
    means = x.mean(axis=1)
    assert math.sqrt(np.mean(estimates**2)) == pytest.approx(theory, rel=0.06)
    assert means.std() == pytest.approx(theory, rel=0.15)


def test_block_average_small():
    assert block_average([1.0, 2.0, 3.0, 4.0], 2) == (2.5, 1.0)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: SpringNodes.gauss_legendre(0.0), "spring_max"),
        (lambda: SpringNodes.gauss_legendre(10.0, 1), "n_nodes"),
        (lambda: SpringNodes.gauss_legendre(10.0, 4, shift=-1), "shift"),
        (
            lambda: SpringNodes.gauss_legendre(10.0, 4).integrate([1.0, 2.0]),
            "values must have shape",
        ),
        (lambda: block_average([1.0, 2.0], 3), "n_blocks must be an integer"),
        (lambda: block_average([1.0, float("nan")], 2), "series must be finite"),
    ],
)
def test_bad_inputs(call, match):
    with pytest.raises(ValueError, match=match):
        call()
