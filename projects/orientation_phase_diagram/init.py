"""Create the state points of the orientational phase diagram (seed paper 000, Fig. 4B).

    python init.py                  # coarse CPU run: 64^3 grid, 3 (alpha, gamma) points x 2
                                    # replicas, 1,500 MC steps, <s> over the last 500 (~1-1.5 h
                                    # on 2 cores)
    python init.py --variant paper  # paper protocol: 120^3 grid, 12 x 12 points, 40,000 steps,
                                    # <s> over the last 10,000 (a GPU job, ~1 h per point)
    python init.py --n-alpha 4 --n-gamma 4   # a regular (alpha, gamma) grid for either variant
    python init.py --replicas 3     # independent chains per point (seeds 1, 2, 3)

Four nanocrystals (57 A) on one fcc cell (a = 90 A), b/a = 100 A, lambda/a = 500,
k_BT = 50 (b/k_BT = 2 A^-2), rotation step 0.2 rad, Haar-random initial orientations from ``seed``.
"""

from __future__ import annotations

import numpy as np

from hoomd_rigidfield.fieldtheory.study import fcc_chain_statepoint
from hoomd_rigidfield.workflow import count_or_default, init_main

#: Paper ranges (seed 000, Fig. 4B): alpha in [1.8, 4.0] A, gamma in [1.1, 4.0].
ALPHA_RANGE = (1.8, 4.0)
GAMMA_RANGE = (1.1, 4.0)
#: ``points``: explicit (alpha, gamma) list; otherwise an ``n_alpha`` x ``n_gamma`` grid.
VARIANTS = {
    # One point in each of the paper's regions (small alpha face-to-face, the reference point
    # (3.0, 2.1) at the face-to-face / edge-to-edge border of the main job's map, large alpha
    # edge-to-edge), two replicas each: ~1-1.5 h on two cores (0.5-1.2 s per step).
    "coarse": {
        "n_grid": 64,
        "steps": 1500,
        "window": 500,
        "points": [(2.1, 1.5), (3.0, 2.1), (4.0, 1.5)],
        "replicas": 2,
    },
    "paper": {
        "n_grid": 120,
        "steps": 40000,
        "window": 10000,
        "n_alpha": 12,
        "n_gamma": 12,
        "replicas": 1,
    },
}


def job_statepoints(
    variant: str = "coarse",
    n_alpha: int | None = None,
    n_gamma: int | None = None,
    replicas: int | None = None,
):
    """Yield the state points of a variant (each a JSON-able dict of independent inputs).

    Args:
        variant (str): A key of :data:`VARIANTS`.
        n_alpha (int): Replace the variant's points by a regular grid with this many alphas.
        n_gamma (int): ... and this many gammas.
        replicas (int): Independent chains per point (seeds 1, 2, ...; default the variant's).

    Yields:
        dict: One state point per (alpha, gamma) and replica.
    """
    v = VARIANTS[variant]
    grid = n_alpha is not None or n_gamma is not None or "points" not in v
    n_alpha = count_or_default("n_alpha", n_alpha, v.get("n_alpha", 2))
    n_gamma = count_or_default("n_gamma", n_gamma, v.get("n_gamma", 2))
    replicas = count_or_default("replicas", replicas, v["replicas"])
    if grid:
        alphas = np.linspace(*ALPHA_RANGE, n_alpha)
        gammas = np.linspace(*GAMMA_RANGE, n_gamma)
        points = [(a, g) for a in alphas for g in gammas]
    else:
        points = v["points"]
    for alpha, gamma in points:
        for seed in range(1, replicas + 1):
            yield fcc_chain_statepoint(
                alpha,
                gamma,
                n_cells=1,
                n_grid=v["n_grid"],
                steps=v["steps"],
                window=v["window"],
                seed=seed,
            )


def main(argv: list[str] | None = None) -> None:
    """Initialise the signac project (in ``--path``, default the current directory).

    Args:
        argv (list[str]): Command-line arguments (``None``: ``sys.argv``).
    """
    init_main(
        __doc__,
        VARIANTS,
        job_statepoints,
        default="coarse",
        counts=("--n-alpha", "--n-gamma", "--replicas"),
        argv=argv,
    )


if __name__ == "__main__":
    main()
