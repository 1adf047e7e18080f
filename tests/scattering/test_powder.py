"""Debye powder intensities: exact sum, histogram version, freud S(q), NC form factors, alignment."""

import math

import numpy as np
import pytest

from hoomd_rigidfield.orientation import haar_quaternions
from hoomd_rigidfield.scattering.amplitudes import intensity, nc_amplitude
from hoomd_rigidfield.scattering.atoms import (
    ROCKSALT_LATTICE_CONSTANTS,
    AtomisticNC,
    NCPlacement,
    Polyhedron,
    fcc_lattice_sites,
    place_ncs,
    rocksalt_nc,
)
from hoomd_rigidfield.scattering.formfactors import AtomicFormFactors, sphere_form_factor
from hoomd_rigidfield.scattering.powder import (
    CentreStructureFactor,
    centre_intensity,
    debye_intensity,
    debye_intensity_histogram,
    pair_distance_histograms,
)

pytest.importorskip("xraydb")

A = ROCKSALT_LATTICE_CONSTANTS["PbS"][0]
Q111, Q200 = 2 * np.pi * math.sqrt(3) / A, 4 * np.pi / A


def _naive(pos, f):
    """Sum_m Sum_n f_m(q) f_n(q)* sinc(q r_mn), written out; f: (N, Nq)."""
    d = np.linalg.norm(pos[:, None] - pos[None], axis=-1)
    return lambda q: (
        np.einsum("mq,nq,mnq->q", f, np.conj(f), np.sinc(d[..., None] * q / np.pi)).real
    )


@pytest.fixture(scope="module")
def cluster():
    rng = np.random.default_rng(7)
    return AtomisticNC(rng.uniform(-6, 6, (40, 3)), ("Pb", "S"), rng.integers(0, 2, 40))


def test_debye_equals_the_written_out_double_sum(cluster):
    q = np.linspace(0, 4, 41)
    table = AtomicFormFactors(cluster.species)(q)
    ref = _naive(cluster.positions, table[cluster.types])(q)
    np.testing.assert_allclose(debye_intensity(cluster, q), ref, rtol=1e-12)
    np.testing.assert_allclose(debye_intensity(cluster, q, chunk_size=50), ref, rtol=1e-12)
    # Complex (anomalous) form factors: I stays real and equal to the double sum.
    ff = AtomicFormFactors(cluster.species, energy=13030.0)
    ref_c = _naive(cluster.positions, ff(q)[cluster.types])(q)
    np.testing.assert_allclose(debye_intensity(cluster, q, ff), ref_c, rtol=1e-12)


def test_forward_intensity_is_the_squared_electron_count(cluster):
    f = AtomicFormFactors(cluster.species)(np.zeros(1))[:, 0]
    assert debye_intensity(cluster, np.zeros(1))[0] == pytest.approx(f[cluster.types].sum() ** 2)


def test_debye_equals_the_orientational_average_of_the_amplitude(cluster):
    # <|A(q u)|^2>_u over a fine Fibonacci sphere converges to the Debye sum.
    from hoomd_rigidfield.scattering.detector import sphere_directions

    q = np.array([0.5, 1.5, 2.5])
    u = sphere_directions(6000)
    i_avg = intensity(nc_amplitude(cluster, q[:, None, None] * u, method="direct")).mean(axis=1)
    np.testing.assert_allclose(i_avg, debye_intensity(cluster, q), rtol=2e-3)


def test_histogram_version_and_its_error():
    nc = rocksalt_nc(Polyhedron.truncated_octahedron(24.0), A)
    q = np.linspace(0.2, 3.0, 57)
    exact = debye_intensity(nc, q)
    f_sum = AtomicFormFactors(nc.species)(q)[nc.types].sum(axis=0)
    for width in (0.01, 0.1, 0.5):
        err = np.abs(debye_intensity_histogram(nc, q, bin_width=width) - exact)
        assert np.all(err <= (q * width) ** 2 / 24 * f_sum**2)  # the stated rigorous bound
    # Pair shells of a crystal: with the bin means, narrow bins reproduce the exact sum.
    np.testing.assert_allclose(debye_intensity_histogram(nc, q, bin_width=0.01), exact, rtol=1e-9)
    hists = pair_distance_histograms(nc, 0.01)
    n = len(nc)
    assert sum(int(h.sum()) for _, h in hists.values()) == n * (n - 1) // 2
    assert set(hists) == {(0, 0), (0, 1), (1, 1)}
    assert hists[(0, 1)][0][0] == pytest.approx(A / 2, rel=1e-12)  # Pb-S nearest neighbours
    # Random positions (a smooth distance distribution): second order in the bin width.
    rng = np.random.default_rng(2)
    pos = rng.uniform(-10, 10, (300, 3))
    ex = debye_intensity(pos, q)
    for width in (0.05, 0.2):
        err = np.abs(debye_intensity_histogram(pos, q, bin_width=width) - ex)
        assert np.all(err <= (q * width) ** 2 / 24 * len(pos) ** 2)


def test_freud_centre_structure_factor_matches_debye():
    pytest.importorskip("freud")
    sites = fcc_lattice_sites(20.0, 2)
    sf = CentreStructureFactor(60, 1.5, 0.05).compute(sites)
    ref = debye_intensity(sites, sf.q) / len(sites)
    np.testing.assert_allclose(sf.S_q, ref, rtol=2e-5, atol=1e-5)  # freud works in float32
    assert sf.min_valid_q == 0.0
    with pytest.raises(AttributeError, match="compute"):
        CentreStructureFactor(10, 1.0).q


def test_freud_periodic_box_first_peak():
    freud = pytest.importorskip("freud")
    box, pos = freud.data.UnitCell.fcc().generate_system(num_replicas=4, scale=20.0)
    sf = CentreStructureFactor(81, 0.8, 0.4).compute(pos, box)
    assert sf.min_valid_q == pytest.approx(4 * np.pi / 80.0, rel=1e-5)
    valid = sf.q > 2 * sf.min_valid_q
    # freud's k is our q (not 2 pi q); minimum-image distances in a 4-cell box shift the peak
    # by a few per cent (0.555 for 2 pi sqrt(3) / a = 0.544).
    peak = sf.q[valid][np.argmax(sf.S_q[valid])]
    assert peak == pytest.approx(2 * np.pi * math.sqrt(3) / 20.0, rel=0.03)


def test_centre_intensity_with_sphere_form_factor():
    sites = fcc_lattice_sites(150.0, 1)
    q = np.linspace(0, 0.2, 41)
    r = 30.0
    i = centre_intensity(sites, q, radius=r)
    f = sphere_form_factor(q, r)
    np.testing.assert_allclose(i, f**2 * debye_intensity(sites, q), rtol=1e-12)
    assert i[0] == pytest.approx((len(sites) * 4 / 3 * np.pi * r**3) ** 2)
    # Two NC types with their own form factors.
    types = np.array([0, 1, 0, 1])
    table = np.stack([sphere_form_factor(q, 30.0), sphere_form_factor(q, 20.0)])
    two = centre_intensity(sites, q, form_factor=table, types=types)
    ref = _naive(sites, table[types])(q)
    np.testing.assert_allclose(two, ref, rtol=1e-12)


def _peak(q, i, q0, side):
    """Height and half width at half maximum on one side of the peak nearest q0."""
    k = np.argmax(np.where(np.abs(q - q0) < 0.06, i, -np.inf))
    half = i[k] / 2
    step = -1 if side == "low" else 1
    j = k
    while 0 < j < len(q) - 1 and i[j] > half:
        j += step
    return q[k], i[k], abs(q[j] - q[k])


def test_aligned_ncs_give_sharper_and_higher_atomic_peaks():
    # One fcc SL cell of 4 PbS truncated octahedra (2.4 nm), a_SL = 5 a_PbS so that aligned NCs
    # share one atomic lattice: their powder {111} and {200} peaks are higher and narrower than
    # for random orientations (the aligned -> sharper trend of the seed-000 Debye patterns).
    nc = rocksalt_nc(Polyhedron.truncated_octahedron(24.0), A)
    sites = fcc_lattice_sites(5 * A, 1)
    q = np.linspace(1.4, 2.6, 241)
    peaks = {}
    for label, quats in (
        ("aligned", None),
        ("random", haar_quaternions(4, np.random.default_rng(1))),
    ):
        atoms = place_ncs(nc, NCPlacement(sites, quats))
        i = debye_intensity_histogram(atoms, q, bin_width=0.005)
        peaks[label] = (_peak(q, i, Q111, "low"), _peak(q, i, Q200, "high"))
    for (_, ha, wa), (_, hr, wr) in zip(peaks["aligned"], peaks["random"]):
        assert ha > 1.3 * hr
        assert wa < wr
    assert peaks["aligned"][0][0] == pytest.approx(Q111, abs=0.02)
    assert peaks["aligned"][1][0] == pytest.approx(Q200, abs=0.02)


def test_bad_inputs_are_refused_with_clear_messages(cluster):
    q = np.linspace(0, 1, 5)
    with pytest.raises(ValueError, match=r"types must be \(3,\) integers"):
        debye_intensity(np.zeros((3, 3)), q, types=[0, 1])
    with pytest.raises(ValueError, match=r"form factors must have shape \(2, 5\)"):
        debye_intensity(cluster, q, np.ones((3, 5)))
    with pytest.raises(ValueError, match=r"q must be a 1D array of magnitudes"):
        debye_intensity(cluster, -q)
    with pytest.raises(ValueError, match=r"bin_width must be a finite number in \(0, inf\) A"):
        debye_intensity_histogram(cluster, q, bin_width=0)
    with pytest.raises(ValueError, match=r"types must be None when atoms is an AtomisticNC"):
        debye_intensity(cluster, q, types=cluster.types)
    with pytest.raises(ValueError, match=r"give radius or form_factor, not both"):
        centre_intensity(np.zeros((2, 3)), q, radius=1.0, form_factor=np.ones(5))
