import numpy as np
import pytest
import rowan

from hoomd_rigidfield import (
    ConvergenceError,
    Electrolyte,
    FieldSolver,
    GridResolutionError,
    OverlapError,
    TruncatedOctahedron,
)
from hoomd_rigidfield.backend import BackendUnavailableError, cupy_available
from hoomd_rigidfield.fieldtheory.solver import TERMS
from tests.conftest import requires_gpu

BOX, NGRID = 48.0, 48  # h = 1 A
CENTRE = np.array([[24.0, 24.0, 24.0]])


@pytest.fixture(scope="module")
def solved():
    """One small NC at h = 1 A solved to rtol 1e-8 (shared by the read-only checks)."""
    el = Electrolyte.from_alpha_gamma(3.0, 2.1)
    nc = TruncatedOctahedron.from_size(20.0)
    solver = FieldSolver(el, BOX, NGRID, rtol=1e-8)
    solver.compute(nc, CENTRE + [0.3, -0.2, 0.1], rowan.normalize(np.array([0.9, 0.1, -0.3, 0.2])))
    return solver, nc


class TestFieldSolver:
    def test_grid_fields_integrate_to_area_and_volume(self, solved):
        solver, nc = solved
        h3 = solver.spacing**3
        assert h3 * solver.surface_density.sum() == pytest.approx(nc.surface_area, rel=1e-8)
        assert h3 * solver.indicator.sum() == pytest.approx(nc.volume, rel=1e-8)
        assert solver.indicator.max() == pytest.approx(1.0, abs=1e-3)
        assert solver.indicator.min() > -1e-6

    def test_virial_identity(self, solved):
        """H quadratic: harmonic + gradient + Coulomb + constraint = -interface/2 at the minimum."""
        t = solved[0].terms
        quadratic = t["harmonic"] + t["gradient"] + t["coulomb"] + t["constraint"]
        assert quadratic == pytest.approx(-t["interface"] / 2, rel=1e-6)
        assert set(t) == set(TERMS)
        assert solved[0].free_energy == pytest.approx(sum(t.values()))
        assert solved[0].free_energy < 0

    def test_free_energy_equals_half_source_overlap(self, solved):
        solver, _ = solved
        el = solver.electrolyte
        h3 = solver.spacing**3
        f_linear = 0.5 * el.b * h3 * np.sum(solver.surface_density * solver.field)
        assert solver.free_energy == pytest.approx(f_linear, rel=1e-7)

    def test_residual_and_operator(self, solved, rng):
        solver, _ = solved
        assert solver.relative_residual < 1e-8
        phi = solver.field
        assert abs(phi.mean()) < 1e-12 * np.abs(phi).max()  # neutral: k = 0 mode frozen
        x, y = rng.normal(size=(2, *phi.shape))
        x -= x.mean()
        y -= y.mean()
        ax, ay = solver.apply_operator(x), solver.apply_operator(y)
        assert np.vdot(x, ay) == pytest.approx(np.vdot(ax, y), rel=1e-12)  # symmetric
        # positive definite with the analytic bound D_min on the zero-mean subspace
        assert np.vdot(x, ax) >= solver.electrolyte.d_min * np.vdot(x, x)
        assert abs(ax.mean()) < 1e-10 * np.abs(ax).max()
        # the (default, penalty-scaled) preconditioner is symmetric positive definite
        mx, my = solver.apply_preconditioner(x), solver.apply_preconditioner(y)
        assert np.vdot(x, my) == pytest.approx(np.vdot(mx, y), rel=1e-10)
        assert np.vdot(x, mx) > 0 and abs(mx.mean()) < 1e-12 * np.abs(mx).max()

    def test_residual_by_hand(self, solved):
        solver, _ = solved
        el = solver.electrolyte
        s = solver.surface_density
        rhs = -el.b * (s - s.mean())
        res = np.linalg.norm(solver.apply_operator(solver.field) - rhs) / np.linalg.norm(rhs)
        assert res == pytest.approx(solver.relative_residual, rel=1e-6)
        assert res < 1e-8

    def test_penetration(self, solved):
        """FIELD_THEORY.md (g)7: charge inside the NC is 2-4 % of the maximum (lambda/a = 500)."""
        solver, _ = solved
        phi, eta = np.abs(solver.field), solver.indicator
        assert phi[eta > 0.99].max() / phi.max() < 0.04

    def test_free_energy_scales_as_b_squared(self, small_nc):
        f = [
            FieldSolver(Electrolyte.from_alpha_gamma(3.0, 2.1, b=b), BOX, 40, rtol=1e-9)
            .compute(small_nc, CENTRE)
            .free_energy
            for b in (100.0, 50.0)
        ]
        assert f[0] == pytest.approx(4 * f[1], rel=1e-7)

    def test_rotation_and_translation_invariance(self, electrolyte, small_nc, rng):
        """FIELD_THEORY.md (g)8 and 13: a single NC's F under rotation, sub-grid and lattice shifts.

        Reached here: relative spread < 1e-5 at h = 1 A (20 A NC, 48 A box, rtol 1e-8).
        """
        solver = FieldSolver(electrolyte, BOX, NGRID, rtol=1e-8)
        f = [solver.compute(small_nc, CENTRE).free_energy]
        for q in rowan.random.rand(3):
            shift = rng.uniform(-0.5, 0.5, size=3)
            f.append(solver.compute(small_nc, CENTRE + shift, q).free_energy)
        f = np.array(f)
        assert np.ptp(f) / abs(f.mean()) < 1e-5
        # a lattice translation is exact (the form factors are periodic)
        f_lattice = solver.compute(small_nc, CENTRE + [BOX, -BOX, 2 * BOX]).free_energy
        assert f_lattice == pytest.approx(f[0], rel=1e-9)

    def test_cache_and_warm_start(self, electrolyte, small_nc):
        pos = np.array([[12.0, 12.0, 12.0], [36.0, 36.0, 24.0]])
        solver = FieldSolver(electrolyte, BOX, 40, rtol=1e-9)
        solver.compute(small_nc, pos)
        assert solver.n_form_factor_evaluations == 2
        quats = np.array([[1.0, 0, 0, 0], rowan.from_axis_angle([0, 0, 1], 0.2)])
        warm = solver.compute(small_nc, pos, quats).free_energy
        assert solver.n_form_factor_evaluations == 3  # only the rotated NC re-evaluated
        cold = FieldSolver(electrolyte, BOX, 40, rtol=1e-9, warm_start=False)
        assert cold.compute(small_nc, pos, quats).free_energy == pytest.approx(warm, rel=1e-9)

    @pytest.mark.parametrize("preconditioner", ["shifted", "none"])
    def test_preconditioners_agree(self, electrolyte, small_nc, preconditioner):
        ref = FieldSolver(electrolyte, BOX, 40, rtol=1e-9).compute(small_nc, CENTRE)
        other = FieldSolver(electrolyte, BOX, 40, rtol=1e-9, preconditioner=preconditioner)
        other.compute(small_nc, CENTRE)
        assert other.free_energy == pytest.approx(ref.free_energy, rel=1e-9)
        assert other.n_iterations > 0

    @pytest.mark.parametrize(
        ("alpha", "gamma"), [(1.8, 1.1), (1.8, 3.0), (3.0, 2.1), (4.0, 1.1), (4.0, 4.0)]
    )
    def test_penalty_default_matches_the_chi_baseline(self, small_nc, alpha, gamma):
        """New default vs baseline over the paper's (alpha, gamma) range, corners included."""
        import warnings

        el = Electrolyte.from_alpha_gamma(alpha, gamma)
        pos = [[14.2, 14.0, 14.0], [34.0, 33.6, 30.0]]
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*under-resolved")
            base = FieldSolver(el, BOX, 40, preconditioner="chi").compute(small_nc, pos)
            new = FieldSolver(el, BOX, 40).compute(small_nc, pos)
        assert new.free_energy == pytest.approx(base.free_energy, rel=1e-6)
        scale = np.abs(base.field).max()
        np.testing.assert_allclose(new.field, base.field, atol=1e-4 * scale)
        assert new.relative_residual < 1e-6
        # the claim of the default: far fewer iterations, and fewer FFT pairs in all
        assert new.n_iterations * 2 <= base.n_iterations
        assert new.n_fft_pairs < base.n_fft_pairs

    def test_free_energy_bound_is_rigorous_and_ftol_stops_early(self, electrolyte, small_nc):
        """F is variational: 0 <= F(phi_k) - F* <= (h^3/2)|r|^2/D_min, so ftol may stop CG early."""
        pos = [[14.2, 14.0, 14.0], [34.0, 33.6, 30.0]]
        exact = FieldSolver(electrolyte, BOX, 40, rtol=1e-11).compute(small_nc, pos)
        assert exact.free_energy_error_bound < 1e-9
        for ftol in (10.0, 0.1, 1e-3):
            early = FieldSolver(electrolyte, BOX, 40, ftol=ftol).compute(small_nc, pos)
            excess = early.free_energy - exact.free_energy
            assert -1e-9 <= excess <= early.free_energy_error_bound <= ftol
            assert early.n_iterations < exact.n_iterations
        coarse = FieldSolver(electrolyte, BOX, 40, ftol=10.0).compute(small_nc, pos)
        assert coarse.n_iterations < early.n_iterations  # a looser bound stops sooner

    def test_reject_above_stops_once_f_is_provably_above(self, electrolyte, small_nc):
        pos = [[14.2, 14.0, 14.0], [34.0, 33.6, 30.0]]
        exact = FieldSolver(electrolyte, BOX, 40, rtol=1e-10).compute(small_nc, pos)
        f = exact.free_energy
        for margin in (50.0, 5.0, 0.5):
            trial = FieldSolver(electrolyte, BOX, 40).compute(
                small_nc, pos, reject_above=f - margin
            )
            assert trial.rejected and f - margin < trial.free_energy_lower_bound <= f
            assert trial.n_iterations < exact.n_iterations
            with pytest.raises(AttributeError, match="reject_above"):
                trial.free_energy
        kept = FieldSolver(electrolyte, BOX, 40).compute(small_nc, pos, reject_above=f + 1.0)
        assert not kept.rejected and kept.free_energy == pytest.approx(f, rel=1e-9)
        with pytest.raises(ValueError, match="reject_above"):
            kept.compute(small_nc, pos, reject_above=float("nan"))

    def test_fft_pairs_count_operator_and_non_diagonal_preconditioner(self, electrolyte, small_nc):
        fourier = FieldSolver(electrolyte, BOX, 40, preconditioner="chi").compute(small_nc, CENTRE)
        assert fourier.n_fft_pairs == fourier.n_iterations  # preconditioner is free there
        real = FieldSolver(electrolyte, BOX, 40).compute(small_nc, CENTRE)
        assert 2 * real.n_iterations <= real.n_fft_pairs <= 2 * real.n_iterations + 3

    @pytest.mark.parametrize("preconditioner", ["chi", "shifted"])
    def test_fourier_formulation_matches_real_baseline(self, electrolyte, small_nc, preconditioner):
        """Same Krylov iterates (Parseval): same F, field and iteration count as scipy's cg."""
        kwargs = {"rtol": 1e-8, "preconditioner": preconditioner}
        real = FieldSolver(electrolyte, BOX, 40, formulation="real", **kwargs)
        fourier = FieldSolver(electrolyte, BOX, 40, formulation="fourier", **kwargs)
        pos = [[14.2, 14.0, 14.0], [34.0, 33.6, 30.0]]
        real.compute(small_nc, pos)
        fourier.compute(small_nc, pos)
        assert fourier.free_energy == pytest.approx(real.free_energy, rel=1e-12)
        np.testing.assert_allclose(fourier.field, real.field, atol=1e-6 * np.abs(real.field).max())
        assert abs(fourier.n_iterations - real.n_iterations) <= 2
        assert fourier.relative_residual < 1e-8

    def test_shapes_per_nc(self, electrolyte):
        a, b = TruncatedOctahedron.from_size(16.0), TruncatedOctahedron.from_size(12.0)
        solver = FieldSolver(electrolyte, BOX, 40)
        f_ab = solver.compute([a, b], [[12, 12, 12], [36, 36, 36]]).free_energy
        f_ba = solver.compute([b, a], [[36, 36, 36], [12, 12, 12]]).free_energy
        assert f_ab == pytest.approx(f_ba, rel=1e-6)
        h3 = solver.spacing**3
        assert h3 * solver.indicator.sum() == pytest.approx(a.volume + b.volume, rel=1e-8)


class TestFieldSolverErrors:
    def test_overlap(self, electrolyte, small_nc):
        solver = FieldSolver(electrolyte, BOX, 40)
        with pytest.raises(OverlapError, match="overlap"):
            solver.compute(small_nc, [[10, 10, 10], [25, 10, 10]])
        with pytest.raises(OverlapError, match="overlap"):  # through the periodic boundary
            solver.compute(small_nc, [[2, 10, 10], [BOX - 10, 10, 10]])
        with pytest.raises(AttributeError, match="compute"):
            solver.free_energy

    def test_does_not_fit(self, electrolyte):
        solver = FieldSolver(electrolyte, 30.0, 24)
        with pytest.raises(OverlapError, match="does not fit"):
            solver.compute(TruncatedOctahedron.from_size(28.0), [[15, 15, 15]])

    def test_grid_too_coarse_for_smearing(self, electrolyte):
        with pytest.raises(GridResolutionError, match="smearing"):
            FieldSolver(electrolyte, 100.0, 48)  # h = 2.08 > sigma/1.2

    def test_grid_above_nyquist(self):
        el = Electrolyte.from_alpha_gamma(1.0, 4.0)  # wavelength 1.57 A
        with pytest.raises(GridResolutionError, match="Nyquist"):
            FieldSolver(el, 48.0, 48, sigma=3.0)
        with pytest.warns(UserWarning, match="under-resolved"):
            FieldSolver(el, 28.0, 40, sigma=3.0)  # 2.24 points per wavelength

    @pytest.mark.parametrize(
        ("formulation", "preconditioner"), [("real", "penalty"), ("fourier", "chi")]
    )
    def test_not_converged(self, electrolyte, small_nc, formulation, preconditioner):
        solver = FieldSolver(
            electrolyte, BOX, 40, maxiter=3, formulation=formulation, preconditioner=preconditioner
        )
        with pytest.raises(ConvergenceError, match="did not converge"):
            solver.compute(small_nc, CENTRE)
        with pytest.raises(AttributeError, match="compute"):  # no stale result after a failure
            solver.free_energy

    @pytest.mark.parametrize(
        "kwargs,match",
        [
            ({"sigma": 0.0}, "sigma"),
            ({"rtol": 1.0}, "rtol"),
            ({"maxiter": 0}, "maxiter"),
            ({"preconditioner": "ilu"}, "preconditioner"),
            ({"formulation": "wavelet"}, "formulation"),
            ({"formulation": "fourier"}, "diagonal in Fourier space"),
            ({"penalty_scale": 0.0}, "penalty_scale"),
            ({"penalty_scale": float("nan")}, "penalty_scale"),
            ({"ftol": 0.0}, "ftol"),
            ({"ftol": float("nan")}, "ftol"),
            ({"backend": "torch"}, "backend"),
        ],
    )
    def test_invalid_parameters(self, electrolyte, kwargs, match):
        with pytest.raises(ValueError, match=match):
            FieldSolver(electrolyte, BOX, 40, **kwargs)

    def test_invalid_grid_and_inputs(self, electrolyte, small_nc):
        with pytest.raises(ValueError, match="n_grid"):
            FieldSolver(electrolyte, BOX, 40.5)
        with pytest.raises(ValueError, match="box_length"):
            FieldSolver(electrolyte, -1.0, 40)
        with pytest.raises(TypeError, match="Electrolyte"):
            FieldSolver("water", BOX, 40)
        solver = FieldSolver(electrolyte, BOX, 40)
        with pytest.raises(ValueError, match="positions"):
            solver.compute(small_nc, [1.0, 2.0])
        with pytest.raises(ValueError, match="shapes"):
            solver.compute([small_nc], [[10, 10, 10], [30, 30, 30]])
        with pytest.raises(ValueError, match="unit norm"):
            solver.compute(small_nc, CENTRE, [1.0, 1.0, 0, 0])

    @pytest.mark.skipif(cupy_available(), reason="checks the error raised where CuPy is missing")
    def test_cupy_requested_without_gpu(self, electrolyte):
        with pytest.raises(BackendUnavailableError, match="CuPy"):
            FieldSolver(electrolyte, BOX, 40, backend="cupy")

    def test_repr(self, electrolyte):
        import hoomd_rigidfield  # noqa: F401 - used by eval

        solver = FieldSolver(electrolyte, BOX, 40, rtol=1e-7, preconditioner="shifted")
        assert repr(eval(repr(solver))) == repr(solver)


class TestTwoNanocrystals:
    def test_far_apart_independent_of_orientation(self, electrolyte, small_nc):
        """FIELD_THEORY.md (g)9: gap >= 10 alpha -> F_pair - F_1 - F_2 ~ 0 for any orientations.

        Tolerance 2e-5 |F_pair| at h ~ 1.6 A (sub-grid discretisation floor of the reference).
        """
        box, n = 112.0, 70  # h = 1.6 A
        solver = FieldSolver(electrolyte, box, n)
        pos = np.array([[28.0, 28.0, 28.0], [84.0, 84.0, 28.0]])  # 79 A apart, gap >= 56 A
        quats = rowan.random.rand(2)
        interactions = []
        for qb in (np.array([1.0, 0, 0, 0]), quats[0], quats[1]):
            f1 = solver.compute(small_nc, pos[:1]).free_energy
            f2 = solver.compute(small_nc, pos[1:], qb).free_energy
            f_pair = solver.compute(small_nc, pos, np.stack([[1.0, 0, 0, 0], qb])).free_energy
            interactions.append(f_pair - f1 - f2)
        assert np.max(np.abs(interactions)) < 2e-5 * abs(f_pair)


@requires_gpu
def test_cupy_matches_numpy(electrolyte, small_nc):
    import cupy

    pos = np.array([[14.0, 14.0, 14.0], [34.0, 34.0, 20.0]])
    cpu = FieldSolver(electrolyte, BOX, NGRID, rtol=1e-9).compute(small_nc, pos)
    gpu = FieldSolver(electrolyte, BOX, NGRID, rtol=1e-9, backend="cupy").compute(small_nc, pos)
    assert gpu.free_energy == pytest.approx(cpu.free_energy, rel=1e-9)
    np.testing.assert_allclose(
        cupy.asnumpy(gpu.field), cpu.field, atol=1e-7 * np.abs(cpu.field).max()
    )
    follow = FieldSolver(electrolyte, BOX, NGRID, rtol=1e-9).compute(small_nc, cupy.asarray(pos))
    assert type(follow.field).__module__.startswith("cupy")
