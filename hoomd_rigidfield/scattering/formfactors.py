r"""X-ray form factors: atoms (Waasmaier-Kirfel via xraydb) and whole NCs (sphere).

Atomic form factors are

.. math::

    f_s(q) = \left[f^0_s(q) + f'_s(E) + i f''_s(E)\right]\,
             \exp\!\left(-\frac{B_s q^2}{16\pi^2}\right),

with :math:`f^0` from the Waasmaier-Kirfel parametrisation :cite:`waasmaier1995` as tabulated
by :mod:`xraydb` (no coefficients are copied here), the optional anomalous corrections
:math:`f', f''` from the Chantler tables (also via xraydb) at photon energy :math:`E`, and a
Debye-Waller factor with :math:`B_s = 8\pi^2\langle u^2\rangle` :math:`[\mathrm{\AA}^2]`.

Convention: :math:`q = 4\pi\sin\theta/\lambda` :math:`[\mathrm{\AA}^{-1}]` (:math:`2\theta` the
scattering angle). :func:`xraydb.f0` takes :math:`s = \sin\theta/\lambda = q/4\pi` (its docstring
and the Waasmaier-Kirfel paper), so it is called with ``q / (4 pi)``; the Debye-Waller exponent
:math:`B s^2 = B q^2/16\pi^2`.

Example:
    >>> import numpy as np
    >>> ff = AtomicFormFactors(("Pb", "S"))
    >>> np.round(ff(np.array([0.0, 1.833])), 2)  # f(0) = Z; PbS (111)
    array([[82.  , 73.98],
           [16.  , 12.71]])
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from numbers import Real
from typing import Any

import numpy as np

from hoomd_rigidfield.backend import get_array_module, to_numpy
from hoomd_rigidfield.validation import check_finite_array, check_positive, check_real

#: Below this :math:`qR` the sphere amplitude uses its Taylor series to :math:`x^8` (truncation
#: < 1e-22; the closed form loses about :math:`3\times10^{-16}/x^2` to cancellation, 1e-13 here).
SPHERE_SERIES_BELOW = 0.05


def _check_q(q: Any, name: str = "q") -> Any:
    a = check_finite_array(name, q)
    xp = get_array_module(a)
    if a.size and float(xp.min(a)) < 0:
        raise ValueError(f"{name} must be >= 0 A^-1 (a magnitude), got min {float(xp.min(a)):g}")
    return a


def _xraydb() -> Any:
    import xraydb  # optional at import time: only the atomic form factors need it

    return xraydb


def f0(element: str, q: Any) -> np.ndarray:
    r"""Elastic (Thomson) form factor :math:`f^0(q)` of a neutral atom or ion, in electrons.

    Args:
        element (str): Symbol as xraydb spells it (``"Pb"``, ``"S"``, ``"Fe2+"``).
        q: Momentum transfer magnitudes :math:`q = 4\pi\sin\theta/\lambda`
            :math:`[\mathrm{\AA}^{-1}]`, any shape.

    Returns:
        numpy.ndarray: :math:`f^0`, the shape of ``q`` (on the backend of ``q``).

    Raises:
        ValueError: If ``element`` is not in the Waasmaier-Kirfel table or ``q`` is negative.
    """
    qa = _check_q(q)
    xp = get_array_module(qa)
    host = to_numpy(qa)
    try:
        val = _xraydb().f0(str(element), (host / (4.0 * math.pi)).ravel())
    except ValueError as err:
        raise ValueError(
            f"element must be an atom or ion of the Waasmaier-Kirfel table (H to Cf, e.g. 'Pb', "
            f"'Fe2+'), got {element!r}"
        ) from err
    return xp.asarray(np.asarray(val, dtype=float).reshape(host.shape))


def anomalous(element: str, energy: float) -> complex:
    r"""Anomalous dispersion correction :math:`f' + i f''` (Chantler tables via xraydb).

    Args:
        element (str): Element symbol (neutral atom).
        energy (float): Photon energy :math:`[\mathrm{eV}]`.

    Returns:
        complex: :math:`f'(E) + i f''(E)` in electrons.
    """
    e = check_positive("energy", energy, "eV")
    xdb = _xraydb()
    try:
        f1 = float(np.asarray(xdb.f1_chantler(str(element), e)).ravel()[0])
        f2 = float(np.asarray(xdb.f2_chantler(str(element), e)).ravel()[0])
    except Exception as err:
        raise ValueError(
            f"element must be an element of the Chantler tables (e.g. 'Pb'), got {element!r}"
        ) from err
    return complex(f1, f2)


def debye_waller(q: Any, b_factor: float) -> Any:
    r"""Debye-Waller factor :math:`\exp(-B q^2/16\pi^2)`.

    Args:
        q: :math:`q` :math:`[\mathrm{\AA}^{-1}]`, any shape.
        b_factor (float): :math:`B = 8\pi^2\langle u^2\rangle \ge 0` :math:`[\mathrm{\AA}^2]`.

    Returns:
        array: Same shape and backend as ``q``.
    """
    b = check_real("b_factor", b_factor, 0.0, low_open=False, unit="A^2")
    qa = _check_q(q)
    xp = get_array_module(qa)
    return xp.exp(-b * qa**2 / (16.0 * math.pi**2))


def atomic_form_factor(
    element: str, q: Any, b_factor: float = 0.0, energy: float | None = None
) -> Any:
    r"""Atomic form factor :math:`f(q) = [f^0(q) + f' + if'']\,e^{-Bq^2/16\pi^2}`.

    Args:
        element (str): Symbol (xraydb spelling).
        q: :math:`q` :math:`[\mathrm{\AA}^{-1}]`, any shape.
        b_factor (float): Debye-Waller :math:`B` :math:`[\mathrm{\AA}^2]`.
        energy (float): Photon energy :math:`[\mathrm{eV}]` for the anomalous terms; ``None``:
            none (real :math:`f`).

    Returns:
        array: Real (``energy=None``) or complex, shape of ``q``.
    """
    f = f0(element, q)
    if energy is not None:
        f = f + anomalous(element, energy)
    return f * debye_waller(q, b_factor)


FormFactorSpec = Real | Callable[[Any], Any] | None


class AtomicFormFactors:
    r"""Form factors of the species of an NC, evaluated together: ``ff(q) -> (S, *q.shape)``.

    Args:
        species (sequence of str): Element symbols (e.g. :attr:`AtomisticNC.species`).
        b_factors (float | sequence | mapping): Debye-Waller :math:`B_s`
            :math:`[\mathrm{\AA}^2]`: one for all, one per species, or ``{symbol: B}``
            (missing symbols: 0).
        energy (float): Photon energy :math:`[\mathrm{eV}]` for anomalous terms (``None``: off).
        overrides (mapping): ``{symbol: value}`` replacing the tabulated :math:`f^0` of a
            species by a constant (e.g. 1 for point scatterers) or a callable ``f(q)``. The
            Debye-Waller factor still applies; the anomalous terms do not.

    Raises:
        ValueError: On an unknown element, a negative :math:`B` or lengths that do not match.
    """

    def __init__(
        self,
        species: Sequence[str],
        b_factors: float | Sequence[float] | Mapping[str, float] = 0.0,
        energy: float | None = None,
        overrides: Mapping[str, FormFactorSpec] | None = None,
    ) -> None:
        species = (species,) if isinstance(species, str) else tuple(str(s) for s in species)
        if not species:
            raise ValueError("species must name at least one element, got ()")
        self._species = species
        if isinstance(b_factors, Mapping):
            bs = [b_factors.get(s, 0.0) for s in species]
        elif np.ndim(b_factors) == 0:
            bs = [b_factors] * len(species)
        else:
            bs = list(b_factors)
            if len(bs) != len(species):
                raise ValueError(
                    f"b_factors must give one B per species {species}, got {len(bs)} values"
                )
        self._b = tuple(
            check_real(f"b_factors[{s!r}]", b, 0.0, low_open=False, unit="A^2")
            for s, b in zip(species, bs)
        )
        self._energy = None if energy is None else check_positive("energy", energy, "eV")
        overrides = dict(overrides or {})
        unknown = set(overrides) - set(species)
        if unknown:
            raise ValueError(f"overrides must name species among {species}, got {sorted(unknown)}")
        for s, v in overrides.items():
            if not (callable(v) or isinstance(v, Real)):
                raise ValueError(f"overrides[{s!r}] must be a number or a callable f(q), got {v!r}")
        self._overrides = overrides
        self._anomalous = tuple(
            0j if (self._energy is None or s in overrides) else anomalous(s, self._energy)
            for s in species
        )
        for s in species:  # fail now, not at the first evaluation
            if s not in overrides:
                f0(s, np.zeros(1))

    @classmethod
    def constant(
        cls, species: Sequence[str], values: float | Sequence[float] = 1.0
    ) -> AtomicFormFactors:
        """Constant (q-independent) form factors, e.g. 1 for point scatterers.

        Args:
            species (sequence of str): Species names (any strings).
            values (float | sequence): One value for all or one per species.

        Returns:
            AtomicFormFactors: With every species overridden.
        """
        species = (species,) if isinstance(species, str) else tuple(species)
        vals = [values] * len(species) if np.ndim(values) == 0 else list(values)
        if len(vals) != len(species):
            raise ValueError(f"values must give one value per species {species}, got {len(vals)}")
        return cls(species, overrides=dict(zip(species, (float(v) for v in vals))))

    @property
    def species(self) -> tuple[str, ...]:
        """tuple[str, ...]: The species, in row order of the output."""
        return self._species

    @property
    def b_factors(self) -> tuple[float, ...]:
        r"""tuple[float, ...]: :math:`B_s` :math:`[\mathrm{\AA}^2]`."""
        return self._b

    @property
    def is_complex(self) -> bool:
        """bool: Whether the form factors carry anomalous (imaginary) parts."""
        return any(a != 0 for a in self._anomalous)

    def __call__(self, q: Any) -> Any:
        r"""Evaluate all species.

        Args:
            q: :math:`|q|` :math:`[\mathrm{\AA}^{-1}]`, any shape (NumPy or CuPy).

        Returns:
            array: ``(S, *q.shape)``, real unless an energy was given.
        """
        qa = _check_q(q)
        xp = get_array_module(qa)
        rows = []
        for s, b, an in zip(self._species, self._b, self._anomalous):
            if s in self._overrides:
                v = self._overrides[s]
                base = v(qa) if callable(v) else xp.full(qa.shape, float(v))
                base = xp.asarray(base)
            else:
                base = f0(s, qa) + an if an != 0 else f0(s, qa)
            rows.append(base * debye_waller(qa, b))
        dtype = complex if self.is_complex else float
        return xp.stack([xp.asarray(r, dtype=dtype) for r in rows])

    def __repr__(self) -> str:
        return (
            f"AtomicFormFactors({self._species!r}, b_factors={self._b!r}, energy={self._energy!r})"
        )


def sphere_form_factor(q: Any, radius: float, normalized: bool = False) -> Any:
    r"""Amplitude of a homogeneous sphere, :math:`F(q) = 3V[\sin(qR) - qR\cos(qR)]/(qR)^3`.

    :math:`F(0) = V = 4\pi R^3/3`; for :math:`qR <` :data:`SPHERE_SERIES_BELOW` the series
    :math:`V(1 - x^2/10 + x^4/280 - x^6/15120 + x^8/1330560)` is used (no 0/0, no cancellation).

    Args:
        q: :math:`q` :math:`[\mathrm{\AA}^{-1}]`, any shape (NumPy or CuPy).
        radius (float): :math:`R` :math:`[\mathrm{\AA}]`.
        normalized (bool): Divide by :math:`V` (so :math:`F(0) = 1`).

    Returns:
        array: :math:`F(q)` :math:`[\mathrm{\AA}^3]` (or dimensionless), shape of ``q``.

    Example:
        >>> float(sphere_form_factor(0.0, 1.0, normalized=True))
        1.0
    """
    r = check_positive("radius", radius, "A")
    qa = _check_q(q)
    xp = get_array_module(qa)
    x = qa * r
    small = x < SPHERE_SERIES_BELOW
    xs = xp.where(small, 1.0, x)
    full = 3.0 * (xp.sin(xs) - xs * xp.cos(xs)) / xs**3
    x2 = x * x
    series = 1.0 + x2 * (-1.0 / 10 + x2 * (1.0 / 280 + x2 * (-1.0 / 15120 + x2 / 1330560)))
    out = xp.where(small, series, full)
    return out if normalized else out * (4.0 * math.pi * r**3 / 3.0)
