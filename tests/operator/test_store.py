import multiprocessing
import os

import pytest

from offchain.core.storage import BatchStatus, OperatorStore, TxIdConflict


@pytest.fixture
def store(database_url):
    return OperatorStore(database_url)


def deposit(amount: int) -> dict:
    return {"type": "DEPOSIT", "position_id": 1, "public_key": 7, "amount": amount}


def test_backend_is_the_one_asked_for(store, database_url):
    assert store.engine.dialect.name == database_url.split(":")[0].split("+")[0]


def test_tx_ids_are_consecutive_and_resends_are_idempotent(store):
    assert store.first_unused_tx_id() == 0
    assert store.add_transaction(0, deposit(5)) is True
    assert store.add_transaction(0, deposit(5)) is False  # the same transaction again: no effect
    with pytest.raises(TxIdConflict) as reused:
        store.add_transaction(0, deposit(6))
    assert reused.value.code == "TRANSACTION_ID_ALREADY_USED"
    with pytest.raises(TxIdConflict) as gap:
        store.add_transaction(2, deposit(6))
    assert gap.value.code == "INVALID_TRANSACTION_ID"
    assert store.first_unused_tx_id() == 1
    assert store.get_transaction(0).tx == deposit(5)


def test_batches_take_the_oldest_pending_range(store):
    for tx_id in range(5):
        store.add_transaction(tx_id, deposit(tx_id + 1))
    first = store.close_batch(max_size=3)
    second = store.close_batch(max_size=3)
    assert (first.batch_id, list(first.tx_ids)) == (0, [0, 1, 2])
    assert (second.batch_id, list(second.tx_ids)) == (1, [3, 4])
    assert store.close_batch(max_size=3) is None
    assert store.pending_transactions() == []
    assert store.get_transaction(4).batch_id == 1


def test_batch_status_only_moves_forward_and_keeps_its_data(store):
    store.add_transaction(0, deposit(1))
    batch = store.close_batch(10)
    store.advance_batch(batch.batch_id, BatchStatus.EXECUTED, output=[1, 2, 3])
    store.advance_batch(batch.batch_id, BatchStatus.PROVED, fact="0xab")
    record = store.get_batch(batch.batch_id)
    assert record.status is BatchStatus.PROVED and record.data == {"output": [1, 2, 3], "fact": "0xab"}
    with pytest.raises(ValueError, match="cannot go back"):
        store.advance_batch(batch.batch_id, BatchStatus.EXECUTED)
    assert [b.batch_id for b in store.batches_not_accepted()] == [0]
    store.advance_batch(batch.batch_id, BatchStatus.ACCEPTED)
    assert store.batches_not_accepted() == []
    assert store.last_batch_id(BatchStatus.ACCEPTED) == 0


def _add_then_die(url: str) -> None:
    store = OperatorStore(url)
    store.add_transaction(0, deposit(9))
    os._exit(137)  # as abrupt as kill -9: no cleanup, no flush beyond what commit did


def test_acknowledged_transaction_survives_abrupt_exit(database_url):
    url = database_url
    process = multiprocessing.get_context("fork").Process(target=_add_then_die, args=(url,))
    process.start()
    process.join()
    assert process.exitcode == 137
    assert OperatorStore(url).get_transaction(0).tx == deposit(9)


def test_settings_round_trip(store):
    assert store.get_setting("last_l1_block", 0) == 0
    store.set_setting("last_l1_block", 42)
    store.set_setting("last_l1_block", 43)
    assert store.get_setting("last_l1_block") == 43


def test_merged_batch_data_keeps_the_step_and_concurrent_entries(store):
    """Committee signatures arrive through the gateway while the pipeline advances the batch."""
    store.add_transaction(0, deposit(5))
    store.close_batch(10)
    store.advance_batch(0, BatchStatus.EXECUTED, output=[1, 2])
    store.merge_batch_data(0, "committee_signatures", {"0xa": "0x01"})
    store.advance_batch(0, BatchStatus.PROVED, fact="0xf")
    merged = store.merge_batch_data(0, "committee_signatures", {"0xb": "0x02"})
    assert merged.status is BatchStatus.PROVED
    assert store.get_batch(0).data == {"output": [1, 2], "fact": "0xf", "committee_signatures": {"0xa": "0x01", "0xb": "0x02"}}
    with pytest.raises(KeyError):
        store.merge_batch_data(5, "committee_signatures", {})
