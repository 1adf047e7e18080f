"""Pair free energy of two truncated octahedra versus separation (seed paper 000, Fig. 4A).

Two 57 A nanocrystals approach along [110] in a 200 A box (alpha = 3.0 A, gamma = 2.1,
b/a = 100 A, lambda/a = 500; free energies in k_BT). Each job scans one relative orientation and
stores Delta F(r) = F_pair - F_1 - F_2 (``pair_free_energy.npz``) and its first minima (job
document); the ``plot`` operation draws both orientations.

    python init.py [--variant coarse|paper]   # state points (coarse: 128^3 CPU, paper: 200^3 GPU)
    python project.py run --progress          # the scans, then the figure
    python project.py status -d

Outputs: ``workspace/<id>/pair_free_energy.npz`` and ``pair_free_energy_n<grid>_s<size>.png|csv``
in this directory.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from flow import aggregator

from hoomd_rigidfield.fieldtheory.pair import PairFreeEnergy
from hoomd_rigidfield.fieldtheory.plotting import pair_free_energy_figure
from hoomd_rigidfield.fieldtheory.shapes import contact_distance
from hoomd_rigidfield.fieldtheory.study import from_statepoint
from hoomd_rigidfield.orientation import rotation_about
from hoomd_rigidfield.workflow import (
    StudyProject,
    directives,
    group_output_current,
    group_output_path,
    record_group_output,
    versions,
    write_table,
)

#: Job file with the scan: separations, Delta F, F_pair, F_1 + F_2, CG iterations.
RESULT = "pair_free_energy.npz"
#: Number of minima of Delta F(r) stored in the job document.
N_MINIMA = 2


class Project(StudyProject):
    """The pair free-energy study."""


def separations(sp: dict, spacing: float) -> np.ndarray:
    """Separations of a scan from the state point's ``r_min``, ``r_max`` and ``r_step``.

    Args:
        sp (dict): State point.
        spacing (float): Grid spacing :math:`h` :math:`[\\mathrm{\\AA}]`.

    Returns:
        numpy.ndarray: Increasing centre-to-centre distances :math:`[\\mathrm{\\AA}]`, from
        ``r_min`` up to at most ``r_max``. ``r_step = "grid"`` steps by half a grid cell along
        each component of the (integer) pair axis, so the second nanocrystal takes two sub-grid
        offsets only and the single-particle references need only a few solves.
    """
    direction = np.asarray(sp["direction"], dtype=float)
    if sp["r_step"] == "grid":
        if not np.allclose(direction, np.round(direction)):
            raise ValueError(f'r_step "grid" needs an integer direction, got {sp["direction"]}')
        step = spacing * float(np.linalg.norm(direction)) / 2.0
    else:
        step = float(sp["r_step"])
    if not step > 0 or sp["r_max"] < sp["r_min"]:
        raise ValueError(f"need r_step > 0 and r_max >= r_min, got {sp}")
    n = math.floor((sp["r_max"] - sp["r_min"]) / step + 1e-9) + 1
    return sp["r_min"] + step * np.arange(n)


def local_minima(r: np.ndarray, f: np.ndarray, count: int = N_MINIMA) -> list[dict[str, float]]:
    """The first interior local minima of a sampled curve, refined by a parabola.

    Args:
        r ((N,) numpy.ndarray): Increasing abscissae.
        f ((N,) numpy.ndarray): Values.
        count (int): How many minima to return (fewer if the curve has fewer).

    Returns:
        list[dict]: Per minimum, ``r`` and ``delta_f`` (vertex of the parabola through the sample
        and its neighbours, clamped to their interval) and ``r_sample``, ``delta_f_sample``.
    """
    out = []
    for i in range(1, len(f) - 1):
        if not (f[i] < f[i - 1] and f[i] <= f[i + 1]):
            continue
        c2, c1, c0 = np.polyfit(r[i - 1 : i + 2] - r[i], f[i - 1 : i + 2], 2)
        x = -c1 / (2.0 * c2) if c2 > 0 else 0.0
        x = float(np.clip(x, r[i - 1] - r[i], r[i + 1] - r[i]))
        out.append(
            {
                "r": float(r[i] + x),
                "delta_f": float(c0 + c1 * x + c2 * x * x),
                "r_sample": float(r[i]),
                "delta_f_sample": float(f[i]),
            }
        )
        if len(out) == count:
            break
    return out


@Project.label
def computed(job) -> bool:
    """The scan is in the job document and ``pair_free_energy.npz``."""
    return bool(job.doc.get("computed")) and job.isfile(RESULT)


@Project.post(computed)
@Project.operation(directives=directives(gpu=True, walltime=2.0))
def compute_pair(job) -> None:
    """Scan Delta F(r) for the job's orientation; arrays to a job file, minima to the document."""
    sp = job.cached_statepoint
    study = from_statepoint(sp)
    el, shape, solver = study.electrolyte, study.shape, study.solver
    rot_b = rotation_about([0.0, 0.0, 1.0], math.radians(sp["tilt_deg"]))
    contact = contact_distance(shape, np.eye(3), shape, rot_b, sp["direction"])
    r = separations(sp, solver.spacing)
    r = r[r > contact]
    if len(r) == 0:
        raise ValueError(f"all separations of {sp} are below contact ({contact:.3f} A)")
    pair = PairFreeEnergy(solver, shape, sp["direction"]).compute(r, np.eye(3), rot_b)
    delta = pair.interaction
    np.savez(
        job.fn(RESULT),
        separations=r,
        interaction=delta,
        free_energy=pair.free_energy,
        single_free_energies=pair.single_free_energies,
        iterations=pair.n_iterations,
    )
    minima = local_minima(r, delta)
    job.doc.update(
        {
            "contact_distance": float(contact),
            "n_separations": len(r),
            "r_step": float(r[1] - r[0]) if len(r) > 1 else None,
            "spacing": solver.spacing,
            "points_per_wavelength": el.wavelength / solver.spacing,
            "minima": minima,
            "minimum_spacing": (minima[1]["r"] - minima[0]["r"]) if len(minima) > 1 else None,
            "delta_f_min": float(delta.min()),
            "delta_f_at_r_max": float(delta[-1]),
            "n_single_solves": pair.n_single_solves,
            "mean_iterations": float(np.mean(pair.n_iterations)),
            "versions": versions(),
        }
    )
    job.doc["computed"] = True


def _variant(job) -> str:
    """Everything but the orientation: jobs that share a figure."""
    sp = job.cached_statepoint
    return json.dumps(
        {k: v for k, v in sp.items() if k not in ("orientation", "tilt_deg")}, sort_keys=True
    )


def _figure_path(jobs) -> Path:
    sp = jobs[0].cached_statepoint
    return group_output_path(jobs, f"pair_free_energy_n{sp['n_grid']}_s{sp['size']:g}.png")


#: Columns of the pair free-energy table.
TABLE_HEADER = ["orientation", "tilt_deg", "r_A", "delta_F_kT", "F_pair_kT", "iterations"]


@Project.pre(lambda *jobs: all(computed(j) for j in jobs))
@Project.post(lambda *jobs: group_output_current(jobs, _figure_path(jobs)))
@Project.operation(aggregator=aggregator.groupby(_variant), directives=directives(walltime=0.5))
def plot(*jobs) -> None:
    """Delta F(r) of all orientations (figure and table in the project directory)."""
    path = _figure_path(jobs)
    jobs = sorted(jobs, key=lambda j: j.cached_statepoint["tilt_deg"])
    rows, curves = [], {}
    for job in jobs:
        sp, data = job.cached_statepoint, np.load(job.fn(RESULT))
        curves[f"{sp['orientation']} ({sp['tilt_deg']:g} deg about [001])"] = (
            data["separations"], data["interaction"]
        )  # fmt: skip
        columns = ("separations", "interaction", "free_energy", "iterations")
        for row in zip(*(data[c] for c in columns)):
            rows.append([sp["orientation"], sp["tilt_deg"], *(f"{v:.8g}" for v in row)])
    write_table(path.with_suffix(".csv"), TABLE_HEADER, rows)
    sp = jobs[0].cached_statepoint
    fig = pair_free_energy_figure(
        curves,
        [[(m["r"], m["delta_f"]) for m in job.doc["minima"]] for job in jobs],
        title=rf"$\alpha$ = {sp['alpha']:g} A, $\gamma$ = {sp['gamma']:g}, $2h_{{100}}$ = "
        rf"{sp['size']:g} A, L = {sp['box_length']:g} A, {sp['n_grid']}$^3$ grid",
    )
    fig.savefig(path, dpi=150)
    record_group_output(jobs, path)


if __name__ == "__main__":
    Project().main()
