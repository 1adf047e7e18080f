import gsd.hoomd
import numpy as np
import pytest
import signac

from hoomd_rigidfield.mie import study as mie_study
from tests.conftest import load_project_module, run_study_without_hoomd

STUDY = "binary_mie"


def test_statepoints_of_the_variants():
    init = load_project_module(STUDY, "init")
    cpu = list(init.job_statepoints("cpu"))
    seeded = [sp for sp in cpu if sp["protocol"] == "seeded"]
    assert {(sp["m"], sp["beta_epsilon"]) for sp in seeded} == {
        (25.0, 2.5), (25.0, 1.0), (6.0, 2.5), (0.0, 0.0)
    }  # fmt: skip
    assert len(seeded) == 12 and all(sp["phi_end"] == 0.5 for sp in seeded)
    paper = list(init.job_statepoints("paper"))
    bulk_12 = [sp for sp in paper if sp["ratio"] == [1, 2] and sp["geometry"] == "bulk"]
    # IPL + 2 wells x 5 depths, N = 27,000 (9,000 L + 18,000 S) each
    assert len(bulk_12) == 11
    weak = [sp for sp in paper if sp.get("epsilon_ss")]
    assert len(weak) == 1 and mie_study.mixture(weak[0])[0].pair("S", "S").epsilon == 0.5
    for sp in paper:
        mix, counts = mie_study.mixture(sp)
        if sp["ratio"] != [1, 0]:
            assert sum(counts.values()) in (27000, 26992)  # 1:13 -> 1928 + 25064
        if sp["m"] == 0:
            assert sp["beta_epsilon"] == 0 and mie_study.temperature(sp) == 1.0
        if sp["geometry"] == "droplet":
            assert sp["polydisperse"] and len(mix.types) == 26
            assert mie_study.run_options(sp)["thermostat"] == "langevin"
    one_13 = next(sp for sp in paper if sp["ratio"] == [1, 13] and sp["geometry"] == "bulk")
    assert mie_study.mixture(one_13)[1] == {"L": 1928, "S": 25064}
    with pytest.raises(ValueError, match="variant"):
        list(init.job_statepoints("huge"))


TINY = dict(
    n_large=48, equilibrate_tau=0.5, precompress_tau=1.0, ramp_tau=2.0, hold_tau=0.5,
    frame_tau=0.5, phi_start=0.35, phi_end=0.45,
)  # fmt: skip


def _tiny_project(tmp_path, init):
    init.main(["--path", str(tmp_path)])
    project = signac.get_project(str(tmp_path))
    keep = 0
    for job in project:
        sp = dict(job.statepoint)
        job.remove()
        # narrow and IPL bulk ramps (replica 1) and the droplet IPL run, shrunk to seconds (the
        # wide well's 3 sigma cut-off needs a box wider than these tiny systems)
        if sp["protocol"] != "ramp" or sp["replica"] != 1 or sp["m"] == 6.0:
            continue
        if sp["geometry"] == "droplet" and sp["m"] != 0:
            continue
        sp.update(TINY)
        project.open_job(sp).init()
        keep += 1
    assert keep == 3
    return project


def test_status_and_initialize_without_hoomd(tmp_path):
    init = load_project_module(STUDY, "init")
    _tiny_project(tmp_path, init)
    for args in (["status", "-d"], ["run", "-o", "initialize"]):
        done = run_study_without_hoomd(STUDY, tmp_path, *args)
        assert done.returncode == 0, done.stderr
    project = signac.get_project(str(tmp_path))
    for job in project:
        with gsd.hoomd.open(job.fn("init.gsd")) as f:
            frame = f[0]
        mix, counts = mie_study.mixture(job.statepoint)
        assert frame.particles.N == sum(counts.values())
        # the fluid is at phi_initial (BH volumes over the box, or the droplet)
        vp = mix.effective_particle_volume(counts, mie_study.temperature(job.statepoint))
        if job.sp["geometry"] == "bulk":
            assert vp / np.prod(frame.configuration.box[:3]) == pytest.approx(0.2, rel=1e-5)
    done = run_study_without_hoomd(STUDY, tmp_path, "run", "-o", "compress", "-n", "1")
    assert done.returncode != 0
    assert "HOOMD-blue" in done.stderr and "conda install" in done.stderr


def test_binary_mie_runs_end_to_end(tmp_path, monkeypatch, hoomd):
    monkeypatch.chdir(tmp_path)
    init = load_project_module(STUDY, "init")
    project_mod = load_project_module(STUDY)
    _tiny_project(tmp_path, init)
    flow_project = project_mod.Project.get_project(path=str(tmp_path))
    flow_project.run()
    for job in flow_project:
        sp, doc = job.statepoint, job.doc
        assert doc["compressed"] and doc["performance"]["particle_steps_per_second"] > 0
        schedule = mie_study.schedule(sp)
        h = np.load(job.fn("history.npz"))
        np.testing.assert_allclose(h["time"], np.arange(1, len(h["time"]) + 1) * 0.5)
        assert h["time"][-1] == pytest.approx(schedule.total_steps * sp["dt"])
        # phi_eff logged along the schedule, ending at phi_end
        assert h["phi"][-1] == pytest.approx(sp["phi_end"], rel=1e-6)
        assert np.all(np.diff(h["phi"]) >= -1e-12)
        fractions = np.stack([h[k] for k in ("fluid", "fcc", "AlB2", "NaZn13")])
        np.testing.assert_allclose(fractions.sum(axis=0), 1.0)
        np.testing.assert_allclose(h["crystalline_fraction"], 1.0 - h["fluid"])
        assert doc["final_crystalline_fraction"] == pytest.approx(h["crystalline_fraction"][-1])
        assert job.isfile("snapshot.png")
        assert "hoomd" in doc["versions"]
    figures = sorted(p.name for p in tmp_path.glob("binary_mie_*.png"))
    assert figures == ["binary_mie_ramp_bulk_1-2_N48.png", "binary_mie_ramp_droplet_1-2_N48.png"]
    rows = (tmp_path / "binary_mie_ramp_bulk_1-2_N48.csv").read_text().splitlines()
    assert len(rows) == 1 + 2 and rows[0].startswith("m,beta_epsilon,replica,final_phi")
