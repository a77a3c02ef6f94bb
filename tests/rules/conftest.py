import pytest
from rulekit import game

from game.rules import State


@pytest.fixture
def three() -> State:
    return game(3)


@pytest.fixture
def two() -> State:
    return game(2)
