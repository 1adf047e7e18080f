"""Fingerprints of runs: encoded in checkpoints, compared field by field."""

import dataclasses

import numpy as np
import pytest

from hoomd_rigidfield import fingerprints


@dataclasses.dataclass(frozen=True)
class _Model:
    eps: float
    exponents: tuple[int, int]


def test_round_trip_through_bytes_and_floats():
    mine = {"model": _Model(2.5, (50, 25)), "kT": np.float64(1.0), "sites": np.arange(3)}
    raw = fingerprints.encode(mine, version="0.1")
    assert raw.dtype == np.uint8
    back = fingerprints.decode(raw)
    assert back == {"model": {"eps": 2.5, "exponents": [50, 25]}, "kT": 1.0, "sites": [0, 1, 2]}
    # a HOOMD checkpoint's extra values come back as floats
    assert fingerprints.decode([float(b) for b in raw]) == back
    assert fingerprints.differences(mine, back) == []


def test_differences_name_each_field_with_both_values():
    mine = {"model": _Model(2.5, (50, 25)), "kT": 1.0, "seed": 3}
    theirs = {"model": {"eps": 1.0, "exponents": [50, 25]}, "seed": 3, "dt": 0.001}
    assert fingerprints.differences(mine, theirs) == [
        "dt (checkpoint 0.001, this run '(absent)')",
        "kT (checkpoint '(absent)', this run 1.0)",
        "model (checkpoint {'eps': 1.0, 'exponents': [50, 25]}, this run "
        "{'eps': 2.5, 'exponents': [50, 25]})",
    ]


def test_check_refuses_another_run_and_unreadable_records():
    raw = fingerprints.encode({"kT": 1.0, "seed": 3})
    fingerprints.check("r.gsd", {"seed": 3, "kT": 1.0}, raw, "delete r.gsd")  # same run
    with pytest.raises(
        ValueError, match=r"another run or model: it differs in kT \(checkpoint 1.0"
    ):
        fingerprints.check("r.gsd", {"seed": 3, "kT": 1.5}, raw, "delete r.gsd")
    for bad in ([1.5, 2.0], [300.0], [-1.0], np.frombuffer(b"[1, 2]", np.uint8), [[1.0]]):
        with pytest.raises(ValueError, match=r"stored fingerprint cannot be read.*delete r\.gsd"):
            fingerprints.check("r.gsd", {"seed": 3}, bad, "delete r.gsd")
    with pytest.raises(TypeError, match="numbers, strings and containers"):
        fingerprints.encode({"f": object()})
