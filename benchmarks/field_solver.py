"""Benchmark of the baseline field solver (chi-preconditioned CG).

Prints, per grid: the time of one forward+inverse real FFT pair, the time per CG iteration in
FFT pairs, iterations to rtol 1e-6 for the paper's 2-NC and 4-NC fcc configurations (cold, and
warm-started after one NC is rotated by 0.2 rad), the form-factor time per NC, and the whole solve
in FFT-pair equivalents.

Usage::

    python benchmarks/field_solver.py                 # 64^3 and 120^3
    python benchmarks/field_solver.py --grids 64 120 200 --backend cupy
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

import numpy as np

from hoomd_rigidfield import Electrolyte, FieldSolver, GridResolutionError, TruncatedOctahedron
from hoomd_rigidfield import backend as bk
from hoomd_rigidfield.fieldtheory.formfactors import form_factors
from hoomd_rigidfield.fieldtheory.grid import PeriodicGrid
from hoomd_rigidfield.orientation import rotation_about


def configurations() -> dict[str, tuple[float, np.ndarray]]:
    """The paper's configurations: (box length [A], positions [A])."""
    fcc_a = 90.0
    fcc = fcc_a * np.array([[0, 0, 0], [0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0]]) + 0.25 * fcc_a
    d = 66.0 / math.sqrt(2.0)
    pair = np.array([[100.0 - d / 2, 100.0 - d / 2, 100.0], [100.0 + d / 2, 100.0 + d / 2, 100.0]])
    return {"2-NC (L=200, r=66 A)": (200.0, pair), "4-NC fcc (L=90)": (fcc_a, fcc)}


def sync(xp) -> None:
    if xp is not np:
        xp.cuda.Device().synchronize()


def fft_pair_time(n: int, xp, repeats: int = 5) -> float:
    x = xp.asarray(np.random.default_rng(0).normal(size=(n, n, n)))
    times = []
    for _ in range(repeats + 1):
        sync(xp)
        t0 = time.perf_counter()
        bk.irfftn(bk.rfftn(x), x.shape)
        sync(xp)
        times.append(time.perf_counter() - t0)
    return statistics.median(times[1:])


def timed_solve(solver: FieldSolver, nc, pos, quats, xp) -> tuple[float, int]:
    sync(xp)
    t0 = time.perf_counter()
    solver.compute(nc, xp.asarray(pos), quats)
    sync(xp)
    return time.perf_counter() - t0, solver.n_iterations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grids", type=int, nargs="+", default=[64, 120])
    parser.add_argument("--backend", choices=("numpy", "cupy"), default="numpy")
    parser.add_argument("--preconditioner", default="chi")
    parser.add_argument(
        "--formulation",
        nargs="+",
        default=["real", "fourier"],
        help="real = baseline scipy/cupyx cg; fourier = CG on Fourier coefficients",
    )
    args = parser.parse_args()
    xp = bk.resolve_backend(args.backend)
    el = Electrolyte.from_alpha_gamma(3.0, 2.1)
    nc = TruncatedOctahedron.from_size(57.0)
    print(f"{el!r}\n{nc!r}")
    print(
        f"backend {args.backend}, FFT workers {bk.fft_workers()}, preconditioner {args.preconditioner}"
    )
    for n in args.grids:
        pair_t = fft_pair_time(n, xp)
        print(f"\n=== {n}^3: one rfftn+irfftn pair {pair_t * 1e3:.2f} ms")
        for name, (box, pos) in configurations().items():
            grid = PeriodicGrid(box, n, xp=xp)
            sync(xp)
            t0 = time.perf_counter()
            form_factors(nc.placed(np.eye(3), pos[0]), grid.k)
            sync(xp)
            ff_t = time.perf_counter() - t0
            print(f"  {name}: h = {box / n:.3f} A")
            print(f"    form factors, one NC       {ff_t:8.3f} s = {ff_t / pair_t:7.1f} FFT pairs")
            for formulation in args.formulation:
                try:
                    solver = FieldSolver(
                        el,
                        box,
                        n,
                        preconditioner=args.preconditioner,
                        formulation=formulation,
                        backend=args.backend,
                    )
                except GridResolutionError as err:
                    print(f"    skipped ({str(err).split(':')[0]})")
                    break
                report(solver, nc, pos, ff_t, pair_t, formulation, xp)


def report(solver, nc, pos, ff_t, pair_t, formulation, xp) -> None:
    quats = np.tile([1.0, 0.0, 0.0, 0.0], (len(pos), 1))
    cold_t, cold_it = timed_solve(solver, nc, pos, quats, xp)
    quats[0] = _quat(rotation_about([1.0, 2.0, 3.0], 0.2))
    warm_t, warm_it = timed_solve(solver, nc, pos, quats, xp)
    per_it = (warm_t - ff_t) / max(warm_it, 1)
    print(
        f"    [{formulation}] cold solve        {cold_t:8.3f} s, {cold_it:4d} it "
        f"= {cold_t / pair_t:7.1f} FFT pairs (incl. {len(pos)} NC form factors)\n"
        f"    [{formulation}] warm, 1 NC turned {warm_t:8.3f} s, {warm_it:4d} it "
        f"= {warm_t / pair_t:7.1f} FFT pairs (incl. 1 NC form factors)\n"
        f"    [{formulation}] per CG iteration  {per_it * 1e3:8.2f} ms = {per_it / pair_t:5.2f} FFT pairs"
        f";  F = {solver.free_energy:.8g} kT, residual {solver.relative_residual:.2e}"
    )


def _quat(rot: np.ndarray) -> np.ndarray:
    import rowan

    return rowan.from_matrix(rot)


if __name__ == "__main__":
    main()
