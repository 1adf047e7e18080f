"""Scattering amplitudes on the CPU: direct sum vs NUFFT, and 2D patterns of a superlattice.

    OPENBLAS_NUM_THREADS=1 python benchmarks/scattering_amplitudes.py [--quick] [--repeats 3]
                                                                       [--nthreads 1]

1. NC amplitude throughput (atoms x q-points per second) of PbS truncated octahedra (6 nm,
   4481 atoms; and 8 nm, about 10^4 atoms, unless ``--quick``) at random q with
   :math:`|q_i| \\le 2.5` A^-1: direct sum (NumPy, chunked) vs ``finufft.nufft3d3`` at tol 1e-6
   and 1e-9.
2. A 2D pattern (exact Ewald sphere, 13 keV, q_max = 2.5 A^-1) of a 4x4x4-cell fcc superlattice
   (256 NCs, a = 150 A) of 6 nm PbS NCs: all NCs aligned (one NUFFT + direct centre sums; 256x256
   pixels, 128x128 with ``--quick``) and random orientations (256 orientation groups, the rotated
   q stacked into one NUFFT per species; 64x64 pixels, 32x32 with ``--quick``).
3. The choice of the stacked NUFFT: on a 32-NC subset with random orientations (32x32 pixels),
   stacked vs one NUFFT per orientation group vs direct NC sums (these on 16 pixels, scaled).

Cases are interleaved over the repeats; min and median wall times are printed.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np

from hoomd_rigidfield.orientation import haar_quaternions
from hoomd_rigidfield.scattering.amplitudes import nc_amplitude, superlattice_amplitude
from hoomd_rigidfield.scattering.atoms import (
    NCPlacement,
    fcc_lattice_sites,
    pbs_truncated_octahedron,
)
from hoomd_rigidfield.scattering.detector import Detector
from hoomd_rigidfield.scattering.formfactors import AtomicFormFactors


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run_cases(cases: dict[str, Callable[[], object]], repeats: int) -> dict[str, list[float]]:
    """Time every case ``repeats`` times, interleaved."""
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repeats):
        for name, fn in cases.items():
            times[name].append(_timed(fn))
    return times


def main() -> None:
    """Print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, about 20 s")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--nthreads", type=int, default=1, help="finufft threads")
    args = parser.parse_args()
    repeats = args.repeats or (2 if args.quick else 3)
    rng = np.random.default_rng(0)
    nt = args.nthreads

    print("# 1. NC amplitude: atoms x q-points per second")
    sizes = [60.0] if args.quick else [60.0, 80.0]
    m_direct, m_nufft = (500, 2**14) if args.quick else (2000, 2**16)
    cases, work = {}, {}
    for size in sizes:
        nc = pbs_truncated_octahedron(size)
        ff = AtomicFormFactors(nc.species)
        q_d = rng.uniform(-2.5, 2.5, (m_direct, 3)) / np.sqrt(3)
        q_n = rng.uniform(-2.5, 2.5, (m_nufft, 3)) / np.sqrt(3)
        tag = f"{size / 10:.0f} nm, {len(nc)} atoms"
        cases[f"{tag}: direct, M={m_direct}"] = lambda nc=nc, q=q_d, ff=ff: nc_amplitude(
            nc, q, ff, method="direct"
        )
        work[f"{tag}: direct, M={m_direct}"] = len(nc) * m_direct
        for tol in (1e-6, 1e-9):
            name = f"{tag}: nufft tol={tol:g}, M={m_nufft}"
            cases[name] = lambda nc=nc, q=q_n, ff=ff, tol=tol: nc_amplitude(
                nc, q, ff, method="nufft", tol=tol, nthreads=nt
            )
            work[name] = len(nc) * m_nufft
    times = run_cases(cases, repeats)
    for name, ts in times.items():
        print(
            f"{name:48s} min {min(ts):8.3f} s  median {statistics.median(ts):8.3f} s"
            f"  {work[name] / min(ts):10.3e} atom*q/s"
        )

    print("# 2. 2D pattern of a 4x4x4-cell fcc SL (256 NCs, a = 150 A) of 6 nm PbS NCs")
    nc = pbs_truncated_octahedron(60.0)
    ff = AtomicFormFactors(nc.species)
    sites = fcc_lattice_sites(150.0, 4)
    aligned = NCPlacement(sites)
    random = NCPlacement(sites, haar_quaternions(len(sites), rng))
    n_al, n_rand = (128, 32) if args.quick else (256, 64)
    det_al = Detector.from_q_max(n_al, q_max=2.5, wavelength=0.954)
    det_rand = Detector.from_q_max(n_rand, q_max=2.5, wavelength=0.954)
    big = 2**30
    cases = {
        f"aligned, {n_al}x{n_al} px": lambda: det_al.pattern(
            nc, aligned, form_factors=ff, nthreads=nt
        ),
        f"random, {n_rand}x{n_rand} px": lambda: det_rand.pattern(
            nc, random, form_factors=ff, nthreads=nt, max_stacked_points=big
        ),
    }
    times = run_cases(cases, repeats)
    for name, ts in times.items():
        print(f"{name:48s} min {min(ts):8.3f} s  median {statistics.median(ts):8.3f} s")

    print("# 3. 32 NCs, random orientations, 32x32 px: stacked vs per-group NUFFT vs direct")
    subset = NCPlacement(sites[:32], random.orientations[:32])
    det = Detector.from_q_max(32, q_max=2.5, wavelength=0.954)
    q = det.q_vectors.reshape(-1, 3)
    cases = {
        "stacked NUFFT": lambda: superlattice_amplitude(
            nc, q, subset, ff, nthreads=nt, max_stacked_points=big
        ),
        "one NUFFT per orientation group": lambda: superlattice_amplitude(
            nc, q, subset, ff, nthreads=nt, max_stacked_points=len(q)
        ),
        "direct NC sums (16 px, x64)": lambda: superlattice_amplitude(
            nc, q[:16], subset, ff, method="direct"
        ),
    }
    times = run_cases(cases, repeats)
    for name, ts in times.items():
        scale = 64 if name.startswith("direct") else 1
        print(
            f"{name:48s} min {min(ts) * scale:8.3f} s  median {statistics.median(ts) * scale:8.3f} s"
        )


if __name__ == "__main__":
    main()
