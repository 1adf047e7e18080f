#!/usr/bin/env python
"""HOOMD MD throughput of binary Mie mixtures (particle-steps per second).

    PYTHONPATH=<hoomd> python benchmarks/mie_md.py [--sizes 768 3000 12000] [--steps 5000]
                                                   [--wells narrow wide ipl] [--device cpu|gpu]

For each size and well: a 1:2 random fluid is compressed to phi_eff = 0.50 during a warm-up
(beta eps = 2.5, IPL at kT = eps), then ``--steps`` steps of NVT (MTTK, dt = 1e-3 tau) are
timed. Prints the time steps per second (TPS), particle-steps per second and the neighbour-list
rebuild interval, and projects the seed paper's 27,000-particle, 2.2e7-step compression.
"""

from __future__ import annotations

import argparse
import tempfile
import time

import numpy as np

from hoomd_rigidfield.mie.compression import CompressionSchedule
from hoomd_rigidfield.mie.configurations import fluid_frame
from hoomd_rigidfield.mie.potential import INVERSE_POWER_LAW, NARROW_WELL, WIDE_WELL, MieMixture

WELLS = {"narrow": (NARROW_WELL, 0.4), "wide": (WIDE_WELL, 0.4), "ipl": (INVERSE_POWER_LAW, 1.0)}
PAPER_PARTICLE_STEPS = 27_000 * 2.2e7  # N x (2e4 + 2e3 tau) / dt


def measure(n_total: int, well: str, steps: int, warmup: int, device_name: str) -> dict:
    """Time ``steps`` MD steps of a 1:2 Mie fluid at phi_eff = 0.5."""
    import hoomd

    from hoomd_rigidfield.mie.md import MieRun

    m, kT = WELLS[well]
    mixture = MieMixture.binary(m)
    counts = {"L": n_total // 3, "S": n_total - n_total // 3}
    schedule = CompressionSchedule(0.3, 0.5, 0.5, precompress_steps=warmup, hold_steps=steps)
    device = hoomd.device.GPU() if device_name == "gpu" else hoomd.device.CPU()
    with tempfile.TemporaryDirectory() as tmp:
        run = MieRun(tmp, mixture, kT, schedule, seed=1, frame_period=10**9, device=device)
        run.initialize(fluid_frame(mixture, counts, kT, 0.3, np.random.default_rng(1)))
        sim = run.build()
        sim.run(warmup)
        nlist = sim.operations.integrator.forces[0].nlist
        start = time.perf_counter()
        sim.run(steps)
        seconds = time.perf_counter() - start
        return {
            "N": sim.state.N_particles,
            "tps": steps / seconds,
            "particle_steps_per_s": steps * sim.state.N_particles / seconds,
            "shortest_rebuild": nlist.shortest_rebuild,
        }


def main() -> None:
    """Print the throughput table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[768, 3000, 12000])
    parser.add_argument("--wells", nargs="+", choices=sorted(WELLS), default=["narrow", "ipl"])
    parser.add_argument("--steps", type=int, default=5000)
    parser.add_argument("--warmup", type=int, default=5000)
    parser.add_argument("--device", choices=("cpu", "gpu"), default="cpu")
    args = parser.parse_args()
    print(f"{'N':>7} {'well':>7} {'TPS':>9} {'particle-steps/s':>17} {'nlist rebuild':>14}"
          f" {'paper run [h]':>14}")  # fmt: skip
    for n in args.sizes:
        for well in args.wells:
            r = measure(n, well, args.steps, args.warmup, args.device)
            paper_h = PAPER_PARTICLE_STEPS / r["particle_steps_per_s"] / 3600
            print(
                f"{r['N']:>7} {well:>7} {r['tps']:>9.0f} {r['particle_steps_per_s']:>17.3g} "
                f"{r['shortest_rebuild']:>14} {paper_h:>14.0f}"
            )


if __name__ == "__main__":
    main()
