import gsd.hoomd
import numpy as np
import pytest
import signac

from tests.conftest import load_project_module, run_study_without_hoomd

STUDY = "short_range"
TINY = dict(n=64, time_tau=2.0, frame_tau=0.5)


def test_statepoints_of_the_variants():
    init = load_project_module(STUDY, "init")
    cpu = list(init.job_statepoints("cpu"))
    assert len(cpu) == 8 and all(sp["n"] == 500 and sp["phi"] == 0.1 for sp in cpu)
    assert {(sp["depth"], sp["lam"]) for sp in cpu} >= {(3.5, 0.1), (6.0, 0.1)}
    paper = list(init.job_statepoints("paper"))
    assert len(paper) == 7 * 5 * 2 and all(sp["n"] == 4000 for sp in paper)
    with pytest.raises(ValueError, match="variant"):
        list(init.job_statepoints("huge"))


def _tiny_project(tmp_path, init, points=((3.5, 0.1), (6.0, 0.1))):
    init.main(["--path", str(tmp_path)])
    project = signac.get_project(str(tmp_path))
    for job in project:
        sp = dict(job.statepoint)
        job.remove()
        if (sp["depth"], sp["lam"]) in points:
            sp.update(TINY)
            project.open_job(sp).init()
    assert len(project) == len(points)
    return project


def test_status_and_initialize_without_hoomd(tmp_path):
    init = load_project_module(STUDY, "init")
    _tiny_project(tmp_path, init)
    for args in (["status", "-d"], ["run", "-o", "initialize"]):
        done = run_study_without_hoomd(STUDY, tmp_path, *args)
        assert done.returncode == 0, done.stderr
    for job in signac.get_project(str(tmp_path)):
        with gsd.hoomd.open(job.fn("init.gsd")) as f:
            frame = f[0]
        assert frame.particles.N == 64
        assert 64 * np.pi / 6 / np.prod(frame.configuration.box[:3]) == pytest.approx(0.1, rel=1e-5)
    done = run_study_without_hoomd(STUDY, tmp_path, "run", "-o", "quench", "-n", "1")
    assert done.returncode != 0
    assert "HOOMD-blue" in done.stderr and "conda install" in done.stderr


def test_short_range_runs_end_to_end(tmp_path, monkeypatch, hoomd):
    monkeypatch.chdir(tmp_path)
    init = load_project_module(STUDY, "init")
    project_mod = load_project_module(STUDY)
    _tiny_project(tmp_path, init)
    flow_project = project_mod.Project.get_project(path=str(tmp_path))
    flow_project.run()
    for job in flow_project:
        doc = job.doc
        assert doc["quenched"] and doc["performance"]["particle_steps_per_second"] > 0
        assert doc["state"] in ("fluid", "crystal", "droplets", "gel")
        assert doc["predicted"] == ("crystal" if job.sp["depth"] == 3.5 else "gel")
        h = np.load(job.fn("history.npz"))
        np.testing.assert_allclose(h["time"], [0.5, 1.0, 1.5, 2.0])
        assert h["potential_energy"][-1] < 0  # the well is on
        assert job.isfile("snapshot.png") and "hoomd" in doc["versions"]
        with gsd.hoomd.open(job.fn("trajectory.gsd")) as f:
            assert len(f) == 4 and f[0].particles.N == 64
    assert (tmp_path / "short_range_map_N64_phi0.1.png").is_file()
    assert (tmp_path / "short_range_history_N64_phi0.1.png").is_file()
    rows = (tmp_path / "short_range_map_N64_phi0.1.csv").read_text().splitlines()
    assert len(rows) == 3 and rows[0].startswith("depth,lam,replica,time_tau,state,predicted")


def test_quench_run_resumes_after_a_stop(tmp_path, hoomd):
    from hoomd_rigidfield.shortrange import study
    from hoomd_rigidfield.shortrange.md import QuenchRun

    sp = dict(depth=3.0, lam=0.1, n=64, phi=0.1, dt=1e-3, gamma=1.0, time_tau=0.4,
              frame_tau=0.1, replica=2)  # fmt: skip
    s = study.from_statepoint(sp)
    study.write_initial(tmp_path / "init.gsd", study.initial_frame(sp))
    run = QuenchRun(tmp_path, **s.run_arguments())
    run.run(progress=False, stop_after=200)
    assert not run.done
    QuenchRun(tmp_path, **s.run_arguments()).run(progress=False)
    with gsd.hoomd.open(tmp_path / "trajectory.gsd") as f:
        steps = [int(fr.configuration.step) for fr in f]
    assert steps == [100, 200, 300, 400]
    # a longer run continues the finished one; a shorter one refuses its checkpoint
    longer = study.from_statepoint(dict(sp, time_tau=0.6)).run_arguments()
    QuenchRun(tmp_path, **longer).run(progress=False)
    with gsd.hoomd.open(tmp_path / "trajectory.gsd") as f:
        assert [int(fr.configuration.step) for fr in f] == [100, 200, 300, 400, 500, 600]
    with pytest.raises(ValueError, match="past the end of this run"):
        QuenchRun(tmp_path, **s.run_arguments()).run(progress=False)
    other = study.from_statepoint(dict(sp, depth=3.5)).run_arguments()
    with pytest.raises(ValueError, match="well"):
        QuenchRun(tmp_path, **other).run(progress=False)
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        QuenchRun(tmp_path, s.well, 0, seed=1)
