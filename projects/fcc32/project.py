"""Rotational Monte Carlo of 32 nanocrystals on 2 x 2 x 2 fcc cells (seed paper 000, Fig. S20).

alpha = 3.0 A, gamma = 1.1: the paper finds edge-to-edge alignment (<s> near 0.95). Each job is one
chain (lambda/a = 500, and 1000 as a robustness check); the ``plot`` operation draws s_j of every
nanocrystal and F versus step for both.

    python init.py [--variant coarse|paper]   # state points (coarse: 120^3 CPU, paper: 240^3 GPU)
    python project.py run --progress          # MC runs, analysis, figure
    python project.py status -d

``sample`` is resumable: it continues from ``checkpoint.gsd`` in the job directory, so a killed
run is simply run again. Job files: ``checkpoint.gsd``, ``trajectory.gsd`` (orientations, s_j, F
per frame), ``history.npz`` (F, <s>, accepted move and proposed nanocrystal per step). Figure and
table: ``fcc32_n<grid>_t<steps>.png|csv`` in this directory.
"""

from __future__ import annotations

import json
from pathlib import Path

import gsd.hoomd
import numpy as np
from flow import aggregator

from hoomd_rigidfield.fieldtheory.plotting import chain_runs_figure
from hoomd_rigidfield.fieldtheory.study import (
    HISTORY,
    TRAJECTORY,
    from_statepoint,
    sample_fcc_chain,
)
from hoomd_rigidfield.fieldtheory.superlattice import classify_alignment
from hoomd_rigidfield.workflow import (
    StudyProject,
    directives,
    group_output_current,
    group_output_path,
    record_group_output,
    write_table,
)

#: Per-nanocrystal alignment in the trajectory frames' logs.
S_LOG = "particles/rigidfield/s"


class Project(StudyProject):
    """The 32-nanocrystal fcc study."""


def read_trajectory(path: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Steps, s_j and F of the frames of a trajectory written by the Monte Carlo.

    Args:
        path (str): ``trajectory.gsd``.

    Returns:
        tuple: ``(steps (n_frames,), s (n_frames, N), free_energy (n_frames,))``.
    """
    with gsd.hoomd.open(path, "r") as f:
        steps = np.array([frame.configuration.step for frame in f], dtype=np.int64)
        s = np.stack([np.asarray(frame.log[S_LOG], dtype=float) for frame in f])
        free = np.array([float(frame.log["rigidfield/free_energy"][0]) for frame in f])
    return steps, s, free


@Project.label
def sampled(job) -> bool:
    """The Monte Carlo run is complete."""
    return bool(job.doc.get("sampled"))


@Project.label
def analysed(job) -> bool:
    """<s> over the window and its phase are in the document."""
    return "phase" in job.doc


@Project.post(sampled)
@Project.operation(directives=directives(gpu=True, walltime=24.0))
def sample(job) -> None:
    """Rotational Monte Carlo run (resumable); flags set only once all steps are done."""
    study = from_statepoint(job.cached_statepoint)
    sample_fcc_chain(job, frames=500, study=study)
    job.doc["resolved"] = study.resolved
    job.doc["sampled"] = True


@Project.pre(sampled)
@Project.post(analysed)
@Project.operation(directives=directives(walltime=0.5))
def analyse(job) -> None:
    """<s> and F over the averaging window, the phase, and the final s_j spread."""
    sp = job.cached_statepoint
    data = np.load(job.fn(HISTORY))
    window = min(sp["window"], len(data["mean_s"]))
    mean_s = float(np.clip(data["mean_s"][-window:].mean(), 0.0, 1.0))
    _, s, _ = read_trajectory(job.fn(TRAJECTORY))
    job.doc.update(
        {
            "window_used": int(window),
            "mean_s": mean_s,
            "std_s": float(data["mean_s"][-window:].std()),
            "mean_free_energy": float(data["free_energy"][-window:].mean()),
            "window_acceptance": float(data["accepted"][-window:].mean()),
            "final_min_s": float(s[-1].min()),
            "final_fraction_edge_to_edge": float(
                np.mean(classify_alignment(s[-1]) == "edge-to-edge")
            ),
        }
    )
    job.doc["phase"] = str(classify_alignment(mean_s))


def _variant(job) -> str:
    """Everything but lambda: the runs that share a figure."""
    sp = job.cached_statepoint
    return json.dumps({k: v for k, v in sp.items() if k != "lam"}, sort_keys=True)


def _figure_path(jobs) -> Path:
    sp = jobs[0].cached_statepoint
    return group_output_path(jobs, f"fcc32_n{sp['n_grid']}_t{sp['steps']}.png")


def _titles(job, n_nc: int) -> tuple[str, str]:
    sp, doc = job.cached_statepoint, job.doc
    return (
        rf"$\lambda/a$ = {sp['lam']:g}: $\langle s\rangle$ = {doc['mean_s']:.3f} over the "
        f"last {doc['window_used']} steps ({doc['phase']})",
        rf"{n_nc} NCs, $\alpha$ = {sp['alpha']:g} A, $\gamma$ = {sp['gamma']:g}, "
        f"{sp['n_grid']}$^3$ grid, acceptance {doc['acceptance_ratio']:.2f}",
    )


@Project.pre(lambda *jobs: all(analysed(j) for j in jobs))
@Project.post(lambda *jobs: group_output_current(jobs, _figure_path(jobs)))
@Project.operation(aggregator=aggregator.groupby(_variant), directives=directives(walltime=0.5))
def plot(*jobs) -> None:
    """s_j of every nanocrystal and F versus step, one row per lambda (figure and table)."""
    path = _figure_path(jobs)
    jobs = sorted(jobs, key=lambda j: j.cached_statepoint["lam"])
    rows, runs = [], []
    for job in jobs:
        steps, s, free = read_trajectory(job.fn(TRAJECTORY))
        rows += [[job.cached_statepoint["lam"], steps[k], f"{free[k]:.6f}", f"{s[k].mean():.5f}",
                  *(f"{v:.5f}" for v in s[k])] for k in range(len(steps))]  # fmt: skip
        data = np.load(job.fn(HISTORY))
        runs.append((steps, s, data["step"], data["free_energy"], *_titles(job, s.shape[1])))
    header = ["lam", "step", "F", "mean_s", *[f"s_{j}" for j in range(runs[0][1].shape[1])]]
    write_table(path.with_suffix(".csv"), header, rows)
    chain_runs_figure(runs).savefig(path, dpi=150)
    record_group_output(jobs, path)


if __name__ == "__main__":
    Project().main()
