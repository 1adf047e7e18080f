"""Walk-through: the fcc solubility line of the square well of width 0.18 sigma (Einstein molecule).

Usage: ``python analysis/square_well_solubility.py [table.csv [output.png]]``: runs the crystal
free energies that ``table.csv`` lacks (default ``square_well_solubility.csv`` in the working
directory; rows are appended, so an interrupted run resumes), then solves gas-crystal coexistence
at each depth. ``HOOMD_RIGIDFIELD_SMALL=1`` runs a tiny version (32 particles, 4 nodes, short
runs, two depths, in a temporary directory): a demonstration of the pipeline, not results. A
percent-format notebook: ``jupytext --to notebook analysis/square_well_solubility.py``.
"""

# needs HOOMD-blue

# %% [markdown]
# # fcc solubility line of the square well, lambda = 0.18 (seed paper Fig. 2B)
#
# The square well of depth $\beta u_0$ on a hard core $\sigma$, well edge at $1.18\sigma$. For
# each depth the fcc crystal's $\beta A/N$ is computed at a few nearest-neighbour distances
# $a_\mathrm{nn} \in [1.06, 1.12]\sigma$ (all 12 neighbours inside the well) by the Einstein
# molecule (`hard_sphere_free_energy(..., square_well=...)`: ideal molecule, perturbation with
# the lattice energy $-6\beta u_0$, HPMC switching with `hpmc.pair.Step`). A quadratic fit in
# $\rho$ gives the crystal's $\beta p$ and $\beta\mu$; the gas is the virial series with the exact
# $B_2$ and $B_3$; equal $p$ and $\mu$ give the gas density on the solubility line. Errors: a
# parametric bootstrap over the free-energy errors. $\Lambda = \sigma$ (it cancels). Finite
# size: the crystal has $N = 32$ (2 fcc cells per side); $N = 108$ at two depths estimates the
# shift to $N \to \infty$ (the *Finite size* cell).

# %%
from __future__ import annotations

import csv
import math
import os
import sys
import tempfile
from pathlib import Path

import matplotlib
import numpy as np

from hoomd_rigidfield.freeenergy.squarewell import (
    SolidFit,
    SquareWell,
    VirialGas,
    solubility,
    widom_weight,
)
from hoomd_rigidfield.freeenergy.study import build_lattice, extrapolate
from hoomd_rigidfield.shortrange.corresponding_states import (
    CRITICAL_REDUCED_B2,
    square_well_reduced_b2,
)

IN_NOTEBOOK = "ipykernel" in sys.modules
if not IN_NOTEBOOK and not os.environ.get("DISPLAY"):
    matplotlib.use("Agg")  # no display: write files only
import matplotlib.pyplot as plt  # noqa: E402

# %% [markdown]
# ## Inputs
#
# In a notebook, set the paths here (the notebook's directory is `analysis/`).

# %%
SMALL = os.environ.get("HOOMD_RIGIDFIELD_SMALL", "") not in ("", "0")
args = [] if IN_NOTEBOOK else sys.argv[1:]
WIDTH = 0.18
#: Seed paper's fluid: packing fraction 0.1, rho sigma^3 = 6 phi / pi.
SEED_DENSITY = 6 * 0.1 / math.pi
if SMALL and not args:
    DEPTHS, A_NN, N_CELLS, SEED_DEPTHS = (1.25, 1.5), (1.06, 1.08, 1.10, 1.12), 2, (1.25, 1.5)
    SETTINGS = {"n_nodes": 4, "sweeps": 200, "equilibration": 50, "n_perturbation": 2000}
    FLUID = {"equilibration": 300, "frames": 5, "period": 20, "insertions": 5000}
    FS_DEPTHS, FS_A_NN, FS_CELLS = (1.5,), (1.06, 1.08, 1.10), 3
    args = [str(Path(tempfile.mkdtemp(prefix="square_well_solubility_")) / "table.csv")]
    print(f"small mode: a tiny demonstration in {args[0]}")
else:
    DEPTHS = (1.25, 1.375, 1.5, 2.0, 2.5, 3.0, 4.0)
    A_NN, N_CELLS, SEED_DEPTHS = (1.06, 1.075, 1.09, 1.105, 1.12), 2, (1.25, 1.375, 1.5)
    SETTINGS = {"n_nodes": 12, "sweeps": 2000}
    FLUID = {"equilibration": 2000, "frames": 40, "period": 50, "insertions": 20_000}
    FS_DEPTHS, FS_A_NN, FS_CELLS = (1.5, 2.0), (1.075, 1.09, 1.105), 3
#: Degree of the polynomial fit of beta A/N against rho (below the number of densities).
DEGREE = 2
TABLE = Path(args[0]) if args else Path("square_well_solubility.csv")
OUTPUT = Path(args[1]) if len(args) > 1 else TABLE.with_suffix(".png")
FIELDS = ["depth", "a_nn", "n", "density", "free_energy", "error", "perturbation", "switching"]

# %% [markdown]
# ## Crystal free energies (HPMC; the slow part)

# %%
import hoomd  # noqa: E402

from hoomd_rigidfield.freeenergy.hpmc import hard_sphere_free_energy  # noqa: E402

rows = list(csv.DictReader(TABLE.open())) if TABLE.is_file() else []
done = {(float(r["depth"]), float(r["a_nn"]), int(r["n"])) for r in rows}
jobs = [(u, a, N_CELLS) for u in DEPTHS for a in A_NN]
jobs += [(u, a, FS_CELLS) for u in FS_DEPTHS for a in FS_A_NN]
with TABLE.open("a", newline="") as f:
    writer = csv.DictWriter(f, FIELDS)
    if not rows:
        writer.writeheader()
    for k, (depth, a_nn, cells) in enumerate(jobs):
        if (depth, a_nn, 4 * cells**3) in done:
            continue
        out = hard_sphere_free_energy(
            build_lattice("fcc", cells, math.sqrt(2) / a_nn**3),
            square_well=SquareWell(depth, WIDTH),
            seed=k + 1,
            progress=False,
            device=hoomd.device.CPU(notice_level=0),
            **SETTINGS,
        )
        row = dict(depth=depth, a_nn=a_nn, n=out.n, density=out.n / out.volume)
        row.update(free_energy=out.free_energy, error=out.error)
        row.update(perturbation=out.perturbation.value, switching=out.switching)
        writer.writerow(row)
        f.flush()
        rows.append({key: str(v) for key, v in row.items()})
        print(
            f"depth {depth} a_nn {a_nn} N {out.n}: beta A/N = {out.free_energy:.4f} +- "
            f"{out.error:.4f}"
        )

# %% [markdown]
# ## Coexistence with the virial gas at each depth
#
# `order = 3` keeps $B_3$; the spread against `order = 2` shows where the gas is not dilute.
# Where the zero-pressure crystal's $\beta\mu$ is above what the truncated series reaches, the
# gas is not dilute and no point is given.

# %%
small_n = 4 * N_CELLS**3
fits, table = {}, {}
for depth in DEPTHS:
    sel = [r for r in rows if float(r["depth"]) == depth and int(r["n"]) == small_n]
    sel.sort(key=lambda r: float(r["a_nn"]))
    rho = np.array([float(r["density"]) for r in sel])
    f_n = np.array([float(r["free_energy"]) for r in sel])
    err = np.array([float(r["error"]) for r in sel])
    fits[depth] = SolidFit(rho, f_n, err, DEGREE)
    chi2 = float(np.sum(((fits[depth].free_energy(rho) - f_n) / err) ** 2))
    well = SquareWell(depth, WIDTH)
    try:
        point = solubility(VirialGas(well, order=3), rho, f_n, err, degree=DEGREE, rng=1)
        two = solubility(VirialGas(well, order=2), rho, f_n, err, degree=DEGREE, n_bootstrap=2)
    except ValueError as exc:
        print(f"beta u0 = {depth}: no dilute-gas coexistence ({exc})")
        continue
    table[depth] = (point, two)
    print(
        f"beta u0 = {depth}: B2* = {float(square_well_reduced_b2(depth, WIDTH)):.3f}, rho_gas = "
        f"{point.gas_density:.4g} +- {point.gas_density_error:.2g} (B2 only: "
        f"{two.gas_density:.4g}), rho_solid = {point.solid_density:.4f} +- "
        f"{point.solid_density_error:.4f}, beta p = {point.pressure:.3g}, beta mu = "
        f"{point.chemical_potential:.3f} +- {point.chemical_potential_error:.3f}; fit chi2 = "
        f"{chi2:.2f} for {len(rho) - DEGREE - 1} dof"
    )
critical = math.log1p((1 - CRITICAL_REDUCED_B2) / ((1 + WIDTH) ** 3 - 1))
print(f"critical depth (B2* = {CRITICAL_REDUCED_B2}): beta u0_c = {critical:.4f}")

# %% [markdown]
# ## Finite size
#
# At `FS_DEPTHS` the crystal is also run with $N = 108$; $\beta A/N = a + b/N$ through the two
# sizes gives the shift $\delta = a - \beta A/N(32)$ at each density. Its mean (error: the
# spread over the densities and depths, with the fit errors) shifts every $N = 32$ free energy
# for an estimated $N \to \infty$ line, which assumes $\delta$ holds at the other depths too.

# %%
shifts = []
for depth in FS_DEPTHS:
    for a_nn in FS_A_NN:
        pair = sorted(
            (r for r in rows if float(r["depth"]) == depth and float(r["a_nn"]) == a_nn),
            key=lambda r: int(r["n"]),
        )
        a_inf, da, _ = extrapolate(
            [int(r["n"]) for r in pair],
            [float(r["free_energy"]) for r in pair],
            [float(r["error"]) for r in pair],
        )
        shifts.append((a_inf - float(pair[0]["free_energy"]), da))
        print(f"beta u0 = {depth}, a_nn = {a_nn}: delta = {shifts[-1][0]:.4f} +- {da:.4f} kT")
delta = float(np.mean([d for d, _ in shifts]))
delta_err = math.hypot(float(np.std([d for d, _ in shifts], ddof=1)), max(e for _, e in shifts))
print(f"mean shift N = {small_n} -> infinity: {delta:.4f} +- {delta_err:.4f} kT per particle")
extrapolated = {}
for depth in table:
    sel = [r for r in rows if float(r["depth"]) == depth and int(r["n"]) == small_n]
    rho = [float(r["density"]) for r in sel]
    f_inf = [float(r["free_energy"]) + delta for r in sel]
    err = [math.hypot(float(r["error"]), delta_err) for r in sel]
    gas3 = VirialGas(SquareWell(depth, WIDTH), order=3)
    try:
        extrapolated[depth] = solubility(gas3, rho, f_inf, err, degree=DEGREE, rng=2)
    except ValueError as exc:
        print(f"beta u0 = {depth}: no dilute-gas coexistence at N -> infinity ({exc})")
        continue
    point = extrapolated[depth]
    print(
        f"beta u0 = {depth}: N -> infinity (estimated) rho_gas = {point.gas_density:.4g} +- "
        f"{point.gas_density_error:.2g}, rho_solid = {point.solid_density:.4f}"
    )

# %% [markdown]
# ## The fluid by HPMC and Widom insertion
#
# A check of the gas side and the seed's question: $\beta\mu$ of the square-well fluid from
# test-particle insertion in HPMC frames ($N = 216$), at each coexisting gas density above
# $10^{-3}\sigma^{-3}$, and at $\rho\sigma^3 = 0.191$ ($\phi = 0.1$). That fluid is
# supersaturated with respect to fcc where its $\beta\mu$ exceeds the crystal's at the fluid's
# pressure (virial $B_2$, $B_3$ pressure; a small term, $\beta p/\rho_s$).

# %%
from hoomd_rigidfield.analysis.lattices import simple_cubic  # noqa: E402
from hoomd_rigidfield.shortrange.hpmc import square_well_integrator  # noqa: E402


def fluid_chemical_potential(depth: float, density: float, seed: int = 1) -> tuple[float, float]:
    """The fluid's beta mu [kT] and its standard error: HPMC frames and Widom insertion."""
    lattice = simple_cubic(6, density ** (-1 / 3))
    snap = hoomd.Snapshot()
    snap.configuration.box = [lattice.box.Lx, lattice.box.Ly, lattice.box.Lz, 0, 0, 0]
    snap.particles.N = lattice.num_particles
    snap.particles.types = ["A"]
    snap.particles.position[:] = lattice.positions
    sim = hoomd.Simulation(device=hoomd.device.CPU(notice_level=0), seed=seed)
    sim.create_state_from_snapshot(snap)
    sim.operations.integrator = square_well_integrator(depth, WIDTH, max_displacement=0.3)
    sim.run(FLUID["equilibration"])
    rng, weights = np.random.default_rng(seed), []
    for _ in range(FLUID["frames"]):
        sim.run(FLUID["period"])
        frame = sim.state.get_snapshot()
        weights.append(
            widom_weight(
                frame.configuration.box,
                frame.particles.position,
                SquareWell(depth, WIDTH),
                FLUID["insertions"],
                rng,
            )
        )
    w = np.array(weights)
    return math.log(density) - math.log(w.mean()), float(w.std(ddof=1) / w.mean() / len(w) ** 0.5)


for label, points in (("N = 32", {u: v[0] for u, v in table.items()}), ("N -> inf", extrapolated)):
    for depth, point in points.items():
        if point.gas_density > 1e-3:
            mu, dmu = fluid_chemical_potential(depth, point.gas_density)
            print(
                f"{label}, beta u0 = {depth}: at rho_gas = {point.gas_density:.4g} Widom beta mu "
                f"= {mu:.4f} +- {dmu:.4f}; coexistence beta mu = "
                f"{point.chemical_potential:.4f} +- {point.chemical_potential_error:.4f}"
            )

# %%
excess = {}
for depth in SEED_DEPTHS:
    mu_f, dmu_f = fluid_chemical_potential(depth, SEED_DENSITY)
    p_f = float(VirialGas(SquareWell(depth, WIDTH)).pressure(SEED_DENSITY))
    mu_s = float(fits[depth].chemical_potential(fits[depth].density_at_pressure(p_f)))
    excess[depth] = (mu_f - mu_s, dmu_f)
    print(
        f"beta u0 = {depth}, rho = {SEED_DENSITY:.3f}: beta mu fluid = {mu_f:.4f} +- {dmu_f:.4f}, "
        f"crystal at beta p = {p_f:.3f}: {mu_s:.4f}; supersaturation {mu_f - mu_s:+.3f} kT"
    )
u_seed = np.array(list(excess))
for label, shift in ((f"N = {small_n}", 0.0), ("N -> inf (estimated)", delta)):
    d_mu = np.array([v[0] for v in excess.values()]) - shift  # the shift raises mu_s
    if d_mu.min() < 0 < d_mu.max():
        onset = float(np.interp(0.0, d_mu, u_seed))
        print(
            f"{label} crystal: the fluid at phi = 0.1 is supersaturated with respect to fcc for "
            f"beta u0 > {onset:.3f} (linear interpolation; critical {critical:.3f})"
        )
    else:
        print(f"{label} crystal: the supersaturation does not change sign in SEED_DEPTHS")

# %%
depths = np.array(list(table))
fig, ax = plt.subplots(figsize=(5.5, 4.0), constrained_layout=True)
gas = np.array([table[u][0].gas_density for u in depths])
gas_err = np.array([table[u][0].gas_density_error for u in depths])
ax.errorbar(gas, depths, xerr=gas_err, fmt="o-", label=r"gas + fcc ($B_2$, $B_3$ gas)")
ax.plot([table[u][1].gas_density for u in depths], depths, "x--", label=r"$B_2$ gas only")
inf_depths = [u for u in depths if u in extrapolated]
ax.errorbar(
    [extrapolated[u].gas_density for u in inf_depths],
    inf_depths,
    xerr=[extrapolated[u].gas_density_error for u in inf_depths],
    fmt="s:",
    label=r"$N \to \infty$ (estimated shift)",
)
ax.axhline(critical, color="grey", ls=":", label=r"$B_2^* = -1.5$")
ax.axvline(SEED_DENSITY, color="k", lw=0.8, label=r"$\phi = 0.1$")
ax.set_xscale("log")
ax.set_xlabel(r"$\rho_\mathrm{gas}\sigma^3$")
ax.set_ylabel(r"$\beta u_0$")
ax.set_title(f"square well, width {WIDTH} sigma: fcc solubility (N = {small_n})", fontsize=9)
ax.legend(fontsize=8)
fig.savefig(OUTPUT, dpi=150)
print(f"figure: {OUTPUT}")  # in a notebook it is also drawn below
