"""Create the state points of the binary Mie (1:2) phase diagrams (seed 002, Fig. 3c-d).

    python init.py                   # CPU: N = 192 (narrow, 3 depths) / 375 (wide, 4 depths)
    python init.py --variant paper   # N = 3000 (narrow) / 3000 (wide, full 3 sigma cut-off)

One job per (well, depth beta*eps). Model (ASSEMBLY_MODELS 2.1): Mie 50-m, m = 25 (narrow) or
6 (wide), sigma_SS = 0.55, additive sigma_LS, equal eps, energies shifted at the cut-off
(1.5 sigma_ij narrow; wide 3.0 sigma_ij in ``paper`` but 2.0 sigma_ij in ``cpu``, where 3.0 would
need N >= 1536 for the minimum image). x_L = 1/3, kT = 1, sigma_LL = 1, densities of all particles.

Depths above the wide well's critical depth (Noro-Frenkel: B2* = -1.5 at beta*eps = 1.31 for
the 3 sigma cut-off, 1.5 for 2 sigma) have a gas branch (dilute isotherm) and a liquid branch
(isochores from ``reference_depth``); every other depth has one fluid isotherm.
"""

from __future__ import annotations

from hoomd_rigidfield.workflow import init_main

#: Per well: m, cut-off (sigma_ij) per variant, AlB2 solid densities and the Einstein density.
WELLS = {
    "narrow": {"m": 25.0, "cutoff": {"cpu": 1.5, "paper": 1.5},
               "solid": [2.85, 2.95, 3.05, 3.15], "solid0": 3.05},
    "wide": {"m": 6.0, "cutoff": {"cpu": 2.0, "paper": 3.0},
             "solid": [2.5, 2.6, 2.7, 2.8, 2.9, 3.0], "solid0": 2.8},
}  # fmt: skip
#: Whole fluid isotherms (supercritical depths) per well.
FLUID = {
    "narrow": [0.02, 0.1, 0.3, 0.6, 1.0, 1.4, 1.7, 2.0, 2.2, 2.35],
    "wide": [0.02, 0.1, 0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.05, 2.25, 2.4],
}
#: Subcritical wide-well depths: (depth, gas densities, liquid densities) per variant.
SUBCRITICAL = {
    "cpu": {1.8: ([0.005, 0.015, 0.03, 0.06, 0.1, 0.13, 0.16], [1.5, 1.75, 2.0, 2.25]),
            2.0: ([0.003, 0.008, 0.016, 0.03, 0.05, 0.07], [1.6, 1.85, 2.05, 2.25]),
            2.2: ([0.002, 0.005, 0.01, 0.02, 0.035], [1.7, 1.9, 2.1, 2.3])},
    "paper": {1.6: ([0.005, 0.015, 0.03, 0.06, 0.1, 0.14, 0.18], [1.4, 1.65, 1.9, 2.15]),
              1.9: ([0.003, 0.008, 0.016, 0.03, 0.05], [1.6, 1.85, 2.05, 2.25]),
              2.2: ([0.002, 0.005, 0.01, 0.02, 0.035], [1.7, 1.9, 2.1, 2.3])},
}  # fmt: skip
#: Supercritical depths per variant and well; the wide well's first is the reference depth.
DEPTHS = {
    "cpu": {"narrow": (1.0, 2.0, 2.5), "wide": (1.0,)},
    "paper": {"narrow": (0.5, 1.0, 1.5, 2.0, 2.5), "wide": (0.5, 1.0)},
}
#: Cells per side and MD lengths (steps of dt = 1e-3 tau) per variant and well.
SIZES = {
    "cpu": {"narrow": 4, "wide": 5},  # N = 192, 375
    "paper": {"narrow": 10, "wide": 10},  # N = 3000
}
RUNS = {
    "cpu": dict(steps=8000, equilibration=1500, compression_steps=1500, solid_steps=5000,
                solid_equilibration=1500, n_nodes=10, isochore_points=4, n_bootstrap=200),
    "paper": dict(steps=100_000, equilibration=20_000, compression_steps=10_000,
                  solid_steps=40_000, solid_equilibration=10_000, n_nodes=12,
                  isochore_points=6, n_bootstrap=500),
}  # fmt: skip


def _sp(variant, well, depth, fluid, reference=None, liquid=()):
    w = WELLS[well]
    sp = {
        "variant": variant,
        "well": well,
        "m": w["m"],
        "cutoff": w["cutoff"][variant],
        "depth": float(depth),
        "n_cells": SIZES[variant][well],
        "fluid_densities": list(fluid),
        "reference_depth": reference,
        "liquid_densities": list(liquid),
        "solid_densities": list(w["solid"]),
        "solid_density0": w["solid0"],
        "spring_max": 1.0e5,  # stiffer than the n = 50 crystal (~1e4 kT/sigma^2): Delta A1 converges
        "dt": 1e-3,
        "gamma": 5.0,  # strong drag: fast re-thermalisation after each compression step
        "replica": 1,
    }
    sp.update(RUNS[variant])
    return sp


def job_statepoints(variant: str = "cpu"):
    """Yield the state points of a variant.

    Args:
        variant (str): ``"cpu"`` (default) or ``"paper"``.

    Yields:
        dict: One state point per (well, depth).
    """
    if variant not in RUNS:
        raise ValueError(f"variant must be one of {sorted(RUNS)}, got {variant!r}")
    for well, depths in DEPTHS[variant].items():
        for depth in depths:
            yield _sp(variant, well, depth, FLUID[well])
    reference = DEPTHS[variant]["wide"][-1]
    for depth, (gas, liquid) in SUBCRITICAL[variant].items():
        yield _sp(variant, "wide", depth, gas, reference, liquid)


def main(argv: list[str] | None = None) -> None:
    """Initialise the signac project (in ``--path``, default the current directory).

    Args:
        argv (list[str]): Command-line arguments (``None``: ``sys.argv``).
    """
    init_main(__doc__, tuple(RUNS), job_statepoints, default="cpu", argv=argv)


if __name__ == "__main__":
    main()
