import pytest

from hoomd_rigidfield.computes import computed_property


class Counter:
    def compute(self, n):
        self._n = n
        self._computed = True
        return self

    @computed_property
    def doubled(self):
        """int: Twice the input."""
        return 2 * self._n


def test_result_raises_until_compute_then_follows_the_data():
    c = Counter()
    with pytest.raises(AttributeError, match=r"Counter\.doubled is not available: call compute"):
        c.doubled
    assert c.compute(3).doubled == 6
    assert c.compute(5).doubled == 10
    assert Counter.doubled.__doc__ == "int: Twice the input."
