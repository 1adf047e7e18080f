"""Patchy truncated cubes in a monolayer, simulated by HOOMD-blue HPMC :cite:`patchy_cubes_seed004`.

Model modules (``shape``, ``patches``, ``anneal``), HOOMD-blue HPMC (``hpmc``, the only module here
that imports HOOMD-blue; it uses the compiled component ``hoomd.rigidfield_patchy``), state point ->
inputs (``study``) and figures (``plotting``).
"""
