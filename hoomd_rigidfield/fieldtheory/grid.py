"""Periodic cubic grid and its Fourier (rfft) wavevectors."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np

from hoomd_rigidfield import backend
from hoomd_rigidfield.validation import check_int, check_positive


def validate_grid(box_length: float, n_grid: int) -> tuple[float, int]:
    """Check and normalise grid parameters.

    Args:
        box_length (float): Box side, positive and finite :math:`[\\mathrm{\\AA}]`.
        n_grid (int): Points per side, an integer >= 8.

    Returns:
        tuple: ``(float(box_length), int(n_grid))``.

    Raises:
        ValueError: If either is out of range.
    """
    return check_positive("box_length", box_length, "A"), check_int("n_grid", n_grid, 8)


class PeriodicGrid:
    r"""A periodic cubic grid of :math:`N_g^3` points in a box of side :math:`L`.

    Real-space points are :math:`\mathbf x_n = h\mathbf n`, :math:`h = L/N_g`. Fourier data live on
    the rfft half spectrum, shape ``(N_g, N_g, N_g // 2 + 1)``, with wavevectors
    :math:`\mathbf k_m = 2\pi\mathbf m/L`.

    Args:
        box_length (float): Box side :math:`L` :math:`[\mathrm{\AA}]`.
        n_grid (int): Points per side :math:`N_g \ge 8`.
        xp (module): ``numpy`` or ``cupy``; the arrays are allocated there.
    """

    def __init__(self, box_length: float, n_grid: int, xp: ModuleType = np) -> None:
        self.box_length, self.n_grid = validate_grid(box_length, n_grid)
        self.xp = xp
        n = self.n_grid
        h = self.spacing
        kx = 2.0 * np.pi * np.fft.fftfreq(n, d=h)
        kz = 2.0 * np.pi * np.fft.rfftfreq(n, d=h)
        self.kx = xp.asarray(kx.reshape(n, 1, 1))
        self.ky = xp.asarray(kx.reshape(1, n, 1))
        self.kz = xp.asarray(kz.reshape(1, 1, len(kz)))
        self.k2 = self.kx**2 + self.ky**2 + self.kz**2
        # Hermitian weights of the half spectrum: interior kz planes stand for two modes.
        w = np.full(len(kz), 2.0)
        w[0] = 1.0
        if n % 2 == 0:
            w[-1] = 1.0
        self.weights = xp.asarray(w.reshape(1, 1, -1))
        # Nyquist planes (even n) have no Hermitian partner: the fields are zeroed there.
        keep = np.ones((n, n, len(kz)), dtype=bool)
        if n % 2 == 0:
            keep[n // 2, :, :] = False
            keep[:, n // 2, :] = False
            keep[:, :, -1] = False
        self.not_nyquist = xp.asarray(keep)

    @property
    def spacing(self) -> float:
        r"""float: Grid spacing :math:`h = L/N_g` :math:`[\mathrm{\AA}]`."""
        return self.box_length / self.n_grid

    @property
    def shape(self) -> tuple[int, int, int]:
        """tuple: Real-space shape ``(N_g, N_g, N_g)``."""
        return (self.n_grid,) * 3

    @property
    def k(self) -> tuple[Any, Any, Any]:
        """tuple: Broadcastable wavevector components ``(kx, ky, kz)`` :math:`[\\mathrm{\\AA}^{-1}]`."""
        return self.kx, self.ky, self.kz

    def coordinates(self) -> np.ndarray:
        """(N_g,) numpy.ndarray: Grid coordinates along one axis :math:`[\\mathrm{\\AA}]`."""
        return np.arange(self.n_grid) * self.spacing

    def to_real(self, f_hat: Any) -> Any:
        r"""Grid field :math:`f(\mathbf x_n) = L^{-3}\sum_m \hat f(\mathbf k_m)e^{i\mathbf k_m\cdot\mathbf x_n}`.

        Args:
            f_hat: Continuum Fourier transform :math:`\hat f(\mathbf k_m)` on the half spectrum
                (Nyquist planes must already be zero).

        Returns:
            Real array of shape :attr:`shape`.
        """
        return backend.irfftn(f_hat, self.shape) / self.spacing**3
