"""The compiled square-patch component and the patchy-monolayer HPMC run (needs HOOMD-blue).

Skipped with a reason where HOOMD-blue, or the component built by the top-level CMakeLists.txt,
is missing.
"""

import gsd.hoomd
import numpy as np
import numpy.testing as npt
import pytest

from hoomd_rigidfield.gsdfiles import INITIAL, RESTART, TRAJECTORY
from hoomd_rigidfield.orientation import angle_to_quaternion
from hoomd_rigidfield.patchy import study as patchy_study
from hoomd_rigidfield.patchy.patches import SquarePatches, patch_energy
from hoomd_rigidfield.patchy.shape import TruncatedCube

pytestmark = pytest.mark.hoomd

COMPONENT_SKIP = (
    "the square-patch component is not built: cmake -B build -S . && cmake --build build && "
    "cmake --install build (against the HOOMD-blue on PYTHONPATH)"
)


@pytest.fixture(scope="module")
def hp(hoomd):
    import hoomd_rigidfield.patchy.hpmc as hp

    if not hp.component_available():
        pytest.skip(COMPONENT_SKIP)
    return hp


def test_log_keys_are_pinned(hoomd):
    """PatchAnneal keeps the namespace of the first files; SquarePatch logs under our own."""
    import hoomd_rigidfield.patchy.hpmc as hp
    from hoomd_rigidfield.patchy.anneal import LOG_EPSILON, AnnealSchedule

    logger = hoomd.logging.Logger(categories=["scalar"])
    logger.add(hp.PatchAnneal(None, AnnealSchedule(2.0, 10), None), quantities=["epsilon"])
    assert ["/".join(key) for key in logger] == [LOG_EPSILON]
    assert LOG_EPSILON == "hoomd_rigidfield/hoomd/patchy/PatchAnneal/epsilon"
    if hp.component_available():
        logger = hoomd.logging.Logger(categories=["scalar"])
        logger.add(
            hp.square_patch_potential(SquarePatches(0.5, 2.0), TruncatedCube()),
            quantities=["energy"],
        )
        assert ["/".join(key) for key in logger] == ["rigidfield_patchy/pair/SquarePatch/energy"]


def pair_simulation(hoomd, hp, octagon, patches):
    """Two particles in a large 2D box; positions and orientations are set per configuration."""
    snap = hoomd.Snapshot()
    snap.configuration.box = [20.0, 20.0, 0, 0, 0, 0]
    snap.particles.N = 2
    snap.particles.types = ["A"]
    sim = hoomd.Simulation(device=hoomd.device.CPU(), seed=1)
    sim.create_state_from_snapshot(snap)
    mc = hoomd.hpmc.integrate.ConvexPolygon(default_d=0, default_a=0)
    mc.shape["A"] = octagon.hpmc_shape
    potential = hp.square_patch_potential(patches, octagon)
    mc.pair_potentials = [potential]
    sim.operations.integrator = mc
    sim.run(0)
    return sim, potential


def random_pairs(rng, n, octagon, patches):
    """Pairs near contact (bonded, almost bonded and far), uniformly rotated: r_ij, theta_i, j."""
    theta_i = rng.uniform(-np.pi, np.pi, n)
    # facing configurations: j in front of a random patch of i, small misalignments
    k = rng.integers(0, 4, n)
    normal = theta_i + k * np.pi / 2
    dist = octagon.edge_length + rng.uniform(-0.02, 0.15, n)
    lateral = rng.uniform(-1.0, 1.0, n) * patches.patch_size(octagon) * 1.5
    r = np.column_stack(
        [
            dist * np.cos(normal) - lateral * np.sin(normal),
            dist * np.sin(normal) + lateral * np.cos(normal),
        ]
    )
    theta_j = theta_i + rng.integers(0, 4, n) * np.pi / 2 + rng.normal(0, 0.2, n)
    # a quarter of the pairs uniformly random within the cut-off
    m = n // 4
    radius = patches.r_cut(octagon) * np.sqrt(rng.uniform(0, 1, m))
    phi = rng.uniform(-np.pi, np.pi, m)
    r[:m] = np.column_stack([radius * np.cos(phi), radius * np.sin(phi)])
    theta_j[:m] = rng.uniform(-np.pi, np.pi, m)
    return r, theta_i, theta_j


@pytest.mark.parametrize("px_over_fx, mode", [(0.1, "step"), (0.8, "step"), (0.5, "overlap")])
def test_component_equals_reference(hoomd, hp, px_over_fx, mode):
    octagon = TruncatedCube(1.0, 0.15)
    patches = SquarePatches(px_over_fx, 3.7, mode=mode)
    sim, potential = pair_simulation(hoomd, hp, octagon, patches)
    rng = np.random.default_rng(int(px_over_fx * 100))
    n = 10_000
    r, ti, tj = random_pairs(rng, n, octagon, patches)
    expected = patch_energy(patches, octagon, r, ti, tj)
    assert np.count_nonzero(expected) > n // 10  # the sample probes bonded pairs
    got = np.empty(n)
    q_i, q_j = angle_to_quaternion(ti), angle_to_quaternion(tj)
    for m in range(n):
        with sim.state.cpu_local_snapshot as snap:
            snap.particles.position[0] = [0.0, 0.0, 0.0]
            snap.particles.position[1] = [r[m, 0], r[m, 1], 0.0]
            snap.particles.orientation[0] = q_i[m]
            snap.particles.orientation[1] = q_j[m]
        got[m] = potential.energy
    # Positions are stored in double precision: the same arithmetic, the same bonds.
    npt.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


def test_many_particle_energy_is_the_sum_over_pairs(hoomd, hp):
    """Cut-off and neighbour search: a dense bonded patch of a square lattice, random turns."""
    octagon = TruncatedCube(1.0, 0.15)
    patches = SquarePatches(0.6, 2.0)
    rng = np.random.default_rng(3)
    n_side, spacing = 6, 1.04
    grid = np.stack(np.meshgrid(np.arange(n_side), np.arange(n_side)), -1).reshape(-1, 2) + 0.5
    pos = grid * spacing - n_side * spacing / 2 + rng.normal(0, 0.01, (n_side**2, 2))
    theta = rng.normal(0, 0.08, n_side**2)
    snap = hoomd.Snapshot()
    side = n_side * spacing
    snap.configuration.box = [side, side, 0, 0, 0, 0]
    snap.particles.N = n_side**2
    snap.particles.types = ["A"]
    snap.particles.position[:, :2] = pos
    snap.particles.orientation[:] = angle_to_quaternion(theta)
    sim = hoomd.Simulation(device=hoomd.device.CPU(), seed=1)
    sim.create_state_from_snapshot(snap)
    mc = hoomd.hpmc.integrate.ConvexPolygon(default_d=0, default_a=0)
    mc.shape["A"] = octagon.hpmc_shape
    potential = hp.square_patch_potential(patches, octagon)
    mc.pair_potentials = [potential]
    sim.operations.integrator = mc
    sim.run(0)
    i, j = np.triu_indices(len(pos), 1)
    d = pos[j] - pos[i]
    d -= side * np.round(d / side)  # minimum image (the box is > 2 r_cut wide)
    total = patch_energy(patches, octagon, d, theta[i], theta[j]).sum()
    assert total < -2.0 * 30  # most of the 60 square-lattice bonds are formed
    assert potential.energy == pytest.approx(total, abs=1e-9)


def test_parameters_round_trip_and_validate(hoomd, hp):
    octagon = TruncatedCube(1.0, 0.15)
    patches = SquarePatches(0.3, 5.0)
    _sim, potential = pair_simulation(hoomd, hp, octagon, patches)
    params = potential.params[("A", "A")]
    for key, value in patches.absolute_parameters(octagon).items():
        assert params[key] == pytest.approx(value) if key != "mode" else params[key] == value
    with pytest.raises(Exception, match="mode"):
        potential.params[("A", "A")] = dict(params, mode="linear")


def small_run(hp, tmp_path, px, eps, name="run", stop_after=None, n=64, production=1500):
    sp = dict(t=0.15, px_over_fx=px, beta_epsilon=eps, anneal_sweeps=1000)
    octagon, patches, anneal = (
        patchy_study.shape(sp),
        patchy_study.rule(sp),
        patchy_study.anneal(sp),
    )
    run = hp.PatchyMonolayerRun(
        tmp_path / name, octagon, patches, 0.6, anneal, production, seed=2, frame_period=250,
        checkpoint_period=500,
    )  # fmt: skip
    if not run.path(INITIAL).exists():
        run.initialize(patchy_study.random_monolayer(octagon, n, 0.3, np.random.default_rng(4)))
    run.run(progress=False, stop_after=stop_after)
    return run, sp


def test_run_compresses_anneals_and_logs(hp, tmp_path):
    run, sp = small_run(hp, tmp_path, 0.5, 6.0)
    assert run.done and run.compressed_at is not None
    sim = run.simulation
    assert sim.operations.integrator.overlaps == 0
    h = patchy_study.order_history(run.path(TRAJECTORY), sp)
    # compression to the target, then the anneal of epsilon to 6 kT, then production at 6 kT
    assert h["area_fraction"][-1] == pytest.approx(0.6, rel=1e-6)
    after = h["sweep"] >= run.compressed_at + 1000
    assert np.all(h["epsilon"][after] == 6.0)
    during = (h["sweep"] > run.compressed_at) & ~after
    assert np.all(np.diff(h["epsilon"][during]) > 0)
    assert h["bonds"][-1] > h["bonds"][0]  # patches bond once they are switched on
    with gsd.hoomd.open(run.path(TRAJECTORY)) as f:
        spec = f[0].particles.type_shapes[0]
    assert spec["type"] == "Polygon" and len(spec["vertices"]) == 8
    # move sizes were tuned (towards 30 % acceptance at the depths of the anneal), then frozen
    # for production, where bonds at 6 kT lower the acceptance
    mc = sim.operations.integrator
    assert mc.d["A"] != 0.1 and mc.a["A"] != 0.1
    assert 0.02 < mc.translate_moves[0] / sum(mc.translate_moves) < 0.5


def test_killed_run_resumes(hp, tmp_path):
    first, _ = small_run(hp, tmp_path, 0.8, 6.0, name="k", stop_after=1700)
    stopped = first.simulation.timestep
    resumed, _ = small_run(hp, tmp_path, 0.8, 6.0, name="k")
    assert resumed.done and resumed.compressed_at == first.compressed_at
    assert resumed.simulation.timestep == first.compressed_at + 1000 + 1500 > stopped
    with gsd.hoomd.open(resumed.path(TRAJECTORY)) as f:
        steps = [int(fr.configuration.step) for fr in f]
    assert steps == sorted(set(steps))  # no duplicated frames
    assert resumed.simulation.timestep - 250 < steps[-1] <= resumed.simulation.timestep
    # initialize() starts over: nothing of the finished run is left to resume from
    with gsd.hoomd.open(resumed.path(INITIAL)) as f:
        resumed.initialize(f[0])
    assert not resumed.path(RESTART).exists() and not resumed.path(TRAJECTORY).exists()
    assert not resumed.done


def test_run_validates(hp, tmp_path):
    octagon, patches = TruncatedCube(1.0, 0.15), SquarePatches(0.5, 4.0)
    anneal = patchy_study.AnnealSchedule(4.0, 100)
    with pytest.raises(ValueError, match="densest packing"):
        hp.PatchyMonolayerRun(tmp_path, octagon, patches, 0.99, anneal, 10, seed=1)
    with pytest.raises(ValueError, match="anneal target"):
        hp.PatchyMonolayerRun(
            tmp_path, octagon, patches, 0.6, patchy_study.AnnealSchedule(2.0, 100), 10, seed=1
        )
