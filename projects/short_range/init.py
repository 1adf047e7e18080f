"""Create the state points of the short-range quench study (seed 001, its Fig. 2C).

    python init.py                   # CPU: N = 500 at phi = 0.1, 8 (depth, width) points
    python init.py --variant paper   # N = 4,000, 5 widths x 7 depths, 10^4 tau (GPU / cluster)

Model (ASSEMBLY_MODELS §1.2): the continuous square well of
hoomd_rigidfield.shortrange.squarewell (pseudo-hard Mie 50-49 core at kT/eps_c = 1.5, a tanh step
of width 0.01 sigma at (1 + lam) sigma), Langevin MD at kT = 1 with gamma = 1 m/tau and
dt = 1e-3 tau. A random fluid at phi = 0.1 is quenched instantly to depth u0 (kT).
"""

from __future__ import annotations

import itertools

from hoomd_rigidfield.workflow import init_main

#: CPU points (depth [kT], lam [sigma], run length [tau]): below the critical point, the 3-4 kT
#: window at lam <= 0.2 (3000-5000 tau: nucleation through the dense fluid is slow at N = 500),
#: deep wells, and a wide well.
CPU_POINTS = ((1.5, 0.15, 400.0), (3.0, 0.1, 3000.0), (3.0, 0.15, 5000.0), (3.5, 0.1, 5000.0),
              (4.0, 0.15, 1000.0), (6.0, 0.1, 400.0), (8.0, 0.15, 400.0),
              (3.0, 0.35, 400.0))  # fmt: skip
PAPER_DEPTHS = (1.0, 2.0, 3.0, 3.5, 4.0, 6.0, 8.0)
PAPER_WIDTHS = (0.06, 0.1, 0.15, 0.2, 0.3)


def _sp(depth, lam, n, time_tau, frame_tau, replica):
    return {
        "depth": float(depth),
        "lam": float(lam),
        "n": int(n),
        "phi": 0.1,
        "dt": 1e-3,
        "gamma": 1.0,
        "time_tau": float(time_tau),
        "frame_tau": float(frame_tau),
        "replica": int(replica),
    }


def job_statepoints(variant: str = "cpu"):
    """Yield the state points of a variant.

    Args:
        variant (str): ``"cpu"`` (default) or ``"paper"``.

    Yields:
        dict: One state point per run.
    """
    if variant == "cpu":
        for depth, lam, time_tau in CPU_POINTS:
            yield _sp(depth, lam, 500, time_tau, 20.0, 1)
    elif variant == "paper":
        for (depth, lam), replica in itertools.product(
            itertools.product(PAPER_DEPTHS, PAPER_WIDTHS), (1, 2)
        ):
            yield _sp(depth, lam, 4000, 1e4, 100.0, replica)
    else:
        raise ValueError(f"variant must be 'cpu' or 'paper', got {variant!r}")


def main(argv: list[str] | None = None) -> None:
    """Initialise the signac project (in ``--path``, default the current directory).

    Args:
        argv (list[str]): Command-line arguments (``None``: ``sys.argv``).
    """
    init_main(__doc__, ("cpu", "paper"), job_statepoints, default="cpu", argv=argv)


if __name__ == "__main__":
    main()
