"""Mie pair potentials, Barker-Henderson diameters and Mie mixtures (ASSEMBLY_MODELS §2.1, §2.4).

Reference numbers come from the shared notes (shared/ASSEMBLY_MODELS.md, section 2); everything else is recomputed here
from the defining formulas (never from the module under test).
"""

import itertools
import math
import re

import numpy as np
import pytest
from scipy import integrate, optimize

from hoomd_rigidfield.mie.potential import (
    MieMixture,
    MiePair,
    largest_remainder_counts,
    mie_prefactor,
    normal_bins,
)

N_REP = 50.0
NARROW, WIDE, IPL = 25.0, 6.0, 0.0

# ASSEMBLY_MODELS §2.1 "Derived constants" table (n = 50), per sigma_ij and eps. Each entry is
# (quoted value, tolerance): half a unit in the last quoted digit, or the §4 tolerance 1e-3
# where that is looser.
C_TABLE = {NARROW: (4.00000, 5e-6), WIDE: (1.51734, 5e-6)}
R_MIN_TABLE = {NARROW: (1.02811, 5e-6), WIDE: (1.04937, 5e-6)}
HALF_DEPTH_TABLE = {NARROW: (1.0799, 5e-5), WIDE: (1.2032, 5e-5)}
ENERGY_TABLE = [  # (m, r/sigma, U/eps, tolerance) of the unshifted, untruncated potential
    (NARROW, 1.5, -1.6e-4, 0.05e-4),
    (WIDE, 1.5, -0.133, 1e-3),
    (WIDE, 2.5, -6.2e-3, 0.05e-3),
    (WIDE, 3.0, -2.1e-3, 0.05e-3),
]
# ASSEMBLY_MODELS §2.1 "BH diameter and NF mapping" table: d_BH / sigma_ij versus beta*eps.
BETA_EPS = [0.5, 1.0, 1.5, 2.0, 2.5]
D_BH_TABLE = {
    NARROW: [0.9894, 0.9934, 0.9951, 0.9961, 0.9968],
    WIDE: [0.9851, 0.9906, 0.9930, 0.9944, 0.9953],
}
D_BH_IPL = 1.0119  # IPL at beta*eps = 1 (§2.1)
TABLE_TOL = 1e-3  # §4: "every [derived] number in §2.1 (tolerance 1e-3)"
# Default cut-offs (§2.1 "Cutoffs"), in sigma_ij.
CUTOFF = {NARROW: 1.5, WIDE: 3.0, IPL: 1.5}
# §2.1: truncation error |U(r_cut)|/eps of the default cut-offs.
TRUNCATION_TABLE = {NARROW: (1.6e-4, 0.05e-4), WIDE: (2.1e-3, 0.05e-3)}
# §2.1 / §2.4 seed diameters and polydispersity.
SIGMA_L, SIGMA_S, SIGMA_LS = 1.0, 0.55, 0.775
POLY_L, POLY_S = 0.047, 0.063


def reference_energy(r, epsilon, sigma, n, m):
    """Unshifted Mie energy straight from §2.1 (C = 1 and no attraction for m = 0)."""
    x = sigma / np.asarray(r, dtype=float)
    if m == 0:
        return epsilon * x**n
    c = (n / (n - m)) * (n / m) ** (m / (n - m))
    return c * epsilon * (x**n - x**m)


def reference_bh_diameter(sigma, n, m, beta_eps):
    """d_BH = int_0^r0 [1 - exp(-beta U)] dr by quadrature in r (r0 = sigma, or infinity for IPL).

    Below 0.5 sigma the Boltzmann factor is exp(-O(1e15)) = 0, so that part contributes 0.5 sigma.
    """

    def integrand(r):
        return -math.expm1(-beta_eps * float(reference_energy(r, 1.0, sigma, n, m)))

    upper = sigma if m > 0 else 6.0 * sigma  # IPL tail beyond 6 sigma: < 6^-49, negligible
    value, _ = integrate.quad(integrand, 0.5 * sigma, upper, limit=200, epsabs=1e-13)
    return 0.5 * sigma + value


def default_pair(m, epsilon=1.0, sigma=1.0, shift=True):
    return MiePair(epsilon, sigma, N_REP, m, r_cut=CUTOFF[m] * sigma, shift=shift)


class TestPrefactor:
    def test_narrow_is_exactly_four(self):
        assert mie_prefactor(50, 25) == 4.0
        assert mie_prefactor(50.0, 25.0) == 4.0

    @pytest.mark.parametrize("m", [NARROW, WIDE])
    def test_table(self, m):
        value, tol = C_TABLE[m]
        assert abs(mie_prefactor(N_REP, m) - value) <= tol

    def test_lennard_jones_limit(self):
        # C(12, 6) = 4: the Mie form contains the usual 4 eps LJ.
        assert mie_prefactor(12, 6) == pytest.approx(4.0, rel=1e-14)

    def test_inverse_power_law_is_one(self):
        assert mie_prefactor(N_REP, 0.0) == 1.0

    @pytest.mark.parametrize("n, m", [(6.0, 50.0), (25.0, 25.0), (50.0, -1.0), (np.inf, 6.0)])
    def test_rejects_bad_exponents(self, n, m):
        with pytest.raises(ValueError, match="0 <= m < n"):
            mie_prefactor(n, m)


class TestMiePairShape:
    @pytest.mark.parametrize("m", [NARROW, WIDE])
    @pytest.mark.parametrize("sigma", [1.0, SIGMA_LS, SIGMA_S])
    def test_minimum_is_minus_epsilon_with_zero_force(self, m, sigma):
        eps = 1.7
        pair = MiePair(eps, sigma, N_REP, m, r_cut=CUTOFF[m] * sigma, shift=False)
        r_min = sigma * (N_REP / m) ** (1.0 / (N_REP - m))
        assert pair.r_min == pytest.approx(r_min, rel=1e-13)
        value, tol = R_MIN_TABLE[m]
        assert abs(pair.r_min / sigma - value) <= tol
        np.testing.assert_allclose(pair.energy(r_min), -eps, rtol=1e-12)
        np.testing.assert_allclose(pair.unshifted_energy(r_min), -eps, rtol=1e-12)
        # The force at the minimum vanishes relative to the repulsive scale n*C*eps/sigma.
        assert abs(pair.force(r_min)) < 1e-10 * N_REP * 4 * eps / sigma
        # It is a minimum: both neighbours lie higher.
        du = pair.energy(r_min * np.array([0.999, 1.001])) - pair.energy(r_min)
        assert np.all(du > 0)

    @pytest.mark.parametrize("m", [NARROW, WIDE])
    def test_zero_at_sigma(self, m):
        pair = MiePair(1.0, SIGMA_LS, N_REP, m, r_cut=CUTOFF[m] * SIGMA_LS, shift=False)
        assert abs(pair.energy(SIGMA_LS)) < 1e-12

    @pytest.mark.parametrize("m", [NARROW, WIDE, IPL])
    @pytest.mark.parametrize("shift", [True, False])
    def test_energy_matches_formula(self, m, shift):
        eps, sigma = 0.8, SIGMA_LS
        r_cut = CUTOFF[m] * sigma
        pair = MiePair(eps, sigma, N_REP, m, r_cut=r_cut, shift=shift)
        r = np.linspace(0.9 * sigma, 1.4 * r_cut, 301)
        expected = reference_energy(r, eps, sigma, N_REP, m)
        if shift:
            expected = expected - reference_energy(r_cut, eps, sigma, N_REP, m)
        expected = np.where(r < r_cut, expected, 0.0)
        np.testing.assert_allclose(pair.energy(r), expected, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(
            pair.unshifted_energy(r), reference_energy(r, eps, sigma, N_REP, m), rtol=1e-12
        )

    def test_inverse_power_law_limit(self):
        eps, sigma = 1.3, 0.55
        pair = MiePair(eps, sigma, N_REP, 0.0, r_cut=1.5 * sigma)
        r = np.linspace(0.85 * sigma, 1.5 * sigma, 200, endpoint=False)
        expected = eps * (sigma / r) ** 50 - eps * (1 / 1.5) ** 50
        np.testing.assert_allclose(pair.energy(r), expected, rtol=1e-12)
        np.testing.assert_allclose(pair.force(r), 50 * eps * sigma**50 / r**51, rtol=1e-12)
        # Purely repulsive: energy and force positive everywhere inside the cut.
        assert np.all(pair.energy(r) > 0) and np.all(pair.force(r) > 0)

    @pytest.mark.parametrize("m", [NARROW, WIDE, IPL])
    @pytest.mark.parametrize("sigma", [1.0, SIGMA_S])
    def test_force_is_minus_energy_derivative(self, m, sigma):
        pair = default_pair(m, epsilon=1.4, sigma=sigma)
        h = 1e-6 * sigma
        r = np.linspace(0.9 * sigma, pair.r_cut - 10 * h, 400)
        numeric = -(pair.energy(r + h) - pair.energy(r - h)) / (2 * h)
        force = pair.force(r)
        scale = np.abs(force).max()
        np.testing.assert_allclose(force, numeric, rtol=1e-6, atol=1e-7 * scale)
        # Repulsive inside the minimum, attractive beyond it (for m > 0).
        assert np.all(force[r < 0.999 * pair.r_min] > 0)
        if m > 0:
            assert np.all(force[r > 1.001 * pair.r_min] < 0)

    @pytest.mark.parametrize("m", [NARROW, WIDE, IPL])
    def test_shifted_energy_continuous_at_cut_and_zero_beyond(self, m):
        pair = default_pair(m, epsilon=2.0, sigma=SIGMA_LS)
        r_cut = pair.r_cut
        assert r_cut == pytest.approx(CUTOFF[m] * SIGMA_LS)
        just_inside = r_cut * (1 - 1e-9)
        assert abs(pair.energy(just_inside)) < 1e-9
        assert pair.energy(r_cut) == 0.0
        beyond = np.linspace(r_cut, 3 * r_cut, 50)
        np.testing.assert_array_equal(pair.energy(beyond), 0.0)
        np.testing.assert_array_equal(pair.force(beyond), 0.0)

    def test_unshifted_energy_jumps_at_cut(self):
        # Without the shift the truncated wide well drops from U(r_cut) ~ -2.1e-3 eps to 0.
        pair = default_pair(WIDE, shift=False)
        inside = float(pair.energy(pair.r_cut * (1 - 1e-12)))
        value, tol = TRUNCATION_TABLE[WIDE]
        assert abs(inside - (-value)) <= tol
        assert pair.energy(pair.r_cut) == 0.0

    @pytest.mark.parametrize("m", [NARROW, WIDE])
    def test_truncation_error_table(self, m):
        for eps in (1.0, 2.5):
            pair = default_pair(m, epsilon=eps, sigma=SIGMA_S)
            value, tol = TRUNCATION_TABLE[m]
            assert abs(pair.truncation_error - value) <= tol
            expected = abs(reference_energy(pair.r_cut, eps, SIGMA_S, N_REP, m)) / eps
            assert pair.truncation_error == pytest.approx(expected, rel=1e-12)

    def test_truncation_error_ipl_and_zero_epsilon(self):
        assert default_pair(IPL).truncation_error == pytest.approx(1.5**-50, rel=1e-12)
        assert default_pair(NARROW, epsilon=0.0).truncation_error == 0.0


class TestReferenceTable:
    """Every [derived] number of ASSEMBLY_MODELS §2.1 from the module's pair potential."""

    @pytest.mark.parametrize("m", [NARROW, WIDE])
    def test_outer_half_depth_point(self, m):
        pair = MiePair(1.0, 1.0, N_REP, m, r_cut=4.0, shift=False)
        r_half = optimize.brentq(lambda r: float(pair.energy(r)) + 0.5, pair.r_min, 3.5, xtol=1e-12)
        value, tol = HALF_DEPTH_TABLE[m]
        assert abs(r_half - value) <= tol

    @pytest.mark.parametrize("m, x, value, tol", ENERGY_TABLE)
    def test_energy_values(self, m, x, value, tol):
        # Unshifted and untruncated (cut far beyond the point), at sigma_ij = 1 and 0.775.
        for sigma in (1.0, SIGMA_LS):
            pair = MiePair(1.0, sigma, N_REP, m, r_cut=5.0, shift=False)
            assert abs(float(pair.energy(x * sigma)) - value) <= tol

    @pytest.mark.parametrize("m", [NARROW, WIDE])
    @pytest.mark.parametrize("k", range(len(BETA_EPS)))
    def test_barker_henderson_table(self, m, k):
        beta_eps = BETA_EPS[k]
        pair = default_pair(m)
        d_bh = pair.barker_henderson_diameter(kT=1.0 / beta_eps)
        assert abs(d_bh - D_BH_TABLE[m][k]) <= TABLE_TOL
        # And to quadrature accuracy against an independent integration over r.
        assert d_bh == pytest.approx(reference_bh_diameter(1.0, N_REP, m, beta_eps), abs=1e-7)

    def test_barker_henderson_ipl_table(self):
        d_bh = default_pair(IPL).barker_henderson_diameter(kT=1.0)
        assert abs(d_bh - D_BH_IPL) <= TABLE_TOL


class TestBarkerHenderson:
    @pytest.mark.parametrize("m", [NARROW, WIDE])
    def test_below_sigma_and_increasing_with_depth(self, m):
        d = [default_pair(m).barker_henderson_diameter(1.0 / b) for b in BETA_EPS]
        assert np.all(np.diff(d) > 0)
        assert 0.98 < d[0] and d[-1] < 1.0

    @pytest.mark.parametrize("m", [NARROW, WIDE, IPL])
    def test_scales_with_sigma_and_depends_on_eps_over_kt_only(self, m):
        ref = default_pair(m).barker_henderson_diameter(1.0)
        scaled = default_pair(m, sigma=SIGMA_S).barker_henderson_diameter(1.0)
        assert scaled == pytest.approx(SIGMA_S * ref, rel=1e-9)
        deeper = default_pair(m, epsilon=2.0).barker_henderson_diameter(2.0)
        assert deeper == pytest.approx(ref, rel=1e-9)

    @pytest.mark.parametrize("beta_eps", [0.25, 1.0, 2.5])
    @pytest.mark.parametrize("n", [12.0, 50.0])
    def test_ipl_closed_form(self, n, beta_eps):
        sigma = 0.8
        closed = sigma * beta_eps ** (1 / n) * math.gamma(1 - 1 / n)
        # The closed form itself, checked against quadrature of the definition.
        assert closed == pytest.approx(reference_bh_diameter(sigma, n, 0.0, beta_eps), rel=1e-7)
        pair = MiePair(1.0, sigma, n, 0.0, r_cut=1.5 * sigma)
        assert pair.barker_henderson_diameter(1.0 / beta_eps) == pytest.approx(closed, rel=1e-12)

    def test_ipl_increases_with_eps_over_kt_and_exceeds_sigma_at_one(self):
        d = [default_pair(IPL).barker_henderson_diameter(1.0 / b) for b in BETA_EPS]
        assert np.all(np.diff(d) > 0)
        assert d[1] > 1.0  # beta*eps = 1: Gamma(0.98) > 1

    @pytest.mark.parametrize("kT", [0.0, -1.0, np.nan, np.inf])
    def test_rejects_bad_temperature(self, kT):
        with pytest.raises(ValueError, match="kT must be positive"):
            default_pair(NARROW).barker_henderson_diameter(kT)

    def test_rejects_zero_epsilon(self):
        with pytest.raises(ValueError, match="epsilon > 0"):
            default_pair(NARROW, epsilon=0.0).barker_henderson_diameter(1.0)


class TestMiePairValidation:
    def test_rejects_bad_exponents(self):
        with pytest.raises(ValueError, match="0 <= m < n"):
            MiePair(1.0, 1.0, n=6.0, m=12.0, r_cut=3.0)
        with pytest.raises(ValueError, match="0 <= m < n"):
            MiePair(1.0, 1.0, n=50.0, m=-6.0, r_cut=3.0)

    @pytest.mark.parametrize("sigma", [-1.0, 0.0, np.nan])
    def test_rejects_bad_sigma(self, sigma):
        with pytest.raises(ValueError, match="sigma must be positive"):
            MiePair(1.0, sigma)

    @pytest.mark.parametrize("eps", [-0.5, np.inf])
    def test_rejects_bad_epsilon(self, eps):
        with pytest.raises(ValueError, match="epsilon must be finite and >= 0"):
            MiePair(eps, 1.0)

    @pytest.mark.parametrize(
        "m, r_cut", [(NARROW, 1.0), (NARROW, 1.028), (WIDE, 1.04), (IPL, 0.9), (NARROW, np.nan)]
    )
    def test_rejects_cut_inside_the_well(self, m, r_cut):
        with pytest.raises(ValueError, match="must exceed the potential minimum"):
            MiePair(1.0, 1.0, N_REP, m, r_cut=r_cut)

    def test_accepts_cut_just_beyond_minimum(self):
        pair = MiePair(1.0, 1.0, N_REP, NARROW, r_cut=1.0282)
        assert pair.r_cut > pair.r_min


class TestMixtures:
    def test_binary_additive_sigma_and_cutoffs(self):
        for m in (NARROW, WIDE, IPL):
            mix = MieMixture.binary(m)
            assert mix.types == ("L", "S")
            sigmas = {k: p.sigma for k, p in mix.pairs().items()}
            assert sigmas == pytest.approx(
                {("L", "L"): SIGMA_L, ("L", "S"): SIGMA_LS, ("S", "S"): SIGMA_S}
            )
            assert mix.pair("S", "L") is mix.pair("L", "S")
            for p in mix.pairs().values():
                assert p.r_cut == pytest.approx(CUTOFF[m] * p.sigma)
                assert p.shift and p.n == N_REP and p.m == m

    @pytest.mark.parametrize("m", [NARROW, WIDE])
    def test_max_truncation_error(self, m):
        value, tol = TRUNCATION_TABLE[m]
        assert abs(MieMixture.binary(m).max_truncation_error - value) <= tol

    def test_polydisperse_types_and_every_pair(self):
        mix, fractions = MieMixture.polydisperse(NARROW)
        types = mix.types
        assert len(types) == 26
        assert types[:13] == tuple(f"L{k}" for k in range(13))
        assert types[13:] == tuple(f"S{k}" for k in range(13))
        pairs = mix.pairs()
        assert len(pairs) == 26 * 27 // 2 == 351
        # Every unordered pair exactly once, including the like pairs.
        assert {frozenset(k) for k in pairs} == {
            frozenset(k) for k in itertools.combinations_with_replacement(types, 2)
        }
        for (a, b), p in pairs.items():
            assert p.sigma == pytest.approx(0.5 * (mix.diameters[a] + mix.diameters[b]))
            assert mix.pair(b, a) is p
        # Diameters: bin centres of N(1, 0.047) and N(0.55, 0.063*0.55), spanning +-3 s.
        d_l = np.array([mix.diameters[f"L{k}"] for k in range(13)])
        d_s = np.array([mix.diameters[f"S{k}"] for k in range(13)])
        s_l, s_s = POLY_L * SIGMA_L, POLY_S * SIGMA_S
        np.testing.assert_allclose(d_l, SIGMA_L + s_l * (np.arange(13) - 6) * 6 / 13, rtol=1e-12)
        np.testing.assert_allclose(d_s, SIGMA_S + s_s * (np.arange(13) - 6) * 6 / 13, rtol=1e-12)
        for cls in "LS":
            total = sum(fractions[f"{cls}{k}"] for k in range(13))
            assert total == pytest.approx(1.0, abs=1e-12)

    def test_unknown_pair(self):
        mix = MieMixture.binary()
        with pytest.raises(KeyError, match="unknown type pair"):
            mix.pair("L", "X")

    def test_per_class_epsilon_reaches_the_right_pairs(self):
        eps = {("L", "L"): 1.0, ("L", "S"): 0.7, ("S", "S"): 0.4}
        mix, _ = MieMixture.polydisperse(NARROW, epsilon=eps)
        n_ll = n_ls = n_ss = 0
        for (a, b), p in mix.pairs().items():
            classes = a[0] + b[0]
            if classes == "LL":
                assert p.epsilon == 1.0
                n_ll += 1
            elif classes in ("LS", "SL"):
                assert p.epsilon == 0.7
                n_ls += 1
            else:
                assert p.epsilon == 0.4
                n_ss += 1
        assert (n_ll, n_ls, n_ss) == (91, 169, 91)
        # The well depth is eps_ij at each pair's own minimum.
        p = mix.pair("S3", "L9")
        np.testing.assert_allclose(p.unshifted_energy(p.r_min), -0.7, rtol=1e-12)
        binary = MieMixture.binary(WIDE, epsilon=eps)
        depths = [binary.pair(*k).epsilon for k in [("L", "L"), ("L", "S"), ("S", "S")]]
        assert depths[0] > depths[1] > depths[2]

    def test_epsilon_mapping_missing_class(self):
        with pytest.raises(ValueError, match=re.escape("no entry for the size classes ('L', 'S')")):
            MieMixture.binary(epsilon={("L", "L"): 1.0, ("S", "S"): 1.0})

    def test_effective_volume_fraction(self):
        beta_eps = 2.5
        mix = MieMixture.binary(NARROW)
        counts = {"L": 9, "S": 18}
        d_l = reference_bh_diameter(SIGMA_L, N_REP, NARROW, beta_eps)
        d_s = reference_bh_diameter(SIGMA_S, N_REP, NARROW, beta_eps)
        v_eff = np.pi / 6 * (9 * d_l**3 + 18 * d_s**3)
        volume = np.array([50.0, 100.0, 200.0])
        phi = mix.effective_volume_fraction(counts, volume, kT=1 / beta_eps)
        np.testing.assert_allclose(phi, v_eff / volume, rtol=1e-9)
        assert mix.effective_particle_volume(counts, 1 / beta_eps) == pytest.approx(v_eff, rel=1e-9)
        # Consistent with the §2.1 table (d_BH = 0.9968 sigma at beta*eps = 2.5, narrow).
        assert abs(mix.barker_henderson_diameters(1 / beta_eps)["L"] - 0.9968) <= TABLE_TOL

    def test_effective_diameters_of_non_interacting_types_are_bare(self):
        mix = MieMixture.binary(NARROW, epsilon=0.0)
        assert mix.barker_henderson_diameters(1.0) == {"L": SIGMA_L, "S": SIGMA_S}

    def test_effective_volume_rejects_unknown_types(self):
        with pytest.raises(ValueError, match=re.escape("unknown types ['X']")):
            MieMixture.binary().effective_particle_volume({"L": 1, "X": 2}, 1.0)

    @pytest.mark.parametrize(
        "kwargs, message",
        [
            ({"diameters": {"X": 1.0}}, "must start with 'L' or 'S'"),
            ({"diameters": {"": 1.0}}, "must start with 'L' or 'S'"),
            ({"diameters": {"L": 1.0, "S": -0.5}}, "diameter of type 'S' must be positive"),
            ({"diameters": {}}, "at least one particle type"),
            ({"diameters": {"L": 1.0}, "m": 12.0}, "no default cut-off"),
            ({"diameters": {"L": 1.0}, "m": 60.0}, "0 <= m < n"),
            ({"diameters": {"L": 1.0}, "cutoff": 1.0}, "must exceed the potential minimum"),
        ],
    )
    def test_validation(self, kwargs, message):
        with pytest.raises(ValueError, match=re.escape(message)):
            MieMixture(**kwargs)

    @pytest.mark.parametrize("q", [0.0, 1.2])
    def test_binary_rejects_bad_size_ratio(self, q):
        with pytest.raises(ValueError, match="sigma_small must be in"):
            MieMixture.binary(sigma_small=q)

    def test_explicit_cutoff_for_other_exponents(self):
        mix = MieMixture({"L": 1.0}, m=12.0, cutoff=2.5)
        assert mix.pair("L", "L").r_cut == 2.5


def normal_cdf(x):
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


class TestNormalBins:
    @pytest.mark.parametrize("mean, rel_std", [(SIGMA_L, POLY_L), (SIGMA_S, POLY_S)])
    def test_seed_bins(self, mean, rel_std):
        std = rel_std * mean
        centres, weights = normal_bins(mean, std, 13)
        assert centres.shape == weights.shape == (13,)
        edges = mean + std * np.linspace(-3, 3, 14)
        np.testing.assert_allclose(centres, 0.5 * (edges[1:] + edges[:-1]), rtol=1e-13)
        z = (edges - mean) / std
        raw = np.array([normal_cdf(b) - normal_cdf(a) for a, b in itertools.pairwise(z)])
        assert raw.sum() == pytest.approx(normal_cdf(3) - normal_cdf(-3), rel=1e-12)  # 0.9973
        np.testing.assert_allclose(weights, raw / raw.sum(), rtol=1e-10)
        assert weights.sum() == pytest.approx(1.0, abs=1e-14)
        np.testing.assert_allclose(weights, weights[::-1], rtol=1e-10)
        np.testing.assert_allclose(centres - mean, -(centres - mean)[::-1], atol=1e-14)
        assert np.argmax(weights) == 6 and centres[6] == pytest.approx(mean, abs=1e-14)
        assert np.all(np.diff(weights[:7]) > 0)
        # Mean of the discretised distribution is the mean; its spread is close to std.
        assert np.sum(weights * centres) == pytest.approx(mean, rel=1e-12)
        spread = np.sqrt(np.sum(weights * (centres - mean) ** 2))
        assert spread == pytest.approx(std, rel=0.03)

    def test_single_bin(self):
        centres, weights = normal_bins(2.0, 0.1, 1)
        np.testing.assert_allclose(centres, [2.0])
        np.testing.assert_allclose(weights, [1.0])

    @pytest.mark.parametrize("n_bins", [0, 2, 12, 3.5, -1])
    def test_rejects_bad_bin_count(self, n_bins):
        with pytest.raises(ValueError, match="n_bins must be an odd positive integer"):
            normal_bins(1.0, 0.05, n_bins)

    @pytest.mark.parametrize("mean, std, span", [(1.0, 0.0, 3.0), (1.0, 0.1, -1.0), (0.2, 0.1, 3)])
    def test_rejects_bad_distribution(self, mean, std, span):
        with pytest.raises(ValueError, match="mean - span\\*std > 0"):
            normal_bins(mean, std, 13, span)


class TestLargestRemainder:
    def test_random_fractions(self):
        rng = np.random.default_rng(20240611)
        for _ in range(200):
            k = int(rng.integers(1, 30))
            w = rng.random(k) ** 3
            total = int(rng.integers(0, 30000))
            counts = largest_remainder_counts(w, total)
            assert np.issubdtype(counts.dtype, np.integer)
            assert counts.sum() == total
            exact = w / w.sum() * total
            assert np.all(np.abs(counts - exact) < 1)
            assert np.all((counts == np.floor(exact)) | (counts == np.ceil(exact)))

    def test_remainders_decide(self):
        # Exact shares 2.4, 3.5, 4.1 of 10: floors 2, 3, 4 and the one left over goes to 3.5.
        np.testing.assert_array_equal(largest_remainder_counts([2.4, 3.5, 4.1], 10), [2, 4, 4])
        np.testing.assert_array_equal(largest_remainder_counts([0.25, 0.5, 0.25], 8), [2, 4, 2])
        np.testing.assert_array_equal(largest_remainder_counts([1, 2], 0), [0, 0])

    def test_ties_are_deterministic(self):
        # Equal remainders: the earlier entry wins, every time.
        first = largest_remainder_counts([1, 1, 1], 4)
        np.testing.assert_array_equal(first, [2, 1, 1])
        for _ in range(5):
            np.testing.assert_array_equal(largest_remainder_counts([1, 1, 1], 4), first)
        np.testing.assert_array_equal(largest_remainder_counts([1, 1, 1], 5), [2, 2, 1])
        np.testing.assert_array_equal(largest_remainder_counts([1, 1, 1, 1], 6), [2, 2, 1, 1])

    def test_polydisperse_counts(self):
        # §2.4: 1:2 droplet with 9,000 L, counts per bin from the normalised normal integrals.
        _, w = normal_bins(SIGMA_L, POLY_L * SIGMA_L, 13)
        counts = largest_remainder_counts(w, 9000)
        assert counts.sum() == 9000
        assert np.all(np.abs(counts - 9000 * w) < 1)
        assert counts[6] == counts.max() and counts[0] < counts[3] < counts[6]

    @pytest.mark.parametrize(
        "fractions, total, message",
        [
            ([0.5, -0.1], 10, "non-negative numbers"),
            ([0.0, 0.0], 10, "positive sum"),
            ([[0.5, 0.5]], 10, "1D array"),
            ([0.5, 0.5], -1, "non-negative integer"),
            ([0.5, 0.5], 2.5, "non-negative integer"),
        ],
    )
    def test_validation(self, fractions, total, message):
        with pytest.raises(ValueError, match=message):
            largest_remainder_counts(fractions, total)
