"""Create the state points of the orientational free-energy map.

python init.py                  # coarse CPU map: 64^3 grid, 8 x 8 (alpha, gamma) points
python init.py --variant paper  # paper resolution: 120^3 grid, 12 x 12 points (a GPU job)
"""

from __future__ import annotations

import numpy as np

from hoomd_rigidfield.workflow import count_or_default, init_main

#: Paper ranges (seed 000, Fig. 4B): alpha in [1.8, 4.0] A, gamma in [1.1, 4.0].
VARIANTS = {
    "coarse": {"n_grid": 64, "n_alpha": 8, "n_gamma": 8},
    "paper": {"n_grid": 120, "n_alpha": 12, "n_gamma": 12},
}


def job_statepoints(
    variant: str = "coarse", n_alpha: int | None = None, n_gamma: int | None = None
):
    """Yield the state points of a variant (each a JSON-able dict of independent inputs)."""
    v = VARIANTS[variant]
    n_alpha = count_or_default("n_alpha", n_alpha, v["n_alpha"])
    n_gamma = count_or_default("n_gamma", n_gamma, v["n_gamma"])
    for alpha in np.linspace(1.8, 4.0, n_alpha):
        for gamma in np.linspace(1.1, 4.0, n_gamma):
            yield {
                "alpha": round(float(alpha), 4),
                "gamma": round(float(gamma), 4),
                "b": 100.0,
                "lam": 500.0,
                "size": 57.0,
                "wulff_ratio": round(float(np.sqrt(3.0) / 2.0), 12),
                "lattice_constant": 90.0,
                "n_cells": 1,
                "n_grid": v["n_grid"],
                "rtol": 1e-6,
            }


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
        counts=("--n-alpha", "--n-gamma"),
        argv=argv,
    )


if __name__ == "__main__":
    main()
