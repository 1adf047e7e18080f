"""Binary Mie nanocrystal mixtures and their superlattices (AlB2, NaZn13) :cite:`marino2024`.

Model modules (``potential``, ``compression``, ``configurations``), HOOMD-blue MD (``md``, the only
module here that imports HOOMD-blue), state point -> inputs (``study``) and figures (``plotting``).
"""
