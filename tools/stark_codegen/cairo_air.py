"""Generates contracts/verifier/stark/cairo/CairoConstraintsE<k>.sol and CairoAirE<k>.sol, for each
supported number k of range-check fill columns, from the Python Cairo AIR
(offchain/prover/cairo/constraints.py): the constraint numerators are obtained by running the
Python `evaluate` on symbolic values, so the Solidity cannot disagree with it; the mask and the
row sets of the constraints come from the same module. CairoAir.sol (hand-written) dispatches a
statement to the AIR of its count. Also CairoStatementFormat.sol, the statement's format and rule
codes (tools/stark_codegen/cairo_statement.py).

Usage: python -m tools.stark_codegen.cairo_air [--check]   (--check: fail if the committed
files differ from what would be generated)."""
from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

from offchain.prover.air import Air, Frame, RowSet
from offchain.prover.cairo import constraints as C
from offchain.prover.cairo import layout as L
from offchain.prover.cairo.layout import SUPPORTED_RC_FILL, CairoLayout
from offchain.prover.cairo.statement import AIR_CONSTANTS
from offchain.prover.field import P
from tools.stark_codegen import cairo_statement
from offchain.prover.symbolic import Tape, as_operand

OUT_DIR = Path(__file__).resolve().parents[2] / "contracts" / "verifier" / "stark" / "cairo"
# The statements' numbers of range-check fill columns that get a generated AIR (the prover rounds
# its count up to one of these).
N_RC_FILL_VALUES = SUPPORTED_RC_FILL
_PROBE_LENGTHS = (1 << 10, 1 << 11)


def mask(layout: CairoLayout) -> list[tuple[int, int]]:
    """(column, offset) in proof order, as Air.mask() with CairoAir.column_offsets."""
    offsets = C.column_offsets(layout)
    width = layout.main_width + layout.aux_width
    return [(c, o) for o in range(L.RC_BUILTIN_RATIO + 1) for c in range(width) if o in offsets.get(c, (0,))]


def row_set_kind(rows_at: dict[int, RowSet]) -> tuple[int, int, tuple[int, ...]]:
    """(step, offset, excluded rows) with step 0 for a single row and negative rows counted from
    the end, checked to describe the row set at every probed trace length."""
    n = _PROBE_LENGTHS[0]
    step, offset, exclude = rows_at[n].resolved(n)
    single = step == n
    kind = (0 if single else step, offset - n if single and offset >= n // 2 else offset,
            tuple(e - n if e >= n // 2 else e for e in exclude))
    for m, rows in rows_at.items():
        expected = RowSet(kind[0], kind[1], kind[2]).resolved(m)
        if rows.resolved(m) != expected:
            raise ValueError(f"row set {rows} does not scale with the trace length")
    return kind


def _exp(e: int) -> str:
    """A row number as a Solidity expression in n."""
    return f"n - {-e}" if e < 0 else str(e)


class _Emitter:
    """Straight-line Yul over a scratch array t (one slot per tape node): no stack pressure,
    no bounds checks, so 300+ nodes fit one function and the 24 KB contract limit."""

    @staticmethod
    def operand(ref: tuple) -> str:
        kind, v = ref
        if kind == "t":
            return f"mload(add(t, {32 * (v + 1)}))"
        if kind == "c":
            return hex(v)
        name, _, idx = v.partition(":")
        if name == "memoryFinal":
            return "memoryFinal"
        return f"mload(add({name}, {32 * (int(idx) + 1)}))"

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


def generate(n_rc_fill: int) -> str:
    layout = CairoLayout(n_rc_fill)
    the_mask = mask(layout)
    tape = Tape()
    rows: dict[int, list] = {o: [None] * (layout.main_width + layout.aux_width) for o in range(L.RC_BUILTIN_RATIO + 1)}
    for i, (c, o) in enumerate(the_mask):
        rows[o][c] = tape.input(f"ood:{i}")
    constants = SimpleNamespace(**{f: tape.input(f"pub:{k}") for k, f in enumerate(AIR_CONSTANTS)})
    ctx = SimpleNamespace(layout=layout, constants=constants, memory_final=tape.input("memoryFinal"))
    challenges = [tape.input(f"ch:{k}") for k in range(3)]
    numerators = [as_operand(v) for v in C.evaluate(Frame(rows), challenges, ctx)]

    lists = {n: C.constraint_list(layout, n) for n in _PROBE_LENGTHS}
    constraints = lists[_PROBE_LENGTHS[0]]
    if len(numerators) != len(constraints):
        raise ValueError("evaluate and constraint_list disagree on the number of constraints")
    kinds: list[tuple] = []
    kind_of: list[int] = []
    for k in range(len(constraints)):
        kind = row_set_kind({n: lists[n][k].rows for n in _PROBE_LENGTHS})
        if kind not in kinds:
            kinds.append(kind)
        kind_of.append(kinds.index(kind))
    max_degree = max(c.degree for c in constraints)
    parts = _composition_parts(layout)

    em = _Emitter()
    body = [em.node(k, op, a, b) for k, (op, a, b) in enumerate(tape.nodes)]
    body += [f"mstore(add(out, {32 * (k + 1)}), {em.operand(ref)})" for k, ref in enumerate(numerators)]
    vanishing = []
    for j, (step, offset, exclude) in enumerate(kinds):
        if step == 0:
            num = f"z.sub(g.pow({_exp(offset)}))"
        else:
            num = f"z.pow(n / {step}).sub(g.pow({offset} * (n / {step})))" if offset else f"z.pow(n / {step}).sub(1)"
        den = "1"
        for e in exclude:
            den = f"PrimeField.mul({den}, z.sub(g.pow({_exp(e)})))" if den != "1" else f"z.sub(g.pow({_exp(e)}))"
        vanishing.append((num, den))

    mask_columns = bytes(c for c, _ in the_mask).hex()
    mask_offsets = bytes(o for _, o in the_mask).hex()
    name = f"CairoConstraintsE{n_rc_fill}"
    van_lines = "\n".join(f"        nums[{j}] = {num};\n        dens[{j}] = {den};" for j, (num, den) in enumerate(vanishing))
    kind_list = bytes(kind_of).hex()
    asm = "\n".join("            " + line for line in body)
    return f'''// SPDX-License-Identifier: Apache-2.0
// GENERATED by tools/stark_codegen/cairo_air.py from offchain/prover/cairo/constraints.py: do not edit.
pragma solidity ^0.8.24;

import {{PrimeField}} from "../PrimeField.sol";

/// @notice The {len(constraints)} constraints of the Cairo AIR for statements with {n_rc_fill} range-check
/// fill column(s): main width {layout.main_width}, aux width {layout.aux_width}, {len(the_mask)} mask values.
library {name} {{
    using PrimeField for uint256;

    uint256 internal constant N_RC_FILL = {n_rc_fill};
    uint256 internal constant MAIN_WIDTH = {layout.main_width};
    uint256 internal constant AUX_WIDTH = {layout.aux_width};
    uint256 internal constant N_CONSTRAINTS = {len(constraints)};
    uint256 internal constant MAX_DEGREE = {max_degree};
    uint256 internal constant N_COMPOSITION_PARTS = {parts};
    uint256 internal constant N_NODES = {len(tape.nodes)};

    function maskColumns() internal pure returns (uint256[] memory out) {{
        out = _bytes(hex"{mask_columns}");
    }}

    function maskOffsets() internal pure returns (uint256[] memory out) {{
        out = _bytes(hex"{mask_offsets}");
    }}

    /// @notice Which vanishing polynomial (index into vanishingInverses) each constraint uses.
    function rowSetOf() internal pure returns (uint256[] memory out) {{
        out = _bytes(hex"{kind_list}");
    }}

    function _bytes(bytes memory packed) private pure returns (uint256[] memory out) {{
        out = new uint256[](packed.length);
        for (uint256 i = 0; i < packed.length; i++) out[i] = uint8(packed[i]);
    }}

    /// @notice 1/Z_j(z) for each distinct row set j, g the trace domain generator.
    function vanishingInverses(uint256 n, uint256 g, uint256 z) internal view returns (uint256[] memory inv) {{
        uint256[] memory nums = new uint256[]({len(kinds)});
        uint256[] memory dens = new uint256[]({len(kinds)});
{van_lines}
        inv = PrimeField.batchInverse(nums);
        for (uint256 j = 0; j < {len(kinds)}; j++) inv[j] = inv[j].mul(dens[j]);
    }}

    /// @notice The constraint numerators at the out-of-domain point, in constraint_list order.
    /// pub: the AIR constants (statement.AIR_CONSTANTS, CairoStatementChecks.airConstants); ch: (z, alpha,
    /// z_rc); memoryFinal: the public memory product.
    function numerators(uint256[] memory ood, uint256[] memory pub, uint256[] memory ch, uint256 memoryFinal)
        internal
        pure
        returns (uint256[] memory out)
    {{
        out = new uint256[](N_CONSTRAINTS);
        uint256[] memory t = new uint256[](N_NODES);
        assembly ("memory-safe") {{
            let p := {hex(P)}
{asm}
        }}
    }}
}}
'''


def _composition_parts(layout: CairoLayout) -> int:
    """The number of composition parts, checked to be the same at every trace length."""

    class _Probe(Air):
        main_width = layout.main_width

        def __init__(self, n):
            self.trace_length = n

        def constraints(self):
            return C.constraint_list(layout, self.trace_length)

        def evaluate(self, frame, periodic, challenges):
            raise NotImplementedError

    parts = {_Probe(1 << k).n_composition_parts() for k in range(4, 25)}
    if len(parts) != 1:
        raise ValueError(f"composition parts depend on the trace length: {parts}")
    return parts.pop()


def generate_air(n_rc_fill: int) -> str:
    lib = f"CairoConstraintsE{n_rc_fill}"
    return f'''// SPDX-License-Identifier: Apache-2.0
// GENERATED by tools/stark_codegen/cairo_air.py: do not edit.
pragma solidity ^0.8.24;

import {{CairoAirBase}} from "./CairoAirBase.sol";
import {{{lib} as Constraints}} from "./{lib}.sol";

/// @notice The Cairo CPU AIR (offchain/prover/cairo/air.py) for statements with {n_rc_fill} range-check
/// fill column(s).
contract CairoAirE{n_rc_fill} is CairoAirBase {{
    constructor() CairoAirBase(Constraints.N_RC_FILL) {{}}

    function _shapeConstants()
        internal
        pure
        override
        returns (uint256 mainWidth, uint256 auxWidth, uint256 parts, uint256 maxDegree)
    {{
        return (Constraints.MAIN_WIDTH, Constraints.AUX_WIDTH, Constraints.N_COMPOSITION_PARTS, Constraints.MAX_DEGREE);
    }}

    function _mask() internal pure override returns (uint256[] memory columns, uint256[] memory offsets) {{
        return (Constraints.maskColumns(), Constraints.maskOffsets());
    }}

    function _numerators(uint256[] memory ood, uint256[] memory pub, uint256[] memory ch, uint256 memoryFinal)
        internal
        pure
        override
        returns (uint256[] memory)
    {{
        return Constraints.numerators(ood, pub, ch, memoryFinal);
    }}

    function _vanishingInverses(uint256 n, uint256 g, uint256 z) internal view override returns (uint256[] memory) {{
        return Constraints.vanishingInverses(n, g, z);
    }}

    function _rowSetOf() internal pure override returns (uint256[] memory) {{
        return Constraints.rowSetOf();
    }}
}}
'''


def outputs() -> dict[Path, str]:
    files = {OUT_DIR / "CairoStatementFormat.sol": cairo_statement.generate()}
    for e in N_RC_FILL_VALUES:
        files[OUT_DIR / f"CairoConstraintsE{e}.sol"] = generate(e)
        files[OUT_DIR / f"CairoAirE{e}.sol"] = generate_air(e)
    return files


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
