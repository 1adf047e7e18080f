"""The crystallisation figure of the binary Mie study's ``plot`` operation."""

import matplotlib

matplotlib.use("Agg")

import numpy as np
import numpy.testing as npt
import pytest
from matplotlib.colors import to_rgba

from hoomd_rigidfield.mie.plotting import crystallisation_figure


def _history(final: float, n: int = 10, t_end: float = 5.0) -> dict:
    x = np.linspace(0.0, final, n)
    return {
        "time": np.linspace(t_end / n, t_end, n),
        "phi": np.linspace(0.35, 0.5, n),
        "crystalline_fraction": x,
        "num_crystalline": np.round(100 * x).astype(int),
        "largest_cluster": np.round(40 * x).astype(int),
    }


@pytest.fixture
def conditions():
    return {
        "IPL": [_history(0.2), _history(0.4, t_end=6.0)],
        r"narrow, $\varepsilon/kT$ = 2.5": [_history(0.9)],
    }


def _lines_by_colour(ax):
    out = {}
    for line in ax.get_lines():
        out.setdefault(to_rgba(line.get_color()), []).append(line)
    return out


def test_ramps_draw_one_line_per_replica_and_colour_per_condition(conditions):
    fig = crystallisation_figure(conditions, title="ramp runs")
    ax_t, ax_phi = fig.axes
    assert fig.get_suptitle() == "ramp runs"
    for ax in (ax_t, ax_phi):
        by_colour = _lines_by_colour(ax)
        assert {c: len(v) for c, v in by_colour.items()} == {to_rgba("C0"): 2, to_rgba("C1"): 1}
        assert ax.get_ylim() == (-0.02, 1.02)
    # left: fraction versus time, right: versus phi_eff
    ipl = conditions["IPL"][1]
    npt.assert_allclose(ax_t.get_lines()[1].get_xdata(), ipl["time"])
    npt.assert_allclose(ax_phi.get_lines()[1].get_xdata(), ipl["phi"])
    npt.assert_allclose(ax_phi.get_lines()[1].get_ydata(), ipl["crystalline_fraction"])
    # one legend entry per condition (replicas after the first carry no label)
    assert [t.get_text() for t in ax_t.get_legend().get_texts()] == list(conditions)
    # the mean final value of each condition, at the end of its longest run
    notes = {t.get_text(): t.xy for t in ax_t.texts}
    assert notes == {"0.3": (6.0, pytest.approx(0.3)), "0.9": (5.0, pytest.approx(0.9))}
    assert ax_phi.get_xlabel().startswith(r"$\phi_{eff}$")


def test_seeded_runs_show_the_largest_nucleus_and_the_rest_and_mark_the_release(conditions):
    fig = crystallisation_figure(conditions, seeded=True, release=1.5)
    ax_t, ax_rest = fig.axes
    assert ax_t.get_ylabel() == "largest nucleus [L particles]"
    assert ax_rest.get_ylabel() == "crystalline L outside the largest nucleus"
    first = conditions["IPL"][0]
    npt.assert_allclose(ax_t.get_lines()[0].get_xdata(), first["time"])
    npt.assert_allclose(ax_t.get_lines()[0].get_ydata(), first["largest_cluster"])
    npt.assert_allclose(ax_rest.get_lines()[0].get_xdata(), first["time"])
    npt.assert_allclose(
        ax_rest.get_lines()[0].get_ydata(), first["num_crystalline"] - first["largest_cluster"]
    )
    for ax in (ax_t, ax_rest):
        releases = [line for line in ax.get_lines() if list(line.get_xdata()) == [1.5, 1.5]]
        assert len(releases) == 1 and releases[0].get_linestyle() == "--"
        assert "seed released" in [t.get_text().strip() for t in ax.texts]
    # mean final largest nucleus of the IPL replicas: (8 + 16) / 2; outside it: (12 + 24) / 2
    assert "12" in [t.get_text() for t in ax_t.texts]
    assert "18" in [t.get_text() for t in ax_rest.texts]
    assert not any("none in any run" in t.get_text() for t in ax_rest.texts)


def test_seeded_runs_say_when_every_crystal_is_the_largest_nucleus():
    h = _history(0.5)
    h["largest_cluster"] = h["num_crystalline"]  # one nucleus: the two panels would repeat
    fig = crystallisation_figure({"narrow": [h]}, seeded=True)
    _, ax_rest = fig.axes
    npt.assert_allclose(ax_rest.get_lines()[0].get_ydata(), 0)
    assert any("none in any run" in t.get_text() for t in ax_rest.texts)


def test_ramps_without_crystals_zoom_in_and_say_so():
    flat = {
        "time": np.arange(1.0, 6.0),
        "phi": np.linspace(0.2, 0.5, 5),
        "crystalline_fraction": np.zeros(5),
    }
    small = dict(flat, crystalline_fraction=np.linspace(0.0, 0.02, 5))
    fig = crystallisation_figure({"narrow": [flat], "wide": [flat], "IPL": [flat]})
    ax_t, ax_phi = fig.axes
    for ax in (ax_t, ax_phi):
        assert ax.get_ylim()[1] == pytest.approx(0.05)  # not 0-1: small fractions would vanish
        assert any("no crystalline L particle in any run" in t.get_text() for t in ax.texts)
        # conditions on top of each other stay apart by line style
        assert len({line.get_linestyle() for line in ax.get_lines()}) == 3
    fig = crystallisation_figure({"narrow": [small]})
    assert fig.axes[0].get_ylim()[1] == pytest.approx(0.05)
    assert not any("no crystalline" in t.get_text() for t in fig.axes[0].texts)


def test_crystallisation_figure_rejects_bad_histories(conditions):
    ramp_only = {"IPL": [{"time": [1.0], "phi": [0.4], "crystalline_fraction": [0.1]}]}
    with pytest.raises(ValueError, match=r"conditions\['IPL'\]\[0\] lacks \['num_crystalline'"):
        crystallisation_figure(ramp_only, seeded=True)
    with pytest.raises(ValueError, match=r"conditions\['IPL'\] holds no history"):
        crystallisation_figure({"IPL": []})
    with pytest.raises(ValueError, match="release is for seeded runs only"):
        crystallisation_figure(conditions, release=1.0)
