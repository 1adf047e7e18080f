"""The state-diagram figure of the patchy-cube study's ``plot`` operation."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import numpy.testing as npt
import pytest
from matplotlib.colors import to_rgba

from hoomd_rigidfield.patchy.plotting import MONOLAYER_COLOURS, state_diagram_figure


def test_state_diagram_figure_draws_one_marker_set_per_phase():
    points = [
        (0.1, 6.0, "square", 0.81, 0.10),
        (0.8, 6.0, "hexagonal", 0.12, 0.77),
        (0.1, 2.0, "disordered", 0.05, 0.04),
        (0.4, 6.0, "square", 0.66, 0.20),
    ]
    fig = state_diagram_figure(points, title="49 truncated cubes")
    (ax,) = fig.axes
    assert ax.get_title() == "49 truncated cubes"
    npt.assert_allclose(fig.get_size_inches(), (7.0, 4.5))
    by_label = {c.get_label(): c for c in ax.collections}
    assert set(by_label) == {"square", "hexagonal", "disordered"}
    for name, coll in by_label.items():
        want = [(p[0], p[1]) for p in points if p[2] == name]
        npt.assert_allclose(coll.get_offsets(), want)
        colours = np.unique(coll.get_facecolor()[:, :3], axis=0)
        npt.assert_allclose(colours, [to_rgba(MONOLAYER_COLOURS[name])[:3]], atol=1e-6)
    # every state is labelled with |psi4| and |psi6|, under its marker, at a readable size
    labels = [t for t in ax.texts if "under each state" not in t.get_text()]
    assert sorted(t.get_text() for t in labels) == sorted(f"{p[3]:.2f}\n{p[4]:.2f}" for p in points)
    for t in labels:
        assert t.get_fontsize() >= 7 and t.get_va() == "top" and t.xyann[1] < 0
    assert any("under each state" in t.get_text() for t in ax.texts)  # what the numbers are


def test_state_diagram_figure_rejects_unknown_phases():
    with pytest.raises(ValueError, match="unknown classes"):
        state_diagram_figure([(0.1, 6.0, "cubic", 0.1, 0.1)])
