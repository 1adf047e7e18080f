import matplotlib
import matplotlib.pyplot as plt
import numpy as np

from hoomd_rigidfield.fieldtheory.plotting import PHASE_COLOURS, plot_phase_map


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
