"""Reference values of crystal identification: ideal Steinhardt values, densities, L-S cut-offs.

Used by :mod:`~hoomd_rigidfield.analysis.windows` (the fitted phase windows) and
:mod:`~hoomd_rigidfield.analysis.density` (the local density of two-step nucleation,
:cite:`marino2024`).
"""

from __future__ import annotations

import dataclasses
import math


@dataclasses.dataclass(frozen=True)
class SteinhardtReference:
    """Steinhardt values of a perfect lattice.

    Attributes:
        num_neighbors (int): Nearest neighbours used (the coordination shell).
        q4 (float): :math:`q_4` (identical with and without Lechner-Dellago averaging).
        q6 (float): :math:`q_6`.
    """

    num_neighbors: int
    q4: float
    q6: float


#: Ideal-lattice Steinhardt values, measured with freud 3.4.0 (``Steinhardt([4, 6])``,
#: ``num_neighbors`` = coordination) on :mod:`~hoomd_rigidfield.analysis.lattices` and re-measured by
#: ``tests/test_crystals.py`` to 1e-4. They agree with the closed forms (sc: q4 = sqrt(7/12),
#: q6 = sqrt(1/8); simple hexagonal c/a = 1: q4 = 17/32) and with freud's own test constant
#: (fcc q6 = 0.57452416).
STEINHARDT_REFERENCES: dict[str, SteinhardtReference] = {
    "fcc": SteinhardtReference(12, 0.190941, 0.574524),
    "hcp": SteinhardtReference(12, 0.097222, 0.484761),
    "bcc": SteinhardtReference(8, 0.509175, 0.628540),
    "sc": SteinhardtReference(6, 0.763763, 0.353553),
    "simple_hexagonal": SteinhardtReference(8, 0.531250, 0.504013),
}

#: Local-density thresholds :math:`[\\sigma^{-3}]` of :cite:`marino2024` above which a particle is
#: "locally dense", for the FCC, AlB2 and NaZn13 simulations respectively (freud
#: ``LocalDensity(r_max=1.3, diameter=1.0)``, all species counted).
LOCAL_DENSITY_THRESHOLDS: dict[str, float] = {"fcc": 1.05, "AlB2": 1.6, "NaZn13": 2.5}
#: :cite:`marino2024` local-density cutoff radius :math:`[\\sigma]`.
LOCAL_DENSITY_R_MAX = 1.3
#: :cite:`marino2024` local-density particle diameter :math:`[\\sigma]`.
LOCAL_DENSITY_DIAMETER = 1.0

#: L-S cutoffs in units of d_LL: midpoints of the first two L-S shells of the reference.
#: AlB2 (c/a = 1): shells at sqrt(7/12) = 0.7638 (12 S) and sqrt(19/12) = 1.2583 (12 S).
R_LS_ALB2 = 0.5 * (math.sqrt(7.0 / 12.0) + math.sqrt(19.0 / 12.0))
#: NaZn13 (y, z = 0.1806, 0.1192): shells at 0.5811 (24 S_II) and sqrt(3)/2 = 0.8660 (8 S_I).
R_LS_NAZN13 = 0.7236
#: S-S cutoffs of the small-particle site criterion in units of d_LL: midpoints of the first two
#: S-S shells of the S in the first L-S shell. AlB2: 3 S at 1/sqrt(3) = 0.5774 (graphitic layer),
#: then 8 at 1.0.
R_SS_ALB2 = 0.5 * (1.0 / math.sqrt(3.0) + 1.0)
#: NaZn13 S_II: 10 S between 0.4188 and 0.4768 (own icosahedron, its centre, the next
#: icosahedron), then 0.5923.
R_SS_NAZN13 = 0.5345
#: Site exclusion: an S with another S closer than this fraction of the reference's nearest S-S
#: distance shares its site (AlB2 0.5774, NaZn13 0.4188).
SITE_EXCLUSION_FRACTION = 0.6
R_SS_MIN_ALB2 = SITE_EXCLUSION_FRACTION / math.sqrt(3.0)
R_SS_MIN_NAZN13 = round(SITE_EXCLUSION_FRACTION * 0.4188, 4)
#: fcc has no S in the reference; an fcc L particle must have (almost) no S within its first
#: L-L shell, so the cutoff is d_LL itself.
R_LS_FCC = 1.0

#: Phase names of :class:`BinaryCrystalClassifier` with :data:`DEFAULT_WINDOWS`; the integer
#: phase codes index this tuple (0 = fluid).
PHASE_NAMES = ("fluid", "fcc", "AlB2", "NaZn13")
FLUID = "fluid"
