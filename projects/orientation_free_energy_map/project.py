"""Orientational free-energy map (seed paper 000, SI Fig. S19B).

For each (alpha, gamma): the free energies of the face-to-face, diagonal and edge-to-edge configurations of four truncated
octahedra on one fcc cell, and the phase of lowest free energy.

    python init.py [--variant coarse|paper]   # state points
    python project.py run --progress          # one field-solve triple per job, then the figure
    python project.py status -d
"""

from __future__ import annotations

import csv
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from flow import FlowProject, aggregator

import hoomd_rigidfield as hr
from hoomd_rigidfield.errors import GridResolutionError
from hoomd_rigidfield.plotting import plot_phase_map
from hoomd_rigidfield.superlattice import PHASES, representative_free_energies
from hoomd_rigidfield.workflow import directives, field_solver, versions


class Project(FlowProject):
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
    shape = hr.TruncatedOctahedron.from_size(sp["size"], sp["wulff_ratio"])
    try:
        solver, resolved = field_solver(sp)
    except GridResolutionError as err:
        job.doc.update({"resolved": False, "phase": None, "reason": str(err)})
        return
    energies = representative_free_energies(solver, shape, sp["lattice_constant"], sp["n_cells"])
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


@Project.pre(lambda *jobs: all("phase" in j.doc for j in jobs))
@Project.post(lambda *jobs: Path(_figure_path(jobs)).is_file())
@Project.operation(aggregator=aggregator.groupby(_variant))
def plot(*jobs) -> None:
    """Phase map figure and table (one per grid / geometry variant) in the project directory."""
    path = Path(_figure_path(jobs))
    rows = sorted((j.cached_statepoint["alpha"], j.cached_statepoint["gamma"], j.doc) for j in jobs)
    alphas = np.array(sorted({r[0] for r in rows}))
    gammas = np.array(sorted({r[1] for r in rows}))
    index = {p: i for i, p in enumerate(PHASES)}
    phase = np.full((len(alphas), len(gammas)), -1)
    resolved = np.zeros_like(phase, dtype=bool)
    gap = np.full(phase.shape, np.nan)
    with path.with_suffix(".csv").open("w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["alpha", "gamma", *[f"F_{p}_per_nc" for p in PHASES], "phase", "resolved"])
        for a, g, doc in rows:
            i, k = np.searchsorted(alphas, a), np.searchsorted(gammas, g)
            resolved[i, k] = bool(doc["resolved"])
            if doc["phase"] is None:
                out.writerow([a, g, "", "", "", "", False])
                continue
            phase[i, k] = index[doc["phase"]]
            f_nc = doc["free_energy_per_nc"]
            gap[i, k] = sorted(f_nc.values())[1] - min(f_nc.values())
            out.writerow([a, g, *[f"{f_nc[p]:.3f}" for p in PHASES], doc["phase"], doc["resolved"]])
    n_grid, n_cells, a_lat, size = _variant(jobs[0])
    fig, ax = plt.subplots(figsize=(6.4, 4.8), constrained_layout=True)
    plot_phase_map(ax, alphas, gammas, phase, resolved, gap)
    ax.set_title(
        f"lowest-F configuration, {4 * n_cells**3} NCs ({size:g} A) in fcc a = {a_lat:g} A, "
        f"{n_grid}$^3$ grid",
        fontsize=9,
    )
    fig.savefig(path, dpi=150)
    plt.close(fig)


def _figure_path(jobs) -> str:
    n_grid, n_cells, _, size = _variant(jobs[0])
    project = jobs[0].project
    return str(Path(project.path) / f"phase_map_n{n_grid}_c{n_cells}_s{size:g}.png")


if __name__ == "__main__":
    Project().main()
