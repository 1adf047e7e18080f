"""Bad inputs give clear errors, never a silent wrong number (issue 15).

Each case asserts the exception type and a phrase of its message. The checkpoint cases resume a
field-theory chain with another model; the others feed NaN, typos and out-of-range values to
public constructors and computes.
"""

import json
import math
import re

import gsd.hoomd
import numpy as np
import pytest

from hoomd_rigidfield import Electrolyte, FieldSolver, TruncatedOctahedron, __version__
from hoomd_rigidfield.analysis import lattices
from hoomd_rigidfield.analysis.classifier import BinaryCrystalClassifier
from hoomd_rigidfield.analysis.monolayer import MonolayerOrder
from hoomd_rigidfield.errors import ConvergenceError
from hoomd_rigidfield.fieldtheory import solver as solver_module
from hoomd_rigidfield.fieldtheory.montecarlo import FieldFreeEnergy, RotationalMonteCarlo, digest
from hoomd_rigidfield.fieldtheory.shapes import contact_distance
from hoomd_rigidfield.mie.potential import MieMixture
from hoomd_rigidfield.mie.study import frame_period, geometry, run_options
from hoomd_rigidfield.orientation import as_rotation_matrices
from hoomd_rigidfield.validation import (
    check_choice,
    check_finite_array,
    check_int,
    check_points,
    check_positive,
    check_probability,
    check_real,
)
from hoomd_rigidfield.workflow import count_or_default
from tests.conftest import load_project_module

POSITIONS = [[12.0, 12.0, 24.0], [36.0, 36.0, 24.0]]
NC = TruncatedOctahedron.from_size(20.0)


def chain(*, lam=500.0, alpha=3.0, box=48.0, n_grid=32, rtol=1e-6, seed=2, positions=POSITIONS):
    """A two-nanocrystal field-theory chain at step 0 (one solve)."""
    el = Electrolyte.from_alpha_gamma(alpha, 2.1, lam=lam)
    solver = FieldSolver(el, box, n_grid, rtol=rtol)
    return RotationalMonteCarlo(FieldFreeEnergy(solver, NC, positions), kT=50.0, seed=seed)


@pytest.fixture(scope="module")
def checkpoint(tmp_path_factory):
    """Checkpoint of the reference chain (lambda/a = 500) after two steps."""
    path = tmp_path_factory.mktemp("ck") / "checkpoint.gsd"
    chain().run(2, checkpoint=path, progress=False)
    return path


class TestCheckpointFingerprint:
    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"lam": 1000.0}, "electrolyte.lam (checkpoint 500.0, this run 1000.0)"),
            ({"alpha": 3.2}, "electrolyte.l_c"),
            ({"n_grid": 40}, "n_grid (checkpoint 32, this run 40)"),
            ({"box": 50.0}, "box_length (checkpoint 48.0, this run 50.0)"),
            ({"rtol": 1e-7}, "rtol"),
            ({"seed": 3}, "seed (checkpoint 2, this run 3)"),
            ({"positions": [[12.0, 12.0, 24.0], [36.0, 36.0, 25.0]]}, "positions"),
        ],
        ids=["lambda", "electrolyte", "grid", "box", "rtol", "seed", "positions"],
    )
    def test_other_model_is_refused(self, checkpoint, kwargs, field):
        with pytest.raises(ValueError, match="another chain or model") as err:
            chain(**kwargs).restore(checkpoint)
        assert field in str(err.value)
        assert f"Delete {checkpoint}" in str(err.value)

    def test_same_model_resumes(self, checkpoint):
        mc = chain().restore(checkpoint)
        assert mc.step == 2
        assert mc.fingerprint()["electrolyte.lam"] == 500.0

    def test_fingerprint_stored_with_version(self, checkpoint):
        with gsd.hoomd.open(checkpoint) as f:
            raw = f[-1].log["rigidfield/checkpoint/fingerprint"]
        record = json.loads(bytes(raw).decode())
        assert record["version"] == __version__
        assert record["fingerprint"]["n_grid"] == 32

    def _legacy(self, checkpoint, path):
        with gsd.hoomd.open(checkpoint) as f:
            frame = f[-1]
        del frame.log["rigidfield/checkpoint/fingerprint"]
        with gsd.hoomd.open(path, "w") as f:
            f.append(frame)
        return path

    def test_digest(self):
        a = np.arange(6.0)
        assert digest(a) == digest(a.tolist()) != digest(a.reshape(2, 3))
        assert len(digest(a)) == 16

    def test_legacy_checkpoint_resumes_with_a_warning(self, checkpoint, tmp_path):
        legacy = self._legacy(checkpoint, tmp_path / "old.gsd")
        with pytest.warns(UserWarning, match="no fingerprint"):
            assert chain().restore(legacy).step == 2

    def test_legacy_checkpoint_of_another_grid_is_refused_clearly(self, checkpoint, tmp_path):
        legacy = self._legacy(checkpoint, tmp_path / "old.gsd")
        with pytest.warns(UserWarning), pytest.raises(ValueError, match="another n_grid"):
            chain(n_grid=40).restore(legacy)

    def test_trajectory_is_not_a_checkpoint(self, tmp_path):
        mc = chain()
        mc.run(1, trajectory=tmp_path / "t.gsd", trajectory_period=1, progress=False)
        with pytest.raises(ValueError, match="not a RotationalMonteCarlo checkpoint"):
            chain().restore(tmp_path / "t.gsd")

    def test_empty_checkpoint(self, tmp_path):
        with gsd.hoomd.open(tmp_path / "empty.gsd", "w"):
            pass
        with pytest.raises(ValueError, match="has no frame"):
            chain().restore(tmp_path / "empty.gsd")

    def test_second_chain_is_not_appended_to_a_trajectory(self, tmp_path):
        traj = tmp_path / "t.gsd"
        chain().run(2, trajectory=traj, trajectory_period=1, progress=False)
        with pytest.raises(ValueError, match="mix two chains"):
            chain().run(2, trajectory=traj, trajectory_period=1, progress=False)
        with gsd.hoomd.open(traj) as f:
            assert [frame.configuration.step for frame in f] == [0, 1, 2]


@pytest.fixture(scope="module")
def solver():
    return FieldSolver(Electrolyte.from_alpha_gamma(3.0, 2.1), 48.0, 32)


def nan_matrix():
    m = np.eye(3)
    m[0, 0] = math.nan
    return m


class TestFieldSolverInputs:
    @pytest.mark.parametrize(
        ("kwargs", "phrase"),
        [
            ({"orientations": nan_matrix()}, "orientations must be finite"),
            ({"orientations": [math.nan, 0.0, 0.0, 0.0]}, "orientations must be finite"),
            ({"orientations": [[1.0, 0, 0, 0], [math.inf, 0, 0, 0]]}, "orientations must be"),
            ({"positions": [[math.nan, 0, 0], [24, 24, 24]]}, "positions must be finite"),
            ({"positions": [[0, 0], [1, 1]]}, "positions must have shape (N, 3)"),
            ({"positions": np.zeros((0, 3))}, "at least one nanocrystal"),
            ({"initial_field": np.full((32, 32, 32), math.nan)}, "initial_field must be finite"),
            ({"initial_field": np.zeros((16, 16, 16))}, "initial_field must have the grid shape"),
        ],
        ids=["nan-matrix", "nan-quaternion", "inf-quaternion", "nan-position", "positions-2d",
             "no-positions", "nan-initial-field", "initial-field-shape"],
    )  # fmt: skip
    def test_compute_refuses(self, solver, kwargs, phrase):
        args = {"positions": POSITIONS, **kwargs}
        with pytest.raises(ValueError, match=re.escape(phrase)):
            solver.compute(NC, args.pop("positions"), args.pop("orientations", None), **args)

    def test_far_positions_are_wrapped(self, solver):
        near = solver.compute(NC, POSITIONS).free_energy
        far = solver.compute(NC, np.asarray(POSITIONS) + 48.0 * 1e12).free_energy
        assert far == pytest.approx(near, abs=1e-8)

    @pytest.mark.parametrize(
        ("kwargs", "exc", "phrase"),
        [
            ({"n_grid": 4096}, ValueError, "GiB for the grid alone"),
            ({"n_grid": 4}, ValueError, r"n_grid must be an integer in \[8, inf\], got 4"),
            (
                {"box_length": math.nan},
                ValueError,
                r"box_length must be a finite number in \(0, inf\) A",
            ),
            ({"box_length": "48"}, ValueError, "got '48'"),
            ({"n_grid": None}, ValueError, "n_grid must be an integer in"),
            ({"maxiter": 0}, ValueError, "maxiter must be an integer in"),
            ({"sigma": -2.0}, ValueError, "sigma must be a finite number"),
            ({"rtol": 0.0}, ValueError, r"rtol must be a finite number in \(0, 1\)"),
            ({"preconditioner": "penalt"}, ValueError, "preconditioner must be one of"),
            ({"electrolyte": "salt"}, TypeError, "electrolyte must be an Electrolyte"),
        ],
        ids=[
            "huge-grid",
            "tiny-grid",
            "nan-box",
            "string-box",
            "none-grid",
            "zero-maxiter",
            "negative-sigma",
            "zero-rtol",
            "typo-preconditioner",
            "no-electrolyte",
        ],
    )
    def test_constructor_refuses(self, kwargs, exc, phrase):
        args = {"electrolyte": Electrolyte.from_alpha_gamma(3.0, 2.1), "box_length": 48.0}
        args["n_grid"] = 32
        args.update(kwargs)
        with pytest.raises(exc, match=phrase):
            FieldSolver(args.pop("electrolyte"), args.pop("box_length"), args.pop("n_grid"), **args)

    def test_memory_limit_from_environment(self, monkeypatch):
        monkeypatch.setenv(solver_module.MAX_GRID_MEMORY_ENV, "0.001")
        with pytest.raises(ValueError, match=r"above the limit of 0\.001 GiB"):
            FieldSolver(Electrolyte.from_alpha_gamma(3.0, 2.1), 48.0, 32)
        monkeypatch.delenv(solver_module.MAX_GRID_MEMORY_ENV)
        assert solver_module.max_grid_memory_gib() == solver_module.DEFAULT_MAX_GRID_GIB
        monkeypatch.setenv(solver_module.MAX_GRID_MEMORY_ENV, "lots")
        with pytest.raises(ValueError, match="HOOMD_RIGIDFIELD_MAX_GRID_GIB must be a finite"):
            solver_module.max_grid_memory_gib()

    def test_grid_memory_estimate(self):
        assert solver_module.grid_memory_bytes(64) == 8 * 64**3 * solver_module.GRID_ARRAYS
        assert solver_module.grid_memory_bytes(64, 2) - solver_module.grid_memory_bytes(64) == (
            8 * 64**3 * 4
        )

    @pytest.mark.parametrize("pcg", ["real", "fourier"])
    def test_cg_never_reports_nan_as_converged(self, solver, pcg):
        solver.compute(NC, POSITIONS)
        grid = solver.grid
        rhs = np.full(grid.shape, math.nan)
        with pytest.raises(ConvergenceError, match="non-finite residual"):
            if pcg == "real":
                solver_module._real_pcg(lambda x: x, lambda r: r, rhs.ravel(), None, 1e-6, 10)
            else:
                ones = np.ones_like(grid.k2)
                solver_module._fourier_pcg(grid, ones, np.zeros(grid.shape), ones, rhs, None,
                                           1e-6, 10)  # fmt: skip


class TestElectrolyteInputs:
    @pytest.mark.parametrize(
        ("kwargs", "phrase"),
        [
            ({"alpha": "3.0"}, r"alpha must be a finite number in \(0, inf\) A, got '3.0'"),
            ({"alpha": None}, "alpha must be a finite number"),
            ({"gamma": 1.0}, r"gamma must be a finite number in \(1, inf\), got 1.0"),
            ({"gamma": math.nan}, "gamma must be a finite number"),
            ({"lam": -1.0}, r"lam must be a finite number in \[0, inf\)"),
            ({"b": math.inf}, "b must be a finite number"),
        ],
        ids=["string-alpha", "none-alpha", "gamma-1", "nan-gamma", "negative-lam", "inf-b"],
    )
    def test_refuses(self, kwargs, phrase):
        args = {"alpha": 3.0, "gamma": 2.1, **kwargs}
        with pytest.raises(ValueError, match=phrase):
            Electrolyte.from_alpha_gamma(args.pop("alpha"), args.pop("gamma"), **args)


class TestMonteCarloInputs:
    @pytest.mark.parametrize(
        ("kwargs", "phrase"),
        [
            ({"orientations": [[math.nan, 0, 0, 0]] * 2}, "orientations must be finite"),
            ({"kT": math.nan}, "kT must be positive and finite"),
            ({"max_rotation": 4.0}, "max_rotation must lie in"),
            ({"seed": -1}, "seed must be a non-negative integer"),
        ],
        ids=["nan-orientations", "nan-kT", "huge-step", "negative-seed"],
    )
    def test_constructor_refuses(self, solver, kwargs, phrase):
        model = FieldFreeEnergy(solver, NC, POSITIONS)
        with pytest.raises(ValueError, match=phrase):
            RotationalMonteCarlo(model, **{"kT": 50.0, **kwargs})

    def test_model_refuses_nan_positions(self, solver):
        with pytest.raises(ValueError, match="positions must be finite"):
            FieldFreeEnergy(solver, NC, [[math.nan, 0.0, 0.0]])
        model = FieldFreeEnergy(solver, NC, POSITIONS)
        with pytest.raises(ValueError, match="positions must be finite"):
            model.positions = [[math.inf, 0.0, 0.0], [1.0, 2.0, 3.0]]


class TestContactDistance:
    @pytest.mark.parametrize(
        ("kwargs", "phrase"),
        [
            ({"tol": 0.0}, "tol must be a finite number in"),
            ({"tol": math.nan}, "tol must be a finite number in"),
            ({"tol": "1e-6"}, "tol must be a finite number in"),
            ({"direction": [0.0, 0.0, 0.0]}, "direction must be a non-zero vector"),
            ({"direction": [math.nan, 0.0, 1.0]}, "direction must be finite"),
            ({"direction": [1.0, 0.0]}, "direction must have shape"),
        ],
        ids=["zero-tol", "nan-tol", "string-tol", "zero-direction", "nan-direction", "2d"],
    )
    def test_refuses(self, kwargs, phrase):
        args = {"direction": [1.0, 0.0, 0.0], **kwargs}
        with pytest.raises(ValueError, match=phrase):
            contact_distance(NC, np.eye(3), NC, np.eye(3), **args)


class TestValidationHelpers:
    @pytest.mark.parametrize(
        ("call", "phrase"),
        [
            (lambda: check_real("radius", "2.0", 0), "radius must be a finite number in"),
            (lambda: check_real("radius", None, 0), "got None"),
            (lambda: check_real("radius", True, 0), "got True"),
            (lambda: check_real("radius", math.inf), r"\(-inf, inf\)"),
            (lambda: check_real("x", 1.0, 0, 1, high_open=True), r"\(0, 1\)"),
            (lambda: check_positive("kT", -1.0, "kT"), r"\(0, inf\) kT, got -1.0"),
            (lambda: check_probability("p", 1.0), "p must be a finite number in"),
            (lambda: check_int("n_alpha", 0, 1), r"n_alpha must be an integer in \[1, inf\]"),
            (lambda: check_int("n", 2.5), "got 2.5"),
            (lambda: check_int("n", np.bool_(True)), "got True"),
            (lambda: check_int("n", 7, 0, 5), r"\[0, 5\], got 7"),
            (lambda: check_choice("geometry", "droplett", ("bulk", "droplet")), "one of"),
            (lambda: check_finite_array("q", [[1.0, 2.0]], (None, 4)), r"shape \(N, 4\)"),
            (lambda: check_finite_array("q", ["a"]), "array of numbers"),
            (lambda: as_rotation_matrices(nan_matrix()), "orientations must be finite"),
        ],
    )
    def test_refuses(self, call, phrase):
        with pytest.raises(ValueError, match=phrase):
            call()

    def test_accepts_and_normalises(self):
        assert check_real("x", np.float32(0.5), 0, 1) == 0.5
        assert check_int("n", 3.0, 1) == 3 and isinstance(check_int("n", np.int64(3)), int)
        assert check_choice("g", "bulk", {"bulk"}) == "bulk"
        assert check_finite_array("p", [[1, 2, 3]], (None, 3)).dtype == float


class TestTyposAreNotDefaults:
    def test_geometry_typo(self):
        assert geometry({}) == "bulk"
        sp = {"protocol": "ramp", "geometry": "droplett", "replica": 0, "dt": 0.005}
        with pytest.raises(ValueError, match=r"geometry must be one of .*got 'droplett'"):
            run_options({**sp, "frame_tau": 1.0})

    @pytest.mark.parametrize(("dt", "phrase"), [(0.0, "dt must be"), ("0.005", "got '0.005'")])
    def test_mie_time_step(self, dt, phrase):
        with pytest.raises(ValueError, match=phrase):
            frame_period({"frame_tau": 1.0, "dt": dt})

    def test_count_or_default(self):
        assert count_or_default("n_alpha", None, 12) == 12
        assert count_or_default("n_alpha", 3, 12) == 3
        with pytest.raises(ValueError, match=r"n_alpha must be an integer in \[1, inf\], got 0"):
            count_or_default("n_alpha", 0, 12)

    @pytest.mark.parametrize("study", ["orientation_phase_diagram", "orientation_free_energy_map"])
    @pytest.mark.parametrize("option", ["n_alpha", "n_gamma"])
    def test_study_count_zero(self, study, option):
        init = load_project_module(study, "init")
        with pytest.raises(ValueError, match=f"{option} must be an integer"):
            list(init.job_statepoints("coarse", **{option: 0}))

    def test_study_cli_count_zero(self, tmp_path, capsys):
        init = load_project_module("orientation_phase_diagram", "init")
        with pytest.raises(SystemExit):
            init.main(["--n-alpha", "0", "--path", str(tmp_path)])
        assert "--n-alpha: must be a positive integer" in capsys.readouterr().err


def monolayer_frame():
    s = lattices.square(6)
    return s.box, s.positions.copy()


def fcc_frame():
    s = lattices.fcc(3)
    return s.box, s.positions.copy()


class TestDegenerateFrames:
    """Broken frames are refused before freud sees them (coincident points kill its Voronoi)."""

    @pytest.mark.parametrize(
        ("damage", "phrase"),
        [
            (lambda p: p.__setitem__((3, 0), math.nan), "points must be finite"),
            (lambda p: p.__setitem__(1, p[0]), "points 0 and 1 coincide|points 1 and 0 coincide"),
            (lambda p: p.__setitem__(slice(None), 0.0), "coincide"),
        ],
        ids=["nan", "coincident", "one-point"],
    )
    def test_monolayer(self, damage, phrase):
        box, points = monolayer_frame()
        damage(points)
        with pytest.raises(ValueError, match=phrase):
            MonolayerOrder().compute((box, points))

    @pytest.mark.parametrize(
        ("damage", "phrase"),
        [
            (lambda p: p.__setitem__((3, 0), math.inf), "points must be finite"),
            (lambda p: p.__setitem__(1, p[0]), "coincide"),
            (lambda p: p.__setitem__(slice(None), 0.0), "coincide"),
        ],
        ids=["inf", "coincident", "one-point"],
    )
    def test_crystal_classifier(self, damage, phrase):
        box, points = fcc_frame()
        damage(points)
        with pytest.raises(ValueError, match=phrase):
            BinaryCrystalClassifier().compute((box, points), np.ones(len(points), bool))

    def test_check_points_accepts_a_lattice(self):
        box, points = fcc_frame()
        np.testing.assert_array_equal(check_points(box, points), points)

    @pytest.mark.parametrize(
        ("counts", "volume", "phrase"),
        [
            ({"L": -1, "S": 2}, 100.0, r"counts\['L'\] must be an integer in \[0, inf\]"),
            ({"L": 1.5}, 100.0, "got 1.5"),
            ({"L": 10}, 0.0, "volume must be positive"),
            ({"L": 10}, [100.0, math.nan], "volume must be finite"),
        ],
        ids=["negative-count", "fractional-count", "zero-volume", "nan-volume"],
    )
    def test_volume_fraction(self, counts, volume, phrase):
        mix = MieMixture.binary()
        with pytest.raises(ValueError, match=phrase):
            mix.effective_volume_fraction(counts, volume, 1.0)


class TestFileReaders:
    def test_empty_hoomd_checkpoint(self, tmp_path):
        pytest.importorskip("hoomd")
        from hoomd_rigidfield.runs import read_checkpoint_extra  # imports HOOMD-blue

        with gsd.hoomd.open(tmp_path / "restart.gsd", "w"):
            pass
        with pytest.raises(ValueError, match="has no frame: delete it"):
            read_checkpoint_extra(tmp_path / "restart.gsd")

    def test_missing_checkpoint(self, tmp_path):
        with pytest.raises(FileNotFoundError):
            chain().restore(tmp_path / "missing.gsd")


def _mie_history(path):
    from hoomd_rigidfield.mie.study import crystallisation_history

    sp = {"ratio": [1, 2], "dt": 0.001, "m": 25, "kT": 0.4, "geometry": "bulk"}
    return crystallisation_history(path, sp)


def _patchy_history(path):
    from hoomd_rigidfield.patchy.study import order_history

    return order_history(path, {"t": 0.15, "px_over_fx": 0.5, "beta_epsilon": 6.0})


def _quench_history(path):
    from hoomd_rigidfield.shortrange.study import quench_history

    return quench_history(path, {"dt": 0.001, "depth": 3.0, "lam": 0.15, "n": 64, "phi": 0.1})


def _render(path):
    from hoomd_rigidfield.rendering import render_frame

    return render_frame(path, path.with_suffix(".png"), backend="matplotlib")


READERS = {
    "mie": _mie_history,
    "patchy": _patchy_history,
    "quench": _quench_history,
    "render": _render,
}


def _bad_file(kind, tmp_path):
    path = tmp_path / f"{kind}.gsd"
    if kind == "missing":
        return path
    if kind == "foreign":
        path.write_text("time,phi\n0,0.2\n")  # a CSV named .gsd
        return path
    frame = gsd.hoomd.Frame()
    frame.particles.N = 4
    frame.particles.types = ["L", "S"]
    frame.particles.position = np.random.default_rng(0).uniform(-2, 2, (4, 3)).astype(np.float32)
    frame.configuration.box = [6, 6, 6, 0, 0, 0]
    with gsd.hoomd.open(path, "w") as f:
        if kind != "empty":
            f.append(frame)
            f.append(frame)
    if kind == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    return path


class TestTrajectoryReaders:
    """Every trajectory reader of a study: missing, foreign, truncated and empty files."""

    @pytest.mark.parametrize("reader", sorted(READERS))
    @pytest.mark.parametrize(
        ("kind", "error", "phrase"),
        [
            ("missing", FileNotFoundError, "does not exist"),
            ("foreign", ValueError, "cannot be read: Not a GSD file"),
            ("truncated", ValueError, "cannot be read: Corrupt GSD file"),
            ("empty", ValueError, "has no frames"),
        ],
    )
    def test_bad_file(self, tmp_path, reader, kind, error, phrase):
        with pytest.raises(error, match=phrase):
            READERS[reader](_bad_file(kind, tmp_path))

    def test_another_studys_trajectory_is_not_a_mie_trajectory(self, tmp_path):
        patchy = "tests/data/pre_layout/patchy_trajectory.gsd"
        with pytest.raises(
            ValueError, match=r"is not a Mie trajectory: its log has no hoomd_rigidfield/hoomd/mie/"
        ):
            _mie_history(patchy)
        with pytest.raises(ValueError, match=r"is not a Mie trajectory.*init.gsd\?"):
            _mie_history(_bad_file("init", tmp_path))  # a frame without the run's log
