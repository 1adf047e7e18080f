"""One command from a superlattice frame to I(q), a SAXS+WAXS pattern and XCCA figures.

    python -m hoomd_rigidfield.scattering trajectory.gsd --out scattering/
    python -m hoomd_rigidfield.scattering trajectory.gsd --frame 0 --material PbSe --size 60 \
        --replicate 3 --energy 20 --beam 1 1 0

The frame is a periodic fcc cell of NCs in Angstrom (e.g. the trajectory of an
``orientation_phase_diagram`` or ``fcc32`` job). Writes ``intensity.png``, ``pattern.png``,
``correlation.png``, ``intensity.csv`` (q, Debye I, and the SAXS curve on its own grid) and
``summary.json`` (rings, fitted peaks, orientational disorder, SL/AL relation, timings) into
``--out``. Options are the state-point keys of :mod:`hoomd_rigidfield.scattering.study`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from hoomd_rigidfield.gsdfiles import open_trajectory
from hoomd_rigidfield.scattering.study import DEFAULTS, from_statepoint

#: Options with their types (the rest of :data:`~.study.DEFAULTS` is not on the command line).
OPTIONS = {
    "material": str,
    "lattice_constant": float,
    "b_factor": float,
    "size": float,
    "wulff_ratio": float,
    "replicate": int,
    "energy": float,
    "n_pixels": int,
    "q_max": float,
    "ewald": str,
    "n_q": int,
    "bin_width": float,
    "ring_width": float,
    "n_phi": int,
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line.

    Args:
        argv (list[str]): Arguments (``None``: ``sys.argv[1:]``).

    Returns:
        argparse.Namespace: Parsed arguments.
    """
    parser = argparse.ArgumentParser(
        prog="python -m hoomd_rigidfield.scattering",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("gsd", help="GSD file with a periodic fcc cell of NCs (lengths in A)")
    parser.add_argument(
        "--frame", type=int, default=-1, help="frame index (negative: from the end)"
    )
    parser.add_argument("--out", default="scattering", help="output directory")
    parser.add_argument("--species", nargs="+", help="element symbols (material rocksalt / fcc)")
    parser.add_argument("--beam", nargs=3, type=float, help="beam direction in the box frame")
    for key, kind in OPTIONS.items():
        parser.add_argument(f"--{key.replace('_', '-')}", type=kind, default=DEFAULTS[key])
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code.

    Args:
        argv (list[str]): Arguments (``None``: ``sys.argv[1:]``).

    Returns:
        int: 0 on success.
    """
    args = parse_args(argv)
    sp = {key: getattr(args, key) for key in OPTIONS}
    if args.species:
        sp["species"] = tuple(args.species)
    if args.beam:
        sp["beam"] = tuple(args.beam)
    study = from_statepoint(sp)
    with open_trajectory(args.gsd, "GSD file of NCs") as traj:
        if not -len(traj) <= args.frame < len(traj):
            raise ValueError(
                f"--frame {args.frame} is out of range: {args.gsd} has {len(traj)} frames"
            )
        frame = traj[args.frame]

    import matplotlib

    matplotlib.use("Agg")
    import numpy as np

    from hoomd_rigidfield.scattering.experiment import scatter_frame
    from hoomd_rigidfield.scattering.plotting import frame_figures

    result = scatter_frame(study, frame, progress=True)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, fig in frame_figures(result, study).items():
        fig.savefig(out / f"{name}.png", dpi=130)
    with (out / "intensity.csv").open("w") as f:
        f.write("q_A^-1,debye_intensity_e2\n")
        np.savetxt(f, np.column_stack([result.q, result.powder]), delimiter=",", fmt="%.8g")
    with (out / "saxs.csv").open("w") as f:
        f.write("q_A^-1,centre_S_times_sphere_F2\n")
        np.savetxt(f, np.column_stack([result.saxs_q, result.saxs]), delimiter=",", fmt="%.8g")
    summary = {"input": str(args.gsd), "frame": args.frame, "statepoint": study.statepoint}
    summary.update(result.summary())
    (out / "summary.json").write_text(json.dumps(summary, indent=1, default=str))
    relation = summary["orientation_relation"]
    label = relation if isinstance(relation, str) else relation["label"]
    print(
        f"wrote {out}/intensity.png, pattern.png, correlation.png, summary.json (relation: {label})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
