"""Binary Mie nanocrystal superlattices by HOOMD MD (seed paper 002, Fig. 3e-f and Fig. 4).

    python init.py [--variant cpu|paper]   # state points
    python project.py run --progress       # initialize -> compress -> analyse -> plot
    python project.py status -d            # works without HOOMD-blue

``initialize``, ``analyse`` and ``plot`` need no HOOMD-blue; ``compress`` (the MD) does, and says
how to install it when it is missing. ``compress`` is resumable: it continues from
``restart.gsd``, so a killed job is simply run again. Job files: ``init.gsd``,
``trajectory.gsd`` (OVITO/freud readable, with a log of phi_eff, energies, temperature),
``restart.gsd``, ``history.npz`` (per-frame crystalline fractions, local density, phi_eff),
``snapshot.png`` (last frame, large particles coloured by crystal class). Figures and tables:
``binary_mie_<protocol>_<geometry>_<ratio>_N<n_large>.png|csv`` in this directory.
"""

from __future__ import annotations

import json
from pathlib import Path

import gsd.hoomd
import matplotlib.pyplot as plt
import numpy as np
from flow import aggregator

from hoomd_rigidfield.gsdfiles import INITIAL, TRAJECTORY
from hoomd_rigidfield.mie import study as mie_study
from hoomd_rigidfield.mie.configurations import write_initial
from hoomd_rigidfield.mie.plotting import crystallisation_figure, plot_classified_snapshot
from hoomd_rigidfield.workflow import (
    StudyProject,
    group_output_current,
    group_output_path,
    record_group_output,
    versions,
    write_table,
)

HISTORY, SNAPSHOT = "history.npz", "snapshot.png"
#: The last frame with per-particle analysis results, for OVITO: crystal class (``rigidfield_phase``) and cluster of each particle.
ANALYSED = "analysed.gsd"
#: Crystalline fraction that marks the onset of crystallisation in a ramp.
ONSET_FRACTION = 0.1


class Project(StudyProject):
    """The binary Mie study."""


def _label(sp) -> str:
    if sp["m"] == 0:
        return "IPL"
    well = {25.0: "narrow", 6.0: "wide"}.get(sp["m"], f"m={sp['m']:g}")
    return rf"{well}, $\varepsilon/kT$ = {sp['beta_epsilon']:g}"


@Project.label
def initialized(job) -> bool:
    """``init.gsd`` is written."""
    return job.isfile(INITIAL)


@Project.label
def compressed(job) -> bool:
    """The MD run has reached the end of its schedule."""
    return bool(job.doc.get("compressed"))


@Project.label
def analysed(job) -> bool:
    """The crystallisation history is in ``history.npz`` and the job document."""
    return "final_crystalline_fraction" in job.doc


@Project.post(initialized)
@Project.operation(directives={"walltime": 0.5})
def initialize(job) -> None:
    """Random fluid (or seed + fluid) at phi_initial: ``init.gsd`` (no HOOMD needed)."""
    sp = job.cached_statepoint
    frame, frozen = mie_study.initial_configuration(sp)
    for stale in ("restart.gsd", TRAJECTORY):  # files of an earlier run would be resumed
        if job.isfile(stale):
            Path(job.fn(stale)).unlink()
    write_initial(job.fn(INITIAL), frame, mie_study.from_statepoint(sp).mixture, frozen)


#: MPI ranks for ``compress`` when submitted to a cluster (0: no MPI launcher). HOOMD decomposes
#: the box over ranks; :class:`~hoomd_rigidfield.mie.md.MieRun` does its file operations on
#: rank 0. Not exercised on our 2-core CI machines.
MPI_RANKS = 0
#: Runs with more particles than this ask the scheduler for a GPU and a long walltime.
GPU_THRESHOLD = 5000


def _is_large(job) -> bool:
    sp = job.cached_statepoint
    return sp["n_large"] * (1 + sp["ratio"][1] / sp["ratio"][0]) > GPU_THRESHOLD


@Project.pre(initialized)
@Project.post(compressed)
@Project.operation(
    directives={
        "ngpu": lambda job: int(_is_large(job)),
        "walltime": lambda job: 48.0 if _is_large(job) else 2.0,
        "nranks": MPI_RANKS,
    }
)
def compress(job) -> None:
    """HOOMD MD along the compression schedule (resumable; needs HOOMD-blue)."""
    try:
        from hoomd_rigidfield.mie.md import MieRun
    except ImportError as err:
        raise RuntimeError(f"the compress operation runs HOOMD-blue MD. {err}") from err
    run = MieRun(job.path, **mie_study.from_statepoint(job.cached_statepoint).run_arguments())
    sim = run.run(progress=True)
    job.doc["performance"] = dict(run.performance, device=type(sim.device).__name__)
    job.doc["versions"] = versions()
    job.doc["compressed"] = True


@Project.pre(compressed)
@Project.post(analysed)
@Project.operation(directives={"walltime": lambda job: 12.0 if _is_large(job) else 1.0})
def analyse(job) -> None:
    """Crystalline fraction, phases, largest nucleus and local density per frame; snapshot."""
    sp = job.cached_statepoint
    history = mie_study.crystallisation_history(job.fn(TRAJECTORY), sp)
    np.savez(job.fn(HISTORY), **history)
    f = history["crystalline_fraction"]
    onset = np.flatnonzero(f > ONSET_FRACTION)
    job.doc.update(
        {
            "final_crystalline_fraction": float(f[-1]),
            "final_fractions": {
                k: float(history[k][-1]) for k in ("fluid", "fcc", "AlB2", "NaZn13")
            },
            "final_largest_cluster": int(history["largest_cluster"][-1]),
            "onset_phi": float(history["phi"][onset[0]]) if len(onset) else None,
            "final_phi": float(history["phi"][-1]),
        }
    )
    with gsd.hoomd.open(job.fn(TRAJECTORY), "r") as traj:
        frame = traj[-1]
    classifier = mie_study.classifier(sp).compute(frame)
    large = np.flatnonzero(np.char.startswith(np.asarray(frame.particles.types), "L"))
    is_large = np.isin(frame.particles.typeid, large)
    fig = plt.figure(figsize=(6.0, 5.5), constrained_layout=True)
    ax = fig.add_subplot(projection="3d")
    plot_classified_snapshot(
        ax,
        frame.particles.position[is_large],
        classifier.phase,
        frame.particles.position[~is_large],
    )
    ax.set_title(
        f"{_label(sp)}, t = {history['time'][-1]:g} $\\tau$, "
        f"$\\phi_{{eff}}$ = {history['phi'][-1]:.3f}: {f[-1]:.0%} crystalline",
        fontsize=9,
    )
    fig.savefig(job.fn(SNAPSHOT), dpi=130)
    plt.close(fig)
    with gsd.hoomd.open(job.fn(ANALYSED), "w") as f:
        f.append(mie_study.classified_frame(frame, sp))


def _group(job) -> str:
    """Runs drawn in one figure: same protocol, geometry, composition and size."""
    sp = job.cached_statepoint
    keys = ("protocol", "geometry", "ratio", "n_large", "polydisperse")
    return json.dumps({k: sp[k] for k in keys}, sort_keys=True)


def _figure_path(jobs) -> Path:
    sp = jobs[0].cached_statepoint
    ratio = "{}-{}".format(*sp["ratio"])
    name = f"binary_mie_{sp['protocol']}_{sp['geometry']}_{ratio}_N{sp['n_large']}.png"
    return group_output_path(jobs, name)


#: Columns of a group's table.
TABLE_HEADER = ["m", "beta_epsilon", "replica", "final_phi", "crystalline", "AlB2", "NaZn13",
                "fcc", "largest_cluster", "onset_phi", "particle_steps_per_s"]  # fmt: skip


def _table_row(job) -> list:
    doc, sp = job.doc, job.cached_statepoint
    return [sp["m"], sp["beta_epsilon"], sp["replica"], f"{doc['final_phi']:.4f}",
            f"{doc['final_crystalline_fraction']:.4f}",
            *(f"{doc['final_fractions'][p]:.4f}" for p in ("AlB2", "NaZn13", "fcc")),
            doc["final_largest_cluster"], doc["onset_phi"],
            f"{doc.get('performance', {}).get('particle_steps_per_second', float('nan')):.4g}"]  # fmt: skip


@Project.pre(lambda *jobs: all(analysed(j) for j in jobs))
@Project.post(lambda *jobs: group_output_current(jobs, _figure_path(jobs)))
@Project.operation(aggregator=aggregator.groupby(_group), directives={"walltime": 0.5})
def plot(*jobs) -> None:
    """Crystallisation of each group of runs, and its table.

    Ramps: N_crys/N_L versus time and versus phi_eff (paper Fig. 3e-f). Seeded runs: the
    crystalline L particles and the largest nucleus versus time, with the release of the seed
    marked (a seed is a few % of the L particles, so a fraction would hide it).
    """
    path = _figure_path(jobs)
    sp = jobs[0].cached_statepoint
    seeded = sp["protocol"] == "seeded"
    conditions: dict[str, list] = {}
    for job in sorted(jobs, key=lambda j: (-j.sp["m"], j.sp["beta_epsilon"], j.sp["replica"])):
        conditions.setdefault(_label(job.cached_statepoint), []).append(job)
    jobs = [job for members in conditions.values() for job in members]
    write_table(path.with_suffix(".csv"), TABLE_HEADER, [_table_row(job) for job in jobs])
    histories = {k: [np.load(j.fn(HISTORY)) for j in members] for k, members in conditions.items()}
    ratio = "{}:{}".format(*sp["ratio"])
    fig = crystallisation_figure(
        histories,
        seeded=seeded,
        release=mie_study.schedule(sp).frozen_steps * sp["dt"] if seeded else None,
        title=f"{sp['protocol']} runs, {sp['geometry']}, L:S = {ratio}, {len(jobs)} jobs "
        f"(lines: replicas; numbers: mean final value)",
    )
    fig.savefig(path, dpi=150)
    record_group_output(jobs, path)


if __name__ == "__main__":
    Project().main()
