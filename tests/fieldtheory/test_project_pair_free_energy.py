import numpy as np
import signac

from tests.conftest import load_project_module

STUDY = "pair_free_energy"


def test_separations_grid_step_is_commensurate():
    project_mod = load_project_module(STUDY)
    sp = {"direction": [1, 1, 0], "r_min": 62.0, "r_max": 95.0, "r_step": "grid"}
    r = project_mod.separations(sp, 1.0)
    np.testing.assert_allclose(np.diff(r), np.sqrt(2.0) / 2.0)
    assert r[0] == 62.0 and r[-1] <= 95.0 < r[-1] + np.sqrt(2.0) / 2.0
    # every separation puts the second centre on one of two half-cell offsets
    offsets = np.round(np.mod(r / np.sqrt(2.0), 1.0), 9)
    assert len(set(offsets)) == 2
    r = project_mod.separations({**sp, "r_step": 1.5}, 1.0)
    np.testing.assert_allclose(r, np.arange(62.0, 95.0 + 1e-9, 1.5))


def test_local_minima_of_a_damped_cosine():
    project_mod = load_project_module(STUDY)
    r = np.arange(20.0, 60.0, 0.37)
    f = -np.exp(-(r - 20.0) / 5.0) * np.cos(2.0 * np.pi * (r - 25.0) / 9.0)
    minima = project_mod.local_minima(r, f)
    assert len(minima) == 2
    # minima of the damped cosine: tan(2 pi x / 9) = -9 / (10 pi), x = r - 25
    x0 = 9.0 / (2.0 * np.pi) * np.arctan(-9.0 / (10.0 * np.pi))
    np.testing.assert_allclose([m["r"] for m in minima], [25.0 + x0, 34.0 + x0], atol=0.02)
    assert minima[0]["delta_f"] <= minima[0]["delta_f_sample"] + 1e-12


def test_pair_study_runs_end_to_end(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    init = load_project_module(STUDY, "init")
    project_mod = load_project_module(STUDY)
    init.main(["--path", str(tmp_path)])
    project = signac.get_project(str(tmp_path))
    assert {job.sp["orientation"] for job in project} == {"aligned", "tilted"}
    for job in project:
        sp = dict(job.statepoint)
        assert sp["n_grid"] == 128 and sp["box_length"] == 200.0 and sp["r_step"] == "grid"
        job.remove()
        # small NCs (contact ~12.7 A; the steric repulsion reaches ~11 A beyond it), short decay
        # length and weak oscillation so that the first well and the tail fit a small box
        sp.update(
            size=12.0, box_length=56.0, n_grid=36, alpha=1.5, gamma=1.1, r_min=20.0, r_max=28.0
        )
        project.open_job(sp).init()
    flow_project = project_mod.Project.get_project(path=str(tmp_path))
    flow_project.run()
    docs = {}
    for job in flow_project:
        doc = job.doc
        docs[job.sp["orientation"]] = doc
        assert doc["computed"]
        data = np.load(job.fn(project_mod.RESULT))
        r, f = data["separations"], data["interaction"]
        assert len(r) == len(f) == doc["n_separations"] > 3
        assert r[0] == 20.0 > doc["contact_distance"]
        assert np.all(np.isfinite(f))
        np.testing.assert_allclose(f, data["free_energy"] - data["single_free_energies"])
        assert doc["n_single_solves"] <= 3  # grid-commensurate steps: few single solves
        assert doc["minima"], "no minimum of Delta F(r)"
        depth = doc["minima"][0]["delta_f"]
        assert depth < 0
        assert doc["contact_distance"] < doc["minima"][0]["r"] < r[-1]
        # the interaction decays: the tail is small next to the first well
        assert abs(doc["delta_f_at_r_max"]) < 0.3 * abs(depth)
        assert f[0] > 10 * abs(depth)  # still on the repulsive shoulder at r_min
    assert docs["aligned"]["contact_distance"] > docs["tilted"]["contact_distance"]
    png = list(tmp_path.glob("pair_free_energy_n36_s12.png"))
    csv = tmp_path / "pair_free_energy_n36_s12.csv"
    assert png and csv.is_file()
    rows = csv.read_text().splitlines()
    assert len(rows) == 1 + sum(d["n_separations"] for d in docs.values())
