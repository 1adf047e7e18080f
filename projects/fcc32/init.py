"""Create the state points of the 32-nanocrystal fcc run (seed paper 000, Fig. S20).

    python init.py                  # coarse CPU smoke run: 120^3 grid (h = 1.5 A), 1,000 MC steps
                                    # (2-2.5 h per job, both ~4.5 h on 2 cores)
    python init.py --variant paper  # paper protocol: 240^3 grid (h = 0.75 A), 50,000 steps (GPU)

Two jobs per variant: lambda/a = 500 (the paper's value) and the lambda/a = 1000 robustness run.
Both use 2 x 2 x 2 fcc cells (a = 90 A, box 180 A) of 57 A truncated octahedra, alpha = 3.0 A,
gamma = 1.1, b/a = 100 A, k_BT = 50, rotation step 0.2 rad and the same seed (same initial
orientations and proposals).
"""

from __future__ import annotations

from hoomd_rigidfield.fieldtheory.study import fcc_chain_statepoint
from hoomd_rigidfield.workflow import init_main

#: ``window``: steps at the end of the run over which <s> is averaged.
VARIANTS = {
    "coarse": {"n_grid": 120, "steps": 1000, "window": 250},
    "paper": {"n_grid": 240, "steps": 50000, "window": 10000},
}
#: lambda/a of the main run and of the robustness run.
LAMBDAS = (500.0, 1000.0)


def job_statepoints(variant: str = "coarse"):
    """Yield the state points of a variant (each a JSON-able dict of independent inputs).

    Args:
        variant (str): A key of :data:`VARIANTS`.

    Yields:
        dict: One state point per lambda/a.
    """
    v = VARIANTS[variant]
    for lam in LAMBDAS:
        yield fcc_chain_statepoint(
            3.0,
            1.1,
            n_cells=2,
            n_grid=v["n_grid"],
            steps=v["steps"],
            window=v["window"],
            lam=lam,
        )


def main(argv: list[str] | None = None) -> None:
    """Initialise the signac project (in ``--path``, default the current directory).

    Args:
        argv (list[str]): Command-line arguments (``None``: ``sys.argv``).
    """
    init_main(__doc__, VARIANTS, job_statepoints, default="coarse", argv=argv)


if __name__ == "__main__":
    main()
