"""Array-backend selection: NumPy/SciPy on the CPU, CuPy/cupyx on a GPU.

Array code in this package is written once. It asks :func:`get_array_module` for the module
that owns its data (the array module follows the data) and :func:`fft_module` /
:func:`cg_solver` for the matching FFT and Krylov implementations. This is the only module
that imports CuPy.
"""

from __future__ import annotations

import importlib
import os
from importlib.util import find_spec
from types import ModuleType
from typing import Any

import numpy as np
import scipy.fft
import scipy.sparse.linalg

BACKENDS = ("numpy", "cupy")


class BackendUnavailableError(RuntimeError):
    """Raised when a backend is requested explicitly but cannot be used here."""


def cupy_available() -> bool:
    """Whether CuPy is importable and sees at least one CUDA device.

    Returns:
        bool: ``True`` when the ``cupy`` backend can be used.
    """
    if find_spec("cupy") is None:
        return False
    try:
        cupy = importlib.import_module("cupy")
        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:
        return False


def resolve_backend(backend: str | None = None, *arrays: Any) -> ModuleType:
    """Return the array module to use.

    Args:
        backend: ``"numpy"``, ``"cupy"`` or ``None``. ``None`` follows the data: CuPy if any
            of ``arrays`` is a CuPy array, NumPy otherwise.
        *arrays: Arrays whose module is followed when ``backend`` is ``None``.

    Returns:
        module: ``numpy`` or ``cupy``.

    Raises:
        ValueError: If ``backend`` is not one of :data:`BACKENDS`.
        BackendUnavailableError: If ``"cupy"`` is requested and CuPy or a GPU is missing.
    """
    if backend is None:
        return get_array_module(*arrays)
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS} or None, got {backend!r}")
    if backend == "numpy":
        return np
    if not cupy_available():
        raise BackendUnavailableError(
            "backend='cupy' was requested but CuPy with a CUDA device is not available; "
            "install the GPU extra (pip install 'hoomd-rigidfield[gpu]') on a machine with a GPU, "
            "or use backend='numpy'."
        )
    return importlib.import_module("cupy")


def get_array_module(*arrays: Any) -> ModuleType:
    """Return ``cupy`` if any argument is a CuPy array, else ``numpy``.

    Args:
        *arrays: Arrays (or anything else; non-arrays count as NumPy).

    Returns:
        module: The array module that owns the data.
    """
    for a in arrays:
        if type(a).__module__.startswith("cupy"):
            return importlib.import_module("cupy")
    return np


def to_numpy(a: Any) -> np.ndarray:
    """Copy an array to host memory as a NumPy array (no copy for NumPy input).

    Args:
        a: NumPy or CuPy array.

    Returns:
        numpy.ndarray: Host array.
    """
    if get_array_module(a) is np:
        return np.asarray(a)
    return a.get()


def fft_module(xp: ModuleType) -> ModuleType:
    """FFT module matching ``xp``: :mod:`scipy.fft` or :mod:`cupyx.scipy.fft`.

    Args:
        xp: ``numpy`` or ``cupy``.

    Returns:
        module: Provides ``rfftn`` and ``irfftn``.
    """
    if xp is np:
        return scipy.fft
    return importlib.import_module("cupyx.scipy.fft")


def fft_workers() -> int:
    """Number of threads for SciPy FFTs (``HOOMD_RIGIDFIELD_FFT_WORKERS``, default: all cores).

    Returns:
        int: Worker count passed to :func:`scipy.fft.rfftn`.
    """
    value = os.environ.get("HOOMD_RIGIDFIELD_FFT_WORKERS")
    if value is None:
        return os.cpu_count() or 1
    workers = int(value)
    if workers < 1:
        raise ValueError(f"HOOMD_RIGIDFIELD_FFT_WORKERS must be >= 1, got {workers}")
    return workers


def rfftn(x: Any) -> Any:
    """Real-to-complex n-dimensional FFT (unnormalised forward transform) on ``x``'s backend.

    Args:
        x: Real array.

    Returns:
        Complex half-spectrum array (last axis ``n // 2 + 1``).
    """
    xp = get_array_module(x)
    if xp is np:
        return scipy.fft.rfftn(x, workers=fft_workers())
    return fft_module(xp).rfftn(x)


def irfftn(x: Any, shape: tuple[int, ...]) -> Any:
    """Inverse of :func:`rfftn` (normalised by ``1/prod(shape)``).

    Args:
        x: Complex half-spectrum array.
        shape: Shape of the real output.

    Returns:
        Real array of ``shape``.
    """
    xp = get_array_module(x)
    if xp is np:
        return scipy.fft.irfftn(x, s=shape, workers=fft_workers())
    return fft_module(xp).irfftn(x, s=shape)
