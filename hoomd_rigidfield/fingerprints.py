"""Fingerprints of what determines a run, carried by its checkpoints.

A checkpoint that resumes a run must belong to that run: the same model, the same parameters,
the same seed. Each resumable run (the field-theory Monte Carlo chain, the HOOMD runs of
:mod:`hoomd_rigidfield.runs`) describes itself as a JSON-able dict, stores it in every
checkpoint as UTF-8 bytes, and refuses to resume from a checkpoint whose fingerprint differs,
naming the fields that differ (see ``docs/validation.md``).
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Mapping
from typing import Any

import numpy as np

#: Shown for a field that one side of a comparison does not have.
ABSENT = "(absent)"


def as_json_value(value: Any) -> Any:
    """``value`` as JSON holds it: dataclasses as dicts, arrays and tuples as lists.

    Dataclasses keep their ``__init__`` fields (derived caches are left out); mapping keys that
    are tuples (type pairs) become ``"A,B"``.

    Args:
        value: Numbers, strings, ``None``, sequences, mappings, dataclass instances or
            NumPy arrays (nested).

    Returns:
        The value after a JSON round trip (so that comparisons see what a file holds).

    Example:
        >>> as_json_value({"k": (1, np.float64(2.5)), "a": np.arange(2)})
        {'a': [0, 1], 'k': [1, 2.5]}
    """

    def plain(obj: Any) -> Any:
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return {f.name: plain(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.init}
        if isinstance(obj, Mapping):  # tuple keys (type pairs) as "A,B"
            return {
                ",".join(map(str, k)) if isinstance(k, tuple) else str(k): plain(v)
                for k, v in obj.items()
            }
        if isinstance(obj, (list, tuple, np.ndarray)):
            return [plain(v) for v in obj]
        if isinstance(obj, np.generic):
            return obj.item()
        if obj is None or isinstance(obj, (bool, int, float, str)):
            return obj
        raise TypeError(f"a fingerprint holds numbers, strings and containers, got {obj!r}")

    return json.loads(json.dumps(plain(value), sort_keys=True))


def encode(fingerprint: Mapping[str, Any], **extra: Any) -> np.ndarray:
    """A fingerprint as the uint8 array a GSD log holds.

    Args:
        fingerprint (Mapping[str, Any]): What determines the run.
        **extra: Stored next to it but not compared (e.g. ``version``).

    Returns:
        (n,) numpy.ndarray: UTF-8 bytes of ``{"fingerprint": ..., **extra}`` as JSON.
    """
    record = json.dumps({"fingerprint": as_json_value(dict(fingerprint)), **extra}, sort_keys=True)
    return np.frombuffer(record.encode(), dtype=np.uint8).copy()


def decode(raw: Any) -> dict[str, Any]:
    """The fingerprint stored by :func:`encode` (bytes as uint8 or as floats).

    Args:
        raw: The stored values.

    Returns:
        dict[str, Any]: The fingerprint.

    Raises:
        ValueError: If the values are not an encoded fingerprint.
    """
    try:
        data = np.asarray(raw, dtype=np.float64)
        if data.ndim != 1 or np.any((data < 0) | (data > 255) | (data != np.round(data))):
            raise ValueError("not bytes")
        return dict(json.loads(bytes(data.astype(np.uint8)).decode())["fingerprint"])
    except (ValueError, TypeError, KeyError, UnicodeDecodeError) as err:
        raise ValueError(f"the stored fingerprint cannot be read ({err})") from None


def differences(mine: Mapping[str, Any], theirs: Mapping[str, Any]) -> list[str]:
    """The fields in which two fingerprints differ, each with both values.

    Args:
        mine (Mapping[str, Any]): This run's fingerprint.
        theirs (Mapping[str, Any]): The checkpoint's fingerprint.

    Returns:
        list[str]: ``"key (checkpoint X, this run Y)"`` for every differing key, sorted.

    Example:
        >>> differences({"kT": 1.0, "seed": 3}, {"kT": 1.5, "seed": 3})
        ['kT (checkpoint 1.5, this run 1.0)']
    """
    mine, theirs = as_json_value(dict(mine)), as_json_value(dict(theirs))
    return [
        f"{key} (checkpoint {theirs.get(key, ABSENT)!r}, this run {mine.get(key, ABSENT)!r})"
        for key in sorted(set(mine) | set(theirs))
        if mine.get(key, ABSENT) != theirs.get(key, ABSENT)
    ]


def check(path: str | os.PathLike, mine: Mapping[str, Any], raw: Any, fresh: str) -> None:
    """Raise unless the fingerprint stored in checkpoint ``path`` equals ``mine``.

    Args:
        path (str | os.PathLike): The checkpoint (for the message).
        mine (Mapping[str, Any]): This run's fingerprint.
        raw: The stored fingerprint (:func:`encode`'s bytes).
        fresh (str): How to start afresh (the end of the message), e.g.
            ``"delete run/restart.gsd and run/trajectory.gsd"``.

    Raises:
        ValueError: If the fingerprints differ (the message names the fields) or the stored one
            cannot be read.
    """
    try:
        theirs = decode(raw)
    except ValueError as err:
        raise ValueError(f"checkpoint {path}: {err}; {fresh} to start a fresh run") from None
    differ = differences(mine, theirs)
    if differ:
        raise ValueError(
            f"checkpoint {path} is from another run or model: it differs in {'; '.join(differ)}. "
            f"To start a fresh run, {fresh}; or resume with the parameters it was written with"
        )
