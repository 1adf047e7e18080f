"""Scattering state points, the one-command entry point and the figures."""

import json
import math
from pathlib import Path

import numpy as np
import pytest

from hoomd_rigidfield.scattering.study import (
    DEFAULTS,
    fcc_reflections,
    from_statepoint,
    replicate_cell,
)

DATA = Path(__file__).resolve().parents[1] / "data"


def test_defaults_are_seed_003s_pbs_superlattice():
    study = from_statepoint({})
    assert study.structure == "rocksalt" and study.species == ("Pb", "S")
    assert study.lattice_constant == 5.936
    assert study.wavelength == pytest.approx(12.398 / 13.0, rel=1e-4)
    # one detector reaches the PbS {200} ring; the beam stop hides the direct beam only
    assert float(np.max(study.detector.q_magnitude)) > 2.117
    assert not study.detector.mask[study.detector.q_magnitude < 0.03].any()
    assert study.q[0] > 0 and study.q[-1] == DEFAULTS["q_max"]


def test_materials():
    pbse = from_statepoint({"material": "PbSe", "size": 40.0})
    assert pbse.lattice_constant == 6.124 and pbse.species == ("Pb", "Se")
    gold = from_statepoint({"material": "Au", "size": 30.0})
    assert gold.structure == "fcc" and gold.species == ("Au",)
    nc = gold.nanocrystal()
    assert set(nc.species) == {"Au"}
    # a rock salt given by hand: CdSe in rock salt (high pressure), a = 5.50 A
    custom = from_statepoint(
        {"material": "rocksalt", "lattice_constant": 5.5, "species": ("Cd", "Se")}
    )
    assert custom.species == ("Cd", "Se")
    # the shape of a frame's NCs: the vertices of a 20 A cube give a 20 A cube of atoms
    cube = np.array([[x, y, z] for x in (-10, 10) for y in (-10, 10) for z in (-10, 10)], float)
    atoms = from_statepoint({}).nanocrystal(cube)
    assert np.abs(atoms.positions).max() <= 10 + 1e-6


def test_fcc_reflections_are_the_allowed_ones():
    got = fcc_reflections(1.0, 2 * math.pi * math.sqrt(12) + 1e-9)
    assert [h for h, _ in got] == ["111", "200", "220", "311", "222"]
    assert got[0][1] == pytest.approx(2 * math.pi * math.sqrt(3))


def test_replicate_cell_tiles_the_box():
    p, o = replicate_cell(
        [[0, 0, 0], [5, 5, 0]], [[1, 0, 0, 0], [0, 1, 0, 0]], [10, 10, 10, 0, 0, 0], 3
    )
    assert p.shape == (54, 3) and o.shape == (54, 4)
    d = np.linalg.norm(p[:, None] - p[None], axis=-1)
    assert np.min(d[d > 0]) == pytest.approx(np.sqrt(50))  # the two sites' distance, not closer
    np.testing.assert_allclose(o[1::2], np.tile([0, 1, 0, 0], (27, 1)))


@pytest.mark.parametrize(
    ("sp", "phrase"),
    [
        ({"materail": "PbS"}, "unknown scattering state-point keys"),
        ({"material": "PbO"}, "material must be one of"),
        ({"material": "rocksalt"}, "needs lattice_constant"),
        (
            {"material": "fcc", "lattice_constant": 4.0, "species": ("Au", "Ag")},
            "must be 1 element",
        ),
        ({"size": -5.0}, "size"),
        ({"size": 40.0, "wulff_ratio": 1.5}, "wulff_ratio"),
        ({"energy": float("nan")}, "energy"),
        ({"beam": (0, 0, 0)}, "beam must be a finite non-zero"),
        ({"beam": (0, 1)}, "beam must be a finite non-zero"),
        ({"q_max": 20.0}, "q_max"),
        ({"ewald": "curved"}, "ewald"),
        ({"replicate": 0}, "replicate"),
        ({"n_pixels": 8}, "n_pixels"),
        ({"position_disorder": -1.0}, "position_disorder"),
        ({"b_factor": float("inf")}, "b_factor"),
    ],
)
def test_bad_statepoints_name_the_parameter(sp, phrase):
    with pytest.raises(ValueError, match=phrase):
        from_statepoint(sp)


def test_one_command_writes_the_figures_and_the_summary(tmp_path, capsys):
    from hoomd_rigidfield.scattering.__main__ import main

    out = tmp_path / "scattering"
    args = [str(DATA / "fcc_superlattice_frame.gsd"), "--out", str(out), "--replicate", "2",
            "--n-pixels", "128", "--n-q", "120", "--bin-width", "0.05"]  # fmt: skip
    assert main(args) == 0
    for name in ("intensity.png", "pattern.png", "correlation.png", "intensity.csv", "saxs.csv"):
        assert (out / name).stat().st_size > 0, name
    summary = json.loads((out / "summary.json").read_text())
    assert summary["sl_lattice_constant_A"] == 90.0
    assert summary["statepoint"]["replicate"] == 2
    assert set(summary["timings_s"]) >= {"2D pattern", "XCCA"}
    table = np.loadtxt(out / "intensity.csv", delimiter=",", skiprows=1)
    assert table.shape == (120, 2) and np.all(table[:, 1] > 0)
    assert "relation:" in capsys.readouterr().out
    with pytest.raises(ValueError, match="--frame 5 is out of range"):
        main([str(DATA / "fcc_superlattice_frame.gsd"), "--frame", "5", "--out", str(out)])
    with pytest.raises(FileNotFoundError, match="does not exist"):
        main([str(tmp_path / "missing.gsd")])


def test_plots_draw_their_data(fig):
    from hoomd_rigidfield.scattering.plotting import (
        plot_correlation,
        plot_intensity,
        plot_pattern,
        plot_peak_history,
    )

    q = np.linspace(0.1, 2.4, 200)
    ax = plot_intensity(
        q,
        1 + np.exp(-((q - 1.83) ** 2) / 0.001),
        reflections=[("111", 1.833), ("9", 5.0)],
        ax=fig.add_subplot(221),
    )
    assert [t.get_text() for t in ax.texts] == ["111"]  # reflections outside the range are left out
    y, x = np.mgrid[-20:21, -20:21] * 0.1
    qm = np.hypot(x, y)
    ax = plot_pattern(
        np.exp(-qm), qm, rings={"SL 200": 0.5, "AL 111": 1.5}, ax=fig.add_subplot(222)
    )
    assert {t.get_text() for t in ax.texts} == {"SL 200", "AL 111"}
    delta = np.linspace(0, 2 * np.pi, 36, endpoint=False)
    ax = plot_correlation(delta, {"SL 200": np.cos(4 * delta)}, ax=fig.add_subplot(223))
    assert ax.get_lines()[0].get_ydata().max() == pytest.approx(1.0)
    axes = plot_peak_history(
        [0, 1, 2],
        [1.6, 1.58, np.nan],
        [10, 20, 30],
        axes=[fig.add_subplot(224), fig.add_subplot(224)],
    )
    assert len(axes[0].get_lines()) == 1
    with pytest.raises(ValueError, match="intensity must have the shape of q"):
        plot_intensity(q, q[:-1])
    with pytest.raises(ValueError, match="image and q_map must be 2D"):
        plot_pattern(np.ones(3), np.ones(3))
