import pytest

from hoomd_rigidfield.computes import _Compute, computed_property


class Counter(_Compute):
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


def test_a_compute_whose_results_are_a_dict_uses_the_same_guard():
    class Solver(_Compute):
        _results = None

        @property
        def _computed(self):
            return self._results is not None

        def value(self):
            self._require_computed("value")
            return self._results["value"]

    s = Solver()
    with pytest.raises(AttributeError, match=r"Solver\.value is not available"):
        s.value()
    s._results = {"value": 4}
    assert s.value() == 4
