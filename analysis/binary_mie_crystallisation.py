"""Walk-through: crystallisation of one binary Mie job (percent-format notebook, see its cells).

Usage: ``python analysis/binary_mie_crystallisation.py [trajectory.gsd [output_dir]]``; without a
trajectory (or with ``HOOMD_RIGIDFIELD_SMALL=1``) it analyses a tiny synthetic demonstration. A
percent-format notebook: ``jupytext --to notebook analysis/binary_mie_crystallisation.py``.
"""

# %% [markdown]
# # Crystallisation of a binary Mie run
#
# A walk-through of one job of the binary Mie study (`projects/binary_mie`, seed paper 002,
# Marino, LaCour et al., *Nat. Synth.* 2023). Large (L, sigma = 1) and small (S, sigma = 0.55)
# nanocrystals interact by a Mie 50-m potential. With a **narrow well** (m = 25) and
# eps/kT >= 1 a 1:2 mixture assembles into **AlB2**; the wide well (m = 6) and the purely
# repulsive inverse power law (IPL, m = 0) do not crystallise on the same time scale.
#
# Run it on a job's trajectory (the state point is read from `signac_statepoint.json` next to
# it) and get the figures in the job directory, or in an output directory:
#
#     python analysis/binary_mie_crystallisation.py path/to/job/trajectory.gsd [output_dir]
#     BINARY_MIE_TRAJECTORY=path/to/trajectory.gsd BINARY_MIE_OUTPUT=figs python ...
#
# Without a trajectory it builds a tiny **synthetic** demonstration (a fluid in which an AlB2
# crystallite grows, then a noisy AlB2 crystal) in a temporary directory, so it always runs.
# The demonstration is drawn from lattices, not from dynamics.

# %%
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import freud
import gsd.hoomd
import matplotlib
import numpy as np

from hoomd_rigidfield.analysis import lattices
from hoomd_rigidfield.analysis.density import local_density, partial_rdfs
from hoomd_rigidfield.analysis.reference_values import LOCAL_DENSITY_THRESHOLDS
from hoomd_rigidfield.mie import study as mie_study
from hoomd_rigidfield.mie.configurations import random_mixture
from hoomd_rigidfield.mie.plotting import CRYSTAL_COLOURS, plot_classified_snapshot
from hoomd_rigidfield.mie.potential import MieMixture

IN_NOTEBOOK = "ipykernel" in sys.modules
if not IN_NOTEBOOK and not os.environ.get("DISPLAY"):
    matplotlib.use("Agg")  # no display: write files only
import matplotlib.pyplot as plt  # noqa: E402


def close(fig) -> None:
    """Close a saved figure when run as a script; in a notebook it is drawn below its cell."""
    if not IN_NOTEBOOK:
        plt.close(fig)


# %% [markdown]
# ## Inputs
#
# `TRAJECTORY` is a `trajectory.gsd` written by `MieRun` (command-line argument 1 or the
# environment variable `BINARY_MIE_TRAJECTORY`); `OUTPUT` the figure directory (argument 2 or
# `BINARY_MIE_OUTPUT`; default: next to the trajectory). In a notebook, set them here.
# `SMALL` (the environment variable `HOOMD_RIGIDFIELD_SMALL=1`, as in the tests) ignores the
# trajectory and analyses the demonstration below.

# %%
ARGS = [] if IN_NOTEBOOK else sys.argv[1:]
SMALL = os.environ.get("HOOMD_RIGIDFIELD_SMALL", "") not in ("", "0")
TRAJECTORY = ARGS[0] if ARGS else os.environ.get("BINARY_MIE_TRAJECTORY", "")
OUTPUT = ARGS[1] if len(ARGS) > 1 else os.environ.get("BINARY_MIE_OUTPUT", "")
if SMALL:
    TRAJECTORY = ""

# %% [markdown]
# ## A tiny demonstration trajectory (only without a trajectory)
#
# 216 L + 432 S with the narrow well at eps/kT = 2.5. The first frames are random fluids at
# phi_eff = 0.20 to 0.32 around a spherical AlB2 crystallite of growing size
# (`mie_study.alb2_seed`); the last frame is a periodic AlB2 crystal at L-S contact with small
# random displacements (0.01 d_LL: the well is stiff, U'' = 1250 eps/r_min^2, so the thermal
# spread at kT = 0.4 eps is of that order). Each frame carries the two log entries `MieRun`
# writes: phi_eff and the potential energy (computed here from the Mie pair potentials).

# %%
#: State point of the demonstration (a narrow-well bulk ramp, 1:2).
DEMO_STATEPOINT = {
    "m": 25.0,
    "beta_epsilon": 2.5,
    "protocol": "ramp",
    "ratio": [1, 2],
    "n_large": 216,
    "geometry": "bulk",
    "polydisperse": False,
    "dt": 1e-3,
    "replica": 1,
    "frame_tau": 10.0,
}
#: (phi_eff, large particles in the embedded crystallite) of the fluid frames of the demo.
DEMO_FLUID_FRAMES = ((0.20, 0), (0.24, 20), (0.28, 40), (0.32, 70))


def potential_energy(frame: gsd.hoomd.Frame, mixture: MieMixture) -> float:
    """Total Mie energy of a frame (truncated, shifted pairs as HOOMD evaluates them)."""
    box = freud.box.Box.from_box(frame.configuration.box)
    pos = np.asarray(frame.particles.position, dtype=np.float64)
    names = np.asarray(frame.particles.types)[frame.particles.typeid]
    r_cut = max(p.r_cut for p in mixture.pairs().values())
    query = freud.locality.AABBQuery(box, pos).query(pos, {"r_max": r_cut, "exclude_ii": True})
    nl = query.toNeighborList()
    i, j, r = nl.query_point_indices, nl.point_indices, np.asarray(nl.distances)
    once = i < j
    i, j, r = i[once], j[once], r[once]
    total = 0.0
    for (a, b), pair in mixture.pairs().items():
        sel = ((names[i] == a) & (names[j] == b)) | ((names[i] == b) & (names[j] == a))
        total += float(np.sum(pair.energy(r[sel])))
    return total


def build_demo(directory: Path) -> Path:
    """Write the demonstration ``trajectory.gsd`` and ``signac_statepoint.json``.

    Args:
        directory (Path): Where to write them.

    Returns:
        Path: The trajectory.
    """
    sp = DEMO_STATEPOINT
    mix, counts = mie_study.mixture(sp)
    kT = mie_study.temperature(sp)
    d_ll = mie_study.classifier(sp).d_ll["AlB2"]  # AlB2 at L-S contact
    rng = np.random.default_rng(2023)
    frames = []
    for phi, n_seed in DEMO_FLUID_FRAMES:
        seed_pos, seed_types = np.zeros((0, 3)), np.zeros(0, dtype=str)
        if n_seed:
            seed_pos, seed_types = mie_study.alb2_seed(n_seed, d_ll, 1.0)
        fluid = {t: counts[t] - int(np.count_nonzero(seed_types == t)) for t in counts}
        length = (mix.effective_particle_volume(counts, kT) / phi) ** (1 / 3)
        frame = random_mixture(
            mix.diameters,
            fluid,
            length,
            rng,
            fixed_positions=seed_pos,
            fixed_types=seed_types,
            clearance=1.0,
        )
        frames.append(frame)
    cells = round(sp["n_large"] ** (1 / 3))
    crystal = lattices.alb2(cells, d_ll).with_noise(0.01 * d_ll, rng)
    frames.append(crystal.to_gsd_frame())
    period = mie_study.frame_period(sp)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "trajectory.gsd"
    with gsd.hoomd.open(path, "w") as traj:
        for k, frame in enumerate(frames):
            box = freud.box.Box.from_box(frame.configuration.box)
            frame.configuration.step = k * period
            frame.log = {
                mie_study.LOG_PHI: np.array(
                    [mix.effective_volume_fraction(counts, box.volume, kT)]
                ),
                mie_study.LOG_POTENTIAL: np.array([potential_energy(frame, mix)]),
            }
            traj.append(frame)
    (directory / "signac_statepoint.json").write_text(json.dumps(sp, indent=1))
    return path


if not TRAJECTORY:
    TRAJECTORY = str(build_demo(Path(tempfile.mkdtemp(prefix="binary_mie_demo_"))))
    print(f"demonstration trajectory: {TRAJECTORY}")

trajectory = Path(TRAJECTORY)
output = Path(OUTPUT) if OUTPUT else trajectory.parent
output.mkdir(parents=True, exist_ok=True)
statepoint_file = trajectory.parent / "signac_statepoint.json"
if not statepoint_file.is_file():
    raise FileNotFoundError(
        f"no state point next to {trajectory}: expected {statepoint_file} (a signac job directory)"
    )
sp = json.loads(statepoint_file.read_text())
ratio = tuple(sp["ratio"])
target = {(1, 0): "fcc", (1, 2): "AlB2", (1, 13): "NaZn13"}.get(ratio, "AlB2")
well = {25.0: "narrow well", 6.0: "wide well", 0.0: "IPL"}.get(float(sp["m"]), f"m = {sp['m']}")
title = f"{well}, eps/kT = {sp['beta_epsilon']:g}, L:S = {ratio[0]}:{ratio[1]}"
print(f"state point: {title}, {sp['protocol']} {sp.get('geometry', 'bulk')}")

# %% [markdown]
# ## Classify every frame
#
# Only the **large** particles are classified, as in the seed paper (it reports
# N_crys/N_L). `mie_study.classifier(sp)` combines, per phase, the averaged Steinhardt
# q4, q6 of the L sublattice (8 neighbours for AlB2, 6 for NaZn13, 12 for fcc), the number of
# S around each L, and ten Wolde bond coherence. Crystals of sticky spheres form at contact, so
# the L-L spacing of each phase is taken from the L-S contact distance (the well minimum):
# d_LL = r_c/0.764 (AlB2), r_c/0.581 (NaZn13). `mie_study.crystallisation_history` returns
# per frame the time, phi_eff, the energy per particle, the fractions and the largest nucleus.

# %%
history = mie_study.crystallisation_history(trajectory, sp)
classifier = mie_study.classifier(sp)
n_frames = len(history["time"])
print(f"{n_frames} frames, t = {history['time'][0]:g}..{history['time'][-1]:g} tau")
print(
    f"{'t [tau]':>10} {'phi_eff':>8} {'U/N [eps]':>10} {'N_crys/N_L':>10} {'largest':>8} {'dense':>6}"
)
for k in range(n_frames):
    print(
        f"{history['time'][k]:10g} {history['phi'][k]:8.3f} {history['potential_energy'][k]:10.3f} "
        f"{history['crystalline_fraction'][k]:10.3f} {history['largest_cluster'][k]:8d} "
        f"{history['dense_fraction'][k]:6.2f}"
    )

fig, (ax_t, ax_phi) = plt.subplots(1, 2, figsize=(10.0, 3.8), constrained_layout=True)
for ax, x, label in (
    (ax_t, history["time"], r"time [$\tau$]"),
    (ax_phi, history["phi"], r"$\phi_{eff}$ (Barker-Henderson)"),
):
    ax.plot(x, history["crystalline_fraction"], "k-o", ms=3, label="all crystalline")
    for phase in classifier.phase_names[1:]:
        if np.any(history[phase] > 0):
            ax.plot(x, history[phase], "--", color=CRYSTAL_COLOURS[phase], label=phase)
    ax.set_xlabel(label)
    ax.set_ylabel(r"$N_{crys}/N_L$")
    ax.set_ylim(-0.02, 1.02)
ax_t.legend(fontsize=8)
fig.suptitle(title, fontsize=10)
fig.savefig(output / "crystallisation_fraction.png", dpi=130)
close(fig)

# %% [markdown]
# ## The largest nucleus
#
# Crystalline L particles of the same phase that are neighbours form clusters; the largest is
# the nucleation order parameter. A supercritical nucleus grows steadily, subcritical ones
# appear and vanish; in a seeded run the seed's cluster grows (stable phase) or shrinks (melts).

# %%
with gsd.hoomd.open(trajectory, "r") as traj:
    first, last = traj[0], traj[-1]
names_last = np.asarray(last.particles.types)[last.particles.typeid]
is_large = np.char.startswith(names_last.astype(str), "L")
n_large = int(np.count_nonzero(is_large))

fig, ax = plt.subplots(figsize=(5.5, 3.8), constrained_layout=True)
ax.plot(history["time"], history["largest_cluster"], "-o", ms=3, color=CRYSTAL_COLOURS[target])
ax.axhline(n_large, color="0.6", ls=":", label=f"$N_L$ = {n_large}")
ax.set_xlabel(r"time [$\tau$]")
ax.set_ylabel("largest crystalline cluster [L particles]")
ax.legend(fontsize=8)
ax.set_title(title, fontsize=10)
fig.savefig(output / "crystallisation_nucleus.png", dpi=130)
close(fig)

# %% [markdown]
# ## Two-step nucleation: local density
#
# In the seed paper nucleation is two-step: dense, still disordered regions form first and the
# crystal orders inside them (most clearly for the wide well, which has a liquid). A particle is
# *locally dense* when its local number density (freud `LocalDensity`, r_max = 1.3 sigma,
# diameter 1.0 sigma, all species counted) exceeds 1.05, 1.6 or 2.5 sigma^-3 in the fcc,
# AlB2 and NaZn13 runs. The histograms of the first and the last frame show the shift from the
# dilute fluid to the dense phase; the line is the threshold of this run's target phase.

# %%
threshold = LOCAL_DENSITY_THRESHOLDS[target]
rho_first, rho_last = local_density(first), local_density(last)
first_t, last_t = history["time"][0], history["time"][-1]
fig, ax = plt.subplots(figsize=(5.5, 3.8), constrained_layout=True)
bins = np.linspace(0.0, max(rho_first.max(), rho_last.max(), threshold) * 1.05, 60)
ax.hist(rho_first, bins=bins, alpha=0.6, density=True, label=f"first frame ({first_t:g} tau)")
ax.hist(rho_last, bins=bins, alpha=0.6, density=True, label=f"last frame ({last_t:g} tau)")
ax.axvline(threshold, color="k", ls="--", label=f"{target} threshold {threshold:g}")
ax.set_xlabel(r"local density [$\sigma^{-3}$]")
ax.set_ylabel("probability density")
ax.legend(fontsize=8)
ax.set_title(title, fontsize=10)
fig.savefig(output / "crystallisation_local_density.png", dpi=130)
close(fig)

# %% [markdown]
# ## Partial radial distribution functions of the last frame
#
# g_LL, g_LS and g_SS (freud `RDF`, each normalised to 1 in a homogeneous mixture). In AlB2 at
# c/a = 1 the L-S peak sits at 0.764 d_LL (12 S), the S-S peak at d_LL/sqrt(3) (the honeycomb
# layers) and the L-L peak at d_LL (8 L); a fluid shows broad contact peaks only. For a droplet
# the box is only a container, so the curves do not tend to 1.

# %%


def largest_rdf_range(box: freud.box.Box, wanted: float = 3.0) -> float:
    """Largest r_max below half the smallest distance between opposite box faces."""
    a1, a2, a3 = box.to_matrix().T
    volume = abs(np.linalg.det(box.to_matrix()))
    faces = (np.cross(a2, a3), np.cross(a3, a1), np.cross(a1, a2))
    return min(wanted, 0.49 * min(volume / np.linalg.norm(f) for f in faces))


box_last = freud.box.Box.from_box(last.configuration.box)
rdfs = partial_rdfs(last, r_max=largest_rdf_range(box_last), bins=120)
d_target = classifier.d_ll[target]
fig, ax = plt.subplots(figsize=(6.0, 3.8), constrained_layout=True)
for k, (pair, (r, g)) in enumerate(rdfs.items()):
    ax.plot(r, g + 2.0 * k, label=f"$g_{{{pair}}}$ + {2 * k}")
ax.axvline(d_target, color=CRYSTAL_COLOURS[target], ls=":", label=f"{target} $d_{{LL}}$ at contact")
ax.set_xlabel(r"$r$ [$\sigma_{LL}$]")
ax.set_ylabel(r"$g(r)$ (shifted)")
ax.legend(fontsize=8)
ax.set_title(f"{title}, t = {last_t:g} $\\tau$", fontsize=10)
fig.savefig(output / "crystallisation_rdfs.png", dpi=130)
close(fig)

# %% [markdown]
# ## Snapshot of the last frame
#
# Large particles coloured by class (AlB2 red, NaZn13 blue, fcc green, fluid grey), small ones
# as grey dots. Open `trajectory.gsd` in OVITO for an interactive view.

# %%
classifier.compute(last)
positions = np.asarray(box_last.wrap(last.particles.position.astype(np.float64)))
fig = plt.figure(figsize=(6.0, 5.5), constrained_layout=True)
ax = fig.add_subplot(projection="3d")
plot_classified_snapshot(ax, positions[is_large], classifier.phase, positions[~is_large])
ax.set_title(
    f"{title}\nt = {last_t:g} $\\tau$, $\\phi_{{eff}}$ = {history['phi'][-1]:.3f}: "
    f"{classifier.crystalline_fraction:.0%} crystalline",
    fontsize=9,
)
fig.savefig(output / "crystallisation_snapshot.png", dpi=130)
close(fig)

# %% [markdown]
# ## Summary

# %%
final = history["crystalline_fraction"][-1]
onset = np.flatnonzero(history["crystalline_fraction"] > 0.1)
print(f"figures: {output}")
for name in ("fraction", "nucleus", "local_density", "rdfs", "snapshot"):
    print(f"  crystallisation_{name}.png")
print(
    "final phases: "
    + ", ".join(f"{p} {history[p][-1]:.2f}" for p in classifier.phase_names)
    + f"; largest nucleus {history['largest_cluster'][-1]} of {n_large} L"
)
print(f"final locally dense fraction ({target} threshold): {history['dense_fraction'][-1]:.2f}")
if len(onset):
    print(f"onset (N_crys/N_L > 0.1) at phi_eff = {history['phi'][onset[0]]:.3f}")
print(f"final crystalline fraction: {final:.2f}")
