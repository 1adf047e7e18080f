"""Orientational free-energy map (seed paper 000, SI Fig. S19B).

For each (alpha, gamma): the free energies of the face-to-face, diagonal and edge-to-edge configurations of four truncated
octahedra on one fcc cell, and the phase of lowest free energy.

    python init.py [--variant coarse|paper]   # state points
    python project.py run --progress          # one field-solve triple per job, then the figure
    python project.py status -d
"""

from __future__ import annotations

from pathlib import Path

from flow import aggregator

from hoomd_rigidfield.errors import GridResolutionError
from hoomd_rigidfield.fieldtheory.plotting import phase_map_figure
from hoomd_rigidfield.fieldtheory.study import from_statepoint
from hoomd_rigidfield.fieldtheory.superlattice import PHASES, representative_free_energies
from hoomd_rigidfield.workflow import (
    StudyProject,
    directives,
    group_output_current,
    group_output_path,
    record_group_output,
    versions,
    write_table,
)


class Project(StudyProject):
    """The orientational free-energy map study."""


@Project.label
def computed(job) -> bool:
    """Free energies are in the job document."""
    return "phase" in job.doc


@Project.post(computed)
@Project.operation(directives=directives(gpu=True, walltime=0.5))
def compute_free_energies(job) -> None:
    """Solve the three representative configurations; store F, the phase and solver figures."""
    sp = job.cached_statepoint
    study = from_statepoint(sp)
    try:
        solver, resolved = study.solver, study.resolved
    except GridResolutionError as err:
        job.doc.update({"resolved": False, "phase": None, "reason": str(err)})
        return
    energies = representative_free_energies(
        solver, study.shape, sp["lattice_constant"], sp["n_cells"]
    )
    n_nc = 4 * sp["n_cells"] ** 3
    job.doc.update(
        {
            "free_energy": energies,
            "free_energy_per_nc": {p: f / n_nc for p, f in energies.items()},
            "phase": min(energies, key=energies.get),
            "resolved": resolved,
            "points_per_wavelength": solver.electrolyte.wavelength / solver.spacing,
            "versions": versions(),
        }
    )


def _variant(job) -> tuple:
    sp = job.cached_statepoint
    return (sp["n_grid"], sp["n_cells"], sp["lattice_constant"], sp["size"])


#: Columns of the phase-map table.
TABLE_HEADER = ["alpha", "gamma", *[f"F_{p}_per_nc" for p in PHASES], "phase", "resolved"]


def _table_row(alpha: float, gamma: float, doc) -> list:
    if doc["phase"] is None:
        return [alpha, gamma, "", "", "", "", False]
    f_nc = doc["free_energy_per_nc"]
    return [alpha, gamma, *[f"{f_nc[p]:.3f}" for p in PHASES], doc["phase"], doc["resolved"]]


@Project.pre(lambda *jobs: all("phase" in j.doc for j in jobs))
@Project.post(lambda *jobs: group_output_current(jobs, _figure_path(jobs)))
@Project.operation(aggregator=aggregator.groupby(_variant), directives=directives(walltime=0.5))
def plot(*jobs) -> None:
    """Phase map figure and table (one per grid / geometry variant) in the project directory."""
    path = Path(_figure_path(jobs))
    rows = sorted((j.cached_statepoint["alpha"], j.cached_statepoint["gamma"], j.doc) for j in jobs)
    write_table(path.with_suffix(".csv"), TABLE_HEADER, [_table_row(*row) for row in rows])
    alphas, gammas, docs = zip(*rows)
    n_grid, n_cells, a_lat, size = _variant(jobs[0])
    couplings = {(j.cached_statepoint["b"], j.cached_statepoint["lam"]) for j in jobs}
    b, lam = (f"{v:g}" for v in next(iter(couplings))) if len(couplings) == 1 else ("?", "?")
    fig = phase_map_figure(
        alphas,
        gammas,
        [doc["phase"] for doc in docs],
        [doc["resolved"] for doc in docs],
        [doc.get("free_energy_per_nc") for doc in docs],
        title=f"lowest-F configuration, {4 * n_cells**3} NCs ({size:g} $\\mathrm{{\\AA}}$) in fcc "
        f"$a$ = {a_lat:g} $\\mathrm{{\\AA}}$, {n_grid}$^3$ grid\n"
        f"$b/a$ = {b} $\\mathrm{{\\AA}}$, $\\lambda/a$ = {lam}",
    )
    fig.savefig(path, dpi=150)
    record_group_output(jobs, path)


def _figure_path(jobs) -> str:
    n_grid, n_cells, _, size = _variant(jobs[0])
    return str(group_output_path(jobs, f"phase_map_n{n_grid}_c{n_cells}_s{size:g}.png"))


if __name__ == "__main__":
    Project().main()
