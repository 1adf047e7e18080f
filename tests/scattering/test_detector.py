"""Detector geometry on the Ewald sphere, 2D patterns, masks and orientational averages."""

import math

import numpy as np
import pytest

from hoomd_rigidfield.orientation import rotation_about
from hoomd_rigidfield.scattering.amplitudes import phase_sum
from hoomd_rigidfield.scattering.atoms import (
    ROCKSALT_LATTICE_CONSTANTS,
    AtomisticNC,
    Polyhedron,
    fcc_lattice_sites,
    rocksalt_nc,
)
from hoomd_rigidfield.scattering.detector import (
    Detector,
    beamstop_mask,
    module_gap_mask,
    orientational_average,
    sphere_directions,
)
from hoomd_rigidfield.scattering.formfactors import AtomicFormFactors
from hoomd_rigidfield.scattering.powder import debye_intensity

pytest.importorskip("finufft")
pytest.importorskip("xraydb")

A = ROCKSALT_LATTICE_CONSTANTS["PbS"][0]
Q111, Q200 = 2 * np.pi * math.sqrt(3) / A, 4 * np.pi / A


@pytest.mark.parametrize("beam", [(0, 0, 1), (1, 0, 0), (0.3, -1.0, 0.2)])
def test_exact_q_lie_on_the_ewald_sphere(beam):
    det = Detector((21, 17), pixel_size=0.5, distance=30.0, wavelength=1.2, beam_direction=beam)
    k = 2 * np.pi / 1.2
    b = det.beam_direction
    np.testing.assert_allclose(np.linalg.norm(det.q_vectors + k * b, axis=-1), k, rtol=1e-13)
    # |q| = 4 pi sin(theta) / lambda with tan(2 theta) = rho / D.
    rows, cols = np.meshgrid(np.arange(21) - 10, np.arange(17) - 8, indexing="ij")
    two_theta = np.arctan(0.5 * np.hypot(rows, cols) / 30.0)
    np.testing.assert_allclose(det.q_magnitude, 4 * np.pi / 1.2 * np.sin(two_theta / 2), rtol=1e-12)
    np.testing.assert_allclose(det.two_theta, two_theta, atol=1e-12)
    e1, e2, b = det.axes
    np.testing.assert_allclose(np.cross(e1, e2), b, atol=1e-15)


def test_flat_ewald_is_the_small_angle_limit():
    kw = {"pixel_size": 0.1, "distance": 5000.0, "wavelength": 1.0}
    exact = Detector((33, 33), ewald="exact", **kw)
    flat = Detector((33, 33), ewald="flat", **kw)
    assert np.all(flat.q_vectors[..., 2] == 0)
    rel = np.abs(flat.q_vectors - exact.q_vectors).max() / exact.q_magnitude.max()
    assert rel < 1e-3  # q_z ~ q^2 / 2k is second order


def test_azimuth_and_from_q_max():
    det = Detector.from_q_max(65, q_max=2.5, wavelength=0.954)
    c = 32
    assert det.q_magnitude[c, -1] == pytest.approx(2.5, rel=1e-12)
    assert det.q_magnitude[c, c] == 0
    assert det.azimuth[c, c + 5] == pytest.approx(0.0)
    assert det.azimuth[c + 5, c] == pytest.approx(np.pi / 2)
    assert det.azimuth[c, c - 5] == pytest.approx(np.pi)


def test_one_detector_holds_saxs_and_waxs_rings():
    # 13 keV, 512 pixels to q = 2.5 A^-1: the fcc SL (111) ring at 0.073 A^-1 (a = 150 A) is
    # several pixels from the beam, and the PbS (111), (200) rings are on the detector.
    det = Detector.from_q_max(512, q_max=2.5, wavelength=0.954)
    q = det.q_magnitude
    dq = q[256, 257] - q[256, 256]
    assert 2 * np.pi * math.sqrt(3) / 150 / dq > 5
    assert q.min() < 0.01 and q.max() > Q200


def test_waxs_pattern_of_an_aligned_nc_shows_the_200_spots():
    nc = rocksalt_nc(Polyhedron.cube(4 * A), A)
    det = Detector.from_q_max(81, q_max=2.5, wavelength=0.954, ewald="flat")
    mask = beamstop_mask(det, 1.0)
    img = det.with_mask(mask).pattern(nc, tol=1e-9, nthreads=1)
    assert np.all(np.isnan(img[~mask])) and np.all(np.isfinite(img[mask]))
    q, phi = det.q_magnitude, det.azimuth
    top = np.argsort(np.nan_to_num(img, nan=-1).ravel())[::-1][:4]
    np.testing.assert_allclose(q.ravel()[top], Q200, atol=0.04)
    np.testing.assert_allclose(
        np.sort(np.mod(phi.ravel()[top], 2 * np.pi)),
        [0, np.pi / 2, np.pi, 3 * np.pi / 2],
        atol=0.05,
    )
    # Friedel: the flat-Ewald pattern is centrosymmetric.
    np.testing.assert_allclose(img[mask], img[::-1, ::-1][mask], rtol=1e-6)


def test_curvature_needs_a_tilt_to_the_bragg_condition():
    # On the exact Ewald sphere with the beam along [001], G(200) is missed by q^2/2k; tilting the
    # crystal by theta_B about the detector row axis brings it onto the sphere.
    nc = rocksalt_nc(Polyhedron.cube(6 * A), A)
    lam = 0.954
    det = Detector.from_q_max(61, q_max=2.5, wavelength=lam)
    theta_b = math.asin(Q200 * lam / (4 * np.pi))
    untilted = det.pattern(nc, tol=1e-9, nthreads=1)
    tilted = det.pattern(
        nc, sample_rotation=rotation_about([0, 1, 0], theta_b), tol=1e-9, nthreads=1
    )
    near = np.abs(det.q_magnitude - Q200) < 0.05
    assert tilted[near].max() > 10 * untilted[near].max()


def test_pattern_of_a_rotated_sample_is_the_rotated_pattern(rng):
    # An asymmetric cluster turned by +90 degrees about the beam (z) gives the image turned so
    # that the pixel on +e1 (row c, column c + j) goes to +e2 (row c + j, column c): rot90(k=-1)
    # in (row, column) indexing.
    cluster = AtomisticNC(rng.uniform(-8, 8, (40, 3)), ("C",), np.zeros(40, dtype=int))
    det = Detector((31, 31), pixel_size=2.0, distance=100.0, wavelength=1.0)
    img = det.pattern(cluster, method="direct")
    quarter = det.pattern(
        cluster, sample_rotation=rotation_about([0, 0, 1], np.pi / 2), method="direct"
    )
    np.testing.assert_allclose(quarter, np.rot90(img, k=-1), rtol=1e-10)
    # sample_rotation is the same as rotating the atoms.
    turned = cluster.transformed(rotation_about([0, 0, 1], np.pi / 2))
    np.testing.assert_allclose(det.pattern(turned, method="direct"), quarter, rtol=1e-10)


def test_saxs_pattern_of_point_like_ncs_along_001():
    sites = fcc_lattice_sites(150.0, 4)
    det = Detector.from_q_max(101, q_max=0.2, wavelength=0.954, ewald="flat")
    img = det.pattern(lambda q: phase_sum(sites, q))
    q = det.q_magnitude
    img[q < 0.03] = 0  # the forward peak
    top = np.argsort(img.ravel())[::-1][:4]
    # Along [001] the first SL reflections in the detector plane are {200} at 4 pi / a.
    np.testing.assert_allclose(q.ravel()[top], 4 * np.pi / 150, atol=0.004)


def test_masks():
    m = module_gap_mask((10, 12), (4, 5), 1)
    assert m.sum() == 8 * 10 and not m[4].any() and not m[:, 5].any()
    det = Detector((10, 12), 1.0, 50.0, 1.0)
    sites = np.zeros((1, 3))
    img = det.with_mask(m).pattern(lambda q: phase_sum(sites, q), fill_value=-1.0)
    assert np.all(img[~m] == -1.0) and np.allclose(img[m], 1.0)


def test_orientational_average_equals_debye_for_a_small_cluster(rng):
    cluster = AtomisticNC(rng.uniform(-4, 4, (12, 3)), ("Pb", "S"), rng.integers(0, 2, 12))
    q = np.linspace(0.0, 2.0, 9)
    avg = orientational_average(cluster, q, n_directions=3000, method="direct")
    ref = debye_intensity(cluster, q)
    np.testing.assert_allclose(avg, ref, rtol=2e-3)
    rnd = orientational_average(
        cluster, q, n_directions=3000, directions="random", seed=1, method="direct"
    )
    np.testing.assert_allclose(rnd, ref, rtol=0.1)  # Monte Carlo, ~1/sqrt(3000) noise
    assert avg[0] == pytest.approx(
        float(AtomicFormFactors(cluster.species)(np.zeros(1))[cluster.types, 0].sum()) ** 2
    )


def test_sphere_directions():
    for kind in ("fibonacci", "random"):
        u = sphere_directions(2000, kind, seed=0)
        np.testing.assert_allclose(np.linalg.norm(u, axis=1), 1.0)
        # Second moments of a uniform distribution: <u u^T> = I/3.
        np.testing.assert_allclose(u.T @ u / len(u), np.eye(3) / 3, atol=0.03)


def test_bad_inputs_are_refused_with_clear_messages():
    with pytest.raises(
        ValueError, match=r"wavelength must be a finite number in \(0, inf\) A, got -1"
    ):
        Detector((4, 4), 1.0, 10.0, -1)
    with pytest.raises(ValueError, match=r"q_max must be a finite number in \(0, 9\.3"):
        Detector.from_q_max(8, q_max=20.0, wavelength=0.954)
    with pytest.raises(ValueError, match=r"mask must be a bool array of shape \(4, 4\)"):
        Detector((4, 4), 1.0, 10.0, 1.0, mask=np.ones((3, 4), bool))
    with pytest.raises(ValueError, match=r"ewald must be one of"):
        Detector((4, 4), 1.0, 10.0, 1.0, ewald="curved")
    with pytest.raises(ValueError, match=r"beam_direction must be a non-zero 3-vector"):
        Detector((4, 4), 1.0, 10.0, 1.0, beam_direction=(0, 0, 0))
    with pytest.raises(ValueError, match=r"source must be an AtomisticNC or a callable"):
        Detector((4, 4), 1.0, 10.0, 1.0).pattern("PbS")
    with pytest.raises(ValueError, match=r"q must be a 1D array of magnitudes"):
        orientational_average(lambda q: q[:, 0], np.zeros((2, 2)))
