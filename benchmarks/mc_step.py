#!/usr/bin/env python
"""Benchmark of one rotational Monte Carlo step and the projected cost of the phase diagram.

One step is a warm-started field solve; the projection is for the paper's orientational phase
diagram (Fig. 4B of the field-theory seed paper), baseline and new default side by side.

Prints, per grid and (alpha, gamma): the time of one FFT pair, the median time of one MC step in
seconds and in FFT pairs, the CG iterations of a warm-started trial solve, and the projected wall
time of the paper protocol (40,000 steps per (alpha, gamma) point, ``--points`` points) on this
backend. With ``--gpu-pair-ms`` it also projects a GPU from its FFT-pair time, assuming the step
costs the same number of FFT pairs there (an upper bound where CuPy kernels are launch-bound).

Usage::

    python benchmarks/mc_step.py                      # 64^3 on the CPU
    python benchmarks/mc_step.py --grids 64 120 --steps 20
    python benchmarks/mc_step.py --grids 120 --backend cupy
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from field_solver import fft_pair_time, sync

from hoomd_rigidfield import Electrolyte, FieldSolver, TruncatedOctahedron
from hoomd_rigidfield import backend as bk
from hoomd_rigidfield.fieldtheory.montecarlo import FieldFreeEnergy, RotationalMonteCarlo
from hoomd_rigidfield.fieldtheory.superlattice import fcc_sites

PAPER_STEPS = 40_000


#: The solvers compared: name -> FieldSolver keyword arguments.
METHODS = {"baseline chi": {"preconditioner": "chi"}, "new default": {}}


def main() -> None:
    """Step the baseline and the new default chains interleaved and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grids", type=int, nargs="+", default=[64])
    parser.add_argument("--backend", choices=("numpy", "cupy"), default="numpy")
    parser.add_argument("--steps", type=int, default=10, help="timed MC steps per case")
    parser.add_argument("--points", type=int, default=144, help="(alpha, gamma) points (12 x 12)")
    parser.add_argument("--gpu-pair-ms", type=float, default=None, help="GPU FFT-pair time [ms]")
    parser.add_argument(
        "--cases", nargs="+", default=["1.8,1.1", "3.0,2.1", "4.0,4.0"], help="alpha,gamma pairs"
    )
    args = parser.parse_args()
    xp = bk.resolve_backend(args.backend)
    nc = TruncatedOctahedron.from_size(57.0)
    sites = fcc_sites(90.0)
    print(f"4 NCs of 57 A on one fcc cell (a = 90 A), kT = 50, eps = 0.2, backend {args.backend}")
    print("methods interleaved step by step; FFT pairs = wall time / time of one FFT pair")
    header = (
        "grid  alpha gamma  method          step[s]  step[pairs]  CG pairs  warm it  paper diagram"
    )
    for n in args.grids:
        pair = fft_pair_time(n, xp)
        print(f"\n{n}^3: one FFT pair {pair * 1e3:.2f} ms\n{header}")
        for case in args.cases:
            alpha, gamma = (float(v) for v in case.split(","))
            chains = {}
            for name, kwargs in METHODS.items():
                solver = FieldSolver(
                    Electrolyte.from_alpha_gamma(alpha, gamma),
                    90.0,
                    n,
                    backend=args.backend,
                    **kwargs,
                )
                model = FieldFreeEnergy(solver, nc, xp.asarray(sites) if xp is not np else sites)
                mc = RotationalMonteCarlo(model, kT=50.0, seed=1)
                mc.run(2, progress=False)  # warm up caches
                chains[name] = (mc, solver, [], [], [])
            for _ in range(args.steps):
                for mc, solver, times, pairs, iters in chains.values():
                    sync(xp)
                    t0 = time.perf_counter()
                    mc.run(1, progress=False)
                    sync(xp)
                    times.append(time.perf_counter() - t0)
                    pairs.append(solver.n_fft_pairs)
                    iters.append(solver.n_iterations)
            summary = {}
            for name, (_, _, times, pairs, iters) in chains.items():
                step = statistics.median(times)
                summary[name] = (step / pair, statistics.median(pairs))
                hours = step * PAPER_STEPS * args.points / 3600
                line = (
                    f"{n:4d}  {alpha:5.2f} {gamma:5.2f}  {name:13s}  {step:7.3f}  "
                    f"{step / pair:11.1f}  {statistics.median(pairs):8.0f}  "
                    f"{statistics.median(iters):7.0f}  {hours:8.1f} h"
                )
                if args.gpu_pair_ms:
                    gpu_h = step / pair * args.gpu_pair_ms * 1e-3 * PAPER_STEPS * args.points / 3600
                    line += f"  (GPU at {args.gpu_pair_ms} ms/pair: {gpu_h:.1f} h)"
                print(line, flush=True)
            (b_step, b_cg), (n_step, n_cg) = summary["baseline chi"], summary["new default"]
            print(
                f"{'':4s}  {'':11s}  {'ratio':13s}  {'':7s}  {b_step / n_step:11.1f}  "
                f"{b_cg / n_cg:8.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
