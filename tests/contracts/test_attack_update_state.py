"""updateState under attack: what L1 can check in a program output, it checks, instead of
trusting the proof system to have refused it (defence in depth against a prover or program bug,
and the same rules the Cairo program enforces): tree heights never change, the asset-config
section is exactly the configured one, every word is a field element (a stark key, a root or an
index >= P was written by no program), position ids fit 64 bits, and the batch's earliest
expiration is a future hour below 2^32 (StarkEx: BATCH_TIMESTAMP_EXPIRED, 2^32 bound)."""
import pytest

from .adversary import refused
from .batch_builder import Condition, Modification, program_output_fact
from .conftest import ASSET_CONFIGS, SYNTHETIC_ASSET_ID, SYNTHETIC_CONFIG_HASH

PRIME = 2**251 + 17 * 2**192 + 1
TRUST = "updateState: checkable on L1"


def _attempt(exchange, label, output, error, app=None):
    words = exchange.prove(output)
    app = app or exchange.app_data()
    refused(TRUST, label, lambda: exchange.contract.updateState(words, app.words(), sender=exchange.operator), error)


@pytest.mark.parametrize("label, field, value", [
    ("positions tree height changed", "positions_height", 63),
    ("orders tree height changed", "orders_height", 65),
])
def test_tree_heights_never_change(exchange, label, field, value):
    _attempt(exchange, label, exchange.batch(new_state=exchange.next_state(**{field: value})), "TreeHeightChanged")


@pytest.mark.parametrize("label, configs", [
    ("asset configs: the configured asset left out", []),
    ("asset configs: another config hash", [(SYNTHETIC_ASSET_ID, SYNTHETIC_CONFIG_HASH + 1)]),
    ("asset configs: an extra asset", ASSET_CONFIGS + [(SYNTHETIC_ASSET_ID + 1, 1)]),
    ("asset configs: an asset before the configured one", [(1, 1)] + ASSET_CONFIGS),
])
def test_asset_configs_are_the_configured_ones(exchange, label, configs):
    _attempt(exchange, label, exchange.batch(asset_configs=configs), "AssetConfigsMismatch")


@pytest.mark.parametrize("label, modification, error", [
    ("withdrawal credited to stark key P", Modification(PRIME, 1, -5), "ProgramOutputWordOutOfField"),
    ("withdrawal credited to stark key 2^256 - 1", Modification(2**256 - 1, 1, -5), "ProgramOutputWordOutOfField"),
    ("modification of position 2^64", Modification(7, 2**64, -5), "InvalidModification"),
])
def test_modifications_name_what_a_program_can_write(exchange, label, modification, error):
    _attempt(exchange, label, exchange.batch([modification]), error)


def test_every_word_is_a_field_element(exchange, project, governor):
    cases = {
        "new positions root = P": exchange.batch(new_state=exchange.next_state(positions_root=PRIME)),
        "new orders root = 2^256 - 1": exchange.batch(new_state=exchange.next_state(orders_root=2**256 - 1)),
        "funding index = P": exchange.batch(new_state=exchange.next_state(funding_indices=[(1, PRIME)])),
        "general config hash + P": exchange.batch(general_config_hash=exchange.contract.globalConfigHash() + PRIME),
    }
    for label, output in cases.items():
        _attempt(exchange, label, output, "ProgramOutputWordOutOfField")
    # A condition word above the 250 bits of a condition: the same class.
    registry = governor.deploy(project.LocalDevFactRegistry)
    condition = Condition(registry.address, b"\x11" * 32)
    registry.registerFact(condition.fact, sender=governor)
    output = exchange.batch(conditions=[condition])
    words = output.words()
    words[-1] += PRIME
    exchange.registry.registerFact(program_output_fact(exchange.contract.programHash(), words), sender=governor)
    app = exchange.app_data(conditions=[condition])
    refused(TRUST, "condition word + P", lambda: exchange.contract.updateState(words, app.words(),
                                                                              sender=exchange.operator),
            "ProgramOutputWordOutOfField")


def test_earliest_expiration_is_a_future_hour_below_2_32(exchange):
    hour = exchange.chain.pending_timestamp // 3600
    _attempt(exchange, "minimum expiration = the current hour",
             exchange.batch(minimum_expiration_timestamp=hour), "ExpirationTimestampInPast")
    _attempt(exchange, "minimum expiration = 2^32", exchange.batch(minimum_expiration_timestamp=2**32),
             "ExpirationTimestampOutOfRange")
    _attempt(exchange, "minimum expiration = P - 1", exchange.batch(minimum_expiration_timestamp=PRIME - 1),
             "ExpirationTimestampOutOfRange")
    exchange.submit(exchange.batch(minimum_expiration_timestamp=hour + 1))
