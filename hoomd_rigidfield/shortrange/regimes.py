"""Where a square well :math:`(\\beta u_0, \\lambda)` falls on the regime map at volume fraction 0.1.

The seed maps nucleation regimes of a square well over depth and width (its Fig. 2C, after
dynamic simulations of short-range attractive spheres :cite:`haxton2015`) :cite:`coropceanu2022`.
Without tabulated phase lines (docs/shortrange.md), :func:`predicted_regime` uses landmarks:

* ``"fluid"``: :math:`B_2^* \\ge -1.5`, shallower than the critical point (a stable fluid, or a
  slowly nucleating gas, at :math:`\\phi = 0.1`), or no square well at all (a barrier that
  outweighs the well, :math:`B_2^* > 1`);
* ``"gel"``: otherwise, :math:`\\beta u_0 \\ge` :data:`GEL_DEPTH` (wells deeper than ~5 kT
  arrest);
* ``"crystal"``: past the critical point with :math:`\\lambda \\le`
  :data:`STABLE_LIQUID_WIDTH`, where the liquid is metastable and nucleation is one- or
  two-step;
* ``"droplets"``: past the critical point of a wider well: a stable dense liquid separates
  first.

These are the same four names as the end states of :mod:`hoomd_rigidfield.shortrange.classify`,
so a predicted map and a simulated one compare point by point.
"""

from __future__ import annotations

import numpy as np

from hoomd_rigidfield.shortrange.corresponding_states import (
    CRITICAL_REDUCED_B2,
    EquivalentSquareWell,
    equivalent_square_well,
    square_well_reduced_b2,
)
from hoomd_rigidfield.shortrange.potentials import DLVOPair
from hoomd_rigidfield.shortrange.validation import check_real

#: End states / regimes, in the order of the regime-map legend.
REGIMES = ("fluid", "crystal", "droplets", "gel")
#: Depth beyond which quenched short-range fluids arrest [kT] (the seed: DLVO wells deeper than
#: ~5 kT gel, ~6 kT is "too deep").
GEL_DEPTH = 5.0
#: Square-well width above which the liquid is stable (:math:`\\lambda' \\approx 1.25`).
STABLE_LIQUID_WIDTH = 0.25


def predicted_regime(depth: float, lam: float) -> str:
    """The landmark regime of a square well (module docstring).

    Args:
        depth (float): :math:`\\beta u_0` [kT] (>= 0).
        lam (float): Width :math:`\\lambda` [:math:`\\sigma`]; :math:`\\le 0` (no equivalent
            square well: net repulsion) is a fluid.

    Returns:
        str: One of :data:`REGIMES`.

    Example:
        >>> [predicted_regime(d, 0.1) for d in (1.0, 3.5, 6.0)]
        ['fluid', 'crystal', 'gel']
        >>> predicted_regime(3.0, 0.4)
        'droplets'
    """
    u0 = check_real("depth", depth, 0, low_open=False, unit="kT")
    width = check_real("lam", lam, unit="sigma")
    if width <= 0 or u0 == 0 or float(square_well_reduced_b2(u0, width)) >= CRITICAL_REDUCED_B2:
        return "fluid"
    if u0 >= GEL_DEPTH:
        return "gel"
    return "crystal" if width <= STABLE_LIQUID_WIDTH else "droplets"


def dlvo_square_well(pair: DLVOPair, *, diameter: str = "nf") -> EquivalentSquareWell:
    """The Noro-Frenkel square well of a DLVO pair, lengths in units of its contact distance.

    The minimum of a DLVO pair with a hard contact sits at contact, so
    :math:`\\sigma_\\mathrm{eff} = R_1 + R_2 + h_c` in both conventions; the virial integral
    runs to 40 Debye lengths plus four radii beyond contact, where it has converged.

    Args:
        pair (DLVOPair): The pair.
        diameter (str): ``"nf"`` or ``"bh"``.

    Returns:
        EquivalentSquareWell: Depth [kT], width and :math:`\\sigma_\\mathrm{eff}` in units of
        :attr:`DLVOPair.contact`, :math:`B_2^*`.
    """
    well = pair.well()
    if well.depth == 0:
        raise ValueError("the pair has no attractive well (U > 0 everywhere): no square well")
    s = pair.contact
    reach = 40 * pair.debye_length + 4 * max(pair.radii)
    kinks = [well.position / s]
    if np.isfinite(well.barrier_position):
        kinks.append(well.barrier_position / s)
    return equivalent_square_well(
        lambda x: pair.energy(np.asarray(x) * s),
        well.position / s,
        r_max=1 + reach / s,
        breakpoints=kinks,
        diameter=diameter,
    )
