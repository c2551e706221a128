"""Generates the Solidity Cairo AIR from the Python one (offchain/prover/cairo/constraints.py,
air.py): ONE contract for every statement's counts (range-check fill columns, pedersen and ecdsa
lanes), which evaluates each constraint component with one piece of code in a loop over its
instances, as the Python AIR lays out its mask (component by component, instance by instance).

Each component's numerators are recorded by running its Python `evaluate` on symbols (the
instance number a symbol too), so the Solidity cannot disagree with it; the mask's columns and
offsets, affine in the instance number and the counts, are derived from the component's
`cells` and checked at other counts. Also written: the statement's format
(tools/stark_codegen/cairo_statement.py) and the two periodic columns of the pedersen points
(PedersenPointsX/Y.sol: their interpolants, evaluated by Horner's rule).

Usage: python -m tools.stark_codegen.cairo_air [--check]   (--check: fail if the committed
files differ from what would be generated)."""
from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

from offchain.prover import kernels
from offchain.prover.air import Air, RowSet
from offchain.prover.cairo import constraints as C
from offchain.prover.cairo import layout as L
from offchain.prover.cairo.layout import CairoLayout
from offchain.prover.cairo.statement import AIR_CONSTANTS
from offchain.prover.field import P
from offchain.prover.symbolic import Tape, as_operand
from tools.stark_codegen import cairo_statement

OUT_DIR = Path(__file__).resolve().parents[2] / "contracts" / "verifier" / "stark" / "cairo"
_PROBE_LENGTHS = (1 << 12, 1 << 13)
# The counts the affine forms of the mask are derived at, and checked at.
_BASE = dict(n_rc_fill=3, n_pedersen_lanes=3, n_ecdsa_lanes=3)
_CHECK_AT = (dict(n_rc_fill=1, n_pedersen_lanes=0, n_ecdsa_lanes=0), dict(n_rc_fill=9, n_pedersen_lanes=20, n_ecdsa_lanes=2),
             dict(n_rc_fill=64, n_pedersen_lanes=1, n_ecdsa_lanes=7))
_VARIABLES = ("instance", "n_rc_fill", "n_pedersen_lanes", "n_ecdsa_lanes")


def _cells_at(comp, counts: dict, instance: int) -> list[tuple[str, int, int]]:
    return comp.cells(CairoLayout(**counts), instance)


def affine_cells(comp) -> list[tuple[str, tuple[int, ...], tuple[int, ...]]]:
    """For each cell of the component: (name, column coefficients, offset coefficients), each
    (constant, per instance, per fill column, per pedersen lane, per ecdsa lane)."""
    base = _cells_at(comp, _BASE, 1)
    varied = []
    for v in _VARIABLES:
        counts, instance = dict(_BASE), 1
        if v == "instance":
            instance = 2
        else:
            counts[v] += 1
        varied.append(_cells_at(comp, counts, instance))
    out = []
    for j, (name, column, offset) in enumerate(base):
        dc = [cells[j][1] - column for cells in varied]
        do = [cells[j][2] - offset for cells in varied]
        c0 = column - dc[0] * 1 - sum(dc[k + 1] * _BASE[v] for k, v in enumerate(_VARIABLES[1:]))
        o0 = offset - do[0] * 1 - sum(do[k + 1] * _BASE[v] for k, v in enumerate(_VARIABLES[1:]))
        out.append((name, (c0, *dc), (o0, *do)))
    for counts in _CHECK_AT:
        lay = CairoLayout(**counts)
        for i in range(comp.instances(lay)):
            for (name, cc, oc), (name2, column, offset) in zip(out, comp.cells(lay, i)):
                values = (1, i, *(counts[v] for v in _VARIABLES[1:]))
                if name != name2 or sum(a * b for a, b in zip(cc, values)) != column or \
                        sum(a * b for a, b in zip(oc, values)) != offset:
                    raise ValueError(f"{comp.name} cell {name} is not affine in the instance and the counts")
    return out


def row_set_kind(rows_at: dict[int, RowSet]) -> tuple:
    """(step, offset, excluded rows, period, skipped residues) with step 0 for a single row and
    rows near the end counted from it, checked to describe the row set at every probed length."""
    n = _PROBE_LENGTHS[0]
    step, offset, exclude, period, skip = rows_at[n].resolved(n)
    single = step == n
    kind = (0 if single else step, offset - n if single and offset >= n // 2 else offset,
            tuple(e - n if e >= n // 2 else e for e in exclude), period, skip)
    for m, rows in rows_at.items():
        if rows.resolved(m) != RowSet(*kind).resolved(m):
            raise ValueError(f"row set {rows} does not scale with the trace length")
    return kind


def _exp(e: int) -> str:
    """A row number as a Solidity expression in n."""
    return f"n - {-e}" if e < 0 else str(e)


# Ctx's fields' offsets in memory (the struct in the generated contract, one word each).
_CTX = {name: hex(32 * k) for k, name in enumerate(
    ("scratch", "pub", "ch", "per", "acc", "memoryFinal", "alpha", "alphaPower", "first_rc_fill", "last_rc_fill"))}


class _Emitter:
    """Straight-line Yul over a scratch array t (one slot per tape node): no stack pressure."""

    def __init__(self, cells: dict[str, int], stride: int, others: dict[str, dict[str, int]]):
        self.cells, self.stride, self.others = cells, stride, others

    def operand(self, ref: tuple) -> str:
        kind, v = ref
        if kind == "t":
            return f"mload(add(t, {32 * (v + 1)}))"
        if kind == "c":
            return hex(v)
        what, _, rest = v.partition(":")
        if what == "own":
            return f"mload(add(ood, shl(5, add(b, {self.cells[rest] + 1}))))"
        if what == "prev":
            return f"mload(add(ood, shl(5, add(sub(b, {self.stride}), {self.cells[rest] + 1}))))"
        if what in ("first", "last"):
            comp, _, name = rest.partition(":")
            assert comp == "rc_fill", "only the rc_fill component's first and last instances are read"
            base = f"mload(add(c, {_CTX[what + '_rc_fill']}))"
            return f"mload(add(ood, shl(5, add({base}, {self.others[comp][name] + 1}))))"
        if what in ("pub", "ch", "per"):
            return f"mload(add(mload(add(c, {_CTX[what]})), {32 * (int(rest) + 1)}))"
        if what == "memoryFinal":
            return f"mload(add(c, {_CTX['memoryFinal']}))"
        if what == "instance":
            return "i"
        raise ValueError(f"unknown input {v}")

    def node(self, k: int, op: str, a: tuple, b: tuple) -> str:
        x, y = self.operand(a), self.operand(b)
        if op == "add":
            expr = f"addmod({x}, {y}, p)"
        elif op == "mul":
            expr = f"mulmod({x}, {y}, p)"
        else:
            neg = hex((P - b[1]) % P) if b[0] == "c" else f"sub(p, {y})"
            expr = f"addmod({x}, {neg}, p)"
        return f"mstore(add(t, {32 * (k + 1)}), {expr})"


def record(comp) -> tuple[Tape, list[tuple]]:
    """The component's numerators as a tape over symbolic inputs."""
    tape = Tape()
    probe = CairoLayout(**_BASE)
    names = {c.name: [name for name, _, _ in c.cells(probe, 1)] for c in C.COMPONENTS}

    def read(name: str, which=0, other: str | None = None):
        if which == 0:
            assert name in names[comp.name], name
            return tape.input(f"own:{name}")
        if which == -1:
            return tape.input(f"prev:{name}")
        assert name in names[other], name
        return tape.input(f"{which}:{other}:{name}")

    constants = SimpleNamespace(**{f: tape.input(f"pub:{k}") for k, f in enumerate(AIR_CONSTANTS)})
    ctx = C.Context(probe, constants, tape.input("memoryFinal"), [tape.input(f"ch:{k}") for k in range(3)],
                    [tape.input(f"per:{k}") for k in range(2)])
    numerators = [as_operand(v) for v in comp.evaluate(read, tape.input("instance"), ctx)]
    return tape, numerators


def generate() -> tuple[str, str]:
    """CairoAir.sol and CairoConstraints.sol."""
    kinds: list[tuple] = []
    components = []
    cells_of = {comp.name: {name: j for j, (name, _, _) in enumerate(affine_cells(comp))} for comp in C.COMPONENTS}
    n_nodes = 0
    for comp in C.COMPONENTS:
        tape, numerators = record(comp)
        lists = {n: comp.constraints(CairoLayout(**_BASE), n) for n in _PROBE_LENGTHS}
        template = lists[_PROBE_LENGTHS[0]]
        if len(numerators) != len(template):
            raise ValueError(f"{comp.name}: evaluate and constraints disagree on the number of constraints")
        if any(c.degree > 2 for c in template):
            raise ValueError("the Solidity AIR assumes degree <= 2 (two composition parts)")
        kind_of = []
        for k in range(len(template)):
            kind = row_set_kind({n: lists[n][k].rows for n in _PROBE_LENGTHS})
            if kind not in kinds:
                kinds.append(kind)
            kind_of.append(kinds.index(kind))
        cells = affine_cells(comp)
        em = _Emitter(cells_of[comp.name], len(cells), cells_of)
        body = [em.node(k, op, a, b) for k, (op, a, b) in enumerate(tape.nodes)]
        for k, ref in enumerate(numerators):
            body.append(f"{{ let a := add(acc, {32 * (kind_of[k] + 1)}) "
                        f"mstore(a, addmod(mload(a), mulmod(ap, {em.operand(ref)}, p), p)) ap := mulmod(ap, alpha, p) }}")
        body = ["let t := mload(c)", f"let acc := mload(add(c, {_CTX['acc']}))",
                f"let alpha := mload(add(c, {_CTX['alpha']}))", f"let ap := mload(add(c, {_CTX['alphaPower']}))",
                *body, f"mstore(add(c, {_CTX['alphaPower']}), ap)"]
        n_nodes = max(n_nodes, len(tape.nodes))
        components.append((comp, cells, body, len(template)))

    vanishing = []
    for step, offset, exclude, period, skip in kinds:
        if step == 0:
            num = f"z.sub(g.pow({_exp(offset)}))"
        elif offset:
            num = f"z.pow(n / {step}).sub(g.pow({offset} * (n / {step})))"
        else:
            num = f"z.pow(n / {step}).sub(1)"
        dens = [f"z.sub(g.pow({_exp(e)}))" for e in exclude]
        if skip:
            dens += [f"zp{period}.sub(g.pow({r} * (n / {period})))" for r in skip]
        # The trace lengths a statement using this row set has (a lane's: two of its blocks); the
        # row set is evaluated only from there (below it no constraint uses it).
        required = max(step, period if skip else 0, 1 - min((*exclude, 0)), 16)
        if exclude and step:
            required = max(required, 2 * step)
        vanishing.append((num, dens, period if skip else 0, required))
    periods = sorted({p for _, _, p, _ in vanishing if p})
    van_lines = []
    for period in periods:
        van_lines.append(f"        uint256 zp{period} = z.pow(n / {period});")
    for j, (num, dens, _, required) in enumerate(vanishing):
        den = "1"
        for d in dens:
            den = d if den == "1" else f"PrimeField.mul({den}, {d})"
        if required > 16:
            van_lines.append(f"        (nums[{j}], dens[{j}]) = n >= {required} ? ({num}, {den}) : (1, 1);")
        else:
            van_lines.append(f"        nums[{j}] = {num};")
            van_lines.append(f"        dens[{j}] = {den};")

    def coefficient_table(cells) -> str:
        out = b""
        for _, cc, oc in cells:
            for v in (*cc, *oc):
                out += int(v).to_bytes(2, "big", signed=True)
        return out.hex()

    comp_fns = []
    for comp, cells, body, n_constraints in components:
        asm = "\n".join("            " + line for line in body)
        comp_fns.append(f'''
    /// @dev The {n_constraints} constraints of one `{comp.name}` instance (constraints.py), at base index b of
    /// the out-of-domain values; adds alpha^k N_k to acc[row set of k].
    function _{comp.name}(CairoOodContext memory c, uint256[] memory ood, uint256 b, uint256 i) private pure {{
        assembly ("memory-safe") {{
            let p := {hex(P)}
{asm}
        }}
    }}''')
    tables = "\n".join(f'    bytes internal constant CELLS_{comp.name.upper()} = hex"{coefficient_table(cells)}";'
                       for comp, cells, _, _ in components)
    counts = "\n".join(f"    uint256 internal constant N_CELLS_{comp.name.upper()} = {len(cells)};"
                       for comp, cells, _, _ in components)
    n_constraints = "\n".join(f"    uint256 internal constant N_CONSTRAINTS_{comp.name.upper()} = {n};"
                              for comp, _, _, n in components)
    width_main, width_aux = _widths()
    return (f'''// SPDX-License-Identifier: Apache-2.0
// GENERATED by tools/stark_codegen/cairo_air.py from offchain/prover/cairo/constraints.py: do not edit.
pragma solidity ^0.8.24;

import {{PrimeField}} from "../PrimeField.sol";
import {{IStarkAir, AirShape}} from "../IStarkAir.sol";
import {{CairoStatementChecks}} from "./CairoStatementChecks.sol";
import {{CairoStatementFormat as F}} from "./CairoStatementFormat.sol";
import {{CairoProgramStore}} from "./CairoProgramStore.sol";
import {{CairoConstraints, CairoOodContext as Ctx}} from "./CairoConstraints.sol";

/// @notice A periodic column's value at a point: the column's interpolant over one period,
/// evaluated at y = x^(trace length / period).
interface IPeriodicColumn {{
    function evaluate(uint256 y) external pure returns (uint256);
}}

/// @notice The Cairo AIR (offchain/prover/cairo/air.py) for every statement: the CPU, memory and
/// range-check argument, the range-check fill slots, the pedersen and ecdsa lanes. The counts are
/// the statement's words (N_RC_FILL, N_PEDERSEN_LANES, N_ECDSA_LANES), bound by the channel seed;
/// each component's constraints run once per instance, over its run of the out-of-domain values.
contract CairoAir is IStarkAir {{
    using PrimeField for uint256;

    uint256 public constant MIN_TRACE_LENGTH = 16;
    uint256 internal constant N_CHALLENGES = 3;
    uint256 internal constant MAX_DEGREE = 2;
    uint256 internal constant N_COMPOSITION_PARTS = 2;
    uint256 internal constant N_ROW_SETS = {len(kinds)};
    uint256 internal constant PEDERSEN_PERIOD = {L.PEDERSEN_ROWS};
    // Mask cells per instance of each component, and its constraints.
{counts}
{n_constraints}
    // Per cell: the column and the offset as int16 coefficients of (1, instance, n_rc_fill,
    // n_pedersen_lanes, n_ecdsa_lanes).
{tables}

    CairoProgramStore public immutable programs;
    CairoConstraints public immutable constraints;
    IPeriodicColumn public immutable pedersenPointsX;
    IPeriodicColumn public immutable pedersenPointsY;

    error TraceTooShort(uint256 traceLength);

    constructor(
        CairoProgramStore programs_,
        CairoConstraints constraints_,
        IPeriodicColumn pedersenPointsX_,
        IPeriodicColumn pedersenPointsY_
    ) {{
        programs = programs_;
        constraints = constraints_;
        pedersenPointsX = pedersenPointsX_;
        pedersenPointsY = pedersenPointsY_;
    }}

    function shape(uint256 traceLength, uint256[] calldata publicInputs)
        external
        view
        override
        returns (AirShape memory s)
    {{
        if (traceLength < MIN_TRACE_LENGTH) revert TraceTooShort(traceLength);
        CairoStatementChecks.check(traceLength, publicInputs, programs);
        (uint256 e, uint256 kp, uint256 ke) = _counts(publicInputs);
        s.mainWidth = {width_main[0]} + {width_main[1]} * e + {width_main[2]} * kp + {width_main[3]} * ke;
        s.auxWidth = {width_aux[0]} + {width_aux[1]} * e + {width_aux[2]} * kp + {width_aux[3]} * ke;
        s.nChallenges = N_CHALLENGES;
        s.nCompositionParts = N_COMPOSITION_PARTS;
        s.maxDegree = MAX_DEGREE;
        uint256 size = N_CELLS_CPU + e * N_CELLS_RC_FILL + kp * N_CELLS_PEDERSEN + ke * N_CELLS_ECDSA;
        s.maskColumns = new uint256[](size);
        s.maskOffsets = new uint256[](size);
        uint256 m = _cells(s, 0, CELLS_CPU, 1, e, kp, ke);
        m = _cells(s, m, CELLS_RC_FILL, e, e, kp, ke);
        m = _cells(s, m, CELLS_PEDERSEN, kp, e, kp, ke);
        _cells(s, m, CELLS_ECDSA, ke, e, kp, ke);
    }}

    function compositionAtOod(
        uint256 traceLength,
        uint256[] calldata publicInputs,
        uint256[] calldata challenges,
        uint256[] calldata oodTrace,
        uint256 alpha,
        uint256 z
    ) external view override returns (uint256 total) {{
        Ctx memory c = _context(traceLength, publicInputs, challenges, alpha, z);
        (uint256 e, uint256 kp, uint256 ke) = _counts(publicInputs);
        _evaluate(c, oodTrace, e, kp, ke);
        return _combine(c, traceLength, z);
    }}

    /// @dev Every component instance's numerators, in the constraints' order (air.py).
    function _evaluate(Ctx memory c, uint256[] memory ood, uint256 e, uint256 kp, uint256 ke) private view {{
        c.acc = constraints.evaluate(c, ood, e, kp, ke);
    }}

    /// @dev sum over row sets j of (sum of alpha^k N_k over its constraints) / Z_j(z).
    function _combine(Ctx memory c, uint256 traceLength, uint256 z) private view returns (uint256 total) {{
        uint256[] memory inv = _vanishingInverses(traceLength, PrimeField.rootOfUnity(PrimeField.log2(traceLength)), z);
        for (uint256 j = 0; j < N_ROW_SETS; j++) {{
            total = total.add(c.acc[j].mul(inv[j]));
        }}
    }}

    function _context(
        uint256 traceLength,
        uint256[] calldata publicInputs,
        uint256[] calldata challenges,
        uint256 alpha,
        uint256 z
    ) private view returns (Ctx memory c) {{
        (uint256 e, uint256 kp,) = _counts(publicInputs);
        c.pub = CairoStatementChecks.airConstants(publicInputs);
        c.ch = challenges;
        c.periodic = new uint256[](2);
        if (kp != 0) {{
            uint256 y = z.pow(traceLength / PEDERSEN_PERIOD);
            c.periodic[0] = pedersenPointsX.evaluate(y);
            c.periodic[1] = pedersenPointsY.evaluate(y);
        }}
        c.acc = new uint256[](N_ROW_SETS);
        c.memoryFinal = CairoStatementChecks.memoryFinal(publicInputs, challenges, programs);
        c.alpha = alpha;
        c.alphaPower = 1;
        c.rcFirst = N_CELLS_CPU;
        c.rcLast = N_CELLS_CPU + (e - 1) * N_CELLS_RC_FILL;
    }}

    function _counts(uint256[] calldata w) private pure returns (uint256 e, uint256 kp, uint256 ke) {{
        return (w[F.N_RC_FILL], w[F.N_PEDERSEN_LANES], w[F.N_ECDSA_LANES]);
    }}

    /// @dev Writes `count` instances' cells of a component from position m of the mask: each cell's
    /// column and offset are c0 + c1·i + c2·e + c3·kp + c4·ke (five int16 per value in `table`).
    function _cells(AirShape memory s, uint256 m, bytes memory table, uint256 count, uint256 e, uint256 kp, uint256 ke)
        private
        pure
        returns (uint256)
    {{
        // Per cell: the column and the offset at instance 0, and their steps per instance.
        uint256 nCells = table.length / 20;
        int256[] memory at0 = new int256[](4 * nCells);
        for (uint256 j = 0; j < nCells; j++) {{
            for (uint256 v = 0; v < 2; v++) {{
                uint256 k = 20 * j + 10 * v;
                at0[4 * j + 2 * v] = _int16(table, k) + _int16(table, k + 4) * int256(e)
                    + _int16(table, k + 6) * int256(kp) + _int16(table, k + 8) * int256(ke);
                at0[4 * j + 2 * v + 1] = _int16(table, k + 2);
            }}
        }}
        uint256[] memory columns = s.maskColumns;
        uint256[] memory offsets = s.maskOffsets;
        // In assembly: hundreds of cells; every value is a column or an offset (>= 0).
        assembly ("memory-safe") {{
            for {{ let i := 0 }} lt(i, count) {{ i := add(i, 1) }} {{
                for {{ let j := 0 }} lt(j, nCells) {{ j := add(j, 1) }} {{
                    m := add(m, 1)
                    let a := add(at0, shl(7, j))
                    mstore(add(columns, shl(5, m)), add(mload(add(a, 0x20)), mul(mload(add(a, 0x40)), i)))
                    mstore(add(offsets, shl(5, m)), add(mload(add(a, 0x60)), mul(mload(add(a, 0x80)), i)))
                }}
            }}
        }}
        return m;
    }}

    function _int16(bytes memory table, uint256 at) private pure returns (int256) {{
        return int256(int16(uint16(uint8(table[at])) << 8 | uint16(uint8(table[at + 1]))));
    }}

    /// @notice 1/Z_j(z) for each distinct row set j, g the trace domain generator.
    function _vanishingInverses(uint256 n, uint256 g, uint256 z) private view returns (uint256[] memory inv) {{
        uint256[] memory nums = new uint256[](N_ROW_SETS);
        uint256[] memory dens = new uint256[](N_ROW_SETS);
{chr(10).join(van_lines)}
        inv = PrimeField.batchInverse(nums);
        for (uint256 j = 0; j < N_ROW_SETS; j++) inv[j] = inv[j].mul(dens[j]);
    }}
}}
''', f'''// SPDX-License-Identifier: Apache-2.0
// GENERATED by tools/stark_codegen/cairo_air.py from offchain/prover/cairo/constraints.py: do not edit.
pragma solidity ^0.8.24;

/// @notice What the Cairo AIR's component evaluators share (CairoAir.compositionAtOod): scratch for
/// the tape's nodes, the AIR constants, the challenges, the periodic columns' values at z, one
/// accumulator per row set, the memory product, alpha and its next power, and the out-of-domain
/// index of the first and last rc_fill instances.
struct CairoOodContext {{
    uint256[] scratch;
    uint256[] pub;
    uint256[] ch;
    uint256[] periodic;
    uint256[] acc;
    uint256 memoryFinal;
    uint256 alpha;
    uint256 alphaPower;
    uint256 rcFirst;
    uint256 rcLast;
}}

/// @notice The numerators of every constraint of the Cairo AIR at the out-of-domain point, component
/// by component, instance by instance (offchain/prover/cairo/air.py's order), each added with its
/// power of alpha to the accumulator of its row set.
contract CairoConstraints {{
    uint256 internal constant N_CELLS_CPU = {len(components[0][1])};
    uint256 internal constant N_CELLS_RC_FILL = {len(components[1][1])};
    uint256 internal constant N_CELLS_PEDERSEN = {len(components[2][1])};
    uint256 internal constant N_CELLS_ECDSA = {len(components[3][1])};
    uint256 internal constant MAX_NODES = {n_nodes};

    function evaluate(CairoOodContext memory c, uint256[] memory ood, uint256 e, uint256 kp, uint256 ke)
        external
        pure
        returns (uint256[] memory)
    {{
        c.scratch = new uint256[](MAX_NODES);
        _cpu(c, ood, 0, 0);
        uint256 b = N_CELLS_CPU + N_CELLS_RC_FILL;
        for (uint256 i = 1; i < e; i++) {{
            _rc_fill(c, ood, b, i);
            b += N_CELLS_RC_FILL;
        }}
        for (uint256 i = 0; i < kp; i++) {{
            _pedersen(c, ood, b, i);
            b += N_CELLS_PEDERSEN;
        }}
        for (uint256 i = 0; i < ke; i++) {{
            _ecdsa(c, ood, b, i);
            b += N_CELLS_ECDSA;
        }}
        return c.acc;
    }}
{"".join(comp_fns)}
}}
''')


def _widths() -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The main and aux widths as (constant, per fill column, per pedersen lane, per ecdsa lane)."""
    out = []
    for attr in ("main_width", "aux_width"):
        base = getattr(CairoLayout(1, 0, 0), attr)
        coefficients = (getattr(CairoLayout(2, 0, 0), attr) - base, getattr(CairoLayout(1, 1, 0), attr) - base,
                        getattr(CairoLayout(1, 0, 1), attr) - base)
        constant = base - coefficients[0]
        for e, kp, ke in ((5, 7, 2), (64, 0, 3)):
            if constant + coefficients[0] * e + coefficients[1] * kp + coefficients[2] * ke != \
                    getattr(CairoLayout(e, kp, ke), attr):
                raise ValueError(f"{attr} is not affine in the counts")
        out.append((constant, *coefficients))
    return out[0], out[1]


def periodic_column(name: str, values: list[int]) -> str:
    """A contract evaluating the interpolant of a column's values over <w_m> by Horner's rule."""
    coeffs = kernels.intt(values)
    lines = "\n".join(f"            r := addmod(mulmod(r, y, p), {hex(c)}, p)" for c in reversed(coeffs[:-1]))
    return f'''// SPDX-License-Identifier: Apache-2.0
// GENERATED by tools/stark_codegen/cairo_air.py from offchain/prover/cairo/constraints.py: do not edit.
pragma solidity ^0.8.24;

import {{IPeriodicColumn}} from "./CairoAir.sol";

/// @notice The pedersen lanes' periodic column {name} (constraints.pedersen_periodic_columns, period
/// {len(values)}): its interpolant p over the period's roots of unity, p(y) by Horner's rule.
contract {name} is IPeriodicColumn {{
    function evaluate(uint256 y) external pure returns (uint256 r) {{
        assembly {{
            let p := {hex(P)}
            r := {hex(coeffs[-1])}
{lines}
        }}
    }}
}}
'''


def outputs() -> dict[Path, str]:
    x, y = C.pedersen_periodic_columns()
    air, constraints = generate()
    return {
        OUT_DIR / "CairoStatementFormat.sol": cairo_statement.generate(),
        OUT_DIR / "CairoAir.sol": air,
        OUT_DIR / "CairoConstraints.sol": constraints,
        OUT_DIR / "PedersenPointsX.sol": periodic_column("PedersenPointsX", x),
        OUT_DIR / "PedersenPointsY.sol": periodic_column("PedersenPointsY", y),
    }


def main(argv: list[str]) -> int:
    files = outputs()
    if "--check" in argv:
        stale = [str(p) for p, text in files.items() if not p.exists() or p.read_text() != text]
        if stale:
            print("stale generated files: " + ", ".join(stale))
            return 1
        return 0
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        path.write_text(text)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
