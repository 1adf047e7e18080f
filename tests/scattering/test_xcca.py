"""XCCA, ring peak fits and the SL/AL orientation relation (hoomd_rigidfield.scattering.xcca)."""

import math

import numpy as np
import pytest

from hoomd_rigidfield.scattering import peaks, xcca

N_PHI = 360
PHI = xcca.azimuth_bins(N_PHI)


def ring(centres, sigma=0.04, amplitude=1.0, background=0.0):
    """A ring of periodic Gaussian peaks at ``centres`` [rad] on the standard bins."""
    return background + sum(amplitude * xcca._periodic_gaussian(PHI, c, sigma) for c in centres)


def delta_index(angle):
    return round(np.mod(angle, 2 * np.pi) / (2 * np.pi) * N_PHI) % N_PHI


def local_maxima(c):
    big = c > c.min() + 1e-3 * (c.max() - c.min())
    return np.flatnonzero((c > np.roll(c, 1)) & (c >= np.roll(c, -1)) & big)


def orders(fourier, nmax=36):
    mags = np.abs(fourier[1 : nmax + 1])
    return mags / mags.max()


# -- cross-correlation of synthetic rings --------------------------------------------------------


def test_cross_correlation_maxima_sit_at_the_angle_differences():
    # ring 1: one peak at 20 deg; ring 2: peaks at 80 and 200 deg -> C(q1, q2, D) peaks at 60, 180
    r1 = ring([math.radians(20)])
    r2 = ring([math.radians(80), math.radians(200)])
    c = xcca.AngularCorrelation().compute(np.stack([r1, r2])).correlation
    maxima = local_maxima(c[0, 1])
    assert sorted(maxima.tolist()) == sorted(
        [delta_index(math.radians(60)), delta_index(math.radians(180))]
    )
    # reversed order: D = phi_1 - phi_2
    assert sorted(local_maxima(c[1, 0]).tolist()) == sorted(
        [delta_index(math.radians(-60)), delta_index(math.radians(-180))]
    )
    # autocorrelation of the two-peak ring: maxima at 0 and +-120 deg
    assert sorted(local_maxima(c[1, 1]).tolist()) == sorted(
        [0, delta_index(math.radians(120)), delta_index(math.radians(-120))]
    )
    # unmasked, unnormalised: C(q, q, 0) is the mean of I^2 over phi
    assert c[1, 1, 0] == pytest.approx(np.mean(r2**2), rel=1e-12)


@pytest.mark.parametrize("n", [2, 3, 4, 6])
def test_an_n_fold_ring_has_only_multiples_of_n(n):
    rng = np.random.default_rng(n)
    phase = rng.uniform(0, 2 * np.pi)
    r = ring(phase + 2 * np.pi * np.arange(n) / n, sigma=0.05) + 0.3
    xc = xcca.AngularCorrelation().compute(r[None])
    rel = orders(xc.fourier[0, 0])
    k = np.arange(1, len(rel) + 1)
    assert np.all(rel[k % n != 0] < 1e-6)
    assert np.all(rel[(k % n == 0) & (k <= 24)] > 1e-3)


def test_fourier_components_are_products_of_ring_components():
    rng = np.random.default_rng(1)
    rings = np.stack([ring(rng.uniform(0, 2 * np.pi, 3)) for _ in range(3)]) + 0.1
    xc = xcca.AngularCorrelation().compute(rings)
    i_n = xcca.angular_fourier(rings)
    expected = np.conj(i_n)[:, None, :] * i_n[None, :, :]
    np.testing.assert_allclose(xc.fourier, expected, atol=1e-12)
    np.testing.assert_allclose(xcca.fourier_correlation(rings), expected, atol=1e-12)
    # C_0 = <I1><I2>
    np.testing.assert_allclose(xc.fourier[..., 0].real, np.outer(rings.mean(1), rings.mean(1)))


def test_friedel_symmetry():
    rng = np.random.default_rng(2)
    # any ring: the autocorrelation is even, C(q, q, D) = C(q, q, -D)
    c = (
        xcca.AngularCorrelation()
        .compute(ring(rng.uniform(0, 2 * np.pi, 5))[None])
        .correlation[0, 0]
    )
    np.testing.assert_allclose(c, np.roll(c[::-1], 1), atol=1e-12)
    # centrosymmetric pattern I(phi + pi) = I(phi) on two rings: C(D + pi) = C(D) also for q1 != q2,
    # and only even orders
    c1, c2 = rng.uniform(0, 2 * np.pi, 3), rng.uniform(0, 2 * np.pi, 2)
    rings = np.stack([ring(np.r_[c1, c1 + np.pi]), ring(np.r_[c2, c2 + np.pi])])
    xc = xcca.AngularCorrelation().compute(rings)
    c12 = xc.correlation[0, 1]
    np.testing.assert_allclose(c12, np.roll(c12, N_PHI // 2), atol=1e-12)
    np.testing.assert_allclose(
        c12[delta_index(0.7)], xc.correlation[1, 0][delta_index(-0.7)], atol=1e-12
    )
    assert np.all(orders(xc.fourier[0, 1])[0::2] < 1e-9)  # n = 1, 3, 5, ...


@pytest.mark.parametrize("normalization", [None, "mean", "minmax"])
def test_masked_half_ring_gives_the_full_ring_correlation(normalization):
    """A half ring averaged over orientations gives the full ring's (normalised) C(D).

    The mask correction <IW IW>/<W W> is unbiased: a domain seen at every orientation about the
    beam through a detector that only covers half the ring gives the same C(D) as the full
    detector, wherever the half ring overlaps its shifted self (D != 180 deg).
    """
    r = ring([0.3, 1.1, 2.0, 4.4], sigma=0.06, background=0.2)
    r2 = ring([0.9, 3.5], sigma=0.1, background=0.5)
    patterns = np.stack([np.stack([np.roll(r, s), np.roll(r2, s)]) for s in range(N_PHI)])
    half = np.zeros((2, N_PHI))
    half[:, : N_PHI // 2] = 1.0
    full = xcca.AngularCorrelation(normalization).compute(np.stack([r, r2])).correlation
    masked = xcca.AngularCorrelation(normalization).compute(patterns, half).correlation
    defined = np.isfinite(masked)
    assert not defined[..., N_PHI // 2].any() and defined.sum() == defined.size - 4
    np.testing.assert_allclose(masked[defined], full[defined], rtol=1e-9, atol=1e-12)
    # the masked bins may hold anything (NaN) without changing the result
    patterns[:, :, N_PHI // 2 :] = np.nan
    again = xcca.AngularCorrelation(normalization).compute(patterns, half).correlation
    np.testing.assert_allclose(again[defined], masked[defined], rtol=1e-12)


def test_mean_and_minmax_normalisations():
    r = ring([0.5, 2.0], background=1.0)
    xc = xcca.AngularCorrelation("mean").compute(r[None])
    m = r.mean()
    raw = xcca.AngularCorrelation().compute(r[None]).correlation
    np.testing.assert_allclose(xc.correlation, (raw - m * m) / (m * m))
    mm = xcca.AngularCorrelation("minmax").compute(r[None]).correlation[0, 0]
    assert mm.min() == pytest.approx(0.0) and mm.max() == pytest.approx(1.0)
    assert np.argmax(mm) == 0
    # average over patterns: two patterns count equally, accumulated in two calls or one
    r2 = ring([1.0], background=2.0)
    acc = xcca.AngularCorrelation().compute(r[None]).compute(r2[None], reset=False)
    both = xcca.AngularCorrelation().compute(np.stack([r[None], r2[None]]))
    assert acc.num_patterns == both.num_patterns == 2
    np.testing.assert_allclose(acc.correlation, both.correlation)
    np.testing.assert_allclose(
        acc.correlation, 0.5 * (raw + xcca.AngularCorrelation().compute(r2[None]).correlation)
    )


# -- detector images of real lattices ------------------------------------------------------------


def zone_image(lattice, a, frame, q_max, npix=601, spot=0.03, h_max=8):
    """Detector image: Gaussians at the reciprocal-lattice vectors g with g . beam = 0.

    ``frame`` rows are the detector axes e1, e2 and the beam, in the crystal's cubic axes.
    """
    r = np.arange(-h_max, h_max + 1)
    hkl = np.stack(np.meshgrid(r, r, r, indexing="ij"), -1).reshape(-1, 3)
    hkl = np.array([v for v in hkl if peaks.is_allowed(*map(int, v), lattice)])
    g = 2 * np.pi / a * hkl @ np.asarray(frame).T
    g = g[(np.abs(g[:, 2]) < 1e-9) & (np.linalg.norm(g[:, :2], axis=1) < q_max)]
    axis = np.linspace(-q_max, q_max, npix)
    qx, qy = np.meshgrid(axis, axis, indexing="xy")
    image = np.zeros_like(qx)
    for gx, gy, _ in g:
        image += np.exp(-((qx - gx) ** 2 + (qy - gy) ** 2) / (2 * spot**2))
    return image, np.hypot(qx, qy), np.arctan2(qy, qx), axis[1] - axis[0]


def test_sc_along_001_gives_four_fold_orders():
    a = 10.0
    image, qm, pm, pix = zone_image("sc", a, np.eye(3), 2.0)
    q100, q110 = 2 * np.pi / a, 2 * np.pi * math.sqrt(2) / a
    rings = xcca.polar_resample(image, qm, pm, [q100, q110], 2 * pix)
    xc = xcca.AngularCorrelation().compute(rings)
    for i, j in [(0, 0), (1, 1), (0, 1)]:
        rel = orders(xc.fourier[i, j])
        k = np.arange(1, len(rel) + 1)
        assert np.all(rel[k % 4 != 0] < 0.01), (i, j)
        assert rel[3] > 0.1
    # the {110} spots sit 45 deg from the {100} spots
    c = xc.correlation[0, 1]
    assert np.argmax(c) in {delta_index(math.radians(d)) for d in (45, 135, 225, 315)}


def test_fcc_along_111_gives_six_fold_orders():
    a = 10.0
    e3 = np.array([1, 1, 1]) / math.sqrt(3)
    e1 = np.array([1, -1, 0]) / math.sqrt(2)
    frame = np.stack([e1, np.cross(e3, e1), e3])
    image, qm, pm, pix = zone_image("fcc", a, frame, 3.4)
    q220, q422 = 2 * np.pi * math.sqrt(8) / a, 2 * np.pi * math.sqrt(24) / a
    rings = xcca.polar_resample(image, qm, pm, [q220, q422], 2 * pix)
    xc = xcca.AngularCorrelation().compute(rings)
    for i, j in [(0, 0), (1, 1), (0, 1)]:
        rel = orders(xc.fourier[i, j])
        k = np.arange(1, len(rel) + 1)
        assert np.all(rel[k % 6 != 0] < 0.01), (i, j, np.max(rel[k % 6 != 0]))
        assert rel[5] > 0.1
    # {422} spots are 30 deg from {220} spots
    assert np.argmax(xc.correlation[0, 1]) % 60 == 30


def test_polar_resample_bins_by_q_and_azimuth_and_honours_the_mask():
    axis = np.linspace(-1, 1, 401)
    qx, qy = np.meshgrid(axis, axis)
    qm, pm = np.hypot(qx, qy), np.arctan2(qy, qx)
    image = 2.0 + np.cos(3 * pm) * qm
    mask = qx > 0.0  # right half of the detector
    rings = xcca.polar_resample(image, qm, pm, [0.4, 0.8], 0.01, n_phi=72, mask=mask)
    phi = np.asarray(rings.phi)
    right = (phi < np.pi / 2) | (phi > 3 * np.pi / 2)
    assert np.all(rings.weight[:, right] == 1) and np.all(rings.weight[:, ~right] == 0)
    assert np.all(rings.intensity[:, ~right] == 0)
    expected = 2.0 + np.cos(3 * phi[right])[None, :] * np.array([[0.4], [0.8]])
    np.testing.assert_allclose(rings.intensity[:, right], expected, atol=0.04)
    assert rings.counts.sum() == pytest.approx(
        sum(np.count_nonzero(mask & (qm >= q - 0.005) & (qm <= q + 0.005)) for q in (0.4, 0.8))
    )


# -- ring peaks and orientational disorder -------------------------------------------------------


def test_ring_peak_fit_recovers_positions_widths_across_zero_and_a_mask():
    rng = np.random.default_rng(5)
    centres = np.array([0.02, 2.1, 4.2])  # the first straddles phi = 0
    y = ring(centres, sigma=0.07, amplitude=2.0, background=0.5) + rng.normal(0, 0.01, N_PHI)
    w = np.ones(N_PHI)
    w[150:190] = 0  # a detector gap
    y[150:190] = np.nan
    fit = xcca.fit_ring_peaks(PHI, y, weight=w, n_peaks=3)
    np.testing.assert_allclose(fit.positions, np.sort(centres), atol=3e-3)
    assert np.all(np.abs(fit.positions - np.sort(centres)) < 5 * fit.positions_err + 1e-4)
    np.testing.assert_allclose(fit.sigma, 0.07, rtol=0.02)
    np.testing.assert_allclose(fit.amplitudes, 2.0, rtol=0.02)
    assert fit.background == pytest.approx(0.5, abs=0.01)
    free = xcca.fit_ring_peaks(PHI, ring(centres, sigma=0.07) + 0.1, common_width=False)
    np.testing.assert_allclose(free.sigma, 0.07, rtol=1e-4)


def test_orientational_disorder_from_azimuthal_and_radial_widths():
    """A spot of radial width 0.01 A^-1 at q = 1 A^-1 smeared by Delta Phi = 0.05 rad."""
    g, sigma_r, spread, phi0 = 1.0, 0.01, 0.05, 0.7
    axis = np.arange(-1.1, 1.1 + 1e-9, 0.0025)
    qx, qy = np.meshgrid(axis, axis)
    qm, pm = np.hypot(qx, qy), np.arctan2(qy, qx)
    near = np.abs(qm - g) < 0.08
    t = np.linspace(-4, 4, 81)
    image = np.zeros_like(qx)
    for theta, wt in zip(phi0 + spread * t, np.exp(-(t**2) / 2)):
        for sign in (1, -1):  # Friedel pair
            gx, gy = sign * g * math.cos(theta), sign * g * math.sin(theta)
            image[near] += wt * np.exp(
                -((qx[near] - gx) ** 2 + (qy[near] - gy) ** 2) / (2 * sigma_r**2)
            )
    rings = xcca.polar_resample(image, qm, pm, [g], 0.0025, n_phi=720)
    az = xcca.fit_ring_peaks(rings.phi, rings.intensity[0], weight=rings.weight[0], n_peaks=2)
    np.testing.assert_allclose(az.positions, [phi0, phi0 + np.pi], atol=2e-3)
    qs = np.linspace(0.95, 1.05, 81)
    rad = xcca.polar_resample(image, qm, pm, qs, 0.0025, n_phi=180)
    col = int(phi0 / (2 * np.pi) * 180)
    cols = slice(col - 1, col + 2)
    profile = (rad.intensity[:, cols] * rad.counts[:, cols]).sum(1) / rad.counts[:, cols].sum(1)
    radial = peaks.fit_peak(qs, profile, g)
    assert radial.sigma == pytest.approx(sigma_r, rel=0.1)
    assert g * az.sigma[0] > 4 * radial.sigma  # the azimuthal width is mostly disorder
    recovered = xcca.orientational_disorder(az.sigma[0], g, radial.sigma)
    assert recovered == pytest.approx(spread, rel=0.1)
    # without disorder the azimuthal width in q units equals the radial width: Delta Phi = 0
    assert xcca.orientational_disorder(sigma_r / g, g, sigma_r) == 0.0


# -- SL/AL orientation relations -----------------------------------------------------------------


def test_conf1_and_conf2_rotations():
    r1, r2 = xcca.conf1_rotation(), xcca.conf2_rotation()
    for r in (r1, r2):
        np.testing.assert_allclose(r @ r.T, np.eye(3), atol=1e-12)
        assert np.linalg.det(r) == pytest.approx(1.0)
        # [110]_SL || [100]_AL in both
        np.testing.assert_allclose(r @ [1, 0, 0], np.array([1, 1, 0]) / math.sqrt(2), atol=1e-12)
    np.testing.assert_allclose(r1 @ [0, 0, 1], [0, 0, 1], atol=1e-12)  # [001]_SL || [001]_AL
    np.testing.assert_allclose(r2 @ (np.array([0, 1, 1]) / math.sqrt(2)), [0, 0, 1], atol=1e-12)
    # Conf2 = Conf1 turned 45 deg about [100]_AL (= [110]_SL)
    np.testing.assert_allclose(r2, xcca.axis_angle_matrix([1, 1, 0], math.pi / 4) @ r1, atol=1e-12)
    np.testing.assert_allclose(r2, r1 @ xcca.axis_angle_matrix([1, 0, 0], math.pi / 4), atol=1e-12)
    angle = math.degrees(math.acos((np.trace(r1.T @ r2) - 1) / 2))
    assert angle == pytest.approx(45.0)


def measured_azimuths(rotation, beam, family, detector_x, psi, noise, rng):
    """Independent 'measurement': rotate all members of {hkl}, keep g . beam = 0, project.

    ``detector_x`` is any vector, made perpendicular to the beam: the detector's first axis.
    """
    b = np.asarray(beam, float) / np.linalg.norm(beam)
    g = xcca.family_members(family) @ np.asarray(rotation).T
    g = g[np.abs(g @ b) < 1e-9 * np.linalg.norm(g, axis=1)]
    e1 = np.cross(b, detector_x)
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(b, e1)
    phi = np.arctan2(g @ e2, g @ e1) + psi + rng.normal(0, noise, len(g))
    return np.mod(phi, 2 * np.pi)


@pytest.mark.parametrize("mirror", [False, True])
@pytest.mark.parametrize(("beam", "sl_family"), [([0, 0, 1], (2, 2, 0)), ([1, -1, 0], (1, 1, 1))])
def test_the_classifier_tells_conf1_from_conf2(beam, sl_family, mirror):
    """Patterns from the rotation matrices, seen along the beam at a random azimuth (and with a
    mirrored detector), 0.5 deg noise: Conf1 and Conf2 are told apart, a 20 deg twist is other."""
    rng = np.random.default_rng(7)
    families = [(1, 1, 1), (2, 0, 0)]
    relations = {
        "Conf1": xcca.conf1_rotation(),
        "Conf2": xcca.conf2_rotation(),
        "twisted": xcca.axis_angle_matrix(beam, math.radians(20)) @ xcca.conf1_rotation(),
    }
    for truth, r in relations.items():
        psi, x, noise = rng.uniform(0, 2 * np.pi), rng.normal(size=3), math.radians(0.5)
        sl = measured_azimuths(np.eye(3), beam, sl_family, x, psi, noise, rng)
        al = [measured_azimuths(r, beam, f, x, psi, noise, rng) for f in families]
        if mirror:
            sl, al = np.mod(-sl, 2 * np.pi), [np.mod(-v, 2 * np.pi) for v in al]
        match = xcca.classify_orientation(
            sl, al, beam=beam, sl_family=sl_family, al_families=families
        )
        expected = truth if truth != "twisted" else "other"
        assert match.label == expected, (truth, match.residuals)
        if expected != "other":
            other = "Conf2" if truth == "Conf1" else "Conf1"
            assert match.residual < math.radians(1.5)
            assert match.residuals[other] > 10 * match.residual


def test_peak_offsets_of_conf2_along_001():
    beam, fam = [0, 0, 1], (2, 2, 0)
    sl, (al111, al200) = xcca.predicted_azimuths(
        xcca.conf2_rotation(), beam=beam, sl_family=fam, al_families=[(1, 1, 1), (2, 0, 0)]
    )
    assert len(sl) == 4 and len(al111) == 4 and len(al200) == 2
    off111 = np.degrees(np.abs(xcca.peak_offsets(sl, al111)))
    # AL {111} are 54.74 deg from AL [100] || SL [110]: 90 - 54.74 = 35.26 deg from the next SL {220}
    np.testing.assert_allclose(off111, 90 - math.degrees(math.atan(math.sqrt(2))), atol=1e-9)
    np.testing.assert_allclose(xcca.peak_offsets(sl, al200), 0.0, atol=1e-12)
    _, (al111_1, al200_1) = xcca.predicted_azimuths(
        xcca.conf1_rotation(), beam=beam, sl_family=fam, al_families=[(1, 1, 1), (2, 0, 0)]
    )
    assert len(al111_1) == 0 and len(al200_1) == 4


# -- bad inputs ------------------------------------------------------------------------------------

_IMG = np.ones((20, 20))
_Q = np.full((20, 20), 0.5)
_P = np.zeros((20, 20))


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda: xcca.polar_resample(_IMG, _Q, _P, [0.5], 0.1, mask=np.ones((5, 5), bool)),
            "mask must be a boolean array of the image's shape",
        ),
        (
            lambda: xcca.polar_resample(_IMG, _Q, _P, [0.5], 0.1, mask=np.ones((20, 20))),
            "mask must be a boolean",
        ),
        (
            lambda: xcca.polar_resample(np.where(_IMG > 0, np.nan, 0), _Q, _P, [0.5], 0.1),
            "image must be finite where mask is True",
        ),
        (
            lambda: xcca.polar_resample(_IMG, _Q, _P, [0.5], 0.1, n_phi=4),
            r"n_phi must be an integer in \[8, inf\]",
        ),
        (
            lambda: xcca.polar_resample(_IMG, _Q[:5], _P, [0.5], 0.1),
            r"q_map must have shape \(20, 20\)",
        ),
        (lambda: xcca.polar_resample(_IMG, _Q, _P, [0.5], -0.1), "ring_width must be"),
        (lambda: xcca.polar_resample(_IMG, _Q, _P, [-0.5], 0.1), "q_values must hold"),
        (lambda: xcca.AngularCorrelation("unit"), "normalization must be one of"),
        (lambda: xcca.AngularCorrelation().compute(np.ones((2, 4))), "n_phi .* must be >= 8"),
        (
            lambda: xcca.AngularCorrelation().compute(np.ones((2, 16)), np.ones((3, 16))),
            "weight must have shape",
        ),
        (
            lambda: xcca.AngularCorrelation().compute(np.ones((2, 16)), -np.ones((2, 16))),
            "weight must be >= 0",
        ),
        (
            lambda: xcca.AngularCorrelation().compute(np.full((2, 16), np.nan)),
            "intensity must be finite where weight > 0",
        ),
        (lambda: xcca.fit_ring_peaks(PHI, np.ones(N_PHI)), "flat"),
        (lambda: xcca.fit_ring_peaks(PHI, ring([1.0]), n_peaks=3), "n_peaks=3 but only 1"),
        (lambda: xcca.fit_ring_peaks(PHI, ring([1.0])[:10]), "intensity must have shape"),
        (lambda: xcca.orientational_disorder(0.1, -1.0, 0.01), "q must be > 0"),
        (lambda: xcca.orientational_disorder(0.1, 1.0, np.nan), "sigma_radial must be finite"),
        (lambda: xcca.family_members((0, 0, 0)), "hkl must be three integers"),
        (lambda: xcca.zone_reflections((1, 1, 1), [0, 0, 0]), "beam must be a non-zero vector"),
        (
            lambda: xcca.zone_reflections((1, 1, 1), [0, 0, 1], np.ones((3, 3))),
            "rotation must be a proper rotation",
        ),
        (
            lambda: xcca.classify_orientation([0.0], [[0.1]], beam=[0, 0, 1], sl_family=(2, 2, 0)),
            "al_phi must hold one array per AL ring",
        ),
        (
            lambda: xcca.classify_orientation([], [[], []], beam=[0, 0, 1], sl_family=(2, 2, 0)),
            "sl_phi must hold at least one",
        ),
        (
            lambda: xcca.classify_orientation([0.0], [[], []], beam=[1, 1, 1], sl_family=(1, 1, 1)),
            "no reflection in the zone",
        ),
    ],
)
def test_bad_inputs_name_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_results_before_compute_raise_attribute_error():
    xc = xcca.AngularCorrelation()
    for name in ("correlation", "fourier", "delta", "mean_intensity", "num_patterns"):
        with pytest.raises(AttributeError, match="compute"):
            getattr(xc, name)
