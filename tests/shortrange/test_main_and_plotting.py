import subprocess
import sys

import numpy as np
import pytest
from matplotlib.figure import Figure

from hoomd_rigidfield.shortrange import plotting
from hoomd_rigidfield.shortrange.__main__ import main
from hoomd_rigidfield.shortrange.potentials import DLVOPair, salt_ions


def _pair(c):
    ions, z = salt_ions(c, 1, 3)
    return DLVOPair.from_salt(radius=2.25e-9, hamaker=2e-19, surface_potential=-0.05,
                              concentrations=ions, valencies=z, epsilon_r=182.0,
                              temperature=298.15, check_derjaguin=False)  # fmt: skip


def test_entry_point_reference_set(capsys, tmp_path):
    out_png = tmp_path / "fig2a.png"
    assert main(["--salt", "50", "1", "3", "--plot", str(out_png)]) == 0
    out = capsys.readouterr()
    assert "well depth            8.497 kT" in out.out
    assert "B2*                   -46.68" in out.out and "regime (phi = 0.1)    gel" in out.out
    assert "Derjaguin" in out.err  # kappa R = 2.66 is flagged
    assert out_png.stat().st_size > 10_000


def test_entry_point_variants(capsys):
    assert main(["--salt", "1", "1", "3", "--electrostatics", "lsa"]) == 0
    out = capsys.readouterr().out
    assert "net repulsive" in out and "regime (phi = 0.1)    fluid" in out
    assert main(["--extra-repulsion", "5", "0.1", "--electrostatics", "yukawa"]) == 0
    assert "regime" in capsys.readouterr().out
    assert main(["--hamaker", "0"]) == 0
    assert "no attractive well" in capsys.readouterr().out
    assert main(["--salt", "10", "1", "1", "--salt", "5", "1", "3", "--radius2", "4"]) == 0
    capsys.readouterr()


def test_entry_point_rejects_bad_inputs(capsys):
    assert main(["--radius", "nan"]) == 2
    assert "radius must be a finite number" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--electrostatics", "coulomb"])


def test_module_runs_as_a_script():
    done = subprocess.run([sys.executable, "-m", "hoomd_rigidfield.shortrange", "--help"],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 0 and "--surface-potential" in done.stdout


def test_figures(fig):
    ax = fig.add_subplot()
    plotting.plot_dlvo_family(ax, {"10 mM": _pair(0.01), "50 mM": _pair(0.05)})
    assert len(ax.get_lines()) >= 2 and ax.get_xlabel() == "surface gap h (nm)"
    with pytest.raises(ValueError, match="at least one"):
        plotting.plot_dlvo_family(ax, {})
    f = plotting.dlvo_figure({"50 mM": _pair(0.05)}, point=(8.5, 0.0032), title="t")
    assert isinstance(f, Figure) and len(f.axes) == 2
    clipped = plotting.dlvo_figure({"50 mM": _pair(0.05)}, point=(12.0, 1e-4))
    texts = [t.get_text() for t in clipped.axes[1].get_legend().get_texts()]
    assert any("clipped" in t for t in texts)
    results = [(3.5, 0.1, "crystal"), (6.0, 0.1, "gel"), (1.5, 0.15, "fluid")]
    m = plotting.regime_map_figure(results, notes=["30%", "1%", "0%"], title="map")
    assert [t.get_text() for t in m.axes[0].texts] == ["30%", "1%", "0%"]
    with pytest.raises(ValueError, match="one text per simulated point"):
        plotting.regime_map_figure(results, notes=["x"])
    labels = [t.get_text() for t in m.axes[0].get_legend().get_texts()]
    assert {"MD: crystal", "MD: gel", "MD: fluid", "predicted droplets"} <= set(labels)
    assert isinstance(plotting.regime_map_figure([]), Figure)


def test_history_figure():
    t = np.linspace(20.0, 1000.0, 50)
    runs = {"3.5 kT": {"time": t, "crystalline_fraction": t / 2000, "diffusion": 1e-3 + 0 * t},
            "6 kT": {"time": t, "crystalline_fraction": 0 * t, "diffusion": np.r_[np.nan, 4e-4 + 0 * t[1:]]}}  # fmt: skip
    f = plotting.quench_history_figure(runs, title="h")
    top, bottom = f.axes
    assert [ln.get_label() for ln in top.get_lines()][:2] == ["3.5 kT", "6 kT"]
    assert len(bottom.get_lines()[1].get_xdata()) == 49  # the first frame has no D
    assert bottom.get_yscale() == "log" and top.get_ylim() == (0.0, 1.0)
    with pytest.raises(ValueError, match="at least one run"):
        plotting.quench_history_figure({})
    with pytest.raises(ValueError, match="diffusion"):
        plotting.quench_history_figure({"x": {"time": t, "crystalline_fraction": t}})
