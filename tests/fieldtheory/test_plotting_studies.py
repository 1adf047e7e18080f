"""Figures of the field-theory studies' ``plot`` operations, built from plain arrays."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import numpy.testing as npt
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure

from hoomd_rigidfield.fieldtheory.plotting import (
    PHASE_COLOURS,
    UNDER_RESOLVED_HATCH,
    alignment_diagram_figure,
    chain_runs_figure,
    pair_free_energy_figure,
    phase_map_figure,
)
from hoomd_rigidfield.fieldtheory.superlattice import PHASES


def _cell_colours(mesh):
    """RGB of every cell of a pcolormesh (masked cells: NaN)."""
    values = mesh.get_array()
    rgb = mesh.to_rgba(values.filled(0))[..., :3].reshape(values.shape + (3,))
    rgb[np.ma.getmaskarray(values)] = np.nan
    return rgb


# ---- phase_map_figure ----------------------------------------------------------------------


def _map_states():
    """Four states of a 2 x 2 (alpha, gamma) grid, deliberately out of order."""
    f = {
        (4.0, 1.1): {"face-to-face": -3.0, "diagonal": -1.0, "edge-to-edge": -10.0},
        (1.8, 4.0): {"face-to-face": -7.0, "diagonal": -2.0, "edge-to-edge": -1.0},
        (1.8, 1.1): {"face-to-face": -1.0, "diagonal": -4.5, "edge-to-edge": -2.0},
    }
    alphas, gammas = [4.0, 1.8, 4.0, 1.8], [1.1, 4.0, 4.0, 1.1]
    phases = ["edge-to-edge", "face-to-face", None, "diagonal"]
    resolved = [True, False, False, True]
    energies = [f[4.0, 1.1], f[1.8, 4.0], None, f[1.8, 1.1]]
    return alphas, gammas, phases, resolved, energies


def test_phase_map_figure_colours_cells_by_the_lowest_f_phase():
    fig = phase_map_figure(*_map_states(), title="a title")
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    assert ax.get_title() == "a title"
    rgb = _cell_colours(ax.collections[0])
    # rows alpha (1.8, 4.0), columns gamma (1.1, 4.0)
    want = {(0, 0): "diagonal", (0, 1): "face-to-face", (1, 0): "edge-to-edge"}
    for (i, k), phase in want.items():
        npt.assert_allclose(rgb[i, k], to_rgba(PHASE_COLOURS[PHASES.index(phase)])[:3])
    assert np.isnan(rgb[1, 1]).all()  # not computed: masked
    # the two under-resolved cells hatched, centred on their (gamma, alpha), under the numbers
    (hatched,) = [c for c in ax.collections if c.get_gid() == "under-resolved"]
    assert hatched.get_hatch() == UNDER_RESOLVED_HATCH
    centres = [tuple(np.round(p.vertices[:4].mean(axis=0), 9)) for p in hatched.get_paths()]
    assert sorted(centres) == [(4.0, 1.8), (4.0, 4.0)]
    assert "under-resolved grid" in [t.get_text() for t in ax.get_legend().get_texts()]
    # margins of the winners: second lowest minus lowest F per NC
    texts = {t.xy: t.get_text() for t in ax.texts if hasattr(t, "xy")}
    assert texts == {(1.1, 4.0): "7", (4.0, 1.8): "5", (1.1, 1.8): "2"}


def test_phase_map_figure_rejects_bad_states():
    alphas, gammas, phases, resolved, energies = _map_states()
    with pytest.raises(ValueError, match="phases holds 'cubic'"):
        phase_map_figure(alphas, gammas, ["cubic", *phases[1:]], resolved, energies)
    with pytest.raises(ValueError, match=r"resolved needs one entry per state \(4\), got 3"):
        phase_map_figure(alphas, gammas, phases, resolved[:3], energies)
    with pytest.raises(ValueError, match="free_energy_per_nc is None for a state of phase"):
        phase_map_figure(alphas, gammas, phases, resolved, [None, *energies[1:]])
    with pytest.raises(ValueError, match="alphas and gammas must be 1D"):
        phase_map_figure(alphas, gammas[:3], phases, resolved, energies)


# ---- alignment_diagram_figure --------------------------------------------------------------


def test_alignment_diagram_figure_maps_mean_s_and_draws_one_history_per_run():
    alphas, gammas = [3.0, 1.8, 3.0, 1.8], [1.1, 1.1, 4.0, 4.0]
    mean_s = [0.95, 0.3, np.nan, 0.7]  # edge-to-edge, face-to-face, not sampled, diagonal
    lowest_f = ["edge-to-edge", "diagonal", None, "diagonal"]
    steps = np.arange(1, 101)
    histories = {(1.8, 1.1): (steps, np.full(100, 0.3)), (3.0, 1.1): (steps, np.full(100, 0.95))}
    fig = alignment_diagram_figure(
        alphas, gammas, mean_s, lowest_f, histories, 25, map_title="map", history_title="runs"
    )
    ax_map, ax_s = fig.axes[:2]
    assert (ax_map.get_title(), ax_s.get_title()) == ("map", "runs")
    rgb = _cell_colours(ax_map.collections[0])
    want = {(0, 0): "face-to-face", (0, 1): "diagonal", (1, 0): "edge-to-edge"}
    for (i, k), phase in want.items():
        npt.assert_allclose(rgb[i, k], to_rgba(PHASE_COLOURS[PHASES.index(phase)])[:3])
    assert np.isnan(rgb[1, 1]).all()
    # <s> and the letter of the lowest-F representative in each sampled cell
    texts = {t.xy: t.get_text() for t in ax_map.texts if hasattr(t, "xy")}
    assert texts == {(1.1, 1.8): "0.30\nD", (4.0, 1.8): "0.70\nD", (1.1, 3.0): "0.95\nEE"}
    # one line per run (after the threshold lines), labelled with its (alpha, gamma)
    runs = [line for line in ax_s.get_lines() if not line.get_label().startswith("_")]
    assert [line.get_label() for line in runs] == [
        r"$\alpha$=1.8, $\gamma$=1.1",
        r"$\alpha$=3, $\gamma$=1.1",
    ]
    npt.assert_allclose(runs[1].get_ydata(), 0.95)
    # replicas of one state: one line each, told apart by their seed
    replicas = {
        (1.8, 1.1, 1): (steps, np.full(100, 0.3)),
        (1.8, 1.1, 2): (steps, np.full(100, 0.4)),
    }
    fig = alignment_diagram_figure(alphas, gammas, mean_s, lowest_f, replicas, 25)
    labels = [line.get_label() for line in fig.axes[1].get_lines()]
    assert [label for label in labels if not label.startswith("_")] == [
        r"$\alpha$=1.8, $\gamma$=1.1, seed 1",
        r"$\alpha$=1.8, $\gamma$=1.1, seed 2",
    ]
    # the averaging window: the last 25 of 100 steps
    (span,) = ax_s.patches
    npt.assert_allclose([span.get_x(), span.get_x() + span.get_width()], [75, 100])


def test_alignment_diagram_figure_rejects_unknown_phases():
    with pytest.raises(ValueError, match="lowest_f_phases holds 'cubic'"):
        alignment_diagram_figure([1.8], [1.1], [0.5], ["cubic"], {})
    with pytest.raises(ValueError, match="mean_s needs one entry per state"):
        alignment_diagram_figure([1.8, 3.0], [1.1, 1.1], [0.5], [None, None], {})


# ---- chain_runs_figure ---------------------------------------------------------------------


def test_chain_runs_figure_draws_one_row_per_run():
    rng = np.random.default_rng(3)
    runs = []
    for n_frames in (5, 7):
        s = rng.random((n_frames, 4))
        free = -100.0 * rng.random(10)
        runs.append((np.arange(n_frames), s, np.arange(1, 11), free, f"s {n_frames}", "F"))
    fig = chain_runs_figure(runs)
    assert len(fig.axes) == 4
    npt.assert_allclose(fig.get_size_inches(), (11.0, 6.8))
    for (steps, s, history_steps, free, s_title, _), row in zip(runs, np.reshape(fig.axes, (2, 2))):
        ax_s, ax_f = row
        assert ax_s.get_title() == s_title
        # one line per nanocrystal, then their mean
        lines = ax_s.get_lines()
        npt.assert_allclose(lines[4].get_ydata(), s.mean(axis=1))
        assert [len(line.get_xdata()) for line in lines[:5]] == [len(steps)] * 5
        (f_line,) = ax_f.get_lines()
        npt.assert_allclose(f_line.get_xdata(), history_steps)
        npt.assert_allclose(f_line.get_ydata(), free / 4)  # per nanocrystal
        assert ax_f.get_ylabel() == r"$F/N$ [$k_BT$]"


def test_chain_runs_figure_rejects_malformed_runs():
    with pytest.raises(ValueError, match="runs must hold at least one run"):
        chain_runs_figure([])
    with pytest.raises(ValueError, match=r"runs\[0\] must be"):
        chain_runs_figure([(np.arange(3), np.ones((3, 2)))])
    with pytest.raises(ValueError, match=r"runs\[0\]: s must be \(n_frames, N\)"):
        chain_runs_figure([(np.arange(3), np.ones((4, 2)), [1], [1.0], "", "")])


# ---- pair_free_energy_figure ---------------------------------------------------------------


def test_pair_free_energy_figure_marks_the_minima_in_the_colour_of_their_curve():
    r = np.linspace(20.0, 40.0, 41)
    curves = {
        "aligned": (r, -np.exp(-(r - 20) / 5) * np.cos(r)),
        "tilted": (r, -0.5 * np.exp(-(r - 20) / 5) * np.cos(r)),
    }
    minima = [[(25.1, -0.3), (31.4, -0.1)], [(25.2, -0.15)]]
    fig = pair_free_energy_figure(curves, minima, title="pair")
    (ax,) = fig.axes
    assert ax.get_title() == "pair"
    lines = ax.get_lines()
    curve_colours = [lines[0].get_color(), lines[1].get_color()]
    assert curve_colours[0] != curve_colours[1]
    markers = [line for line in lines if line.get_marker() == "v"]
    assert len(markers) == 3
    owners = [(0, minima[0][0]), (0, minima[0][1]), (1, minima[1][0])]
    for marker, (k, (x, y)) in zip(markers, owners):
        assert marker.get_color() == curve_colours[k]
        npt.assert_allclose([marker.get_xdata()[0], marker.get_ydata()[0]], [x, y])
    # without minima: the curves and the zero line only
    assert len(pair_free_energy_figure(curves).axes[0].get_lines()) == 3
    with pytest.raises(ValueError, match=r"minima needs one list per curve \(2\), got 1"):
        pair_free_energy_figure(curves, minima[:1])
