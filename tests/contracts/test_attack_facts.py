"""The fact updateState checks, attacked: keccak256(abi.encode(programHash, keccak256(output
words))) in every registry of the verifier chain, with programHash the exchange's own. A fact of
the same output under another program (Spot's batch program, any program a store holds: the
Cairo program store is permissionless), the fact of an output one word away, the output hashed
under another layout, or the right fact in a registry outside the chain (the availability
committee's) must not let a batch through."""
from eth_abi import encode
from eth_utils import keccak

from .adversary import refused
from .batch_builder import Modification, program_output_fact
from .conftest import PROGRAM_HASH

FACT = "updateState: the batch's fact"
SPOT_PROGRAM_HASH = int.from_bytes(keccak(b"spot batch program"), "big")


def _fact_of(program_hash: int, output_hash: bytes) -> bytes:
    return keccak(encode(["uint256", "bytes32"], [program_hash, output_hash]))


def _attempt(exchange, label, words):
    app = exchange.app_data()
    refused(FACT, label, lambda: exchange.contract.updateState(words, app.words(), sender=exchange.operator),
            "FactNotValid")


def test_only_this_programs_fact_of_exactly_this_output_is_accepted(exchange, alice_key):
    output = exchange.batch([Modification(alice_key, 3, -10)])
    words = output.words()
    exchange.prove(output)  # the batch's fact and its availability fact, as a prover and committee would
    registry = exchange.registry
    gov = exchange.governor
    assert exchange.contract.programHash() == PROGRAM_HASH

    # Another output (alice withdraws 11, not 10) with the same new state, so the same availability
    # fact, and its fact under every wrong reading; the exchange reads its own program hash.
    changed = exchange.batch([Modification(alice_key, 3, -11)], new_state=output.new_state).words()
    assert changed != words
    registry.registerFact(program_output_fact(SPOT_PROGRAM_HASH, changed), sender=gov)
    _attempt(exchange, "another output whose fact is only Spot's program's", changed)
    # Another layout of the output hash: abi.encode (with offset and length words), not the packed words.
    registry.registerFact(_fact_of(PROGRAM_HASH, keccak(encode(["uint256[]"], [changed]))), sender=gov)
    _attempt(exchange, "the output hashed with its ABI length prefix", changed)
    # The program hash as the fact's second word and the output hash first.
    registry.registerFact(keccak(encode(["bytes32", "uint256"], [keccak(b"".join(w.to_bytes(32, "big")
                                                                               for w in changed)), PROGRAM_HASH])),
                          sender=gov)
    _attempt(exchange, "the fact's words swapped", changed)
    # The right fact in the committee's registry, which is not in the verifier chain.
    exchange.committee.registerFact(program_output_fact(PROGRAM_HASH, changed), sender=gov)
    _attempt(exchange, "the right fact in the availability committee's registry", changed)
    # The untouched output, whose fact is this program's, goes through.
    exchange.contract.updateState(words, exchange.app_data().words(), sender=exchange.operator)
