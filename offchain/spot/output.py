"""The Spot program output (docs/spot/program-output.md): its layout, built and decoded here.

The offsets are StarkEx Spot's public input offsets (`PublicInputOffsets.sol`); the Cairo program
writes the same words and the contract parses them with the same offsets.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from offchain.spot.rules import Modification, MODIFICATION_BIAS
from offchain.spot.state import ROLLUP_VAULT_BIT, Vault

GLOBAL_CONFIG_CODE_OFFSET = 0
INITIAL_VALIDIUM_VAULT_ROOT_OFFSET = 1
FINAL_VALIDIUM_VAULT_ROOT_OFFSET = 2
INITIAL_ROLLUP_VAULT_ROOT_OFFSET = 3
FINAL_ROLLUP_VAULT_ROOT_OFFSET = 4
INITIAL_ORDER_ROOT_OFFSET = 5
FINAL_ORDER_ROOT_OFFSET = 6
GLOBAL_EXPIRATION_TIMESTAMP_OFFSET = 7
VALIDIUM_VAULT_TREE_HEIGHT_OFFSET = 8
ROLLUP_VAULT_TREE_HEIGHT_OFFSET = 9
ORDER_TREE_HEIGHT_OFFSET = 10
N_MODIFICATIONS_OFFSET = 11
N_CONDITIONAL_TRANSFERS_OFFSET = 12
N_L1_VAULT_UPDATES_OFFSET = 13
N_L1_ORDER_MESSAGES_OFFSET = 14
HEADER_SIZE = 15
WORDS_PER_MODIFICATION = 3

# On-chain data (volition): a change is 124 bits, two per word.
ONCHAIN_VAULT_INDEX_BITS = 31
ONCHAIN_BALANCE_BITS = 63
ONCHAIN_TABLE_INDEX_BITS = 15
CHANGE_BITS = ONCHAIN_VAULT_INDEX_BITS + ONCHAIN_BALANCE_BITS + 2 * ONCHAIN_TABLE_INDEX_BITS


@dataclass
class SpotOutput:
    global_config_code: int
    initial_roots: tuple[int, int, int]  # validium, rollup, order
    final_roots: tuple[int, int, int]
    global_expiration_timestamp: int
    heights: tuple[int, int, int]  # validium, rollup, order
    modifications: list[Modification] = field(default_factory=list)
    conditions: list[int] = field(default_factory=list)
    onchain_data: list[int] = field(default_factory=lambda: [0, 0])

    def to_words(self) -> list[int]:
        (iv, ir, io), (fv, fr, fo) = self.initial_roots, self.final_roots
        words = [self.global_config_code, iv, fv, ir, fr, io, fo,
                 self.global_expiration_timestamp, *self.heights,
                 len(self.modifications), len(self.conditions), 0, 0]
        for m in self.modifications:
            words += m.words()
        words += self.conditions
        words += self.onchain_data
        return words


def encode_onchain_data(changed: dict[int, Vault]) -> list[int]:
    """Rollup vaults whose state changed, by vault id (with its 2^63 bit), after the batch."""
    vaults = sorted((vault_id - ROLLUP_VAULT_BIT, v.normalized()) for vault_id, v in changed.items())
    keys = sorted({v.stark_key for _, v in vaults})
    tokens = sorted({v.asset_id for _, v in vaults})
    key_index = {k: i for i, k in enumerate(keys)}
    token_index = {t: i for i, t in enumerate(tokens)}
    changes = []
    for index, v in vaults:
        change = index
        change = (change << ONCHAIN_BALANCE_BITS) + v.balance
        change = (change << ONCHAIN_TABLE_INDEX_BITS) + key_index[v.stark_key]
        change = (change << ONCHAIN_TABLE_INDEX_BITS) + token_index[v.asset_id]
        changes.append(change)
    if len(changes) % 2:
        changes.append(changes[-1])
    packed = [(changes[i] << CHANGE_BITS) + changes[i + 1] for i in range(0, len(changes), 2)]
    return [len(keys), *keys, len(tokens), *tokens, *packed]


def decode_onchain_data(words: list[int]) -> dict[int, Vault]:
    """The inverse of encode_onchain_data: rollup vault id (with 2^63) to its new state."""
    n_keys = words[0]
    keys = words[1:1 + n_keys]
    n_tokens = words[1 + n_keys]
    tokens = words[2 + n_keys:2 + n_keys + n_tokens]
    vaults = {}
    mask = 2**ONCHAIN_TABLE_INDEX_BITS - 1
    for word in words[2 + n_keys + n_tokens:]:
        for change in (word >> CHANGE_BITS, word & (2**CHANGE_BITS - 1)):
            token = tokens[change & mask]
            key = keys[(change >> ONCHAIN_TABLE_INDEX_BITS) & mask]
            balance = (change >> 2 * ONCHAIN_TABLE_INDEX_BITS) & (2**ONCHAIN_BALANCE_BITS - 1)
            index = change >> (2 * ONCHAIN_TABLE_INDEX_BITS + ONCHAIN_BALANCE_BITS)
            vaults[ROLLUP_VAULT_BIT + index] = Vault(key, token, balance)
    return vaults


def decode(words: list[int]) -> SpotOutput:
    """Parse output words as the contract does, refusing what it refuses."""
    if len(words) < HEADER_SIZE + 2:
        raise ValueError("output shorter than its header")
    if words[N_L1_VAULT_UPDATES_OFFSET] or words[N_L1_ORDER_MESSAGES_OFFSET]:
        raise ValueError("L1 vault updates and L1 orders are not supported")
    n_mod, n_cond = words[N_MODIFICATIONS_OFFSET], words[N_CONDITIONAL_TRANSFERS_OFFSET]
    if n_mod >= 2**64 or n_cond >= 2**64:
        raise ValueError("count not below 2^64")
    pos = HEADER_SIZE
    mods = []
    for _ in range(n_mod):
        key, asset, action = words[pos:pos + 3]
        if action >> 129:
            raise ValueError("unsupported modification action field")
        mods.append(Modification(key, asset, (action >> 64) % 2**64,
                                 action % 2**64 - MODIFICATION_BIAS, bool(action >> 128)))
        pos += WORDS_PER_MODIFICATION
    conditions = list(words[pos:pos + n_cond])
    pos += n_cond
    onchain = list(words[pos:])
    if len(onchain) < 2 or len(onchain) < 2 + onchain[0] + 1 or \
            len(onchain) < 2 + onchain[0] + onchain[1 + onchain[0]]:
        raise ValueError("on-chain data shorter than its tables")
    return SpotOutput(
        global_config_code=words[GLOBAL_CONFIG_CODE_OFFSET],
        initial_roots=(words[1], words[3], words[5]), final_roots=(words[2], words[4], words[6]),
        global_expiration_timestamp=words[GLOBAL_EXPIRATION_TIMESTAMP_OFFSET],
        heights=(words[8], words[9], words[10]), modifications=mods, conditions=conditions,
        onchain_data=onchain)
