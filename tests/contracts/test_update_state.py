import ape
import pytest

from .batch_builder import (
    ROLLUP, ApplicationData, Condition, ForcedWithdrawalAction, Modification, SharedState,
)
from offchain.perpetual.exchange import deploy_stark_perpetual

from .conftest import ASSET_CONFIGS, deploy_exchange, init_params

WEEK = 7 * 24 * 3600


def test_batch_updates_state_and_consumes_deposit(exchange, alice, alice_key):
    c, t = exchange.contract, exchange.collateral
    c.deposit(alice_key, t, 5, 10, value=10 * 10**10, sender=alice)
    new_state = exchange.next_state(positions_root=1234, orders_root=99)
    receipt = exchange.submit(exchange.batch([Modification(alice_key, 5, 6)], new_state=new_state))
    assert c.getPendingDeposit(alice_key, t, 5) == 4
    assert c.sharedStateHash() == new_state.keccak()
    assert c.positionsRoot() == 1234
    assert c.lastBatchId() == 0
    assert c.sequenceNumber() == 1
    names = [e.event_name for e in receipt.events]
    assert names == ["LogDepositConsumed", "LogStateUpdate"]
    # The next batch chains on the stored state and batch id.
    exchange.submit(exchange.batch([Modification(alice_key, 5, 4), Modification(alice_key, 5, -3)]))
    assert c.getPendingDeposit(alice_key, t, 5) == 0
    assert c.getWithdrawalBalance(alice_key, t) == 3
    assert c.lastBatchId() == 1


def test_only_operator_and_not_frozen(exchange, outsider):
    output = exchange.batch()
    words = exchange.prove(output)
    with ape.reverts(exchange.contract.NotOperator):
        exchange.contract.updateState(words, exchange.app_data().words(), sender=outsider)


def test_insufficient_deposit(exchange, alice_key):
    output = exchange.batch([Modification(alice_key, 5, 1)])
    words = exchange.prove(output)
    with ape.reverts(exchange.contract.InsufficientPendingDeposit):
        exchange.contract.updateState(words, exchange.app_data().words(), sender=exchange.operator)


def _reverts(exchange, error, output, app=None, prove=True):
    words = exchange.prove(output) if prove else output.words()
    app = app or exchange.app_data()
    with ape.reverts(error):
        exchange.contract.updateState(words, app.words(), sender=exchange.operator)


def test_fact_must_be_registered(exchange):
    _reverts(exchange, exchange.contract.FactNotValid, exchange.batch(), prove=False)


def test_availability_fact_required_in_validium(exchange):
    output = exchange.batch()
    words = exchange.prove(output, availability=False)
    with ape.reverts(exchange.contract.AvailabilityFactNotValid):
        exchange.contract.updateState(words, exchange.app_data().words(), sender=exchange.operator)


def test_configuration_checks(exchange):
    c = exchange.contract
    _reverts(exchange, c.GeneralConfigHashMismatch, exchange.batch(general_config_hash=5))
    _reverts(exchange, c.DataAvailabilityModeMismatch, exchange.batch(data_availability_mode=ROLLUP))
    _reverts(exchange, c.ExpirationTimestampInPast,
             exchange.batch(minimum_expiration_timestamp=exchange.chain.pending_timestamp // 3600 - 1))


def test_shared_state_checks(exchange):
    c = exchange.contract
    wrong_previous = exchange.next_state(positions_root=5)
    _reverts(exchange, c.SharedStateMismatch, exchange.batch(previous_state=wrong_previous))
    now = exchange.chain.pending_timestamp
    _reverts(exchange, c.SystemTimeOutOfRange, exchange.batch(new_state=exchange.next_state(system_time=now - WEEK - 60)))
    _reverts(exchange, c.SystemTimeOutOfRange, exchange.batch(new_state=exchange.next_state(system_time=now + 4 * 3600 + 60)))


def test_batch_id_chain(exchange):
    c = exchange.contract
    _reverts(exchange, c.BatchIdMismatch, exchange.batch(), app=ApplicationData(batch_id=0, previous_batch_id=0))
    exchange.submit(exchange.batch(), app=ApplicationData(batch_id=17))
    assert c.lastBatchId() == 17
    _reverts(exchange, c.BatchIdMismatch, exchange.batch(), app=ApplicationData(batch_id=18, previous_batch_id=16))


def test_malformed_outputs(exchange):
    c = exchange.contract
    output = exchange.batch()
    words = output.words()
    for bad, error in [(words[:-1], c.ProgramOutputTooShort), (words + [0], c.ProgramOutputTooLong)]:
        exchange.registry.registerFact(b"\x00" * 32, sender=exchange.governor)
        with ape.reverts(error):
            c.updateState(bad, exchange.app_data().words(), sender=exchange.operator)
    # A shared state whose size does not match its counts.
    bad_state = words[:]
    bad_state[3 + 2 * len(ASSET_CONFIGS)] = 9  # previous state size, after the asset configs
    with ape.reverts(c.InvalidSharedStateSize):
        c.updateState(bad_state, exchange.app_data().words(), sender=exchange.operator)


def test_modification_bounds(exchange, alice_key):
    c = exchange.contract
    output = exchange.batch([Modification(alice_key, 1, 2**64)])  # biased 2^65: out of range
    _reverts(exchange, c.InvalidModification, output)


def test_conditions(exchange, project, governor):
    c = exchange.contract
    condition_registry = governor.deploy(project.LocalDevFactRegistry)
    cond = Condition(condition_registry.address, b"\x11" * 32)
    app = lambda: exchange.app_data(conditions=[cond])  # noqa: E731
    _reverts(exchange, c.ConditionNotMet, exchange.batch(conditions=[cond]), app=app())
    other = Condition(condition_registry.address, b"\x22" * 32)
    _reverts(exchange, c.ConditionMismatch, exchange.batch(conditions=[other]), app=app())
    _reverts(exchange, c.InvalidApplicationData, exchange.batch(conditions=[cond]))
    condition_registry.registerFact(cond.fact, sender=governor)
    exchange.submit(exchange.batch(conditions=[cond]), app=app())
    assert c.lastBatchId() == 0


def test_rollup_mode_reads_onchain_data(project, governor, operator, chain, escape_verifier):
    ex = deploy_exchange(project, governor, operator, chain, escape_verifier, mode=ROLLUP)
    ex.submit(ex.batch(data_availability_mode=ROLLUP, onchain_data=[7, 8, 9]))
    assert ex.contract.sequenceNumber() == 1


def test_funding_and_prices_in_shared_state(exchange):
    new_state = exchange.next_state(funding_indices=[(1, 5), (2, 2**251)], funding_timestamp=3,
                                    oracle_prices=[(1, 2**32)])
    exchange.submit(exchange.batch(new_state=new_state))
    assert exchange.contract.sharedStateHash() == new_state.keccak()
    exchange.submit(exchange.batch())
    assert exchange.contract.sharedStateHash() == exchange.state.keccak()


def test_unrequested_forced_action_rejected(exchange, alice_key):
    output = exchange.batch(forced_actions=[ForcedWithdrawalAction(alice_key, 1, 5)])
    _reverts(exchange, exchange.contract.ForcedRequestNotFound, output)


class _UnknownAction:
    def words(self) -> list[int]:
        return [2, 1, 2, 3]


def test_forced_actions_section_is_parsed_strictly(exchange, alice_key):
    c = exchange.contract
    _reverts(exchange, c.UnknownForcedActionType, exchange.batch(forced_actions=[_UnknownAction()]))
    words = exchange.batch(forced_actions=[ForcedWithdrawalAction(alice_key, 1, 5)]).words()
    size_at = len(words) - 1 - 6  # before: [size, count, 4-word action], then n_conditions = 0
    assert words[size_at] == 5
    words[size_at] = 4
    with ape.reverts(c.InvalidForcedActionsSize):
        c.updateState(words, exchange.app_data().words(), sender=exchange.operator)


def test_initialize_rejects_unknown_mode(project, governor, escape_verifier, exchange):
    params = init_params(governor, escape_verifier, [exchange.registry.address], [], exchange.state, mode=2)
    with ape.reverts(exchange.contract.InvalidDataAvailabilityMode):
        deploy_stark_perpetual(project, governor, params)
