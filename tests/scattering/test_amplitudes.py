"""NC and superlattice amplitudes: NUFFT vs direct, Bragg positions, rock-salt rules, symmetry."""

import math

import numpy as np
import pytest

from hoomd_rigidfield.orientation import haar_quaternions, rotation_about
from hoomd_rigidfield.scattering.amplitudes import (
    ScatteringAmplitude,
    intensity,
    nc_amplitude,
    phase_sum,
    superlattice_amplitude,
)
from hoomd_rigidfield.scattering.atoms import (
    ROCKSALT_LATTICE_CONSTANTS,
    NCPlacement,
    Polyhedron,
    fcc_lattice_sites,
    place_ncs,
    rocksalt_nc,
)
from hoomd_rigidfield.scattering.formfactors import AtomicFormFactors, f0

pytest.importorskip("finufft")
pytest.importorskip("xraydb")

A = ROCKSALT_LATTICE_CONSTANTS["PbS"][0]


def _max_rel(a, b):
    return float(np.abs(a - b).max() / np.abs(b).max())


@pytest.fixture(scope="module")
def small_nc():
    """A PbS truncated octahedron of 2 nm (about 160 atoms), off-centre so it has no symmetry."""
    return rocksalt_nc(Polyhedron.truncated_octahedron(20.0), A, offset=(0.4, -0.7, 0.9))


def _random_q(rng, n, q_max=3.0):
    return rng.uniform(-q_max, q_max, (n, 3)) / math.sqrt(3)


def test_nufft_equals_direct_sum(small_nc, rng):
    q = _random_q(rng, 600)
    direct = nc_amplitude(small_nc, q, method="direct")
    nufft = nc_amplitude(small_nc, q, method="nufft", tol=1e-9, nthreads=1)
    assert _max_rel(nufft, direct) < 1e-6
    # The direct sum does not depend on its chunking.
    chunked = nc_amplitude(small_nc, q, method="direct", chunk_size=97)
    assert _max_rel(chunked, direct) < 1e-13
    # And it is the textbook sum written out.
    ff = AtomicFormFactors(small_nc.species)(np.linalg.norm(q, axis=1))
    ref = sum(ff[t] * np.exp(-1j * q @ r) for r, t in zip(small_nc.positions, small_nc.types))
    assert _max_rel(direct, ref) < 1e-12


def test_forward_amplitude_counts_electrons(small_nc):
    a0 = nc_amplitude(small_nc, np.zeros(3), method="direct")
    n_pb, n_s = small_nc.counts
    assert a0.shape == ()
    assert complex(a0) == pytest.approx(n_pb * float(f0("Pb", 0)) + n_s * float(f0("S", 0)))


def test_friedel_law_and_its_anomalous_breakdown(small_nc, rng):
    q = _random_q(rng, 200)
    a_plus = nc_amplitude(small_nc, q, method="direct")
    a_minus = nc_amplitude(small_nc, -q, method="direct")
    np.testing.assert_allclose(a_minus, np.conj(a_plus), rtol=1e-10, atol=1e-9)
    # Complex f near the Pb L3 edge: Bijvoet pairs differ for a non-centrosymmetric NC.
    ff = AtomicFormFactors(small_nc.species, energy=13030.0)
    ip = intensity(nc_amplitude(small_nc, q, ff, method="direct"))
    im = intensity(nc_amplitude(small_nc, -q, ff, method="direct"))
    assert np.max(np.abs(ip - im) / (ip + im)) > 1e-3


@pytest.mark.parametrize(
    ("hkl", "rule"),
    [
        ((1, 1, 1), "odd"),
        ((2, 0, 0), "even"),
        ((2, 2, 0), "even"),
        ((3, 1, 1), "odd"),
        ((1, 0, 0), "mixed"),
        ((2, 1, 0), "mixed"),
    ],
)
def test_rocksalt_structure_factor_rules(hkl, rule):
    # n^3 complete conventional cells (cation at a corner): A(G) = n^3 F_cell(hkl) exactly.
    n = 3
    edge = (2 * n - 1) * A / 2
    nc = rocksalt_nc(Polyhedron.cube(edge), A, offset=(-edge / 2,) * 3)
    assert nc.counts == (4 * n**3, 4 * n**3)
    g = 2 * np.pi / A * np.array(hkl, dtype=float)
    a = complex(nc_amplitude(nc, g, method="direct") * np.exp(-1j * g @ np.full(3, edge / 2)))
    fpb, fs = float(f0("Pb", np.linalg.norm(g))), float(f0("S", np.linalg.norm(g)))
    expected = {"odd": 4 * (fpb - fs), "even": 4 * (fpb + fs), "mixed": 0.0}[rule] * n**3
    assert a == pytest.approx(expected, abs=1e-9 * 4 * n**3 * fpb)


def test_atomic_bragg_peaks_of_pbs_sit_at_the_reciprocal_lattice():
    nc = rocksalt_nc(Polyhedron.cube(6 * A), A)
    assert 2 * np.pi * math.sqrt(3) / A == pytest.approx(1.8334, abs=1e-4)
    assert 4 * np.pi / A == pytest.approx(2.1170, abs=1e-4)
    for direction, q_peak in (
        ((1, 1, 1), 2 * np.pi * math.sqrt(3) / A),
        ((1, 0, 0), 4 * np.pi / A),
    ):
        u = np.array(direction, float) / np.linalg.norm(direction)
        qs = np.linspace(q_peak - 0.3, q_peak + 0.3, 601)
        i = intensity(nc_amplitude(nc, qs[:, None] * u, method="nufft", tol=1e-9, nthreads=1))
        assert qs[np.argmax(i)] == pytest.approx(q_peak, abs=2e-3)


def test_superlattice_bragg_peaks_of_point_like_ncs():
    a_sl, n = 150.0, 3
    sites = fcc_lattice_sites(a_sl, n)
    g111 = 2 * np.pi / a_sl * np.ones(3)
    s = phase_sum(sites, np.stack([g111, 2 * np.pi / a_sl * np.array([1.0, 0, 0])]))
    assert abs(s[0]) ** 2 == pytest.approx(len(sites) ** 2, rel=1e-12)
    assert abs(s[1]) < 1e-9 * len(sites)
    u = np.ones(3) / math.sqrt(3)
    qs = np.linspace(0.03, 0.12, 901)
    i = intensity(phase_sum(sites, qs[:, None] * u))
    assert qs[np.argmax(i)] == pytest.approx(2 * np.pi * math.sqrt(3) / a_sl, abs=1e-4)  # 0.0726
    # NUFFT and direct agree for the centre sum too.
    q = np.random.default_rng(0).uniform(-0.2, 0.2, (300, 3))
    assert _max_rel(phase_sum(sites, q, method="nufft", tol=1e-10), phase_sum(sites, q)) < 1e-8


@pytest.mark.parametrize("kind", ["same", "two", "random"])
def test_superlattice_amplitude_equals_the_world_frame_sum(small_nc, rng, kind):
    sites = fcc_lattice_sites(30.0, 1) + rng.normal(0, 0.3, (4, 3))
    quats = {
        "same": np.tile(haar_quaternions(1, rng), (4, 1)),
        "two": haar_quaternions(2, rng)[[0, 1, 0, 1]],
        "random": haar_quaternions(4, rng),
    }[kind]
    placement = NCPlacement(sites, quats)
    q = _random_q(rng, 300, 2.5)
    ref = nc_amplitude(place_ncs(small_nc, placement), q, method="direct")
    fast = superlattice_amplitude(
        small_nc, q, placement, tol=1e-10, nthreads=1, max_stacked_points=700
    )
    direct = superlattice_amplitude(small_nc, q, placement, method="direct")
    assert _max_rel(fast, ref) < 1e-7
    assert _max_rel(direct, ref) < 1e-12


def test_rotation_covariance(small_nc, rng):
    rot = rotation_about([1.0, 2.0, -0.5], 0.7)
    rotated = small_nc.transformed(rot)
    q = _random_q(rng, 200)
    # A_rotated(q) = A(R^T q): row vectors q @ R.
    np.testing.assert_allclose(
        nc_amplitude(rotated, q, method="direct"),
        nc_amplitude(small_nc, q @ rot, method="direct"),
        rtol=1e-10,
        atol=1e-8,
    )


def test_compute_object(small_nc):
    amp = ScatteringAmplitude(method="direct")
    with pytest.raises(AttributeError, match="compute"):
        amp.amplitude
    q = np.zeros((2, 5, 3))
    assert amp.compute(small_nc, q) is amp
    assert amp.amplitude.shape == (2, 5) and amp.q_vectors is q
    np.testing.assert_allclose(amp.intensity, np.abs(amp.amplitude) ** 2)
    single = amp.intensity
    # Two NCs at the same place, same orientation: twice the amplitude.
    pl = NCPlacement(np.zeros((2, 3)))
    np.testing.assert_allclose(amp.compute(small_nc, q, pl).intensity, 4 * single)


def test_bad_inputs_are_refused_with_clear_messages(small_nc):
    q = np.zeros((3, 3))
    with pytest.raises(ValueError, match=r"method must be one of .*direct.*nufft.*, got 'fft'"):
        nc_amplitude(small_nc, q, method="fft")
    with pytest.raises(ValueError, match=r"q must have shape \(\.\.\., 3\)"):
        nc_amplitude(small_nc, np.zeros((3, 2)))
    with pytest.raises(ValueError, match=r"tol must be a finite number in \[1e-15, 0\.1\]"):
        nc_amplitude(small_nc, q, tol=0.0)
    with pytest.raises(ValueError, match=r"form_factors species \('Pb', 'Se'\) must match"):
        nc_amplitude(small_nc, q, AtomicFormFactors(("Pb", "Se")))
    with pytest.raises(ValueError, match=r"placement must be an NCPlacement"):
        superlattice_amplitude(small_nc, q, np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"weights must have shape \(2,\)"):
        phase_sum(np.zeros((2, 3)), q, weights=np.ones(3))
