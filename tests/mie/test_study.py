"""mie_runs: state point -> kT, mixture, schedule, configuration, run options; run -> history.

Reference numbers are derived independently of the module (ASSEMBLY_MODELS §2):

* Mie n = 50: the minimum of a pair is at sigma_ij (n/m)^(1/(n-m)), 2^(1/25) sigma_ij = 1.02811
  sigma_ij for the narrow well (m = 25) and sigma_ij for the inverse power law (m = 0);
* sigma_LL = 1, sigma_SS = 0.55, sigma_LS = 0.775 (additive);
* Barker-Henderson diameters per sigma_ii from the ASSEMBLY_MODELS §2.1 table (4 decimals);
* AlB2 at c/a = 1: 8 L at d_LL, 12 S at sqrt(7/12) d_LL = 0.7638 d_LL;
* the NaZn13 and fcc shells are measured on :mod:`hoomd_rigidfield.analysis.lattices`.
"""

import math
from pathlib import Path

import freud
import gsd.hoomd
import numpy as np
import pytest
from scipy import stats
from scipy.spatial import cKDTree
from scipy.spatial.distance import cdist, pdist

from hoomd_rigidfield.analysis import lattices
from hoomd_rigidfield.analysis.classifier import BinaryCrystalClassifier
from hoomd_rigidfield.mie import study as mie_study
from tests.conftest import load_project_module

STUDY = "binary_mie"
SIGMA_LS = 0.775
#: Narrow-well (m = 25) minimum in units of sigma_ij: (50/25)^(1/25).
NARROW_R_MIN = 2.0 ** (1.0 / 25.0)
#: Wide-well (m = 6) minimum in units of sigma_ij: (50/6)^(1/44).
WIDE_R_MIN = (50.0 / 6.0) ** (1.0 / 44.0)
#: First L-S shell of AlB2 at c/a = 1 in units of d_LL.
ALB2_LS = math.sqrt(7.0 / 12.0)
#: Barker-Henderson diameter / sigma_ii (ASSEMBLY_MODELS §2.1 table).
D_BH = {(25.0, 2.5): 0.9968, (6.0, 2.5): 0.9953, (0.0, 0.0): 1.0119}
CLEARANCE = 0.95  # random placement keeps centres >= 0.95 sigma_ij apart
POSITION_TOL = 1e-5  # GSD positions are float32


@pytest.fixture(scope="module")
def cpu():
    return list(load_project_module(STUDY, "init").job_statepoints("cpu"))


@pytest.fixture(scope="module")
def paper():
    return list(load_project_module(STUDY, "init").job_statepoints("paper"))


def _pick(statepoints, **match):
    return dict(next(sp for sp in statepoints if all(sp[k] == v for k, v in match.items())))


@pytest.fixture
def seeded_sp(cpu):
    """CPU seeded AlB2 run, narrow well at eps/kT = 2.5."""
    return _pick(cpu, protocol="seeded", m=25.0, beta_epsilon=2.5, replica=1)


@pytest.fixture
def ramp_sp(cpu):
    """CPU bulk ramp, narrow well at eps/kT = 2.5."""
    return _pick(cpu, protocol="ramp", geometry="bulk", m=25.0, replica=1)


@pytest.fixture
def droplet_sp(cpu):
    """CPU polydisperse droplet ramp, narrow well."""
    return _pick(cpu, geometry="droplet", m=25.0)


def min_image_pairs(pos, box_length, r_max):
    """Pairs (i < j) and distances within r_max in a cubic periodic box (cKDTree, explicit)."""
    wrapped = np.mod(np.asarray(pos, float) + box_length / 2, box_length)
    tree = cKDTree(wrapped, boxsize=box_length)
    pairs = tree.query_pairs(r_max, output_type="ndarray")
    delta = wrapped[pairs[:, 0]] - wrapped[pairs[:, 1]]
    delta -= box_length * np.round(delta / box_length)
    return pairs, np.linalg.norm(delta, axis=1)


def type_names(frame):
    return np.asarray(frame.particles.types)[frame.particles.typeid]


def effective_phi_from_table(frame, sp, volume):
    """phi_eff from the BH table: (pi/6) sum (D_BH sigma_ii)^3 / V (binary frames)."""
    names = type_names(frame)
    sigma = np.where(names == "L", 1.0, 0.55)
    d_bh = D_BH[(sp["m"], sp["beta_epsilon"])] * sigma
    return np.pi / 6 * np.sum(d_bh**3) / volume


# --------------------------------------------------------------------------------------------
# temperature
# --------------------------------------------------------------------------------------------


class TestTemperature:
    @pytest.mark.parametrize("m, beta_epsilon, kT", [(25.0, 2.5, 0.4), (6.0, 0.5, 2.0)])
    def test_kt_is_inverse_depth(self, m, beta_epsilon, kT):
        assert mie_study.temperature({"m": m, "beta_epsilon": beta_epsilon}) == pytest.approx(
            kT, rel=1e-12
        )

    def test_ipl_runs_at_unit_temperature(self):
        assert mie_study.temperature({"m": 0.0, "beta_epsilon": 0.0}) == 1.0

    def test_zero_depth_needs_the_ipl(self):
        with pytest.raises(ValueError, match="inverse power law"):
            mie_study.temperature({"m": 25.0, "beta_epsilon": 0.0})

    def test_negative_depth_raises(self):
        with pytest.raises(ValueError, match=">= 0"):
            mie_study.temperature({"m": 25.0, "beta_epsilon": -1.0})

    def test_every_study_state_point(self, cpu, paper):
        for sp in cpu + paper:
            kT = mie_study.temperature(sp)
            if sp["m"] == 0:
                assert kT == 1.0
            else:
                assert kT * sp["beta_epsilon"] == pytest.approx(1.0, rel=1e-12)


# --------------------------------------------------------------------------------------------
# mixture
# --------------------------------------------------------------------------------------------


class TestMixture:
    @pytest.mark.parametrize(
        "n_large, ratio, n_small",
        [(256, [1, 2], 512), (1928, [1, 13], 25064), (500, [1, 0], 0), (9000, [1, 2], 18000)],
    )
    def test_binary_counts(self, ramp_sp, n_large, ratio, n_small):
        sp = dict(ramp_sp, n_large=n_large, ratio=ratio)
        mix, counts = mie_study.mixture(sp)
        assert counts == {"L": n_large, "S": n_small}
        assert mix.types == ("L", "S") and mix.m == 25.0
        assert mix.diameters == {"L": 1.0, "S": 0.55}
        assert mix.pair("L", "S").sigma == pytest.approx(SIGMA_LS, rel=1e-12)

    def test_polydisperse_bins(self, droplet_sp):
        sp = dict(droplet_sp, n_large=333)
        mix, counts = mie_study.mixture(sp)
        assert len(mix.types) == 26 and set(counts) == set(mix.types)
        for cls, total, mean, rel_std in (("L", 333, 1.0, 0.047), ("S", 666, 0.55, 0.063)):
            names = [f"{cls}{k}" for k in range(13)]
            n = np.array([counts[t] for t in names])
            assert n.sum() == total  # exactly
            d = np.array([mix.diameters[t] for t in names])
            # Independent bins: 13 equal bins over mean +- 3 std, weights = normal integral.
            std = rel_std * mean
            np.testing.assert_allclose(d, np.linspace(mean - 3 * std, mean + 3 * std, 27)[1::2])
            edges = np.linspace(mean - 3 * std, mean + 3 * std, 14)
            w = np.diff(stats.norm.cdf(edges, mean, std))
            exact = w / w.sum() * total
            # largest remainder: every count is the floor or the ceiling of its exact share,
            # and the ceilings go to the largest remainders
            assert np.all((n == np.floor(exact)) | (n == np.ceil(exact)))
            up = n > np.floor(exact)
            rem = exact - np.floor(exact)
            if up.any() and (~up).any():
                assert rem[up].min() >= rem[~up].max() - 1e-12
            # the discretised population keeps the mean and (to 5 %) the spread
            mean_d = np.average(d, weights=n)
            assert mean_d == pytest.approx(mean, rel=2e-3)
            assert np.sqrt(np.average((d - mean_d) ** 2, weights=n)) == pytest.approx(std, rel=0.05)

    @pytest.mark.parametrize("over", [{"n_large": 0}, {"ratio": [0, 2]}, {"ratio": [1, -1]}])
    def test_invalid(self, ramp_sp, over):
        with pytest.raises(ValueError, match="n_large"):
            mie_study.mixture(dict(ramp_sp, **over))


# --------------------------------------------------------------------------------------------
# schedule, frame period, run options
# --------------------------------------------------------------------------------------------


class TestSchedule:
    def test_seeded(self, seeded_sp):
        s = mie_study.schedule(seeded_sp)  # 5 + 45 tau at dt = 1e-3, hold 100 tau
        assert (s.equilibrate_steps, s.precompress_steps, s.ramp_steps, s.hold_steps) == (
            5000,
            45000,
            0,
            100000,
        )
        assert s.frozen_steps == 50000  # held until the fluid reaches phi_start
        steps, phis = s.knots
        np.testing.assert_array_equal(steps, [0, 5000, 50000, 50000, 150000])
        np.testing.assert_allclose(phis, [0.2, 0.2, 0.5, 0.5, 0.5], rtol=0, atol=1e-15)
        assert s.phi(27500) == pytest.approx(0.2 + 0.3 * 22500 / 45000, rel=1e-12)

    def test_ramp(self, ramp_sp):
        s = mie_study.schedule(ramp_sp)
        assert s.frozen_steps == 0
        assert (s.equilibrate_steps, s.precompress_steps, s.ramp_steps, s.hold_steps) == (
            10000,
            40000,
            500000,
            20000,
        )
        np.testing.assert_allclose(s.knots[1], [0.2, 0.2, 0.4, 0.58, 0.58], rtol=0, atol=1e-15)
        assert s.phi(s.ramp_begin + 250000) == pytest.approx(0.49, rel=1e-12)
        assert s.total_steps == 570000

    def test_steps_are_rounded_not_truncated(self, ramp_sp):
        # 0.3 / 1e-3 = 299.99999999999994 in floating point
        sp = dict(ramp_sp, equilibrate_tau=0.3, precompress_tau=0.7, frame_tau=0.3)
        s = mie_study.schedule(sp)
        assert (s.equilibrate_steps, s.precompress_steps) == (300, 700)
        assert mie_study.frame_period(sp) == 300

    def test_smaller_dt_gives_more_steps(self, seeded_sp):
        s = mie_study.schedule(dict(seeded_sp, dt=5e-4))
        assert (s.precompress_steps, s.frozen_steps, s.total_steps) == (90000, 100000, 300000)


class TestRunOptions:
    def test_frame_period(self, seeded_sp, ramp_sp):
        assert mie_study.frame_period(seeded_sp) == 5000
        assert mie_study.frame_period(ramp_sp) == 10000
        assert mie_study.frame_period(dict(ramp_sp, frame_tau=1e-5)) == 1  # never 0

    def test_bulk_and_droplet(self, ramp_sp, droplet_sp):
        bulk = mie_study.run_options(ramp_sp)
        assert bulk["thermostat"] == "mttk" and bulk["droplet"] is False
        drop = mie_study.run_options(droplet_sp)
        assert drop["thermostat"] == "langevin" and drop["droplet"] is True
        for sp, opts in ((ramp_sp, bulk), (droplet_sp, drop)):
            assert opts["dt"] == sp["dt"]
            assert opts["frame_period"] == mie_study.frame_period(sp)
            assert opts["checkpoint_period"] % opts["frame_period"] == 0
            assert opts["checkpoint_period"] > opts["frame_period"]

    def test_seed_from_replica(self, cpu):
        seeds = {sp["replica"]: mie_study.run_options(sp)["seed"] for sp in cpu}
        assert seeds == {1: 1, 2: 2, 3: 3}
        sp = dict(cpu[0], replica=65536 + 7)  # HOOMD seeds are 16 bit
        assert mie_study.run_options(sp)["seed"] == 7


# --------------------------------------------------------------------------------------------
# AlB2 seed
# --------------------------------------------------------------------------------------------


class TestAlB2Seed:
    def test_study_seed(self, seeded_sp):
        n, d, ca = seeded_sp["seed_n_large"], seeded_sp["seed_d_ll"], seeded_sp["seed_c_over_a"]
        pos, types = mie_study.alb2_seed(n, d, ca)
        n_l, n_s = np.count_nonzero(types == "L"), np.count_nonzero(types == "S")
        assert n_l + n_s == len(pos)
        assert abs(n_l - n) <= 0.2 * n
        assert n_s / n_l == pytest.approx(2.0, abs=0.15)
        np.testing.assert_allclose(pos.mean(axis=0), 0.0, atol=1e-9)
        # spherical: the farthest L lies about at the radius of n_l cells of volume a^2 c sqrt3/2
        radius = (3 * n_l * d**3 * ca * np.sqrt(3) / 2 / (4 * np.pi)) ** (1 / 3)
        r_l = np.linalg.norm(pos[types == "L"], axis=1)
        assert radius - d < r_l.max() < radius + d
        # The study's seed (L-L 1.03, c/a 1.03) sits at narrow-well L-S contact:
        # sqrt(1/3 + (c/a)^2/4) d = 0.7970 vs 0.775 * 2^(1/25) = 0.7968.
        ls = cdist(pos[types == "L"], pos[types == "S"]).min()
        assert ls == pytest.approx(np.sqrt(1 / 3 + ca**2 / 4) * d, rel=1e-5)
        assert ls == pytest.approx(SIGMA_LS * NARROW_R_MIN, rel=1e-3)

    @pytest.mark.parametrize("n_large, d_ll", [(64, 1.0), (200, 1.05)])
    def test_ideal_distances_at_unit_axial_ratio(self, n_large, d_ll):
        pos, types = mie_study.alb2_seed(n_large, d_ll, 1.0)
        large, small = pos[types == "L"], pos[types == "S"]
        assert abs(len(large) - n_large) <= 0.2 * n_large
        assert len(small) / len(large) == pytest.approx(2.0, abs=0.15)
        assert pdist(large).min() == pytest.approx(d_ll, rel=1e-5)
        assert cdist(large, small).min() == pytest.approx(ALB2_LS * d_ll, rel=1e-5)
        assert pdist(small).min() == pytest.approx(d_ll / np.sqrt(3), rel=1e-5)  # honeycomb

    def test_interior_is_alb2(self, seeded_sp):
        d = seeded_sp["seed_d_ll"]
        pos, types = mie_study.alb2_seed(300, d, seeded_sp["seed_c_over_a"])
        is_large = types == "L"
        box = freud.box.Box.cube(30.0)  # an isolated crystallite
        clf = mie_study.classifier(seeded_sp).compute((box, pos), is_large=is_large)
        r_l = np.linalg.norm(pos[is_large], axis=1)
        interior = r_l < r_l.max() - 1.5 * d  # full first and second shells
        assert interior.sum() >= 50
        assert np.all(clf.phase[interior] == "AlB2")
        # the surface, with missing neighbours, is not a crystal: the fraction is below 1
        assert clf.crystalline_fraction < 0.8

    def test_too_small(self):
        with pytest.raises(ValueError, match="at least 8"):
            mie_study.alb2_seed(7, 1.0, 1.0)


# --------------------------------------------------------------------------------------------
# initial configuration
# --------------------------------------------------------------------------------------------


def _assert_no_overlaps(frame, box_length, mix):
    names = type_names(frame)
    d = np.array([mix.diameters[t] for t in names])
    pairs, r = min_image_pairs(frame.particles.position, box_length, d.max())
    sigma = 0.5 * (d[pairs[:, 0]] + d[pairs[:, 1]])
    assert np.all(r >= CLEARANCE * sigma - POSITION_TOL), (r / sigma).min()


class TestInitialConfiguration:
    @pytest.mark.parametrize("well", [(25.0, 2.5), (6.0, 2.5), (0.0, 0.0)])
    def test_bulk_ramp(self, cpu, well):
        m, be = well
        sp = _pick(cpu, protocol="ramp", geometry="bulk", m=m, beta_epsilon=be, replica=2)
        sp["n_large"] = 120
        frame, frozen = mie_study.initial_configuration(sp)
        assert frame.particles.N == 360 and not frozen.any() and frozen.shape == (360,)
        assert list(frame.particles.types) == ["L", "S"]
        np.testing.assert_array_equal(np.bincount(frame.particles.typeid), [120, 240])
        box = np.asarray(frame.configuration.box, float)
        np.testing.assert_array_equal(box[3:], 0.0)
        assert box[0] == box[1] == box[2]
        assert np.all(np.abs(frame.particles.position) <= box[0] / 2 + POSITION_TOL)
        # phi_eff of the box from the tabulated BH diameters (independent of mie.py's quadrature)
        phi = effective_phi_from_table(frame, sp, box[0] ** 3)
        assert phi == pytest.approx(sp["phi_initial"], rel=2e-3)
        mix, _ = mie_study.mixture(sp)
        _assert_no_overlaps(frame, box[0], mix)

    def test_reproducible_per_replica(self, ramp_sp):
        sp = dict(ramp_sp, n_large=40)
        a, _ = mie_study.initial_configuration(sp)
        b, _ = mie_study.initial_configuration(sp)
        c, _ = mie_study.initial_configuration(dict(sp, replica=sp["replica"] + 1))
        np.testing.assert_array_equal(a.particles.position, b.particles.position)
        assert not np.allclose(a.particles.position, c.particles.position)

    def test_droplet(self, droplet_sp):
        sp = dict(droplet_sp, n_large=100)
        frame, frozen = mie_study.initial_configuration(sp)
        mix, counts = mie_study.mixture(sp)
        assert frame.particles.N == 300 and not frozen.any()
        assert list(frame.particles.types) == list(mix.types) and len(mix.types) == 26
        names = type_names(frame)
        assert {t: int(np.count_nonzero(names == t)) for t in mix.types} == counts
        # the sphere holds the particles' effective volume at phi_initial ...
        vp = mix.effective_particle_volume(counts, mie_study.temperature(sp))
        radius = (3 * vp / sp["phi_initial"] / (4 * np.pi)) ** (1 / 3)
        box = np.asarray(frame.configuration.box, float)
        assert box[0] == pytest.approx(2 * (radius + 2.0), rel=1e-5)  # 2 sigma margin
        # ... and every particle lies inside it, less its radius
        d = np.array([mix.diameters[t] for t in names])
        r = np.linalg.norm(frame.particles.position.astype(float), axis=1)
        assert np.all(r + d / 2 <= radius + POSITION_TOL)
        assert r.max() > 0.8 * radius  # filled, not clumped at the centre
        _assert_no_overlaps(frame, box[0], mix)

    def test_seeded(self, seeded_sp):
        sp = dict(seeded_sp, n_large=200)
        frame, frozen = mie_study.initial_configuration(sp)
        seed_pos, seed_types = mie_study.alb2_seed(
            sp["seed_n_large"], sp["seed_d_ll"], sp["seed_c_over_a"]
        )
        m = len(seed_pos)
        assert frame.particles.N == m + 600
        np.testing.assert_array_equal(frozen, np.arange(frame.particles.N) < m)  # seed first
        names = type_names(frame)
        np.testing.assert_array_equal(names[:m], seed_types)
        np.testing.assert_allclose(frame.particles.position[:m], seed_pos, rtol=0, atol=1e-6)
        assert np.count_nonzero(names[m:] == "L") == 200
        assert np.count_nonzero(names[m:] == "S") == 400
        box_length = float(frame.configuration.box[0])
        # phi_eff of the whole box, seed included
        phi = effective_phi_from_table(frame, sp, box_length**3)
        assert phi == pytest.approx(sp["phi_initial"], rel=2e-3)
        # no fluid particle within 0.95 sigma_ij of a seed particle (or of another)
        d = np.where(names == "L", 1.0, 0.55)
        pairs, r = min_image_pairs(frame.particles.position, box_length, 1.0)
        sigma = 0.5 * (d[pairs[:, 0]] + d[pairs[:, 1]])
        mixed = frozen[pairs[:, 0]] != frozen[pairs[:, 1]]
        assert mixed.any()  # the fluid does touch the seed
        assert np.all(r[mixed] >= CLEARANCE * sigma[mixed] - POSITION_TOL)
        assert np.all(r >= CLEARANCE * sigma - POSITION_TOL)

    @pytest.mark.parametrize(
        "over",
        [
            {"protocol": "quench"},
            {"geometry": "droplet"},
            {"polydisperse": True},
        ],
    )
    def test_invalid(self, seeded_sp, over):
        with pytest.raises(ValueError, match="protocol must be ramp or seeded"):
            mie_study.initial_configuration(dict(seeded_sp, n_large=50, **over))


# --------------------------------------------------------------------------------------------
# classifier
# --------------------------------------------------------------------------------------------


def _first_shell(system, a, b):
    radii, _ = lattices.shell_distances(system, a, b, n_shells=1)
    return float(radii[0])


def _contact_spacings(contact):
    """L-L spacing of each crystal at L-S contact (fcc: L-L contact)."""
    return {
        "AlB2": contact / 0.7638,
        "NaZn13": contact / 0.5810,
        "fcc": contact / SIGMA_LS,
    }


class TestClassifier:
    @pytest.mark.parametrize(
        "m, contact_factor", [(25.0, NARROW_R_MIN), (6.0, WIDE_R_MIN), (0.0, 1.0)]
    )
    def test_ls_cutoffs_lie_between_the_shells(self, m, contact_factor):
        clf = mie_study.classifier({"m": m})
        assert isinstance(clf, BinaryCrystalClassifier)
        d = clf.d_ll
        assert set(d) == {"fcc", "AlB2", "NaZn13"}
        spacing = _contact_spacings(SIGMA_LS * contact_factor)
        for phase, build in (("AlB2", lattices.alb2), ("NaZn13", lattices.nazn13)):
            cutoff = clf.windows[phase].r_ls * d[phase]
            at_contact = build(1 if phase == "NaZn13" else 3, spacing[phase])
            expanded = build(
                1 if phase == "NaZn13" else 3, mie_study.MAX_EXPANSION * spacing[phase]
            )
            # the first L-S shell of the crystal at contact is at L-S contact
            assert _first_shell(at_contact, "L", "S") == pytest.approx(
                SIGMA_LS * contact_factor, rel=1e-3
            )
            radii, _ = lattices.shell_distances(expanded, "L", "S", n_shells=1)
            second = lattices.shell_distances(at_contact, "L", "S", n_shells=2)[0][1]
            # the cut-off separates the first shell (up to 15 % expansion) from the second one,
            # with at least 5 % of the contact spacing to spare on both sides
            assert radii[0] + 0.05 * spacing[phase] < cutoff < second - 0.05 * spacing[phase]
        assert _first_shell(lattices.fcc(2, d["fcc"]), "L", "L") == pytest.approx(
            contact_factor, rel=1e-6
        )

    @pytest.mark.parametrize("m", [25.0, 0.0])
    @pytest.mark.parametrize("expansion", [1.0, 1.1])
    def test_lattices_near_contact(self, m, expansion):
        clf = mie_study.classifier({"m": m})
        contact = SIGMA_LS * (NARROW_R_MIN if m == 25.0 else 1.0)
        d = {k: expansion * v for k, v in _contact_spacings(contact).items()}
        rng = np.random.default_rng([2024, int(m)])
        cases = {
            "AlB2": lattices.alb2(6, d["AlB2"]),
            "NaZn13": lattices.nazn13(3, d["NaZn13"]),
            "fcc": lattices.fcc(4, d["fcc"]),
        }
        for phase, perfect in cases.items():
            noisy = perfect.with_noise(0.05 * d[phase], rng)
            fractions = clf.compute(noisy).fractions
            assert fractions[phase] > 0.95, (phase, fractions)
            assert abs(sum(fractions.values()) - 1.0) < 1e-12
        # negative control: a 1:2 ideal gas at the AlB2 crystal's density
        gas = lattices.ideal_gas(216, 432, cases["AlB2"].box, rng)
        assert clf.compute(gas).crystalline_fraction < 0.05


# --------------------------------------------------------------------------------------------
# crystallisation history
# --------------------------------------------------------------------------------------------


def _frame(system, step, phi, energy):
    frame = system.to_gsd_frame()
    frame.configuration.step = step
    frame.particles.types = ["L", "S"]
    frame.log = {
        mie_study.LOG_PHI: np.array([phi], dtype=np.float64),
        mie_study.LOG_POTENTIAL: np.array([energy], dtype=np.float64),
    }
    return frame


def _half_melted(crystal, d, rng):
    """A slab of half the box (fractional x < 1/2) displaced by 0.3 d (liquid), the rest 0.03 d."""
    pos = np.array(crystal.positions)
    melt = crystal.box.make_fractional(pos)[:, 0] < 0.5
    pos += rng.normal(0.0, 0.03 * d, pos.shape)
    pos[melt] += rng.normal(0.0, 0.3 * d, (melt.sum(), 3))
    return lattices.LatticeSystem(crystal.box, crystal.box.wrap(pos), crystal.typeid, crystal.types)


def test_crystallisation_history(tmp_path, ramp_sp):
    sp = dict(ramp_sp)  # m = 25, 1:2, dt = 1e-3
    d = mie_study.classifier(sp).d_ll["AlB2"]
    rng = np.random.default_rng(77)
    crystal = lattices.alb2(8, d)  # 512 L + 1024 S at L-S contact
    n_l, n = 512, crystal.num_particles
    dilute = [2 * x for x in crystal.box.L] + [0, 0, 0]  # 8x the volume: rho ~ 0.4
    frames = [
        (lattices.ideal_gas(n_l, 2 * n_l, dilute, rng), 0, 0.21, -0.05),
        (_half_melted(crystal, d, rng), 20000, 0.45, -1.5),
        (crystal.with_noise(0.03 * d, rng), 40000, 0.55, -3.0),
    ]
    path = tmp_path / "trajectory.gsd"
    with gsd.hoomd.open(path, "w") as f:
        for system, step, phi, e in frames:
            f.append(_frame(system, step, phi, e * n))
    h = mie_study.crystallisation_history(path, sp)
    expected = {"time", "phi", "potential_energy", "crystalline_fraction", "largest_cluster"}
    expected |= {"num_crystalline"}
    assert expected | {"dense_fraction", "fluid", "fcc", "AlB2", "NaZn13"} == set(h)
    assert all(len(v) == 3 for v in h.values())
    np.testing.assert_allclose(h["time"], [0.0, 20.0, 40.0], rtol=1e-12)  # step * dt
    np.testing.assert_allclose(h["phi"], [0.21, 0.45, 0.55], rtol=1e-12)
    np.testing.assert_allclose(h["potential_energy"], [-0.05, -1.5, -3.0], rtol=1e-12)
    f = h["crystalline_fraction"]
    # ~0 in the gas; below 1/2 in the half crystal (its surface layers miss neighbours); ~1
    assert f[0] < 0.05 and 0.25 < f[1] < 0.55 and f[2] > 0.95
    np.testing.assert_allclose(f, h["AlB2"], atol=0.02)  # the crystal is AlB2
    total = h["fluid"] + h["fcc"] + h["AlB2"] + h["NaZn13"]
    np.testing.assert_allclose(total, 1.0, rtol=0, atol=1e-12)
    np.testing.assert_allclose(f, 1.0 - h["fluid"], rtol=0, atol=1e-12)
    np.testing.assert_array_equal(h["num_crystalline"], np.round(f * n_l))  # 512 L per frame
    assert np.all(h["largest_cluster"] <= h["num_crystalline"])
    # the largest nucleus: none in the gas, the crystalline slab in the half crystal, all at the end
    assert h["largest_cluster"][0] <= 2
    assert 0.25 * n_l < h["largest_cluster"][1] <= f[1] * n_l
    assert h["largest_cluster"][2] >= 0.95 * n_l
    # locally dense (> 1.6 sigma^-3, the AlB2 threshold): none in the dilute gas, all in the
    # crystal (3 particles per 0.98 sigma^3 cell, rho = 3.05 sigma^-3)
    dense = h["dense_fraction"]
    assert dense[0] < 0.02 and dense[2] == 1.0 and dense[0] < dense[1] <= dense[2]


def test_reads_the_log_key_written_before_the_layout_move(tmp_path, ramp_sp):
    """Trajectories written while Compression lived in ``hoomd_rigidfield/hoomd/mie.py`` parse."""
    frame = _frame(lattices.alb2(4, 1.2), 1000, 0.42, -3.0)
    frame.log = {
        "hoomd_rigidfield/hoomd/mie/Compression/volume_fraction": np.array([0.42]),
        mie_study.LOG_POTENTIAL: np.array([-3.0]),
    }
    path = tmp_path / "trajectory.gsd"
    with gsd.hoomd.open(path, "w") as f:
        f.append(frame)
    history = mie_study.crystallisation_history(path, dict(ramp_sp), progress=False)
    np.testing.assert_allclose(history["phi"], [0.42])


def test_reads_a_trajectory_written_by_the_pre_layout_code(ramp_sp):
    path = Path(__file__).resolve().parents[1] / "data" / "pre_layout" / "mie_trajectory.gsd"
    with gsd.hoomd.open(path) as f:
        logged = [float(frame.log[mie_study.LOG_PHI][0]) for frame in f]
    history = mie_study.crystallisation_history(path, dict(ramp_sp))
    np.testing.assert_array_equal(history["phi"], logged)
    assert 0.2 <= logged[0] < logged[-1] <= 0.3 + 1e-9  # the compression it was written with


def test_from_statepoint_parses_once_into_the_run_arguments(ramp_sp):
    sp = dict(ramp_sp)
    study = mie_study.from_statepoint(sp)
    assert study.kT == mie_study.temperature(sp)
    assert study.counts == mie_study.mixture(sp)[1]
    assert study.schedule == mie_study.schedule(sp)
    assert study.classifier is study.classifier  # built once
    args = study.run_arguments()
    assert args["kT"] == study.kT and args["mixture"] is study.mixture
    assert args["checkpoint_period"] == 10 * args["frame_period"]
    # every key is a parameter of MieRun (read from its source; HOOMD is not needed)
    source = (Path(mie_study.__file__).parent / "md.py").read_text()
    signature = source[
        source.index("class MieRun") : source.index(") -> None:", source.index("class MieRun"))
    ]
    assert all(f"{key}:" in signature for key in args)
