import numpy as np
import pytest
import signac

from hoomd_rigidfield.fieldtheory.montecarlo import FieldFreeEnergy
from hoomd_rigidfield.fieldtheory.study import run_fcc_chain
from hoomd_rigidfield.fieldtheory.superlattice import PHASES, classify_alignment
from tests.conftest import load_project_module

STUDY = "orientation_phase_diagram"
STEPS = 8


def _tiny_project(path, monkeypatch, points=((3.0, 1.1),)):
    """Coarse state points shrunk to 20 A NCs on a 48 A fcc cell, 32^3 grid, a few steps."""
    path.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(path)
    init = load_project_module(STUDY, "init")
    init.main(["--path", str(path)])
    project = signac.get_project(str(path))
    template = dict(next(iter(project)).statepoint)
    assert template["steps"] == 1500 and template["window"] == 500 and template["n_grid"] == 64
    assert sorted({job.sp["seed"] for job in project}) == [1, 2]  # two replicas per point
    for job in list(project):
        job.remove()
    for alpha, gamma in points:
        sp = {**template, "alpha": alpha, "gamma": gamma}
        sp.update(size=20.0, lattice_constant=48.0, n_grid=32, steps=STEPS, window=4)
        project.open_job(sp).init()
    return load_project_module(STUDY).Project.get_project(path=str(path))


def test_statepoints_of_the_variants():
    init = load_project_module(STUDY, "init")
    paper = list(init.job_statepoints("paper"))
    assert len(paper) == 144
    assert {sp["steps"] for sp in paper} == {40000} and {sp["window"] for sp in paper} == {10000}
    assert {sp["n_grid"] for sp in paper} == {120}
    assert min(sp["alpha"] for sp in paper) == 1.8 and max(sp["gamma"] for sp in paper) == 4.0
    assert {sp["kT"] / sp["b"] for sp in paper} == {0.5}  # b/kT = 2 A^-2
    assert len(list(init.job_statepoints("coarse", 2, 3))) == 12  # 2 x 3 points, 2 replicas
    coarse = list(init.job_statepoints("coarse"))
    assert [sp["seed"] for sp in coarse] == [1, 2] * 3
    assert len({(sp["alpha"], sp["gamma"]) for sp in coarse}) == 3
    assert len(list(init.job_statepoints("paper", 2, 2, 3))) == 12


def test_phase_diagram_runs_end_to_end(tmp_path, monkeypatch):
    # one point the 32^3 grid resolves, one whose oscillation it cannot represent
    flow_project = _tiny_project(tmp_path, monkeypatch, points=((3.0, 1.1), (1.8, 4.0)))
    flow_project.run()
    jobs = {job.sp["alpha"]: job for job in flow_project}
    bad = jobs[1.8]
    assert bad.doc["grid_error"] and not bad.doc["resolved"] and "s_phase" not in bad.doc
    job = jobs[3.0]
    doc = job.doc
    assert doc["sampled"] and doc["steps_done"] == STEPS and doc["resolved"]
    data = np.load(job.fn("history.npz"))
    assert len(data["mean_s"]) == len(data["free_energy"]) == STEPS
    np.testing.assert_array_equal(data["step"], np.arange(1, STEPS + 1))
    assert 0.0 <= doc["mean_s"] <= 1.0
    assert doc["mean_s"] == pytest.approx(data["mean_s"][-4:].mean())
    assert doc["s_phase"] == str(classify_alignment(doc["mean_s"]))
    energies = doc["representative_free_energy"]
    assert set(energies) == set(PHASES) and all(np.isfinite(list(energies.values())))
    assert doc["f_phase"] == min(energies, key=energies.get)
    assert doc["acceptance_ratio"] == pytest.approx(data["accepted"].mean())
    # Metropolis never accepts an uphill move that costs hundreds of kT
    assert np.all(np.diff(data["free_energy"]) < 10 * job.sp["kT"])
    assert job.isfile("trajectory.gsd") and job.isfile("checkpoint.gsd")
    assert list(tmp_path.glob("phase_diagram_n32_t8.png"))
    assert len((tmp_path / "phase_diagram_n32_t8.csv").read_text().splitlines()) == 3


def _history(job):
    data = np.load(job.fn("history.npz"))
    return {k: data[k] for k in data.files}


def _trajectory_steps(job):
    import gsd.hoomd

    with gsd.hoomd.open(job.fn("trajectory.gsd"), "r") as f:
        return [int(frame.configuration.step) for frame in f]


def test_sample_resumes_after_a_kill(tmp_path, monkeypatch):
    reference = _tiny_project(tmp_path / "reference", monkeypatch)
    reference.run(names=["sample"])
    (expected_job,) = reference
    expected = _history(expected_job)

    flow_project = _tiny_project(tmp_path / "killed", monkeypatch)
    (job,) = flow_project
    # a run stopped after a few steps (a walltime limit), then a run killed in the middle
    run_fcc_chain(job, frames=400, max_steps=3, progress=False)
    assert not job.doc.get("sampled")
    evaluate, calls = FieldFreeEnergy.evaluate, []

    def dying(self, quaternions, reject_above=None):
        calls.append(1)
        if len(calls) == 4:  # the initial solve, then the third step of this run
            raise KeyboardInterrupt("killed")
        return evaluate(self, quaternions, reject_above=reject_above)

    monkeypatch.setattr(FieldFreeEnergy, "evaluate", dying)
    with pytest.raises(BaseException, match="killed"):
        flow_project.run(names=["sample"])
    monkeypatch.setattr(FieldFreeEnergy, "evaluate", evaluate)
    assert not job.doc.get("sampled")
    flow_project.run(names=["sample"])
    assert job.doc["sampled"] and job.doc["steps_done"] == STEPS
    got = _history(job)
    for key in ("accepted", "index", "step"):
        np.testing.assert_array_equal(got[key], expected[key])
    for key in ("free_energy", "mean_s"):
        np.testing.assert_allclose(got[key], expected[key], rtol=1e-10)
    assert _trajectory_steps(job) == _trajectory_steps(expected_job) == list(range(STEPS + 1))
