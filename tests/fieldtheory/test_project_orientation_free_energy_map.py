import signac

from hoomd_rigidfield.fieldtheory.superlattice import PHASES
from tests.conftest import load_project_module


def test_coarse_map_runs_end_to_end(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    init = load_project_module("orientation_free_energy_map", "init")
    project_mod = load_project_module("orientation_free_energy_map")
    # Two points at opposite corners of the paper's range, small grid to stay fast.
    init.main(["--n-alpha", "2", "--n-gamma", "1", "--path", str(tmp_path)])
    project = signac.get_project(str(tmp_path))
    for job in project:
        sp = dict(job.statepoint)
        job.remove()
        sp.update(size=40.0, lattice_constant=64.0, n_grid=40, gamma=1.1)
        project.open_job(sp).init()
    flow_project = project_mod.Project.get_project(path=str(tmp_path))
    flow_project.run()
    docs = {job.sp["alpha"]: job.doc for job in flow_project}
    assert set(docs) == {1.8, 4.0}
    for doc in docs.values():
        assert set(doc["free_energy"]) == set(PHASES)
        assert doc["phase"] == min(doc["free_energy"], key=doc["free_energy"].get)
        assert doc["free_energy"]["edge-to-edge"] < 0
    # Longer decay length favours edge-to-edge over face-to-face (paper Fig. 4B trend).
    gap = {
        a: d["free_energy"]["edge-to-edge"] - d["free_energy"]["face-to-face"]
        for a, d in docs.items()
    }
    assert gap[4.0] < gap[1.8]
    assert list(tmp_path.glob("phase_map_*.png")) and list(tmp_path.glob("phase_map_*.csv"))
    # A job added later makes the figure and table stale: the next run redraws them with it.
    table = next(tmp_path.glob("phase_map_*.csv"))
    assert len(table.read_text().splitlines()) == 3
    sp = dict(next(iter(flow_project)).statepoint)
    sp["alpha"] = 3.0
    project.open_job(sp).init()
    flow_project = project_mod.Project.get_project(path=str(tmp_path))
    flow_project.run()
    rows = table.read_text().splitlines()
    assert len(rows) == 4 and [r.split(",")[0] for r in rows[1:]] == ["1.8", "3.0", "4.0"]
