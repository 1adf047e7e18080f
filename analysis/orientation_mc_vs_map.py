"""Walk-through: the Monte Carlo phase diagram against the representative-configuration map.

Usage: ``python analysis/orientation_mc_vs_map.py [map.csv [phase_diagram.csv [output.png]]]``;
``HOOMD_RIGIDFIELD_SMALL=1`` draws two tiny synthetic tables instead (no study needed). A
percent-format notebook: ``jupytext --to notebook analysis/orientation_mc_vs_map.py``.
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
# studies write; by default the study directories of this checkout. With the environment
# variable `HOOMD_RIGIDFIELD_SMALL=1` (or `SMALL = True` below) it draws two tiny synthetic
# tables instead, written to a temporary directory: a demonstration of the figure, not results.

# %%
from __future__ import annotations

import csv
import os
import sys
import tempfile
from pathlib import Path

import matplotlib
import numpy as np

from hoomd_rigidfield.fieldtheory.plotting import plot_monte_carlo_points, plot_phase_map
from hoomd_rigidfield.fieldtheory.superlattice import PHASES

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
HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
PROJECTS = HERE.parent / "projects"
args = [] if IN_NOTEBOOK else sys.argv[1:]

#: Synthetic tables of the small mode: a 3 x 3 map and five chains (two replicas at one point).
SMALL_MAP = """alpha,gamma,F_face-to-face_per_nc,F_diagonal_per_nc,F_edge-to-edge_per_nc,phase,resolved
1.8,1.1,-10.0,-9.0,-8.0,face-to-face,True
1.8,2.55,-10.0,-9.5,-8.0,face-to-face,True
1.8,4.0,-10.0,-9.0,-8.0,face-to-face,False
2.9,1.1,-9.0,-9.5,-10.0,edge-to-edge,True
2.9,2.55,-9.0,-10.0,-9.5,diagonal,True
2.9,4.0,-9.5,-10.0,-9.0,diagonal,True
4.0,1.1,-8.0,-9.0,-10.0,edge-to-edge,True
4.0,2.55,-8.0,-9.0,-10.0,edge-to-edge,True
4.0,4.0,-8.0,-10.0,-9.0,diagonal,True
"""
SMALL_DIAGRAM = """alpha,gamma,seed,mean_s,std_s,s_phase,f_phase,F_face-to-face,F_diagonal,F_edge-to-edge,acceptance,resolved
1.8,1.1,1,0.4500,0.0300,face-to-face,face-to-face,-40.0,-36.0,-32.0,0.200,True
1.8,1.1,2,0.7000,0.0300,diagonal,face-to-face,-40.0,-36.0,-32.0,0.200,True
2.9,2.55,1,0.6600,0.0400,diagonal,diagonal,-36.0,-40.0,-38.0,0.180,True
4.0,1.1,1,0.9700,0.0100,edge-to-edge,edge-to-edge,-32.0,-36.0,-40.0,0.150,True
1.8,4.0,1,,,,,,,,,False
"""
if SMALL and not args:
    small = Path(tempfile.mkdtemp(prefix="orientation_mc_vs_map_"))
    (small / "map.csv").write_text(SMALL_MAP)
    (small / "phase_diagram.csv").write_text(SMALL_DIAGRAM)
    args = [str(small / "map.csv"), str(small / "phase_diagram.csv")]
    print(f"small mode: synthetic tables in {small}")
MAP = Path(args[0]) if args else PROJECTS / "orientation_free_energy_map/phase_map_n64_c1_s57.csv"
DIAGRAM = (
    Path(args[1])
    if len(args) > 1
    else PROJECTS / "orientation_phase_diagram/phase_diagram_n64_t1500.csv"
)
OUTPUT = Path(args[2]) if len(args) > 2 else DIAGRAM.with_name(DIAGRAM.stem + "_vs_map.png")
for path in (MAP, DIAGRAM):
    if not path.is_file():
        sys.exit(
            f"{path} not found: run its study first (python init.py && python project.py run), "
            "or set HOOMD_RIGIDFIELD_SMALL=1 for a synthetic demonstration"
        )

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
print(f"figure: {OUTPUT}")  # in a notebook it is also drawn below
