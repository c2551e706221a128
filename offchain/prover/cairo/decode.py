"""Cairo instruction decoding (paper, section 4.4 and 9.4).

An instruction word is  off~dst + 2^16·off~op0 + 2^32·off~op1 + 2^48·f~_0  where each off~ is a
16-bit value (the signed offset biased by 2^15) and f~_0 = Σ_i 2^i·f_i packs the 15 flag bits.
The AIR represents the flags by their bit-prefix values f~_i = Σ_{j>=i} 2^(j-i)·f_j (i = 0..15),
so f~_15 = 0 and each flag is recovered linearly as f_i = f~_i - 2·f~_(i+1).
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

OFFSET_BIAS = 2**15
N_FLAGS = 15


class Flag(IntEnum):
    DST_REG = 0
    OP0_REG = 1
    OP1_IMM = 2
    OP1_FP = 3
    OP1_AP = 4
    RES_ADD = 5
    RES_MUL = 6
    PC_JUMP_ABS = 7
    PC_JUMP_REL = 8
    PC_JNZ = 9
    AP_ADD = 10
    AP_ADD1 = 11
    OPCODE_CALL = 12
    OPCODE_RET = 13
    OPCODE_ASSERT_EQ = 14


class InvalidInstruction(ValueError):
    """The word is not 63 bits with the top flag bit clear."""


@dataclass(frozen=True)
class DecodedInstruction:
    off_dst: int  # biased: in [0, 2^16)
    off_op0: int
    off_op1: int
    flags: tuple[int, ...]  # 15 bits, index by Flag

    def flag(self, which: Flag) -> int:
        return self.flags[which]

    @property
    def flag_word(self) -> int:
        return sum(bit << i for i, bit in enumerate(self.flags))

    @property
    def size(self) -> int:
        return 2 if self.flags[Flag.OP1_IMM] else 1

    def flag_prefixes(self) -> list[int]:
        """f~_0 .. f~_15 (16 values, the last always 0)."""
        word = self.flag_word
        return [word >> i for i in range(N_FLAGS + 1)]

    def encode(self) -> int:
        return self.off_dst + (self.off_op0 << 16) + (self.off_op1 << 32) + (self.flag_word << 48)


def decode(word: int) -> DecodedInstruction:
    if not 0 <= word < 2**63:
        raise InvalidInstruction(f"instruction {word:#x} does not fit in 63 bits")
    flag_word = word >> 48
    return DecodedInstruction(
        off_dst=word & 0xFFFF,
        off_op0=(word >> 16) & 0xFFFF,
        off_op1=(word >> 32) & 0xFFFF,
        flags=tuple((flag_word >> i) & 1 for i in range(N_FLAGS)),
    )


def flags_from_prefixes(prefixes: list[int]) -> list[int]:
    """f_i = f~_i - 2·f~_(i+1), as plain ints (the AIR does the same in the field)."""
    return [prefixes[i] - 2 * prefixes[i + 1] for i in range(N_FLAGS)]
