"""One formula guard for every CSV Harbor writes, and its inverse for re-import."""

import pytest

from bot.domain.csv_safety import safe_cell, unsafe_cell


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tx", "\rx"])
def test_formula_cells_become_text_and_come_back(value):
    assert safe_cell(value) == "'" + value
    assert unsafe_cell(safe_cell(value)) == value


@pytest.mark.parametrize("value", ["plain", "", "'quoted", "a=b", "1-2"])
def test_ordinary_cells_are_unchanged(value):
    assert safe_cell(value) == value
    assert unsafe_cell(value) == value
