"""Field theory of a strong electrolyte around rigid faceted nanocrystals :cite:`pbs_alignment2026`.

Model modules (``electrolyte``, ``grid``, ``formfactors``, ``shapes``, ``solver``, ``pair``,
``superlattice``, ``montecarlo``), the HOOMD updater (``update``, the only module here that imports
HOOMD-blue), the state point -> inputs of its studies (``study``), figures (``plotting``) and the
pair demo (``demo``).
"""
