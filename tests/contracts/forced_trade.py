"""The forced-trade request of the exchange and its EIP-712 signature, built independently of
the contract (eth_account's typed-data signer) so the tests check the contract's hashing."""
from __future__ import annotations

from dataclasses import astuple, dataclass

from eth_account import Account

FIELDS = ["starkKeyA", "starkKeyB", "positionIdA", "positionIdB", "collateralAssetId", "syntheticAssetId",
          "amountCollateral", "amountSynthetic", "aIsBuyingSynthetic", "nonce"]


@dataclass
class Trade:
    starkKeyA: int
    starkKeyB: int
    positionIdA: int
    positionIdB: int
    collateralAssetId: int
    syntheticAssetId: int
    amountCollateral: int
    amountSynthetic: int
    aIsBuyingSynthetic: bool
    nonce: int

    def as_tuple(self) -> tuple:
        return astuple(self)


def sign_forced_trade(private_key: str, trade: Trade, expiration: int, exchange_address: str,
                      chain_id: int = 31337) -> bytes:
    types = {
        "EIP712Domain": [{"name": "name", "type": "string"}, {"name": "version", "type": "string"},
                         {"name": "chainId", "type": "uint256"}, {"name": "verifyingContract", "type": "address"}],
        "ForcedTrade": [{"name": f, "type": "bool" if f == "aIsBuyingSynthetic" else "uint256"} for f in FIELDS]
        + [{"name": "submissionExpirationTime", "type": "uint256"}],
    }
    message = dict(zip(FIELDS, trade.as_tuple())) | {"submissionExpirationTime": expiration}
    full = {"types": types, "primaryType": "ForcedTrade", "message": message,
            "domain": {"name": "StarkPerpetual", "version": "1", "chainId": chain_id,
                       "verifyingContract": exchange_address}}
    return bytes(Account.sign_typed_data(private_key, full_message=full).signature)
