"""In-situ S(q, t) along GSD trajectories (hoomd_rigidfield.scattering.insitu)."""

import csv
import math

import freud
import gsd.hoomd
import numpy as np
import pytest

from hoomd_rigidfield.scattering import insitu

N_CELLS = 6
A0 = 1.0
SHRINK = 0.015  # per frame


def lattice_constants(n_frames):
    return A0 * (1 - SHRINK * np.arange(n_frames))


def write_shrinking_fcc(path, n_frames=4, n_small=0, seed=0):
    """An fcc lattice of type-L points whose lattice constant shrinks each frame.

    ``n_small`` type-S points at random places are added: noise the type filter must remove.
    """
    rng = np.random.default_rng(seed)
    _, base = freud.data.UnitCell.fcc().generate_system(N_CELLS, scale=1.0)
    with gsd.hoomd.open(path, "w") as traj:
        for t, a in enumerate(lattice_constants(n_frames)):
            big = N_CELLS * a
            small = rng.uniform(-big / 2, big / 2, (n_small, 3))
            frame = gsd.hoomd.Frame()
            frame.configuration.step = 1000 * t
            frame.configuration.box = [big, big, big, 0, 0, 0]
            frame.particles.N = len(base) + n_small
            frame.particles.types = ["L", "S"]
            frame.particles.typeid = np.r_[np.zeros(len(base)), np.ones(n_small)].astype(np.uint32)
            frame.particles.position = np.r_[base * a, small].astype(np.float32)
            traj.append(frame)
    return len(base)


@pytest.fixture(scope="module")
def shrinking(tmp_path_factory):
    path = tmp_path_factory.mktemp("insitu") / "shrink.gsd"
    n_large = write_shrinking_fcc(path, n_small=60)
    history = insitu.StructureFactorHistory(
        q_max=13.5, q_min=9.0, num_q=75, types=["L"], lattice="fcc"
    ).compute(path)
    return path, n_large, history


def test_lattice_constant_of_a_shrinking_fcc_lattice_is_followed(shrinking):
    _, n_large, h = shrinking
    a_true = lattice_constants(4)
    assert h.timestep.tolist() == [0, 1000, 2000, 3000]
    assert h.n_particles.tolist() == [n_large] * 4  # only the L particles
    assert h.converged.all()
    np.testing.assert_allclose(h.lattice_parameter, a_true, rtol=0.01)
    # the (111) peak: q = 2 pi sqrt(3) / a
    np.testing.assert_allclose(h.q_peak, 2 * np.pi * math.sqrt(3) / a_true, rtol=0.01)
    np.testing.assert_allclose(h.spacing, 2 * np.pi / h.q_peak)
    # the relative change between frames is exact: the whole system is scaled
    np.testing.assert_allclose(
        h.lattice_parameter / h.lattice_parameter[0], a_true / a_true[0], rtol=1e-3
    )
    assert np.all(h.lattice_parameter_err > 0) and np.all(h.lattice_parameter_err < 0.01)
    # a perfect crystal filling the periodic box: the Scherrer size is the box edge
    np.testing.assert_allclose(h.grain_size, N_CELLS * a_true, rtol=0.3)
    # the tallest value of S(q) in the window is at the (111) peak
    q_max_s = h.q[np.nanargmax(h.structure_factor, axis=1)]
    np.testing.assert_allclose(q_max_s, h.q_peak, atol=2 * (h.q[1] - h.q[0]))


def test_type_filter_matters_and_spacing_mode(shrinking):
    path, _, filtered = shrinking
    everything = insitu.StructureFactorHistory(
        q_max=13.5, q_min=9.0, num_q=75, lattice=None
    ).compute(path, frames=[0, -1])
    assert everything.n_particles[0] == filtered.n_particles[0] + 60
    # lattice=None: the lattice parameter is the first-peak spacing d = 2 pi / q = a / sqrt(3)
    np.testing.assert_allclose(everything.lattice_parameter, everything.spacing)
    np.testing.assert_allclose(
        everything.spacing * math.sqrt(3), lattice_constants(4)[[0, -1]], rtol=0.01
    )


def test_two_peaks_refine_the_lattice_parameter(tmp_path):
    path = tmp_path / "two.gsd"
    write_shrinking_fcc(path, n_frames=2)
    h = insitu.StructureFactorHistory(q_max=13.5, q_min=9.0, num_q=75, n_peaks=2).compute(path)
    np.testing.assert_allclose(h.lattice_parameter, lattice_constants(2), rtol=0.01)


def test_csv_round_trip(shrinking, tmp_path):
    _, _, h = shrinking
    table, sq = tmp_path / "peaks.csv", tmp_path / "sq.csv"
    h.to_csv(table, structure_factor_path=sq)
    rows = list(csv.DictReader(open(table)))
    assert list(rows[0]) == list(insitu.CSV_COLUMNS)
    assert [int(r["timestep"]) for r in rows] == h.timestep.tolist()
    np.testing.assert_allclose([float(r["lattice_parameter"]) for r in rows], h.lattice_parameter)
    with open(sq) as fh:
        data = list(csv.reader(fh))
    np.testing.assert_allclose([float(v) for v in data[0][1:]], h.q)
    np.testing.assert_allclose(np.array(data[1:], float)[:, 1:], h.structure_factor)


def test_ideal_gas_has_no_structure_direct_method(tmp_path):
    rng = np.random.default_rng(4)
    frame = gsd.hoomd.Frame()
    frame.configuration.box = [10, 10, 10, 0, 0, 0]
    frame.particles.N = 500
    frame.particles.position = rng.uniform(-5, 5, (500, 3)).astype(np.float32)
    h = insitu.StructureFactorHistory(q_max=8.0, q_min=2.0, num_q=20, method="direct")
    with pytest.warns(RuntimeWarning, match="no peak was fitted"):
        h.compute([frame])
    assert not h.converged[0]
    s = h.structure_factor[0]
    assert np.nanmean(s) == pytest.approx(1.0, abs=0.15)


def test_results_before_compute_raise_attribute_error():
    h = insitu.StructureFactorHistory(q_max=10.0)
    for name in ("q", "q_peak", "lattice_parameter", "grain_size", "result", "timestep"):
        with pytest.raises(AttributeError, match="compute"):
            getattr(h, name)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(q_max=-1.0), "q_max must be"),
        (dict(q_max=10.0, num_q=3), r"num_q must be an integer in \[10, inf\]"),
        (dict(q_max=10.0, q_min=10.0), r"q_min must be .* in \[0, 10\)"),
        (dict(q_max=10.0, lattice="hcp"), "lattice must be one of"),
        (dict(q_max=10.0, method="fft"), "method must be one of"),
        (dict(q_max=10.0, n_peaks=0), "n_peaks must be"),
        (dict(q_max=10.0, types=[1]), "types must be a non-empty sequence"),
        (dict(q_max=10.0, profile="lorentz"), "profile must be one of"),
    ],
)
def test_bad_parameters_name_the_parameter(kwargs, match):
    with pytest.raises(ValueError, match=match):
        insitu.StructureFactorHistory(**kwargs)


def test_bad_frames_name_the_problem(tmp_path):
    path = tmp_path / "t.gsd"
    write_shrinking_fcc(path, n_frames=1)
    h = insitu.StructureFactorHistory(q_max=14.0, q_min=8.0, num_q=20, types=["X"])
    with pytest.raises(ValueError, match=r"types \['X'\] are not particle types of frame 0"):
        h.compute(path)
    # a search range without a peak: NaN results, converged False, and a warning
    with pytest.warns(RuntimeWarning, match="no peak was fitted"):
        empty = insitu.StructureFactorHistory(
            q_max=14.0, q_min=8.0, num_q=20, q_range=(1.0, 2.0)
        ).compute(path)
    assert not empty.converged.any() and np.isnan(empty.q_peak).all()
    with pytest.raises(ValueError, match="frames selects no frame"):
        insitu.StructureFactorHistory(q_max=14.0).compute(path, frames=[])
    frame = gsd.hoomd.Frame()
    frame.configuration.box = [5, 5, 5, 0, 0, 0]
    frame.particles.N = 3
    frame.particles.position = np.array([[0, 0, 0], [1, 1, 1], [np.nan, 0, 0]], np.float32)
    with pytest.raises(ValueError, match="positions of frame 0 must be finite"):
        insitu.StructureFactorHistory(q_max=14.0).compute([frame])
    with pytest.raises(ValueError, match="result must be a StructureFactorFrames"):
        insitu.write_csv({}, tmp_path / "x.csv")
