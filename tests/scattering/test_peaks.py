"""1D peak fits, cubic indexing and Scherrer sizes (hoomd_rigidfield.scattering.peaks)."""

import math

import numpy as np
import pytest
from scipy.spatial.distance import pdist

from hoomd_rigidfield.scattering import peaks


def test_gaussian_fit_recovers_centre_width_and_area_with_honest_errors():
    rng = np.random.default_rng(3)
    q = np.linspace(0.6, 1.4, 321)
    truth = dict(area=0.8, center=1.013, fwhm=0.042)
    noise = 0.05
    y = peaks.gaussian(q, **truth) + 0.3 + 0.2 * (q - 1.0) + rng.normal(0, noise, q.size)
    fit = peaks.fit_peak(q, y, 1.0, sigma=np.full(q.size, noise))
    assert fit.profile == "gaussian"
    assert abs(fit.position - truth["center"]) < 3 * fit.position_err
    assert abs(fit.fwhm - truth["fwhm"]) < 3 * fit.fwhm_err
    assert abs(fit.area - truth["area"]) < 3 * fit.area_err
    # errors are sensible fractions, not zero or huge
    assert 1e-5 < fit.position_err < 2e-3
    assert fit.background[0] == pytest.approx(0.3 + 0.2 * (fit.position - 1.0), abs=0.05)
    assert fit.sigma == pytest.approx(fit.fwhm / 2.3548, rel=1e-4)
    # the model evaluated at the centre is the peak height over the background
    assert fit.evaluate(fit.position) == pytest.approx(fit.height + fit.background[0])


def test_pseudo_voigt_fit_recovers_lorentzian_fraction_and_area():
    q = np.linspace(1.5, 2.5, 801)
    y = peaks.pseudo_voigt(q, 1.5, 2.02, 0.03, 0.4) + 0.1
    fit = peaks.fit_peak(q, y, 2.0, profile="pseudo_voigt", half_width=0.3)
    assert fit.eta == pytest.approx(0.4, abs=1e-4)
    assert fit.position == pytest.approx(2.02, abs=1e-6)
    assert fit.fwhm == pytest.approx(0.03, rel=1e-4)
    assert fit.area == pytest.approx(1.5, rel=1e-4)


def test_locate_peaks_finds_all_and_only_the_peaks():
    q = np.linspace(0.1, 4.0, 1000)
    centres = [1.0, 1.6, 3.1]
    y = sum(peaks.gaussian(q, 1.0, c, 0.05) for c in centres) + 0.01 * np.cos(0.7 * q)
    found = peaks.locate_peaks(q, y)
    assert found == pytest.approx(centres, abs=q[1] - q[0])
    assert peaks.locate_peaks(q, y, q_range=(1.2, 4.0)) == pytest.approx(centres[1:], abs=0.01)
    assert len(peaks.locate_peaks(q, y, max_peaks=2)) == 2


def test_allowed_reflections_follow_the_extinction_rules():
    fcc = [m for m, _ in peaks.allowed_reflections("fcc", 27)]
    bcc = [m for m, _ in peaks.allowed_reflections("bcc", 16)]
    sc = [m for m, _ in peaks.allowed_reflections("sc", 16)]
    assert fcc == [3, 4, 8, 11, 12, 16, 19, 20, 24, 27]
    assert bcc == [2, 4, 6, 8, 10, 12, 14, 16]
    # 7 and 15 are not sums of three squares
    assert sc == [1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 16]
    assert dict(peaks.allowed_reflections("fcc", 11))[11] == (3, 1, 1)
    assert peaks.is_allowed(2, 2, 0, "fcc") and not peaks.is_allowed(2, 1, 0, "fcc")
    assert not peaks.is_allowed(1, 0, 0, "bcc")


def test_fcc_indexing_of_a_synthetic_powder_curve_gives_back_a():
    a_true = 123.4  # A, an NC superlattice
    hkl, q_hkl = peaks.reflection_positions(a_true, "fcc", 0.2)
    assert hkl[:3].tolist() == [[1, 1, 1], [2, 0, 0], [2, 2, 0]]
    q = np.linspace(0.02, 0.2, 3000)
    y = sum(peaks.gaussian(q, 1.0, qq, 0.002) for qq in q_hkl) + 0.05
    fits = peaks.fit_peaks(q, y, q_range=(0.03, 0.195))
    res = peaks.index_cubic([f.position for f in fits], "fcc")
    assert res.hkl.tolist() == hkl[: len(fits)].tolist()
    assert res.a == pytest.approx(a_true, rel=1e-4)
    assert res.max_relative_error < 1e-3
    # the smallest cell is chosen: the same peaks are not indexed as fcc with 2a
    assert res.hkl[0].tolist() == [1, 1, 1]
    assert res.n_missing == 0
    # bcc (first peak as 211) and sc (as 111) also index the sequence, but predict reflections
    # that are not there: the lattice type is the one without missing peaks
    positions = [f.position for f in fits]
    assert peaks.index_cubic(positions, "bcc").n_missing > 0
    assert peaks.index_cubic(positions, "sc").n_missing > 0
    # incommensurate peaks are refused
    with pytest.raises(ValueError, match="cannot be indexed as fcc"):
        peaks.index_cubic([1.0, 1.3], "fcc", tolerance=0.005, max_first=3)


def test_lattice_parameter_least_squares_and_its_error():
    a_true = 10.0
    m = np.array([3, 4, 8, 11])
    rng = np.random.default_rng(0)
    err = np.full(4, 1e-3)
    q = 2 * np.pi * np.sqrt(m) / a_true + rng.normal(0, 1e-3, 4)
    a, a_err = peaks.lattice_parameter(q, m, err)
    assert abs(a - a_true) < 4 * a_err
    # propagated error: sigma_a = a^2 sigma_u, sigma_u = 1/sqrt(sum s^2/sigma^2)
    s = 2 * np.pi * np.sqrt(m)
    assert a_err == pytest.approx(a**2 * 1e-3 / math.sqrt(np.sum(s**2)), rel=1e-9)


def test_scherrer_in_q_matches_the_angle_form():
    # D = K lambda / (beta cos theta) with beta the FWHM in 2 theta
    lam, two_theta, beta = 1.0, math.radians(30.0), math.radians(0.2)
    d_angle = 0.9 * lam / (beta * math.cos(two_theta / 2))
    dq = (
        4
        * math.pi
        / lam
        * (math.sin((two_theta + beta / 2) / 2) - math.sin((two_theta - beta / 2) / 2))
    )
    assert peaks.scherrer_size(dq) == pytest.approx(d_angle, rel=1e-4)
    # instrumental broadening removed in quadrature
    assert peaks.scherrer_size(0.005, instrument_fwhm=0.003) == pytest.approx(
        2 * math.pi * 0.9 / 0.004
    )


def _debye(points, q):
    """S(q) = 1 + (2/N) sum_{i<j} sinc(q r_ij) from a fine histogram of pair distances."""
    d = pdist(points)
    hist, edges = np.histogram(d, bins=20000, range=(0, d.max() * 1.0001))
    r = 0.5 * (edges[1:] + edges[:-1])
    return 1 + 2 / len(points) * (hist[None, :] * np.sinc(q[:, None] * r[None, :] / np.pi)).sum(1)


def _fcc_cube(n, a):
    cell = np.array([[0, 0, 0], [0.5, 0.5, 0], [0.5, 0, 0.5], [0, 0.5, 0.5]])
    grid = np.stack(np.meshgrid(*[np.arange(n)] * 3, indexing="ij"), -1).reshape(-1, 1, 3)
    return ((grid + cell[None]) * a).reshape(-1, 3)


def test_scherrer_size_of_a_finite_fcc_crystallite():
    """Cubes of n^3 fcc cells (edge L = n a): Scherrer with K = 0.9 on the (111) peak gives L.

    Measured: D/L = 1.09 (n = 8) and 1.13 (n = 10) with the default Gaussian fit window (K_111
    of a cube is about 0.86, and the sinc^2-like peak is not a Gaussian).
    """
    a = 1.0
    q111 = 2 * np.pi * math.sqrt(3) / a
    q = np.linspace(9.0, 12.0, 301)
    sizes = {}
    for n in (8, 10):
        fit = peaks.fit_peak(q, _debye(_fcc_cube(n, a), q), q111)
        assert fit.position == pytest.approx(q111, rel=0.01)
        sizes[n] = peaks.scherrer_size(fit.fwhm, shape_factor=0.9)
        assert sizes[n] == pytest.approx(n * a, rel=0.2)
    # the width scales as 1/L
    assert sizes[10] / sizes[8] == pytest.approx(10 / 8, rel=0.1)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: peaks.fit_peak([1, 2, 3, 4], [0, 1, np.nan, 0], 2), "intensity must be finite"),
        (lambda: peaks.fit_peak([1, 3, 2, 4], [0, 1, 0, 0], 2), "q must be strictly increasing"),
        (
            lambda: peaks.fit_peak(np.arange(9.0), np.arange(9.0) * 0, 2, profile="voigt"),
            "profile must be one of",
        ),
        (
            lambda: peaks.fit_peak(np.arange(9.0), np.exp(-((np.arange(9.0) - 4) ** 2)), 20),
            r"center must be .* in \[0, 8\]",
        ),
        (
            lambda: peaks.fit_peak(
                np.arange(9.0), np.exp(-((np.arange(9.0) - 4) ** 2)), 4, half_width=1
            ),
            "the gaussian fit needs at least 7",
        ),
        (lambda: peaks.index_cubic([1.0, 2.0], "hcp"), "lattice must be one of"),
        (lambda: peaks.index_cubic([1.0, -2.0], "fcc"), "positions must hold"),
        (
            lambda: peaks.scherrer_size(0.01, instrument_fwhm=0.02),
            r"instrument_fwhm must be .* in \[0, 0.01\)",
        ),
        (lambda: peaks.scherrer_size(-0.01), "fwhm must be"),
        (lambda: peaks.scherrer_size(0.01, shape_factor=0), "shape_factor must be"),
        (lambda: peaks.reflection_positions(0.0, "fcc", 1.0), "a must be"),
        (
            lambda: peaks.locate_peaks(np.arange(5.0), np.arange(5.0), prominence=2),
            "prominence must be",
        ),
        (lambda: peaks.lattice_parameter([1.0, 2.0], [[1, 1, 1]]), "hkl must have shape"),
    ],
)
def test_bad_inputs_name_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()
