import csv

import numpy as np

from hoomd_rigidfield.fieldtheory.demo import main


def test_demo_writes_figure_and_table(tmp_path, capsys):
    curves = main(
        [
            "--out",
            str(tmp_path),
            "--size",
            "14",
            "--box",
            "64",
            "--n-grid",
            "40",
            "--r-min",
            "19",
            "--r-max",
            "23",
        ]
    )
    assert (tmp_path / "pair_free_energy.png").stat().st_size > 10_000
    rows = list(csv.DictReader((tmp_path / "pair_free_energy.csv").open()))
    assert {row["orientation"] for row in rows} == set(curves)
    for r, f in curves.values():
        assert np.all(np.diff(r) > 0) and np.all(np.isfinite(f))
    out = capsys.readouterr().out
    assert "DeltaF" in out and "wrote" in out
