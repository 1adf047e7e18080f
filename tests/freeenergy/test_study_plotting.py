"""State point parsing, extrapolation and figures (no HOOMD)."""

import pytest

from hoomd_rigidfield.freeenergy.plotting import plot_extrapolation
from hoomd_rigidfield.freeenergy.study import build_lattice, extrapolate, from_statepoint


@pytest.mark.parametrize(
    ("name", "shape", "n"), [("fcc", {}, 32), ("alb2", {"c_over_a": 1.03}, 24), ("nazn13", {}, 896)]
)
def test_lattices_are_scaled_to_the_density(name, shape, n):
    lat = build_lattice(name, 2, 0.8, **shape)
    assert lat.num_particles == n
    assert lat.number_density == pytest.approx(0.8, rel=1e-5)


def test_statepoint_and_bad_inputs():
    sp = dict(
        lattice="fcc", n_cells=2, density=1.0, spring_max=1e3, n_nodes=10, sweeps=100, replica=70000
    )
    assert from_statepoint(sp).seed == 70000 % 65536
    with pytest.raises(ValueError, match="lattice must be one of"):
        from_statepoint({**sp, "lattice": "bcc"})
    with pytest.raises(ValueError, match="spring_max must be"):
        from_statepoint({**sp, "spring_max": -1})
    with pytest.raises(ValueError, match="distinct n"):
        extrapolate([100, 100], [1.0, 1.0], [0.1, 0.1])


def test_extrapolation_plot(fig):
    ax = plot_extrapolation(fig.add_subplot(), [108, 256], [4.857, 4.911], [0.004, 0.003], 4.959)
    assert len(ax.get_legend().get_texts()) == 3
