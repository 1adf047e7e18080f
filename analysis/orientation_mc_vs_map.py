"""Walk-through: the Monte Carlo phase diagram against the representative-configuration map.

Usage: ``python analysis/orientation_mc_vs_map.py [map.csv [phase_diagram.csv [output.png]]]``.
"""

# %% [markdown]
# # Monte Carlo <s> against the lowest-free-energy map (seed paper 000, Fig. 4B vs Fig. S19B)
#
# Two studies answer "which orientation do the nanocrystals take?" differently:
#
# * `projects/orientation_free_energy_map` (the main job) compares the free energies of three
#   representative configurations (face-to-face, diagonal, edge-to-edge) on an (alpha, gamma)
#   grid: a map of the lowest-F phase;
# * `projects/orientation_phase_diagram` samples the orientations by rotational Monte Carlo at
#   k_BT = 50 from Haar-random starts, and classifies the mean alignment <s> of each chain
#   (<s> <= 0.6 face-to-face, 0.6-0.85 diagonal, > 0.85 edge-to-edge).
#
# This draws the chains' <s> on top of the map. Arguments are the two tables (`.csv`) the
# studies write; by default the study directories of this checkout.

# %%
from __future__ import annotations

import csv
import os
import sys
from pathlib import Path

import matplotlib
import numpy as np

from hoomd_rigidfield.fieldtheory.plotting import plot_monte_carlo_points, plot_phase_map
from hoomd_rigidfield.fieldtheory.superlattice import PHASES

IN_NOTEBOOK = "ipykernel" in sys.modules
if not IN_NOTEBOOK and not os.environ.get("DISPLAY"):
    matplotlib.use("Agg")  # no display: write files only
import matplotlib.pyplot as plt  # noqa: E402

PROJECTS = Path(__file__).resolve().parents[1] / "projects"
args = [] if IN_NOTEBOOK else sys.argv[1:]
MAP = Path(args[0]) if args else PROJECTS / "orientation_free_energy_map/phase_map_n64_c1_s57.csv"
DIAGRAM = (
    Path(args[1])
    if len(args) > 1
    else PROJECTS / "orientation_phase_diagram/phase_diagram_n64_t1500.csv"
)
OUTPUT = Path(args[2]) if len(args) > 2 else DIAGRAM.with_name(DIAGRAM.stem + "_vs_map.png")
for path in (MAP, DIAGRAM):
    if not path.is_file():
        sys.exit(f"{path} not found: run its study first (python init.py && python project.py run)")

# %% [markdown]
# ## The representative-configuration map

# %%
with MAP.open() as f:
    rows = list(csv.DictReader(f))
alphas = np.unique([float(r["alpha"]) for r in rows])
gammas = np.unique([float(r["gamma"]) for r in rows])
phase = np.full((len(alphas), len(gammas)), -1)
resolved = np.ones(phase.shape, bool)
for r in rows:
    i, k = np.searchsorted(alphas, float(r["alpha"])), np.searchsorted(gammas, float(r["gamma"]))
    phase[i, k] = PHASES.index(r["phase"]) if r["phase"] in PHASES else -1
    resolved[i, k] = r["resolved"] == "True"

# %% [markdown]
# ## The Monte Carlo chains

# %%
with DIAGRAM.open() as f:
    chains = [r for r in csv.DictReader(f) if r["mean_s"]]
mc_alpha = np.array([float(r["alpha"]) for r in chains])
mc_gamma = np.array([float(r["gamma"]) for r in chains])
mc_s = np.array([float(r["mean_s"]) for r in chains])
for r in chains:
    print(
        f"alpha {r['alpha']:>6} gamma {r['gamma']:>6} seed {r['seed']}: <s> = {r['mean_s']} "
        f"({r['s_phase']}); lowest-F representative: {r['f_phase']}"
    )

# %%
fig, ax = plt.subplots(figsize=(7.5, 5.0), constrained_layout=True)
plot_phase_map(ax, alphas, gammas, phase, resolved)
plot_monte_carlo_points(ax, mc_alpha, mc_gamma, mc_s)
ax.set_title(
    "cells: lowest-F representative configuration; markers: Monte Carlo chains, replicas side\n"
    r"by side (colour: phase of the chain's $\langle s\rangle$, number: $\langle s\rangle$)",
    fontsize=9,
)
fig.savefig(OUTPUT, dpi=150)
print(f"figure: {OUTPUT}")
