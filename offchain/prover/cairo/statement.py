"""The public statement of a Cairo run as the AIR sees it, its encoding as field elements, and the
checks and quantities the verifier derives from it without the trace."""
from __future__ import annotations

from dataclasses import dataclass

from offchain.prover.field import P, inv
from offchain.prover.cairo.layout import SUPPORTED_RC_FILL
from offchain.prover.cairo.runner_files import AirPublicInput

SUPPORTED_LAYOUTS = ("small",)
# The builtins this AIR implements, in the order Cairo lays out their pointers on the stack.
# Bit k of CairoStatement.builtins says the program uses BUILTINS[k].
BUILTINS = ("output", "range_check")
_LAYOUT_BUILTIN_ORDER = ("output", "pedersen", "range_check", "ecdsa")
_HEADER = 14  # field elements before the public memory pairs
# Proof mode starts the execution segment right after the program with two stack cells (the
# return fp and pc of main's caller) before the initial ap.
PROOF_MODE_STACK_CELLS = 2


class StatementError(ValueError):
    """The public statement is malformed or inconsistent."""


def _program_builtins(pi: AirPublicInput) -> int:
    """Which builtins the program uses, read off the public memory: proof mode puts the initial
    builtin pointers at [initial_ap + k] and main returns the final ones at [final_ap - n + k]."""
    cells = {c.address: c.value for c in pi.public_memory}
    n = sum(1 for a in cells if pi.initial_ap <= a < pi.final_ap) // 2
    initial = [cells[pi.initial_ap + k] for k in range(n)]
    final = [cells[pi.final_ap - n + k] for k in range(n)]
    used, k = [], 0
    for name in _LAYOUT_BUILTIN_ORDER:
        seg = pi.segments.get(name)
        if seg and k < n and (initial[k], final[k]) == (seg.begin, seg.stop):
            used.append(name)
            k += 1
    if k != n or any(name not in BUILTINS for name in used):
        raise StatementError(f"program builtins {used} (of {n} pointers) not supported; this AIR has {BUILTINS}")
    return sum(1 << BUILTINS.index(name) for name in used)


@dataclass(frozen=True)
class CairoStatement:
    builtins: int
    n_rc_fill: int
    rc_min: int
    rc_max: int
    initial_pc: int
    final_pc: int
    initial_ap: int
    final_ap: int
    rc_begin: int
    rc_stop: int
    output_begin: int
    output_stop: int
    program_begin: int
    program_length: int
    public_memory: tuple[tuple[int, int], ...]  # (address, value), addresses strictly increasing

    @classmethod
    def from_public_input(cls, pi: AirPublicInput, n_rc_fill: int) -> "CairoStatement":
        if pi.layout not in SUPPORTED_LAYOUTS:
            raise StatementError(f"layout {pi.layout!r} not supported (only {SUPPORTED_LAYOUTS})")
        rc, out = pi.segments["range_check"], pi.segments["output"]
        return cls(
            builtins=_program_builtins(pi),
            n_rc_fill=n_rc_fill,
            rc_min=pi.rc_min,
            rc_max=pi.rc_max,
            initial_pc=pi.initial_pc,
            final_pc=pi.final_pc,
            initial_ap=pi.initial_ap,
            final_ap=pi.final_ap,
            rc_begin=rc.begin,
            rc_stop=rc.stop,
            output_begin=out.begin,
            output_stop=out.stop,
            program_begin=pi.initial_pc,
            # The runner's execution segment begins at the initial ap, so this is the bytecode length.
            program_length=pi.initial_ap - PROOF_MODE_STACK_CELLS - pi.initial_pc,
            public_memory=tuple(sorted((c.address, c.value) for c in pi.public_memory)),
        )

    def to_field_elements(self) -> list[int]:
        words = [
            self.builtins, self.n_rc_fill, self.rc_min, self.rc_max, self.initial_pc, self.final_pc, self.initial_ap,
            self.final_ap, self.rc_begin, self.rc_stop, self.output_begin, self.output_stop, self.program_begin,
            self.program_length,
        ]
        words.append(len(self.public_memory))
        for address, value in self.public_memory:
            words += [address, value]
        return words

    @classmethod
    def from_field_elements(cls, words: list[int]) -> "CairoStatement":
        if len(words) < _HEADER + 1:
            raise StatementError("Cairo public input too short")
        n_public = words[_HEADER]
        if len(words) != _HEADER + 1 + 2 * n_public:
            raise StatementError("Cairo public input length does not match its public memory size")
        pairs = words[_HEADER + 1 :]
        return cls(*words[:_HEADER], public_memory=tuple(zip(pairs[0::2], pairs[1::2])))

    def builtin_segments(self) -> list[tuple[str, int, int]]:
        """(name, begin, stop) of each builtin the program uses, in stack order."""
        bounds = {"output": (self.output_begin, self.output_stop), "range_check": (self.rc_begin, self.rc_stop)}
        return [(name, *bounds[name]) for k, name in enumerate(BUILTINS) if self.builtins >> k & 1]

    def program(self) -> list[int]:
        """The program bytecode: the first program_length public memory cells (problems() checks
        that they are the addresses program_begin, program_begin + 1, ...)."""
        return [value for _, value in self.public_memory[: self.program_length]]

    def check_program(self, bytecode: list[int]) -> None:
        """Raises unless bytecode is exactly the program of this statement (what the fact registry
        checks before hashing it): a prefix or an extension is refused."""
        if len(bytecode) != self.program_length:
            raise StatementError(f"program has {len(bytecode)} words; the statement's has {self.program_length}")
        if list(bytecode) != self.program():
            raise StatementError("program words differ from the statement's program segment")

    def output(self) -> list[int]:
        by_address = dict(self.public_memory)
        return [by_address[a] for a in range(self.output_begin, self.output_stop)]

    def problems(self, trace_length: int) -> list[str]:
        """Why this statement cannot be a valid Cairo statement for a trace of trace_length rows."""
        out = []
        if self.n_rc_fill not in SUPPORTED_RC_FILL:
            out.append(f"n_rc_fill {self.n_rc_fill} is not one of {SUPPORTED_RC_FILL} (the counts the on-chain AIR has)")
        if not 0 <= self.rc_min <= self.rc_max < 2**16:
            out.append("rc_min/rc_max are not 16-bit bounds in order")
        addresses = [a for a, _ in self.public_memory]
        # Increasing order makes distinctness, the program and the output checkable in one pass.
        if any(b <= a for a, b in zip(addresses, addresses[1:])):
            out.append("public memory addresses are not strictly increasing")
        out += self._program_problems(addresses)
        if any(not 0 < a < 2**64 for a in addresses):
            out.append("public memory address out of range (address 0 is reserved for the dummy accesses)")
        if not self.rc_begin <= self.rc_stop <= self.rc_begin + trace_length // 8:
            out.append("range_check segment exceeds the builtin's capacity (one cell per 8 steps)")
        if not self.output_begin <= self.output_stop:
            out.append("output segment ends before it begins")
        listed = set(addresses)
        if any(a not in listed for a in range(self.output_begin, self.output_stop)):
            out.append("an output cell is missing from the public memory")
        if not 0 <= self.builtins < 1 << len(BUILTINS):
            out.append("unknown builtins")
        else:
            # The segments claimed are the ones the program's builtin pointers ran over.
            by_address = dict(self.public_memory)
            used = self.builtin_segments()
            for k, (name, begin, stop) in enumerate(used):
                if by_address.get(self.initial_ap + k) != begin or by_address.get(self.final_ap - len(used) + k) != stop:
                    out.append(f"{name} segment bounds differ from the program's {name} pointers")
            names = {name for name, _, _ in used}
            if "output" not in names and self.output_stop != self.output_begin:
                out.append("output segment not empty but the program has no output builtin")
            if "range_check" not in names and self.rc_stop != self.rc_begin:
                out.append("range_check segment not empty but the program has no range_check builtin")
        if any(not 0 <= v < 2**64 for v in (self.initial_pc, self.final_pc, self.initial_ap, self.final_ap)):
            out.append("register boundary values out of range")
        return out

    def _program_problems(self, addresses: list[int]) -> list[str]:
        """The program is pinned: it starts at the initial pc, it is the first program_length public
        cells, and the execution segment (whose start fixes the initial ap) follows it directly, so
        neither a prefix nor an extension of the program can be claimed."""
        out = []
        if self.program_begin != self.initial_pc:
            out.append("the program does not begin at the initial pc")
        if not 0 < self.program_length <= len(addresses):
            out.append("program length is zero or exceeds the public memory")
        elif addresses[: self.program_length] != list(range(self.program_begin, self.program_begin + self.program_length)):
            out.append("the first public memory cells are not the program segment")
        if self.initial_ap != self.program_begin + self.program_length + PROOF_MODE_STACK_CELLS:
            out.append("the execution segment does not start right after the program")
        return out

    def public_memory_product(self, z: int, alpha: int) -> int:
        """What the memory running product must end at: each public cell is one (0, 0) dummy
        access in the unsorted list (factor z) and the real (address, value) in the sorted list,
        so the quotient is z^k / Π (z - (address + alpha·value))."""
        denominator = 1
        for address, value in self.public_memory:
            denominator = denominator * (z - (address + alpha * value)) % P
        return pow(z, len(self.public_memory), P) * inv(denominator) % P
