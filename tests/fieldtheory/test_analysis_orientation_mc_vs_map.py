"""The walk-through analysis/orientation_mc_vs_map.py runs on the two studies' tables."""

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "analysis" / "orientation_mc_vs_map.py"

MAP = """alpha,gamma,F_face-to-face_per_nc,F_diagonal_per_nc,F_edge-to-edge_per_nc,phase,resolved
1.8,1.1,-10.0,-9.0,-8.0,face-to-face,True
1.8,4.0,-10.0,-9.0,-8.0,face-to-face,False
4.0,1.1,-8.0,-9.0,-10.0,edge-to-edge,True
4.0,4.0,-8.0,-10.0,-9.0,diagonal,True
"""
DIAGRAM = """alpha,gamma,seed,mean_s,std_s,s_phase,f_phase,F_face-to-face,F_diagonal,F_edge-to-edge,acceptance,resolved
1.8,1.1,1,0.4500,0.0300,face-to-face,face-to-face,-40.0,-36.0,-32.0,0.200,True
1.8,1.1,2,0.7000,0.0300,diagonal,face-to-face,-40.0,-36.0,-32.0,0.200,True
4.0,1.1,1,0.9700,0.0100,edge-to-edge,edge-to-edge,-32.0,-36.0,-40.0,0.150,True
1.8,4.0,1,,,,,,,,,False
"""


def run(tmp_path, *args):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "MPLBACKEND")}
    env["MPLCONFIGDIR"] = str(tmp_path / "mpl")
    cmd = [sys.executable, str(SCRIPT), *map(str, args)]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)


def test_draws_the_chains_on_the_map(tmp_path):
    (tmp_path / "map.csv").write_text(MAP)
    (tmp_path / "diagram.csv").write_text(DIAGRAM)
    out = run(tmp_path, tmp_path / "map.csv", tmp_path / "diagram.csv", tmp_path / "fig.png")
    assert out.returncode == 0, out.stderr
    lines = [line for line in out.stdout.splitlines() if line.startswith("alpha")]
    assert len(lines) == 3  # the unresolved point has no chain
    assert "seed 2: <s> = 0.7000 (diagonal); lowest-F representative: face-to-face" in lines[1]
    assert (tmp_path / "fig.png").stat().st_size > 10_000


def test_says_which_study_to_run_when_a_table_is_missing(tmp_path):
    (tmp_path / "map.csv").write_text(MAP)
    out = run(tmp_path, tmp_path / "map.csv", tmp_path / "missing.csv")
    assert out.returncode != 0
    assert "missing.csv not found: run its study first" in out.stderr
