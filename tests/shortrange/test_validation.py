import math

import numpy as np
import pytest

from hoomd_rigidfield.shortrange.validation import check_choice, check_distances, check_real


def test_check_real():
    assert check_real("x", 1, 0) == 1.0 and isinstance(check_real("x", np.float32(2.0)), float)
    assert check_real("x", 0, 0, low_open=False) == 0.0
    for bad in (float("nan"), math.inf, "1", True, None, np.float64("nan")):
        with pytest.raises(ValueError, match=r"x must be a finite number in \(0, 1\] K, got"):
            check_real("x", bad, 0, 1, unit="K")
    with pytest.raises(ValueError, match=r"got nan$"):
        check_real("x", np.float64("nan"))
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        check_real("x", 1.0, 0, 1, low_open=False, high_open=True)


def test_check_choice_and_distances():
    assert check_choice("f", "a", ("a", "b")) == "a"
    with pytest.raises(ValueError, match=r"f must be one of \('a', 'b'\), got 'c'"):
        check_choice("f", "c", ("a", "b"))
    assert check_distances("r", 2.0).shape == ()
    assert np.isinf(check_distances("r", [np.inf])).all()
    for bad in ([1.0, -1.0], [np.nan], "x"):
        with pytest.raises(ValueError, match="r must be"):
            check_distances("r", bad)
