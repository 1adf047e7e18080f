import subprocess
import sys

import numpy as np
import pytest
import signac

from hoomd_rigidfield.fieldtheory.superlattice import classify_alignment
from tests.conftest import PROJECTS, load_project_module

STUDY = "fcc32"
STEPS = 6


def test_statepoints_of_the_variants():
    init = load_project_module(STUDY, "init")
    for variant, n_grid, steps in (("coarse", 120, 1000), ("paper", 240, 50000)):
        sps = list(init.job_statepoints(variant))
        assert sorted(sp["lam"] for sp in sps) == [500.0, 1000.0]
        for sp in sps:
            assert sp["n_grid"] == n_grid and sp["steps"] == steps
            assert sp["n_cells"] * sp["lattice_constant"] == 180.0
            # the smearing (sigma = 2 A) must be resolved: h <= sigma / 1.2
            assert 180.0 / sp["n_grid"] <= 2.0 / 1.2
            assert (sp["alpha"], sp["gamma"], sp["kT"]) == (3.0, 1.1, 50.0)


def test_fcc32_runs_end_to_end(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    init = load_project_module(STUDY, "init")
    project_mod = load_project_module(STUDY)
    init.main(["--path", str(tmp_path)])
    project = signac.get_project(str(tmp_path))
    assert len(project) == 2
    for job in project:
        sp = dict(job.statepoint)
        job.remove()
        # 32 small NCs (12 A) on 2 x 2 x 2 cells of a = 24 A, 32^3 grid (h = 1.5 A)
        sp.update(size=12.0, lattice_constant=24.0, n_grid=32, steps=STEPS, window=3)
        project.open_job(sp).init()
    flow_project = project_mod.Project.get_project(path=str(tmp_path))
    flow_project.run()
    histories = {}
    for job in flow_project:
        doc = job.doc
        assert doc["sampled"] and doc["steps_done"] == STEPS
        data = np.load(job.fn("history.npz"))
        histories[job.sp["lam"]] = data
        assert len(data["free_energy"]) == len(data["mean_s"]) == STEPS
        assert np.all((data["index"] >= 0) & (data["index"] < 32))
        assert 0.0 <= doc["mean_s"] <= 1.0
        assert doc["mean_s"] == pytest.approx(data["mean_s"][-3:].mean())
        assert doc["phase"] == str(classify_alignment(doc["mean_s"]))
        steps, s, free = project_mod.read_trajectory(job.fn("trajectory.gsd"))
        np.testing.assert_array_equal(steps, np.arange(STEPS + 1))
        assert s.shape == (STEPS + 1, 32) and np.all((s >= 0) & (s <= 1 + 1e-12))
        np.testing.assert_allclose(s[1:].mean(axis=1), data["mean_s"], rtol=1e-6)
        np.testing.assert_allclose(free[1:], data["free_energy"])
        assert free[0] == pytest.approx(doc["initial_free_energy"])
    # same seed: same proposals for both lambdas; the field penalty changes only F
    np.testing.assert_array_equal(histories[500.0]["index"], histories[1000.0]["index"])
    assert list(tmp_path.glob("fcc32_n32_t6.png"))
    rows = (tmp_path / "fcc32_n32_t6.csv").read_text().splitlines()
    assert len(rows) == 1 + 2 * (STEPS + 1) and rows[0].startswith("lam,step,F,mean_s,s_0")
    # the command-line interface sees the finished project
    status = subprocess.run(
        [sys.executable, str(PROJECTS / STUDY / "project.py"), "status", "-d"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert status.returncode == 0, status.stderr
    assert "sampled" in status.stdout and "analysed" in status.stdout
