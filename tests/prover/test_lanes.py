"""The pedersen and ecdsa lanes (offchain/prover/cairo/layout.py) against the libraries that define
the builtins, and against a forger:
- known answers: the hash lane's outputs are fast-stark-crypto's Pedersen on random and edge
  inputs (the reference and the native lane); the signature lane accepts exactly the signatures
  fast-stark-crypto's verify accepts — valid ones and a catalogue of invalid ones — but for the
  message 0, where fast-stark-crypto accepts a forgery anyone can make and cairo-lang's verify
  (the ecdsa builtin's, which the lane follows) refuses;
- the canonical decomposition: an input laid out as a + P (also 252 bits, another hash) breaks
  the bit-unpacking constraints;
- tampering: each pedersen and ecdsa constraint, broken in one cell of a real batch's trace, is
  reported by name (evaluated natively on every row), and refused in Solidity too;
- forged batches: a transfer signed by another key and a wrong Merkle path make the run fail, and
  a proof of the honest batch's trace doctored to carry them is refused by both verifiers."""
import random

import fast_stark_crypto
import pytest
import stark_native
from web3.exceptions import ContractLogicError

from offchain.crypto.signature import Signature, verify as project_verify
from offchain.prover.cairo import constraints as C
from offchain.prover.cairo import curve
from offchain.prover.cairo import layout as L
from offchain.prover.cairo.air import CairoAir
from offchain.prover.cairo.examples import EXAMPLE_PROGRAMS, run_example
from offchain.prover.cairo.trace import TraceBuildError, build_trace, ecdsa_block, pedersen_block
from offchain.prover.field import P
from offchain.prover.native import NativeBackend, ints, to_ints, words
from offchain.prover.native.cairo import build_trace as native_trace, curve_constants

from .batches import transfer_batch, transfer_batch_input

N = curve.EC_ORDER
RNG = random.Random(12)
NATIVE = NativeBackend()
CHALLENGES = [RNG.randrange(P) for _ in range(3)]


# --- known answers: the hash ----------------------------------------------------------------

EDGES = [0, 1, 2, P - 1, P - 2, 2**248 - 1, 2**248, 2**251 - 1, 2**251, 2**251 + 2**196 - 1, 2**251 + 2**196,
         2**251 + 2**196 + 2**192 - 1]  # P - 1 = 2^251 + 2^196 + 2^192


def test_hash_lane_outputs_are_fast_stark_crypto_pedersen():
    pairs = [(a, b) for a in EDGES for b in (0, P - 1, a)] + [(RNG.randrange(P), RNG.randrange(P)) for _ in range(24)]
    expected = [fast_stark_crypto.pedersen_hash(a, b) for a, b in pairs]
    blocks = [pedersen_block(a, b) for a, b in pairs]
    assert [h for _, h in blocks] == expected
    columns, outputs = stark_native.pedersen_lane([(words([a]), words([b])) for a, b in pairs], curve_constants())
    assert ints(outputs) == expected
    native = to_ints(columns)
    assert all(native[c][512 * k + i] == rows[i][c] % P for k, (rows, _) in enumerate(blocks)
               for i in range(L.PEDERSEN_ROWS) for c in range(L.PEDERSEN_WIDTH))


def test_a_run_of_random_hashes_passes_every_constraint():
    values = [RNG.randrange(P) for _ in range(5)] + [P - 1, 0]
    files = run_example("pedersen_chain", {"values": values, "idle": 600})
    trace = build_trace(files)
    acc, expected = 0, []
    for v in values:
        acc = fast_stark_crypto.pedersen_hash(acc, v)
        expected.append(acc)
    assert trace.statement.output() == expected
    assert violations(trace.main, trace) == {}


# --- known answers: the signature -----------------------------------------------------------

def fast_stark_crypto_accepts(key: int, message: int, r: int, s: int) -> bool:
    try:
        return bool(fast_stark_crypto.verify(key, message, r, s))
    except BaseException:  # noqa: BLE001 — it panics (a Rust panic) on some malformed inputs
        return False


def table_accepts(key: int, message: int, r: int, s: int) -> bool:
    """Whether the reference and the native lane both lay out the signature (else both refuse)."""
    if not (0 < s < N and 0 <= key < P and 0 <= message < P and 0 <= r < P):
        return False
    w = pow(s, -1, N)
    if w >= P:
        return False
    try:
        ecdsa_block(key, message, r, w)
        reference = True
    except TraceBuildError:
        reference = False
    try:
        stark_native.ecdsa_lane([words([key, message, r, w])], curve_constants())
        native = True
    except stark_native.TraceBuildError:
        native = False
    assert reference == native, (key, message, r, s)
    return reference


def _forgery_on_message_zero(key: int) -> tuple[int, int]:
    """(r, s) that fast-stark-crypto accepts for the message 0 and any key Q, without its private
    key: R = u·Q, r = R.x, s = r/u, since s·R = r·Q is the equation when z = 0."""
    from starkware.crypto.signature.math_utils import ec_mult

    point = (key, curve.y_of(key))
    while True:
        u = RNG.randrange(1, N)
        r = ec_mult(u, point, curve.ALPHA, P)[0]
        s = r * pow(u, -1, N) % N
        if 0 < r < 2**251 and pow(s, -1, N) < 2**251:
            return r, s


def signature_cases() -> list[tuple[str, int, int, int, int]]:
    """(label, key, message, r, s): valid signatures and a catalogue of invalid ones."""
    cases = []
    for k in range(6):
        private, message = RNG.randrange(1, N), RNG.randrange(1, 2**251)
        key = fast_stark_crypto.get_public_key(private)
        r, s = fast_stark_crypto.sign(private, message)
        cases += [(f"valid {k}", key, message, r, s), (f"valid, s negated {k}", key, message, r, N - s)]
    private = 0xA11CE
    key, message = fast_stark_crypto.get_public_key(private), 0x123456789
    r, s = fast_stark_crypto.sign(private, message)
    other = fast_stark_crypto.get_public_key(private + 1)
    high_w = pow(2**251 + 12345, -1, N)  # an s whose w = s^-1 mod n is at least 2^251
    off_curve = next(x for x in range(2, 100) if curve.y_of(x) is None)
    cases += [
        ("another message", key, message + 1, r, s), ("another key", other, message, r, s),
        ("r + 1", key, message, r + 1, s), ("s + 1", key, message, r, s + 1), ("r and s swapped", key, message, s, r),
        ("r = 0", key, message, 0, s), ("s = 0", key, message, r, 0), ("r = 2^251", key, message, 2**251, s),
        ("r = 2^251 + r", key, message, r + 2**251, s), ("s = n", key, message, r, N), ("s = n + s", key, message, r, N + s),
        ("w >= 2^251", key, message, r, high_w), ("message = 2^251", key, 2**251, r, s),
        ("message + 2^251", key, message + 2**251, r, s), ("key off the curve", off_curve, message, r, s),
        ("key = 0", 0, message, r, s),
    ]
    return cases


@pytest.mark.parametrize("label,key,message,r,s", signature_cases(), ids=[c[0] for c in signature_cases()])
def test_signature_lane_accepts_what_fast_stark_crypto_accepts(label, key, message, r, s):
    assert table_accepts(key, message, r, s) == fast_stark_crypto_accepts(key, message, r, s)
    assert table_accepts(key, message, r, s) == label.startswith("valid")


def test_message_zero_is_refused_where_fast_stark_crypto_accepts_a_forgery():
    """The one difference, deliberate: with z = 0 the check is s·R = r·Q, which anyone solves for
    any key. cairo-lang's verify (mimic_ec_mult_air: 0 < m) and its ecdsa builtin refuse it, so does
    the lane (z_nonzero), and so does the project's own verify since this issue."""
    key = fast_stark_crypto.get_public_key(0xB0B)
    r, s = _forgery_on_message_zero(key)
    assert fast_stark_crypto_accepts(key, 0, r, s)
    assert not table_accepts(key, 0, r, s)
    assert not project_verify(key, 0, Signature(r, s))


# --- the canonical decomposition --------------------------------------------------------------

def violations(main, trace, aux=None) -> dict[str, int]:
    """Every constraint of the trace's AIR the columns break, with its lowest row (native)."""
    air = CairoAir.for_trace(trace)
    main = main if isinstance(main, stark_native.Columns) else NATIVE.columns(main, air.main_width, air.trace_length)
    aux = aux if aux is not None else air.native_aux_trace(main, CHALLENGES)
    return NATIVE.violations(air, [main, aux], CHALLENGES)


@pytest.mark.parametrize("value,rule", [
    (2**193, "canonical_zeros_193_195"), (2**200, "canonical_zeros_197_250"), (1, "canonical_zeros_1_191"),
    (0, "canonical_zero_bit0"),
])
def test_an_input_decomposed_as_value_plus_p_is_refused(value, rule):
    """value + P < 2^252 is another bit pattern of the same field element (the memory cell and the
    lane's suffix agree mod P) hashing to another point: the bit-unpacking constraints refuse it."""
    files = run_example("pedersen_chain", {"values": [value], "idle": 400})
    trace = build_trace(files)
    lay = trace.layout
    rows, _ = pedersen_block(0, value + P, canonical=False)
    main = [list(c) for c in trace.main]
    for c in range(L.PEDERSEN_WIDTH):
        for i in range(L.PEDERSEN_ROWS):
            main[lay.pedersen(0, c)][i] = rows[i][c] % P
    found = violations(main, trace)
    assert f"pedersen_0/{rule}" in found and found[f"pedersen_0/{rule}"] == L.HASH_HALF


# --- tampering with a real batch's trace ------------------------------------------------------

@pytest.fixture(scope="module")
def batch_trace():
    """The trace of a one-transfer batch (the runner's 8,192 steps, 19 pedersen lanes, one ecdsa
    lane), natively, and the rows of its first hash's and its signature's bits."""
    trace = native_trace(transfer_batch(1))
    assert violations(trace.main, trace) == {}
    return trace


def _bit_rows(trace, column: int, firsts: tuple[int, ...], count: int) -> tuple[int, int]:
    """A row with bit 1 and a row with bit 0 of the suffix column among rows first .. first + count
    - 1, for the first of `firsts` (a unit's or a half's first row) that has both."""
    for first in firsts:
        s = [ints(trace.main.cell(column, first + i))[0] for i in range(count + 1)]
        bits = [s[i] - 2 * s[i + 1] for i in range(count)]
        if 0 in bits and 1 in bits:
            return first + bits.index(1), first + bits.index(0)
    raise AssertionError("no input with both bit values")


def pedersen_tampers(trace) -> dict[str, tuple[int, int]]:
    """A cell of pedersen lane 0 (its first hash) for each constraint: (column, row)."""
    lay = trace.layout

    def lane(c):
        return lay.pedersen(0, c)

    one, zero = _bit_rows(trace, lane(L.PED_SUFFIX), (0, L.HASH_HALF), L.HASH_BITS)
    slot = [lay.pedersen_slot_row(0, t) for t in range(3)]
    return {
        "bit": (lane(L.PED_SUFFIX), one), "add_slope": (lane(L.PED_SLOPE), one), "add_x": (lane(L.PED_X), one + 1),
        "add_y": (lane(L.PED_Y), one + 1), "copy_x": (lane(L.PED_X), zero + 1), "copy_y": (lane(L.PED_Y), zero + 1),
        "input_bits_end": (lane(L.PED_SUFFIX), L.HASH_BITS), "start_x": (lane(L.PED_X), 0),
        "start_y": (lane(L.PED_Y), 0), "second_input_x": (lane(L.PED_X), L.HASH_HALF),
        "second_input_y": (lane(L.PED_Y), L.HASH_HALF), "canonical_bit196": (lane(L.PED_SLOPE), L.HASH_BITS),
        "canonical_bit192": (lane(L.PED_SLOPE), L.HASH_BITS + 1), "input_x_value": (L.BX_VAL, slot[0]),
        "input_y_value": (L.BX_VAL, slot[1]), "output_value": (L.BX_VAL, slot[2]),
        "input_y_address": (L.BX_ADDR, slot[1]), "output_address": (L.BX_ADDR, slot[2]),
        "first_address": (L.BX_ADDR, slot[0]), "next_block_address": (L.BX_ADDR, L.PEDERSEN_ROWS + slot[0]),
    }


# Reached by an input laid out as value + P: test_an_input_decomposed_as_value_plus_p_is_refused.
CANONICAL = {"canonical_zeros_197_250", "canonical_zeros_193_195", "canonical_zeros_1_191", "canonical_zero_bit0"}


def ecdsa_tampers(trace) -> dict[str, tuple[int, int]]:
    """A cell of ecdsa lane 0 (the batch's signature) for each constraint: (column, row)."""
    lay = trace.layout

    def lane(c):
        return lay.ecdsa(0, c)

    one, zero = _bit_rows(trace, lane(L.EC_SUFFIX), (0,), L.EC_BITS)
    u, h = L.EC_UNIT, L.EC_HELPER_ROW
    key, message = lay.ecdsa_slot_row(0, 0), lay.ecdsa_slot_row(0, 1)
    return {
        "bit": (lane(L.EC_SUFFIX), one), "add_slope": (lane(L.EC_PS), one), "add_x": (lane(L.EC_PX), one + 1),
        "add_y": (lane(L.EC_PY), one + 1), "copy_x": (lane(L.EC_PX), zero + 1), "copy_y": (lane(L.EC_PY), zero + 1),
        "x_differ": (lane(L.EC_XI), zero), "double_slope": (lane(L.EC_DS), zero), "double_x": (lane(L.EC_DX), zero + 1),
        "double_y": (lane(L.EC_DY), zero + 1), "generator_x": (lane(L.EC_DX), 0), "generator_y": (lane(L.EC_DY), 0),
        "zg_start_x": (lane(L.EC_PX), 0), "zg_start_y": (lane(L.EC_PY), 0), "z_bound": (lane(L.EC_SUFFIX), L.EC_BITS),
        "rq_start_x": (lane(L.EC_PX), u), "rq_start_y": (lane(L.EC_PY), u), "key_x_squared": (lane(L.EC_PX), h),
        "key_on_curve": (lane(L.EC_DY), u), "r_bound": (lane(L.EC_SUFFIX), u + L.EC_BITS),
        "b_slope": (lane(L.EC_PY), h), "b_x_differ": (lane(L.EC_PS), h), "b_x": (lane(L.EC_DX), 2 * u),
        "b_y": (lane(L.EC_DY), 2 * u), "wb_start_x": (lane(L.EC_PX), 2 * u), "wb_start_y": (lane(L.EC_PY), 2 * u),
        "w_bound": (lane(L.EC_SUFFIX), 2 * u + L.EC_BITS), "r_slope": (lane(L.EC_SUFFIX), h),
        "r_x_differ": (lane(L.EC_XI), h), "r_is_x": (lane(L.EC_SUFFIX), u), "z_nonzero": (lane(L.EC_DX), h),
        "r_nonzero": (lane(L.EC_DY), h), "w_nonzero": (lane(L.EC_DS), h), "key_value": (L.BX_VAL, key),
        "message_value": (L.BX_VAL, message), "message_address": (L.BX_ADDR, message),
        "first_address": (L.BX_ADDR, key), "next_block_address": (L.BX_ADDR, L.ECDSA_ROWS + key),
    }


def test_the_tampers_cover_every_lane_constraint(batch_trace):
    lay = batch_trace.layout
    assert set(pedersen_tampers(batch_trace)) | CANONICAL == {c.name for c in C.pedersen_constraints(lay, 2**13)}
    assert set(ecdsa_tampers(batch_trace)) == {c.name for c in C.ecdsa_constraints(lay, 2**13)}


@pytest.mark.parametrize("kind", ["pedersen", "ecdsa"])
def test_each_lane_constraint_broken_in_one_cell_is_reported_by_name(batch_trace, kind):
    tampers = pedersen_tampers(batch_trace) if kind == "pedersen" else ecdsa_tampers(batch_trace)
    for name, (column, row) in tampers.items():
        value = ints(batch_trace.main.cell(column, row))[0]
        tampered = batch_trace.main.replaced(column, row, words([value + 1]))
        found = violations(tampered, batch_trace)
        assert f"{kind}_0/{name}" in found, (name, sorted(found))


# --- the Solidity AIR: the same constraints, and a tampered trace's proof refused -------------

@pytest.fixture(scope="module")
def verifier_stack(project, accounts):
    """The Cairo verifier stack, its store holding the examples' and the batch program."""
    from offchain.core.batch_program import compiled_program
    from offchain.core.facts import program_bytecode
    from offchain.core.l1.stark import deploy_cairo_verifier, register_program
    from offchain.prover.cairo.statement import CairoStatement

    stack = deploy_cairo_verifier(project, accounts[0])
    for name in ("pedersen_chain", "signatures"):
        files = run_example(name, EXAMPLE_PROGRAMS[name][0])
        register_program(stack.programs, accounts[0], CairoStatement.from_run(files).program())
    register_program(stack.programs, accounts[0], program_bytecode(compiled_program()))
    return stack


def python_composition(air, ood: list[int], challenges: list[int], alpha: int, z: int) -> int:
    """sum_k alpha^k N_k(z) / Z_k(z) from out-of-domain values, as the Python verifier computes it."""
    from offchain.prover.air import Frame
    from offchain.prover.composition import periodic_at, vanishing_at
    from offchain.prover.field import inv, powers

    rows = {o: [None] * air.width for o in air.offsets}
    for (c, o), v in zip(air.mask(), ood):
        rows[o][c] = v
    numerators = air.evaluate(Frame(rows), periodic_at(air.periodic_columns(), air.trace_length, z), challenges)
    total = 0
    for coeff, c, num in zip(powers(alpha, len(numerators)), air.constraints(), numerators):
        total += coeff * (num % P) * inv(vanishing_at(c.rows, air.trace_length, z))
    return total % P


def test_the_solidity_air_is_the_python_air_on_statements_with_lanes(project, verifier_stack, batch_trace):
    """CairoAir (one contract, its components evaluated in loops) against the Python AIR at random
    out-of-domain values: the shape and the composition value, for hash lanes, a signature lane
    and a one-transfer batch (19 pedersen lanes, 8 fill columns)."""
    air_contract = project.CairoAir.at(verifier_stack.verifier.air())
    traces = [native_trace(run_example(name, EXAMPLE_PROGRAMS[name][0])) for name in ("pedersen_chain", "signatures")]
    for trace in [*traces, batch_trace]:
        air = CairoAir.for_trace(trace)
        shape = air_contract.shape(air.trace_length, air.public_inputs)
        assert (shape.mainWidth, shape.auxWidth) == (air.main_width, air.aux_width)
        assert list(zip(shape.maskColumns, shape.maskOffsets)) == air.mask()
        ood = [RNG.randrange(P) for _ in air.mask()]
        challenges, alpha, z = [RNG.randrange(P) for _ in range(3)], RNG.randrange(P), RNG.randrange(P)
        solidity = air_contract.compositionAtOod(air.trace_length, air.public_inputs, challenges, ood, alpha, z)
        assert solidity == python_composition(air, ood, challenges, alpha, z)


def _refused_everywhere(stack, trace, main) -> None:
    """A proof of the tampered columns (the prover's checks off) is refused in Python and on-chain."""
    from offchain.prover import ProofError, ProofParams, prove
    from offchain.prover.cairo.prove import verify_run
    from offchain.prover.cairo.statement import Programs

    air = CairoAir.for_trace(trace)
    proof = prove(air, main, ProofParams(), check=False).to_bytes()
    with pytest.raises(ProofError):
        verify_run(proof, Programs([trace.statement.program()]))
    web3 = stack.verifier.provider.web3
    data = stack.verifier.verify.encode_input(proof)
    with pytest.raises(ContractLogicError):  # a revert (a custom error of the verifier), not a node failure
        web3.eth.call({"to": stack.verifier.address, "data": "0x" + bytes(data).hex(), "gas": 1_000_000_000})


@pytest.mark.parametrize("kind,program", [("pedersen", "pedersen_chain"), ("ecdsa", "signatures")])
def test_each_lane_constraint_broken_in_one_cell_is_refused_on_chain(verifier_stack, kind, program):
    """On the examples' traces (2,048 and 4,096 rows: a proof each second), every tamper of the
    batch test above, proven anyway, is refused by both verifiers."""
    trace = native_trace(run_example(program, EXAMPLE_PROGRAMS[program][0]))
    tampers = pedersen_tampers(trace) if kind == "pedersen" else ecdsa_tampers(trace)
    for name, (column, row) in tampers.items():
        value = ints(trace.main.cell(column, row))[0]
        tampered = trace.main.replaced(column, row, words([value + 1]))
        assert f"{kind}_0/{name}" in violations(tampered, trace), name
        _refused_everywhere(verifier_stack, trace, tampered)


def test_an_input_decomposed_as_value_plus_p_is_refused_on_chain(verifier_stack):
    files = run_example("pedersen_chain", {"values": [1], "idle": 400})
    trace = build_trace(files)
    rows, _ = pedersen_block(0, 1 + P, canonical=False)
    main = [list(c) for c in trace.main]
    for c in range(L.PEDERSEN_WIDTH):
        for i in range(L.PEDERSEN_ROWS):
            main[trace.layout.pedersen(0, c)][i] = rows[i][c] % P
    _refused_everywhere(verifier_stack, trace, main)  # the same program as the examples' run


# --- forged batches: the run fails, and a proof of a doctored trace is refused --------------

def _malicious():
    """tests/cairo/malicious.py (the batch program with edited hints), by path: the repository's
    cairo/ folder shadows tests/cairo as a package name."""
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "cairo" / "malicious.py"
    spec = importlib.util.spec_from_file_location("malicious_batch_prover", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_a_transfer_signed_by_another_key_cannot_produce_an_accepted_update(verifier_stack, batch_trace):
    """The run: cairo-lang's ecdsa builtin refuses the signature. The doctored trace: the honest
    one-transfer batch's trace with its signature lane laid out for the forger's signature (the
    same key and message, signed by another private key; every step computed, the last check
    x(wB - S) = r left false): the lane's r_is_x breaks, and the proof is refused by both."""
    from offchain.core.batch_program import BatchRejected, run_batch
    from offchain.crypto.signature import private_to_public_key, sign

    forger = 0xF0F0
    batch_input = transfer_batch_input(1)
    transaction = batch_input["transactions"][0]
    assert int(transaction["sender_public_key"]) != private_to_public_key(forger)
    files = transfer_batch(1)
    (entry,) = files.private_input.other_builtins["ecdsa"]
    lay, statement = batch_trace.layout, batch_trace.statement
    (ecdsa_begin,) = [b for name, b, _ in statement.builtin_segments() if name == "ecdsa"]
    cell = ecdsa_begin + 2 * int(entry["index"])
    key, message = files.memory[cell], files.memory[cell + 1]
    forged = sign(forger, message)
    transaction["signature"] = {"r": forged.r, "s": forged.s}
    with pytest.raises(BatchRejected):
        run_batch(batch_input)

    rows = ecdsa_block(key, message, forged.r, pow(forged.s, -1, N), verified=False)
    main = to_ints(batch_trace.main)
    for c in range(L.ECDSA_WIDTH):
        for i in range(L.ECDSA_ROWS):
            main[lay.ecdsa(0, c)][i] = rows[i][c]
    assert "ecdsa_0/r_is_x" in violations(main, batch_trace)
    _refused_everywhere(verifier_stack, batch_trace, main)


def test_a_wrong_merkle_path_cannot_produce_an_accepted_update(verifier_stack, batch_trace):
    """The run: a prover's hint gives the previous positions root other children; the program
    hashes them (pedersen builtin) and the root check fails. The doctored trace: the honest
    batch's trace claiming another new positions root — the root's hash cell, every copy the
    program made of it and the output word changed alike, so the memory and the CPU stay
    consistent — but the pedersen lane computed the true root: output_value breaks, and the
    proof is refused by both verifiers."""
    from dataclasses import replace

    malicious = _malicious()
    wrong_path = malicious.Tamper("perpetual.finalize.finalize_positions", """
        _left, _right = preimage[ids.prev_root]
        preimage[ids.prev_root] = (_left, (_right + 1) % PRIME)
    """)
    refused = malicious.run_tampered(transfer_batch_input(1), [wrong_path])
    assert isinstance(refused, malicious.BatchRejected), refused

    statement, lay = batch_trace.statement, batch_trace.layout
    ((begin, stop),) = [(b, e) for name, b, e in statement.builtin_segments() if name == "pedersen"]
    memory, output = transfer_batch(1).memory, statement.output()
    hashes = [memory[a] for a in range(begin + 2, stop, 3) if a in memory]
    root = next(h for h in reversed(hashes) if h in output)  # the last hash the output carries: a new root
    honest = to_ints(batch_trace.main)
    main = [[(666 if v == root else v) for v in column] for column in honest]
    for k in range(lay.n_pedersen_lanes):  # the lanes keep what they computed
        for c in range(L.PEDERSEN_WIDTH):
            main[lay.pedersen(k, c)] = honest[lay.pedersen(k, c)]
    forged = replace(statement, public_memory=tuple((a, 666 if v == root else v) for a, v in statement.public_memory))
    assert 666 in forged.output() and root not in forged.output()
    found = violations(main, replace(batch_trace, statement=forged))
    assert any(name.startswith("pedersen_") and name.endswith("/output_value") for name in found), sorted(found)
    _refused_everywhere(verifier_stack, replace(batch_trace, statement=forged), main)
