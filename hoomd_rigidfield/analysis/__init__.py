"""Analysis shared by the suites: crystal classes, 2D order, densities, RDFs, ideal lattices.

Everything here is a freud-style compute or a function of a system (anything
:meth:`freud.locality.NeighborQuery.from_system` reads, a :class:`gsd.hoomd.Frame` or a
:class:`~hoomd_rigidfield.analysis.lattices.LatticeSystem`). It imports no suite: the suites'
study modules import it.
"""

from hoomd_rigidfield.analysis.classifier import BinaryCrystalClassifier
from hoomd_rigidfield.analysis.density import dense_fraction, local_density, partial_rdfs
from hoomd_rigidfield.analysis.lattices import LatticeSystem
from hoomd_rigidfield.analysis.monolayer import MonolayerOrder
from hoomd_rigidfield.analysis.observables import estimate_d_ll
from hoomd_rigidfield.analysis.windows import (
    DEFAULT_WINDOWS,
    PhaseWindow,
    fit_reference_windows,
    fit_window,
    reference_fixtures,
)

__all__ = [
    "DEFAULT_WINDOWS",
    "BinaryCrystalClassifier",
    "LatticeSystem",
    "MonolayerOrder",
    "PhaseWindow",
    "dense_fraction",
    "estimate_d_ll",
    "fit_reference_windows",
    "fit_window",
    "local_density",
    "partial_rdfs",
    "reference_fixtures",
]
