"""The binary Mie phase-diagram study (projects/mie_phase_diagram): state points, branches,
coexistence and figure on synthetic documents, and a tiny end-to-end run with HOOMD-blue."""

import numpy as np
import pytest
import signac

from hoomd_rigidfield.freeenergy import phases
from hoomd_rigidfield.freeenergy.fluid import second_virial
from hoomd_rigidfield.freeenergy.study import phase_statepoint, relaxed_c_over_a
from tests.conftest import load_project_module, run_study_without_hoomd

STUDY = "mie_phase_diagram"
X = (1 / 3, 2 / 3)


def test_statepoints_of_the_variants():
    init = load_project_module(STUDY, "init")
    cpu = list(init.job_statepoints("cpu"))
    assert {(sp["well"], sp["depth"]) for sp in cpu} == {
        ("narrow", 1.0), ("narrow", 2.0), ("narrow", 2.5), ("wide", 1.0), ("wide", 1.8),
        ("wide", 2.0), ("wide", 2.2)}  # fmt: skip
    for sp in cpu:
        phase_statepoint(sp)
        n = 3 * sp["n_cells"] ** 3
        assert n == (192 if sp["well"] == "narrow" else 375)
        assert (sp["reference_depth"] is not None) == (sp["well"] == "wide" and sp["depth"] > 1.5)
    paper = list(init.job_statepoints("paper"))
    assert all(3 * sp["n_cells"] ** 3 >= 2000 for sp in paper) and len(paper) > len(cpu)
    assert {sp["cutoff"] for sp in paper if sp["well"] == "wide"} == {3.0}
    with pytest.raises(ValueError, match="variant"):
        list(init.job_statepoints("huge"))


def test_bad_statepoints_are_refused():
    init = load_project_module(STUDY, "init")
    sp = next(init.job_statepoints("cpu"))
    for change, match in (
        ({"n_cells": 0}, "n_cells"),
        ({"n_nodes": 1}, "n_nodes"),
        ({"steps": -5}, "steps"),
        ({"fluid_densities": [0.5, 0.1]}, "increase"),
        ({"solid_density0": 9.0}, "solid_density0"),
        ({"liquid_densities": [1.5, 2.0]}, "reference_depth"),
        ({"reference_depth": 3.0, "liquid_densities": [1.5, 2.0]}, "below depth"),
        ({"depth": -1.0}, "depth"),
    ):
        with pytest.raises(ValueError, match=match):
            phase_statepoint({**sp, **change})
    with pytest.raises(ValueError, match="lacks"):
        phase_statepoint({k: v for k, v in sp.items() if k != "dt"})


def test_init_script_refuses_a_bad_variant(tmp_path):
    init = load_project_module(STUDY, "init")
    with pytest.raises(SystemExit):
        init.main(["--variant", "huge", "--path", str(tmp_path)])


def test_mixture_b2_and_shape():
    project = load_project_module(STUDY)
    sp = {"m": 25.0, "cutoff": 1.5, "depth": 1.0}
    b_hot, b_cold = project.b2(sp), project.b2(sp, 2.5)
    assert b_cold < 0 < b_hot  # attraction wins on deepening the well
    hard = second_virial(lambda r, ti, tj: np.where(r < 1.0, np.inf, 0.0), [1.0], 1.5)
    assert hard == pytest.approx(2 * np.pi / 3, rel=1e-3)
    mix = project.mixture(sp)
    ca = relaxed_c_over_a(4, 3.1, project.pair_energy(mix), 1.5)
    assert 0.95 < ca < 1.1


def _synthetic(subcritical: bool) -> dict:
    """A van der Waals-like fluid (Z from a_1..a_3) and a stiff solid, as job documents hold them."""
    rho = np.linspace(0.05, 2.2, 10)
    a = (1.5, 0.5, 0.3)
    z = 1 + sum(c * rho ** (k + 1) for k, c in enumerate(a))
    solid = dict(density0=3.0, free_energy0=6.5, free_energy0_error=0.01,
                 density=[2.9, 3.0, 3.1], z=[5.0, 8.0, 12.0], z_error=[0.2] * 3)  # fmt: skip
    inputs = {"fractions": X, "solid": solid, "b2": 1.5,
              "fluid": dict(density=rho.tolist(), z=z.tolist(), z_error=[0.01] * 10)}  # fmt: skip
    if not subcritical:
        return inputs
    # gas: nearly ideal at low density; liquid: isochores of a constant <Phi>/N from the fluid
    gas = np.array([0.01, 0.02, 0.04, 0.06])
    inputs["fluid"] = dict(density=list(gas), z=list(1 - 2.0 * gas), z_error=[0.002] * 4)
    inputs["b2"], inputs["fluid_degree"] = -2.0, 2
    dens = [1.6, 1.8, 2.0, 2.2]
    inputs["reference"] = None
    inputs["liquid"] = dict(
        reference=dict(density=list(rho), z=list(z), z_error=[0.01] * 10),
        depths=[1.0, 1.5, 2.0],
        densities=dens,
        energy=[[-2.0 * r] * 3 for r in dens],
        energy_error=[[0.01] * 3 for _ in dens],
        z=[float(1 + sum(c * r ** (k + 1) for k, c in enumerate(a)) - 1.0 * r) for r in dens],
        z_error=[0.02] * 4,
    )
    inputs["reference_b2"] = 1.5
    return inputs


def test_coexistence_on_synthetic_documents():
    point = phases.phase_point(_synthetic(False), n_bootstrap=10)
    assert list(point) == ["fluid-solid"]
    c = point["fluid-solid"]
    assert c["stable"] and c["density_a"] < c["density_b"] and c["pressure"] > 0
    assert 0 < c["density_a_error"] < 0.1 and c["found"] == 1.0
    branches = phases.build_branches(_synthetic(False))
    fl, so = branches["fluid"], branches["solid"]
    assert float(fl.pressure(c["density_a"])) == pytest.approx(c["pressure"], rel=1e-6)
    assert float(so.chemical_potential(c["density_b"])) == pytest.approx(
        float(fl.chemical_potential(c["density_a"])), abs=1e-6
    )
    sub = phases.phase_point(_synthetic(True), n_bootstrap=5)
    assert set(sub) <= {"gas-liquid", "gas-solid", "liquid-solid"}  # runs; pairs in range only


def test_polynomial_branch_and_critical_point():
    b = phases.PolynomialBranch.fit([1.0], [0.5], [0.01], [0.8, 1.0, 1.2], [3.0, 4.0, 5.0],
                                    [0.1] * 3, degree=3)  # fmt: skip
    assert float(b.compressibility(1.0)) == pytest.approx(4.0)
    with pytest.raises(ValueError, match="sampled range"):
        b.pressure(5.0)
    with pytest.raises(ValueError, match="at least"):
        phases.PolynomialBranch.fit([1.0], [0.5], [0.01], [], [], [], degree=3)
    # an exact Ising-scaling gap closes at T_c = 0.8 (beta eps_c = 1.25)
    t = np.array([0.5, 0.6, 0.7])
    gap = (1 - t / 0.8) ** phases.ISING_BETA
    mid = 1.0 + 0.5 * (0.8 - t)
    bc, rc = phases.critical_point(1 / t, mid - gap / 2, mid + gap / 2)
    assert bc == pytest.approx(1.25) and rc == pytest.approx(1.0)
    with pytest.raises(ValueError, match="2 depths"):
        phases.critical_point([2.0], [0.1], [1.0])


def _fake_job_docs(project, tmp_path):
    """Documents of a synthetic narrow-well diagram (two depths) without running MD."""
    init = load_project_module(STUDY, "init")
    sig = signac.init_project(str(tmp_path))
    for sp in init.job_statepoints("cpu"):
        if sp["well"] == "narrow" and sp["depth"] in (1.0, 2.5):
            job = sig.open_job(sp).init()
            inputs = _synthetic(False)
            job.doc["fluid"] = inputs["fluid"]
            job.doc["b2"] = inputs["b2"]
            job.doc["solid"] = inputs["solid"]
    return sig


def test_plot_and_table_from_documents(tmp_path, monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    project = load_project_module(STUDY)
    _fake_job_docs(project, tmp_path)
    flow = project.Project.get_project(path=str(tmp_path))
    flow.run(names=["coexist", "phase_diagram"])
    rows = (tmp_path / "mie_phase_diagram_cpu_narrow.csv").read_text().splitlines()
    assert rows[0].startswith("well,depth,coexistence,stable,density_a")
    assert len(rows) == 3 and all(",fluid-solid,True," in r for r in rows[1:])
    assert (tmp_path / "mie_phase_diagram_cpu_narrow.png").is_file()


def test_status_without_hoomd_and_md_operations_say_so(tmp_path):
    init = load_project_module(STUDY, "init")
    init.main(["--path", str(tmp_path)])
    done = run_study_without_hoomd(STUDY, tmp_path, "status", "-d")
    assert done.returncode == 0, done.stderr
    job = next(iter(signac.get_project(str(tmp_path))))
    done = run_study_without_hoomd(STUDY, tmp_path, "run", "-o", "fluid", "-j", job.id)
    assert done.returncode != 0 and "HOOMD-blue" in done.stderr


TINY = dict(steps=400, equilibration=200, compression_steps=200, solid_steps=200,
            solid_equilibration=100, n_nodes=2, n_bootstrap=5, isochore_points=2)  # fmt: skip


def test_project_runs_end_to_end(tmp_path, monkeypatch, hoomd):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    init = load_project_module(STUDY, "init")
    project = load_project_module(STUDY)
    sig = signac.init_project(str(tmp_path))
    for sp in init.job_statepoints("cpu"):
        if (sp["well"], sp["depth"]) in (("narrow", 2.5), ("wide", 1.0), ("wide", 2.2)):
            sp.update(TINY)
            if sp["well"] == "wide":  # 2 sigma_ij would need N = 375: use the narrow box
                sp.update(cutoff=1.5, n_cells=4)
            sig.open_job(sp).init()
    flow = project.Project.get_project(path=str(tmp_path))
    flow.run()
    for job in flow:
        doc = job.doc
        assert "coexistence" in doc and "hoomd" in doc["versions"]
        f = doc["fluid"]
        # the most dilute state is an ideal gas within its error (real MD, Z from the virial)
        assert abs(f["z"][0] - 1) < max(5 * f["z_error"][0], 0.02)
        assert doc["solid"]["free_energy0_error"] > 0
        if job.sp["reference_depth"] is not None:
            assert len(doc["liquid"]["z"]) == len(job.sp["liquid_densities"])
    for well in ("narrow", "wide"):
        assert (tmp_path / f"mie_phase_diagram_cpu_{well}.png").is_file()
        rows = (tmp_path / f"mie_phase_diagram_cpu_{well}.csv").read_text().splitlines()
        assert rows[0].startswith("well,depth,coexistence")
    narrow = next(j for j in flow if j.sp["well"] == "narrow").doc["coexistence"]
    for c in narrow.values():  # gas-solid: positive pressure, solid denser than the fluid
        assert c["pressure"] > 0 and c["density_b"] > c["density_a"]
