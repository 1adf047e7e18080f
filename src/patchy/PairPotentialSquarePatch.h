// Part of hoomd_rigidfield (BSD 3-Clause). Square patches on the four vertical {100} facets of a
// truncated cube lying {100}-up in a monolayer (seed paper 004), as an HPMC pair potential.
//
// The rule is hoomd_rigidfield.patchy.patch_energy (the reference the tests compare against):
// patch k of particle i has normal n_ik = R(q_i) e_k (e_k = +x, +y, -x, -y in the body frame),
// tangent t_ik = R(q_i) e_z x n_ik and centre r_i + a n_ik. Patches ik and jl are bonded when
//   1. they face each other:       n_ik . n_jl <= -cos(theta_max),
//   2. both gaps lie in the window: gap_min <= (c_jl - c_ik) . n_ik <= gap_max, same with i <-> j,
//   3. they overlap laterally in both frames: min(p, s + q) - max(-p, s - q) > 0 with
//      s = (c_jl - c_ik) . t_ik, q = p |n_ik . n_jl| (and i <-> j),
// and each bonded pair contributes -epsilon (mode "step") or -epsilon * overlap / (2 p)
// (mode "overlap"). Energies are in units of kT (HOOMD 4.8 HPMC has beta = 1).

#pragma once

#include "hoomd/hpmc/PairPotential.h"

#include <pybind11/pybind11.h>

namespace hoomd
    {
namespace hpmc
    {

class PairPotentialSquarePatch : public hpmc::PairPotential
    {
    public:
    PairPotentialSquarePatch(std::shared_ptr<SystemDefinition> sysdef);
    virtual ~PairPotentialSquarePatch() { }

    virtual LongReal energy(const LongReal r_squared,
                            const vec3<LongReal>& r_ij,
                            const unsigned int type_i,
                            const quat<LongReal>& q_i,
                            const LongReal charge_i,
                            const unsigned int type_j,
                            const quat<LongReal>& q_j,
                            const LongReal charge_j) const;

    virtual LongReal computeRCutNonAdditive(unsigned int type_i, unsigned int type_j) const;

    void setParamsPython(pybind11::tuple typ, pybind11::object params);

    pybind11::object getParamsPython(pybind11::tuple typ);

    protected:
    struct ParamType
        {
        ParamType() { }

        ParamType(pybind11::object v);

        pybind11::object asDict() const;

        bool enabled = false;
        LongReal half_width = 0;    // a: centre to {100} facet
        LongReal half_patch = 0;    // p: half the patch length
        LongReal gap_min = 0;       // lower end of the gap window (<= 0)
        LongReal gap_max = 0;       // upper end of the gap window
        LongReal cos_theta_max = 1; // facing tolerance
        LongReal epsilon = 0;       // well depth [kT] (> 0: attractive)
        LongReal r_cut = 0;         // centre-centre cut-off
        bool overlap_mode = false;  // weight by overlap / (2 p) instead of 1
        };

    std::vector<ParamType> m_params;
    };

namespace detail
    {
void exportPairPotentialSquarePatch(pybind11::module& m);
    } // end namespace detail

    } // end namespace hpmc
    } // end namespace hoomd
