"""Builds the Cairo AIR trace (layout.py) from the runner's files, and its interaction columns."""
from __future__ import annotations

from dataclasses import dataclass, replace

from offchain.prover.field import P, batch_inverse, is_power_of_two
from offchain.prover.cairo import layout as L
from offchain.prover.cairo.decode import OFFSET_BIAS, Flag, decode
from offchain.prover.cairo.layout import CairoLayout
from offchain.prover.cairo.runner_files import RunnerFiles
from offchain.prover.cairo.statement import CairoStatement


class TraceBuildError(ValueError):
    """The run cannot be laid out in this AIR (missing memory, too few free cells, ...)."""


@dataclass
class CairoTrace:
    statement: CairoStatement
    layout: CairoLayout
    main: list  # column-major, layout.main_width columns of trace_length rows (lists of ints, or native columns)

    @property
    def trace_length(self) -> int:
        native_length = getattr(self.main, "length", None)  # native columns know their length
        return native_length if native_length is not None else len(self.main[0])


def _cpu_row(pc: int, ap: int, fp: int, memory: dict[int, int]) -> list[int]:
    """The CPU columns of one step (columns 0 .. 32 of the layout)."""
    def read(address: int) -> int:
        if address not in memory:
            raise TraceBuildError(f"step at pc={pc} reads address {address}, which has no value")
        return memory[address]

    inst = read(pc)
    d = decode(inst)
    f = d.flags
    off_dst, off_op0, off_op1 = (d.off_dst - OFFSET_BIAS, d.off_op0 - OFFSET_BIAS, d.off_op1 - OFFSET_BIAS)
    dst_addr = (fp if f[Flag.DST_REG] else ap) + off_dst
    op0_addr = (fp if f[Flag.OP0_REG] else ap) + off_op0
    dst, op0 = read(dst_addr), read(op0_addr)
    if f[Flag.OP1_IMM]:
        op1_base = pc
    elif f[Flag.OP1_AP]:
        op1_base = ap
    elif f[Flag.OP1_FP]:
        op1_base = fp
    else:
        op1_base = op0
    op1_addr = (op1_base + off_op1) % P
    op1 = read(op1_addr)
    mul = op0 * op1 % P
    if f[Flag.PC_JNZ]:
        # The paper's choice: res = dst^-1 (0 if dst = 0), so that t1 = f_jnz·dst·res is 1
        # exactly when the jump is taken.
        res = pow(dst, P - 2, P) if dst else 0
    elif f[Flag.RES_ADD]:
        res = (op0 + op1) % P
    elif f[Flag.RES_MUL]:
        res = mul
    else:
        res = op1
    t0 = dst if f[Flag.PC_JNZ] else 0
    t1 = t0 * res % P
    return (
        [pc, ap, fp, inst, d.off_dst, d.off_op0, d.off_op1]
        + d.flag_prefixes()
        + [dst_addr, dst, op0_addr, op0, op1_addr, op1, res, t0, t1, mul]
    )


def _limbs(value: int) -> list[int]:
    if not 0 <= value < 2 ** (L.RC_LIMBS * L.RC_LIMB_BITS):
        raise TraceBuildError(f"range_check builtin value {value:#x} is not below 2^128")
    mask = (1 << L.RC_LIMB_BITS) - 1
    return [(value >> (L.RC_LIMB_BITS * t)) & mask for t in range(L.RC_LIMBS)]


def build_trace(files: RunnerFiles, n_rc_fill: int | None = None) -> CairoTrace:
    """Lays out one proof-mode run. n_rc_fill (the number of range-check fill columns) defaults
    to the fewest of layout.SUPPORTED_RC_FILL (the counts the on-chain verifier has an AIR for)
    that hold every value missing from [rc_min, rc_max]. Raises statement.StatementError if the
    run's statement breaks a rule (a program using a builtin this AIR does not implement, a run
    that did not reach the end loop, ...), TraceBuildError if the run does not fit the layout."""
    pi = files.public_input
    steps = files.trace
    n = len(steps)
    if n != pi.n_steps or not is_power_of_two(n) or n < L.RC_BUILTIN_RATIO * 2:
        raise TraceBuildError(f"trace has {n} steps; expected n_steps={pi.n_steps}, a power of two >= 16")
    statement = CairoStatement.from_run(files, L.SUPPORTED_RC_FILL[0])
    statement.check(n)
    memory = files.memory
    rows = [_cpu_row(s.pc, s.ap, s.fp, memory) for s in steps]

    # Range-check builtin cells on rows 8j, when the program uses it; cells past its stop pointer
    # get limbs rc_min, within the range. Without it the lane has no cells (its limbs are rc_min).
    rc_segment = {name: (begin, stop) for name, begin, stop in statement.builtin_segments()}.get("range_check")
    unused_value = sum(pi.rc_min << (L.RC_LIMB_BITS * t) for t in range(L.RC_LIMBS))
    rc_cells: list[tuple[int, int]] = []
    if rc_segment:
        begin, stop = rc_segment
        for address in range(begin, begin + n // L.RC_BUILTIN_RATIO):
            if address < stop and address not in memory:
                raise TraceBuildError(f"range_check cell {address} has no value")
            rc_cells.append((address, memory.get(address, unused_value)))
        limbs = [limb for _, value in rc_cells for limb in _limbs(value)]
    else:
        limbs = [pi.rc_min] * n

    # Public memory dummies, holes and padding for the free memory slots (the rows without a
    # range_check cell).
    public = list(statement.public_memory)
    accessed = {a for r in rows for a in (r[L.PC], r[L.DST_ADDR], r[L.OP0_ADDR], r[L.OP1_ADDR])}
    accessed |= {a for a, _ in rc_cells} | {a for a, _ in public}
    holes = [(a, 0) for a in range(min(accessed), max(accessed) + 1) if a not in accessed]
    free_rows = [i for i in range(n) if i % L.RC_BUILTIN_RATIO or not rc_segment]
    extras = [(0, 0)] * len(public) + holes
    if len(extras) > len(free_rows):
        raise TraceBuildError(
            f"{len(public)} public cells and {len(holes)} memory holes exceed the {len(free_rows)} free memory slots"
        )
    mx = [None] * n
    for j, (address, value) in enumerate(rc_cells):
        mx[j * L.RC_BUILTIN_RATIO] = (address, value)
    for k, i in enumerate(free_rows):
        mx[i] = extras[k] if k < len(extras) else (rows[i][L.PC], rows[i][L.INST])

    # Range-check fill values.
    rc_values = [r[c] for r in rows for c in (L.OFF_DST, L.OFF_OP0, L.OFF_OP1)] + limbs
    present = set(rc_values)
    if min(present) < pi.rc_min or max(present) > pi.rc_max:
        raise TraceBuildError("a range-checked value lies outside [rc_min, rc_max]")
    missing = [v for v in range(pi.rc_min, pi.rc_max + 1) if v not in present]
    needed = max(1, -(-len(missing) // n))
    if n_rc_fill is None:
        n_rc_fill = next((k for k in L.SUPPORTED_RC_FILL if k >= needed), needed)
    elif n_rc_fill < needed:
        raise TraceBuildError(f"{len(missing)} range-check fill values need {needed} fill columns")
    layout = CairoLayout(n_rc_fill)
    fills = missing + [pi.rc_min] * (n * n_rc_fill - len(missing))

    # Sorted copies: real accesses with the public cells in place of the dummies.
    unsorted_mem = [
        (r[a], r[v]) for r in rows for a, v in L.UNSORTED_MEM[:4]
    ] + [cell for cell in mx if cell != (0, 0)]
    sorted_mem = sorted(unsorted_mem + public)
    if len(sorted_mem) != n * L.MEM_SLOTS:
        raise TraceBuildError("the program accesses address 0, which is reserved for public memory dummies")
    sorted_rc = sorted(rc_values + fills)

    main = [[0] * n for _ in range(layout.main_width)]
    for i, r in enumerate(rows):
        for c, value in enumerate(r):
            main[c][i] = value % P
        main[L.MX_ADDR][i], main[L.MX_VAL][i] = mx[i]
        main[L.RC_LIMB][i] = limbs[i]
        for s in range(L.MEM_SLOTS):
            address, value = sorted_mem[i * L.MEM_SLOTS + s]
            main[layout.sorted_mem_addr(s)][i] = address
            main[layout.sorted_mem_val(s)][i] = value
        for k in range(n_rc_fill):
            main[layout.rc_fill(k)][i] = fills[i * n_rc_fill + k]
        for s in range(layout.rc_slots):
            main[layout.sorted_rc + s][i] = sorted_rc[i * layout.rc_slots + s]
    return CairoTrace(replace(statement, n_rc_fill=n_rc_fill), layout, main)


def build_aux_columns(layout: CairoLayout, main: list[list[int]], challenges: list[int]) -> list[list[int]]:
    """Running products of the memory (z, alpha) and range-check (z_rc) permutation arguments,
    one column per slot: after slot s of row i, Π over all earlier elements of
    (z - unsorted) / (z - sorted), in the order row by row, slot by slot."""
    z, alpha, z_rc = challenges
    n = len(main[0])
    mem_num, mem_den = [], []
    for i in range(n):
        for s in range(L.MEM_SLOTS):
            a, v = L.UNSORTED_MEM[s]
            mem_num.append((z - (main[a][i] + alpha * main[v][i])) % P)
            mem_den.append((z - (main[layout.sorted_mem_addr(s)][i] + alpha * main[layout.sorted_mem_val(s)][i])) % P)
    rc_num, rc_den = [], []
    for i in range(n):
        for s in range(layout.rc_slots):
            rc_num.append((z_rc - main[layout.unsorted_rc[s]][i]) % P)
            rc_den.append((z_rc - main[layout.sorted_rc + s][i]) % P)
    aux = []
    for num, den, slots in ((mem_num, mem_den, L.MEM_SLOTS), (rc_num, rc_den, layout.rc_slots)):
        inverses = batch_inverse(den)
        columns = [[0] * n for _ in range(slots)]
        acc = 1
        for k in range(len(num)):
            acc = acc * num[k] % P * inverses[k] % P
            columns[k % slots][k // slots] = acc
        aux += columns
    return aux
