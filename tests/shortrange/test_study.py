import gsd.hoomd
import numpy as np
import pytest

from hoomd_rigidfield.shortrange import study

SP = dict(depth=3.5, lam=0.1, n=64, phi=0.1, dt=1e-3, gamma=1.0, time_tau=1.0, frame_tau=0.25,
          replica=3)  # fmt: skip


def test_from_statepoint():
    s = study.from_statepoint(SP)
    assert s.steps == 1000 and s.frame_period == 250
    assert s.well.depth == 3.5 and s.well.lam == 0.1
    args = s.run_arguments()
    assert args["seed"] == 3 and args["checkpoint_period"] == 2500 and args["gamma"] == 1.0
    with pytest.raises(ValueError, match="dt"):
        study.from_statepoint({**SP, "dt": 0.01})
    with pytest.raises(ValueError, match="phi"):
        study.from_statepoint({**SP, "phi": 0.5})
    with pytest.raises(ValueError, match="n must be an integer"):
        study.from_statepoint({**SP, "n": 1})


def test_initial_fluid_is_at_phi_without_overlaps(tmp_path):
    frame = study.initial_frame(SP)
    n, length = frame.particles.N, frame.configuration.box[0]
    assert n == 64 and 64 * np.pi / 6 / length**3 == pytest.approx(0.1)
    x = frame.particles.position.astype(float)
    d = x[:, None] - x[None]
    d -= length * np.round(d / length)
    r = np.linalg.norm(d, axis=-1)[np.triu_indices(n, 1)]
    assert r.min() >= study.MIN_DISTANCE - 1e-5
    study.write_initial(tmp_path / "init.gsd", frame)
    with gsd.hoomd.open(tmp_path / "init.gsd") as f:
        assert f[0].particles.N == 64
    np.testing.assert_array_equal(study.initial_frame(SP).particles.position, x.astype(np.float32))
    with pytest.raises(RuntimeError, match="could not insert"):
        study.random_fluid(100, 2.0, np.random.default_rng(0))


def test_quench_history_of_a_synthetic_trajectory(tmp_path):
    # frame 0: the fluid; frame 1: the same particles as an fcc crystal (images unwrap moves)
    import freud

    fluid = study.initial_frame({**SP, "n": 108})
    box, crystal = freud.data.UnitCell.fcc().generate_system(3, scale=1.03 * 2**0.5)
    path = tmp_path / "trajectory.gsd"
    with gsd.hoomd.open(path, "w") as f:
        for step, (b, x) in enumerate(((fluid.configuration.box, fluid.particles.position),
                                       ([box.Lx] * 3 + [0, 0, 0], crystal))):  # fmt: skip
            frame = gsd.hoomd.Frame()
            frame.configuration.step = 1000 * step
            frame.configuration.box = b
            frame.particles.N = 108
            frame.particles.position = np.asarray(x, np.float32)
            frame.particles.image = np.zeros((108, 3), np.int32)
            frame.log[study.LOG_POTENTIAL] = np.array([-1.0 * step])
            f.append(frame)
    h = study.quench_history(path, {**SP, "n": 108})
    np.testing.assert_allclose(h["time"], [0.0, 1.0])
    assert list(h["state"]) == ["fluid", "crystal"]
    assert h["crystalline_fraction"][1] == 1.0 and h["msd"][0] == 0.0
    assert np.isnan(h["diffusion"][0]) and h["diffusion"][1] > 0
    np.testing.assert_allclose(h["potential_energy"], [0.0, -1.0 / 108])


def test_unwrapped_positions_and_box_length():
    frame = gsd.hoomd.Frame()
    frame.configuration.box = [2, 3, 4, 0, 0, 0]
    frame.particles.N = 1
    frame.particles.position = np.zeros((1, 3), np.float32)
    frame.particles.image = np.array([[1, -1, 2]], np.int32)
    np.testing.assert_allclose(study.unwrapped_positions(frame), [[2, -3, 8]])
    assert study.box_length(500, 0.1) == pytest.approx((500 * np.pi / 0.6) ** (1 / 3))
    assert study.classifier(SP).lam == 0.1
