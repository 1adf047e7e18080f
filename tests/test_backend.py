import numpy as np
import pytest

from hoomd_rigidfield import backend

from .conftest import requires_gpu


class TestBackend:
    def test_numpy_default(self):
        assert backend.resolve_backend(None, np.zeros(3)) is np
        assert backend.resolve_backend("numpy") is np
        assert backend.get_array_module(1.0, [2.0]) is np
        assert backend.fft_module(np).__name__ == "scipy.fft"

    def test_unknown_backend(self):
        with pytest.raises(ValueError, match="backend must be one of"):
            backend.resolve_backend("jax")

    @pytest.mark.skipif(backend.cupy_available(), reason="checks the error where CuPy is missing")
    def test_cupy_missing_is_a_clear_error(self):
        with pytest.raises(backend.BackendUnavailableError, match="pip install"):
            backend.resolve_backend("cupy")

    def test_fft_round_trip(self, rng):
        x = rng.normal(size=(6, 8, 10))
        np.testing.assert_allclose(backend.irfftn(backend.rfftn(x), x.shape), x, atol=1e-14)

    def test_fft_workers_env(self, monkeypatch):
        monkeypatch.setenv("HOOMD_RIGIDFIELD_FFT_WORKERS", "1")
        assert backend.fft_workers() == 1
        monkeypatch.setenv("HOOMD_RIGIDFIELD_FFT_WORKERS", "0")
        with pytest.raises(ValueError, match=">= 1"):
            backend.fft_workers()

    def test_to_numpy(self):
        a = np.arange(3.0)
        assert backend.to_numpy(a) is a

    @requires_gpu
    def test_cupy(self):
        import cupy

        x = cupy.arange(8.0).reshape(2, 2, 2)
        assert backend.resolve_backend(None, x) is cupy
        np.testing.assert_allclose(
            backend.to_numpy(backend.irfftn(backend.rfftn(x), x.shape)),
            np.arange(8.0).reshape(2, 2, 2),
        )
