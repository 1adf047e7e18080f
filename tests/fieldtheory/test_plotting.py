import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

from hoomd_rigidfield.fieldtheory.plotting import (
    PHASE_COLOURS,
    plot_monte_carlo_points,
    plot_phase_map,
)


def test_phase_map_colours_each_cell_by_its_phase():
    fig, ax = plt.subplots()
    phase = np.array([[0, 1], [2, -1]])
    resolved = np.array([[True, True], [True, False]])
    plot_phase_map(
        ax, [1.8, 4.0], [1.1, 4.0], phase, resolved, np.array([[1.0, 2.0], [3.0, np.nan]])
    )
    mesh = ax.collections[0]
    values = mesh.get_array().ravel()
    assert values.mask.tolist() == [False, False, False, True]
    colours = mesh.to_rgba(values.filled(0))
    expected = [matplotlib.colors.to_rgba(PHASE_COLOURS[i]) for i in (0, 1, 2)]
    for got, want in zip(colours[:3], expected):
        np.testing.assert_allclose(got[:3], want[:3])
    assert len(ax.collections) == 2  # the under-resolved cell is marked
    assert [t.get_text() for t in ax.texts if t.get_text() in {"1", "2", "3"}] == ["1", "2", "3"]
    plt.close(fig)


def test_phase_map_explains_its_numbers_only_when_it_prints_them():
    for gap, expected in ((None, False), (np.array([[1.0]]), True)):
        fig, ax = plt.subplots()
        plot_phase_map(ax, [1.8], [1.1], np.array([[0]]), np.array([[True]]), gap)
        assert any("F margin" in t.get_text() for t in ax.texts) is expected
        plt.close(fig)


def test_monte_carlo_points_are_coloured_by_the_phase_of_their_mean_s():
    fig, ax = plt.subplots()
    # two replicas at one point (face-to-face and diagonal), one edge-to-edge chain elsewhere
    plot_monte_carlo_points(ax, [2.1, 2.1, 4.0], [1.5, 1.5, 1.5], [0.45, 0.7, 0.97])
    markers = ax.collections
    assert len(markers) == 3
    for marker, phase in zip(markers, (0, 1, 2)):
        np.testing.assert_allclose(
            marker.get_facecolor()[0][:3], matplotlib.colors.to_rgba(PHASE_COLOURS[phase])[:3]
        )
    (x0, y0), (x1, y1), (x2, y2) = (m.get_offsets()[0] for m in markers)
    assert y0 == y1 == 2.1 and x0 < 1.5 < x1 and x0 + x1 == 3.0  # replicas spread about gamma
    assert (x2, y2) == (1.5, 4.0)  # a single chain sits on its point
    assert [t.get_text() for t in ax.texts] == ["0.45", "0.70", "0.97"]
    plt.close(fig)


def test_monte_carlo_points_reject_bad_input():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="one entry per chain"):
        plot_monte_carlo_points(ax, [2.1], [1.5, 2.0], [0.5])
    with pytest.raises(ValueError, match=r"mean_s must lie in \[0, 1\]"):
        plot_monte_carlo_points(ax, [2.1], [1.5], [np.nan])
    plt.close(fig)
