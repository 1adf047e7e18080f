"""Square vs hexagonal superlattices of patchy truncated cubes by HOOMD HPMC (seed 004, Fig. 5c).

    python init.py [--variant cpu|paper]   # state points
    python project.py run --progress       # initialize -> simulate -> analyse -> plot
    python project.py status -d            # works without HOOMD-blue

``simulate`` needs HOOMD-blue and the compiled square-patch component (top-level
CMakeLists.txt); it is resumable from ``restart.gsd``. Job files: ``init.gsd``,
``trajectory.gsd`` (OVITO draws the octagons: ``type_shapes``), ``restart.gsd``, ``history.npz``
(per frame: |psi4|, |psi6|, class fractions, patch bonds per particle, orientational order,
nearest-neighbour distance), ``snapshot.png``. The state diagram: ``patchy_cubes_phi<phi>_N<N>``
``.png|csv`` in this directory.
"""

from __future__ import annotations

import json
from pathlib import Path

import gsd.hoomd
import matplotlib.pyplot as plt
import numpy as np
from flow import aggregator

from hoomd_rigidfield.analysis.monolayer import MonolayerOrder
from hoomd_rigidfield.gsdfiles import INITIAL, TRAJECTORY
from hoomd_rigidfield.orientation import quaternion_to_angle
from hoomd_rigidfield.patchy import study as patchy_study
from hoomd_rigidfield.patchy.plotting import plot_monolayer, state_diagram_figure
from hoomd_rigidfield.workflow import (
    StudyProject,
    group_output_current,
    group_output_path,
    record_group_output,
    versions,
    write_table,
)

HISTORY, SNAPSHOT = "history.npz", "snapshot.png"
#: The last frame with per-particle analysis results, for OVITO: |psi4|, |psi6| and the 2D phase of each octagon.
ANALYSED = "analysed.gsd"
#: Fraction of the production frames (at the end) over which the order is averaged.
AVERAGE_FRACTION = 0.25
#: A state is square or hexagonal when at least this fraction of the particles is (the larger
#: of the two wins), else disordered. Random monolayers put ~2-3 % of their particles in
#: either class (tests/test_monolayer.py); at the depths that order, the rest are mostly the
#: surfaces of crystallites and strands around voids (NVT at fixed area fraction).
ORDERED_FRACTION = 0.2


class Project(StudyProject):
    """The patchy-cube monolayer study."""


@Project.label
def initialized(job) -> bool:
    """``init.gsd`` is written."""
    return job.isfile(INITIAL)


@Project.label
def simulated(job) -> bool:
    """The HPMC run has reached its last sweep."""
    return bool(job.doc.get("simulated"))


@Project.label
def analysed(job) -> bool:
    """The order history and the phase are in the job document."""
    return "phase" in job.doc


@Project.post(initialized)
@Project.operation(directives={"walltime": 0.5})
def initialize(job) -> None:
    """Dilute random monolayer (area fraction 0.3), ``init.gsd`` (no HOOMD needed)."""
    frame = patchy_study.from_statepoint(job.cached_statepoint).initial_frame()
    for stale in ("restart.gsd", TRAJECTORY):  # files of an earlier run would be resumed
        if job.isfile(stale):
            Path(job.fn(stale)).unlink()
    with gsd.hoomd.open(job.fn(INITIAL), "w") as f:
        f.append(frame)


@Project.pre(initialized)
@Project.post(simulated)
@Project.operation(directives={"walltime": lambda job: 2.0 if job.sp.n_particles < 1000 else 48.0})
def simulate(job) -> None:
    """Compress, anneal the patches, production (HOOMD HPMC, CPU; resumable)."""
    try:
        from hoomd_rigidfield.patchy.hpmc import PatchyMonolayerRun
    except ImportError as err:
        raise RuntimeError(f"the simulate operation runs HOOMD-blue HPMC. {err}") from err
    study = patchy_study.from_statepoint(job.cached_statepoint)
    run = PatchyMonolayerRun(job.path, **study.run_arguments())
    run.run(progress=True)
    job.doc["performance"] = run.performance
    job.doc["compressed_at"] = run.compressed_at
    job.doc["versions"] = versions()
    job.doc["simulated"] = True


def phase_of(fractions) -> str:
    """The phase of a state from its class fractions (see :data:`ORDERED_FRACTION`).

    Args:
        fractions (Mapping[str, float]): Fractions of ``"square"`` and ``"hexagonal"`` particles.

    Returns:
        str: ``"square"``, ``"hexagonal"`` or ``"disordered"``.
    """
    ordered = max(("square", "hexagonal"), key=lambda k: fractions[k])
    return ordered if fractions[ordered] >= ORDERED_FRACTION else "disordered"


@Project.pre(simulated)
@Project.post(analysed)
@Project.operation(directives={"walltime": lambda job: 1.0 if job.sp.n_particles < 1000 else 8.0})
def analyse(job) -> None:
    """2D order per frame; phase from the last quarter of production; snapshot."""
    sp = job.cached_statepoint
    history = patchy_study.order_history(job.fn(TRAJECTORY), sp)
    np.savez(job.fn(HISTORY), **history)
    end = int(history["sweep"][-1])
    window = history["sweep"] > end - AVERAGE_FRACTION * sp["production_sweeps"]
    means = {k: float(history[k][window].mean()) for k in history if k != "sweep"}
    job.doc["final"] = means
    job.doc["phase"] = phase_of(means)
    with gsd.hoomd.open(job.fn(TRAJECTORY), "r") as f:
        frame = f[-1]
    order = MonolayerOrder().compute(frame)
    octagon = patchy_study.shape(sp)
    fig, ax = plt.subplots(figsize=(6.0, 6.0), constrained_layout=True)
    plot_monolayer(
        ax,
        frame.particles.position,
        quaternion_to_angle(np.asarray(frame.particles.orientation, float)),
        octagon.vertices,
        order.phase,
        box=frame.configuration.box[:2],
    )
    ax.set_title(
        f"$P_x/F_x$ = {sp['px_over_fx']:g}, $\\varepsilon/kT$ = {sp['beta_epsilon']:g}, "
        f"$\\phi$ = {sp['area_fraction']:g}: {job.doc['phase']} "
        f"($|\\psi_4|$ {means['psi4']:.2f}, $|\\psi_6|$ {means['psi6']:.2f}, "
        f"{means['bonds']:.1f} bonds)",
        fontsize=8,
    )
    fig.savefig(job.fn(SNAPSHOT), dpi=130)
    plt.close(fig)
    with gsd.hoomd.open(job.fn(ANALYSED), "w") as f:
        f.append(patchy_study.ordered_frame(frame))


def _group(job) -> str:
    sp = job.cached_statepoint
    return json.dumps({k: sp[k] for k in ("area_fraction", "n_particles", "t")}, sort_keys=True)


def _figure_path(jobs) -> Path:
    sp = jobs[0].cached_statepoint
    name = f"patchy_cubes_phi{sp['area_fraction']:g}_N{sp['n_particles']}.png"
    return group_output_path(jobs, name)


#: Columns of the state-diagram table (after the patch size, depth and phase).
TABLE_COLUMNS = ("psi4", "psi6", "square", "hexagonal", "disordered", "bonds",
                 "orientational_order", "nn_distance")  # fmt: skip
TABLE_HEADER = ["px_over_fx", "beta_epsilon", "phase", *TABLE_COLUMNS, "sweeps_per_s"]


def _table_row(job) -> list:
    sp, fin = job.cached_statepoint, job.doc["final"]
    return [sp["px_over_fx"], sp["beta_epsilon"], job.doc["phase"],
            *(f"{fin[k]:.4f}" for k in TABLE_COLUMNS),
            f"{job.doc.get('performance', {}).get('sweeps_per_second', float('nan')):.4g}"]  # fmt: skip


@Project.pre(lambda *jobs: all(analysed(j) for j in jobs))
@Project.post(lambda *jobs: group_output_current(jobs, _figure_path(jobs)))
@Project.operation(aggregator=aggregator.groupby(_group), directives={"walltime": 0.5})
def plot(*jobs) -> None:
    """State diagram (patch size x depth, coloured by phase; paper Fig. 5c) and its table."""
    path = _figure_path(jobs)
    jobs = sorted(jobs, key=lambda j: (j.sp["px_over_fx"], j.sp["beta_epsilon"]))
    write_table(path.with_suffix(".csv"), TABLE_HEADER, [_table_row(job) for job in jobs])
    points = [(job.sp["px_over_fx"], job.sp["beta_epsilon"], job.doc["phase"],
               job.doc["final"]["psi4"], job.doc["final"]["psi6"]) for job in jobs]  # fmt: skip
    sp = jobs[0].cached_statepoint
    fig = state_diagram_figure(
        points,
        title=f"{sp['n_particles']} truncated cubes (t = {sp['t']:g}), area fraction "
        f"{sp['area_fraction']:g} (labels: $|\\psi_4|$, $|\\psi_6|$)",
    )
    fig.savefig(path, dpi=150)
    record_group_output(jobs, path)


if __name__ == "__main__":
    Project().main()
