"""Docstrings cite the literature by key, and every key is in the references file."""

import re
from pathlib import Path

import pytest

from hoomd_rigidfield.references import REFERENCES, Reference

PACKAGE = Path(__file__).resolve().parents[1] / "hoomd_rigidfield"
CITE = re.compile(r":cite:`([^`]+)`")


def _citations() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        for key in CITE.findall(path.read_text()):
            out.setdefault(key, []).append(path.name)
    return out


def test_every_cited_key_is_a_reference():
    cited = _citations()
    assert cited, "no :cite: in the package: the check would pass vacuously"
    missing = {k: v for k, v in cited.items() if k not in REFERENCES}
    assert not missing


@pytest.mark.parametrize("key", sorted(REFERENCES))
def test_reference_is_complete(key):
    ref = REFERENCES[key]
    assert ref.authors and ref.title and ref.journal and 1900 < ref.year < 2100
    if ref.doi is not None:
        assert re.fullmatch(r"10\.\d{4,9}/\S+|arXiv:\d{4}\.\d{4,5}", ref.doi), ref.doi
    else:
        assert "not verified" in ref.note, f"{key}: say why there is no DOI"
    assert str(ref.year) in str(ref)


def test_no_seed_paper_numbers_in_docstrings():
    stale = [p.name for p in PACKAGE.rglob("*.py") if re.search(r"seed paper \d{3}", p.read_text())]
    assert stale == []


def test_format():
    ref = Reference("A. B", "T", "J", 2000, "1", "2", "10.1000/x")
    assert str(ref) == "A. B, T. J, 1, 2 (2000), doi:10.1000/x"
