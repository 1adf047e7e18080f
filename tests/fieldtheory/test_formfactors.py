import numpy as np
import pytest

from hoomd_rigidfield import ConvexPolyhedron, TruncatedOctahedron
from hoomd_rigidfield.fieldtheory import formfactors
from hoomd_rigidfield.fieldtheory.formfactors import (
    PHASE_DIFFERENCE_THRESHOLD,
    SERIES_THRESHOLD,
    as_k_components,
    face_form_factor,
    form_factors,
    simplex_series,
)
from hoomd_rigidfield.fieldtheory.grid import PeriodicGrid
from hoomd_rigidfield.orientation import rotation_about
from tests.conftest import requires_gpu

GAUSS_NODES = 64


def _gauss01(n=GAUSS_NODES):
    x, w = np.polynomial.legendre.leggauss(n)
    return 0.5 * (x + 1), 0.5 * w


def quad_triangle(p0, p1, p2, k):
    """Int_T exp(-i k.r) dS by a collapsed (Duffy) tensor Gauss rule."""
    s, ws = _gauss01()
    S, T = np.meshgrid(s, s, indexing="ij")
    W = np.outer(ws, ws) * S
    r = p0 + S[..., None] * (p1 - p0) + (S * T)[..., None] * (p2 - p1)
    area2 = np.linalg.norm(np.cross(p1 - p0, p2 - p0))
    return area2 * np.sum(W[None] * np.exp(-1j * np.einsum("kd,ijd->kij", k, r)), axis=(1, 2))


def quad_tetrahedron(p0, p1, p2, p3, k, n=24):
    s, ws = _gauss01(n)
    S, T, U = np.meshgrid(s, s, s, indexing="ij")
    W = ws[:, None, None] * ws[None, :, None] * ws[None, None, :] * S**2 * T
    r = (
        p0
        + S[..., None] * (p1 - p0)
        + (S * T)[..., None] * (p2 - p1)
        + (S * T * U)[..., None] * (p3 - p2)
    )
    vol6 = abs(np.linalg.det(np.array([p1 - p0, p2 - p0, p3 - p0])))
    phase = np.exp(-1j * np.einsum("kd,abcd->kabc", k, r))
    return vol6 * np.sum(W[None] * phase, axis=(1, 2, 3))


def _irregular_body() -> ConvexPolyhedron:
    """A convex polyhedron without a centre of symmetry (the general path of form_factors)."""
    points = [[9, 0, 0], [-7, 0, 0], [0, 8, 0], [0, -6, 0], [0, 0, 10], [0, 0, -5], [5, 5, 5]]
    return ConvexPolyhedron(np.array(points + [[-4, 3, -4]], dtype=float))


@pytest.fixture(params=["truncated octahedron", "irregular"])
def placed_nc(request, rng):
    """A placed body: centrosymmetric (half the faces evaluated) or not (all of them)."""
    rot = rotation_about(rng.normal(size=3), 0.9)
    if request.param == "irregular":
        return _irregular_body().placed(rot, [1.5, -2.0, 0.7])
    return TruncatedOctahedron(10.0, 9.0).placed(rot, [1.5, -2.0, 0.7])


class TestFormFactors:
    def test_k_zero(self, placed_nc):
        s, v = form_factors(placed_nc, np.zeros((1, 3)))
        assert s[0] == pytest.approx(placed_nc.surface_area, rel=1e-12)
        assert v[0] == pytest.approx(placed_nc.volume, rel=1e-12)

    def test_face_against_gauss_quadrature(self, placed_nc, rng):
        for face in placed_nc.faces:
            ks = rng.normal(size=(5, 3)) * 0.4
            ks = np.vstack([ks, 0.7 * face.normal, 1e-3 * rng.normal(size=3) + 0.3 * face.normal])
            reference = sum(
                quad_triangle(face.centroid, a, b, ks)
                for a, b in zip(face.vertices, np.roll(face.vertices, -1, axis=0))
            )
            np.testing.assert_allclose(
                face_form_factor(face, ks), reference, rtol=0, atol=1e-12 * face.area
            )

    def test_face_across_the_phase_difference_switch(self, placed_nc, rng):
        """k.e = 0 (the sinc form), just below and just above the switch, against quadrature."""
        for face in placed_nc.faces[:4]:
            e = face.edges[0]
            perpendicular = np.cross(e, rng.normal(size=3))
            perpendicular *= 0.5 / np.linalg.norm(perpendicular)
            along = e / np.dot(e, e)
            steps = (0.0, 0.5 * PHASE_DIFFERENCE_THRESHOLD, 2.0 * PHASE_DIFFERENCE_THRESHOLD)
            ks = np.array([perpendicular + t * along for t in steps])  # k.e = t
            reference = sum(
                quad_triangle(face.centroid, a, b, ks)
                for a, b in zip(face.vertices, np.roll(face.vertices, -1, axis=0))
            )
            np.testing.assert_allclose(
                face_form_factor(face, ks), reference, rtol=0, atol=1e-12 * face.area
            )

    @pytest.mark.parametrize("rows", [1, 5, 10**6])
    def test_cpu_slabs_do_not_change_the_grid_result(self, placed_nc, monkeypatch, rows):
        """Slabs of the first k axis (cache-sized on the CPU) give the whole-grid values."""
        grid = PeriodicGrid(40.0, 16)
        aligned = TruncatedOctahedron(10.0, 9.0).placed(np.eye(3), [0.0, 0.0, 0.0])
        kx, ky, kz = (np.broadcast_to(c, grid.k2.shape).ravel() for c in grid.k)
        bodies = (placed_nc, aligned)
        references = [form_factors(body, np.stack([kx, ky, kz], axis=1)) for body in bodies]
        monkeypatch.setattr(formfactors, "CHUNK_ELEMENTS", rows * 16 * 9)
        for body, (s_ref, v_ref) in zip(bodies, references):
            s, v = form_factors(body, grid.k)
            np.testing.assert_allclose(s.ravel(), s_ref, rtol=0, atol=1e-12 * body.surface_area)
            np.testing.assert_allclose(v.ravel(), v_ref, rtol=0, atol=1e-12 * body.volume)
            assert np.isfinite(s).all() and np.isfinite(v).all()

    def test_centre_of_symmetry_halves_the_faces_with_the_same_values(self, monkeypatch):
        """Faces paired through the centre (S_-f = conj S_f about it) equal all faces evaluated."""
        body = TruncatedOctahedron(10.0, 9.0).placed(rotation_about([1, 2, 3], 0.4), [3, -1, 2])
        relative = list(body.translated(-body.center).faces)
        assert len(formfactors._centrosymmetric_representatives(relative)) == 7
        faces = _irregular_body().faces
        assert formfactors._centrosymmetric_representatives(list(faces)) is None
        grid = PeriodicGrid(40.0, 16)
        s_pairs, v_pairs = form_factors(body, grid.k)
        monkeypatch.setattr(formfactors, "_centrosymmetric_representatives", lambda faces: None)
        s_all, v_all = form_factors(body, grid.k)
        np.testing.assert_allclose(s_pairs, s_all, rtol=0, atol=1e-12 * body.surface_area)
        np.testing.assert_allclose(v_pairs, v_all, rtol=0, atol=1e-12 * body.volume)

    def test_volume_against_gauss_quadrature(self, placed_nc, rng):
        ks = np.vstack([rng.normal(size=(4, 3)) * 0.3, [[0.02, 0.0, 0.01]]])
        c0 = placed_nc.center
        reference = 0
        for face in placed_nc.faces:
            for a, b in zip(face.vertices, np.roll(face.vertices, -1, axis=0)):
                reference = reference + quad_tetrahedron(c0, face.centroid, a, b, ks)
        _, v = form_factors(placed_nc, ks)
        np.testing.assert_allclose(v, reference, rtol=0, atol=1e-10 * placed_nc.volume)

    @pytest.mark.parametrize("kr", [0.3, 0.49, 0.51, 1.0, 3.0])
    def test_divergence_form_against_series(self, placed_nc, rng, kr):
        """FIELD_THEORY.md (g)4: volume FT, edge/divergence form vs series form, 1e-12 of V."""
        direction = rng.normal(size=(3, 3))
        ks = kr / placed_nc.circumradius * direction / np.linalg.norm(direction, axis=1)[:, None]
        s_edge, v_edge = form_factors(placed_nc, ks, method="edge")
        s_ser, v_ser = form_factors(placed_nc, ks, method="series", n_terms=60)
        np.testing.assert_allclose(v_edge, v_ser, rtol=0, atol=1e-12 * placed_nc.volume)
        np.testing.assert_allclose(s_edge, s_ser, rtol=0, atol=1e-12 * placed_nc.surface_area)
        s_auto, v_auto = form_factors(placed_nc, ks)
        np.testing.assert_allclose(v_auto, v_ser, rtol=0, atol=1e-12 * placed_nc.volume)
        np.testing.assert_allclose(s_auto, s_ser, rtol=0, atol=1e-12 * placed_nc.surface_area)

    def test_small_k_limit(self):
        """V(k) = V - (k^2/6) Int r^2 dV + O(k^4) (isotropic for O_h), real for a centred body."""
        body = TruncatedOctahedron(10.0, 9.0).placed(np.eye(3), [0, 0, 0])
        # Int_T |r|^2 dV = V_T/20 (sum |p|^2 + |sum p|^2) over tetrahedra (0, c_f, a, b)
        moment = 0.0
        for face in body.faces:
            for a, b in zip(face.vertices, np.roll(face.vertices, -1, axis=0)):
                p = np.array([np.zeros(3), face.centroid, a, b])
                vol = abs(np.linalg.det(p[1:])) / 6
                moment += vol / 20 * (np.sum(p * p) + np.sum(p.sum(axis=0) ** 2))
        k = 2e-3
        _, v1 = form_factors(body, k * np.eye(3))
        _, v2 = form_factors(body, 2 * k * np.eye(3))
        q1 = (body.volume - v1.real) / (k**2 / 6)
        q2 = (body.volume - v2.real) / ((2 * k) ** 2 / 6)
        # Richardson extrapolation removes the O(k^4) term; same value along x, y, z (isotropy)
        np.testing.assert_allclose((4 * q1 - q2) / 3, moment, rtol=1e-7)
        np.testing.assert_allclose(v1.imag, 0, atol=1e-12 * body.volume)

    def test_translation_and_rotation_covariance(self, rng):
        body = TruncatedOctahedron(10.0, 9.0)
        rot = rotation_about(rng.normal(size=3), 2.0)
        shift = np.array([3.0, -1.0, 2.5])
        ks = rng.normal(size=(20, 3)) * 0.5
        s0, v0 = form_factors(body.placed(np.eye(3), [0, 0, 0]), ks @ rot)  # R^T k
        s1, v1 = form_factors(body.placed(rot, shift), ks)
        phase = np.exp(-1j * ks @ shift)
        np.testing.assert_allclose(s1, phase * s0, atol=1e-11 * body.surface_area)
        np.testing.assert_allclose(v1, phase * v0, atol=1e-11 * body.volume)

    def test_grid_broadcast_equals_point_list(self, placed_nc):
        grid = PeriodicGrid(40.0, 16)
        s_grid, v_grid = form_factors(placed_nc, grid.k)
        kx, ky, kz = (np.broadcast_to(c, grid.k2.shape).ravel() for c in grid.k)
        pts = np.stack([kx, ky, kz], axis=1)
        s_pts, v_pts = form_factors(placed_nc, pts)
        np.testing.assert_allclose(s_grid.ravel(), s_pts, rtol=1e-12, atol=1e-10)
        np.testing.assert_allclose(v_grid.ravel(), v_pts, rtol=1e-12, atol=1e-10)

    def test_series_switch_used_on_axis(self):
        """k along a square-face normal: q = 0 on that face, the edge formula alone is 0/0."""
        body = TruncatedOctahedron(10.0, 9.0).placed(np.eye(3), [0, 0, 0])
        face = next(f for f in body.faces if np.allclose(f.normal, [0, 0, 1]))
        ks = np.array([[0, 0, 0.4]])
        with np.errstate(all="ignore"):
            assert not np.isfinite(face_form_factor(face, ks, method="edge")[0])
        exact = face.area * np.exp(-1j * 0.4 * face.centroid[2])
        assert face_form_factor(face, ks)[0] == pytest.approx(exact, rel=1e-13)
        assert SERIES_THRESHOLD == 0.5

    def test_simplex_series_of_segment(self):
        # 1-simplex [0, x]: (1/x) Int_0^x e^{-it} dt = (1 - e^{-ix})/(ix)
        x = np.array([0.3, 1.0, 2.0])
        exact = (1 - np.exp(-1j * x)) / (1j * x)
        np.testing.assert_allclose(simplex_series([0 * x, x], 40), exact, rtol=1e-14)

    def test_bad_arguments(self, placed_nc):
        with pytest.raises(ValueError, match="method"):
            form_factors(placed_nc, np.zeros((1, 3)), method="fast")
        with pytest.raises(ValueError, match="method"):
            face_form_factor(placed_nc.faces[0], np.zeros((1, 3)), method="fast")
        with pytest.raises(ValueError, match=r"\(\.\.\., 3\)"):
            as_k_components(np.zeros((4, 2)))
        with pytest.raises(ValueError, match="kx, ky, kz"):
            as_k_components((np.zeros(2), np.zeros(2)))

    @requires_gpu
    def test_cupy_matches_numpy(self, placed_nc):
        import cupy

        grid = PeriodicGrid(40.0, 32)
        gpu = PeriodicGrid(40.0, 32, xp=cupy)
        s, v = form_factors(placed_nc, grid.k)
        sg, vg = form_factors(placed_nc, gpu.k)
        np.testing.assert_allclose(cupy.asnumpy(sg), s, rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(cupy.asnumpy(vg), v, rtol=1e-12, atol=1e-9)
