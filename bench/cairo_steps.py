"""Cairo steps and builtin usage of the Perpetual and Spot batch programs per transaction type
(the runner's time: bench/cairo_runner.py).

Every position holds one synthetic (BTC), so each change pays its funding and status lookups; an
ORACLE_PRICES_TICK carries three signed prices (quorum 2).

Steps are counted before proof mode's padding: the trace ends in a `jmp rel 0` loop, so the
original run stops where the trace first reaches that loop's pc. Per-transaction figures are
(batch of N − empty batch) / N, so they include each transaction's share of the Merkle updates.
"""
from __future__ import annotations

import struct
import tempfile
from pathlib import Path

from offchain.core.batch_program import SPOT_PROGRAM_DIR, BatchRun, compiled_program, run_batch
from offchain.core.cairo_runner import CairoRun
from offchain.crypto import messages, spot_messages
from offchain.crypto.signature import private_to_public_key, sign
from offchain.perpetual.batch import execute_batch
from offchain.perpetual.config import GeneralConfig, SyntheticAsset
from offchain.perpetual.position import Position, PositionAsset
from offchain.perpetual.state import PerpetualState
from offchain.perpetual.transactions import (
    ConditionalTransfer, Deposit, ForcedTrade, ForcedWithdrawal, FundingTick, OraclePricesTick,
    Order, SignedOraclePrice, Trade, Transfer, Withdrawal)
from offchain.spot.assets import TokenKind, asset_id
from offchain.spot.batch import execute_batch as execute_spot_batch

COLLATERAL, BTC = 1, 2
FXP = 2**32
SYSTEM_TIME = 1_700_000_000
EXPIRATION = SYSTEM_TIME // 3600 + 24
N_PER_TYPE = 4
CELLS_PER_INSTANCE = {"pedersen": 3, "range_check": 1, "ecdsa": 2}
ORACLE_KEYS = (0x0AC1E1, 0x0AC1E2, 0x0AC1E3)
ORACLES = sorted(private_to_public_key(k) for k in ORACLE_KEYS)
ORACLE_KEY_OF = {private_to_public_key(k): k for k in ORACLE_KEYS}
BTC_SIGNED_ID = messages.signed_asset_id(int.from_bytes(b"BTCUSD", "big"), int.from_bytes(b"Maker", "big"))


def make_state(n_positions: int) -> PerpetualState:
    btc = SyntheticAsset(asset_id=BTC, resolution=10**10, risk_factor=FXP // 10,
                         oracle_price_quorum=2, oracle_price_signers=tuple(ORACLES),
                         oracle_price_signed_asset_ids=(BTC_SIGNED_ID,))
    config = GeneralConfig(
        collateral_asset_id=COLLATERAL, fee_position_id=0, fee_public_key=private_to_public_key(7),
        positions_tree_height=64, orders_tree_height=64, synthetic_assets=(btc,))
    positions = {i: Position(public_key=private_to_public_key(1000 + i), collateral_balance=10**9,
                             assets={BTC: PositionAsset(balance=100, cached_funding_index=0)})
                 for i in range(1, n_positions + 1)}
    return PerpetualState(config=config, positions=positions, funding_indices={BTC: 0},
                          funding_timestamp=SYSTEM_TIME, oracle_prices={BTC: 100 * FXP},
                          system_time=SYSTEM_TIME)


def key(i: int) -> int:
    return 1000 + i


def transfer(i: int, nonce: int) -> Transfer:
    sender, receiver = i, i + 1
    msg = messages.transfer_hash(asset_id=COLLATERAL, receiver_public_key=private_to_public_key(key(receiver)),
                                 sender_position_id=sender, receiver_position_id=receiver, amount=10,
                                 nonce=nonce, expiration_timestamp=EXPIRATION)
    return Transfer(sender_position_id=sender, sender_public_key=private_to_public_key(key(sender)),
                    receiver_position_id=receiver,
                    receiver_public_key=private_to_public_key(key(receiver)), asset_id=COLLATERAL,
                    amount=10, nonce=nonce, expiration_timestamp=EXPIRATION,
                    signature=sign(key(sender), msg))


def conditional_transfer(i: int, nonce: int) -> ConditionalTransfer:
    sender, receiver, registry, fact = i, i + 1, 0x1234, 0x5678 + nonce
    condition = messages.fact_to_condition(registry.to_bytes(20, "big"), fact.to_bytes(32, "big"))
    msg = messages.transfer_hash(asset_id=COLLATERAL, receiver_public_key=private_to_public_key(key(receiver)),
                                 sender_position_id=sender, receiver_position_id=receiver, amount=10,
                                 nonce=nonce, expiration_timestamp=EXPIRATION, condition=condition)
    return ConditionalTransfer(
        sender_position_id=sender, sender_public_key=private_to_public_key(key(sender)),
        receiver_position_id=receiver, receiver_public_key=private_to_public_key(key(receiver)),
        asset_id=COLLATERAL, amount=10, nonce=nonce, expiration_timestamp=EXPIRATION,
        signature=sign(key(sender), msg), fact_registry_address=registry, fact=fact,
        src_fee_position_id=sender)


def oracle_prices_tick(i: int) -> OraclePricesTick:
    """Three signed BTC prices around 100 collateral units (10^24 external with these resolutions)."""
    timestamp = SYSTEM_TIME + 10 * (i + 1)
    signed = []
    for signer, price in zip(ORACLES, (10**24, 10**24 + 10**21 * (i + 1), 10**24 - 10**21)):
        msg = messages.oracle_price_hash(signed_asset_id=BTC_SIGNED_ID, external_price=price,
                                         timestamp=timestamp)
        signed.append(SignedOraclePrice(signer_key=signer, external_price=price, timestamp=timestamp,
                                        signed_asset_id=BTC_SIGNED_ID,
                                        signature=sign(ORACLE_KEY_OF[signer], msg)))
    return OraclePricesTick(signed_prices={BTC: tuple(signed)}, timestamp=timestamp)


def withdrawal(i: int, nonce: int) -> Withdrawal:
    msg = messages.withdrawal_hash(asset_id_collateral=COLLATERAL, position_id=i, nonce=nonce,
                                   amount=10, expiration_timestamp=EXPIRATION)
    return Withdrawal(position_id=i, public_key=private_to_public_key(key(i)), amount=10,
                      nonce=nonce, expiration_timestamp=EXPIRATION, signature=sign(key(i), msg))


def order(i: int, buying: bool, nonce: int) -> Order:
    fields = dict(asset_id_synthetic=BTC, asset_id_collateral=COLLATERAL, amount_synthetic=1,
                  amount_collateral=100, amount_fee=1, is_buying_synthetic=buying,
                  position_id=i, nonce=nonce, expiration_timestamp=EXPIRATION)
    msg = messages.limit_order_hash(**fields)
    return Order(public_key=private_to_public_key(key(i)), signature=sign(key(i), msg), **fields)


def trade(i: int, nonce: int) -> Trade:
    return Trade(party_a_order=order(i, True, nonce), party_b_order=order(i + 1, False, nonce),
                 actual_collateral=100, actual_synthetic=1, actual_a_fee=1, actual_b_fee=1)


def batches(n: int) -> dict[str, list]:
    pk = lambda i: private_to_public_key(key(i))  # noqa: E731
    return {
        "DEPOSIT": [Deposit(position_id=2 * i + 1, public_key=pk(2 * i + 1), amount=5) for i in range(n)],
        "WITHDRAWAL": [withdrawal(2 * i + 1, i) for i in range(n)],
        "TRANSFER": [transfer(2 * i + 1, i) for i in range(n)],
        "CONDITIONAL_TRANSFER": [conditional_transfer(2 * i + 1, i) for i in range(n)],
        "TRADE": [trade(2 * i + 1, i) for i in range(n)],
        "FUNDING_TICK": [FundingTick(indices={BTC: 100 * (i + 1)}, timestamp=SYSTEM_TIME + 10 * (i + 1))
                         for i in range(n)],
        "ORACLE_PRICES_TICK": [oracle_prices_tick(i) for i in range(n)],
        "FORCED_WITHDRAWAL": [ForcedWithdrawal(position_id=2 * i + 1, public_key=pk(2 * i + 1),
                                               amount=5, is_valid=True) for i in range(n)],
        "FORCED_TRADE": [ForcedTrade(public_key_party_a=pk(2 * i + 1), public_key_party_b=pk(2 * i + 2),
                                     position_id_party_a=2 * i + 1, position_id_party_b=2 * i + 2,
                                     synthetic_asset_id=BTC, amount_collateral=100,
                                     amount_synthetic=1, is_party_a_buying_synthetic=True,
                                     nonce=i, is_valid=True) for i in range(n)],
    }


def original_steps(run: CairoRun) -> int:
    """Steps before the final `jmp rel 0` loop: the first time the trace's last pc appears (a
    repeated pc alone is no end: unwinding a recursion repeats its `ret`)."""
    data = run.trace_file.read_bytes()
    pcs = [entry[2] for entry in struct.iter_unpack("<QQQ", data)]
    return pcs.index(pcs[-1]) + 1


def usage(run: BatchRun) -> dict[str, int]:
    counts = {"steps": original_steps(run.run)}
    for name, cells in CELLS_PER_INSTANCE.items():
        begin, stop = run.run.segment(name)
        counts[name] = (stop - begin) // cells
    return counts


def run(state: PerpetualState, txs: list) -> dict[str, int]:
    """Steps and builtin instances."""
    batch_input = execute_batch(state, txs, 0).program_input
    with tempfile.TemporaryDirectory() as tmp:
        result = run_batch(batch_input, Path(tmp))
        counts = usage(result)  # read before the trace file goes
        counts["padded_steps"] = result.n_steps
    return counts


# Spot: vault 2i+1 holds ETH, 2i+2 USDC of key i; fee vault 0 is the operator's; validium and
# rollup trees of height 31 (StarkEx's), orders tree 64.
SPOT_ETH = asset_id(TokenKind.ETH, 10**10)
SPOT_USDC = asset_id(TokenKind.ERC20, 10**4, "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48")
SPOT_EXPIRATION = 500_000


def spot_order(i: int, sell_eth: bool, nonce: int) -> dict:
    eth, usdc = 2 * i + 1, 2 * i + 2
    fields = dict(vault_id_sell=eth if sell_eth else usdc, vault_id_buy=usdc if sell_eth else eth,
                  amount_sell=10 if sell_eth else 1000, amount_buy=1000 if sell_eth else 10,
                  token_sell=SPOT_ETH if sell_eth else SPOT_USDC,
                  token_buy=SPOT_USDC if sell_eth else SPOT_ETH, nonce=nonce,
                  expiration_timestamp=SPOT_EXPIRATION)
    fee = dict(fee_token_id=SPOT_USDC, fee_limit=10, fee_source_vault_id=usdc)
    msg = spot_messages.limit_order_hash(**fields, **fee)
    signature = sign(key(i), msg)
    return {**fields, "public_key": private_to_public_key(key(i)),
            "signature": {"r": signature.r, "s": signature.s},
            "fee_info": {"token_id": SPOT_USDC, "fee_limit": 10, "source_vault_id": usdc}}


def spot_transfer(i: int, nonce: int, condition: int = 0) -> dict:
    fields = dict(sender_vault_id=2 * i + 1, receiver_vault_id=2 * i + 3,
                  receiver_public_key=private_to_public_key(key(i + 1)), token=SPOT_ETH, amount=1,
                  nonce=nonce, expiration_timestamp=SPOT_EXPIRATION, condition=condition)
    signature = sign(key(i), spot_messages.transfer_hash(**fields))
    tx = {"type": "CONDITIONAL_TRANSFER" if condition else "TRANSFER",
          "sender_public_key": private_to_public_key(key(i)),
          "sender_vault_id": fields["sender_vault_id"],
          "receiver_public_key": fields["receiver_public_key"],
          "receiver_vault_id": fields["receiver_vault_id"], "token": SPOT_ETH, "amount": 1,
          "nonce": nonce, "expiration_timestamp": SPOT_EXPIRATION,
          "signature": {"r": signature.r, "s": signature.s}}
    if condition:
        tx["condition"] = condition
    return tx


def spot_batches(n: int) -> dict[str, list[dict]]:
    pk = lambda i: private_to_public_key(key(i))  # noqa: E731
    fee_taken = {"fee_taken": 1, "destination_vault_id": 0, "destination_stark_key": pk(0)}
    return {
        "DEPOSIT": [{"type": "DEPOSIT", "vault_id": 2 * i + 1, "stark_key": pk(i),
                     "token_id": SPOT_ETH, "amount": 5} for i in range(n)],
        "WITHDRAWAL": [{"type": "WITHDRAWAL", "vault_id": 2 * i + 1, "stark_key": pk(i),
                        "token_id": SPOT_ETH, "amount": 5} for i in range(n)],
        "TRANSFER": [spot_transfer(2 * i, i) for i in range(n)],
        "CONDITIONAL_TRANSFER": [spot_transfer(2 * i, i, condition=0x5678 + i) for i in range(n)],
        "SETTLEMENT (with fees)": [
            {"type": "SETTLEMENT", "party_a_order": spot_order(2 * i, True, i),
             "party_b_order": spot_order(2 * i + 1, False, i),
             "settlement_info": {"party_a_sold": 10, "party_b_sold": 1000,
                                 "party_a_fee_info": fee_taken, "party_b_fee_info": fee_taken}}
            for i in range(n)],
        "FULL_WITHDRAWAL": [{"type": "FULL_WITHDRAWAL", "vault_id": 2 * i + 1, "stark_key": pk(i)}
                            for i in range(n)],
        "FALSE_FULL_WITHDRAWAL": [{"type": "FALSE_FULL_WITHDRAWAL", "vault_id": 2 * i + 1,
                                   "requester_stark_key": pk(i + 1)} for i in range(n)],
    }


def spot_batch_input(n_keys: int, txs: list[dict]) -> dict:
    """Spot's batch input over vaults 2i+1 (ETH) and 2i+2 (USDC) of keys 0 .. n_keys - 1; the
    model accepts it first."""
    vaults = {}
    for i in range(n_keys):
        pk = private_to_public_key(key(i))
        vaults[str(2 * i + 1)] = {"stark_key": pk, "asset_id": SPOT_ETH, "balance": 10**6}
        vaults[str(2 * i + 2)] = {"stark_key": pk, "asset_id": SPOT_USDC, "balance": 10**6}
    batch_input = {
        "general_config": {"validium_vault_tree_height": 31, "rollup_vault_tree_height": 31,
                           "order_tree_height": 64, "unique_minting_enforced": 0},
        "previous_state": {"vaults": vaults, "orders": {}},
        "global_expiration_timestamp": SPOT_EXPIRATION - 24, "transactions": txs}
    execute_spot_batch(batch_input)
    return batch_input


def spot_run(n_keys: int, txs: list[dict]) -> dict[str, int]:
    batch_input = spot_batch_input(n_keys, txs)
    with tempfile.TemporaryDirectory() as tmp:
        result = run_batch(batch_input, Path(tmp), program=compiled_program(SPOT_PROGRAM_DIR))
        return usage(result)


# Corresponding types, Perpetual beside Spot (None: the application has no such transaction).
SIDE_BY_SIDE = (
    ("deposit", "DEPOSIT", "DEPOSIT"),
    ("withdrawal", "WITHDRAWAL", "WITHDRAWAL"),
    ("transfer", "TRANSFER", "TRANSFER"),
    ("conditional transfer", "CONDITIONAL_TRANSFER", "CONDITIONAL_TRANSFER"),
    ("trade / settlement (fees)", "TRADE", "SETTLEMENT (with fees)"),
    ("forced / full withdrawal", "FORCED_WITHDRAWAL", "FULL_WITHDRAWAL"),
    ("false full withdrawal", None, "FALSE_FULL_WITHDRAWAL"),
    ("forced trade", "FORCED_TRADE", None),
    ("funding tick", "FUNDING_TICK", None),
    ("oracle prices tick", "ORACLE_PRICES_TICK", None),
)


def print_per_type(title: str, per_type: dict[str, dict[str, float]]) -> None:
    print(f"{title:24} {'steps':>8} {'pedersen':>9} {'range_check':>12} {'ecdsa':>6}")
    for name, per in per_type.items():
        print(f"{name:24} {per['steps']:8.0f} {per['pedersen']:9.1f} {per['range_check']:12.1f} "
              f"{per['ecdsa']:6.1f}")


def perpetual_per_type() -> dict[str, dict[str, float]]:
    compiled_program()
    state = make_state(2 * N_PER_TYPE + 2)
    base = run(state, [])
    print(f"Perpetual empty batch (positions and orders trees 64): {base}")
    return {name: {k: (u[k] - base[k]) / N_PER_TYPE for k in base}
            for name, u in ((name, run(state, txs)) for name, txs in batches(N_PER_TYPE).items())}


def spot_per_type() -> dict[str, dict[str, float]]:
    base = spot_run(4 * N_PER_TYPE + 2, [])
    print(f"Spot empty batch (vault trees 31, orders 64): {base}")
    return {name: {k: (u[k] - base[k]) / N_PER_TYPE for k in base}
            for name, u in ((name, spot_run(4 * N_PER_TYPE + 2, txs)) for name, txs in spot_batches(N_PER_TYPE).items())}


def main() -> None:
    perpetual, spot = perpetual_per_type(), spot_per_type()
    print_per_type(f"Perpetual, per tx (N={N_PER_TYPE})", perpetual)
    print_per_type(f"Spot, per tx (N={N_PER_TYPE})", spot)
    print(f"{'steps per transaction':28} {'Perpetual':>10} {'Spot':>10}   (pedersen, ecdsa: Perpetual | Spot)")
    for label, perp_name, spot_name in SIDE_BY_SIDE:
        cells = [f"{per_type[name]['steps']:10,.0f}" if name else f"{'—':>10}"
                 for per_type, name in ((perpetual, perp_name), (spot, spot_name))]
        builtins = [f"{per_type[name]['pedersen']:.0f}, {per_type[name]['ecdsa']:.0f}" if name else "—"
                    for per_type, name in ((perpetual, perp_name), (spot, spot_name))]
        print(f"{label:28} {cells[0]} {cells[1]}   ({builtins[0]} | {builtins[1]})")


if __name__ == "__main__":
    main()
