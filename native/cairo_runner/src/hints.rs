//! The hint processor: cairo-vm's common-library hints (BuiltinHintProcessor), and in Rust the
//! hints cairo-vm lacks: the Perpetual batch program's own (cairo/perpetual/, listed in
//! docs/batch-input.md "Every hint of the program") and cairo-lang's `merkle_multi_update`.
//!
//! Each is registered under its exact code text, and executes what that Python text does (same
//! memory writes, same segments in the same order, same values), so that both VMs give the same
//! trace and memory. A hint whose text differs in any way (an edited program, a malicious prover's
//! replacement) is unknown here, and offchain/core/cairo_runner.py runs such a program on cairo-lang.
//!
//! The Python hints read `program_input` (the batch input, docs/batch-input.md). It reaches this
//! module as JSON in which every integer may be a decimal string (Python's big integers do not fit
//! JSON parsers' 64-bit numbers); `int(value)` and `_felt(value) = int(value) % PRIME` read both.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::sync::Arc;

use cairo_vm::hint_processor::builtin_hint_processor::builtin_hint_processor_definition::{
    BuiltinHintProcessor, HintFunc,
};
use cairo_vm::hint_processor::builtin_hint_processor::dict_manager::{DictManager, DictTracker};
use cairo_vm::hint_processor::builtin_hint_processor::hint_utils::{
    get_integer_from_var_name, get_ptr_from_var_name, get_relocatable_from_var_name,
    insert_value_from_var_name, insert_value_into_ap,
};
use cairo_vm::hint_processor::hint_processor_definition::HintReference;
use cairo_vm::serde::deserialize_program::ApTracking;
use cairo_vm::types::exec_scope::ExecutionScopes;
use cairo_vm::types::program::Program;
use cairo_vm::types::relocatable::{MaybeRelocatable, Relocatable};
use cairo_vm::vm::errors::hint_errors::HintError;
use cairo_vm::vm::vm_core::VirtualMachine;
use cairo_vm::Felt252 as Felt;
use num_bigint::{BigInt, Sign};
use num_traits::{One, ToPrimitive, Zero};
use serde_json::Value;
use sha3::{Digest, Keccak256};
use starknet_crypto::pedersen_hash;

type Ids = HashMap<String, HintReference>;
type Consts = HashMap<String, Felt>;

/// Struct layouts of the running program: full name -> (size, member name -> offset).
#[derive(Default)]
pub struct Structs(HashMap<String, (usize, HashMap<String, usize>)>);

impl Structs {
    pub fn of(program: &Program) -> Self {
        let mut structs = HashMap::new();
        for (name, identifier) in program.iter_identifiers() {
            if identifier.type_.as_deref() == Some("struct") {
                let members = identifier.members.as_ref()
                    .map(|m| m.iter().map(|(k, v)| (k.clone(), v.offset)).collect())
                    .unwrap_or_default();
                structs.insert(name.to_string(), (identifier.size.unwrap_or(0), members));
            }
        }
        Structs(structs)
    }

    fn member(&self, struct_name: &str, member: &str) -> Result<usize, HintError> {
        self.0.get(struct_name).and_then(|(_, m)| m.get(member)).copied()
            .ok_or_else(|| custom(format!("'{struct_name}' has no member '{member}'")))
    }

    fn size_of_suffix(&self, suffix: &str) -> Result<usize, HintError> {
        // ids.SyntheticAsset.SIZE: the struct is found by the accessible scopes in cairo-lang; the
        // program defines each of these names once.
        let dotted = format!(".{suffix}");
        let mut found = self.0.iter().filter(|(name, _)| name.ends_with(&dotted) || *name == suffix);
        match (found.next(), found.next()) {
            (Some((_, (size, _))), None) => Ok(*size),
            _ => Err(custom(format!("no unique struct {suffix}"))),
        }
    }
}

fn custom(message: impl Into<String>) -> HintError {
    HintError::CustomHint(message.into().into_boxed_str())
}

// ---------------------------------------------------------------------------------------------
// Python's views of the batch input

/// Python's `int(value)` of a batch-input number (a JSON integer, a decimal string, a boolean).
fn int(value: &Value) -> Result<BigInt, HintError> {
    match value {
        Value::Number(n) => n.as_i64().map(BigInt::from).or_else(|| n.as_u64().map(BigInt::from))
            .ok_or_else(|| custom(format!("not an integer: {n}"))),
        Value::String(s) => s.trim().parse::<BigInt>().map_err(|_| custom(format!("invalid literal for int(): {s:?}"))),
        Value::Bool(b) => Ok(BigInt::from(*b as u8)),
        other => Err(custom(format!("int() of {other}"))),
    }
}

/// `_felt(value)`: int(value) % PRIME.
fn felt(value: &Value) -> Result<Felt, HintError> {
    Ok(Felt::from(&int(value)?))
}

fn felt_of(n: &BigInt) -> Felt {
    Felt::from(n)
}

/// `obj[key]` (KeyError as a hint error).
fn at<'a>(value: &'a Value, key: &str) -> Result<&'a Value, HintError> {
    value.get(key).ok_or_else(|| custom(format!("KeyError: '{key}'")))
}

/// `obj.get(key, {})` for mappings.
fn mapping(value: &Value, key: &str) -> Result<Vec<(String, Value)>, HintError> {
    match value.get(key) {
        None => Ok(vec![]),
        Some(Value::Object(map)) => Ok(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        Some(other) => Err(custom(format!("'{key}' is not a mapping: {other}"))),
    }
}

fn list<'a>(value: &'a Value, key: &str) -> Result<&'a Vec<Value>, HintError> {
    at(value, key)?.as_array().ok_or_else(|| custom(format!("'{key}' is not a list")))
}

fn key_int(key: &str) -> Result<BigInt, HintError> {
    key.trim().parse::<BigInt>().map_err(|_| custom(format!("invalid literal for int(): {key:?}")))
}

fn input(scopes: &ExecutionScopes) -> Result<Rc<Value>, HintError> {
    scopes.get::<Rc<Value>>("program_input")
}

/// The current transaction (`tx`, set by execute_transaction's hint).
fn current_tx(scopes: &ExecutionScopes) -> Result<Value, HintError> {
    let index = scopes.get::<usize>("tx")?;
    Ok(input(scopes)?["transactions"][index].clone())
}

// ---------------------------------------------------------------------------------------------
// cairo-lang's MemorySegments.gen_arg / write_arg: a list becomes a new segment (allocated before
// the segments of its nested lists), written in one load.

enum Arg {
    F(Felt),
    P(Relocatable),
    L(Vec<Arg>),
}

fn gen_arg(vm: &mut VirtualMachine, arg: &Arg) -> Result<MaybeRelocatable, HintError> {
    Ok(match arg {
        Arg::F(f) => MaybeRelocatable::Int(*f),
        Arg::P(p) => MaybeRelocatable::RelocatableValue(*p),
        Arg::L(items) => {
            let base = vm.add_memory_segment();
            write_arg(vm, base, items)?;
            MaybeRelocatable::RelocatableValue(base)
        }
    })
}

fn write_arg(vm: &mut VirtualMachine, base: Relocatable, items: &[Arg]) -> Result<(), HintError> {
    let data = items.iter().map(|a| gen_arg(vm, a)).collect::<Result<Vec<_>, _>>()?;
    vm.load_data(base, &data).map_err(HintError::Memory)?;
    Ok(())
}

fn felts(values: impl IntoIterator<Item = Felt>) -> Arg {
    Arg::L(values.into_iter().map(Arg::F).collect())
}

fn len(n: usize) -> Arg {
    Arg::F(Felt::from(n))
}

// ---------------------------------------------------------------------------------------------
// define_hint_helpers: positions and the Pedersen trees.

/// `_sorted_assets(position)`: (asset id as a felt, asset), by felt.
fn sorted_assets(position: &Value) -> Result<Vec<(Felt, Value)>, HintError> {
    let mut assets = mapping(position, "assets")?
        .into_iter().map(|(k, v)| Ok((felt_of(&key_int(&k)?), v)))
        .collect::<Result<Vec<_>, HintError>>()?;
    assets.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(assets)
}

/// `_write_position(position)`: [public_key, collateral_balance, n_assets, assets*].
fn write_position(vm: &mut VirtualMachine, position: &Value) -> Result<MaybeRelocatable, HintError> {
    let assets = sorted_assets(position)?;
    let mut flat = vec![];
    for (asset_id, asset) in &assets {
        flat.extend([*asset_id, felt(at(asset, "cached_funding_index")?)?, felt(at(asset, "balance")?)?]);
    }
    gen_arg(vm, &Arg::L(vec![
        Arg::F(felt(at(position, "public_key")?)?), Arg::F(felt(at(position, "collateral_balance")?)?),
        len(assets.len()), felts(flat),
    ]))
}

fn empty_position() -> Value {
    serde_json::json!({"public_key": 0, "collateral_balance": 0, "assets": {}})
}

/// `_position_leaf(position)`: the position's leaf (docs/program-output.md).
fn position_leaf(position: &Value) -> Result<Felt, HintError> {
    let two = BigInt::from(2);
    let bias = two.pow(63);
    let mut acc = Felt::ZERO;
    let assets = sorted_assets(position)?;
    for (asset_id, asset) in &assets {
        let packed = BigInt::from_bytes_be(Sign::Plus, &asset_id.to_bytes_be()) * two.pow(128)
            + (int(at(asset, "cached_funding_index")?)? + &bias) * two.pow(64)
            + int(at(asset, "balance")?)? + &bias;
        acc = pedersen_hash(&acc, &felt_of(&packed));
    }
    let inner = pedersen_hash(&acc, &felt(at(position, "public_key")?)?);
    let last = (int(at(position, "collateral_balance")?)? + &bias) * two.pow(16) + BigInt::from(assets.len());
    Ok(pedersen_hash(&inner, &felt_of(&last)))
}

/// merkle_multi_update's `preimage`: a node's hash -> its children.
type Preimage = Rc<RefCell<HashMap<Felt, (Felt, Felt)>>>;

/// `_sparse_root(leaves, height, empty_leaf, preimage)`. Leaves at indices outside [0, 2^height)
/// never reach index 0 of the top level in the Python version, so they are dropped up front.
fn sparse_root(leaves: &BTreeMap<u64, Felt>, height: usize, empty_leaf: Felt, preimage: &Preimage) -> Felt {
    let mut preimage = preimage.borrow_mut();
    let mut empty = vec![empty_leaf];
    for _ in 0..height {
        let last = *empty.last().unwrap();
        let node = pedersen_hash(&last, &last);
        preimage.insert(node, (last, last));
        empty.push(node);
    }
    let mut level: BTreeMap<u64, Felt> = leaves.clone();
    for depth in 0..height {
        let mut parents = BTreeMap::new();
        let indices: Vec<u64> = level.keys().map(|i| i >> 1).collect();
        for index in indices {
            if parents.contains_key(&index) {
                continue;
            }
            let left = *level.get(&(2 * index)).unwrap_or(&empty[depth]);
            let right = *level.get(&(2 * index + 1)).unwrap_or(&empty[depth]);
            let node = pedersen_hash(&left, &right);
            preimage.insert(node, (left, right));
            parents.insert(index, node);
        }
        level = parents;
    }
    *level.get(&0).unwrap_or(&empty[height])
}

/// A leaf index as the trees use it: Some(i) when 0 <= i < 2^height.
fn tree_index(key: &BigInt, height: usize) -> Option<u64> {
    if key.sign() == Sign::Minus || key.bits() > height as u64 {
        return None;
    }
    key.to_u64()
}

fn height_of(vm: &VirtualMachine, ids: &Ids, ap: &ApTracking) -> Result<usize, HintError> {
    get_integer_from_var_name("height", vm, ids, ap)?.to_usize().filter(|h| *h <= 64)
        .ok_or_else(|| custom("tree height above 64"))
}

fn felt_int(f: &Felt) -> BigInt {
    BigInt::from_bytes_be(Sign::Plus, &f.to_bytes_be())
}

/// The finalize hints' common part: the previous root from the stored leaves, then the new root
/// with the squashed (key, new_value) entries at `entries` written over them.
fn finalize_roots(vm: &mut VirtualMachine, scopes: &mut ExecutionScopes, ids: &Ids, ap: &ApTracking,
                  stored: Vec<(BigInt, Felt)>, entries_name: &str, empty_leaf: Felt) -> Result<(), HintError> {
    let height = height_of(vm, ids, ap)?;
    let preimage: Preimage = Rc::new(RefCell::new(HashMap::new()));
    scopes.insert_value("preimage", preimage.clone());
    let mut leaves = BTreeMap::new();
    for (key, value) in stored {
        if let Some(index) = tree_index(&key, height) {
            leaves.insert(index, value);
        }
    }
    let prev_root = sparse_root(&leaves, height, empty_leaf, &preimage);
    insert_value_from_var_name("prev_root", prev_root, vm, ids, ap)?;
    let n = get_integer_from_var_name("n", vm, ids, ap)?.to_usize().ok_or_else(|| custom("n"))?;
    let entries = get_ptr_from_var_name(entries_name, vm, ids, ap)?;
    for i in 0..n {
        let entry = (entries + i * 3)?;
        let key = vm.get_integer((entry + 0usize)?)?.into_owned();
        let value = vm.get_integer((entry + 2usize)?)?.into_owned();
        if let Some(index) = tree_index(&felt_int(&key), height) {
            leaves.insert(index, value);
        }
    }
    let new_root = sparse_root(&leaves, height, empty_leaf, &preimage);
    insert_value_from_var_name("new_root", new_root, vm, ids, ap)
}

// ---------------------------------------------------------------------------------------------
// merkle_multi_update (cairo-lang's starkware/cairo/common/merkle_multi_update.cairo)

/// starkware.python.merkle_tree's update tree: a leaf (the new value) or a pair of subtrees.
enum UpdateNode {
    Leaf(Felt),
    Pair(Option<Rc<UpdateNode>>, Option<Rc<UpdateNode>>),
}

/// build_update_tree(height, modifications).
fn build_update_tree(height: usize, modifications: Vec<(Felt, Felt)>) -> Result<Option<Rc<UpdateNode>>, HintError> {
    if modifications.is_empty() {
        return Ok(None);
    }
    let mut layer: BTreeMap<BigInt, Rc<UpdateNode>> = BTreeMap::new();
    for (key, value) in modifications {
        layer.insert(felt_int(&key), Rc::new(UpdateNode::Leaf(value)));
    }
    let two = BigInt::from(2);
    for _ in 0..height {
        let mut parents: BTreeMap<BigInt, Rc<UpdateNode>> = BTreeMap::new();
        let indices: Vec<BigInt> = layer.keys().map(|i| i / &two).collect();
        for index in indices {
            if parents.contains_key(&index) {
                continue;
            }
            let left = layer.get(&(&index * &two)).cloned();
            let right = layer.get(&(&index * &two + BigInt::one())).cloned();
            parents.insert(index, Rc::new(UpdateNode::Pair(left, right)));
        }
        layer = parents;
    }
    if layer.len() != 1 {
        return Err(HintError::AssertionFailed("assert len(layer) == 1".into()));
    }
    layer.remove(&BigInt::zero()).map(Some).ok_or_else(|| custom("KeyError: 0"))
}

fn enter_merkle_scope(scopes: &mut ExecutionScopes, node: Option<Rc<UpdateNode>>, preimage: Preimage) {
    let mut locals: HashMap<String, Box<dyn std::any::Any>> = HashMap::new();
    locals.insert("node".into(), Box::new(node));
    locals.insert("preimage".into(), Box::new(preimage));
    scopes.enter_scope(locals);
}

fn merkle_start(vm: &mut VirtualMachine, scopes: &mut ExecutionScopes, ids: &Ids, ap: &ApTracking) -> Result<(), HintError> {
    let n = get_integer_from_var_name("n_updates", vm, ids, ap)?.to_usize().ok_or_else(|| custom("n_updates"))?;
    let updates = get_ptr_from_var_name("update_ptr", vm, ids, ap)?;
    let mut modifications = Vec::with_capacity(n);
    for i in 0..n {
        let entry = (updates + i * 3)?;
        modifications.push((vm.get_integer(entry)?.into_owned(), vm.get_integer((entry + 2usize)?)?.into_owned()));
    }
    let height = get_integer_from_var_name("height", vm, ids, ap)?.to_usize().ok_or_else(|| custom("height"))?;
    let node = build_update_tree(height, modifications)?;
    let preimage = scopes.get::<Preimage>("preimage")?;
    enter_merkle_scope(scopes, node, preimage);
    Ok(())
}

fn merkle_inner(vm: &mut VirtualMachine, scopes: &mut ExecutionScopes, ids: &Ids, ap: &ApTracking) -> Result<(), HintError> {
    let node = scopes.get::<Option<Rc<UpdateNode>>>("node")?;
    let height = get_integer_from_var_name("height", vm, ids, ap)?;
    let case;
    if height == Felt::ZERO {
        let new_root = get_integer_from_var_name("new_root", vm, ids, ap)?;
        match node.as_deref() {
            Some(UpdateNode::Leaf(value)) if *value == new_root => {}
            _ => return Err(HintError::AssertionFailed(format!("Expected node {new_root}.").into_boxed_str())),
        }
        case = "leaf";
    } else {
        let preimage = scopes.get::<Preimage>("preimage")?;
        let children = |root: &str| -> Result<(Felt, Felt), HintError> {
            let hash = get_integer_from_var_name(root, vm, ids, ap)?;
            preimage.borrow().get(&hash).copied().ok_or_else(|| custom(format!("KeyError: {hash}")))
        };
        let (prev_left, prev_right) = children("prev_root")?;
        let (new_left, new_right) = children("new_root")?;
        let (left, right) = match node.as_deref() {
            Some(UpdateNode::Pair(left, right)) => (left.clone(), right.clone()),
            _ => return Err(custom("cannot unpack a leaf as a node")),
        };
        case = match (&left, &right) {
            (None, None) => return Err(HintError::AssertionFailed("No updates in tree".into())),
            (None, Some(_)) => "right",
            (Some(_), None) => "left",
            (Some(_), Some(_)) => "both",
        };
        scopes.insert_value("left_child", left);
        scopes.insert_value("right_child", right);
        let hash_ptr = get_ptr_from_var_name("hash_ptr", vm, ids, ap)?;
        vm.insert_value(hash_ptr, prev_left)?;
        vm.insert_value((hash_ptr + 1usize)?, prev_right)?;
        vm.insert_value((hash_ptr + 3usize)?, new_left)?;
        vm.insert_value((hash_ptr + 4usize)?, new_right)?;
    }
    scopes.insert_value("case", case);
    insert_value_into_ap(vm, Felt::from((case != "right") as u8))
}

fn merkle_enter_child(scopes: &mut ExecutionScopes, child: &str) -> Result<(), HintError> {
    let node = scopes.get::<Option<Rc<UpdateNode>>>(child)?;
    let preimage = scopes.get::<Preimage>("preimage")?;
    enter_merkle_scope(scopes, node, preimage);
    Ok(())
}

fn assert_case(scopes: &ExecutionScopes, expected: &str) -> Result<(), HintError> {
    let case = scopes.get::<&'static str>("case")?;
    if case != expected {
        return Err(HintError::AssertionFailed(format!("assert case == '{expected}'").into_boxed_str()));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The program's hints

const TX_TYPES: [&str; 12] = [
    "DEPOSIT", "FORCED_TRADE", "FORCED_WITHDRAWAL", "FUNDING_TICK", "ORACLE_PRICES_TICK", "TRADE",
    "TRANSFER", "LIQUIDATE", "WITHDRAWAL", "DELEVERAGE", "CONDITIONAL_TRANSFER", "WITHDRAWAL_TO_ADDRESS",
];

/// `_load_tx(ids.<var>, tx, names)`: each name (a dotted path in `tx`) into the member of the
/// struct `ids.<var>` named with '_' for '.'.
fn load_tx(vm: &mut VirtualMachine, ids: &Ids, ap: &ApTracking, structs: &Structs, var: &str, tx: &Value,
           names: &[String]) -> Result<(), HintError> {
    let reference = ids.get(var).ok_or_else(|| HintError::UnknownIdentifier(var.into()))?;
    let struct_name = reference.cairo_type.as_deref().ok_or_else(|| custom(format!("{var} has no type")))?;
    let base = get_relocatable_from_var_name(var, vm, ids, ap)?;
    for name in names {
        let mut value = tx;
        for part in name.split('.') {
            value = at(value, part)?;
        }
        let offset = structs.member(struct_name, &name.replace('.', "_"))?;
        vm.insert_value((base + offset)?, felt(value)?)?;
    }
    Ok(())
}

/// The names of a `_load_tx(ids.<var>, tx, [...])` hint, when `code` is exactly one such call.
fn parse_load_tx(code: &str) -> Option<(String, Vec<String>)> {
    let rest = code.strip_prefix("_load_tx(ids.")?;
    let (var, rest) = rest.split_once(", tx, [")?;
    let names = rest.strip_suffix("])")?;
    if !var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let mut parsed = vec![];
    for item in names.split(',') {
        let item = item.trim();
        let name = item.strip_prefix('"')?.strip_suffix('"')?;
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.') {
            return None;
        }
        parsed.push(name.to_string());
    }
    // The hint text must be what it would print back as: no other statements hidden in it.
    let canonical_names: Vec<String> = parsed.iter().map(|n| format!("\"{n}\"")).collect();
    let flat = |s: &str| s.split_whitespace().collect::<String>();
    if flat(code) != flat(&format!("_load_tx(ids.{var}, tx, [{}])", canonical_names.join(", "))) {
        return None;
    }
    Some((var.to_string(), parsed))
}

/// `ids.<var> = program_input["<key>"]` (cairo/examples/ read their input so).
fn parse_input_assignment(code: &str) -> Option<(String, String)> {
    let rest = code.strip_prefix("ids.")?;
    let (var, rest) = rest.split_once(" = program_input[\"")?;
    let key = rest.strip_suffix("\"]")?;
    let word = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    (word(var) && word(key)).then(|| (var.to_string(), key.to_string()))
}

fn dict_manager(scopes: &mut ExecutionScopes) -> Rc<RefCell<DictManager>> {
    match scopes.get_dict_manager() {
        Ok(manager) => manager,
        Err(_) => {
            let manager = Rc::new(RefCell::new(DictManager::new()));
            scopes.insert_value("dict_manager", manager.clone());
            manager
        }
    }
}

type Hint = fn(&mut VirtualMachine, &mut ExecutionScopes, &Ids, &ApTracking, &Consts, &Structs) -> Result<(), HintError>;

fn hint_helpers(_: &mut VirtualMachine, _: &mut ExecutionScopes, _: &Ids, _: &ApTracking, _: &Consts, _: &Structs) -> Result<(), HintError> {
    Ok(())
}

fn main_counts(vm: &mut VirtualMachine, scopes: &mut ExecutionScopes, ids: &Ids, ap: &ApTracking, _: &Consts, _: &Structs) -> Result<(), HintError> {
    let input = input(scopes)?;
    insert_value_from_var_name("minimum_expiration_timestamp", felt(at(&input, "minimum_expiration_timestamp")?)?, vm, ids, ap)?;
    insert_value_from_var_name("n_transactions", Felt::from(list(&input, "transactions")?.len()), vm, ids, ap)
}

fn transaction_type(vm: &mut VirtualMachine, scopes: &mut ExecutionScopes, ids: &Ids, ap: &ApTracking, _: &Consts, _: &Structs) -> Result<(), HintError> {
    let input = input(scopes)?;
    let transactions = list(&input, "transactions")?;
    let index = get_integer_from_var_name("index", vm, ids, ap)?.to_usize()
        .filter(|i| *i < transactions.len()).ok_or_else(|| custom("IndexError: list index out of range"))?;
    let tx = &transactions[index];
    let kind = at(tx, "type")?.as_str();
    let code = kind.and_then(|k| TX_TYPES.iter().position(|t| *t == k)).map(Felt::from).unwrap_or(-Felt::ONE);
    scopes.insert_value("tx", index);
    insert_value_from_var_name("tx_type", code, vm, ids, ap)
}

fn load_config(vm: &mut VirtualMachine, scopes: &mut ExecutionScopes, ids: &Ids, ap: &ApTracking, _: &Consts, structs: &Structs) -> Result<(), HintError> {
    let input = input(scopes)?;
    let cfg = at(&input, "general_config")?;
    let mut synthetics_in = list(cfg, "synthetic_assets")?.iter()
        .map(|s| Ok((int(at(s, "asset_id")?)?, s))).collect::<Result<Vec<_>, HintError>>()?;
    synthetics_in.sort_by(|a, b| a.0.cmp(&b.0));
    let or_empty = |s: &Value, key: &str| -> Result<Vec<Felt>, HintError> {
        match s.get(key) {
            None => Ok(vec![]),
            Some(v) => v.as_array().ok_or_else(|| custom(format!("'{key}' is not a list")))?.iter().map(felt).collect(),
        }
    };
    let get_or = |v: &Value, key: &str, default: i64| -> Result<Felt, HintError> {
        v.get(key).map(felt).unwrap_or(Ok(Felt::from(default)))
    };
    let mut synthetics = vec![];
    for (_, s) in synthetics_in {
        let signers = or_empty(s, "oracle_price_signers")?;
        let signed_ids = or_empty(s, "oracle_price_signed_asset_ids")?;
        synthetics.push(vec![
            Arg::F(felt(at(s, "asset_id")?)?), Arg::F(felt(at(s, "resolution")?)?), Arg::F(felt(at(s, "risk_factor")?)?),
            Arg::F(get_or(s, "oracle_price_quorum", 1)?),
            len(signers.len()), felts(signers), len(signed_ids.len()), felts(signed_ids),
        ]);
    }
    let size = structs.size_of_suffix("SyntheticAsset")?;
    let flat = vm.add_memory_segment();
    for (i, s) in synthetics.iter().enumerate() {
        write_arg(vm, (flat + i * size)?, s)?;
    }
    let config = gen_arg(vm, &Arg::L(vec![
        Arg::F(felt(at(cfg, "collateral_asset_id")?)?), Arg::F(felt(at(cfg, "fee_position_id")?)?),
        Arg::F(felt(at(cfg, "fee_public_key")?)?), Arg::F(felt(at(cfg, "positions_tree_height")?)?),
        Arg::F(felt(at(cfg, "orders_tree_height")?)?), Arg::F(felt(at(cfg, "max_funding_rate")?)?),
        len(synthetics.len()), Arg::P(flat), Arg::F(get_or(cfg, "data_availability_mode", 1)?),
        Arg::F(get_or(cfg, "collateral_resolution", 1_000_000)?),
        Arg::F(get_or(cfg, "price_validity_period", 86400)?),
    ]))?;
    insert_value_from_var_name("config", config, vm, ids, ap)
}

/// `sorted((int(k), v) for k, v in mapping.items())` flattened as [k, _felt(v), ...].
fn sorted_pairs(entries: Vec<(String, Value)>) -> Result<Vec<Felt>, HintError> {
    let mut pairs = entries.into_iter().map(|(k, v)| Ok((key_int(&k)?, v))).collect::<Result<Vec<_>, HintError>>()?;
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut flat = vec![];
    for (k, v) in pairs {
        flat.push(felt_of(&k));
        flat.push(felt(&v)?);
    }
    Ok(flat)
}

fn load_market(vm: &mut VirtualMachine, scopes: &mut ExecutionScopes, ids: &Ids, ap: &ApTracking, _: &Consts, _: &Structs) -> Result<(), HintError> {
    let input = input(scopes)?;
    let prev = at(&input, "previous_state")?;
    let indices = mapping(prev, "funding_indices")?;
    let prices = mapping(prev, "oracle_prices")?;
    let zero = Value::from(0);
    let market = gen_arg(vm, &Arg::L(vec![
        len(indices.len()), felts(sorted_pairs(indices)?),
        Arg::F(felt(prev.get("funding_timestamp").unwrap_or(&zero))?),
        len(prices.len()), felts(sorted_pairs(prices)?),
        Arg::F(felt(prev.get("system_time").unwrap_or(&zero))?),
    ]))?;
    insert_value_from_var_name("market", market, vm, ids, ap)
}

fn positions_dict_new(vm: &mut VirtualMachine, scopes: &mut ExecutionScopes, _: &Ids, _: &ApTracking, _: &Consts, _: &Structs) -> Result<(), HintError> {
    let manager = dict_manager(scopes);
    let base = vm.add_memory_segment();
    manager.borrow_mut().trackers.insert(base.segment_index, DictTracker::new_empty(base));
    scopes.insert_value("positions_segment", base.segment_index);
    insert_value_into_ap(vm, base)
}

fn orders_dict_new(vm: &mut VirtualMachine, scopes: &mut ExecutionScopes, _: &Ids, _: &ApTracking, _: &Consts, _: &Structs) -> Result<(), HintError> {
    let manager = dict_manager(scopes);
    let input = input(scopes)?;
    let base = vm.add_memory_segment();
    let mut orders = HashMap::new();
    at(at(&input, "previous_state")?, "orders")?; // program_input["previous_state"]["orders"]
    for (k, v) in mapping(at(&input, "previous_state")?, "orders")? {
        orders.insert(MaybeRelocatable::Int(felt_of(&key_int(&k)?)), MaybeRelocatable::Int(felt(&v)?));
    }
    manager.borrow_mut().trackers.insert(
        base.segment_index, DictTracker::new_default_dict(base, &MaybeRelocatable::Int(Felt::ZERO), Some(orders)));
    insert_value_into_ap(vm, base)
}

fn load_position(vm: &mut VirtualMachine, scopes: &mut ExecutionScopes, ids: &Ids, ap: &ApTracking, _: &Consts, _: &Structs) -> Result<(), HintError> {
    let manager = dict_manager(scopes);
    let dict_ptr = get_ptr_from_var_name("positions_dict", vm, ids, ap)?;
    let key = MaybeRelocatable::Int(get_integer_from_var_name("position_id", vm, ids, ap)?);
    let known = manager.borrow_mut().get_tracker_mut(dict_ptr)?.get_value(&key).ok().cloned();
    let value = match known {
        Some(value) => value,
        None => {
            // _LazyPositions.__missing__: the previous state's position (str(key)), or empty.
            let input = input(scopes)?;
            let id = key.get_int().map(|f| felt_int(&f).to_string()).unwrap_or_default();
            let stored = at(at(&input, "previous_state")?, "positions")?.get(&id).cloned();
            let value = write_position(vm, &stored.unwrap_or_else(empty_position))?;
            manager.borrow_mut().get_tracker_mut(dict_ptr)?.insert_value(&key, &value);
            value
        }
    };
    insert_value_from_var_name("stored", value, vm, ids, ap)
}

fn fill_order(vm: &mut VirtualMachine, scopes: &mut ExecutionScopes, ids: &Ids, ap: &ApTracking, _: &Consts, _: &Structs) -> Result<(), HintError> {
    let manager = dict_manager(scopes);
    let dict_ptr = get_ptr_from_var_name("orders_dict", vm, ids, ap)?;
    let key = MaybeRelocatable::Int(get_integer_from_var_name("order_id", vm, ids, ap)?);
    let value = manager.borrow_mut().get_tracker_mut(dict_ptr)?.get_value(&key)?.clone();
    insert_value_from_var_name("filled", value, vm, ids, ap)
}

fn find_sorted(vm: &mut VirtualMachine, _: &mut ExecutionScopes, ids: &Ids, ap: &ApTracking, _: &Consts, _: &Structs) -> Result<(), HintError> {
    let array = get_ptr_from_var_name("array", vm, ids, ap)?;
    let elm_size = get_integer_from_var_name("elm_size", vm, ids, ap)?.to_usize().ok_or_else(|| custom("elm_size"))?;
    let n = get_integer_from_var_name("n_elms", vm, ids, ap)?.to_usize().ok_or_else(|| custom("n_elms"))?;
    let key = MaybeRelocatable::Int(get_integer_from_var_name("key", vm, ids, ap)?);
    let mut present = false;
    for i in 0..n {
        let cell = vm.get_maybe(&(array + elm_size * i)?).ok_or_else(|| custom("unknown memory cell"))?;
        if cell == key {
            present = true;
            break;
        }
    }
    insert_value_from_var_name("present", Felt::from(present as u8), vm, ids, ap)
}

fn lower_median(vm: &mut VirtualMachine, _: &mut ExecutionScopes, ids: &Ids, ap: &ApTracking, _: &Consts, _: &Structs) -> Result<(), HintError> {
    let prices = get_ptr_from_var_name("prices", vm, ids, ap)?;
    let n = get_integer_from_var_name("n", vm, ids, ap)?.to_usize().filter(|n| *n >= 1).ok_or_else(|| custom("n"))?;
    let mut values = (0..n).map(|i| Ok(vm.get_integer((prices + i)?)?.into_owned())).collect::<Result<Vec<Felt>, HintError>>()?;
    values.sort();
    insert_value_from_var_name("median", values[(n - 1) / 2], vm, ids, ap)
}

fn load_transfer(vm: &mut VirtualMachine, scopes: &mut ExecutionScopes, ids: &Ids, ap: &ApTracking, _: &Consts, structs: &Structs) -> Result<(), HintError> {
    let tx = current_tx(scopes)?;
    let names: Vec<String> = ["sender_position_id", "sender_public_key", "receiver_position_id", "receiver_public_key",
        "asset_id", "amount", "nonce", "expiration_timestamp", "signature.r", "signature.s"].iter().map(|s| s.to_string()).collect();
    load_tx(vm, ids, ap, structs, "tx", &tx, &names)?;
    if at(&tx, "type")?.as_str() == Some("CONDITIONAL_TRANSFER") {
        load_tx(vm, ids, ap, structs, "tx", &tx, &["src_fee_position_id".to_string()])?;
    }
    Ok(())
}

fn load_order(vm: &mut VirtualMachine, scopes: &mut ExecutionScopes, ids: &Ids, ap: &ApTracking, _: &Consts, structs: &Structs) -> Result<(), HintError> {
    let tx = current_tx(scopes)?;
    let key = get_integer_from_var_name("key", vm, ids, ap)?;
    let side = match key.to_u8() {
        Some(1) => "party_a_order",
        Some(2) => "party_b_order",
        Some(3) => "liquidator_order",
        _ => return Err(custom(format!("KeyError: {key}"))),
    };
    let names: Vec<String> = ["position_id", "public_key", "asset_id_synthetic", "asset_id_collateral", "amount_synthetic",
        "amount_collateral", "amount_fee", "is_buying_synthetic", "nonce", "expiration_timestamp", "signature.r",
        "signature.s"].iter().map(|s| s.to_string()).collect();
    load_tx(vm, ids, ap, structs, "order", at(&tx, side)?, &names)
}

fn condition(vm: &mut VirtualMachine, scopes: &mut ExecutionScopes, ids: &Ids, ap: &ApTracking, _: &Consts, _: &Structs) -> Result<(), HintError> {
    let tx = current_tx(scopes)?;
    // int.to_bytes(n, "big"): OverflowError for a negative value or one that does not fit.
    let be_bytes = |name: &str, n: usize| -> Result<Vec<u8>, HintError> {
        let value = match at(&tx, name)? {
            Value::Bool(_) | Value::String(_) | Value::Number(_) => int(at(&tx, name)?)?,
            _ => return Err(custom(format!("'{name}' is not an int"))),
        };
        let (sign, bytes) = value.to_bytes_be();
        if sign == Sign::Minus || bytes.len() > n {
            return Err(custom("OverflowError: int too big to convert"));
        }
        let mut out = vec![0u8; n - bytes.len()];
        out.extend(bytes);
        Ok(out)
    };
    let mut hasher = Keccak256::new();
    hasher.update(be_bytes("fact_registry_address", 20)?);
    hasher.update(be_bytes("fact", 32)?);
    let mut digest: [u8; 32] = hasher.finalize().into();
    digest[0] &= 0x03; // & (2 ** 250 - 1)
    insert_value_from_var_name("condition", Felt::from_bytes_be(&digest), vm, ids, ap)
}

fn funding_tick(vm: &mut VirtualMachine, scopes: &mut ExecutionScopes, ids: &Ids, ap: &ApTracking, _: &Consts, _: &Structs) -> Result<(), HintError> {
    let tx = current_tx(scopes)?;
    let tick = at(&tx, "global_funding_indices")?;
    let entries = at(tick, "indices")?.as_object().ok_or_else(|| custom("indices is not a mapping"))?;
    let mut pairs = entries.iter().map(|(k, v)| Ok((key_int(k)?, int(v)?))).collect::<Result<Vec<_>, HintError>>()?;
    pairs.sort();
    insert_value_from_var_name("n_indices", Felt::from(pairs.len()), vm, ids, ap)?;
    let flat = pairs.iter().flat_map(|(k, v)| [felt_of(k), felt_of(v)]).collect::<Vec<_>>();
    let indices = gen_arg(vm, &felts(flat))?;
    insert_value_from_var_name("indices", indices, vm, ids, ap)?;
    insert_value_from_var_name("timestamp", felt(at(tick, "timestamp")?)?, vm, ids, ap)
}

fn oracle_prices_tick(vm: &mut VirtualMachine, scopes: &mut ExecutionScopes, ids: &Ids, ap: &ApTracking, _: &Consts, structs: &Structs) -> Result<(), HintError> {
    let tx = current_tx(scopes)?;
    let entries = at(&tx, "oracle_prices")?.as_object().ok_or_else(|| custom("oracle_prices is not a mapping"))?;
    let mut by_asset = entries.iter().map(|(k, v)| Ok((key_int(k)?, v))).collect::<Result<Vec<_>, HintError>>()?;
    by_asset.sort_by(|a, b| a.0.cmp(&b.0));
    let mut assets = vec![];
    for (asset_id, entry) in by_asset {
        let prices = list(entry, "signed_prices")?;
        let mut signed = vec![];
        for p in prices {
            let signature = at(p, "signature")?;
            signed.extend([felt(at(p, "signer_key")?)?, felt(at(p, "external_price")?)?, felt(at(p, "timestamp")?)?,
                           felt(at(p, "signed_asset_id")?)?, felt(at(signature, "r")?)?, felt(at(signature, "s")?)?]);
        }
        assets.push(vec![Arg::F(felt_of(&asset_id)), len(prices.len()), felts(signed)]);
    }
    let size = structs.size_of_suffix("AssetPrices")?;
    let flat = vm.add_memory_segment();
    for (i, a) in assets.iter().enumerate() {
        write_arg(vm, (flat + i * size)?, a)?;
    }
    insert_value_from_var_name("prices", flat, vm, ids, ap)?;
    insert_value_from_var_name("tick_time", felt(at(&tx, "timestamp")?)?, vm, ids, ap)?;
    insert_value_from_var_name("n_assets", Felt::from(assets.len()), vm, ids, ap)
}

fn finalize_positions(vm: &mut VirtualMachine, scopes: &mut ExecutionScopes, ids: &Ids, ap: &ApTracking, _: &Consts, _: &Structs) -> Result<(), HintError> {
    let input = input(scopes)?;
    let positions = at(at(&input, "previous_state")?, "positions")?.as_object().ok_or_else(|| custom("positions is not a mapping"))?;
    let stored = positions.iter().map(|(k, p)| Ok((key_int(k)?, position_leaf(p)?))).collect::<Result<Vec<_>, HintError>>()?;
    let empty_leaf = position_leaf(&empty_position())?;
    finalize_roots(vm, scopes, ids, ap, stored, "hashed", empty_leaf)
}

fn finalize_orders(vm: &mut VirtualMachine, scopes: &mut ExecutionScopes, ids: &Ids, ap: &ApTracking, _: &Consts, _: &Structs) -> Result<(), HintError> {
    let input = input(scopes)?;
    at(at(&input, "previous_state")?, "orders")?;
    let orders = mapping(at(&input, "previous_state")?, "orders")?;
    let stored = orders.iter().map(|(k, v)| Ok((key_int(k)?, felt(v)?))).collect::<Result<Vec<_>, HintError>>()?;
    finalize_roots(vm, scopes, ids, ap, stored, "squashed", Felt::ZERO)
}

fn merkle_start_hint(vm: &mut VirtualMachine, scopes: &mut ExecutionScopes, ids: &Ids, ap: &ApTracking, _: &Consts, _: &Structs) -> Result<(), HintError> {
    merkle_start(vm, scopes, ids, ap)
}

fn merkle_inner_hint(vm: &mut VirtualMachine, scopes: &mut ExecutionScopes, ids: &Ids, ap: &ApTracking, _: &Consts, _: &Structs) -> Result<(), HintError> {
    merkle_inner(vm, scopes, ids, ap)
}

fn merkle_not_left(vm: &mut VirtualMachine, scopes: &mut ExecutionScopes, _: &Ids, _: &ApTracking, _: &Consts, _: &Structs) -> Result<(), HintError> {
    let case = scopes.get::<&'static str>("case")?;
    insert_value_into_ap(vm, Felt::from((case != "left") as u8))
}

fn merkle_left(_: &mut VirtualMachine, scopes: &mut ExecutionScopes, _: &Ids, _: &ApTracking, _: &Consts, _: &Structs) -> Result<(), HintError> {
    merkle_enter_child(scopes, "left_child")
}

fn merkle_right(_: &mut VirtualMachine, scopes: &mut ExecutionScopes, _: &Ids, _: &ApTracking, _: &Consts, _: &Structs) -> Result<(), HintError> {
    merkle_enter_child(scopes, "right_child")
}

fn merkle_leaf(_: &mut VirtualMachine, scopes: &mut ExecutionScopes, _: &Ids, _: &ApTracking, _: &Consts, _: &Structs) -> Result<(), HintError> {
    assert_case(scopes, "leaf")
}

fn merkle_both(_: &mut VirtualMachine, scopes: &mut ExecutionScopes, _: &Ids, _: &ApTracking, _: &Consts, _: &Structs) -> Result<(), HintError> {
    assert_case(scopes, "both")
}

/// merkle_multi_update's hints (cairo-lang's library: they need no helper).
const MERKLE: [&str; 7] = [
    crate::hint_codes::MERKLE_MULTI_UPDATE, crate::hint_codes::MERKLE_INNER, crate::hint_codes::MERKLE_NOT_LEFT,
    crate::hint_codes::MERKLE_ENTER_LEFT, crate::hint_codes::MERKLE_ENTER_RIGHT, crate::hint_codes::MERKLE_ASSERT_LEAF,
    crate::hint_codes::MERKLE_ASSERT_BOTH,
];

/// The hints by exact code text (hint_codes.rs holds the texts).
fn table() -> Vec<(&'static str, Hint)> {
    use crate::hint_codes as c;
    vec![
        (c::DEFINE_HINT_HELPERS, hint_helpers as Hint),
        (c::MAIN, main_counts),
        (c::EXECUTE_TRANSACTION, transaction_type),
        (c::LOAD_CONFIG, load_config),
        (c::LOAD_MARKET, load_market),
        (c::POSITIONS_DICT_NEW, positions_dict_new),
        (c::ORDERS_DICT_NEW, orders_dict_new),
        (c::LOAD_POSITION, load_position),
        (c::FILL_ORDER, fill_order),
        (c::FIND_SORTED, find_sorted),
        (c::LOWER_MEDIAN, lower_median),
        (c::LOAD_TRANSFER, load_transfer),
        (c::LOAD_ORDER, load_order),
        (c::CONDITION, condition),
        (c::FUNDING_TICK, funding_tick),
        (c::ORACLE_PRICES_TICK, oracle_prices_tick),
        (c::FINALIZE_POSITIONS, finalize_positions),
        (c::FINALIZE_ORDERS, finalize_orders),
        (c::MERKLE_MULTI_UPDATE, merkle_start_hint),
        (c::MERKLE_INNER, merkle_inner_hint),
        (c::MERKLE_NOT_LEFT, merkle_not_left),
        (c::MERKLE_ENTER_LEFT, merkle_left),
        (c::MERKLE_ENTER_RIGHT, merkle_right),
        (c::MERKLE_ASSERT_LEAF, merkle_leaf),
        (c::MERKLE_ASSERT_BOTH, merkle_both),
    ]
}

fn wrap(hint: Hint, structs: Arc<Structs>) -> Rc<HintFunc> {
    Rc::new(HintFunc(Box::new(move |vm, scopes, ids, ap, consts| hint(vm, scopes, ids, ap, consts, &structs))))
}

/// cairo-vm's BuiltinHintProcessor with the hints above added, for `program` (its struct layouts)
/// and the hint codes it holds (`_load_tx` calls are recognised by their text).
pub fn processor(program: &Program, codes: &[String]) -> BuiltinHintProcessor {
    let structs = Arc::new(Structs::of(program));
    let mut processor = BuiltinHintProcessor::new_empty();
    // The program's own hints call the helpers its first hint defines (`_felt`, `_load_tx`, the
    // lazy positions, the trees): they are known only in a program that defines them so.
    let helpers = codes.iter().any(|code| code == crate::hint_codes::DEFINE_HINT_HELPERS);
    for (code, hint) in table() {
        if helpers || MERKLE.contains(&code) {
            processor.add_hint(code.to_string(), wrap(hint, structs.clone()));
        }
    }
    for code in codes {
        if let Some((var, key)) = parse_input_assignment(code) {
            processor.add_hint(code.clone(), Rc::new(HintFunc(Box::new(move |vm, scopes, ids, ap, _| {
                let input = input(scopes)?;
                let value = felt(at(&input, &key)?)?;
                insert_value_from_var_name(&var, value, vm, ids, ap)
            }))));
        }
        if let Some((var, names)) = parse_load_tx(code).filter(|_| helpers) {
            let structs = structs.clone();
            processor.add_hint(code.clone(), Rc::new(HintFunc(Box::new(move |vm, scopes, ids, ap, _| {
                let tx = current_tx(scopes)?;
                load_tx(vm, ids, ap, &structs, &var, &tx, &names)
            }))));
        }
    }
    processor
}

/// The scope the hints start from: `program_input`.
pub fn initial_scope(scopes: &mut ExecutionScopes, input: Value) {
    scopes.insert_value("program_input", Rc::new(input));
}
