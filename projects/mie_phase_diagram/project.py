"""Binary Mie (1:2) phase diagrams in (beta*eps, rho sigma^3) from free energies (seed 002, Fig. 3c-d).

    python init.py [--variant cpu|paper]   # state points: one job per (well, depth)
    python project.py run --progress       # fluid -> solid -> liquid -> coexist -> phase_diagram
    python project.py status -d            # works without HOOMD-blue

Per job: ``fluid`` (Langevin NVT isotherm: Z at each density; the whole fluid, or the dilute gas
of a subcritical depth), ``solid`` (AlB2 at its finite-temperature zero-stress c/a: Einstein-molecule free
energy at ``solid_density0`` and the NVT equation of state), ``liquid`` (subcritical depths:
isochores in beta*eps from the reference depth's isotherm), ``coexist`` (equal p and mu between
the branches, bootstrap errors). Per well: ``phase_diagram`` writes
``mie_phase_diagram_<variant>_<well>.png|csv`` in this directory. Only the MD operations need
HOOMD-blue; ``coexist`` and ``phase_diagram`` do not.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from flow import aggregator

from hoomd_rigidfield.freeenergy import phases
from hoomd_rigidfield.freeenergy.fluid import FluidIsotherm, second_virial
from hoomd_rigidfield.freeenergy.plotting import plot_phase_diagram
from hoomd_rigidfield.freeenergy.study import build_lattice, phase_statepoint, relaxed_c_over_a
from hoomd_rigidfield.mie.potential import MieMixture
from hoomd_rigidfield.workflow import (
    StudyProject,
    directives,
    group_output_current,
    group_output_path,
    record_group_output,
    versions,
    write_table,
)

#: Mole fractions (L, S) of the 1:2 mixture.
FRACTIONS = (1 / 3, 2 / 3)
#: Density of the dilute AlB2 lattice that every fluid path starts from (it melts at once).
START_DENSITY = 0.3


class Project(StudyProject):
    """The binary Mie phase-diagram study."""


def mixture(sp, depth=None) -> MieMixture:
    """The 1:2 Mie mixture of a state point at ``depth`` (default its own) in kT."""
    eps = float(sp["depth"] if depth is None else depth)
    return MieMixture.binary(m=float(sp["m"]), epsilon=eps, cutoff=float(sp["cutoff"]))


def pair_energy(mix: MieMixture):
    """NumPy ``pair_energy(r, type_i, type_j)`` of a mixture (type ids in ``mix.types`` order)."""
    pairs = {
        (a, b): mix.pair(ta, tb) for a, ta in enumerate(mix.types) for b, tb in enumerate(mix.types)
    }

    def energy(r, ti, tj):
        out = np.zeros_like(np.asarray(r, dtype=float))
        for (a, b), pair in pairs.items():
            sel = (ti == a) & (tj == b)
            if np.any(sel):
                out[sel] = pair.energy(r[sel])
        return out

    return energy


def r_cut_matrix(mix: MieMixture) -> np.ndarray:
    """Cut-offs [sigma] of the pairs, by type id."""
    return np.array([[mix.pair(a, b).r_cut for b in mix.types] for a in mix.types])


def b2(sp, depth=None) -> float:
    """Second virial coefficient of the 1:2 mixture [sigma^3]."""
    mix = mixture(sp, depth)
    return second_virial(pair_energy(mix), FRACTIONS, r_cut_matrix(mix))


def _hoomd():
    try:
        from hoomd_rigidfield.freeenergy import md
        from hoomd_rigidfield.mie.md import mie_pair_force
    except ImportError as err:
        raise RuntimeError(f"this operation runs HOOMD-blue MD. {err}") from err
    import hoomd

    return hoomd, md, mie_pair_force


def _set_depth(force, depth: float, mix: MieMixture) -> None:
    for (a, b), pair in mix.pairs().items():
        force.params[(a, b)] = dict(epsilon=float(depth), sigma=pair.sigma, n=pair.n, m=pair.m)


def _json_default(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Mapping):  # signac's synced dicts and lists of another document
        return dict(value)
    if isinstance(value, Iterable):
        return list(value)
    return float(value)


def _plain(value):
    """``value`` as plain JSON types (NumPy scalars, signac synced collections converted)."""
    return json.loads(json.dumps(value, default=_json_default))


def _samples(samples) -> dict:
    keys = ("density", "parameter", "compressibility", "compressibility_error", "energy",
            "energy_error", "temperature")  # fmt: skip
    return {k: [float(getattr(s, k)) for s in samples] for k in keys}


# ---------------------------------------------------------------------------------------- labels
@Project.label
def fluid_done(job) -> bool:
    """The isotherm at the job's depth is in the document."""
    return "fluid" in job.doc


@Project.label
def solid_done(job) -> bool:
    """The solid's free energy and equation of state are in the document."""
    return "solid" in job.doc


def needs_liquid(job) -> bool:
    """Subcritical depth: the liquid branch comes from isochores."""
    return job.cached_statepoint["reference_depth"] is not None


@Project.label
def liquid_done(job) -> bool:
    """The isochores are in the document (or the depth needs none)."""
    return not needs_liquid(job) or "liquid" in job.doc


@Project.label
def coexistence_done(job) -> bool:
    """The coexistences are in the document."""
    return "coexistence" in job.doc


def reference_job(job):
    """The job whose whole isotherm anchors this job's isochores (same well and size)."""
    sp = job.cached_statepoint
    query = {k: sp[k] for k in ("variant", "well", "n_cells", "cutoff", "steps", "replica")}
    query.update(depth=sp["reference_depth"], reference_depth=None)
    found = list(job.project.find_jobs(query))
    if len(found) != 1:
        raise RuntimeError(
            f"job {job.id} needs exactly one reference job at depth {sp['reference_depth']} "
            f"({query}), found {len(found)}: run init.py for the whole variant"
        )
    return found[0]


def reference_ready(job) -> bool:
    """The reference job has its isotherm (subcritical jobs only)."""
    return not needs_liquid(job) or fluid_done(reference_job(job))


# ------------------------------------------------------------------------------------ operations
@Project.post(fluid_done)
@Project.operation(directives=directives(walltime=2.0))
def fluid(job) -> None:
    """Langevin NVT along the job's fluid densities: Z and <U>/N at each (needs HOOMD-blue)."""
    sp = phase_statepoint(job.cached_statepoint)
    hoomd, md, mie_pair_force = _hoomd()
    mix = mixture(sp)
    start = build_lattice("alb2", sp["n_cells"], min(START_DENSITY, sp["fluid_densities"][0]))
    t0 = time.time()
    samples = md.sample_path(
        start,
        mie_pair_force(mix, buffer=0.2),
        [(rho, sp["depth"]) for rho in sp["fluid_densities"]],
        dt=sp["dt"],
        gamma=sp["gamma"],
        steps=sp["steps"],
        equilibration=sp["equilibration"],
        compression_steps=sp["compression_steps"],
        seed=sp["replica"] % 65536,
        device=hoomd.device.CPU(notice_level=1),
    )
    data = _samples(samples)
    job.doc["fluid"] = {"density": data["density"], "z": data["compressibility"],
                        "z_error": data["compressibility_error"], "energy": data["energy"],
                        "energy_error": data["energy_error"], "temperature": data["temperature"],
                        "seconds": time.time() - t0}  # fmt: skip
    job.doc["b2"] = float(b2(sp))
    job.doc["versions"] = versions()


@Project.post(solid_done)
@Project.operation(directives=directives(walltime=4.0))
def solid(job) -> None:
    """AlB2 at its finite-T zero-stress c/a: Einstein molecule at ``solid_density0``, NVT EOS."""
    sp = phase_statepoint(job.cached_statepoint)
    hoomd, md, mie_pair_force = _hoomd()
    mix = mixture(sp)
    energy = pair_energy(mix)
    r_cut = float(r_cut_matrix(mix).max())
    t0 = time.time()
    static = relaxed_c_over_a(
        sp["n_cells"], sp["solid_density0"], pair_energy(mixture(sp, 1.0)), r_cut
    )
    shape = md.zero_stress_c_over_a(
        lambda c: build_lattice("alb2", sp["n_cells"], sp["solid_density0"], c_over_a=c),
        lambda: mie_pair_force(mix, buffer=0.2),
        static,
        dt=sp["dt"],
        gamma=sp["gamma"],
        steps=4 * sp["solid_steps"],
        equilibration=sp["solid_equilibration"],
        seed=(sp["replica"] + 200) % 65533,
        device=hoomd.device.CPU(notice_level=1),
    )
    ca = shape.c_over_a
    lattice = build_lattice("alb2", sp["n_cells"], sp["solid_density0"], c_over_a=ca)
    result = md.solid_free_energy(
        lattice,
        mie_pair_force(mix, buffer=0.2),
        energy,
        r_cut,
        spring_max=sp["spring_max"],
        n_nodes=sp["n_nodes"],
        dt=min(sp["dt"], 0.09 / np.sqrt(2.0 * sp["spring_max"])),  # resolve the stiffest spring
        steps=sp["solid_steps"],
        equilibration=sp["solid_equilibration"],
        n_perturbation=5000,  # converged to 1e-4 kT at spring_max = 1e5 (not at 2000)
        seed=sp["replica"] % 65536,
        device=hoomd.device.CPU(notice_level=1),
    )
    eos = []
    for k, rho in enumerate(sp["solid_densities"]):
        eos += md.sample_path(
            build_lattice("alb2", sp["n_cells"], rho, c_over_a=ca),
            mie_pair_force(mix, buffer=0.2),
            [(rho, sp["depth"])],
            dt=sp["dt"],
            gamma=sp["gamma"],
            steps=sp["solid_steps"],
            equilibration=sp["solid_equilibration"],
            seed=(sp["replica"] + 100 + k) % 65536,
            device=hoomd.device.CPU(notice_level=1),
            progress=False,
        )
    data = _samples(eos)
    job.doc["solid"] = _plain(
        {
            "c_over_a": ca,
            "c_over_a_error": shape.c_over_a_error,
            "c_over_a_static": static,
            "stress_samples": shape.samples,
            "static_shape_free_energy_shift": shape.free_energy_shift,
            "density0": sp["solid_density0"],
            "free_energy0": result.free_energy,
            "free_energy0_error": result.error,
            "reference": result.reference,
            "perturbation": result.perturbation.value,
            "lattice_energy": result.perturbation.lattice_energy,
            "switching": result.switching,
            "switching_error": result.switching_error,
            "node_msd": [nd.msd for nd in result.nodes],
            "node_springs": [nd.spring for nd in result.nodes],
            "density": data["density"],
            "z": data["compressibility"],
            "z_error": data["compressibility_error"],
            "energy": data["energy"],
            "energy_error": data["energy_error"],
            "seconds": time.time() - t0,
        }
    )


@Project.pre(needs_liquid)
@Project.pre(reference_ready)
@Project.post(liquid_done)
@Project.operation(directives=directives(walltime=4.0))
def liquid(job) -> None:
    """Isochores from the reference depth to the job's depth at the liquid densities."""
    sp = phase_statepoint(job.cached_statepoint)
    hoomd, md, mie_pair_force = _hoomd()
    ref = reference_job(job)
    depths = [
        float(d) for d in np.linspace(sp["reference_depth"], sp["depth"], sp["isochore_points"])
    ]
    path = []
    for k, rho in enumerate(sp["liquid_densities"]):  # a snake: down and up the depths
        path += [(rho, d) for d in (depths if k % 2 == 0 else depths[::-1])]
    mix = mixture(sp, sp["reference_depth"])
    t0 = time.time()
    samples = md.sample_path(
        build_lattice("alb2", sp["n_cells"], START_DENSITY),
        mie_pair_force(mix, buffer=0.2),
        path,
        lambda force, d: _set_depth(force, d, mix),
        dt=sp["dt"],
        gamma=sp["gamma"],
        steps=sp["steps"],
        equilibration=sp["equilibration"],
        compression_steps=sp["compression_steps"],
        seed=(sp["replica"] + 7) % 65536,
        device=hoomd.device.CPU(notice_level=1),
    )
    by_state = {(s.density, s.parameter): s for s in samples}
    rhos = sp["liquid_densities"]
    job.doc["liquid"] = _plain(
        {
            "reference_job": ref.id,
            "reference": {k: ref.doc["fluid"][k] for k in ("density", "z", "z_error")},
            "reference_b2": ref.doc["b2"],
            "depths": depths,
            "densities": rhos,
            # U = eps Phi: d(beta A/N)/d(beta eps) = <Phi>/N
            "energy": [[by_state[(r, d)].energy / d for d in depths] for r in rhos],
            "energy_error": [[by_state[(r, d)].energy_error / d for d in depths] for r in rhos],
            "z": [by_state[(r, depths[-1])].compressibility for r in rhos],
            "z_error": [by_state[(r, depths[-1])].compressibility_error for r in rhos],
            "seconds": time.time() - t0,
        }
    )


def phase_inputs(job) -> dict:
    """The measurements of a job as :func:`hoomd_rigidfield.freeenergy.phases.build_branches` reads them."""
    doc = job.doc
    inputs = {
        "fractions": FRACTIONS,
        "fluid": {k: list(doc["fluid"][k]) for k in ("density", "z", "z_error")},
        "b2": float(doc["b2"]),
        "solid": {
            k: doc["solid"][k]
            for k in ("density0", "free_energy0", "free_energy0_error", "density", "z", "z_error")
        },
        "fluid_degree": 5,
    }
    if needs_liquid(job):
        inputs["liquid"] = dict(doc["liquid"])
        inputs["reference_b2"] = float(doc["liquid"]["reference_b2"])
        inputs["fluid_degree"] = 2  # the dilute gas: B2 fixed, one fitted coefficient
    return inputs


def monotonic_isotherm(data, b2_value, degree=5) -> bool:
    """Whether the fitted isotherm has d(beta p)/d rho > 0 everywhere (no van der Waals loop)."""
    fit = FluidIsotherm.fit(data["density"], data["z"], data["z_error"], degree=degree, b2=b2_value,
                            fractions=FRACTIONS)  # fmt: skip
    grid = np.linspace(1e-4, fit.density_max, 400)
    return bool(np.all(np.diff(fit.pressure(grid)) > 0))


@Project.pre(fluid_done)
@Project.pre(solid_done)
@Project.pre(liquid_done)
@Project.post(coexistence_done)
@Project.operation(directives=directives(walltime=0.5))
def coexist(job) -> None:
    """Equal p and mu between the branches, with parametric-bootstrap errors (no HOOMD)."""
    sp = phase_statepoint(job.cached_statepoint)
    inputs = phase_inputs(job)
    result = phases.phase_point(inputs, n_bootstrap=sp["n_bootstrap"], seed=sp["replica"])
    job.doc["monotonic_isotherm"] = monotonic_isotherm(
        inputs["fluid"], inputs["b2"], inputs["fluid_degree"]
    )
    job.doc["coexistence"] = _plain(result)


def _group(job) -> str:
    sp = job.cached_statepoint
    return json.dumps({k: sp[k] for k in ("variant", "well", "n_cells", "cutoff")}, sort_keys=True)


def _figure_path(jobs) -> Path:
    sp = jobs[0].cached_statepoint
    return group_output_path(jobs, f"mie_phase_diagram_{sp['variant']}_{sp['well']}.png")


#: Columns of the phase-diagram table.
TABLE_HEADER = ["well", "depth", "coexistence", "stable", "density_a", "density_a_error", "density_b",
                "density_b_error", "pressure", "pressure_error", "chemical_potential",
                "chemical_potential_error", "bootstrap_found", "n", "cutoff"]  # fmt: skip


def table_rows(jobs) -> list[list]:
    """One row per coexistence of every job (metastable ones included, ``stable`` says which)."""
    rows = []
    for job in sorted(jobs, key=lambda j: j.cached_statepoint["depth"]):
        sp = job.cached_statepoint
        for key, c in sorted(job.doc["coexistence"].items()):
            rows.append([sp["well"], sp["depth"], key, bool(c["stable"]),
                         *(f"{c[k]:.5g}" for k in ("density_a", "density_a_error", "density_b",
                                                    "density_b_error", "pressure", "pressure_error",
                                                    "chemical_potential", "chemical_potential_error")),
                         f"{c['found']:.2f}", 3 * sp["n_cells"] ** 3, sp["cutoff"]])  # fmt: skip
    return rows


def critical_estimate(points) -> tuple[float, float] | None:
    """(beta eps_c, rho_c) from the stable gas-liquid coexistences (>= 2 depths), else ``None``."""
    gl = [(d, c["gas-liquid"]) for d, c in points if c.get("gas-liquid", {}).get("stable")]
    if len(gl) < 2:
        return None
    try:
        return phases.critical_point([d for d, _ in gl], [c["density_a"] for _, c in gl],
                                     [c["density_b"] for _, c in gl])  # fmt: skip
    except ValueError:
        return None


def phase_diagram_figure(points, title: str, critical=None):
    """The (rho, beta eps) diagram of one well: coexistence densities with error bars, tie lines."""
    fig, ax = plt.subplots(figsize=(6.0, 4.5), constrained_layout=True)
    plot_phase_diagram(ax, points, critical=critical)
    ax.set_title(title, fontsize=8)
    return fig


@Project.pre(lambda *jobs: all(coexistence_done(j) for j in jobs))
@Project.post(lambda *jobs: group_output_current(jobs, _figure_path(jobs)))
@Project.operation(aggregator=aggregator.groupby(_group), directives=directives(walltime=0.5))
def phase_diagram(*jobs) -> None:
    """The (rho sigma^3, beta eps) phase diagram of one well (figure and table)."""
    jobs = sorted(jobs, key=lambda j: j.cached_statepoint["depth"])
    path = _figure_path(jobs)
    write_table(path.with_suffix(".csv"), TABLE_HEADER, table_rows(jobs))
    sp = jobs[0].cached_statepoint
    points = [(j.cached_statepoint["depth"], dict(j.doc["coexistence"])) for j in jobs]
    critical = critical_estimate(points)
    title = (f"binary Mie 50-{sp['m']:g}, {sp['well']} well (cut {sp['cutoff']:g} sigma_ij), 1:2, "
             f"N = {3 * sp['n_cells'] ** 3}\n{sp['steps']} MD steps per state, {sp['n_nodes']} "
             "spring nodes; dotted/faint: metastable; error bars: bootstrap (1 s.d.)")  # fmt: skip
    if critical is not None:
        title += f"\ncritical point (Ising-scaling estimate): beta eps = {critical[0]:.2f}, rho = {critical[1]:.2f}"
    fig = phase_diagram_figure(points, title, critical)
    fig.savefig(path, dpi=150)
    plt.close(fig)
    record_group_output(jobs, path)


if __name__ == "__main__":
    Project().main()
