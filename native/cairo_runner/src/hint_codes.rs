//! The exact text of every hint hints.rs implements, as cairo-compile writes it into the
//! program (dedented). The program's own are in cairo/perpetual/ (docs/batch-input.md lists them);
//! the MERKLE_ ones are cairo-lang 0.14.0.1's starkware/cairo/common/merkle_multi_update.cairo.
//! tests/cairo/test_runner_differential.py checks that the compiled program holds no hint outside
//! cairo-vm's library and this table (and `_load_tx` calls, recognised by their form), so a
//! change to a hint's text shows there, and the changed program runs on cairo-lang meanwhile.

pub const DEFINE_HINT_HELPERS: &str = r#"from fast_stark_crypto import pedersen_hash as _H

_TX_TYPES = {
    "DEPOSIT": 0, "FORCED_TRADE": 1, "FORCED_WITHDRAWAL": 2, "FUNDING_TICK": 3,
    "ORACLE_PRICES_TICK": 4, "TRADE": 5, "TRANSFER": 6, "LIQUIDATE": 7,
    "WITHDRAWAL": 8, "DELEVERAGE": 9, "CONDITIONAL_TRANSFER": 10,
    "WITHDRAWAL_TO_ADDRESS": 11,
}
_EMPTY_POSITION = {"public_key": 0, "collateral_balance": 0, "assets": {}}

def _felt(value):
    return int(value) % PRIME

def _signed(value):
    value = int(value) % PRIME
    return value - PRIME if value > PRIME // 2 else value

def _get(obj, path):
    for part in path.split("."):
        obj = obj[part]
    return obj

def _load_tx(ref, tx, names):
    for name in names:
        setattr(ref, name.replace(".", "_"), _felt(_get(tx, name)))

def _sorted_assets(position):
    return sorted((_felt(k), v) for k, v in position.get("assets", {}).items())

def _write_position(position):
    assets = _sorted_assets(position)
    flat = []
    for asset_id, asset in assets:
        flat += [asset_id, _felt(asset["cached_funding_index"]), _felt(asset["balance"])]
    return segments.gen_arg([
        _felt(position["public_key"]), _felt(position["collateral_balance"]),
        len(assets), flat])

def _position_leaf(position):
    # The leaf of docs/program-output.md, computed in the field as position_hash does.
    assets = _sorted_assets(position)
    acc = 0
    for asset_id, asset in assets:
        acc = _H(acc, _felt(asset_id * 2**128 + (int(asset["cached_funding_index"]) + 2**63)
                            * 2**64 + int(asset["balance"]) + 2**63))
    inner = _H(acc, _felt(position["public_key"]))
    return _H(inner, _felt((int(position["collateral_balance"]) + 2**63) * 2**16
                           + len(assets)))

class _LazyPositions(dict):
    def __missing__(self, key):
        stored = program_input["previous_state"]["positions"].get(str(key), _EMPTY_POSITION)
        value = _write_position(stored)
        self[key] = value
        return value

def _sparse_root(leaves, height, empty_leaf, preimage):
    # Root of a height-`height` tree whose leaves are `empty_leaf` except `leaves`
    # (index -> value); records every internal node's children in `preimage`.
    empty = [empty_leaf]
    for _ in range(height):
        node = _H(empty[-1], empty[-1])
        preimage[node] = (empty[-1], empty[-1])
        empty.append(node)
    level = dict(leaves)
    for depth in range(height):
        parents = {}
        for index in {i >> 1 for i in level}:
            left = level.get(2 * index, empty[depth])
            right = level.get(2 * index + 1, empty[depth])
            node = _H(left, right)
            preimage[node] = (left, right)
            parents[index] = node
        level = parents
    return level.get(0, empty[height])

_EMPTY_POSITION_LEAF = _position_leaf(_EMPTY_POSITION)"#;

pub const MAIN: &str = r#"ids.minimum_expiration_timestamp = _felt(program_input["minimum_expiration_timestamp"])
ids.n_transactions = len(program_input["transactions"])"#;

pub const EXECUTE_TRANSACTION: &str = r#"tx = program_input["transactions"][ids.index]
ids.tx_type = _TX_TYPES.get(tx["type"], -1) % PRIME"#;

pub const LOAD_CONFIG: &str = r#"_cfg = program_input["general_config"]
_synthetics = []
for _s in sorted(_cfg["synthetic_assets"], key=lambda a: int(a["asset_id"])):
    _signers = [_felt(k) for k in _s.get("oracle_price_signers", [])]
    _signed_ids = [_felt(a) for a in _s.get("oracle_price_signed_asset_ids", [])]
    _synthetics.append([
        _felt(_s["asset_id"]), _felt(_s["resolution"]), _felt(_s["risk_factor"]),
        _felt(_s.get("oracle_price_quorum", 1)),
        len(_signers), _signers, len(_signed_ids), _signed_ids,
    ])
_flat_synthetics = segments.add()
for _i, _s in enumerate(_synthetics):
    segments.write_arg(_flat_synthetics + _i * ids.SyntheticAsset.SIZE, _s)
ids.config = segments.gen_arg([
    _felt(_cfg["collateral_asset_id"]), _felt(_cfg["fee_position_id"]),
    _felt(_cfg["fee_public_key"]), _felt(_cfg["positions_tree_height"]),
    _felt(_cfg["orders_tree_height"]), _felt(_cfg["max_funding_rate"]),
    len(_synthetics), _flat_synthetics, _felt(_cfg.get("data_availability_mode", 1)),
    _felt(_cfg.get("collateral_resolution", 10**6)),
    _felt(_cfg.get("price_validity_period", 86400)),
])"#;

pub const LOAD_MARKET: &str = r#"_prev = program_input["previous_state"]
def _pairs(mapping):
    flat = []
    for asset_id, value in sorted((int(k), v) for k, v in mapping.items()):
        flat += [asset_id, _felt(value)]
    return flat
ids.market = segments.gen_arg([
    len(_prev.get("funding_indices", {})), _pairs(_prev.get("funding_indices", {})),
    _felt(_prev.get("funding_timestamp", 0)),
    len(_prev.get("oracle_prices", {})), _pairs(_prev.get("oracle_prices", {})),
    _felt(_prev.get("system_time", 0)),
])"#;

pub const POSITIONS_DICT_NEW: &str = r#"if '__dict_manager' not in globals():
    from starkware.cairo.common.dict import DictManager
    __dict_manager = DictManager()
from starkware.cairo.common.dict import DictTracker
_base = segments.add()
__dict_manager.trackers[_base.segment_index] = DictTracker(
    data=_LazyPositions(), current_ptr=_base)
memory[ap] = _base"#;

pub const ORDERS_DICT_NEW: &str = r#"if '__dict_manager' not in globals():
    from starkware.cairo.common.dict import DictManager
    __dict_manager = DictManager()
from collections import defaultdict
from starkware.cairo.common.dict import DictTracker
_base = segments.add()
_orders = defaultdict(int)
_orders.update({int(k): _felt(v) for k, v in program_input["previous_state"]["orders"].items()})
__dict_manager.trackers[_base.segment_index] = DictTracker(data=_orders, current_ptr=_base)
memory[ap] = _base"#;

pub const LOAD_POSITION: &str = r#"ids.stored = __dict_manager.get_dict(ids.positions_dict)[ids.position_id]"#;

pub const FILL_ORDER: &str = r#"ids.filled = __dict_manager.get_dict(ids.orders_dict)[ids.order_id]"#;

pub const FIND_SORTED: &str = r#"ids.present = int(any(memory[ids.array + ids.elm_size * i] == ids.key for i in range(ids.n_elms)))"#;

pub const LOWER_MEDIAN: &str = r#"ids.median = sorted(memory[ids.prices + i] for i in range(ids.n))[(ids.n - 1) // 2]"#;

pub const LOAD_TRANSFER: &str = r#"_load_tx(ids.tx, tx, ["sender_position_id", "sender_public_key", "receiver_position_id",
                      "receiver_public_key", "asset_id", "amount", "nonce",
                      "expiration_timestamp", "signature.r", "signature.s"])
if tx["type"] == "CONDITIONAL_TRANSFER":
    _load_tx(ids.tx, tx, ["src_fee_position_id"])"#;

pub const LOAD_ORDER: &str = r#"_load_tx(ids.order, tx[{1: "party_a_order", 2: "party_b_order",
                        3: "liquidator_order"}[ids.key]],
         ["position_id", "public_key", "asset_id_synthetic", "asset_id_collateral",
          "amount_synthetic", "amount_collateral", "amount_fee", "is_buying_synthetic",
          "nonce", "expiration_timestamp", "signature.r", "signature.s"])"#;

pub const CONDITION: &str = r#"from eth_hash.auto import keccak as _keccak
ids.condition = int.from_bytes(_keccak(
    tx["fact_registry_address"].to_bytes(20, "big") + tx["fact"].to_bytes(32, "big")),
    "big") & (2 ** 250 - 1)"#;

pub const FUNDING_TICK: &str = r#"_tick = tx["global_funding_indices"]
_pairs = sorted((int(k), int(v)) for k, v in _tick["indices"].items())
ids.n_indices = len(_pairs)
ids.indices = segments.gen_arg([_felt(x) for pair in _pairs for x in pair])
ids.timestamp = _felt(_tick["timestamp"])"#;

pub const ORACLE_PRICES_TICK: &str = r#"_assets = []
for _aid, _entry in sorted((int(k), v) for k, v in tx["oracle_prices"].items()):
    _signed = []
    for _p in _entry["signed_prices"]:
        _signed += [_felt(_p["signer_key"]), _felt(_p["external_price"]),
                    _felt(_p["timestamp"]), _felt(_p["signed_asset_id"]),
                    _felt(_p["signature"]["r"]), _felt(_p["signature"]["s"])]
    _assets.append([_felt(_aid), len(_entry["signed_prices"]), _signed])
_flat = segments.add()
for _i, _a in enumerate(_assets):
    segments.write_arg(_flat + _i * ids.AssetPrices.SIZE, _a)
ids.prices = _flat
ids.tick_time = _felt(tx["timestamp"])
ids.n_assets = len(_assets)"#;

pub const FINALIZE_POSITIONS: &str = r#"preimage = {}
_leaves = {int(k): _position_leaf(p)
           for k, p in program_input["previous_state"]["positions"].items()}
ids.prev_root = _sparse_root(_leaves, ids.height, _EMPTY_POSITION_LEAF, preimage)
for _i in range(ids.n):
    _entry = ids.hashed.address_ + _i * ids.DictAccess.SIZE
    _leaves[memory[_entry + ids.DictAccess.key]] = memory[_entry + ids.DictAccess.new_value]
ids.new_root = _sparse_root(_leaves, ids.height, _EMPTY_POSITION_LEAF, preimage)"#;

pub const FINALIZE_ORDERS: &str = r#"preimage = {}
_leaves = {int(k): _felt(v) for k, v in program_input["previous_state"]["orders"].items()}
ids.prev_root = _sparse_root(_leaves, ids.height, 0, preimage)
for _i in range(ids.n):
    _entry = ids.squashed.address_ + _i * ids.DictAccess.SIZE
    _leaves[memory[_entry + ids.DictAccess.key]] = memory[_entry + ids.DictAccess.new_value]
ids.new_root = _sparse_root(_leaves, ids.height, 0, preimage)"#;

pub const MERKLE_MULTI_UPDATE: &str = r#"from starkware.python.merkle_tree import build_update_tree

# Build modifications list.
modifications = []
for i in range(ids.n_updates):
    curr_update_ptr = ids.update_ptr.address_ + i * ids.DictAccess.SIZE
    modifications.append((
        memory[curr_update_ptr + ids.DictAccess.key],
        memory[curr_update_ptr + ids.DictAccess.new_value]))

node = build_update_tree(ids.height, modifications)
del modifications
__merkle_multi_update_skip_validation_runner = globals().get(
    '__merkle_multi_update_skip_validation_runner', None)
vm_enter_scope(dict(
    node=node, preimage=preimage,
    __merkle_multi_update_skip_validation_runner=
        __merkle_multi_update_skip_validation_runner)
)"#;

pub const MERKLE_INNER: &str = r#"if ids.height == 0:
    assert node == ids.new_root, f'Expected node {ids.new_root}. Got {node}.'
    case = 'leaf'
else:
    prev_left, prev_right = preimage[ids.prev_root]
    new_left, new_right = preimage[ids.new_root]

    from starkware.python.merkle_tree import decode_node
    left_child, right_child, case = decode_node(node)

    # Fill non deterministic hashes.
    hash_ptr = ids.hash_ptr.address_
    memory[hash_ptr + 0 * ids.HashBuiltin.SIZE + ids.HashBuiltin.x] = prev_left
    memory[hash_ptr + 0 * ids.HashBuiltin.SIZE + ids.HashBuiltin.y] = prev_right
    memory[hash_ptr + 1 * ids.HashBuiltin.SIZE + ids.HashBuiltin.x] = new_left
    memory[hash_ptr + 1 * ids.HashBuiltin.SIZE + ids.HashBuiltin.y] = new_right

    if __merkle_multi_update_skip_validation_runner is not None:
        # Skip validation of the preimage dict to speed up the VM. Note that mistakes in the
        # preimage dict will be discovered only in the prover.
        __merkle_multi_update_skip_validation_runner.verified_addresses.add(
            hash_ptr + 0 * ids.HashBuiltin.SIZE + ids.HashBuiltin.result)
        __merkle_multi_update_skip_validation_runner.verified_addresses.add(
            hash_ptr + 1 * ids.HashBuiltin.SIZE + ids.HashBuiltin.result)

memory[ap] = int(case != 'right')"#;

pub const MERKLE_NOT_LEFT: &str = r#"memory[ap] = int(case != 'left')"#;

pub const MERKLE_ENTER_LEFT: &str = r#"vm_enter_scope(dict(
    node=left_child, preimage=preimage,
    __merkle_multi_update_skip_validation_runner=
        __merkle_multi_update_skip_validation_runner)
)"#;

pub const MERKLE_ENTER_RIGHT: &str = r#"vm_enter_scope(dict(
    node=right_child, preimage=preimage,
    __merkle_multi_update_skip_validation_runner=
        __merkle_multi_update_skip_validation_runner)
)"#;

pub const MERKLE_ASSERT_LEAF: &str = r#"assert case == 'leaf'"#;

pub const MERKLE_ASSERT_BOTH: &str = r#"assert case == 'both'"#;
