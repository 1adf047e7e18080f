import math

import gsd.hoomd
import numpy as np
import pytest

from hoomd_rigidfield import Electrolyte, FieldSolver, TruncatedOctahedron
from hoomd_rigidfield.errors import OverlapError
from hoomd_rigidfield.fieldtheory.montecarlo import (
    FieldFreeEnergy,
    RotationalMonteCarlo,
    attempt_move,
    metropolis,
    move_generator,
    propose,
)
from hoomd_rigidfield.gsdfiles import mesh_volume_and_area
from hoomd_rigidfield.orientation import alignment_order_parameter, as_rotation_matrices


class DipoleFreeEnergy:
    """Toy model: F = -K sum_j (R_j)_zz, a dipole along body z in a field along lab z.

    Under the Haar measure c = (R)_zz is uniform on [-1, 1], so the Boltzmann distribution of c
    is exp(K c / kT) / Z and <c> = coth(x) - 1/x (Langevin function) with x = K/kT.
    """

    def __init__(self, n, K, box_length=10.0, fail_after=None):
        self.positions = np.zeros((n, 3))
        self.box_length = box_length
        self.shapes = [TruncatedOctahedron.from_size(2.0)] * n
        self.K = K
        self.n_evaluations = 0
        self.fail_after = fail_after

    def evaluate(self, quaternions, reject_above=None):
        self.n_evaluations += 1
        if self.fail_after is not None and self.n_evaluations > self.fail_after:
            raise KeyboardInterrupt("simulated kill")
        f = -self.K * float(as_rotation_matrices(quaternions)[:, 2, 2].sum())
        # a sure rejection (F known above the Metropolis threshold) is reported as None, as the
        # field model does; the Boltzmann tests below then check the kernel's threshold
        return None if reject_above is not None and f > reject_above else f

    def accept(self):
        pass

    def state(self):
        return {}

    def load_state(self, state):
        assert state == {}


def langevin(x):
    return 1.0 / math.tanh(x) - 1.0 / x


class TestMove:
    def test_deterministic_and_counter_based(self):
        a = propose(4, seed=5, step=17, max_rotation=0.2)
        b = propose(4, seed=5, step=17, max_rotation=0.2)
        assert a.index == b.index and a.uniform == b.uniform
        np.testing.assert_array_equal(a.rotation_vector, b.rotation_vector)
        c = propose(4, seed=5, step=18, max_rotation=0.2)
        d = propose(4, seed=5, step=17, max_rotation=0.2, instance=1)
        assert not np.array_equal(a.rotation_vector, c.rotation_vector)
        assert not np.array_equal(a.rotation_vector, d.rotation_vector)

    def test_proposal_statistics(self):
        moves = [propose(4, 1, t, 0.2) for t in range(20_000)]
        angles = np.array([np.linalg.norm(m.rotation_vector) for m in moves])
        # |w| of an isotropic Gaussian (chi, 3 dof): mean eps sqrt(8/pi) = 0.319 rad.
        assert angles.mean() == pytest.approx(0.2 * math.sqrt(8 / math.pi), rel=0.01)
        counts = np.bincount([m.index for m in moves], minlength=4)
        assert np.all(np.abs(counts - 5000) < 4 * math.sqrt(5000 * 0.75))
        w = np.array([m.rotation_vector for m in moves])
        np.testing.assert_allclose(w.mean(axis=0), 0.0, atol=4 * 0.2 / math.sqrt(len(w)))

    def test_trial_is_a_proper_rotation_of_one_nc(self, rng):
        q = np.tile([1.0, 0, 0, 0], (3, 1))
        move = propose(3, 2, 0, 0.2)
        trial = move.trial(q)
        r = as_rotation_matrices(trial)
        np.testing.assert_allclose(
            np.einsum("nji,njk->nik", r, r), np.eye(3)[None].repeat(3, 0), atol=1e-14
        )
        np.testing.assert_allclose(np.linalg.det(r), 1.0, atol=1e-14)
        others = [i for i in range(3) if i != move.index]
        np.testing.assert_array_equal(trial[others], q[others])
        angle = 2 * math.acos(min(1.0, abs(trial[move.index, 0])))
        assert angle == pytest.approx(np.linalg.norm(move.rotation_vector), abs=1e-12)

    def test_metropolis(self):
        assert metropolis(-5.0, 1.0, 0.999)
        assert metropolis(1.0, 1.0, math.exp(-1.0) - 1e-12)
        assert not metropolis(1.0, 1.0, math.exp(-1.0) + 1e-12)
        with pytest.raises(ValueError, match="finite"):
            metropolis(math.nan, 1.0, 0.5)

    @pytest.mark.parametrize(
        "kwargs,match",
        [
            ({"max_rotation": 0.0}, "max_rotation"),
            ({"max_rotation": 4.0}, "max_rotation"),
            ({"seed": -1}, "seed"),
            ({"n": 0}, "n must"),
        ],
    )
    def test_rejects_bad_input(self, kwargs, match):
        args = {"n": 2, "seed": 0, "step": 0, "max_rotation": 0.2} | kwargs
        with pytest.raises(ValueError, match=match):
            propose(**args)


class TestDetailedBalance:
    @pytest.mark.parametrize("x", [2.0, -1.0])
    def test_samples_the_boltzmann_distribution(self, x):
        model = DipoleFreeEnergy(1, K=x * 3.0)
        mc = RotationalMonteCarlo(model, kT=3.0, max_rotation=1.0, seed=11)
        mc.run(10_000, progress=False)
        c = -mc.history["free_energy"][500:] / model.K
        blocks = c[: len(c) // 40 * 40].reshape(40, -1).mean(axis=1)
        err = blocks.std(ddof=1) / math.sqrt(len(blocks))
        assert err < 0.02
        assert abs(c.mean() - langevin(x)) < 4 * err
        # Second moment: <c^2> = 1 - 2 <c> / x.
        assert (c**2).mean() == pytest.approx(1 - 2 * langevin(x) / x, abs=0.04)

    def test_zero_field_keeps_haar(self):
        mc = RotationalMonteCarlo(DipoleFreeEnergy(2, K=0.0), kT=1.0, max_rotation=1.0, seed=3)
        mc.run(200, progress=False)
        assert mc.acceptance_ratio == 1.0
        s = []
        for _ in range(600):
            mc.run(4, progress=False)
            s.extend(mc.order_parameter)
        assert np.mean(s) == pytest.approx(0.4946, abs=0.03)


class TestCheckpoint:
    def test_resume_after_kill_reproduces_the_chain(self, tmp_path):
        ref = RotationalMonteCarlo(
            DipoleFreeEnergy(3, K=2.0), kT=1.0, seed=4, tune_until=60, tune_period=20
        )
        ref.run(120, trajectory=tmp_path / "ref.gsd", trajectory_period=10, progress=False)

        ck, traj = tmp_path / "restart.gsd", tmp_path / "traj.gsd"
        killed = RotationalMonteCarlo(
            DipoleFreeEnergy(3, K=2.0, fail_after=1 + 77),
            kT=1.0,
            seed=4,
            tune_until=60,
            tune_period=20,
        )
        with pytest.raises(KeyboardInterrupt):
            killed.run(
                120,
                checkpoint=ck,
                checkpoint_period=25,
                trajectory=traj,
                trajectory_period=10,
                progress=False,
            )
        assert killed.step == 77
        resumed = RotationalMonteCarlo(
            DipoleFreeEnergy(3, K=2.0), kT=1.0, seed=4, tune_until=60, tune_period=20
        )
        resumed.restore(ck, trajectory=traj)
        assert resumed.step == 75
        resumed.run(
            120 - resumed.step, checkpoint=ck, trajectory=traj, trajectory_period=10, progress=False
        )

        for key, value in ref.history.items():
            np.testing.assert_array_equal(resumed.history[key], value)
        np.testing.assert_array_equal(resumed.orientations, ref.orientations)
        assert resumed.max_rotation == ref.max_rotation != 0.2
        assert resumed.acceptance_ratio == ref.acceptance_ratio
        with gsd.hoomd.open(traj) as a, gsd.hoomd.open(tmp_path / "ref.gsd") as b:
            assert [f.configuration.step for f in a] == list(range(0, 121, 10))
            for fa, fb in zip(a, b):
                np.testing.assert_array_equal(fa.particles.orientation, fb.particles.orientation)

    def test_checkpoint_of_another_chain_is_refused(self, tmp_path):
        mc = RotationalMonteCarlo(DipoleFreeEnergy(2, K=1.0), kT=1.0, seed=1)
        mc.run(3, checkpoint=tmp_path / "ck.gsd", progress=False)
        other = RotationalMonteCarlo(DipoleFreeEnergy(2, K=1.0), kT=1.0, seed=2)
        with pytest.raises(ValueError, match="another chain"):
            other.restore(tmp_path / "ck.gsd")

    def test_trajectory_frames_for_ovito(self, tmp_path):
        mc = RotationalMonteCarlo(DipoleFreeEnergy(2, K=1.0), kT=1.0, seed=1)
        mc.run(4, trajectory=tmp_path / "t.gsd", trajectory_period=2, progress=False)
        with gsd.hoomd.open(tmp_path / "t.gsd") as f:
            last = f[-1]
            assert len(f) == 3
            spec = last.particles.type_shapes[0]
            assert spec == mc.model.shapes[0].gsd_shape_spec and spec["type"] == "Mesh"
            volume, area = mesh_volume_and_area(spec["vertices"], spec["indices"])
            assert volume == pytest.approx(mc.model.shapes[0].volume, rel=1e-12)
            assert area == pytest.approx(mc.model.shapes[0].surface_area, rel=1e-12)
            np.testing.assert_allclose(
                last.log["particles/rigidfield/s"], alignment_order_parameter(mc.orientations)
            )
            assert last.log["rigidfield/free_energy"][0] == pytest.approx(mc.free_energy)


class TestAdaptiveStep:
    def test_tunes_only_during_equilibration(self):
        mc = RotationalMonteCarlo(
            DipoleFreeEnergy(1, K=20.0),
            kT=1.0,
            max_rotation=2.0,
            seed=9,
            tune_until=1000,
            tune_period=100,
            target_acceptance=0.4,
        )
        mc.run(1000, progress=False)
        tuned = mc.max_rotation
        assert tuned < 1.0  # strong field: large steps are rejected, so the step shrinks
        late = mc.history["accepted"][-300:].mean()
        assert 0.2 < late < 0.6
        mc.run(300, progress=False)
        assert mc.max_rotation == tuned

    def test_validation(self):
        model = DipoleFreeEnergy(1, K=1.0)
        for kwargs, match in [
            ({"kT": 0.0}, "kT"),
            ({"kT": 1.0, "tune_period": 0}, "tune_period"),
            ({"kT": 1.0, "target_acceptance": 1.0}, "target_acceptance"),
            ({"kT": 1.0, "orientations": [[2.0, 0, 0, 0]]}, "unit norm"),
        ]:
            with pytest.raises(ValueError, match=match):
                RotationalMonteCarlo(model, **kwargs)


class TestFieldFreeEnergy:
    @pytest.fixture
    def model(self):
        solver = FieldSolver(Electrolyte.from_alpha_gamma(3.0, 2.1), 48.0, 32)
        nc = TruncatedOctahedron.from_size(20.0)
        return FieldFreeEnergy(solver, nc, [[12.0, 12.0, 24.0], [36.0, 36.0, 24.0]])

    def test_chain_resumes_bitwise_with_the_warm_start_field(self, model, tmp_path):
        ref = RotationalMonteCarlo(model, kT=50.0, seed=2)
        ref.run(6, checkpoint=tmp_path / "a.gsd", checkpoint_period=3, progress=False)
        # One form-factor evaluation per NC at start, then one per step (a rejection costs none).
        assert model.solver.n_form_factor_evaluations == 2 + 6
        assert 0 < ref.history["accepted"].sum() <= 6

        solver = FieldSolver(Electrolyte.from_alpha_gamma(3.0, 2.1), 48.0, 32)
        fresh = FieldFreeEnergy(solver, model.shapes, model.positions)
        half = RotationalMonteCarlo(fresh, kT=50.0, seed=2)
        half.run(3, checkpoint=tmp_path / "b.gsd", progress=False)
        solver2 = FieldSolver(Electrolyte.from_alpha_gamma(3.0, 2.1), 48.0, 32)
        resumed = RotationalMonteCarlo(
            FieldFreeEnergy(solver2, model.shapes, model.positions), kT=50.0, seed=2
        )
        resumed.restore(tmp_path / "b.gsd").run(3, progress=False)
        np.testing.assert_array_equal(resumed.history["free_energy"], ref.history["free_energy"])
        np.testing.assert_array_equal(resumed.orientations, ref.orientations)

    def test_early_rejection_gives_the_chain_of_full_solves(self, model):
        """Stopping a trial's solve once F is provably above the Metropolis threshold is exact."""

        class FullSolves(FieldFreeEnergy):
            def evaluate(self, quaternions, reject_above=None):
                return super().evaluate(quaternions)

        solver = FieldSolver(Electrolyte.from_alpha_gamma(3.0, 2.1), 48.0, 32)
        # cold and with large turns the trials' Delta F (~10 kT) dwarfs kT: most are sure rejections
        full = RotationalMonteCarlo(
            FullSolves(solver, model.shapes, model.positions), kT=0.05, seed=3, max_rotation=3.0
        )
        early = RotationalMonteCarlo(model, kT=0.05, seed=3, max_rotation=3.0)
        pairs = {"full": 0, "early": 0}
        rejected_early = 0
        for _ in range(12):
            for name, mc in (("full", full), ("early", early)):
                mc.run(1, progress=False)
                pairs[name] += mc.model.solver.n_fft_pairs
            rejected_early += model.solver.rejected
        np.testing.assert_array_equal(early.history["accepted"], full.history["accepted"])
        np.testing.assert_allclose(
            early.history["free_energy"], full.history["free_energy"], rtol=1e-9
        )
        np.testing.assert_array_equal(early.orientations, full.orientations)
        assert rejected_early > 0 and pairs["early"] < pairs["full"]

    def test_free_energy_matches_a_cold_solve(self, model):
        mc = RotationalMonteCarlo(model, kT=50.0, seed=5)
        mc.run(3, progress=False)
        cold = FieldSolver(Electrolyte.from_alpha_gamma(3.0, 2.1), 48.0, 32, rtol=1e-10)
        cold.compute(model.shapes, model.positions, mc.orientations)
        assert mc.free_energy == pytest.approx(cold.free_energy, rel=1e-9)

    def test_overlapping_trial_is_rejected(self):
        solver = FieldSolver(Electrolyte.from_alpha_gamma(3.0, 2.1), 48.0, 32)
        nc = TruncatedOctahedron.from_size(20.0)
        # Face to face along x with a 0.5 A gap: turning either NC makes its edges collide.
        model = FieldFreeEnergy(solver, nc, [[10.0, 24.0, 24.0], [30.5, 24.0, 24.0]])
        q = np.tile([1.0, 0, 0, 0], (2, 1))
        f0 = model.evaluate(q)
        model.accept()
        move = propose(2, 0, 0, 0.2)
        big = type(move)(0, 0, np.array([0.0, 0.0, 0.5]), 0.0)
        with pytest.raises(OverlapError):
            model.evaluate(big.trial(q))
        accepted, out, f = attempt_move(model, q, f0, 1.0, big)
        assert not accepted and f == f0 and out is q

    def test_needs_a_solver_and_positions(self, model):
        with pytest.raises(TypeError):
            FieldFreeEnergy(object(), model.shapes, model.positions)
        with pytest.raises(ValueError, match="shapes"):
            FieldFreeEnergy(model.solver, model.shapes * 2, model.positions)
        with pytest.raises(ValueError, match="shape"):
            model.positions = np.zeros((3, 3))


def test_move_generator_validates():
    with pytest.raises(ValueError, match="step"):
        move_generator(0, -1)
