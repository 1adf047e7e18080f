"""patchy_runs: state point -> shape, rule, anneal, random start; trajectory -> order history.

Reference numbers are derived by hand from the octagon geometry and the square-patch rule
(:class:`~hoomd_rigidfield.patchy.patches.SquarePatches`, defaults delta = 0.1 L, tau = 0.01 L,
theta_max = 15 degrees), for t = 0.15 (L = 1, facet Fx = 0.7, area 1 - 2 t^2 = 0.955,
circumradius hypot(0.5, 0.35) = 0.6103) and lattices of spacing 1.05 (facet gap 0.05):

* square lattice: the four in-row/in-column neighbours face each other head-on (gap 0.05,
  lateral offset 0) and bond for any patch size; the diagonal neighbour at (1.05, 1.05) lies
  inside r_cut = sqrt 2 + 0.1 = 1.514 but is laterally offset by 1.05 > Px <= 0.7, so it never
  bonds: exactly 4 bonds per particle;
* brick lattice (rows shifted by half the row period, 0.525): the two in-row neighbours bond;
  the four neighbours of the adjacent rows face with gap 0.05 and lateral offset s = 0.525, and
  the facing segments (half-length p = Px/2) overlap iff 2p > s, i.e. Px/Fx > 0.525/0.7 = 0.75:
  6 bonds at Px/Fx = 0.9 (2p = 0.63), 2 at Px/Fx = 0.3 (2p = 0.21);
* rotating every particle of the square lattice by 20 degrees keeps the facets antiparallel but
  puts the facet centre of the neighbour at a gap 1.05 cos 20 - 1 = -0.013 L along the rotated
  normal, below the -0.01 L tolerance: no bond (that lattice also overlaps, which the bond
  count does not test);
* a checkerboard of +-10 degrees misaligns neighbouring facets by 20 > 15 degrees: no bond.
"""

import math

import gsd.hoomd
import numpy as np
import numpy.testing as npt
import pytest
from scipy import stats

from hoomd_rigidfield.analysis.monolayer import MonolayerOrder
from hoomd_rigidfield.orientation import angle_to_quaternion, quaternion_to_angle
from hoomd_rigidfield.patchy import study as patchy_study
from hoomd_rigidfield.patchy.patches import SquarePatches, patch_energy
from hoomd_rigidfield.patchy.shape import REGULAR_OCTAGON_T, TruncatedCube
from tests.conftest import load_project_module

STUDY = "patchy_cubes"
OCTAGON = TruncatedCube(1.0, 0.15)
SPACING = 1.05  # lattice constant of the test lattices [L]: facet gap 0.05 L
POSITION_TOL = 1e-5  # GSD positions are float32
CPU_PATCHES = (0.1, 0.3, 0.5, 0.7, 0.8, 0.9)


# ---- helpers ------------------------------------------------------------------------------


def make_frame(pos, theta, box, step=0):
    """2D gsd Frame with positions (N, 2), in-plane angles (N,) and box (Lx, Ly)."""
    pos, theta = np.asarray(pos, float), np.broadcast_to(np.asarray(theta, float), (len(pos),))
    frame = gsd.hoomd.Frame()
    frame.configuration.box = [box[0], box[1], 0, 0, 0, 0]
    frame.configuration.dimensions = 2
    frame.configuration.step = step
    frame.particles.N = len(pos)
    frame.particles.types = ["A"]
    frame.particles.typeid = np.zeros(len(pos), dtype=np.uint32)
    frame.particles.position = np.column_stack([pos, np.zeros(len(pos))]).astype(np.float32)
    frame.particles.orientation = angle_to_quaternion(theta).astype(np.float32)
    frame.particles.type_shapes = [OCTAGON.gsd_shape_spec]
    return frame


def wrap(d, box):
    """Minimum image in a rectangular 2D box (Lx, Ly)."""
    box = np.asarray(box, float)
    return d - box * np.round(d / box)


def square_lattice(n_side, spacing=SPACING, shift=(0.0, 0.0)):
    """(n_side^2, 2) centres of a square lattice (wrapped into the box), and the box."""
    g = (np.arange(n_side) + 0.5) * spacing - n_side * spacing / 2
    x, y = np.meshgrid(g, g, indexing="ij")
    box = (n_side * spacing, n_side * spacing)
    pos = wrap(np.column_stack([x.ravel(), y.ravel()]) + np.asarray(shift), box)
    return pos, box


def brick_lattice(n_cols, n_rows, spacing=SPACING):
    """Rows of spacing ``spacing``, every other row shifted by ``spacing/2`` (n_rows even)."""
    assert n_rows % 2 == 0
    pos = [
        ((c + 0.5 + 0.5 * (r % 2)) * spacing, (r + 0.5) * spacing)
        for r in range(n_rows)
        for c in range(n_cols)
    ]
    box = (n_cols * spacing, n_rows * spacing)
    return wrap(np.array(pos) - np.array(box) / 2, box), box


def all_pairs(frame):
    """Minimum-image separations r_j - r_i and angles of all pairs i < j of a frame."""
    pos = np.asarray(frame.particles.position, float)[:, :2]
    box = np.asarray(frame.configuration.box[:2], float)
    i, j = np.triu_indices(len(pos), k=1)
    theta = quaternion_to_angle(np.asarray(frame.particles.orientation, float))
    return wrap(pos[j] - pos[i], box), theta[i], theta[j]


def reference_bonds(frame, octagon, patches):
    """Bonds per particle from patch_energy over all minimum-image pairs (no neighbour list)."""
    r, ti, tj = all_pairs(frame)
    unit = SquarePatches(patches.px_over_fx, 1.0)  # energy -1 per bonded patch pair
    return -2.0 * float(np.sum(patch_energy(unit, octagon, r, ti, tj))) / frame.particles.N


@pytest.fixture(scope="module")
def cpu():
    return list(load_project_module(STUDY, "init").job_statepoints("cpu"))


# ---- AnnealSchedule ------------------------------------------------------------------------


def test_anneal_starts_at_start_and_reaches_epsilon_after_the_ramp():
    sched = patchy_study.AnnealSchedule(8.0, 20_000, start=0.5)
    assert sched(0) == pytest.approx(0.5, rel=1e-12)
    assert sched(20_000) == pytest.approx(8.0, rel=1e-12)
    # Geometric: the midpoint is the geometric mean sqrt(0.5 * 8) = 2.
    assert sched(10_000) == pytest.approx(2.0, rel=1e-12)
    assert isinstance(sched(123), float)


def test_anneal_ramp_is_geometric():
    sched = patchy_study.AnnealSchedule(6.0, 1_000, start=0.5)
    x = np.linspace(0, 1_000, 11)
    value = sched(x)
    assert isinstance(value, np.ndarray) and value.shape == (11,)
    # Constant ratio (6 / 0.5)^(1/10) between equally spaced points.
    npt.assert_allclose(value[1:] / value[:-1], 12.0**0.1, rtol=1e-12)
    # Equivalently log(eps) is linear in the sweep number.
    npt.assert_allclose(np.log(value), np.log(0.5) + x / 1_000 * np.log(12.0), rtol=1e-12)
    assert np.all(np.diff(sched(np.arange(0, 1_001))) > 0)


def test_anneal_holds_epsilon_after_the_ramp():
    sched = patchy_study.AnnealSchedule(4.0, 1_000)
    after = np.array([1_000, 1_001, 5_000, 10**9])
    npt.assert_allclose(sched(after), 4.0, rtol=1e-12)
    assert sched(10**7) == pytest.approx(4.0, rel=1e-12)


def test_anneal_before_the_ramp_holds_start_not_zero():
    # Zeroing the bonds during the compression is the caller's job: a negative argument on
    # a ramp is clipped to the start of the ramp, for scalars and arrays alike.
    sched = patchy_study.AnnealSchedule(4.0, 1_000, start=0.5)
    assert sched(-1) == pytest.approx(0.5, rel=1e-12)
    assert sched(-(10**6)) == pytest.approx(0.5, rel=1e-12)
    npt.assert_allclose(sched(np.array([-500.0, -1.0, 0.0])), 0.5, rtol=1e-12)


def test_anneal_edge_cases_are_constant():
    # epsilon = 0: no bonds at all.
    zero = patchy_study.AnnealSchedule(0.0, 1_000)
    npt.assert_array_equal(zero(np.array([0, 500, 1_000, 2_000])), 0.0)
    assert zero(500) == 0.0
    # No ramp: the target at once.
    quench = patchy_study.AnnealSchedule(3.0, 0)
    npt.assert_array_equal(quench(np.array([0, 1, 100])), 3.0)
    assert quench(0) == 3.0
    # start >= epsilon: nothing to ramp; the target (not the larger start) throughout.
    for start in (0.3, 0.5, 2.0):
        below = patchy_study.AnnealSchedule(0.3, 1_000, start=start)
        npt.assert_array_equal(below(np.array([0, 500, 1_000, 5_000])), 0.3)
        assert below(250) == 0.3


def test_anneal_scalar_and_array_agree_for_negative_sweeps():
    for sched in (
        patchy_study.AnnealSchedule(3.0, 0),
        patchy_study.AnnealSchedule(0.3, 1_000, start=0.5),
    ):
        assert sched(np.array([-5.0]))[0] == sched(-5.0)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(epsilon=-1.0, anneal_sweeps=10), "epsilon"),
        (dict(epsilon=np.nan, anneal_sweeps=10), "epsilon"),
        (dict(epsilon=np.inf, anneal_sweeps=10), "epsilon"),
        (dict(epsilon=2.0, anneal_sweeps=-1), "anneal_sweeps"),
        (dict(epsilon=2.0, anneal_sweeps=2.5), "anneal_sweeps"),
        (dict(epsilon=2.0, anneal_sweeps=10, start=0.0), "start"),
        (dict(epsilon=2.0, anneal_sweeps=10, start=-0.5), "start"),
        (dict(epsilon=2.0, anneal_sweeps=10, start=np.nan), "start"),
    ],
)
def test_anneal_rejects_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        patchy_study.AnnealSchedule(**kwargs)


def test_anneal_rejects_infinite_sweeps_with_value_error():
    with pytest.raises(ValueError, match="anneal_sweeps"):
        patchy_study.AnnealSchedule(2.0, math.inf)


# ---- state point -> shape, rule, anneal ----------------------------------------------------


def test_shape_rule_anneal_of_the_cpu_state_points(cpu):
    assert len(cpu) == 24
    for sp in cpu:
        octagon = patchy_study.shape(sp)
        assert octagon.edge_length == 1.0 and octagon.t == 0.15
        assert octagon.facet_length == pytest.approx(0.7, rel=1e-12)
        assert octagon.area == pytest.approx(0.955, rel=1e-12)
        rule = patchy_study.rule(sp)
        assert rule.px_over_fx == sp["px_over_fx"] and rule.epsilon == sp["beta_epsilon"]
        assert rule.mode == "step"
        assert rule.patch_size(octagon) == pytest.approx(0.7 * sp["px_over_fx"], rel=1e-12)
        sched = patchy_study.anneal(sp)
        assert sched.epsilon == sp["beta_epsilon"] and sched.anneal_sweeps == 20_000
        assert sched.start == 0.5  # every CPU depth (2-8 kT) is above 0.5 kT
        assert sched(0) == pytest.approx(0.5, rel=1e-12)
        assert sched(sp["anneal_sweeps"]) == pytest.approx(sp["beta_epsilon"], rel=1e-12)
        assert sched(sp["anneal_sweeps"] + sp["production_sweeps"]) == pytest.approx(
            sp["beta_epsilon"], rel=1e-12
        )


def test_anneal_of_shallow_and_zero_depth_state_points(cpu):
    sp = dict(cpu[0])
    sp["beta_epsilon"] = 0.3  # below the default start: constant 0.3
    sched = patchy_study.anneal(sp)
    assert sched.start == 0.3
    npt.assert_array_equal(sched(np.array([0, 10_000, 20_000])), 0.3)
    sp["beta_epsilon"] = 0.0  # hard octagons: start falls back to 0.5, the value stays 0
    sched = patchy_study.anneal(sp)
    assert sched.start == 0.5
    npt.assert_array_equal(sched(np.array([0, 10_000, 20_000])), 0.0)


# ---- random_monolayer ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "t, n, phi",
    [
        (0.15, 196, 0.3),
        (0.15, 50, 0.2),
        (0.15, 1, 0.3),
        (0.0, 100, 0.3),
        (REGULAR_OCTAGON_T, 77, 0.35),
    ],
)
def test_random_monolayer_geometry(t, n, phi):
    octagon = TruncatedCube(1.0, t)
    frame = patchy_study.random_monolayer(octagon, n, phi, np.random.default_rng(11))
    frame.validate()
    assert frame.particles.N == n and frame.configuration.dimensions == 2
    assert frame.particles.types == ["A"]
    npt.assert_array_equal(frame.particles.typeid, 0)
    box = np.asarray(frame.configuration.box, float)
    assert box[0] == box[1] and np.all(box[2:] == 0)
    npt.assert_allclose(n * octagon.area / (box[0] * box[1]), phi, rtol=1e-6)
    pos = np.asarray(frame.particles.position, float)
    assert pos.shape == (n, 3)
    npt.assert_array_equal(pos[:, 2], 0.0)
    assert np.all(np.abs(pos[:, :2]) <= box[0] / 2)
    q = np.asarray(frame.particles.orientation, float)
    npt.assert_allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-6)
    npt.assert_array_equal(q[:, 1:3], 0.0)  # rotations about z only
    assert frame.particles.type_shapes == [octagon.gsd_shape_spec]
    assert frame.particles.type_shapes[0]["type"] == "Polygon"
    assert len(frame.particles.type_shapes[0]["vertices"]) == octagon.num_vertices
    if n > 1:
        r, ti, tj = all_pairs(frame)
        assert not np.any(octagon.overlaps(r, ti, tj))
        # and it is a random start: some pairs are closer than a circumdiameter (no grid)
        assert np.min(np.hypot(r[:, 0], r[:, 1])) < 2 * octagon.circumradius


def test_random_monolayer_orientations_are_uniform_over_a_quarter_turn():
    frame = patchy_study.random_monolayer(OCTAGON, 900, 0.3, np.random.default_rng(5))
    theta = quaternion_to_angle(np.asarray(frame.particles.orientation, float))
    assert theta.min() >= -math.pi / 4 - 1e-6 and theta.max() < math.pi / 4 + 1e-6
    assert stats.kstest(theta, stats.uniform(-math.pi / 4, math.pi / 2).cdf).pvalue > 1e-3
    # 4-fold orientational order of uniform angles is ~ 1/sqrt(N) = 0.03.
    assert abs(np.mean(np.exp(4j * theta))) < 0.1


def test_random_monolayer_is_seeded():
    a = patchy_study.random_monolayer(OCTAGON, 50, 0.3, np.random.default_rng(1))
    b = patchy_study.random_monolayer(OCTAGON, 50, 0.3, np.random.default_rng(1))
    c = patchy_study.random_monolayer(OCTAGON, 50, 0.3, np.random.default_rng(2))
    npt.assert_array_equal(a.particles.position, b.particles.position)
    npt.assert_array_equal(a.particles.orientation, b.particles.orientation)
    assert not np.allclose(a.particles.position, c.particles.position)


def test_random_monolayer_round_trips_through_gsd(tmp_path):
    frame = patchy_study.random_monolayer(OCTAGON, 30, 0.3, np.random.default_rng(3))
    with gsd.hoomd.open(tmp_path / "start.gsd", "w") as traj:
        traj.append(frame)
    with gsd.hoomd.open(tmp_path / "start.gsd", "r") as traj:
        back = traj[0]
    npt.assert_array_equal(back.particles.position, frame.particles.position)
    npt.assert_array_equal(back.particles.orientation, frame.particles.orientation)
    assert back.particles.type_shapes == [OCTAGON.gsd_shape_spec]


def test_random_monolayer_has_no_square_positional_order():
    frame = patchy_study.random_monolayer(OCTAGON, 196, 0.3, np.random.default_rng(1))
    order = MonolayerOrder().compute(frame)
    assert order.global_psi4 < 0.3
    assert order.fractions["square"] < 0.2


@pytest.mark.parametrize("n", [0, -3, 2.5])
def test_random_monolayer_rejects_bad_n(n):
    with pytest.raises(ValueError, match="n must"):
        patchy_study.random_monolayer(OCTAGON, n, 0.3, np.random.default_rng(0))


@pytest.mark.parametrize("n, phi", [(100, 0.7), (100, 1.0), (101, 0.6), (10, -0.1)])
def test_random_monolayer_rejects_too_dense_or_negative_requests(n, phi):
    with np.errstate(invalid="ignore"), pytest.raises(ValueError, match="area_fraction"):
        patchy_study.random_monolayer(OCTAGON, n, phi, np.random.default_rng(0))


def test_random_monolayer_dense_limit():
    limit = patchy_study.MAX_RANDOM_AREA_FRACTION
    frame = patchy_study.random_monolayer(OCTAGON, 100, limit, np.random.default_rng(0))
    r, ti, tj = all_pairs(frame)
    assert not np.any(OCTAGON.overlaps(r, ti, tj))
    with pytest.raises(ValueError, match="area_fraction"):
        patchy_study.random_monolayer(OCTAGON, 100, 1.01 * limit, np.random.default_rng(0))


def test_random_monolayer_rejects_zero_area_fraction():
    with pytest.raises(ValueError, match="area_fraction"):
        patchy_study.random_monolayer(OCTAGON, 10, 0.0, np.random.default_rng(0))


# ---- bonds_per_particle --------------------------------------------------------------------


def test_pair_energies_behind_the_lattice_bond_counts():
    """The hand reasoning of the module docstring, pair by pair, with patch_energy."""
    head_on, diagonal, brick = [SPACING, 0.0], [SPACING, SPACING], [SPACING / 2, SPACING]
    for px in (*CPU_PATCHES, 1.0):
        u = patch_energy(SquarePatches(px, 1.0), OCTAGON, [head_on, diagonal, brick], 0.0, 0.0)
        assert u[0] == -1.0 and u[1] == 0.0
        assert u[2] == (-1.0 if px > 0.75 else 0.0)
    rot = math.radians(20.0)
    u = patch_energy(SquarePatches(0.9, 1.0), OCTAGON, [head_on, diagonal], rot, rot)
    npt.assert_array_equal(u, 0.0)
    assert OCTAGON.separation([head_on], rot, rot)[0] == pytest.approx(
        -(1 - SPACING * math.cos(rot)), abs=1e-12
    )


@pytest.mark.parametrize("px", [*CPU_PATCHES, 1.0])
def test_square_lattice_has_four_bonds_per_particle(px):
    pos, box = square_lattice(6)
    frame = make_frame(pos, 0.0, box)
    patches = SquarePatches(px, 4.0)
    assert patchy_study.bonds_per_particle(frame, OCTAGON, patches) == 4.0
    assert reference_bonds(frame, OCTAGON, patches) == 4.0


def test_square_lattice_bonds_do_not_depend_on_depth_translation_or_quarter_turns():
    pos, box = square_lattice(6, shift=(0.37, -0.81))  # straddles the periodic boundary
    for eps in (0.0, 8.0):
        frame = make_frame(pos, 0.0, box)
        assert patchy_study.bonds_per_particle(frame, OCTAGON, SquarePatches(0.5, eps)) == 4.0
    # Quarter turns permute the patches: any mix of 0, +-90, 180 degrees keeps 4 bonds.
    turns = np.random.default_rng(8).integers(-1, 3, len(pos)) * (math.pi / 2)
    frame = make_frame(pos, turns, box)
    assert patchy_study.bonds_per_particle(frame, OCTAGON, SquarePatches(0.5, 1.0)) == 4.0


@pytest.mark.parametrize("px, expected", [(0.9, 6.0), (0.8, 6.0), (0.7, 2.0), (0.3, 2.0)])
def test_brick_lattice_bonds_depend_on_patch_size(px, expected):
    pos, box = brick_lattice(6, 6)
    frame = make_frame(pos, 0.0, box)
    r, ti, tj = all_pairs(frame)
    assert not np.any(OCTAGON.overlaps(r, ti, tj))
    patches = SquarePatches(px, 4.0)
    assert reference_bonds(frame, OCTAGON, patches) == expected
    assert patchy_study.bonds_per_particle(frame, OCTAGON, patches) == expected


def test_random_dilute_monolayer_has_almost_no_bonds():
    frame = patchy_study.random_monolayer(OCTAGON, 196, 0.3, np.random.default_rng(4))
    patches = SquarePatches(0.9, 8.0)
    bonds = patchy_study.bonds_per_particle(frame, OCTAGON, patches)
    assert bonds == reference_bonds(frame, OCTAGON, patches)
    assert bonds < 0.1  # random sequential addition leaves a few facing pairs by chance


@pytest.mark.parametrize("px", [0.3, 0.9])
def test_rotating_the_particles_breaks_all_bonds(px):
    pos, box = square_lattice(6)
    patches = SquarePatches(px, 4.0)
    for theta in (math.radians(20.0), -math.radians(20.0)):
        frame = make_frame(pos, theta, box)
        assert patchy_study.bonds_per_particle(frame, OCTAGON, patches) == 0.0
        assert reference_bonds(frame, OCTAGON, patches) == 0.0
    # Checkerboard of +-10 degrees: neighbours misaligned by 20 > theta_max = 15 degrees.
    i, j = np.divmod(np.arange(len(pos)), 6)
    checker = np.where((i + j) % 2 == 0, 1.0, -1.0) * math.radians(10.0)
    frame = make_frame(pos, checker, box)
    assert patchy_study.bonds_per_particle(frame, OCTAGON, patches) == 0.0


# ---- order_history -------------------------------------------------------------------------


def _three_frame_trajectory(path, log):
    """Random monolayer -> noisy square lattice -> perfect square lattice (N = 100)."""
    rng = np.random.default_rng(21)
    start = patchy_study.random_monolayer(OCTAGON, 100, 0.3, rng)
    start.configuration.step = 0
    pos, box = square_lattice(10)
    noisy = make_frame(
        pos + rng.normal(0.0, 0.02, pos.shape),
        rng.normal(0.0, math.radians(3.0), len(pos)),
        box,
        step=1_000,
    )
    perfect = make_frame(pos, 0.0, box, step=2_000)
    with gsd.hoomd.open(path, "w") as traj:
        for k, frame in enumerate((start, noisy, perfect)):
            if log is not None and log[k] is not None:
                frame.log[patchy_study.LOG_EPSILON] = np.array([log[k]])
            traj.append(frame)
    return box


@pytest.fixture
def statepoint(cpu):
    return dict(next(sp for sp in cpu if sp["px_over_fx"] == 0.5 and sp["beta_epsilon"] == 4.0))


def test_order_history_follows_the_ordering(tmp_path, statepoint):
    path = tmp_path / "trajectory.gsd"
    box = _three_frame_trajectory(path, log=[0.5, 2.0, 4.0])
    h = patchy_study.order_history(path, statepoint)
    assert set(h) == {
        "sweep", "area_fraction", "epsilon", "psi4", "psi6", "square", "hexagonal",
        "disordered", "bonds", "orientational_order", "nn_distance",
    }  # fmt: skip
    assert all(v.shape == (3,) for v in h.values())
    npt.assert_array_equal(h["sweep"], [0, 1_000, 2_000])
    lattice_phi = 100 * OCTAGON.area / (box[0] * box[1])
    npt.assert_allclose(h["area_fraction"], [0.3, lattice_phi, lattice_phi], rtol=1e-6)
    npt.assert_allclose(h["epsilon"], [0.5, 2.0, 4.0], rtol=1e-12)
    # psi4 rises to 1, psi6 falls to 0; the perfect lattice is all square.
    assert h["psi4"][0] < h["psi4"][1] < h["psi4"][2]
    assert h["psi4"][2] == pytest.approx(1.0, abs=1e-6)
    assert h["psi6"][2] == pytest.approx(0.0, abs=1e-6)
    assert h["square"][2] == 1.0 and h["hexagonal"][2] == 0.0 and h["disordered"][2] == 0.0
    npt.assert_allclose(h["square"] + h["hexagonal"] + h["disordered"], 1.0, rtol=1e-12)
    # Bonds: none in the dilute start, most in the noisy lattice, exactly 4 at the end.
    assert h["bonds"][0] < 0.1
    assert 3.0 < h["bonds"][1] < 4.0
    assert h["bonds"][2] == 4.0
    # Orientations: uniform at the start, aligned at the end.
    assert abs(h["orientational_order"][0]) < 0.2
    assert h["orientational_order"][1] > 0.9
    assert h["orientational_order"][2] == pytest.approx(1.0, abs=1e-6)
    # Nearest neighbours: >= 2 R apart at the start, at the lattice spacing at the end.
    assert h["nn_distance"][0] >= 2 * OCTAGON.circumradius - POSITION_TOL
    assert h["nn_distance"][2] == pytest.approx(SPACING, abs=POSITION_TOL)


def test_order_history_epsilon_is_nan_when_not_logged(tmp_path, statepoint):
    path = tmp_path / "unlogged.gsd"
    _three_frame_trajectory(path, log=None)
    h = patchy_study.order_history(path, statepoint)
    assert np.all(np.isnan(h["epsilon"]))
    assert h["bonds"][2] == 4.0  # the rest does not need the log

    path = tmp_path / "partly.gsd"
    _three_frame_trajectory(path, log=[None, 1.5, 3.0])
    h = patchy_study.order_history(path, statepoint)
    assert np.isnan(h["epsilon"][0])
    npt.assert_allclose(h["epsilon"][1:], [1.5, 3.0], rtol=1e-12)


def test_order_history_bonds_follow_the_state_point_patch_size(tmp_path, cpu):
    # Same brick trajectory, two patch sizes: 6 bonds above Px/Fx = 0.75, 2 below.
    pos, box = brick_lattice(10, 10)
    path = tmp_path / "brick.gsd"
    with gsd.hoomd.open(path, "w") as traj:
        traj.append(make_frame(pos, 0.0, box, step=7))
    for px, expected in ((0.9, 6.0), (0.3, 2.0)):
        sp = dict(next(s for s in cpu if s["px_over_fx"] == px))
        h = patchy_study.order_history(path, sp)
        npt.assert_array_equal(h["sweep"], [7])
        npt.assert_array_equal(h["bonds"], [expected])
        # The brick lattice is pseudo-hexagonal for the classifier (monolayer docstring).
        assert h["hexagonal"][0] == 1.0


def test_reads_the_log_key_written_before_the_layout_move(tmp_path, statepoint):
    """Trajectories written while PatchAnneal lived in ``hoomd_rigidfield/hoomd/patchy.py`` parse."""
    pos, box = square_lattice(10)
    frame = make_frame(pos, 0.0, box, step=500)
    frame.log["hoomd_rigidfield/hoomd/patchy/PatchAnneal/epsilon"] = np.array([2.5])
    path = tmp_path / "trajectory.gsd"
    with gsd.hoomd.open(path, "w") as f:
        f.append(frame)
    np.testing.assert_array_equal(patchy_study.order_history(path, statepoint)["epsilon"], [2.5])


def test_reads_a_trajectory_written_by_the_pre_layout_code(statepoint):
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "data" / "pre_layout" / "patchy_trajectory.gsd"
    epsilon = patchy_study.order_history(path, statepoint)["epsilon"]
    assert np.all(np.isfinite(epsilon)) and epsilon[-1] == pytest.approx(2.0)
    assert np.all(np.diff(epsilon) >= 0)  # the anneal ramps the depth up


def test_from_statepoint_parses_once_into_the_run_arguments(statepoint):
    study = patchy_study.from_statepoint(statepoint)
    assert study.shape == patchy_study.shape(statepoint) and study.rule == patchy_study.rule(
        statepoint
    )
    args = study.run_arguments()
    assert args["checkpoint_period"] == 10 * statepoint["frame_sweeps"]
    assert args["anneal"].epsilon == args["patches"].epsilon == statepoint["beta_epsilon"]
    first, second = study.initial_frame(), study.initial_frame()
    assert first.particles.N == statepoint["n_particles"]
    np.testing.assert_array_equal(first.particles.position, second.particles.position)  # seeded
