"""Create the state points of the pair free-energy study (seed paper 000, Fig. 4A).

    python init.py                  # CPU variant: 128^3 grid (h = 1.56 A), about 1 h on 2 cores
    python init.py --variant paper  # paper resolution: 200^3 grid (h = 1 A), a GPU job

Two jobs per variant: the second nanocrystal aligned with the first, and turned by 45 degrees
about [001]. Separations run from ``r_min`` to ``r_max`` in steps of ``r_step``; ``"grid"`` means
half the grid cell's diagonal along the pair axis (:math:`\\sqrt2 h/2` along [110]), which keeps
the second nanocrystal on two sub-grid offsets only.
"""

from __future__ import annotations

import numpy as np

from hoomd_rigidfield.workflow import init_main

VARIANTS = {
    "coarse": {"n_grid": 128},
    "paper": {"n_grid": 200},
}
#: Tilt of the second nanocrystal about [001] per orientation label [degrees].
ORIENTATIONS = {"aligned": 0.0, "tilted": 45.0}


def job_statepoints(variant: str = "coarse"):
    """Yield the state points of a variant (each a JSON-able dict of independent inputs).

    Args:
        variant (str): A key of :data:`VARIANTS`.

    Yields:
        dict: One state point per orientation of the second nanocrystal.
    """
    v = VARIANTS[variant]
    for label, tilt in ORIENTATIONS.items():
        yield {
            "orientation": label,
            "tilt_deg": tilt,
            "alpha": 3.0,
            "gamma": 2.1,
            "b": 100.0,
            "lam": 500.0,
            "size": 57.0,
            "wulff_ratio": round(float(np.sqrt(3.0) / 2.0), 12),
            "box_length": 200.0,
            "n_grid": v["n_grid"],
            "direction": [1, 1, 0],
            "r_min": 62.0,
            "r_max": 95.0,
            "r_step": "grid",
            "rtol": 1e-6,
        }


def main(argv: list[str] | None = None) -> None:
    """Initialise the signac project (in ``--path``, default the current directory).

    Args:
        argv (list[str]): Command-line arguments (``None``: ``sys.argv``).
    """
    init_main(__doc__, VARIANTS, job_statepoints, default="coarse", argv=argv)


if __name__ == "__main__":
    main()
