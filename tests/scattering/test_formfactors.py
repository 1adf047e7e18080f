"""Atomic X-ray form factors (xraydb, q convention, Debye-Waller, anomalous) and the sphere."""

import math

import numpy as np
import pytest

from hoomd_rigidfield.scattering.formfactors import (
    SPHERE_SERIES_BELOW,
    AtomicFormFactors,
    anomalous,
    atomic_form_factor,
    debye_waller,
    f0,
    sphere_form_factor,
)

xraydb = pytest.importorskip("xraydb")


@pytest.mark.parametrize(
    ("element", "z"), [("Pb", 82), ("S", 16), ("Se", 34), ("Au", 79), ("O", 8)]
)
def test_f0_at_zero_is_the_electron_count(element, z):
    # The Waasmaier-Kirfel fits give f0(0) = Z to better than 0.05 electrons (Au: 78.97).
    assert float(f0(element, 0.0)) == pytest.approx(z, abs=0.05)


def test_q_convention_is_4pi_sin_theta_over_lambda():
    # xraydb takes s = sin(theta)/lambda; our q = 4 pi s.
    s = np.array([0.1, 0.25, 0.5, 1.0])
    np.testing.assert_allclose(f0("Pb", 4 * np.pi * s), xraydb.f0("Pb", s), rtol=1e-14)
    # Independent of xraydb's own convention: the Pb2+ ion has two electrons fewer at q = 0,
    # and at large q (core electrons only) the ion and the atom agree.
    assert float(f0("Pb", 0.0) - f0("Pb2+", 0.0)) == pytest.approx(2.0, abs=0.02)
    assert float(f0("Pb", 20.0) - f0("Pb2+", 20.0)) == pytest.approx(0.0, abs=0.05)


def test_f0_decreases_and_keeps_the_shape_of_q():
    q = np.linspace(0, 6, 61).reshape(61, 1) * np.ones((1, 2))
    f = f0("S", q)
    assert f.shape == q.shape
    assert np.all(np.diff(f[:, 0]) < 0)


def test_debye_waller_factor():
    assert float(debye_waller(4 * np.pi, 1.0)) == pytest.approx(math.exp(-1.0))
    q = np.array([0.0, 1.0, 2.0])
    np.testing.assert_allclose(
        atomic_form_factor("Pb", q, b_factor=1.2),
        f0("Pb", q) * np.exp(-1.2 * q**2 / (16 * np.pi**2)),
    )


def test_anomalous_terms_near_the_pb_l3_edge():
    near = anomalous("Pb", 13030.0)  # just below the L3 edge (13035 eV)
    far = anomalous("Pb", 8048.0)  # Cu K-alpha
    assert near.real < -15 < far.real < 0
    assert far.imag > 0
    f = atomic_form_factor("Pb", np.array([0.0]), energy=8048.0)
    assert np.iscomplexobj(f)
    assert f[0] == pytest.approx(float(f0("Pb", 0.0)) + far)


def test_form_factor_set():
    ff = AtomicFormFactors(("Pb", "S"), b_factors={"Pb": 1.0})
    q = np.array([[0.0, 1.0], [2.0, 3.0]])
    table = ff(q)
    assert table.shape == (2, 2, 2) and not ff.is_complex
    np.testing.assert_allclose(table[0], atomic_form_factor("Pb", q, 1.0))
    np.testing.assert_allclose(table[1], f0("S", q))
    assert ff.b_factors == (1.0, 0.0)
    ones = AtomicFormFactors.constant(("A", "B"), (1.0, 2.0))
    np.testing.assert_array_equal(ones(q[0]), [[1.0, 1.0], [2.0, 2.0]])
    anom = AtomicFormFactors(("Pb", "S"), energy=13030.0)
    assert anom.is_complex and anom(q).dtype == complex


def test_sphere_form_factor_limits_and_zeros():
    r = 30.0
    v = 4 / 3 * np.pi * r**3
    assert float(sphere_form_factor(0.0, r)) == pytest.approx(v)
    # Continuous across the switch to the Taylor series.
    x0 = SPHERE_SERIES_BELOW
    qs = np.array([x0 * (1 - 1e-9), x0 * (1 + 1e-9)]) / r
    a, b = sphere_form_factor(qs, r, normalized=True)
    assert a == pytest.approx(b, rel=1e-12)
    # Closed form away from zero; first zero at tan(x) = x, x = 4.4934.
    x = np.array([0.3, 1.0, 2.5])
    np.testing.assert_allclose(
        sphere_form_factor(x / r, r, True), 3 * (np.sin(x) - x * np.cos(x)) / x**3, rtol=1e-13
    )
    assert abs(float(sphere_form_factor(4.493409457909064 / r, r, True))) < 1e-12
    small = np.array([1e-8, 1e-4, 1e-2]) / r
    np.testing.assert_allclose(
        sphere_form_factor(small, r, True), 1 - (small * r) ** 2 / 10, rtol=1e-9
    )


def test_bad_inputs_are_refused_with_clear_messages():
    with pytest.raises(ValueError, match=r"element must be an atom or ion.*got 'Xx'"):
        f0("Xx", 1.0)
    with pytest.raises(ValueError, match=r"q must be >= 0"):
        f0("Pb", -1.0)
    with pytest.raises(ValueError, match=r"b_factor must be a finite number in \[0, inf\) A\^2"):
        debye_waller(1.0, -0.5)
    with pytest.raises(ValueError, match=r"radius must be a finite number in \(0, inf\) A"):
        sphere_form_factor(1.0, 0.0)
    with pytest.raises(ValueError, match=r"b_factors must give one B per species"):
        AtomicFormFactors(("Pb", "S"), b_factors=[1.0])
    with pytest.raises(ValueError, match=r"overrides must name species"):
        AtomicFormFactors(("Pb",), overrides={"S": 1.0})
    with pytest.raises(ValueError, match=r"energy must be a finite number in \(0, inf\) eV"):
        anomalous("Pb", -1.0)
