"""The Spot Cairo program against the model: the same words on every batch of the model tests,
and the same rule name on every batch that breaks one."""
import pytest

from .program import assert_agree
from .spot_world import ALICE, BOB, ETH, NFT, batch, deposit, order, settlement
from .test_model import A_VAULTS, BREAKING, full_batch


def test_full_batch_agrees():
    words = assert_agree(full_batch())
    assert isinstance(words, list) and words[11] == 7


def test_empty_batch_agrees():
    assert isinstance(assert_agree(batch([])), list)


@pytest.mark.parametrize("rule", sorted(set(BREAKING) - {"malformed"}))
def test_every_rule_breaks_the_program_by_name(rule):
    assert assert_agree(BREAKING[rule]()) == rule
