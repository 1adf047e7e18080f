#!/usr/bin/env python
"""HPMC throughput of patchy truncated-cube monolayers (sweeps per second).

    PYTHONPATH=<hoomd> python benchmarks/patchy_hpmc.py [--sizes 196 784 2500] [--sweeps 2000]

For each size: a random monolayer (t = 0.15) is compressed to area fraction 0.6, the patches
(Px/Fx = 0.5, eps = 6 kT) are switched on, and ``--sweeps`` sweeps (N trial moves each) are
timed. Prints sweeps/s, trial moves/s and the projected cost of the paper-scale run
(2,500 cubes, 1e6 sweeps).
"""

from __future__ import annotations

import argparse
import tempfile
import time

import numpy as np

from hoomd_rigidfield.patchy import study as patchy_study
from hoomd_rigidfield.patchy.patches import SquarePatches
from hoomd_rigidfield.patchy.shape import TruncatedCube

PAPER_SWEEPS = 1_000_000


def measure(n: int, sweeps: int) -> dict:
    """Time ``sweeps`` production sweeps of ``n`` patchy cubes."""
    from hoomd_rigidfield.patchy.hpmc import PatchyMonolayerRun

    cube, patches = TruncatedCube(1.0, 0.15), SquarePatches(0.5, 6.0)
    with tempfile.TemporaryDirectory() as tmp:
        run = PatchyMonolayerRun(
            tmp, cube, patches, 0.6, patchy_study.AnnealSchedule(6.0, 0), 1, seed=1,
            frame_period=10**9,
        )  # fmt: skip
        run.initialize(patchy_study.random_monolayer(cube, n, 0.3, np.random.default_rng(1)))
        sim = run.run(progress=False)  # compression, patches on
        start = time.perf_counter()
        sim.run(sweeps)
        seconds = time.perf_counter() - start
    return {"N": n, "sweeps_per_s": sweeps / seconds, "moves_per_s": n * sweeps / seconds}


def main() -> None:
    """Print the throughput table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[196, 784, 2500])
    parser.add_argument("--sweeps", type=int, default=2000)
    args = parser.parse_args()
    print(f"{'N':>6} {'sweeps/s':>10} {'moves/s':>10} {'paper run [h]':>14}")
    for n in args.sizes:
        r = measure(n, args.sweeps)
        paper_h = PAPER_SWEEPS * 2500 / r["moves_per_s"] / 3600
        print(f"{r['N']:>6} {r['sweeps_per_s']:>10.0f} {r['moves_per_s']:>10.3g} {paper_h:>14.1f}")


if __name__ == "__main__":
    main()
