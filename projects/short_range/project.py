"""Crystal, gel or fluid: quenches of short-range attractive spheres by HOOMD MD (seed 001).

    python init.py [--variant cpu|paper]   # state points
    python project.py run --progress       # initialize -> quench -> analyse -> regime_map
    python project.py status -d            # works without HOOMD-blue

Only ``quench`` (the MD) needs HOOMD-blue; it resumes from ``restart.gsd`` after a kill. Job
files: ``init.gsd``, ``trajectory.gsd`` (OVITO/freud), ``restart.gsd``, ``history.npz``
(per-frame crystalline fraction, clusters, percolation, MSD, state) and ``snapshot.png``.
Figure and table: ``short_range_map_N<n>_phi<phi>.png|csv`` in this directory.
"""

from __future__ import annotations

import json
from pathlib import Path

import gsd.hoomd
import matplotlib.pyplot as plt
import numpy as np
from flow import aggregator

from hoomd_rigidfield.gsdfiles import INITIAL, TRAJECTORY
from hoomd_rigidfield.shortrange import study
from hoomd_rigidfield.shortrange.plotting import (
    REGIME_COLOURS,
    quench_history_figure,
    regime_map_figure,
)
from hoomd_rigidfield.shortrange.regimes import predicted_regime
from hoomd_rigidfield.workflow import (
    StudyProject,
    group_output_current,
    group_output_path,
    record_group_output,
    versions,
    write_table,
)

HISTORY, SNAPSHOT = "history.npz", "snapshot.png"
#: Runs with more particles than this ask the scheduler for a GPU and a long walltime.
GPU_THRESHOLD = 2000


class Project(StudyProject):
    """The short-range quench study."""


@Project.label
def initialized(job) -> bool:
    """``init.gsd`` is written."""
    return job.isfile(INITIAL)


@Project.label
def quenched(job) -> bool:
    """The MD run has reached its end."""
    return bool(job.doc.get("quenched"))


@Project.label
def analysed(job) -> bool:
    """The end state is in the job document."""
    return "state" in job.doc


def _is_large(job) -> bool:
    return job.cached_statepoint["n"] > GPU_THRESHOLD


@Project.post(initialized)
@Project.operation(directives={"walltime": 0.5})
def initialize(job) -> None:
    """Random fluid at phi without attraction: ``init.gsd`` (no HOOMD needed)."""
    sp = job.cached_statepoint
    study.from_statepoint(sp)  # validate before writing
    for stale in ("restart.gsd", TRAJECTORY):  # an earlier run would be resumed
        if job.isfile(stale):
            Path(job.fn(stale)).unlink()
    study.write_initial(job.fn(INITIAL), study.initial_frame(sp))


@Project.pre(initialized)
@Project.post(quenched)
@Project.operation(
    directives={
        "ngpu": lambda job: int(_is_large(job)),
        "walltime": lambda job: 48.0 if _is_large(job) else 1.0,
    }
)
def quench(job) -> None:
    """Langevin MD of the instant quench (resumable; needs HOOMD-blue)."""
    try:
        from hoomd_rigidfield.shortrange.md import QuenchRun
    except ImportError as err:
        raise RuntimeError(f"the quench operation runs HOOMD-blue MD. {err}") from err
    run = QuenchRun(job.path, **study.from_statepoint(job.cached_statepoint).run_arguments())
    sim = run.run(progress=True)
    job.doc["performance"] = dict(run.performance, device=type(sim.device).__name__)
    job.doc["versions"] = versions()
    job.doc["quenched"] = True


@Project.pre(quenched)
@Project.post(analysed)
@Project.operation(directives={"walltime": lambda job: 2.0 if _is_large(job) else 0.5})
def analyse(job) -> None:
    """End state, crystalline fraction, clusters, MSD per frame; the last frame as a picture."""
    sp = job.cached_statepoint
    history = study.quench_history(job.fn(TRAJECTORY), sp)
    np.savez(job.fn(HISTORY), **history)
    equivalent = study.from_statepoint(sp).well.equivalent()
    job.doc.update(
        {
            "state": str(history["state"][-1]),
            "predicted": predicted_regime(float(sp["depth"]), float(sp["lam"])),
            "crystalline_fraction": float(history["crystalline_fraction"][-1]),
            "largest_cluster_fraction": float(history["largest_cluster_fraction"][-1]),
            "percolating": bool(history["percolating"][-1]),
            "dense_fraction": float(history["dense_fraction"][-1]),
            "diffusion": float(history["diffusion"][-1]),
            "potential_energy": float(history["potential_energy"][-1]),
            "equivalent_lam": equivalent.lam,
            "reduced_b2": equivalent.reduced_b2,
        }
    )
    with gsd.hoomd.open(job.fn(TRAJECTORY), "r") as traj:
        frame = traj[-1]
    crystalline = study.classifier(sp).compute(frame).crystalline
    fig = plt.figure(figsize=(5.0, 5.0), constrained_layout=True)
    ax = fig.add_subplot(projection="3d")
    x = frame.particles.position
    ax.scatter(*x[~crystalline].T, s=8, c=REGIME_COLOURS["gel"], depthshade=False)
    ax.scatter(*x[crystalline].T, s=14, c="tab:green", depthshade=False)
    ax.set_title(
        f"depth {sp['depth']:g} kT, lam {sp['lam']:g}, t = {history['time'][-1]:g} tau: "
        f"{job.doc['state']} ({job.doc['crystalline_fraction']:.0%} crystalline)",
        fontsize=8,
    )
    fig.savefig(job.fn(SNAPSHOT), dpi=120)
    plt.close(fig)


def _group(job) -> str:
    sp = job.cached_statepoint
    return json.dumps({k: sp[k] for k in ("n", "phi")}, sort_keys=True)


def _figure_path(jobs) -> Path:
    sp = jobs[0].cached_statepoint
    return group_output_path(jobs, f"short_range_map_N{sp['n']}_phi{sp['phi']:g}.png")


def _history_path(figure: Path) -> Path:
    return figure.with_name(figure.name.replace("short_range_map", "short_range_history"))


#: Columns of the regime-map table.
TABLE_HEADER = ["depth", "lam", "replica", "time_tau", "state", "predicted", "crystalline_fraction",
                "largest_cluster_fraction", "percolating", "dense_fraction", "diffusion",
                "equivalent_lam", "reduced_b2", "particle_steps_per_s"]  # fmt: skip


def _row(job) -> list:
    sp, doc = job.cached_statepoint, job.doc
    rate = doc.get("performance", {}).get("particle_steps_per_second", float("nan"))
    return [sp["depth"], sp["lam"], sp["replica"], sp["time_tau"], doc["state"], doc["predicted"],
            f"{doc['crystalline_fraction']:.3f}", f"{doc['largest_cluster_fraction']:.3f}",
            doc["percolating"], f"{doc['dense_fraction']:.3f}", f"{doc['diffusion']:.3g}",
            f"{doc['equivalent_lam']:.4f}", f"{doc['reduced_b2']:.4g}", f"{rate:.4g}"]  # fmt: skip


@Project.pre(lambda *jobs: all(analysed(j) for j in jobs))
@Project.post(lambda *jobs: group_output_current(jobs, _figure_path(jobs)))
@Project.operation(aggregator=aggregator.groupby(_group), directives={"walltime": 0.5})
def regime_map(*jobs) -> None:
    """The simulated end states over the predicted regime map (paper Fig. 2C), and a table."""
    jobs = sorted(jobs, key=lambda j: (j.sp["lam"], j.sp["depth"], j.sp["replica"]))
    path = _figure_path(jobs)
    write_table(path.with_suffix(".csv"), TABLE_HEADER, [_row(j) for j in jobs])
    sp = jobs[0].cached_statepoint
    # one marker per (depth, lam, end state); its text lists the replicas' crystalline fractions
    groups: dict[tuple, list] = {}
    for j in jobs:
        groups.setdefault((j.sp["depth"], j.sp["lam"], j.doc["state"]), []).append(j)
    results = list(groups)
    notes = []
    for group in groups.values():
        fractions = ", ".join(f"{j.doc['crystalline_fraction']:.0%}" for j in group)
        lengths = "/".join(sorted({f"{j.sp['time_tau']:g}" for j in group}))
        notes.append(f"{fractions} xtal\n{lengths} tau")
    times = sorted({j.sp["time_tau"] for j in jobs})
    fig = regime_map_figure(
        results,
        notes=notes,
        title=f"Langevin quenches, N = {sp['n']}, phi = {sp['phi']:g}, t = "
        f"{', '.join(f'{t:g}' for t in times)} tau (markers, crystalline fraction) over the "
        "landmark map (colours)",
    )
    fig.savefig(path, dpi=150)
    histories = {
        f"{j.sp['depth']:g} kT, lam {j.sp['lam']:g}, replica {j.sp['replica']}": np.load(
            j.fn(HISTORY)
        )
        for j in jobs
    }
    clf = study.classifier(sp)
    quench_history_figure(
        histories,
        crystal_fraction=clf.crystal_fraction_threshold,
        arrest_diffusion=clf.arrest_diffusion,
        title=f"Langevin quenches, N = {sp['n']}, phi = {sp['phi']:g}: crystalline fraction and "
        "recent diffusion coefficient",
    ).savefig(_history_path(path), dpi=150)
    record_group_output(jobs, path)


if __name__ == "__main__":
    Project().main()
