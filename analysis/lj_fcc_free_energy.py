#!/usr/bin/env python
"""Walk-through: where the Lennard-Jones fcc free energy differs from van der Hoef's fit.

Usage: ``python analysis/lj_fcc_free_energy.py [output.png]``: compares van der Hoef's fit of
the full-LJ fcc free energy (``freeenergy.literature``) with what needs no fit: exact harmonic
lattice dynamics (its T -> 0 limit) and the leading anharmonic coefficient of classical
perturbation theory (``freeenergy.harmonic``) over the fit's densities, then HOOMD MD energies
along the isochore rho = 1.28 (N = 500, shifted at 1.92 sigma) against both, and the isochore's
free energy at T = 2. ``HOOMD_RIGIDFIELD_SMALL=1`` runs a tiny version (N = 108, three short
temperatures, two densities, figure in a temporary directory): a demonstration of the pipeline,
not results. A percent-format notebook: ``jupytext --to notebook analysis/lj_fcc_free_energy.py``.
"""

# needs HOOMD-blue

# %% [markdown]
# # The Lennard-Jones fcc solid: harmonic limit, anharmonic slope, isochore
#
# van der Hoef's Eq. 21 writes $\beta a_\mathrm{ex} = \beta U_\mathrm{stat} - \tfrac32\ln T +
# U_\mathrm{ah}(T,\rho) + h(\rho)$: a fitted density function $h$ (its $T \to 0$ limit, the
# harmonic crystal's entropy) and a fitted anharmonic part whose leading term is
# $-a_2(\rho)\,T$ with $u_\mathrm{ah} = \sum a_{nm}\rho^n T^m$. Both have exact counterparts:
# the harmonic free energy from the dynamical matrix, and $A_\mathrm{ah}/N = c_2 T^2$ from
# cubic and quartic force constants (so $u_\mathrm{ah} \to -c_2 T^2$). Where the fit and these
# differ, the fit's free energy carries the difference.

# %%
from __future__ import annotations

import os
import sys
import tempfile
import time

import matplotlib
import numpy as np

from hoomd_rigidfield.freeenergy import literature as lit
from hoomd_rigidfield.freeenergy.harmonic import (
    HarmonicCrystal,
    PowerLawPair,
    fcc_harmonic_free_energy,
)
from hoomd_rigidfield.freeenergy.quadrature import block_average
from hoomd_rigidfield.freeenergy.study import build_lattice

IN_NOTEBOOK = "ipykernel" in sys.modules
if not IN_NOTEBOOK and not os.environ.get("DISPLAY"):
    matplotlib.use("Agg")  # no display: write files only
import matplotlib.pyplot as plt  # noqa: E402

# %% [markdown]
# ## Inputs

# %%
SMALL = os.environ.get("HOOMD_RIGIDFIELD_SMALL", "") not in ("", "0")
args = [] if IN_NOTEBOOK else sys.argv[1:]
if args:
    OUTPUT = args[0]
elif SMALL:  # a demonstration: keep it out of the working directory
    OUTPUT = os.path.join(tempfile.mkdtemp(prefix="lj_fcc_free_energy_"), "figure.png")
else:
    OUTPUT = "lj_fcc_free_energy.png"
LJ = PowerLawPair.lennard_jones()
RHO, R_CUT = 1.28, 1.92  # r_c between the third and fourth shells (1.79, 2.07 sigma)
DENSITIES = [1.1, 1.28] if SMALL else [0.94, 1.0, 1.05, 1.1, 1.15, 1.2, 1.25, 1.28, 1.3]
N_CELLS = 3 if SMALL else 5  # N = 4 n^3
TEMPERATURES = [0.5, 1.0, 2.0] if SMALL else [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]
STEPS = 2000 if SMALL else 50_000  # sampled MD steps per temperature (dt = 0.002 tau)

# %% [markdown]
# ## The fit against exact limits, over its densities
#
# $\delta h$: the fit's $T \to 0$ limit minus exact lattice dynamics of the full potential
# (pairs to 6 sigma). $c_2$: perturbation theory (N = 256, pairs to 2.9 sigma; converged to
# 0.5 % in both) against the fit's $-\sum_n a_{n2}\rho^n$.

# %%
t_small = 1e-6  # U_ah is O(T) in beta A
rows = []
for rho in DENSITIES:
    fit = lit.lj_fcc_free_energy(t_small, rho) - lit.lj_fcc_lattice_energy(rho) / t_small
    exact = (
        fcc_harmonic_free_energy(LJ, rho, t_small, 6.0)
        - lit.lj_fcc_shifted_lattice_energy(rho, 6.0) / t_small
    )
    c2 = HarmonicCrystal(build_lattice("fcc", 2 if SMALL else 4, rho), LJ, 1.4 if SMALL else 2.9)
    fit_c2 = -sum(row[0] * rho**n for n, row in enumerate(lit.ANHARMONIC_COEFFICIENTS))
    rows.append((rho, fit - exact, c2.anharmonic_coefficient(), fit_c2))
    print(f"rho = {rho:.2f}: delta h = {fit - exact:+.4f} kT, c2 = {rows[-1][2]:.4f} "
          f"(fit {fit_c2:.4f}) 1/epsilon")  # fmt: skip

# %% [markdown]
# ## MD energies along the isochore rho = 1.28

# %%
import hoomd  # noqa: E402


def mean_energy(kT: float, seed: int) -> tuple[float, float]:
    """<U>/N of the shifted-LJ crystal by Langevin NVT (gamma = 5, dt = 0.002) [epsilon]."""
    lattice = build_lattice("fcc", N_CELLS, RHO)
    snap = hoomd.Snapshot()
    snap.configuration.box = [lattice.box.Lx] * 3 + [0, 0, 0]
    snap.particles.N = lattice.num_particles
    snap.particles.types = ["L"]
    snap.particles.position[:] = lattice.positions
    sim = hoomd.Simulation(device=hoomd.device.CPU(notice_level=0), seed=seed)
    sim.create_state_from_snapshot(snap)
    lj = hoomd.md.pair.LJ(nlist=hoomd.md.nlist.Cell(buffer=0.2), mode="shift")
    lj.params[("L", "L")] = dict(epsilon=1.0, sigma=1.0)
    lj.r_cut[("L", "L")] = R_CUT
    everyone = hoomd.filter.All()
    langevin = hoomd.md.methods.Langevin(filter=everyone, kT=kT, default_gamma=5.0)
    sim.operations.integrator = hoomd.md.Integrator(dt=0.002, methods=[langevin], forces=[lj])
    sim.state.thermalize_particle_momenta(filter=everyone, kT=kT)
    thermo = hoomd.md.compute.ThermodynamicQuantities(filter=everyone)
    sim.operations.computes.append(thermo)
    sim.run(2000)
    energies = []
    for _ in range(STEPS // 10):
        sim.run(10)
        energies.append(thermo.potential_energy / lattice.num_particles)
    return block_average(energies, 16)


crystal = HarmonicCrystal(build_lattice("fcc", N_CELLS, RHO), LJ, R_CUT)
n = crystal.num_particles
c2 = crystal.anharmonic_coefficient()
md = []
for i, t in enumerate(TEMPERATURES):
    start = time.time()
    u, err = mean_energy(t, seed=11 + i)
    u_ah = u - crystal.static_energy - 1.5 * (n - 1) / n * t
    fit = lit.lj_fcc_energy(t, RHO) - lit.lj_fcc_lattice_energy(RHO) - 1.5 * t
    md.append((t, u_ah, err, fit))
    print(f"T = {t}: u_ah = {u_ah:.5f}({err:.5f}), fit {fit:.5f}, -c2 T^2 = {-c2 * t * t:.5f} "
          f"({time.time() - start:.0f} s)")  # fmt: skip

# %% [markdown]
# ## The isochore's free energy at T = 2
#
# $u_\mathrm{ah}(T) = -c_2T^2 + c_3T^3 + c_4T^4 + c_5T^5$ with $c_2$ fixed by perturbation theory
# and the rest fitted to the MD energies; $\beta A_\mathrm{ah}/N = c_2T - \sum_{m\ge3} c_m
# T^{m-1}/(m-1)$ (its $\partial/\partial\beta$ is $u_\mathrm{ah}$). Exact harmonic at this N
# plus this anharmonic part is an N = 500 free energy of the shifted model that uses no
# Einstein molecule; its anharmonic part compares directly with the fit's.

# %%
t, y, e, _ = map(np.array, zip(*md, strict=True))
powers = range(3, 3 + min(3, len(t) - 1))
design = np.stack([t**m for m in powers], axis=1) / e[:, None]
coef, *_ = np.linalg.lstsq(design, (y + c2 * t * t) / e, rcond=None)
cov = np.linalg.inv(design.T @ design)
grad = np.array([-(2.0 ** (m - 1)) / (m - 1) for m in powers])
anharmonic = c2 * 2.0 + float(grad @ coef)
anharmonic_err = float(np.sqrt(grad @ cov @ grad))
fit_anharmonic = (
    lit.lj_fcc_free_energy(2.0, RHO)
    - fcc_harmonic_free_energy(LJ, RHO, 2.0, 6.0)
    - (lit.lj_fcc_lattice_energy(RHO) - lit.lj_fcc_shifted_lattice_energy(RHO, 6.0)) / 2.0
)
print(f"beta A_ah/N(T = 2): isochore {anharmonic:.4f}({anharmonic_err:.4f}), "
      f"fit {fit_anharmonic:.4f} (fit minus exact harmonic)")  # fmt: skip
print(f"beta A/N(T = 2, N = {n}, shifted): {crystal.free_energy(2.0) + anharmonic:.4f}")

# %%
fig, axes = plt.subplots(1, 3, figsize=(14, 4.2))
rho_a, dh, c2_pt, c2_fit = map(np.array, zip(*rows, strict=True))
axes[0].plot(rho_a, dh, "o-")
axes[0].axhline(0.0, color="0.6", lw=0.8)
axes[0].set(xlabel=r"$\rho\sigma^3$", ylabel=r"$\delta h$ = fit$(T\to0)$ $-$ exact  [kT]",
            title="harmonic limit")  # fmt: skip
axes[1].plot(rho_a, c2_pt, "o-", label="perturbation theory")
axes[1].plot(rho_a, c2_fit, "s--", label="van der Hoef's fit")
axes[1].set(xlabel=r"$\rho\sigma^3$", ylabel=r"$c_2$ [1/$\varepsilon$]",
            title=r"leading anharmonic term, $u_\mathrm{ah} \to -c_2T^2$")  # fmt: skip
axes[1].legend()
tt = np.linspace(0.02, max(TEMPERATURES), 200)
# u_ah / T^2: perturbation theory is the T -> 0 intercept, -c2
axes[2].errorbar(t, y / t**2, yerr=e / t**2, fmt="o", label=f"MD, N = {n}, shifted at {R_CUT}")
fit_curve = [lit.lj_fcc_energy(x, RHO) - lit.lj_fcc_lattice_energy(RHO) - 1.5 * x for x in tt]
axes[2].plot(tt, np.array(fit_curve) / tt**2, "--", label="van der Hoef's fit")
axes[2].plot([0.0], [-c2], "k*", markersize=11, label=r"$-c_2$ (perturbation theory)")
isochore = -c2 + sum(c * tt ** (m - 2) for c, m in zip(coef, powers, strict=True))
axes[2].plot(tt, isochore, ":", label="isochore fit")
axes[2].set(xlabel=r"$kT/\varepsilon$", ylabel=r"$u_\mathrm{ah}/(kT)^2$ [1/$\varepsilon$]",
            title=rf"isochore $\rho\sigma^3$ = {RHO}")  # fmt: skip
axes[2].legend()
fig.tight_layout()
fig.savefig(OUTPUT, dpi=150)
print(f"wrote {OUTPUT}")
