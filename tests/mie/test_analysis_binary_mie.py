"""The binary Mie crystallisation walk-through (analysis/binary_mie_crystallisation.py) runs.

The script is run as a user would, in a subprocess without a display: once on its own
synthetic demonstration (fluid -> AlB2 crystal) and once on a job-like directory holding a
fluid trajectory of an inverse-power-law run, which must not be reported as crystalline.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import gsd.hoomd
import numpy as np
import pytest

from hoomd_rigidfield.analysis import lattices
from hoomd_rigidfield.mie import study as mie_study

SCRIPT = Path(__file__).resolve().parents[2] / "analysis" / "binary_mie_crystallisation.py"
FIGURES = ("fraction", "nucleus", "local_density", "rdfs", "snapshot")


def run_script(tmp_path, *args, **env_over):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "MPLBACKEND")}
    env.pop("BINARY_MIE_TRAJECTORY", None)
    env.pop("BINARY_MIE_OUTPUT", None)
    env.update(TMPDIR=str(tmp_path), MPLCONFIGDIR=str(tmp_path / "mpl"), **env_over)
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def reported(stdout, label):
    match = re.search(rf"^{re.escape(label)}: ([-+.\deE]+)$", stdout, flags=re.MULTILINE)
    assert match, stdout
    return float(match.group(1))


def test_demo_crystallises(tmp_path):
    figures = tmp_path / "figures"
    out = run_script(tmp_path, BINARY_MIE_OUTPUT=str(figures))
    demo = Path(re.search(r"^demonstration trajectory: (.+)$", out, re.MULTILINE).group(1))
    assert demo.is_file() and tmp_path in demo.parents  # built in a temporary directory
    assert (demo.parent / "signac_statepoint.json").is_file()
    for name in FIGURES:
        path = figures / f"crystallisation_{name}.png"
        assert path.is_file() and path.stat().st_size > 5000, path
    # the demo ends in an AlB2 crystal at L-S contact: (nearly) every L is AlB2, all locally dense
    assert reported(out, "final crystalline fraction") > 0.95
    assert "AlB2 1.00" in out and "largest nucleus 216 of 216 L" in out
    assert reported(out, "final locally dense fraction (AlB2 threshold)") == 1.0
    # ... and starts as a fluid
    with gsd.hoomd.open(demo, "r") as traj:
        assert len(traj) == 5
        first, last = traj[0], traj[-1]
        phi = [float(f.log[mie_study.LOG_PHI][0]) for f in traj]
    sp = json.loads((demo.parent / "signac_statepoint.json").read_text())
    clf = mie_study.classifier(sp)
    assert clf.compute(first).crystalline_fraction < 0.05
    assert clf.compute(last).fractions["AlB2"] > 0.95
    assert np.all(np.diff(phi) > 0)  # compressed frame by frame
    # phi_eff of the crystal from the BH table (narrow well, eps/kT = 2.5: 0.9968 sigma_ii):
    # AlB2 at L-S contact packs 216 L + 432 S into 216 cells of a^3 sqrt(3)/2, a = 1.0432
    d_bh = 0.9968
    a = clf.d_ll["AlB2"]
    phi_crystal = np.pi / 6 * (216 + 432 * 0.55**3) * d_bh**3 / (216 * a**3 * np.sqrt(3) / 2)
    assert phi[-1] == pytest.approx(phi_crystal, rel=2e-3)


def _ipl_fluid_job(directory):
    """A job directory of an IPL bulk run whose frames are all random (fluid) mixtures."""
    sp = {
        "m": 0.0, "beta_epsilon": 0.0, "protocol": "ramp", "ratio": [1, 2], "n_large": 150,
        "geometry": "bulk", "polydisperse": False, "dt": 1e-3, "replica": 1,
    }  # fmt: skip
    directory.mkdir()
    (directory / "signac_statepoint.json").write_text(json.dumps(sp))
    rng = np.random.default_rng(11)
    with gsd.hoomd.open(directory / "trajectory.gsd", "w") as traj:
        for k, length in enumerate((9.0, 8.5, 8.0)):
            frame = lattices.ideal_gas(150, 300, [length] * 3, rng).to_gsd_frame()
            frame.configuration.step = 10000 * k
            frame.log = {
                mie_study.LOG_PHI: np.array([0.2 + 0.05 * k]),
                mie_study.LOG_POTENTIAL: np.array([450.0]),
            }
            traj.append(frame)
    return directory / "trajectory.gsd"


def test_job_trajectory_of_a_fluid(tmp_path):
    trajectory = _ipl_fluid_job(tmp_path / "job")
    figures = tmp_path / "out"
    out = run_script(tmp_path, trajectory, figures)
    assert "demonstration" not in out
    assert "state point: IPL" in out
    for name in FIGURES:
        assert (figures / f"crystallisation_{name}.png").is_file()
        assert not (trajectory.parent / f"crystallisation_{name}.png").exists()
    assert reported(out, "final crystalline fraction") < 0.05
    assert "onset" not in out
