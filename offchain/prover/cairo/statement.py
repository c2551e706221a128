"""The public statement of a Cairo run: its encoding as field elements (the proof's public inputs),
the rules a statement must satisfy, and what the AIR and the fact registry read from it.

These rules are the one definition both verifiers apply: `CairoStatement.check` here, and
contracts/verifier/stark/cairo/CairoStatementChecks.sol, which checks the same rules in the same
order and reverts `StatementRejected(rule)` with the `Rule` code (its constants are generated
from this module by tools/stark_codegen; tests/verifier checks that both give the same verdict).

What the statement must pin is what cairo-lang's proof mode does (cairo-compile --proof_mode,
cairo-run --proof_mode; StarkWare's Cairo verifier checks the same layout):
- the program segment starts at address 1 (address 0 is the null pointer, and our AIR's public
  memory dummies) with the entry code (cairo_compile.get_start_code)
      __start__: ap += n_builtins; call main;  __end__: jmp rel 0
  whose words are AP_ADD_IMM, n_builtins, CALL_REL_IMM, main's offset, JMP_REL_IMM, 0;
- the execution segment follows the program: [initial_ap - 2] = initial_ap and
  [initial_ap - 1] = 0 (the fp and return pc of main's caller), then main's arguments, the
  initial pointers [initial_ap + k] of the program's builtins in the layout's order;
- main returns the final builtin pointers at [final_ap - n_builtins + k]; its `ret` restores
  fp = initial_ap and jumps to __end__, where the run loops until the trace length (a power of
  two), so the last row of the trace has pc = __end__, ap = final_ap, fp = initial_ap (the AIR's
  final_pc, final_ap and final_fp boundary constraints);
- then the builtin segments, each at its initial pointer, in the layout's order.

The public memory is exactly the program, the two cells of main's caller, main's arguments, its
return values and the output cells, in increasing address order: nothing else can be claimed.

The program's cells are not listed in the statement: they are the bytecode whose code hash
(keccak256 of its words, `program_code_hash`) the statement holds, at addresses 1 .. L. A
verifier knows the programs it accepts by that hash (`Programs`; on-chain, CairoProgramStore),
so a proof of the batch program does not carry its 4,215 words; the listed cells are the rest.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from enum import IntEnum
from typing import Iterable, Mapping

from offchain.prover.field import P, inv
from offchain.prover.merkle import hash_row
from offchain.prover.cairo.layout import (
    CELLS_PER_INSTANCE, ECDSA_ROWS, LAYOUT_BUILTINS, LAYOUT_NAME, MAX_RC_FILL, PEDERSEN_ROWS, CairoLayout, slot_rows_fit,
)
from offchain.prover.cairo.runner_files import RunnerFiles

LAYOUT_CODE = int.from_bytes(LAYOUT_NAME.encode("ascii"), "big")  # as StarkWare's layout codes
PROGRAM_BEGIN = 1
# The proof-mode entry code; __end__ (its `jmp rel 0`) is at PROGRAM_BEGIN + END_OFFSET.
AP_ADD_IMM = 0x40780017FFF7FFF  # ap += imm
CALL_REL_IMM = 0x1104800180018000  # call rel imm
JMP_REL_IMM = 0x10780017FFF7FFF  # jmp rel imm
END_OFFSET = 4
ENTRY_LENGTH = 6
# The fp and return pc of main's caller, below the initial ap.
CALLER_FRAME_CELLS = 2
ADDRESS_BOUND = 2**64  # every address of the statement is below this
RC_BOUND = 2**16


class Rule(IntEnum):
    """A statement rule, by the code the Solidity checks revert with. Checked in this order: the
    first one broken is the verdict."""

    ENCODING = 0  # the words are the header, the count and count (address, value) pairs
    N_RC_FILL = 1  # 1 <= n_rc_fill <= layout.MAX_RC_FILL
    LAYOUT = 2  # the small layout
    RC_BOUNDS = 3  # 0 <= rc_min <= rc_max < 2^16
    BUILTINS = 4  # a subset of the layout's builtins
    LANES = 5  # pedersen and ecdsa have lanes exactly when used, they fit the slot and the trace
    MEMORY_ORDER = 6  # public memory addresses strictly increasing, in (0, 2^64)
    PROGRAM_LENGTH = 7  # the entry code fits, and the fixed public cells fit the public memory
    PROGRAM_SEGMENT = 8  # initial_pc = 1, and the verifier knows a program of that code hash and length
    ENTRY_CODE = 9  # the program starts with the proof-mode entry for its number of builtins
    FINAL_PC = 10  # final_pc is __end__
    INITIAL_AP = 11  # the execution segment follows the program
    CALLER_FRAME = 12  # [initial_ap - 2] = initial_ap, [initial_ap - 1] = 0
    BUILTIN_ARGUMENTS = 13  # main's arguments are at initial_ap + k
    FINAL_AP = 14  # main's return values lie above its frame, below 2^64
    BUILTIN_RETURNS = 15  # main's return values are at final_ap - n_builtins + k
    SEGMENT_ORDER = 16  # builtin segments follow the execution segment, in order, below 2^64
    BUILTIN_SEGMENT = 17  # begin <= stop <= begin + capacity (a lane's trace cells)
    OUTPUT_CELLS = 18  # the remaining listed cells are exactly the output segment


class StatementError(ValueError):
    """The public statement breaks `rule`; the message says how, with the numbers."""

    def __init__(self, rule: Rule, message: str):
        super().__init__(f"{rule.name}: {message}")
        self.rule = rule


def program_code_hash(bytecode: Iterable[int]) -> bytes:
    """keccak256 of the bytecode's words, each 32 bytes big-endian (offchain/facts.py words_hash)."""
    return hash_row(list(bytecode))


class Programs:
    """The programs a verifier accepts, by code hash (CairoProgramStore on-chain)."""

    def __init__(self, bytecodes: Iterable[Iterable[int]] = ()):
        self._by_hash: dict[bytes, tuple[int, ...]] = {}
        for code in bytecodes:
            self.add(code)

    def add(self, bytecode: Iterable[int]) -> bytes:
        code = tuple(bytecode)
        h = program_code_hash(code)
        self._by_hash[h] = code
        return h

    def get(self, code_hash: bytes) -> tuple[int, ...] | None:
        return self._by_hash.get(code_hash)


class ProgramMismatch(ValueError):
    """The bytecode given is not the statement's program (CairoFactRegistry's ProgramMismatch and
    ProgramLengthMismatch)."""


# The values the AIR's constraints read (constraints.Context.constants), in this order: the
# Solidity AIR receives them as an array from CairoStatementChecks.airConstants.
AIR_CONSTANTS = ("rc_min", "rc_max", "initial_pc", "final_pc", "initial_ap", "final_ap", "rc_used", "rc_begin",
                 "pedersen_begin", "ecdsa_begin", "n_pedersen_lanes", "n_ecdsa_lanes")


@dataclass(frozen=True)
class AirConstants:
    rc_min: int
    rc_max: int
    initial_pc: int
    final_pc: int
    initial_ap: int
    final_ap: int
    rc_used: int  # 1 if the program uses the range_check builtin (its lane's cells are memory)
    rc_begin: int  # its segment's first address (0 if unused)
    pedersen_begin: int  # the pedersen segment's first address (0 if unused: no lanes)
    ecdsa_begin: int  # the ecdsa segment's first address (0 if unused: no lanes)
    n_pedersen_lanes: int
    n_ecdsa_lanes: int


@dataclass(frozen=True)
class CairoStatement:
    """The header words, in encoding order, then the public memory. `builtins` has bit k set when
    the program uses LAYOUT_BUILTINS[k]."""

    layout: int
    n_rc_fill: int
    n_pedersen_lanes: int
    n_ecdsa_lanes: int
    rc_min: int
    rc_max: int
    initial_pc: int
    final_pc: int
    initial_ap: int
    final_ap: int
    program_length: int
    program_hash_high: int  # the program's code hash, its high and low 128 bits
    program_hash_low: int
    builtins: int
    public_memory: tuple[tuple[int, int], ...]  # (address, value): the public cells after the program
    # The bytecode of the code hash, when the verifier knows it (not encoded: the hash is).
    program_code: tuple[int, ...] | None = field(default=None, compare=False, repr=False)

    # --- encoding ------------------------------------------------------------------------
    def to_field_elements(self) -> list[int]:
        words = [getattr(self, name) for name in HEADER_FIELDS]
        words.append(len(self.public_memory))
        for address, value in self.public_memory:
            words += [address, value]
        return words

    @classmethod
    def from_field_elements(cls, words: list[int], programs: Programs | None = None) -> "CairoStatement":
        """The statement of these words, with the bytecode of its code hash if `programs` has it."""
        # The count is compared by division so that no count, however large, is multiplied.
        if len(words) < HEADER or (len(words) - HEADER) % 2 or (len(words) - HEADER) // 2 != words[N_PUBLIC_MEMORY]:
            raise StatementError(Rule.ENCODING, f"{len(words)} words do not hold a {HEADER}-word header and "
                                                "the public memory pairs its count says")
        pairs = words[HEADER:]
        statement = cls(*words[:N_PUBLIC_MEMORY], public_memory=tuple(zip(pairs[0::2], pairs[1::2])))
        code = programs.get(statement.program_code_hash) if programs is not None else None
        return statement.with_program(code) if code is not None else statement

    @property
    def program_code_hash(self) -> bytes:
        # As the Solidity reads it; PROGRAM_SEGMENT requires both halves below 2^128.
        return (((self.program_hash_high << 128) | self.program_hash_low) % 2**256).to_bytes(32, "big")

    def with_program(self, bytecode: Iterable[int]) -> "CairoStatement":
        """This statement with its bytecode attached; raises ProgramMismatch unless the bytecode has
        the statement's code hash."""
        code = tuple(bytecode)
        if program_code_hash(code) != self.program_code_hash:
            raise ProgramMismatch("the bytecode does not have the statement's code hash")
        return replace(self, program_code=code)

    @classmethod
    def from_run(cls, files: RunnerFiles, n_rc_fill: int = 1, n_pedersen_lanes: int = 0,
                 n_ecdsa_lanes: int = 0) -> "CairoStatement":
        """The statement of a proof-mode run with the given counts, the program's builtins from its
        builtin list. Raises StatementError if the program uses a builtin the layout does not
        have (or not in its order)."""
        pi = files.public_input
        program_length = pi.initial_ap - CALLER_FRAME_CELLS - pi.initial_pc
        cells = sorted((c.address, c.value) for c in pi.public_memory)
        program = tuple(v for a, v in cells if pi.initial_pc <= a < pi.initial_pc + program_length)
        code_hash = int.from_bytes(program_code_hash(program), "big")
        unknown = [b for b in files.builtins if b not in LAYOUT_BUILTINS]
        if unknown or list(files.builtins) != [b for b in LAYOUT_BUILTINS if b in files.builtins]:
            raise StatementError(Rule.BUILTINS, f"program builtins {list(files.builtins)} are not a subsequence of "
                                                f"the {LAYOUT_NAME} layout's {list(LAYOUT_BUILTINS)}")
        return cls(
            layout=int.from_bytes(pi.layout.encode("ascii"), "big"),
            n_rc_fill=n_rc_fill,
            n_pedersen_lanes=n_pedersen_lanes,
            n_ecdsa_lanes=n_ecdsa_lanes,
            rc_min=pi.rc_min,
            rc_max=pi.rc_max,
            initial_pc=pi.initial_pc,
            final_pc=pi.final_pc,
            initial_ap=pi.initial_ap,
            final_ap=pi.final_ap,
            # The runner's execution segment begins two cells after the program.
            program_length=program_length,
            program_hash_high=code_hash >> 128,
            program_hash_low=code_hash & (2**128 - 1),
            builtins=sum(1 << LAYOUT_BUILTINS.index(b) for b in files.builtins),
            public_memory=tuple((a, v) for a, v in cells if not pi.initial_pc <= a < pi.initial_pc + program_length),
            program_code=program,
        )

    # --- the rules -----------------------------------------------------------------------
    def check(self, trace_length: int) -> None:
        """Raises StatementError for the first rule (in Rule order, RULE_CHECKS) this statement
        breaks for a trace of trace_length rows. Each rule's check assumes the earlier ones hold."""
        for rule, broken in RULE_CHECKS:
            message = broken(self, trace_length)
            if message:
                raise StatementError(rule, message)

    # Each returns why the statement breaks its rule, or None.
    def _n_rc_fill(self, _: int) -> str | None:
        if not 1 <= self.n_rc_fill <= MAX_RC_FILL:
            return f"n_rc_fill {self.n_rc_fill} is not in [1, {MAX_RC_FILL}]"

    def _layout(self, _: int) -> str | None:
        if self.layout != LAYOUT_CODE:
            return f"layout code {self.layout:#x} is not {LAYOUT_NAME!r} ({LAYOUT_CODE:#x})"

    def _rc_bounds(self, _: int) -> str | None:
        # The AIR's range check proves values in [rc_min, rc_max]; decoding needs them 16-bit.
        if not self.rc_min <= self.rc_max < RC_BOUND:
            return f"rc_min {self.rc_min}, rc_max {self.rc_max} are not 16-bit bounds in order"

    def _builtins(self, _: int) -> str | None:
        if self.builtins >> len(LAYOUT_BUILTINS):
            return f"builtins {self.builtins:#x} name builtins beyond the {LAYOUT_NAME} layout's {list(LAYOUT_BUILTINS)}"

    def _lanes(self, trace_length: int) -> str | None:
        # A lane holds whole blocks of the trace, and the lanes' memory cells share the builtin
        # slot's rows of a block; a builtin the program does not use has none, so its rows are
        # free memory slots and no constraint reads its (zero) segment address.
        used = self.builtin_names()
        for name, lanes, rows in (("pedersen", self.n_pedersen_lanes, PEDERSEN_ROWS),
                                  ("ecdsa", self.n_ecdsa_lanes, ECDSA_ROWS)):
            if (name in used) != (lanes >= 1):
                return f"{lanes} {name} lanes for a program that {'uses' if name in used else 'does not use'} it"
            # Two blocks at least: the lane's address chain runs from each block to the next.
            if lanes and trace_length < 2 * rows:
                return f"a {name} lane needs {2 * rows} rows; the trace has {trace_length}"
        if not slot_rows_fit(self.n_pedersen_lanes, self.n_ecdsa_lanes):
            return f"{self.n_pedersen_lanes} pedersen and {self.n_ecdsa_lanes} ecdsa lanes do not fit the builtin slot"

    def _memory_order(self, _: int) -> str | None:
        # Increasing order makes the addresses distinct, and lets every later rule find a cell by
        # its index and pin a run of cells by its first and last address.
        addresses = [a for a, _ in self.public_memory]
        if not addresses or addresses[0] == 0 or addresses[-1] >= ADDRESS_BOUND or any(
                b <= a for a, b in zip(addresses, addresses[1:])):
            return "public memory addresses are not strictly increasing in (0, 2^64)"

    def _program_length(self, _: int) -> str | None:
        count, length, n = len(self.public_memory), self.program_length, self.n_builtins
        if not ENTRY_LENGTH <= length < ADDRESS_BOUND or count < CALLER_FRAME_CELLS + 2 * n:
            return (f"program length {length} is below the {ENTRY_LENGTH}-word entry code, or {count} listed cells "
                    f"leave no room for main's caller's frame and the stack cells of {n} builtins")

    def _program_segment(self, _: int) -> str | None:
        if self.initial_pc != PROGRAM_BEGIN:
            return f"initial_pc {self.initial_pc} is not {PROGRAM_BEGIN}, the program segment's first cell"
        if self.program_hash_high >> 128 or self.program_hash_low >> 128:
            return "the program's code hash words are not two 128-bit halves"
        if self.program_code is None or len(self.program_code) != self.program_length:
            return (f"no known program has the code hash {self.program_code_hash.hex()} and "
                    f"{self.program_length} words")

    def _entry_code(self, _: int) -> str | None:
        n = self.n_builtins
        code = list(self.program_code[:ENTRY_LENGTH])
        if code[:3] != [AP_ADD_IMM, n, CALL_REL_IMM] or code[4:] != [JMP_REL_IMM, 0]:
            return f"the program does not start with the proof-mode entry code 'ap += {n}; call main; jmp rel 0'"

    def _final_pc(self, _: int) -> str | None:
        end = self.initial_pc + END_OFFSET
        if self.final_pc != end:
            return f"final_pc {self.final_pc} is not __end__ ({end}): the run stops before main returned"

    def _initial_ap(self, _: int) -> str | None:
        expected = self.initial_pc + self.program_length + CALLER_FRAME_CELLS
        if self.initial_ap != expected:
            return f"initial_ap {self.initial_ap} is not right after the program and its caller's frame ({expected})"

    def _caller_frame(self, _: int) -> str | None:
        ap = self.initial_ap
        if self.public_memory[:CALLER_FRAME_CELLS] != ((ap - 2, ap), (ap - 1, 0)):
            return f"the first listed cells are not [{ap - 2}] = {ap}, [{ap - 1}] = 0 (main's caller's fp and pc)"

    def _builtin_arguments(self, _: int) -> str | None:
        n, ap, first = self.n_builtins, self.initial_ap, CALLER_FRAME_CELLS
        if n and self._address(first + n - 1) != ap + n - 1:
            return f"the {n} cells after the caller's frame are not main's arguments at {ap} .. {ap + n - 1}"

    def _final_ap(self, _: int) -> str | None:
        # main's frame starts at initial_ap + n (the call pushes its caller's fp and pc there): its
        # return values lie above it.
        n, lowest = self.n_builtins, self.initial_ap + 2 * self.n_builtins + CALLER_FRAME_CELLS
        if not lowest <= self.final_ap < ADDRESS_BOUND:
            return f"final_ap {self.final_ap} puts main's {n} return values below its frame, or is not below 2^64"

    def _builtin_returns(self, _: int) -> str | None:
        n, ap, first = self.n_builtins, self.final_ap, CALLER_FRAME_CELLS + self.n_builtins
        if n and (self._address(first) != ap - n or self._address(first + n - 1) != ap - 1):
            return f"the next {n} cells are not main's return values at {ap - n} .. {ap - 1}"

    def _segment_order(self, trace_length: int) -> str | None:
        cursor = self.final_ap  # the execution segment reaches at least the final ap
        for name, begin, stop in self.builtin_segments():
            if begin < cursor:
                return f"the {name} segment begins at {begin}, before the segment before it ends ({cursor})"
            # A lane's segment takes all its trace cells, used or not.
            cursor = begin + self.lane_cells(name, trace_length) if name in CELLS_PER_INSTANCE else max(begin, stop)
        if cursor > ADDRESS_BOUND:
            return f"the builtin segments end at {cursor}, beyond 2^64"

    def _builtin_segment(self, trace_length: int) -> str | None:
        for name, begin, stop in self.builtin_segments():
            capacity = self.lane_cells(name, trace_length)
            if stop < begin or (name in CELLS_PER_INSTANCE and stop > begin + capacity):
                return f"the {name} segment [{begin}, {stop}) is reversed or exceeds the {capacity} cells of its lanes"

    def _output_cells(self, _: int) -> str | None:
        first, count = self._output_index(), len(self.public_memory)
        begin, stop = self._output_bounds()
        if count - first != stop - begin or (stop > begin and (
                self._address(first) != begin or self._address(count - 1) != stop - 1)):
            return f"the listed cells after main's return values are not exactly the output segment [{begin}, {stop})"

    # --- what the verifiers read from a valid statement ----------------------------------
    @property
    def n_builtins(self) -> int:
        return bin(self.builtins).count("1")

    def builtin_names(self) -> list[str]:
        """The program's builtins, in the layout's order."""
        return [name for k, name in enumerate(LAYOUT_BUILTINS) if self.builtins >> k & 1]

    def builtin_segments(self) -> list[tuple[str, int, int]]:
        """(name, begin, stop) of each builtin the program uses: main's argument and return value."""
        n, first = self.n_builtins, CALLER_FRAME_CELLS
        return [(name, self._value(first + k), self._value(first + n + k)) for k, name in enumerate(self.builtin_names())]

    def program(self) -> list[int]:
        """The program bytecode (the statement's code hash's, known to the verifier)."""
        if self.program_code is None:
            raise ProgramMismatch(f"the program of code hash {self.program_code_hash.hex()} is not known")
        return list(self.program_code)

    def check_program(self, bytecode: list[int]) -> None:
        """Raises unless bytecode is exactly the program of this statement: its length and code
        hash (a prefix or an extension is refused)."""
        if len(bytecode) != self.program_length:
            raise ProgramMismatch(f"program has {len(bytecode)} words; the statement's has {self.program_length}")
        if program_code_hash(bytecode) != self.program_code_hash:
            raise ProgramMismatch("program words differ from the statement's program (its code hash)")

    def output(self) -> list[int]:
        """The output words: the public cells after main's return values."""
        return [value for _, value in self.public_memory[self._output_index():]]

    def layout_of(self) -> CairoLayout:
        """The trace layout of a statement whose counts hold (N_RC_FILL, LANES)."""
        return CairoLayout(self.n_rc_fill, self.n_pedersen_lanes, self.n_ecdsa_lanes)

    def lane_cells(self, name: str, trace_length: int) -> int:
        """The memory cells of a builtin's lanes in a trace of trace_length rows (0: no lane)."""
        instances = CairoLayout(1, self.n_pedersen_lanes, self.n_ecdsa_lanes).capacity(name, trace_length)
        return instances * CELLS_PER_INSTANCE.get(name, 0)

    def air_constants(self) -> AirConstants:
        segments = {name: begin for name, begin, _ in self.builtin_segments()}
        return AirConstants(
            rc_min=self.rc_min, rc_max=self.rc_max, initial_pc=self.initial_pc, final_pc=self.final_pc,
            initial_ap=self.initial_ap, final_ap=self.final_ap,
            rc_used=int("range_check" in segments), rc_begin=segments.get("range_check", 0),
            pedersen_begin=segments.get("pedersen", 0), ecdsa_begin=segments.get("ecdsa", 0),
            n_pedersen_lanes=self.n_pedersen_lanes, n_ecdsa_lanes=self.n_ecdsa_lanes,
        )

    def public_cells(self) -> list[tuple[int, int]]:
        """Every public memory cell: the program's at PROGRAM_BEGIN + i, then the listed ones."""
        return [(self.initial_pc + i, v) for i, v in enumerate(self.program())] + list(self.public_memory)

    def public_memory_product(self, z: int, alpha: int) -> int:
        """What the memory running product must end at: each public cell is one (0, 0) dummy
        access in the unsorted list (factor z) and the real (address, value) in the sorted list,
        so the quotient is z^k / Π (z - (address + alpha·value))."""
        cells = self.public_cells()
        denominator = 1
        for address, value in cells:
            denominator = denominator * (z - (address + alpha * value)) % P
        return pow(z, len(cells), P) * inv(denominator) % P

    def _address(self, i: int) -> int:
        return self.public_memory[i][0]

    def _value(self, i: int) -> int:
        return self.public_memory[i][1]

    def _output_index(self) -> int:
        return CALLER_FRAME_CELLS + 2 * self.n_builtins

    def _output_bounds(self) -> tuple[int, int]:
        segments = {name: (begin, stop) for name, begin, stop in self.builtin_segments()}
        return segments.get("output", (0, 0))


# The rules in checking order, each with the method that says why a statement breaks it.
RULE_CHECKS = (
    (Rule.N_RC_FILL, CairoStatement._n_rc_fill),
    (Rule.LAYOUT, CairoStatement._layout),
    (Rule.RC_BOUNDS, CairoStatement._rc_bounds),
    (Rule.BUILTINS, CairoStatement._builtins),
    (Rule.LANES, CairoStatement._lanes),
    (Rule.MEMORY_ORDER, CairoStatement._memory_order),
    (Rule.PROGRAM_LENGTH, CairoStatement._program_length),
    (Rule.PROGRAM_SEGMENT, CairoStatement._program_segment),
    (Rule.ENTRY_CODE, CairoStatement._entry_code),
    (Rule.FINAL_PC, CairoStatement._final_pc),
    (Rule.INITIAL_AP, CairoStatement._initial_ap),
    (Rule.CALLER_FRAME, CairoStatement._caller_frame),
    (Rule.BUILTIN_ARGUMENTS, CairoStatement._builtin_arguments),
    (Rule.FINAL_AP, CairoStatement._final_ap),
    (Rule.BUILTIN_RETURNS, CairoStatement._builtin_returns),
    (Rule.SEGMENT_ORDER, CairoStatement._segment_order),
    (Rule.BUILTIN_SEGMENT, CairoStatement._builtin_segment),
    (Rule.OUTPUT_CELLS, CairoStatement._output_cells),
)


HEADER_FIELDS = tuple(f.name for f in fields(CairoStatement) if f.name not in ("public_memory", "program_code"))
N_PUBLIC_MEMORY = len(HEADER_FIELDS)  # the word holding the number of public memory cells
HEADER = N_PUBLIC_MEMORY + 1  # words before the (address, value) pairs
