#!/usr/bin/env python
"""Field solver: the baseline (chi-preconditioned CG) and the new default side by side.

For each grid, configuration (the paper's 2-NC pair, L = 200 A, and the 4-NC fcc cell, a = 90 A)
and electrolyte point (alpha, gamma) = (1.8, 1.1), (3.0, 2.1), (4.0, 4.0), the solvers run
interleaved (baseline, new, baseline, new, ...; the machines are shared, so ratios measured in one
run are what count) and print: CG iterations, CG FFT pairs counted by the solver
(``FieldSolver.n_fft_pairs``), wall time of the solve in FFT-pair equivalents (time / time of one
rfftn + irfftn pair), cold and warm (after one NC turned by 0.2 rad), the relative difference of F,
and the form-factor cost of one NC.

Usage::

    python benchmarks/field_solver.py                   # 64^3 and 120^3, 4-NC fcc cell
    python benchmarks/field_solver.py --grids 120 200 --configurations pair fcc --backend cupy
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

import numpy as np
import rowan

from hoomd_rigidfield import Electrolyte, FieldSolver, GridResolutionError, TruncatedOctahedron
from hoomd_rigidfield import backend as bk
from hoomd_rigidfield.fieldtheory.formfactors import form_factors
from hoomd_rigidfield.fieldtheory.grid import PeriodicGrid
from hoomd_rigidfield.orientation import rotation_about

#: The solvers compared: name -> FieldSolver keyword arguments.
METHODS = {
    "baseline chi": {"preconditioner": "chi"},
    "new default": {},
}
POINTS = ((1.8, 1.1), (3.0, 2.1), (4.0, 4.0))


def configurations() -> dict[str, tuple[float, np.ndarray]]:
    """The paper's configurations: name -> (box length [A], positions [A])."""
    fcc_a = 90.0
    fcc = fcc_a * np.array([[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]]) + 0.25 * fcc_a
    d = 66.0 / math.sqrt(2.0)
    pair = np.array([[100.0 - d / 2, 100.0 - d / 2, 100.0], [100.0 + d / 2, 100.0 + d / 2, 100.0]])
    return {"pair": (200.0, pair), "fcc": (fcc_a, fcc)}


def sync(xp) -> None:
    """Wait for the device (CuPy) so that wall times are complete."""
    if xp is not np:
        xp.cuda.Device().synchronize()


def fft_pair_time(n: int, xp, repeats: int = 5) -> float:
    """Median wall time of one rfftn + irfftn pair on an n^3 grid [s]."""
    x = xp.asarray(np.random.default_rng(0).normal(size=(n, n, n)))
    times = []
    for _ in range(repeats + 1):
        sync(xp)
        t0 = time.perf_counter()
        bk.irfftn(bk.rfftn(x), x.shape)
        sync(xp)
        times.append(time.perf_counter() - t0)
    return statistics.median(times[1:])


def solve(solver: FieldSolver, nc, pos, quats, xp) -> tuple[float, float]:
    """One compute: (wall time [s], form-factor-free time [s] is not separable: total)."""
    sync(xp)
    t0 = time.perf_counter()
    solver.compute(nc, xp.asarray(pos), quats)
    sync(xp)
    return time.perf_counter() - t0, solver.free_energy


def main() -> None:
    """Run the comparison and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grids", type=int, nargs="+", default=[64, 120])
    parser.add_argument("--configurations", nargs="+", choices=("pair", "fcc"), default=["fcc"])
    parser.add_argument("--backend", choices=("numpy", "cupy"), default="numpy")
    parser.add_argument("--repeats", type=int, default=1, help="interleaved repeats per method")
    args = parser.parse_args()
    xp = bk.resolve_backend(args.backend)
    nc = TruncatedOctahedron.from_size(57.0)
    print(f"{nc!r}\nbackend {args.backend}, FFT workers {bk.fft_workers()}, rtol 1e-6")
    turned = rowan.from_matrix(rotation_about([1.0, 2.0, 3.0], 0.2))
    for n in args.grids:
        pair_t = fft_pair_time(n, xp)
        print(f"\n=== {n}^3: one rfftn+irfftn pair {pair_t * 1e3:.2f} ms")
        for name in args.configurations:
            box, pos = configurations()[name]
            grid = PeriodicGrid(box, n, xp=xp)
            sync(xp)
            t0 = time.perf_counter()
            form_factors(nc.placed(np.eye(3), pos[0]), grid.k)
            sync(xp)
            ff = (time.perf_counter() - t0) / pair_t
            print(
                f"  {name} (L = {box:g} A, h = {box / n:.3f} A): one NC's form factors {ff:.1f} pairs"
            )
            print(
                f"    {'(alpha, gamma)':>14} {'method':>13} {'it':>5} {'CG pairs':>9} "
                f"{'cold eq.':>9} {'warm it':>8} {'warm pairs':>10} {'|dF|/|F|':>9}"
            )
            for alpha, gamma in POINTS:
                el = Electrolyte.from_alpha_gamma(alpha, gamma)
                rows: dict[str, list] = {m: [] for m in METHODS}
                try:
                    for _ in range(args.repeats):
                        for method, kwargs in METHODS.items():
                            s = FieldSolver(el, box, n, backend=args.backend, **kwargs)
                            quats = np.tile([1.0, 0.0, 0.0, 0.0], (len(pos), 1))
                            cold_t, f_cold = solve(s, nc, pos, quats, xp)
                            cold = (s.n_iterations, s.n_fft_pairs, cold_t / pair_t)
                            quats[0] = turned
                            solve(s, nc, pos, quats, xp)
                            rows[method].append((*cold, s.n_iterations, s.n_fft_pairs, f_cold))
                except GridResolutionError as err:
                    print(f"    ({alpha}, {gamma}) skipped: {str(err).split(':')[0]}")
                    continue
                f_ref = rows["baseline chi"][0][-1]
                for method, runs in rows.items():
                    it, pairs, cold_eq, w_it, w_pairs, f = runs[0]
                    cold_eq = statistics.median(r[2] for r in runs)
                    print(
                        f"    {f'({alpha}, {gamma})':>14} {method:>13} {it:5d} {pairs:9d} "
                        f"{cold_eq:9.1f} {w_it:8d} {w_pairs:10d} {abs(f - f_ref) / abs(f_ref):9.1e}"
                    )
                base, new = rows["baseline chi"][0], rows["new default"][0]
                print(
                    f"    {'':>14} {'ratio':>13} {base[0] / new[0]:5.1f} {base[1] / new[1]:9.1f} "
                    f"{statistics.median(r[2] for r in rows['baseline chi']) / statistics.median(r[2] for r in rows['new default']):9.1f} "
                    f"{base[3] / max(new[3], 1):8.1f} {base[4] / max(new[4], 1):10.1f}"
                )


if __name__ == "__main__":
    main()
