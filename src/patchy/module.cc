// Part of hoomd_rigidfield (BSD 3-Clause). Python module of the hoomd.rigidfield_patchy component.

#include "PairPotentialSquarePatch.h"

#include <pybind11/pybind11.h>

PYBIND11_MODULE(_rigidfield_patchy, m)
    {
    // PairPotential (the base class) is registered by hoomd.hpmc._hpmc, imported first.
    hoomd::hpmc::detail::exportPairPotentialSquarePatch(m);
    }
