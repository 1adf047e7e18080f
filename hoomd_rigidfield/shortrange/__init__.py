"""Charge-stabilised nanocrystals with short-range attraction: crystal, gel or fluid.

The suite follows the seed :cite:`coropceanu2022`.

Model modules: ``potentials`` (DLVO, SI in / kT out), ``corresponding_states`` (B2*, Noro-Frenkel
square well), ``squarewell`` (the continuous square well for MD), ``regimes`` (landmark regime
map), ``classify`` (end states, freud). HOOMD-blue: ``md`` (Langevin quenches, DLVO check) and
``hpmc`` (exact square well), the only modules here that import it. State point -> inputs
(``study``), figures (``plotting``), the command line (``python -m hoomd_rigidfield.shortrange``).
"""
