"""Builds the Cairo AIR trace (layout.py) from the runner's files, and its interaction columns:
the reference, in Python ints, that the native builder (offchain/prover/native/cairo.py) is
tested against."""
from __future__ import annotations

from dataclasses import dataclass

from offchain.prover.field import P, batch_inverse, inv, is_power_of_two
from offchain.prover.cairo import curve
from offchain.prover.cairo import layout as L
from offchain.prover.cairo.decode import OFFSET_BIAS, Flag, decode
from offchain.prover.cairo.layout import CairoLayout
from offchain.prover.cairo.runner_files import RunnerFiles
from offchain.prover.cairo.statement import CairoStatement


class TraceBuildError(ValueError):
    """The run cannot be laid out in this AIR (missing memory, too few free cells, an invalid
    builtin instance, ...)."""


@dataclass
class CairoTrace:
    statement: CairoStatement
    layout: CairoLayout
    main: list  # column-major, layout.main_width columns of trace_length rows (lists of ints, or native columns)

    @property
    def trace_length(self) -> int:
        native_length = getattr(self.main, "length", None)  # native columns know their length
        return native_length if native_length is not None else len(self.main[0])


@dataclass(frozen=True)
class Geometry:
    """The trace height and the lane counts of a run (layout.py, GEOMETRY)."""

    trace_length: int
    n_pedersen_lanes: int
    n_ecdsa_lanes: int


def run_steps(files: RunnerFiles) -> int:
    """The steps up to the first one at the end loop (`jmp rel 0` at final_pc): a trace of at
    least this many rows (and at most the runner's n_steps, whose builtin segments the runner
    allocated) holds the run."""
    final_pc = files.public_input.final_pc
    for i, step in enumerate(files.trace):
        if step.pc == final_pc:
            return i + 1
    raise TraceBuildError("the run never reaches the end loop (final_pc)")


def used_instances(files: RunnerFiles, name: str) -> int:
    segment = files.public_input.segments.get(name)
    if segment is None or name not in files.builtins:
        return 0
    return -(-segment.size // L.CELLS_PER_INSTANCE[name])


def lanes_for(files: RunnerFiles, trace_length: int) -> tuple[int, int]:
    """The fewest pedersen and ecdsa lanes that hold the run's instances in trace_length rows
    (one when the program uses the builtin but no instance)."""
    out = []
    for name, rows in (("pedersen", L.PEDERSEN_ROWS), ("ecdsa", L.ECDSA_ROWS)):
        if name not in files.builtins:
            out.append(0)
            continue
        per_lane = trace_length // rows
        if per_lane < 2:
            raise TraceBuildError(f"a {name} lane needs {2 * rows} rows; the trace has {trace_length}")
        out.append(max(1, -(-used_instances(files, name) // per_lane)))
    return out[0], out[1]


def choose_geometry(files: RunnerFiles, trace_length: int | None = None) -> Geometry:
    """The trace height (trace_length if given, else the runner's n_steps) and the lanes for it.
    Raises TraceBuildError if the run does not fit."""
    pi = files.public_input
    n = pi.n_steps if trace_length is None else trace_length
    if len(files.trace) != pi.n_steps:
        raise TraceBuildError(f"trace has {len(files.trace)} steps; expected n_steps={pi.n_steps}")
    if not is_power_of_two(n) or n < 2 * L.RC_BUILTIN_RATIO:
        raise TraceBuildError(f"trace length {n} is not a power of two >= 16")
    if n > pi.n_steps:
        raise TraceBuildError(f"trace length {n} exceeds the runner's {pi.n_steps} steps, whose builtin segments "
                              "the runner allocated")
    if n < pi.n_steps and run_steps(files) > n:
        raise TraceBuildError(f"the run takes {run_steps(files)} steps; a trace of {n} rows cannot hold it")
    k_p, k_e = lanes_for(files, n)
    if not L.slot_rows_fit(k_p, k_e):
        raise TraceBuildError(f"{k_p} pedersen and {k_e} ecdsa lanes do not fit the builtin slot at {n} rows")
    return Geometry(n, k_p, k_e)


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


# --- the pedersen lane --------------------------------------------------------------------------

def pedersen_block(a: int, b: int, canonical: bool = True) -> tuple[list[list[int]], int]:
    """One hash's 512 rows of a pedersen lane (columns in PED_* order) and H(a, b). canonical=False
    (tests only) lays out any 252-bit inputs, e.g. a + P: what the lane's constraints must refuse."""
    rows = [[0] * L.PEDERSEN_WIDTH for _ in range(L.PEDERSEN_ROWS)]
    point = curve.SHIFT_POINT
    for half, value in enumerate((a, b)):
        if not 0 <= value < (P if canonical else 2**L.HASH_BITS):
            raise TraceBuildError(f"pedersen input {value:#x} is not a field element")
        base = L.HASH_HALF * half
        for i in range(L.HASH_BITS + 1):
            row = rows[base + i]
            row[L.PED_SUFFIX] = value >> i
            row[L.PED_X], row[L.PED_Y] = point
            if i < L.HASH_BITS and value >> i & 1:
                point, row[L.PED_SLOPE] = curve.add(point, curve.HASH_POINTS[half][i])
        bit = [value >> j & 1 for j in (251, 196, 192)]
        rows[base + L.HASH_BITS][L.PED_SLOPE] = bit[0] * bit[1]
        rows[base + L.HASH_BITS + 1][L.PED_SLOPE] = bit[0] * bit[1] * bit[2]
    return rows, point[0]


# --- the ecdsa lane -----------------------------------------------------------------------------

def _unit(rows: list[list[int]], first: int, scalar: int, base: curve.Point, start: curve.Point) -> curve.Point:
    """An ecdsa unit: start + scalar·base over 256 rows from `first`; returns the end point.
    Raises curve.CurveError where cairo-lang's mimic_ec_mult_air fails (equal x)."""
    point, double = start, base
    for i in range(L.EC_BITS + 1):
        row = rows[first + i]
        row[L.EC_SUFFIX] = scalar >> i
        row[L.EC_PX], row[L.EC_PY] = point
        row[L.EC_DX], row[L.EC_DY] = double
        if i < L.EC_BITS:
            if (point[0] - double[0]) % P == 0:
                raise curve.CurveError("partial sum and doubled point share x")
            row[L.EC_XI] = inv(point[0] - double[0])
            if scalar >> i & 1:
                point, row[L.EC_PS] = curve.add(point, double)
            double, row[L.EC_DS] = curve.double(double)
    return point


def ecdsa_block(public_key: int, message: int, r: int, w: int, verified: bool = True) -> list[list[int]]:
    """One signature's 1024 rows of an ecdsa lane (columns in EC_* order). Raises
    TraceBuildError unless cairo-lang's signature.verify accepts (r, w^-1) for (public_key,
    message) with the AIR's steps. verified=False (tests only) lays out a signature that does
    not verify, every step computed but x(wB - S) != r: what the lane's constraints must refuse."""
    if not (0 < message < 2**L.EC_BITS and 0 < r < 2**L.EC_BITS and 0 < w < 2**L.EC_BITS):
        raise TraceBuildError(f"signature of {message:#x}: message, r and w must be in [1, 2^251)")
    y = curve.y_of(public_key)
    if y is None:
        raise TraceBuildError(f"public key {public_key:#x} is not on the curve")
    for key_y in (y, (-y) % P):
        rows = [[0] * L.ECDSA_WIDTH for _ in range(L.ECDSA_ROWS)]
        try:
            zg = _unit(rows, 0, message, curve.GENERATOR, curve.neg(curve.SHIFT_POINT))
            rq = _unit(rows, L.EC_UNIT, r, (public_key, key_y), curve.SHIFT_POINT)
            b, b_slope = curve.add(zg, rq)
            wb = _unit(rows, 2 * L.EC_UNIT, w, b, curve.SHIFT_POINT)
            _unit(rows, 3 * L.EC_UNIT, 0, curve.GENERATOR, curve.SHIFT_POINT)
            x, r_slope = curve.add(wb, curve.neg(curve.SHIFT_POINT))
        except curve.CurveError:
            continue
        if x[0] != r and verified:
            continue
        helper = rows[L.EC_HELPER_ROW]
        helper[L.EC_Q_X_SQUARED] = public_key * public_key % P
        helper[L.EC_B_SLOPE], helper[L.EC_B_XI] = b_slope, inv(zg[0] - rq[0])
        helper[L.EC_R_SLOPE], helper[L.EC_R_XI] = r_slope, inv(wb[0] - curve.SHIFT_POINT[0])
        helper[L.EC_Z_INV], helper[L.EC_R_INV], helper[L.EC_W_INV] = inv(message), inv(r), inv(w)
        return rows
    raise TraceBuildError(f"the signature (r={r:#x}) of {message:#x} by {public_key:#x} does not verify")


_idle: tuple[int, int, int, int] | None = None


def idle_signature() -> tuple[int, int, int, int]:
    """(public key, message, r, w) of the instance an unused ecdsa slot holds: cairo-lang's
    signature (RFC 6979 nonce) by the private key 1 (public key G.x) of the message 1."""
    global _idle
    if _idle is None:
        from starkware.crypto.signature.signature import sign

        r, s = sign(1, 1)
        w = pow(s, -1, curve.EC_ORDER)
        assert 0 < w < 2**L.EC_BITS, "the idle signature's w is in range"
        _idle = (curve.GENERATOR[0], 1, r, w)
    return _idle


# --- the whole trace ----------------------------------------------------------------------------

def _private(files: RunnerFiles, name: str) -> dict[int, dict]:
    return {int(e["index"]): e for e in files.private_input.other_builtins.get(name, [])}


def _int(value) -> int:
    return int(value, 16) if isinstance(value, str) else int(value)


def build_trace(files: RunnerFiles, n_rc_fill: int | None = None, trace_length: int | None = None) -> CairoTrace:
    """Lays out one proof-mode run in `trace_length` rows (default: choose_geometry's). n_rc_fill
    (the number of range-check fill columns) defaults to the fewest that hold every value
    missing from [rc_min, rc_max]. Raises statement.StatementError if the run's statement breaks
    a rule, TraceBuildError if the run does not fit the layout or a builtin instance is invalid."""
    pi = files.public_input
    geometry = choose_geometry(files, trace_length)
    n = geometry.trace_length
    statement = CairoStatement.from_run(files, 1, geometry.n_pedersen_lanes, geometry.n_ecdsa_lanes)
    statement.check(n)
    memory = files.memory
    rows = [_cpu_row(s.pc, s.ap, s.fp, memory) for s in files.trace[:n]]
    segments = {name: (begin, stop) for name, begin, stop in statement.builtin_segments()}
    lay1 = statement.layout_of()

    # Range-check builtin cells on rows 8j, when the program uses it; cells past its stop pointer
    # get limbs rc_min, within the range. Without it the lane has no cells (its limbs are rc_min).
    unused_value = sum(pi.rc_min << (L.RC_LIMB_BITS * t) for t in range(L.RC_LIMBS))
    rc_cells: list[tuple[int, int]] = []
    if "range_check" in segments:
        begin, stop = segments["range_check"]
        for address in range(begin, begin + n // L.RC_BUILTIN_RATIO):
            if address < stop and address not in memory:
                raise TraceBuildError(f"range_check cell {address} has no value")
            rc_cells.append((address, memory.get(address, unused_value)))
        limbs = [limb for _, value in rc_cells for limb in _limbs(value)]
    else:
        limbs = [pi.rc_min] * n

    # The lanes and their memory cells in the builtin slot, by row.
    bx: dict[int, tuple[int, int]] = {}
    pedersen = [[[0] * n for _ in range(L.PEDERSEN_WIDTH)] for _ in range(geometry.n_pedersen_lanes)]
    if "pedersen" in segments:
        begin, stop = segments["pedersen"]
        for block in range(n // L.PEDERSEN_ROWS):
            for k in range(geometry.n_pedersen_lanes):
                address = begin + 3 * (block * geometry.n_pedersen_lanes + k)
                a, b = (memory.get(address + t, 0) for t in range(2))
                if address < stop and not (address in memory and address + 1 in memory):
                    raise TraceBuildError(f"pedersen instance at {address} has no inputs")
                lane_rows, h = pedersen_block(a, b)
                if memory.get(address + 2, h) != h:
                    raise TraceBuildError(f"pedersen output at {address + 2} is not H({a:#x}, {b:#x})")
                for i, row in enumerate(lane_rows):
                    for c, value in enumerate(row):
                        pedersen[k][c][block * L.PEDERSEN_ROWS + i] = value % P
                for t, value in enumerate((a, b, h)):
                    bx[block * L.PEDERSEN_ROWS + lay1.pedersen_slot_row(k, t)] = (address + t, value)
    ecdsa = [[[0] * n for _ in range(L.ECDSA_WIDTH)] for _ in range(geometry.n_ecdsa_lanes)]
    if "ecdsa" in segments:
        begin, stop = segments["ecdsa"]
        signatures = _private(files, "ecdsa")
        for block in range(n // L.ECDSA_ROWS):
            for e in range(geometry.n_ecdsa_lanes):
                index = block * geometry.n_ecdsa_lanes + e
                address = begin + 2 * index
                if address < stop:
                    if index not in signatures or address not in memory or address + 1 not in memory:
                        raise TraceBuildError(f"ecdsa instance {index} at {address} has no signature or no cells")
                    sig = signatures[index]["signature_input"]
                    instance = (memory[address], memory[address + 1], _int(sig["r"]), _int(sig["w"]))
                else:
                    instance = idle_signature()
                lane_rows = ecdsa_block(*instance)
                for i, row in enumerate(lane_rows):
                    for c, value in enumerate(row):
                        ecdsa[e][c][block * L.ECDSA_ROWS + i] = value % P
                for t in range(2):
                    bx[block * L.ECDSA_ROWS + lay1.ecdsa_slot_row(e, t)] = (address + t, instance[t])

    # Public memory dummies, holes and padding for the free memory slots: mx on the rows without
    # a range_check cell, bx on the rows without a lane cell, row by row, mx first.
    public = statement.public_cells()
    accessed = {a for r in rows for a in (r[L.PC], r[L.DST_ADDR], r[L.OP0_ADDR], r[L.OP1_ADDR])}
    accessed |= {a for a, _ in rc_cells} | {a for a, _ in bx.values()} | {a for a, _ in public}
    holes = [(a, 0) for a in range(min(accessed), max(accessed) + 1) if a not in accessed]
    free = []
    for i in range(n):
        if i % L.RC_BUILTIN_RATIO or not rc_cells:
            free.append((i, L.MX_ADDR))
        if i not in bx:
            free.append((i, L.BX_ADDR))
    extras = [(0, 0)] * len(public) + holes
    if len(extras) > len(free):
        raise TraceBuildError(
            f"{len(public)} public cells and {len(holes)} memory holes exceed the {len(free)} free memory slots"
        )
    mx: list = [None] * n
    for j, cell in enumerate(rc_cells):
        mx[j * L.RC_BUILTIN_RATIO] = cell
    slot = {L.MX_ADDR: mx, L.BX_ADDR: [bx.get(i) for i in range(n)]}
    for k, (i, column) in enumerate(free):
        slot[column][i] = extras[k] if k < len(extras) else (rows[i][L.PC], rows[i][L.INST])

    # Range-check fill values.
    rc_values = [r[c] for r in rows for c in (L.OFF_DST, L.OFF_OP0, L.OFF_OP1)] + limbs
    present = set(rc_values)
    if min(present) < pi.rc_min or max(present) > pi.rc_max:
        raise TraceBuildError("a range-checked value lies outside [rc_min, rc_max]")
    missing = [v for v in range(pi.rc_min, pi.rc_max + 1) if v not in present]
    needed = max(1, -(-len(missing) // n))
    if n_rc_fill is None:
        n_rc_fill = needed
    elif n_rc_fill < needed:
        raise TraceBuildError(f"{len(missing)} range-check fill values need {needed} fill columns")
    if n_rc_fill > L.MAX_RC_FILL:
        raise TraceBuildError(f"{len(missing)} range-check fill values need {n_rc_fill} fill columns, more than "
                              f"{L.MAX_RC_FILL}")
    statement = CairoStatement.from_run(files, n_rc_fill, geometry.n_pedersen_lanes, geometry.n_ecdsa_lanes)
    layout = statement.layout_of()
    fills = missing + [pi.rc_min] * (n * n_rc_fill - len(missing))

    # Sorted copies: real accesses with the public cells in place of the dummies.
    unsorted_mem = [(r[a], r[v]) for r in rows for a, v in L.UNSORTED_MEM[:4]]
    unsorted_mem += [cell for column in slot.values() for cell in column if cell != (0, 0)]
    sorted_mem = sorted(unsorted_mem + public)
    if len(sorted_mem) != n * L.MEM_SLOTS:
        raise TraceBuildError("the program accesses address 0, which is reserved for public memory dummies")
    sorted_rc = sorted(rc_values + fills)

    main = [[0] * n for _ in range(layout.main_width)]
    for i, r in enumerate(rows):
        for c, value in enumerate(r):
            main[c][i] = value % P
        main[L.MX_ADDR][i], main[L.MX_VAL][i] = mx[i]
        main[L.BX_ADDR][i], main[L.BX_VAL][i] = slot[L.BX_ADDR][i]
        main[L.RC_LIMB][i] = limbs[i]
        for s in range(L.MEM_SLOTS):
            address, value = sorted_mem[i * L.MEM_SLOTS + s]
            main[layout.sorted_mem_addr(s)][i] = address
            main[layout.sorted_mem_val(s)][i] = value
        for k in range(n_rc_fill):
            main[layout.rc_fill(k)][i] = fills[i * n_rc_fill + k]
        for s in range(layout.rc_slots):
            main[layout.sorted_rc + s][i] = sorted_rc[i * layout.rc_slots + s]
    for k, lane in enumerate(pedersen):
        for c, column in enumerate(lane):
            main[layout.pedersen(k, c)] = column
    for e, lane in enumerate(ecdsa):
        for c, column in enumerate(lane):
            main[layout.ecdsa(e, c)] = column
    return CairoTrace(statement, layout, main)


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
