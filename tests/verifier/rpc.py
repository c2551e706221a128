"""Direct JSON-RPC calls and transactions for the verifier tests.

ape traces every reverting call to explain it, which takes minutes on a STARK verification;
these helpers go straight to the node, and report a revert by its selector."""
from __future__ import annotations

from dataclasses import dataclass

from eth_abi import decode
from eth_utils import keccak
from web3.exceptions import ContractCustomError, ContractLogicError

TX_GAS = 30_000_000


@dataclass
class Reverted(Exception):
    data: str

    @property
    def selector(self) -> str:
        return self.data[:10]


def selector(signature: str) -> str:
    return "0x" + keccak(text=signature)[:4].hex()


def _web3(contract):
    return contract.provider.web3


def call(contract, method: str, *args) -> bytes:
    """The raw return data of a view call; raises Reverted."""
    data = getattr(contract, method).encode_input(*args)
    try:
        return bytes(_web3(contract).eth.call({"to": contract.address, "data": "0x" + bytes(data).hex(), "gas": TX_GAS}))
    except (ContractCustomError, ContractLogicError) as e:
        raw = e.data if isinstance(e.data, str) else ""
        raise Reverted(raw) from None


def deploy_call(container, web3, *args) -> str:
    """Simulates deploying `container` with args (an eth_call with no recipient) and returns the
    address it would get; raises Reverted with the constructor's revert data."""
    data = bytes(container.contract_type.deployment_bytecode.to_bytes()) + bytes(container.constructor.encode_input(*args))
    try:
        return web3.eth.call({"data": "0x" + data.hex(), "gas": TX_GAS}).hex()
    except (ContractCustomError, ContractLogicError) as e:
        raw = e.data if isinstance(e.data, str) else ""
        raise Reverted(raw) from None


def verify(verifier, proof: bytes) -> tuple[int, list[int]]:
    n, public_inputs = decode(["uint256", "uint256[]"], call(verifier, "verify", proof))
    return n, list(public_inputs)


def verify_gas(verifier, proof: bytes) -> int:
    data = verifier.verify.encode_input(proof)
    return _web3(verifier).eth.estimate_gas({"to": verifier.address, "data": "0x" + bytes(data).hex(), "gas": TX_GAS})


def transact(contract, method: str, sender, *args) -> dict:
    """Sends the transaction (the node's accounts are unlocked) and returns its receipt, reverted
    or not."""
    w3 = _web3(contract)
    data = getattr(contract, method).encode_input(*args)
    tx_hash = w3.eth.send_transaction({"from": sender.address, "to": contract.address,
                                       "data": "0x" + bytes(data).hex(), "gas": TX_GAS})
    return w3.eth.wait_for_transaction_receipt(tx_hash)
