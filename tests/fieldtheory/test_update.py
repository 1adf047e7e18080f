"""The custom HOOMD updater (hoomd_rigidfield.fieldtheory.update.FieldRotation).

Tests that need HOOMD-blue are skipped with a reason where it is not installed. System: two
Archimedean truncated octahedra (2 h100 = 20 A) in a 48 A box, paper electrolyte (alpha = 3.0 A,
gamma = 2.1), kT = 1 (acceptance about 0.5), on a coarse 24^3 grid with sigma = 2.5 A (h = 2 A) so
that a move costs well under 0.1 s.
"""

import subprocess
import sys
import textwrap

import gsd.fl
import gsd.hoomd
import numpy as np
import numpy.testing as npt
import pytest

from hoomd_rigidfield import Electrolyte, FieldSolver, TruncatedOctahedron
from hoomd_rigidfield.fieldtheory.montecarlo import FieldFreeEnergy, RotationalMonteCarlo
from hoomd_rigidfield.fieldtheory.shapes import overlap
from hoomd_rigidfield.fieldtheory.superlattice import fcc_sites
from hoomd_rigidfield.gsdfiles import mesh_volume_and_area
from hoomd_rigidfield.orientation import (
    alignment_order_parameter,
    as_rotation_matrices,
    haar_quaternions,
)

pytestmark = pytest.mark.hoomd

BOX = 48.0  # [A]
N_GRID = 24
SIGMA = 2.5  # [A]; h = 2 A <= sigma / 1.2
KT = 1.0
SEED = 42
NC = TruncatedOctahedron.from_size(20.0)
#: Centres in the solver's frame (origin at a box corner) [A]; HOOMD frame = these - BOX / 2.
MODEL_POSITIONS = np.array([[12.0, 24.0, 24.0], [36.0, 24.0, 24.0]])


@pytest.fixture(scope="module")
def rf(hoomd):
    import hoomd_rigidfield.fieldtheory.update as rf

    return rf


def make_model(positions=MODEL_POSITIONS, box=BOX):
    solver = FieldSolver(Electrolyte.from_alpha_gamma(3.0, 2.1), box, N_GRID, sigma=SIGMA)
    return FieldFreeEnergy(solver, NC, positions)


def make_simulation(
    hoomd, positions, orientations, *, box=(BOX, BOX, BOX), types=("NC",), seed=SEED
):
    """A Simulation with particles at ``positions`` (HOOMD frame, centred box)."""
    snap = hoomd.Snapshot()
    snap.configuration.box = [*box, 0.0, 0.0, 0.0]
    snap.particles.N = len(positions)
    snap.particles.types = list(types)
    snap.particles.position[:] = positions
    snap.particles.orientation[:] = orientations
    sim = hoomd.Simulation(device=hoomd.device.CPU(), seed=seed)
    sim.create_state_from_snapshot(snap)
    return sim


def hoomd_orientations(sim):
    snap = sim.state.get_snapshot()
    return np.array(snap.particles.orientation, dtype=float)


def hoomd_positions(sim):
    snap = sim.state.get_snapshot()
    return np.array(snap.particles.position, dtype=float)


def initial_orientations(seed=7):
    return haar_quaternions(len(MODEL_POSITIONS), np.random.default_rng(seed))


@pytest.mark.parametrize(
    "module",
    [
        "hoomd_rigidfield.fieldtheory.update",
        "hoomd_rigidfield.mie.md",
        "hoomd_rigidfield.patchy.hpmc",
        "hoomd_rigidfield.runs",
    ],
)
def test_import_error_names_install_command(module):
    """Without HOOMD the package imports and each HOOMD-facing module says how to install HOOMD."""
    code = textwrap.dedent(
        f"""
        import sys
        sys.modules["hoomd"] = None  # makes `import hoomd` fail
        import hoomd_rigidfield
        try:
            import {module}
        except ImportError as err:
            print(err)
        else:
            raise SystemExit("no ImportError")
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.startswith(module.rsplit(".", 1)[0]) or module in out.stdout
    assert "HOOMD-blue" in out.stdout
    assert 'conda install -c conda-forge "hoomd=4.8"' in out.stdout
    assert "source" in out.stdout


class TestSameChainAsStandalone:
    def test_orientations_acceptance_and_free_energy_match(self, hoomd, rf):
        # The standalone driver fixes the initial orientations (it renormalises them).
        mc = RotationalMonteCarlo(make_model(), KT, seed=SEED, orientations=initial_orientations())
        initial = mc.orientations
        sim = make_simulation(hoomd, MODEL_POSITIONS - BOX / 2, initial)
        assert sim.timestep == 0
        updater = rf.FieldRotationUpdater(
            trigger=hoomd.trigger.Periodic(1), model=make_model(), kT=KT
        )
        sim.operations.updaters.append(updater)
        assert sim.operations.integrator is None  # HOOMD runs updaters without an integrator

        n_steps = 8
        accepted = []
        for step in range(n_steps):
            before = updater.rotate_moves if step else (0, 0)
            sim.run(1)
            mc.run(1, progress=False)
            # act() is called with the timestep before it advances: standalone step t.
            assert updater.last_move.step == step == sim.timestep - 1
            assert updater.last_move.index == mc.history["index"][-1]
            npt.assert_array_equal(hoomd_orientations(sim), mc.orientations)
            npt.assert_allclose(updater.free_energy, mc.free_energy, rtol=1e-12, atol=0)
            accepted.append(updater.rotate_moves[0] - before[0])
        npt.assert_array_equal(np.array(accepted, dtype=bool), mc.history["accepted"])
        assert 0 < sum(accepted) < n_steps, "the chain should both accept and reject"
        assert updater.rotate_moves == (sum(accepted), n_steps - sum(accepted))
        npt.assert_allclose(updater.acceptance_ratio, mc.acceptance_ratio)
        npt.assert_allclose(updater.mean_order_parameter, mc.mean_order_parameter, atol=1e-12)
        npt.assert_allclose(updater.order_parameter, mc.order_parameter, atol=1e-12)

    def test_particle_sorting_keeps_tags(self, hoomd, rf):
        """HOOMD stores particles in memory order (sorted along a space-filling curve); the
        updater maps them to tags, so the chain still matches the standalone one."""
        sites = fcc_sites(BOX)  # 4 nanocrystals, nearest distance 33.9 A
        quats = haar_quaternions(len(sites), np.random.default_rng(3))
        mc = RotationalMonteCarlo(make_model(sites), KT, seed=SEED, orientations=quats)
        sim = make_simulation(hoomd, sites - BOX / 2, mc.orientations)
        sim.operations.tuners[0].trigger = hoomd.trigger.Periodic(1)  # the ParticleSorter
        updater = rf.FieldRotationUpdater(trigger=1, model=make_model(sites), kT=KT)
        sim.operations.updaters.append(updater)
        permuted = False
        for _ in range(4):
            sim.run(1)
            mc.run(1, progress=False)
            with sim.state.cpu_local_snapshot as snap:
                permuted |= not np.array_equal(snap.particles.tag, np.arange(len(sites)))
            npt.assert_array_equal(hoomd_orientations(sim), mc.orientations)
            assert updater.free_energy == mc.free_energy
        assert permuted, "the sorter should have put the particles out of tag order"


def count_evaluations(model):
    """Wrap ``model.evaluate`` to count field solves."""
    calls = []
    evaluate = model.evaluate

    def counted(quaternions, reject_above=None):
        calls.append(np.array(quaternions))
        return evaluate(quaternions, reject_above=reject_above)

    model.evaluate = counted
    return calls


def trial_overlaps(move, orientations, hoomd_pos):
    """Whether the trial orientation of ``move`` makes the two nanocrystals overlap."""
    trial = move.trial(orientations)
    rots = as_rotation_matrices(trial)
    a, b = (NC.placed(r, p) for r, p in zip(rots, hoomd_pos))
    return overlap(a, b)


def test_single_precision_orientations_are_renormalised(hoomd, rf):
    """Orientations read from a GSD file (float32) are not unit to 1e-8: they are renormalised."""
    rounded = initial_orientations().astype(np.float32).astype(float)
    sim = make_simulation(hoomd, MODEL_POSITIONS - BOX / 2, rounded)
    updater = rf.FieldRotationUpdater(trigger=1, model=make_model(), kT=KT)
    sim.operations.updaters.append(updater)
    sim.run(1)
    q = hoomd_orientations(sim)
    npt.assert_allclose(np.linalg.norm(q, axis=1), 1.0, rtol=0, atol=1e-15)
    untouched = 1 - updater.last_move.index
    npt.assert_allclose(q[untouched], rounded[untouched], atol=1e-7)


class TestHPMC:
    def test_coexists_with_hpmc_translations(self, hoomd, rf):
        model = make_model()
        sim = make_simulation(hoomd, MODEL_POSITIONS - BOX / 2, initial_orientations())
        mc = hoomd.hpmc.integrate.ConvexPolyhedron(default_d=1.0, default_a=0.0)
        mc.shape["NC"] = dict(vertices=NC.vertices.tolist())
        sim.operations.integrator = mc
        updater = rf.FieldRotationUpdater(trigger=hoomd.trigger.Periodic(1), model=model, kT=KT)
        sim.operations.updaters.append(updater)
        start = hoomd_positions(sim)
        sim.run(10)
        assert mc.overlaps == 0
        assert mc.translate_moves[0] > 0
        assert not np.allclose(hoomd_positions(sim), start)
        assert updater.rotate_moves[0] > 0
        assert sum(updater.rotate_moves) == 10
        # The model followed the translations up to the last field move.
        assert not np.allclose(model.positions, MODEL_POSITIONS)

        # Without translations, the next move re-evaluates F at the final positions. (Setting
        # sim.operations.integrator = None after a run does not stop HOOMD 4.8.2's C++ loop from
        # calling the old integrator, so switch translations off instead.)
        mc.d["NC"] = 0.0
        sim.run(1)
        npt.assert_allclose(model.positions, hoomd_positions(sim) + BOX / 2, atol=1e-12)
        fresh = make_model(hoomd_positions(sim) + BOX / 2)
        npt.assert_allclose(updater.free_energy, fresh.evaluate(hoomd_orientations(sim)), rtol=1e-7)

    @pytest.mark.parametrize("integrator_veto", [True, False])
    def test_rotations_into_overlap_are_rejected(self, hoomd, rf, integrator_veto):
        """Two cubes' {100} faces 0.4 A apart: most rotations would overlap and are rejected,
        by HPMC's overlap count (no field solve) or else by the model's own overlap test."""
        hoomd_pos = np.array([[-10.2, 0.0, 0.0], [10.2, 0.0, 0.0]])
        identity = np.tile([1.0, 0.0, 0.0, 0.0], (2, 1))
        model = make_model(hoomd_pos + BOX / 2)
        calls = count_evaluations(model)
        sim = make_simulation(hoomd, hoomd_pos, identity)
        mc = hoomd.hpmc.integrate.ConvexPolyhedron(default_d=0.0, default_a=0.0)
        mc.shape["NC"] = dict(vertices=NC.vertices.tolist())
        sim.operations.integrator = mc
        action = rf.FieldRotation(model, KT, integrator_veto=integrator_veto)
        sim.operations.updaters.append(
            hoomd.update.CustomUpdater(trigger=hoomd.trigger.Periodic(1), action=action)
        )
        sim.run(0)
        assert mc.overlaps == 0
        action.free_energy  # the initial field solve
        assert len(calls) == 1
        n_overlapping = 0
        for _ in range(8):
            before = hoomd_orientations(sim)
            n_calls = len(calls)
            sim.run(1)
            assert mc.overlaps == 0
            if trial_overlaps(action.last_move, before, hoomd_pos):
                n_overlapping += 1
                assert not action.last_accepted
                npt.assert_array_equal(hoomd_orientations(sim), before)
                # The HPMC veto rejects without a field solve; otherwise the solver rejects.
                assert len(calls) - n_calls == (0 if integrator_veto else 1)
        assert n_overlapping >= 4, "the construction should propose overlapping rotations"


class TestLogging:
    def test_gsd_has_type_shapes_and_logged_quantities(self, hoomd, rf, tmp_path):
        sim = make_simulation(hoomd, MODEL_POSITIONS - BOX / 2, initial_orientations())
        updater = rf.FieldRotationUpdater(
            trigger=hoomd.trigger.Periodic(1), model=make_model(), kT=KT
        )
        sim.operations.updaters.append(updater)
        logger = hoomd.logging.Logger()
        logger.add(updater)
        path = tmp_path / "trajectory.gsd"
        writer = hoomd.write.GSD(
            trigger=hoomd.trigger.Periodic(1), filename=str(path), mode="wb", logger=logger
        )
        sim.operations.writers.append(writer)
        sim.run(3)
        writer.flush()

        namespace = "rigidfield/FieldRotation/"
        with gsd.fl.open(str(path), "r") as f:  # raw chunk names
            assert f.chunk_exists(frame=2, name="particles/type_shapes")
            assert f.chunk_exists(frame=2, name="log/" + namespace + "free_energy")
            assert f.chunk_exists(frame=2, name="log/particles/" + namespace + "order_parameter")
        with gsd.hoomd.open(path, "r") as f:  # gsd.hoomd drops the "log/" prefix
            assert len(f) == 3
            assert [int(frame.configuration.step) for frame in f] == [1, 2, 3]
            last = f[-1]
        assert last.particles.type_shapes == [NC.gsd_shape_spec]
        spec = last.particles.type_shapes[0]
        assert spec["type"] == "Mesh" and len(spec["indices"]) == 14  # truncated octahedron
        npt.assert_allclose(
            mesh_volume_and_area(spec["vertices"], spec["indices"]),
            (NC.volume, NC.surface_area),
            rtol=1e-12,
        )
        log = last.log
        assert log[namespace + "free_energy"][0] == updater.free_energy
        npt.assert_array_equal(log[namespace + "rotate_moves"], updater.rotate_moves)
        npt.assert_allclose(log[namespace + "acceptance_ratio"][0], updater.acceptance_ratio)
        npt.assert_allclose(log[namespace + "max_rotation"][0], 0.2)
        s = log["particles/" + namespace + "order_parameter"]
        npt.assert_allclose(s, updater.order_parameter, atol=1e-12)
        # GSD stores orientations in single precision.
        q = np.asarray(last.particles.orientation, dtype=float)
        q /= np.linalg.norm(q, axis=1, keepdims=True)
        npt.assert_allclose(s, alignment_order_parameter(q), atol=1e-5)
        npt.assert_allclose(log[namespace + "mean_order_parameter"][0], s.mean(), atol=1e-12)

    def test_loggables_before_attach_and_type_shapes_per_type(self, hoomd, rf):
        model = make_model()
        action = rf.FieldRotation(model, KT)
        assert action.rotate_moves == (0, 0)
        assert np.isnan(action.acceptance_ratio)
        with pytest.raises(hoomd.error.DataAccessError):
            action.free_energy
        # An unused type gets an undefined shape ({}), the used one the model's shape.
        sim = make_simulation(
            hoomd, MODEL_POSITIONS - BOX / 2, initial_orientations(), types=("ghost", "NC")
        )
        with sim.state.cpu_local_snapshot as snap:
            snap.particles.typeid[:] = 1
        sim.operations.updaters.append(
            hoomd.update.CustomUpdater(trigger=hoomd.trigger.Periodic(1), action=action)
        )
        sim.run(0)
        assert action.type_shapes == [{}, NC.gsd_shape_spec]
        # Before any move, F is evaluated from the state.
        reference = make_model().evaluate(hoomd_orientations(sim))
        npt.assert_allclose(action.free_energy, reference, rtol=1e-12)


class TestErrors:
    @pytest.mark.parametrize("kT", [0.0, -1.0, float("nan"), float("inf")])
    def test_bad_temperature(self, rf, kT):
        with pytest.raises(ValueError, match="kT must be positive"):
            rf.FieldRotation(make_model(), kT)

    @pytest.mark.parametrize("max_rotation", [0.0, -0.1, 4.0])
    def test_bad_max_rotation(self, rf, max_rotation):
        with pytest.raises(ValueError, match="max_rotation"):
            rf.FieldRotation(make_model(), KT, max_rotation=max_rotation)

    def test_bad_instance_and_model(self, rf):
        with pytest.raises(ValueError, match="instance"):
            rf.FieldRotation(make_model(), KT, instance=-1)
        with pytest.raises(TypeError, match="protocol"):
            rf.FieldRotation(object(), KT)

    def test_temperature_setter_through_updater_validates(self, hoomd, rf):
        updater = rf.FieldRotationUpdater(trigger=1, model=make_model(), kT=KT)
        updater.kT = 2.0
        assert updater.action.kT == 2.0
        with pytest.raises(ValueError, match="kT"):
            updater.kT = -1.0

    @pytest.mark.parametrize(
        ("box", "match"),
        [((50.0, 50.0, 50.0), "box_length"), ((48.0, 48.0, 60.0), "cubic")],
    )
    def test_box_mismatch(self, hoomd, rf, box, match):
        sim = make_simulation(hoomd, MODEL_POSITIONS - BOX / 2, initial_orientations(), box=box)
        updater = rf.FieldRotationUpdater(trigger=1, model=make_model(), kT=KT)
        sim.operations.updaters.append(updater)
        with pytest.raises(ValueError, match=match):
            sim.run(0)

    def test_particle_number_mismatch(self, hoomd, rf):
        sim = make_simulation(hoomd, [[-12.0, 0.0, 0.0]], initial_orientations()[:1])
        updater = rf.FieldRotationUpdater(trigger=1, model=make_model(), kT=KT)
        sim.operations.updaters.append(updater)
        with pytest.raises(ValueError, match="2 nanocrystals but the simulation has 1"):
            sim.run(0)

    def test_unset_seed_warns(self, hoomd, rf):
        sim = make_simulation(hoomd, MODEL_POSITIONS - BOX / 2, initial_orientations(), seed=None)
        assert sim.seed is None
        updater = rf.FieldRotationUpdater(trigger=1, model=make_model(), kT=KT)
        sim.operations.updaters.append(updater)
        with pytest.warns(RuntimeWarning, match="seed"):
            sim.run(0)
