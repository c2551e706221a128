"""Writes dydx_v3_signatures.json: limit orders, transfers, conditional transfers and
withdrawals hashed and signed by dydx-v3-python (the `dydx3` package, StarkWare's reference
signing code inside it), for tests/client/test_dydx_vectors.py.

Run once, by hand, in a throwaway virtual environment outside the repository (dydx-v3-python
pins web3 5, which cannot live beside the project's web3 7):

    python3.11 -m venv /tmp/dydx-venv && /tmp/dydx-venv/bin/pip install dydx-v3-python==2.1.0
    /tmp/dydx-venv/bin/python tests/client/vectors/generate_dydx_v3.py > tests/client/vectors/dydx_v3_signatures.json

The inputs are dYdX's own (network ids, markets, human amounts, client ids); each entry records
the StarkEx message fields dYdX derived from them, the message hash and the signature, so the
test rebuilds the message from the fields with this project's client and compares both.
"""
import inspect
import json
import sys

# eth-abi 2's parsimonious uses inspect.getargspec, gone in Python 3.11.
inspect.getargspec = inspect.getfullargspec  # type: ignore[attr-defined]

from dydx3.constants import (COLLATERAL_ASSET_ID_BY_NETWORK_ID, NETWORK_ID_MAINNET,  # noqa: E402
                             NETWORK_ID_SEPOLIA, ORDER_SIDE_BUY, ORDER_SIDE_SELL)
from dydx3.starkex.conditional_transfer import SignableConditionalTransfer  # noqa: E402
from dydx3.starkex.helpers import deserialize_signature, private_key_to_public_hex  # noqa: E402
from dydx3.starkex.order import SignableOrder  # noqa: E402
from dydx3.starkex.transfer import SignableTransfer  # noqa: E402
from dydx3.starkex.withdrawal import SignableWithdrawal  # noqa: E402

PRIVATE_KEYS = ["0x58c7d5a90b1776bde86ebac077e053ed85b0f7164f53b080304a531947f46e3",
                "0x1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8",
                "0x7d4b2c9e1f0a3b5c6d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3"]
EXPIRATIONS = [1_700_000_000, 1_800_000_123, 1_650_000_000]


def signed(signable, private_key: str) -> dict:
    r, s = deserialize_signature(signable.sign(private_key))
    return {"private_key": private_key, "public_key": private_key_to_public_hex(private_key),
            "hash": hex(signable.hash), "signature": {"r": hex(r), "s": hex(s)}}


def orders():
    markets = [("BTC-USD", "0.001", "28000.5"), ("ETH-USD", "1.25", "1850.75"), ("LINK-USD", "100", "7.321")]
    for n, ((market, size, price), key, network) in enumerate(zip(markets * 2, PRIVATE_KEYS * 2,
                                                                 [NETWORK_ID_MAINNET, NETWORK_ID_SEPOLIA] * 3)):
        side = ORDER_SIDE_BUY if n % 2 == 0 else ORDER_SIDE_SELL
        order = SignableOrder(network_id=network, market=market, side=side, position_id=12_345 + n,
                              human_size=size, human_price=price, limit_fee="0.0015", client_id=f"order-{n}",
                              expiration_epoch_seconds=EXPIRATIONS[n % 3])
        m = order.to_starkware()
        yield {"kind": "limit_order", "network_id": network, "market": market, "side": side,
               "fields": {"asset_id_synthetic": hex(m.asset_id_synthetic), "asset_id_collateral": hex(m.asset_id_collateral),
                          "amount_synthetic": m.quantums_amount_synthetic, "amount_collateral": m.quantums_amount_collateral,
                          "amount_fee": m.quantums_amount_fee, "is_buying_synthetic": m.is_buying_synthetic,
                          "position_id": m.position_id, "nonce": m.nonce, "expiration_timestamp": m.expiration_epoch_hours},
               **signed(order, key)}


def transfers():
    for n, (key, network) in enumerate(zip(PRIVATE_KEYS, [NETWORK_ID_MAINNET, NETWORK_ID_SEPOLIA, NETWORK_ID_MAINNET])):
        receiver = private_key_to_public_hex(PRIVATE_KEYS[(n + 1) % 3])
        transfer = SignableTransfer(sender_position_id=100 + n, receiver_position_id=200 + n, receiver_public_key=receiver,
                                    human_amount=["49.478023", "0.000001", "1000000"][n], client_id=f"transfer-{n}",
                                    expiration_epoch_seconds=EXPIRATIONS[n], network_id=network)
        m = transfer.to_starkware()
        yield {"kind": "transfer", "network_id": network,
               "fields": {"asset_id": hex(COLLATERAL_ASSET_ID_BY_NETWORK_ID[network]), "receiver_public_key": receiver,
                          "sender_position_id": m.sender_position_id, "receiver_position_id": m.receiver_position_id,
                          "amount": m.quantums_amount, "nonce": m.nounce, "expiration_timestamp": m.expiration_epoch_hours},
               **signed(transfer, key)}


def conditional_transfers():
    facts = [("0x" + "ab" * 20, "0x" + "12" * 32), ("0xBE9a129909EbCb954bC065536D2bfAfBd170d27A", "0x" + "cd" * 32)]
    for n, (registry, fact) in enumerate(facts):
        receiver = private_key_to_public_hex(PRIVATE_KEYS[(n + 1) % 3])
        network = NETWORK_ID_MAINNET
        transfer = SignableConditionalTransfer(
            network_id=network, sender_position_id=300 + n, receiver_position_id=400 + n,
            receiver_public_key=receiver, fact_registry_address=registry, fact=bytes.fromhex(fact[2:]),
            human_amount=["12.5", "0.75"][n], client_id=f"conditional-{n}", expiration_epoch_seconds=EXPIRATIONS[n])
        m = transfer.to_starkware()
        yield {"kind": "conditional_transfer", "network_id": network,
               "fields": {"asset_id": hex(COLLATERAL_ASSET_ID_BY_NETWORK_ID[network]), "receiver_public_key": receiver,
                          "sender_position_id": m.sender_position_id, "receiver_position_id": m.receiver_position_id,
                          "amount": m.quantums_amount, "nonce": m.nonce, "expiration_timestamp": m.expiration_epoch_hours,
                          "fact_registry_address": registry, "fact": fact, "condition": hex(m.condition)},
               **signed(transfer, PRIVATE_KEYS[n])}


def withdrawals():
    for n, (key, network) in enumerate(zip(PRIVATE_KEYS, [NETWORK_ID_MAINNET, NETWORK_ID_SEPOLIA, NETWORK_ID_SEPOLIA])):
        withdrawal = SignableWithdrawal(network_id=network, position_id=500 + n, human_amount=["1", "2500.000001", "0.5"][n],
                                        client_id=f"withdrawal-{n}", expiration_epoch_seconds=EXPIRATIONS[n])
        m = withdrawal.to_starkware()
        yield {"kind": "withdrawal", "network_id": network,
               "fields": {"asset_id_collateral": hex(COLLATERAL_ASSET_ID_BY_NETWORK_ID[network]), "position_id": m.position_id,
                          "amount": m.quantums_amount, "nonce": m.nonce, "expiration_timestamp": m.expiration_epoch_hours},
               **signed(withdrawal, key)}


if __name__ == "__main__":
    import importlib.metadata
    vectors = [*orders(), *transfers(), *conditional_transfers(), *withdrawals()]
    json.dump({"generator": f"dydx-v3-python {importlib.metadata.version('dydx-v3-python')}, "
                            "tests/client/vectors/generate_dydx_v3.py",
               "vectors": vectors}, sys.stdout, indent=1)
    sys.stdout.write("\n")
