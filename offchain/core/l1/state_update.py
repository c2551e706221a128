"""updateState on any exchange built on the core (StarkPerpetual, StarkExchange): both take
(program output words, application data) from the operator and keep lastBatchId."""
from __future__ import annotations

from offchain.core.storage import BatchRecord

NO_BATCH = 2**256 - 1  # L1's lastBatchId before the first batch


class ExchangeStateUpdater:
    def __init__(self, exchange, operator):
        self.exchange = exchange
        self.operator = operator

    def is_accepted(self, batch: BatchRecord) -> bool:
        last = int(self.exchange.lastBatchId())
        return last != NO_BATCH and last >= batch.batch_id

    def submit(self, batch: BatchRecord) -> dict:
        receipt = self.exchange.updateState(batch.data["output"], batch.data["application_data"], sender=self.operator)
        return {"update_state_tx": str(receipt.txn_hash), "update_state_gas": int(receipt.gas_used),
                "update_state_block": int(receipt.block_number)}

    def depth(self, batch: BatchRecord) -> int | None:
        """Blocks on top of the batch's updateState; None when L1 does not hold it (never sent,
        or dropped by a reorganisation)."""
        if not self.is_accepted(batch):
            return None
        chain = self.exchange.chain_manager
        sent = batch.data.get("update_state_tx")
        if sent is None:  # sent by a process that died before recording it: long mined
            return chain.blocks.height
        try:
            mined_in = int(chain.provider.get_receipt(sent).block_number)
        except Exception:  # noqa: BLE001 — a receipt the node no longer has: re-mined elsewhere, wait
            return 0
        return max(0, chain.blocks.height - mined_in)
