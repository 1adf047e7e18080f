"""Orientational phase diagram by rotational Monte Carlo (seed paper 000, Fig. 4B).

Four truncated octahedra on one fcc cell turn by Metropolis moves on the field-theory free
energy. Per (alpha, gamma): <s> averaged over the last ``window`` of ``steps`` MC steps and its
phase (``classify_alignment``), next to the phase of lowest free energy among the three
representative configurations (``representative_free_energies``).

    python init.py [--variant coarse|paper]   # state points
    python project.py run --progress          # MC runs, representatives, analysis, figure
    python project.py status -d

``sample`` is resumable: it continues from ``checkpoint.gsd`` in the job directory (written every
few steps), so a killed run is simply run again. Job files: ``checkpoint.gsd``,
``trajectory.gsd`` (orientations, s_j, F per frame), ``history.npz`` (F, <s>, accepted move and
proposed nanocrystal per step). Figure and table: ``phase_diagram_n<grid>_t<steps>.png|csv``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from flow import aggregator

from hoomd_rigidfield.errors import GridResolutionError
from hoomd_rigidfield.fieldtheory.plotting import alignment_diagram_figure
from hoomd_rigidfield.fieldtheory.study import HISTORY, from_statepoint, sample_fcc_chain
from hoomd_rigidfield.fieldtheory.superlattice import (
    PHASES,
    classify_alignment,
    representative_free_energies,
)
from hoomd_rigidfield.workflow import (
    StudyProject,
    directives,
    group_output_current,
    group_output_path,
    record_group_output,
    write_table,
)


class Project(StudyProject):
    """The orientational phase-diagram study."""


def _grid_error(job) -> bool:
    return job.doc.get("grid_error") is not None


def _check_grid(job) -> bool:
    """Record a grid that cannot be solved on; return whether the grid is usable."""
    try:
        resolved = from_statepoint(job.cached_statepoint).resolved
    except GridResolutionError as err:
        job.doc.update({"grid_error": str(err), "resolved": False})
        return False
    job.doc["resolved"] = resolved
    return True


@Project.label
def sampled(job) -> bool:
    """The Monte Carlo run is complete."""
    return bool(job.doc.get("sampled"))


@Project.label
def analysed(job) -> bool:
    """<s>, its phase and the lowest-F representative phase are in the document."""
    return "s_phase" in job.doc and "f_phase" in job.doc


@Project.label
def unsolvable(job) -> bool:
    """The grid cannot resolve this (alpha, gamma) (see ``grid_error`` in the document)."""
    return _grid_error(job)


@Project.post(lambda job: sampled(job) or _grid_error(job))
@Project.operation(directives=directives(gpu=True, walltime=6.0))
def sample(job) -> None:
    """Rotational Monte Carlo run (resumable); flags set only once all steps are done."""
    if not _check_grid(job):
        return
    sample_fcc_chain(job, frames=400)
    job.doc["sampled"] = True


@Project.post(lambda job: "representative_free_energy" in job.doc or _grid_error(job))
@Project.operation(directives=directives(gpu=True, walltime=0.5))
def representatives(job) -> None:
    """Free energies of the face-to-face, diagonal and edge-to-edge configurations."""
    if not _check_grid(job):
        return
    sp = job.cached_statepoint
    study = from_statepoint(sp)
    energies = representative_free_energies(
        study.solver, study.shape, sp["lattice_constant"], sp["n_cells"]
    )
    job.doc["representative_free_energy"] = energies


@Project.pre(sampled)
@Project.pre(lambda job: "representative_free_energy" in job.doc)
@Project.post(analysed)
@Project.operation(directives=directives(walltime=0.5))
def analyse(job) -> None:
    """<s> and F over the averaging window, the <s> phase and the lowest-F phase."""
    sp = job.cached_statepoint
    data = np.load(job.fn(HISTORY))
    window = min(sp["window"], len(data["mean_s"]))
    s = data["mean_s"][-window:]
    f = data["free_energy"][-window:]
    mean_s = float(np.clip(s.mean(), 0.0, 1.0))
    energies = job.doc["representative_free_energy"]
    f_phase = min(energies, key=energies.get)
    s_phase = str(classify_alignment(mean_s))
    job.doc.update(
        {
            "window_used": int(window),
            "mean_s": mean_s,
            "std_s": float(s.std()),
            "mean_free_energy": float(f.mean()),
            "window_acceptance": float(data["accepted"][-window:].mean()),
            "phase_agrees": s_phase == f_phase,
            "f_phase": f_phase,
        }
    )
    job.doc["s_phase"] = s_phase


def _variant(job) -> str:
    """Everything but (alpha, gamma) and the replica's seed: jobs that share a figure."""
    sp = job.cached_statepoint
    shared = {k: v for k, v in sp.items() if k not in ("alpha", "gamma", "seed")}
    return json.dumps(shared, sort_keys=True)


def _figure_path(jobs) -> Path:
    sp = jobs[0].cached_statepoint
    return group_output_path(jobs, f"phase_diagram_n{sp['n_grid']}_t{sp['steps']}.png")


#: Columns of the phase-diagram table.
TABLE_HEADER = ["alpha", "gamma", "seed", "mean_s", "std_s", "s_phase", "f_phase",
                *[f"F_{p}" for p in PHASES], "acceptance", "resolved"]  # fmt: skip


def _table_row(job) -> list:
    sp, doc = job.cached_statepoint, job.doc
    if _grid_error(job):
        return [sp["alpha"], sp["gamma"], sp["seed"], "", "", "", "", "", "", "", "", False]
    energies = doc["representative_free_energy"]
    return [sp["alpha"], sp["gamma"], sp["seed"], f"{doc['mean_s']:.4f}", f"{doc['std_s']:.4f}",
            doc["s_phase"], doc["f_phase"], *[f"{energies[p]:.3f}" for p in PHASES],
            f"{doc['acceptance_ratio']:.3f}", doc["resolved"]]  # fmt: skip


def _alpha_gamma(job) -> tuple[float, float]:
    return job.cached_statepoint["alpha"], job.cached_statepoint["gamma"]


def _mean_s_history(job) -> tuple[np.ndarray, np.ndarray]:
    data = np.load(job.fn(HISTORY))
    return data["step"], data["mean_s"]


@Project.pre(lambda *jobs: all(analysed(j) or _grid_error(j) for j in jobs))
@Project.post(lambda *jobs: group_output_current(jobs, _figure_path(jobs)))
@Project.operation(aggregator=aggregator.groupby(_variant), directives=directives(walltime=0.5))
def plot(*jobs) -> None:
    """(alpha, gamma) map of <s> (mean over replicas) and <s> versus step (figure and table)."""
    path = _figure_path(jobs)
    jobs = sorted(jobs, key=lambda job: (*_alpha_gamma(job), job.cached_statepoint["seed"]))
    write_table(path.with_suffix(".csv"), TABLE_HEADER, [_table_row(job) for job in jobs])
    points: dict[tuple[float, float], list] = {}
    for job in jobs:
        points.setdefault(_alpha_gamma(job), []).append(job)
    sampled_jobs = [job for job in jobs if not _grid_error(job)]
    replicas = len(sampled_jobs) > len({_alpha_gamma(job) for job in sampled_jobs})
    histories = {
        (*_alpha_gamma(job), job.cached_statepoint["seed"]) if replicas else _alpha_gamma(job): (
            _mean_s_history(job)
        )
        for job in sampled_jobs
    }
    sp = jobs[0].cached_statepoint
    n_replicas = max(len(group) for group in points.values())
    fig = alignment_diagram_figure(
        [a for a, _ in points],
        [g for _, g in points],
        [
            np.nan if _grid_error(group[0]) else np.mean([j.doc["mean_s"] for j in group])
            for group in points.values()
        ],
        [None if _grid_error(group[0]) else group[0].doc["f_phase"] for group in points.values()],
        histories,
        sp["window"],
        map_title=rf"MC $\langle s\rangle$ over the last {sp['window']} of {sp['steps']} steps"
        + (f" (mean of {n_replicas} replicas)" if n_replicas > 1 else "")
        + f", {4 * sp['n_cells'] ** 3} NCs, {sp['n_grid']}$^3$ grid",
        history_title=rf"$k_BT$ = {sp['kT']:g}, $\epsilon$ = {sp['max_rotation']:g} rad",
    )
    fig.savefig(path, dpi=150)
    record_group_output(jobs, path)


if __name__ == "__main__":
    Project().main()
