"""Crystal and fluid free energies by thermodynamic integration, and phase coexistence.

Solid branch: the Einstein molecule :cite:`vega2007` (``einstein``: exact reference and
perturbation step; ``quadrature``: Gauss-Legendre switching of the springs and block errors),
sampled with HOOMD-blue by ``hpmc`` (hard spheres and convex polyhedra, translational and
orientational springs of the harmonic field :cite:`noya2008`; shapes and their symmetry groups in
``shapes``; optionally a square well, ``squarewell`` for its virial gas and solubility line) or
``md`` (any pair force, harmonic tethers; the finite-temperature zero-stress shape);
``harmonic``: exact harmonic lattice dynamics and the leading anharmonic term of a
pair-potential crystal (the finite-size law, low-temperature checks); ``literature``: van der
Hoef's Lennard-Jones fcc fit. Fluid branch (``fluid``): integration of the equation of state
along an isotherm from the ideal gas, and along an isochore in :math:`\\beta`. ``coexistence``:
equal pressure and chemical potential between two branches. Only ``hpmc`` and ``md`` import
HOOMD. State point -> inputs (``study``), figures (``plotting``). Units: σ, kT (or ε), free
energies per particle in kT.
"""
