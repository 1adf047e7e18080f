"""Create the state points of the patchy truncated-cube monolayer study (seed paper 004, Fig. 5c).

    python init.py                   # CPU: 196 cubes, Px/Fx x eps/kT grid, 6e4 sweeps per run
    python init.py --variant paper   # paper scale: 2,500 cubes, 1e6 sweeps, two densities

Model (ASSEMBLY_MODELS §3): hard truncated cubes lying {100}-up (the mid-plane octagon, corner
cut t = 0.15, Fx = 0.7 L) with a square patch of size Px at the centre of each vertical {100}
facet; facing patches within 15 degrees and a gap below 0.1 L bond with energy -eps.
"""

from __future__ import annotations

import itertools

from hoomd_rigidfield.workflow import init_main

VARIANTS = {
    "cpu": dict(
        n_particles=196, area_fractions=(0.6,), anneal_sweeps=20_000, production_sweeps=40_000,
        frame_sweeps=1_000, patches=(0.1, 0.3, 0.5, 0.7, 0.8, 0.9), depths=(2.0, 4.0, 6.0, 8.0),
    ),
    "paper": dict(
        n_particles=2500, area_fractions=(0.6, 0.7), anneal_sweeps=500_000,
        production_sweeps=500_000, frame_sweeps=10_000,
        patches=(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9), depths=(2.0, 3.0, 4.0, 5.0, 6.0, 8.0),
    ),
}  # fmt: skip


def job_statepoints(variant: str = "cpu"):
    """Yield the state points of a variant.

    Args:
        variant (str): A key of :data:`VARIANTS`.

    Yields:
        dict: One state point per (Px/Fx, eps/kT, area fraction).
    """
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {sorted(VARIANTS)}, got {variant!r}")
    v = VARIANTS[variant]
    for phi, px, eps in itertools.product(v["area_fractions"], v["patches"], v["depths"]):
        yield {
            "t": 0.15,
            "px_over_fx": px,
            "beta_epsilon": eps,
            "area_fraction": phi,
            "n_particles": v["n_particles"],
            "anneal_sweeps": v["anneal_sweeps"],
            "production_sweeps": v["production_sweeps"],
            "frame_sweeps": v["frame_sweeps"],
            "replica": 1,
        }


def main(argv: list[str] | None = None) -> None:
    """Initialise the signac project (in ``--path``, default the current directory).

    Args:
        argv (list[str]): Command-line arguments (``None``: ``sys.argv``).
    """
    init_main(__doc__, VARIANTS, job_statepoints, default="cpu", argv=argv)


if __name__ == "__main__":
    main()
