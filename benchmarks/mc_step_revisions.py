#!/usr/bin/env python
"""One rotational Monte Carlo step of this checkout against another git revision, interleaved.

Both versions run as worker processes started side by side, each with its own chain (4 NCs of
57 A on one fcc cell, a = 90 A, kT = 50, 0.2 rad, seed 1, both versions' defaults); the driver
asks them for one step in turn (A B A B ...), so that a drifting machine slows both alike, and
prints the median step of each in seconds and in FFT-pair equivalents (wall time / the time of
one rfftn + irfftn pair, measured here), with their ratio. The other revision is checked out in a
temporary ``git worktree`` (removed at the end), so this measures a whole step as a user gets it:
form factors, field solve, bookkeeping.

Usage::

    python benchmarks/mc_step_revisions.py --baseline cc7a5a1           # 64^3, three points
    python benchmarks/mc_step_revisions.py --baseline cc7a5a1 --grid 120 --steps 6
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from field_solver import fft_pair_time

from hoomd_rigidfield import backend as bk

ROOT = Path(__file__).resolve().parents[1]

#: The worker: builds the chain of one (alpha, gamma) and times one step per line read.
WORKER = r"""
import sys, time
import numpy as np
import hoomd_rigidfield as hr
try:
    from hoomd_rigidfield.fieldtheory.montecarlo import FieldFreeEnergy, RotationalMonteCarlo
except ImportError:  # the layout before the suites were split
    from hoomd_rigidfield.montecarlo import FieldFreeEnergy, RotationalMonteCarlo
alpha, gamma, n = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
a = 90.0
sites = a * np.array([[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]]) + 0.25 * a
solver = hr.FieldSolver(hr.Electrolyte.from_alpha_gamma(alpha, gamma), a, n)
model = FieldFreeEnergy(solver, hr.TruncatedOctahedron.from_size(57.0), sites)
mc = RotationalMonteCarlo(model, kT=50.0, seed=1)
mc.run(2, progress=False)
print("ready", hr.__file__, flush=True)
for line in sys.stdin:
    t0 = time.perf_counter()
    mc.run(1, progress=False)
    print(time.perf_counter() - t0, flush=True)
"""


def worker(tree: Path, alpha: float, gamma: float, n: int) -> subprocess.Popen:
    """Start a worker importing ``hoomd_rigidfield`` from ``tree``.

    ``tree`` is its working directory too: ``python -c`` puts that first on ``sys.path``.
    """
    env = dict(os.environ, PYTHONPATH=str(tree))
    cmd = [sys.executable, "-c", WORKER, str(alpha), str(gamma), str(n)]
    proc = subprocess.Popen(
        cmd, cwd=tree, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    ready, _, module = proc.stdout.readline().strip().partition(" ")
    if ready != "ready" or not Path(module).resolve().is_relative_to(tree.resolve()):
        raise RuntimeError(f"the worker of {tree} did not start (or imported {module})")
    return proc


def step(proc: subprocess.Popen) -> float:
    """One MC step of a worker [s]."""
    proc.stdin.write("step\n")
    proc.stdin.flush()
    return float(proc.stdout.readline())


def main() -> None:
    """Check out the baseline, step both versions interleaved and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="git revision to compare against")
    parser.add_argument("--grid", type=int, default=64)
    parser.add_argument("--steps", type=int, default=10, help="timed steps per version and case")
    parser.add_argument(
        "--cases", nargs="+", default=["1.8,1.1", "3.0,2.1", "4.0,4.0"], help="alpha,gamma pairs"
    )
    args = parser.parse_args()
    pair = fft_pair_time(args.grid, bk.resolve_backend("numpy"))
    print(f"{args.grid}^3, one FFT pair {pair * 1e3:.2f} ms; baseline {args.baseline} vs this tree")
    print(
        f"{'alpha':>5} {'gamma':>5}  {'baseline s':>10} {'pairs':>6}  {'new s':>7} {'pairs':>6}  ratio"
    )
    totals = [0.0, 0.0]
    with tempfile.TemporaryDirectory() as tmp:
        old_tree = Path(tmp) / "baseline"
        git = ["git", "-C", str(ROOT)]
        subprocess.run(
            [*git, "worktree", "add", "--detach", "-q", str(old_tree), args.baseline], check=True
        )
        try:
            for case in args.cases:
                alpha, gamma = (float(v) for v in case.split(","))
                procs = [worker(t, alpha, gamma, args.grid) for t in (old_tree, ROOT)]
                times: list[list[float]] = [[], []]
                for _ in range(args.steps):
                    for proc, t in zip(procs, times):
                        t.append(step(proc))
                for proc in procs:
                    proc.stdin.close()
                    proc.wait()
                old, new = (statistics.median(t) for t in times)
                totals[0] += old / pair
                totals[1] += new / pair
                print(
                    f"{alpha:5.2f} {gamma:5.2f}  {old:10.3f} {old / pair:6.1f}  {new:7.3f} "
                    f"{new / pair:6.1f}  {old / new:5.2f}",
                    flush=True,
                )
        finally:
            subprocess.run([*git, "worktree", "remove", "--force", str(old_tree)], check=False)
    print(
        f"mean over the cases: {totals[0] / len(args.cases):.1f} -> "
        f"{totals[1] / len(args.cases):.1f} FFT pairs per step ({totals[0] / totals[1]:.2f}x)"
    )


if __name__ == "__main__":
    main()
