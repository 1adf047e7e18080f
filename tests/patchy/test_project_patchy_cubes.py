import gsd.hoomd
import numpy as np
import pytest
import signac

from hoomd_rigidfield.patchy import study as patchy_study
from tests.conftest import load_project_module, run_study_without_hoomd

STUDY = "patchy_cubes"


def test_statepoints_of_the_variants():
    init = load_project_module(STUDY, "init")
    cpu = list(init.job_statepoints("cpu"))
    assert len(cpu) == 6 * 4
    # the runs the paper's claims rest on are in the grid
    grid = {(sp["px_over_fx"], sp["beta_epsilon"]) for sp in cpu}
    assert {(0.1, 6.0), (0.8, 6.0), (0.1, 2.0)} <= grid
    paper = list(init.job_statepoints("paper"))
    assert len(paper) == 2 * 9 * 6 and {sp["n_particles"] for sp in paper} == {2500}
    for sp in cpu + paper:
        octagon = patchy_study.shape(sp)
        assert sp["area_fraction"] < octagon.densest_packing_fraction
        assert octagon.facet_length == pytest.approx(0.7)  # t = 0.15: Fx = 0.7 L
    with pytest.raises(ValueError, match="variant"):
        list(init.job_statepoints("huge"))


def test_phase_rule():
    project = load_project_module(STUDY)
    assert project.phase_of({"square": 0.63, "hexagonal": 0.0, "disordered": 0.37}) == "square"
    # a brick-ordered gel: hexagonal strands and clusters around voids
    assert project.phase_of({"square": 0.0, "hexagonal": 0.28, "disordered": 0.72}) == "hexagonal"
    assert project.phase_of({"square": 0.02, "hexagonal": 0.09, "disordered": 0.89}) == (
        "disordered"
    )


def _tiny_project(tmp_path, init):
    init.main(["--path", str(tmp_path)])
    project = signac.get_project(str(tmp_path))
    for job in project:
        sp = dict(job.statepoint)
        job.remove()
        if (sp["px_over_fx"], sp["beta_epsilon"]) in ((0.1, 6.0), (0.8, 6.0)):
            sp.update(n_particles=49, anneal_sweeps=300, production_sweeps=600, frame_sweeps=150)
            project.open_job(sp).init()
    assert len(project) == 2
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
        box = frame.configuration.box
        area = patchy_study.shape(job.statepoint).area
        assert frame.particles.N * area / (box[0] * box[1]) == pytest.approx(
            patchy_study.INITIAL_AREA_FRACTION, rel=1e-6
        )
    done = run_study_without_hoomd(STUDY, tmp_path, "run", "-o", "simulate", "-n", "1")
    assert done.returncode != 0
    assert "HOOMD-blue" in done.stderr and "conda install" in done.stderr


def test_patchy_cubes_runs_end_to_end(tmp_path, monkeypatch, hoomd):
    import hoomd_rigidfield.patchy.hpmc as hp

    if not hp.component_available():
        pytest.skip("the square-patch component is not built (cmake, see README)")
    monkeypatch.chdir(tmp_path)
    init = load_project_module(STUDY, "init")
    project_mod = load_project_module(STUDY)
    _tiny_project(tmp_path, init)
    flow_project = project_mod.Project.get_project(path=str(tmp_path))
    flow_project.run()
    for job in flow_project:
        sp, doc = job.statepoint, job.doc
        assert doc["simulated"] and doc["performance"]["sweeps_per_second"] > 0
        h = np.load(job.fn("history.npz"))
        end = doc["compressed_at"] + sp["anneal_sweeps"] + sp["production_sweeps"]
        assert h["sweep"][-1] > end - sp["frame_sweeps"]
        assert h["area_fraction"][-1] == pytest.approx(sp["area_fraction"], rel=1e-6)
        assert h["epsilon"][-1] == sp["beta_epsilon"]
        np.testing.assert_allclose(h["square"] + h["hexagonal"] + h["disordered"], 1.0)
        assert doc["phase"] in ("square", "hexagonal", "disordered")
        assert doc["final"]["bonds"] > 0  # 6 kT patches bond
        assert job.isfile("snapshot.png")
    assert (tmp_path / "patchy_cubes_phi0.6_N49.png").is_file()
    rows = (tmp_path / "patchy_cubes_phi0.6_N49.csv").read_text().splitlines()
    assert len(rows) == 3 and rows[0].startswith("px_over_fx,beta_epsilon,phase")
