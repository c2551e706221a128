//! The Cairo AIR's trace built natively from the runner's files, and its interaction columns (the
//! memory and range-check running products): the same columns as offchain/prover/cairo/trace.py
//! (`build_trace`, `build_aux_columns`, the layout of offchain/prover/cairo/layout.py), which stays
//! the reference they are tested against.
use crate::field::{batch_inverse, Fe};
use crate::lanes::{self, Curve, ECDSA_ROWS, ECDSA_WIDTH, PEDERSEN_ROWS, PEDERSEN_WIDTH};
use crate::store::Col;
use lambdaworks_math::unsigned_integer::element::U256;
use rayon::prelude::*;
use std::collections::HashMap;

pub const MEM_SLOTS: usize = 6;
pub const RC_FIXED_SLOTS: usize = 4;
pub const RC_BUILTIN_RATIO: usize = 8;
pub const RC_LIMBS: usize = 8;
pub const RC_LIMB_BITS: u32 = 16;
const OFFSET_BIAS: i128 = 1 << 15;
const N_FLAGS: usize = 15;

// Columns (layout.py).
const PC: usize = 0;
const INST: usize = 3;
const OFF_DST: usize = 4;
const OFF_OP0: usize = 5;
const OFF_OP1: usize = 6;
const FLAG_PREFIX: usize = 7;
const DST_ADDR: usize = 23;
const DST: usize = 24;
const OP0_ADDR: usize = 25;
const OP0: usize = 26;
const OP1_ADDR: usize = 27;
const OP1: usize = 28;
const MX_ADDR: usize = 33;
const MX_VAL: usize = 34;
const RC_LIMB: usize = 35;
const BX_ADDR: usize = 36;
const BX_VAL: usize = 37;
const SORTED_MEM: usize = 38;
const LANES: usize = SORTED_MEM + 2 * MEM_SLOTS;
const CPU_COLUMNS: usize = 33;
const UNSORTED_MEM: [(usize, usize); MEM_SLOTS] = [(PC, INST), (DST_ADDR, DST), (OP0_ADDR, OP0), (OP1_ADDR, OP1), (MX_ADDR, MX_VAL), (BX_ADDR, BX_VAL)];
const SLOT_FIRST_ROW: usize = 1;

// Flags (decode.py).
const DST_REG: usize = 0;
const OP0_REG: usize = 1;
const OP1_IMM: usize = 2;
const OP1_FP: usize = 3;
const OP1_AP: usize = 4;
const RES_ADD: usize = 5;
const RES_MUL: usize = 6;
const PC_JNZ: usize = 9;

/// layout.py's CairoLayout: column numbering for the counts.
pub struct Layout {
    pub n_rc_fill: usize,
    pub n_pedersen_lanes: usize,
    pub n_ecdsa_lanes: usize,
}

impl Layout {
    pub fn rc_slots(&self) -> usize {
        RC_FIXED_SLOTS + self.n_rc_fill
    }
    fn pedersen(&self, lane: usize) -> usize {
        LANES + PEDERSEN_WIDTH * lane
    }
    fn ecdsa(&self, lane: usize) -> usize {
        LANES + PEDERSEN_WIDTH * self.n_pedersen_lanes + ECDSA_WIDTH * lane
    }
    fn rc_fill(&self) -> usize {
        LANES + PEDERSEN_WIDTH * self.n_pedersen_lanes + ECDSA_WIDTH * self.n_ecdsa_lanes
    }
    pub fn sorted_rc(&self) -> usize {
        self.rc_fill() + self.n_rc_fill
    }
    pub fn main_width(&self) -> usize {
        self.sorted_rc() + self.rc_slots()
    }
    /// The running product's order: the fills, then the offsets and the limb.
    pub fn unsorted_rc(&self) -> Vec<usize> {
        let mut out: Vec<usize> = (0..self.n_rc_fill).map(|k| self.rc_fill() + k).collect();
        out.extend([OFF_DST, OFF_OP0, OFF_OP1, RC_LIMB]);
        out
    }
    fn pedersen_slot_row(&self, lane: usize, cell: usize) -> usize {
        SLOT_FIRST_ROW + 3 * lane + cell
    }
    fn ecdsa_slot_row(&self, lane: usize, cell: usize) -> usize {
        SLOT_FIRST_ROW + 3 * self.n_pedersen_lanes + 2 * lane + cell
    }
}

/// A builtin's segment [begin, stop) and its lanes.
pub struct LaneSegment {
    pub begin: u64,
    pub stop: u64,
    pub lanes: usize,
}

/// What the builder needs from the runner's AIR public input.
pub struct PublicInput {
    pub rc_min: u64,
    pub rc_max: u64,
    pub n_steps: usize,
    /// The trace's rows (trace.py choose_geometry): at most n_steps, the run fits them.
    pub trace_length: usize,
    /// The range_check builtin's segment [begin, stop), None when the program does not use it
    /// (then no row holds a builtin cell and the limbs are rc_min).
    pub rc_segment: Option<(u64, u64)>,
    pub pedersen: Option<LaneSegment>,
    pub ecdsa: Option<LaneSegment>,
    /// (r, w) of each used ecdsa instance, by index (the runner's private input).
    pub signatures: HashMap<u64, (Fe, Fe)>,
    /// (public key, message, r, w) of the instance an unused ecdsa slot holds.
    pub idle_signature: [Fe; 4],
    pub public_memory: Vec<(u64, Fe)>,
    /// layout.MAX_RC_FILL.
    pub max_rc_fill: usize,
}

fn repr(x: &Fe) -> [u64; 4] {
    x.representative().limbs // most significant first
}

fn as_u64(x: &Fe) -> Option<u64> {
    let l = repr(x);
    (l[0] == 0 && l[1] == 0 && l[2] == 0).then_some(l[3])
}

fn fe(v: u64) -> Fe {
    Fe::from(v)
}

fn fe_i(v: i128) -> Fe {
    if v >= 0 {
        Fe::new(U256 { limbs: [0, 0, (v >> 64) as u64, v as u64] })
    } else {
        -fe_i(-v)
    }
}

/// Parses the runner's trace file: (ap, fp, pc) little-endian u64 triples.
pub fn read_trace(data: &[u8]) -> Result<Vec<[u64; 3]>, String> {
    if data.len() % 24 != 0 {
        return Err(format!("trace file size {} is not a multiple of 24", data.len()));
    }
    Ok(data
        .chunks(24)
        .map(|e| {
            let w = |k: usize| u64::from_le_bytes(e[8 * k..8 * k + 8].try_into().unwrap());
            [w(2), w(0), w(1)] // pc, ap, fp
        })
        .collect())
}

/// Parses the runner's memory file: (address u64 LE, value 32 bytes LE) entries.
pub fn read_memory(data: &[u8]) -> Result<HashMap<u64, Fe>, String> {
    if data.len() % 40 != 0 {
        return Err(format!("memory file size {} is not a multiple of 40", data.len()));
    }
    let mut memory = HashMap::with_capacity(data.len() / 40);
    for e in data.chunks(40) {
        let address = u64::from_le_bytes(e[..8].try_into().unwrap());
        let mut be = [0u8; 32];
        for (i, b) in e[8..40].iter().enumerate() {
            be[31 - i] = *b;
        }
        let value = crate::field::from_be_bytes(&be).ok_or_else(|| format!("memory value at {address} is not a field element"))?;
        if let Some(old) = memory.insert(address, value.clone()) {
            if old != value {
                return Err(format!("memory address {address} written twice with different values"));
            }
        }
    }
    Ok(memory)
}

struct Step {
    cpu: [Fe; CPU_COLUMNS],
    pc: u64,
    inst: Fe,
    addresses: [u64; 4], // pc, dst_addr, op0_addr, op1_addr
    offsets: [u64; 3],   // biased
}

fn cpu_row(pc: u64, ap: u64, fp: u64, memory: &HashMap<u64, Fe>) -> Result<Step, String> {
    let read = |address: i128| -> Result<(u64, Fe), String> {
        let a = u64::try_from(address).ok();
        match a.and_then(|a| memory.get(&a).map(|v| (a, v.clone()))) {
            Some(found) => Ok(found),
            None => Err(format!("step at pc={pc} reads address {address}, which has no value")),
        }
    };
    let (_, inst) = read(pc as i128)?;
    let word = as_u64(&inst).filter(|w| *w < 1 << 63).ok_or_else(|| format!("instruction at pc={pc} does not fit in 63 bits"))?;
    let off = [word & 0xFFFF, (word >> 16) & 0xFFFF, (word >> 32) & 0xFFFF];
    let flag_word = word >> 48;
    let f = |i: usize| (flag_word >> i) & 1 == 1;
    let (off_dst, off_op0, off_op1) = (off[0] as i128 - OFFSET_BIAS, off[1] as i128 - OFFSET_BIAS, off[2] as i128 - OFFSET_BIAS);
    let dst_addr = if f(DST_REG) { fp } else { ap } as i128 + off_dst;
    let op0_addr = if f(OP0_REG) { fp } else { ap } as i128 + off_op0;
    let (dst_a, dst) = read(dst_addr)?;
    let (op0_a, op0) = read(op0_addr)?;
    let op1_addr_fe = if f(OP1_IMM) {
        fe(pc) + fe_i(off_op1)
    } else if f(OP1_AP) {
        fe(ap) + fe_i(off_op1)
    } else if f(OP1_FP) {
        fe(fp) + fe_i(off_op1)
    } else {
        &op0 + &fe_i(off_op1)
    };
    let op1_addr = match as_u64(&op1_addr_fe) {
        Some(a) => a as i128,
        None => return Err(format!("step at pc={pc} reads address {}, which has no value", op1_addr_fe.representative())),
    };
    let (op1_a, op1) = read(op1_addr)?;
    let mul = &op0 * &op1;
    let res = if f(PC_JNZ) {
        if dst == Fe::zero() { Fe::zero() } else { dst.inv().unwrap() }
    } else if f(RES_ADD) {
        &op0 + &op1
    } else if f(RES_MUL) {
        mul.clone()
    } else {
        op1.clone()
    };
    let t0 = if f(PC_JNZ) { dst.clone() } else { Fe::zero() };
    let t1 = &t0 * &res;
    let mut cpu: [Fe; CPU_COLUMNS] = std::array::from_fn(|_| Fe::zero());
    let head = [fe(pc), fe(ap), fe(fp), inst.clone(), fe(off[0]), fe(off[1]), fe(off[2])];
    for (k, v) in head.into_iter().enumerate() {
        cpu[k] = v;
    }
    for i in 0..=N_FLAGS {
        cpu[FLAG_PREFIX + i] = fe(flag_word >> i);
    }
    let tail = [fe(dst_a), dst, fe(op0_a), op0, fe(op1_a), op1, res, t0, t1, mul];
    for (k, v) in tail.into_iter().enumerate() {
        cpu[DST_ADDR + k] = v;
    }
    Ok(Step { cpu, pc, inst, addresses: [pc, dst_a, op0_a, op1_a], offsets: off })
}

/// The main columns and the number of range-check fill columns (trace.py `build_trace`).
pub fn build_trace(steps: &[[u64; 3]], memory: &HashMap<u64, Fe>, pi: &PublicInput, curve: &Curve, n_rc_fill: Option<usize>) -> Result<(Vec<Col>, usize), String> {
    let n = pi.trace_length;
    if steps.len() != pi.n_steps || !n.is_power_of_two() || n < RC_BUILTIN_RATIO * 2 || n > steps.len() {
        return Err(format!("trace has {} steps; expected n_steps={} and a power-of-two trace length >= 16 within it", steps.len(), pi.n_steps));
    }
    let rows: Vec<Step> = steps[..n].par_iter().map(|&[pc, ap, fp]| cpu_row(pc, ap, fp, memory)).collect::<Result<_, _>>()?;
    let k_p = pi.pedersen.as_ref().map_or(0, |s| s.lanes);
    let k_e = pi.ecdsa.as_ref().map_or(0, |s| s.lanes);

    // Range-check builtin cells on rows 8j, when the program uses it; cells past its stop
    // pointer get limbs rc_min. Without it no row holds a cell and the limbs are rc_min.
    let capacity = n / RC_BUILTIN_RATIO;
    let unused_value: u128 = (0..RC_LIMBS).map(|t| (pi.rc_min as u128) << (RC_LIMB_BITS as usize * t)).sum();
    let mut rc_cells: Vec<(u64, Fe)> = Vec::new();
    let mut limbs: Vec<u64> = Vec::with_capacity(n);
    if let Some((begin, stop)) = pi.rc_segment {
        for address in begin..begin + capacity as u64 {
            let value = match memory.get(&address) {
                Some(v) => v.clone(),
                None if address < stop => return Err(format!("range_check cell {address} has no value")),
                None => fe_i(unused_value as i128),
            };
            let l = repr(&value);
            if l[0] != 0 || l[1] != 0 {
                return Err(format!("range_check builtin value {} is not below 2^128", value.representative()));
            }
            let v = ((l[2] as u128) << 64) | l[3] as u128;
            limbs.extend((0..RC_LIMBS).map(|t| ((v >> (RC_LIMB_BITS as usize * t)) & 0xFFFF) as u64));
            rc_cells.push((address, value));
        }
    } else {
        limbs.resize(n, pi.rc_min);
    }
    let cell_rows = !rc_cells.is_empty();

    // The lanes and their memory cells in the builtin slot, by row.
    let layout1 = Layout { n_rc_fill: 1, n_pedersen_lanes: k_p, n_ecdsa_lanes: k_e };
    let mut bx: Vec<Option<(u64, Fe)>> = vec![None; n];
    let mut pedersen_cols: Vec<Vec<Col>> = Vec::new();
    if let Some(seg) = &pi.pedersen {
        let blocks = n / PEDERSEN_ROWS;
        let mut inputs: Vec<Vec<(Fe, Fe)>> = vec![Vec::with_capacity(blocks); k_p];
        for block in 0..blocks {
            for (k, lane) in inputs.iter_mut().enumerate() {
                let address = seg.begin + 3 * (block * k_p + k) as u64;
                let (a, b) = (memory.get(&address), memory.get(&(address + 1)));
                if address < seg.stop && (a.is_none() || b.is_none()) {
                    return Err(format!("pedersen instance at {address} has no inputs"));
                }
                lane.push((a.cloned().unwrap_or_else(Fe::zero), b.cloned().unwrap_or_else(Fe::zero)));
            }
        }
        for (k, (cols, outputs)) in lanes::pedersen_lanes(&inputs, curve).into_iter().enumerate() {
            for (block, h) in outputs.into_iter().enumerate() {
                let address = seg.begin + 3 * (block * k_p + k) as u64;
                if let Some(v) = memory.get(&(address + 2)) {
                    if *v != h {
                        return Err(format!("pedersen output at {} is not the hash of its inputs", address + 2));
                    }
                }
                let (a, b) = inputs[k][block].clone();
                for (t, value) in [a, b, h].into_iter().enumerate() {
                    bx[block * PEDERSEN_ROWS + layout1.pedersen_slot_row(k, t)] = Some((address + t as u64, value));
                }
            }
            pedersen_cols.push(cols);
        }
    }
    let mut ecdsa_cols: Vec<Vec<Col>> = Vec::new();
    if let Some(seg) = &pi.ecdsa {
        let blocks = n / ECDSA_ROWS;
        let mut instances: Vec<Vec<[Fe; 4]>> = vec![Vec::with_capacity(blocks); k_e];
        for block in 0..blocks {
            for (e, lane) in instances.iter_mut().enumerate() {
                let index = (block * k_e + e) as u64;
                let address = seg.begin + 2 * index;
                let instance = if address < seg.stop {
                    match (pi.signatures.get(&index), memory.get(&address), memory.get(&(address + 1))) {
                        (Some((r, w)), Some(key), Some(message)) => [key.clone(), message.clone(), r.clone(), w.clone()],
                        _ => return Err(format!("ecdsa instance {index} at {address} has no signature or no cells")),
                    }
                } else {
                    pi.idle_signature.clone()
                };
                lane.push(instance);
            }
        }
        for (e, result) in lanes::ecdsa_lanes(&instances, curve).into_iter().enumerate() {
            let cols = result.map_err(|block| {
                let index = block * k_e + e;
                format!("the signature of ecdsa instance {index} (at {}) does not verify", seg.begin + 2 * index as u64)
            })?;
            for (block, instance) in instances[e].iter().enumerate() {
                let address = seg.begin + 2 * (block * k_e + e) as u64;
                for t in 0..2 {
                    bx[block * ECDSA_ROWS + layout1.ecdsa_slot_row(e, t)] = Some((address + t as u64, instance[t].clone()));
                }
            }
            ecdsa_cols.push(cols);
        }
    }

    // Public memory dummies, holes and padding for the free memory slots: mx on the rows without
    // a range_check cell, bx on the rows without a lane cell, row by row, mx first.
    let public = &pi.public_memory;
    let mut accessed: Vec<u64> = rows
        .iter()
        .flat_map(|r| r.addresses)
        .chain(rc_cells.iter().map(|c| c.0))
        .chain(bx.iter().flatten().map(|c| c.0))
        .chain(public.iter().map(|c| c.0))
        .collect();
    accessed.par_sort_unstable();
    accessed.dedup();
    let mut extras: Vec<(u64, Fe)> = vec![(0, Fe::zero()); public.len()];
    for w in accessed.windows(2) {
        extras.extend((w[0] + 1..w[1]).map(|a| (a, Fe::zero())));
    }
    let n_holes = extras.len() - public.len();
    let mut free: Vec<(usize, bool)> = Vec::with_capacity(2 * n); // (row, is bx)
    for (i, cell) in bx.iter().enumerate() {
        if !(cell_rows && i % RC_BUILTIN_RATIO == 0) {
            free.push((i, false));
        }
        if cell.is_none() {
            free.push((i, true));
        }
    }
    if extras.len() > free.len() {
        return Err(format!("{} public cells and {n_holes} memory holes exceed the {} free memory slots", public.len(), free.len()));
    }
    let mut mx: Vec<(u64, Fe)> = (0..n).map(|i| if cell_rows && i % RC_BUILTIN_RATIO == 0 { rc_cells[i / RC_BUILTIN_RATIO].clone() } else { (0, Fe::zero()) }).collect();
    let mut bx: Vec<(u64, Fe)> = bx.into_iter().map(|c| c.unwrap_or((0, Fe::zero()))).collect();
    for (k, &(i, is_bx)) in free.iter().enumerate() {
        let cell = if k < extras.len() { extras[k].clone() } else { (rows[i].pc, rows[i].inst.clone()) };
        if is_bx {
            bx[i] = cell;
        } else {
            mx[i] = cell;
        }
    }

    // Range-check fill values.
    let mut rc_values: Vec<u64> = rows.iter().flat_map(|r| r.offsets).collect();
    rc_values.extend_from_slice(&limbs);
    let mut present = vec![false; 1 << 16];
    for &v in &rc_values {
        present[v as usize] = true;
    }
    let (lo, hi) = (rc_values.iter().min().copied().unwrap_or(0), rc_values.iter().max().copied().unwrap_or(0));
    if lo < pi.rc_min || hi > pi.rc_max {
        return Err("a range-checked value lies outside [rc_min, rc_max]".into());
    }
    let missing: Vec<u64> = (pi.rc_min..=pi.rc_max).filter(|&v| !present[v as usize]).collect();
    let needed = 1.max(missing.len().div_ceil(n));
    let n_rc_fill = match n_rc_fill {
        None => needed,
        Some(k) if k < needed => return Err(format!("{} range-check fill values need {needed} fill columns", missing.len())),
        Some(k) => k,
    };
    if n_rc_fill > pi.max_rc_fill {
        return Err(format!("{} range-check fill values need {n_rc_fill} fill columns, more than {}", missing.len(), pi.max_rc_fill));
    }
    let layout = Layout { n_rc_fill, n_pedersen_lanes: k_p, n_ecdsa_lanes: k_e };
    let mut fills = missing;
    fills.resize(n * n_rc_fill, pi.rc_min);

    // Sorted copies: real accesses with the public cells in place of the dummies.
    let key = |(a, v): &(u64, Fe)| (*a, repr(v));
    let mut sorted_mem: Vec<(u64, Fe)> = Vec::with_capacity(n * MEM_SLOTS);
    for r in &rows {
        for &(a, v) in &UNSORTED_MEM[..4] {
            sorted_mem.push((as_u64(&r.cpu[a]).unwrap(), r.cpu[v].clone()));
        }
    }
    let dummy = |(a, v): &&(u64, Fe)| !(*a == 0 && *v == Fe::zero());
    sorted_mem.extend(mx.iter().filter(dummy).cloned());
    sorted_mem.extend(bx.iter().filter(dummy).cloned());
    sorted_mem.extend(public.iter().cloned());
    if sorted_mem.len() != n * MEM_SLOTS {
        return Err("the program accesses address 0, which is reserved for public memory dummies".into());
    }
    sorted_mem.par_sort_by_cached_key(key);
    let mut sorted_rc: Vec<u64> = rc_values;
    sorted_rc.extend_from_slice(&fills);
    sorted_rc.par_sort_unstable();

    let width = layout.main_width();
    let rc_slots = layout.rc_slots();
    let (rc_fill, sorted_rc_col, lanes_end) = (layout.rc_fill(), layout.sorted_rc(), layout.rc_fill());
    let ecdsa_first = layout.ecdsa(0);
    let mut main: Vec<Col> = (0..width)
        .into_par_iter()
        .map(|c| {
            if (LANES..lanes_end).contains(&c) {
                return Col::from_vec(Vec::new()); // the lanes' columns, moved in below
            }
            let column: Vec<Fe> = (0..n)
                .map(|i| match c {
                    c if c < CPU_COLUMNS => rows[i].cpu[c].clone(),
                    MX_ADDR => fe(mx[i].0),
                    MX_VAL => mx[i].1.clone(),
                    RC_LIMB => fe(limbs[i]),
                    BX_ADDR => fe(bx[i].0),
                    BX_VAL => bx[i].1.clone(),
                    c if c < LANES => {
                        let s = (c - SORTED_MEM) / 2;
                        let (a, v) = &sorted_mem[i * MEM_SLOTS + s];
                        if (c - SORTED_MEM) % 2 == 0 { fe(*a) } else { v.clone() }
                    }
                    c if c < sorted_rc_col => fe(fills[i * n_rc_fill + (c - rc_fill)]),
                    c => fe(sorted_rc[i * rc_slots + (c - sorted_rc_col)]),
                })
                .collect();
            Col::from_vec(column)
        })
        .collect();
    for (k, cols) in pedersen_cols.into_iter().enumerate() {
        for (j, col) in cols.into_iter().enumerate() {
            main[layout.pedersen(k) + j] = col;
        }
    }
    for (e, cols) in ecdsa_cols.into_iter().enumerate() {
        for (j, col) in cols.into_iter().enumerate() {
            main[ecdsa_first + ECDSA_WIDTH * e + j] = col;
        }
    }
    Ok((main, n_rc_fill))
}

/// Running products of the memory (z, α) and range-check (z_rc) permutation arguments, one
/// column per slot, row by row then slot by slot (trace.py `build_aux_columns`).
pub fn build_aux(layout: &Layout, main: &[Col], z: &Fe, alpha: &Fe, z_rc: &Fe) -> Vec<Col> {
    let n = main[0].len();
    let mut out = Vec::new();
    let unsorted_rc = layout.unsorted_rc();
    let sorted_rc = layout.sorted_rc();
    for (slots, mem) in [(MEM_SLOTS, true), (layout.rc_slots(), false)] {
        let term = |k: usize, sorted: bool| -> Fe {
            let (i, s) = (k / slots, k % slots);
            if mem {
                let (a, v) = if sorted { (SORTED_MEM + 2 * s, SORTED_MEM + 2 * s + 1) } else { UNSORTED_MEM[s] };
                z - &(&main[a][i] + &(alpha * &main[v][i]))
            } else {
                let c = if sorted { sorted_rc + s } else { unsorted_rc[s] };
                z_rc - &main[c][i]
            }
        };
        let numerators: Vec<Fe> = (0..n * slots).into_par_iter().map(|k| term(k, false)).collect();
        let mut ratios: Vec<Fe> = (0..n * slots).into_par_iter().map(|k| term(k, true)).collect();
        batch_inverse(&mut ratios).expect("a challenge equal to a trace value has negligible probability");
        ratios.par_iter_mut().zip(numerators.par_iter()).for_each(|(r, num)| *r = &*r * num);
        // Prefix products: per block in parallel, then each block scaled by the product before it.
        const BLOCK: usize = 1 << 14;
        let mut block_totals: Vec<Fe> = ratios
            .par_chunks_mut(BLOCK)
            .map(|chunk| {
                let mut acc = Fe::one();
                for v in chunk.iter_mut() {
                    acc = &acc * &*v;
                    *v = acc.clone();
                }
                acc
            })
            .collect();
        let mut acc = Fe::one();
        for t in block_totals.iter_mut() {
            let before = acc.clone();
            acc = &acc * &*t;
            *t = before;
        }
        ratios.par_chunks_mut(BLOCK).zip(block_totals.par_iter()).for_each(|(chunk, before)| {
            for v in chunk.iter_mut() {
                *v = &*v * before;
            }
        });
        for s in 0..slots {
            out.push(Col::from_vec((0..n).into_par_iter().map(|i| ratios[i * slots + s].clone()).collect()));
        }
    }
    out
}

#[cfg(feature = "python")]
mod python {
    use super::*;
    use crate::lanes::Point;
    use crate::python::{word, words, Columns};
    use pyo3::exceptions::PyValueError;
    use pyo3::prelude::*;
    use pyo3::types::PyBytes;

    pyo3::create_exception!(stark_native, TraceBuildError, PyValueError);

    fn point(p: &(Bound<'_, PyBytes>, Bound<'_, PyBytes>)) -> PyResult<Point> {
        Ok((word(p.0.as_bytes())?, word(p.1.as_bytes())?))
    }

    /// The curve's constants (offchain/prover/cairo/curve.py): alpha, beta, shift point,
    /// generator, and the hash's points per input (252 each).
    #[pyclass(module = "stark_native", frozen)]
    pub struct CurveConstants {
        inner: Curve,
    }

    type PyPoint<'py> = (Bound<'py, PyBytes>, Bound<'py, PyBytes>);

    #[pymethods]
    impl CurveConstants {
        #[new]
        fn new(alpha: Bound<'_, PyBytes>, beta: Bound<'_, PyBytes>, shift: PyPoint<'_>, generator: PyPoint<'_>, hash_points: Vec<Vec<PyPoint<'_>>>) -> PyResult<Self> {
            if hash_points.len() != 2 || hash_points.iter().any(|p| p.len() != 252) {
                return Err(PyValueError::new_err("two inputs of 252 hash points"));
            }
            let pts = |k: usize| hash_points[k].iter().map(point).collect::<PyResult<Vec<_>>>();
            Ok(CurveConstants {
                inner: Curve { alpha: word(alpha.as_bytes())?, beta: word(beta.as_bytes())?, shift: point(&shift)?, generator: point(&generator)?, hash_points: [pts(0)?, pts(1)?] },
            })
        }
    }

    /// The Cairo AIR's main columns from the runner's trace and memory files (their bytes), the
    /// public input's bounds, the trace length, the builtin segments ((begin, stop) for
    /// range_check, (begin, stop, lanes) for pedersen and ecdsa; None when unused), the signatures
    /// ((index, r word, w word)), the idle signature's four words and the public memory cells;
    /// returns (columns, n_rc_fill).
    #[pyfunction]
    #[pyo3(signature = (trace, memory, rc_min, rc_max, n_steps, trace_length, rc_segment, pedersen, ecdsa, signatures, idle_signature, public_memory, curve, max_rc_fill, n_rc_fill=None))]
    #[allow(clippy::too_many_arguments)]
    fn cairo_main_trace(
        py: Python<'_>,
        trace: &[u8],
        memory: &[u8],
        rc_min: u64,
        rc_max: u64,
        n_steps: usize,
        trace_length: usize,
        rc_segment: Option<(u64, u64)>,
        pedersen: Option<(u64, u64, usize)>,
        ecdsa: Option<(u64, u64, usize)>,
        signatures: Vec<(u64, Bound<'_, PyBytes>, Bound<'_, PyBytes>)>,
        idle_signature: Bound<'_, PyBytes>,
        public_memory: Vec<(u64, Bound<'_, PyBytes>)>,
        curve: &CurveConstants,
        max_rc_fill: usize,
        n_rc_fill: Option<usize>,
    ) -> PyResult<(Columns, usize)> {
        let public_memory = public_memory.iter().map(|(a, v)| Ok((*a, word(v.as_bytes())?))).collect::<PyResult<Vec<_>>>()?;
        let signatures = signatures.iter().map(|(i, r, w)| Ok((*i, (word(r.as_bytes())?, word(w.as_bytes())?)))).collect::<PyResult<HashMap<_, _>>>()?;
        let idle = words(idle_signature.as_bytes())?;
        let idle_signature: [Fe; 4] = idle.try_into().map_err(|_| PyValueError::new_err("the idle signature is four words"))?;
        let lane = |s: Option<(u64, u64, usize)>| s.map(|(begin, stop, lanes)| LaneSegment { begin, stop, lanes });
        let pi = PublicInput {
            rc_min, rc_max, n_steps, trace_length, rc_segment, pedersen: lane(pedersen), ecdsa: lane(ecdsa), signatures, idle_signature, public_memory, max_rc_fill,
        };
        if pi.rc_max >= 1 << 16 || pi.rc_min > pi.rc_max {
            return Err(TraceBuildError::new_err("rc_min/rc_max are not 16-bit bounds in order"));
        }
        let (trace, memory) = (trace.to_vec(), memory.to_vec());
        py.detach(|| {
            let steps = read_trace(&trace)?;
            let memory = read_memory(&memory)?;
            build_trace(&steps, &memory, &pi, &curve.inner, n_rc_fill)
        })
        .map(|(cols, e)| (Columns { cols }, e))
        .map_err(TraceBuildError::new_err)
    }

    /// One pedersen lane of the (a, b) inputs (32-byte words each), one hash per block: its
    /// columns and the hashes, as words (lanes.rs; tests compare them with the reference).
    #[pyfunction]
    fn pedersen_lane<'py>(py: Python<'py>, inputs: Vec<(Bound<'py, PyBytes>, Bound<'py, PyBytes>)>, curve: &CurveConstants) -> PyResult<(Columns, Bound<'py, PyBytes>)> {
        let inputs = inputs.iter().map(|(a, b)| Ok((word(a.as_bytes())?, word(b.as_bytes())?))).collect::<PyResult<Vec<_>>>()?;
        let (cols, outputs) = py.detach(|| lanes::pedersen_lane(&inputs, &curve.inner));
        let mut out = Vec::with_capacity(32 * outputs.len());
        for h in &outputs {
            out.extend_from_slice(&crate::field::to_be_bytes(h));
        }
        Ok((Columns { cols: cols.into_iter().map(Col::from_vec).collect() }, PyBytes::new(py, &out)))
    }

    /// One ecdsa lane of (public key, message, r, w) instances (four words each), one signature
    /// per block; raises TraceBuildError naming the first block whose signature does not verify.
    #[pyfunction]
    fn ecdsa_lane(py: Python<'_>, instances: Vec<Bound<'_, PyBytes>>, curve: &CurveConstants) -> PyResult<Columns> {
        let instances = instances
            .iter()
            .map(|w| words(w.as_bytes())?.try_into().map_err(|_| PyValueError::new_err("an instance is four words")))
            .collect::<PyResult<Vec<[Fe; 4]>>>()?;
        py.detach(|| lanes::ecdsa_lane(&instances, &curve.inner))
            .map(|cols| Columns { cols: cols.into_iter().map(Col::from_vec).collect() })
            .map_err(|block| TraceBuildError::new_err(format!("the signature of block {block} does not verify")))
    }

    /// The interaction columns from the main columns, the counts and the challenges (z, alpha,
    /// z_rc) as words.
    #[pyfunction]
    fn cairo_aux_trace(py: Python<'_>, main: &Columns, n_rc_fill: usize, n_pedersen_lanes: usize, n_ecdsa_lanes: usize, challenges: &[u8]) -> PyResult<Columns> {
        let ch = words(challenges)?;
        let layout = Layout { n_rc_fill, n_pedersen_lanes, n_ecdsa_lanes };
        if ch.len() != 3 || main.cols.len() != layout.main_width() {
            return Err(PyValueError::new_err("expected 3 challenges and the layout's main columns"));
        }
        Ok(Columns { cols: py.detach(|| build_aux(&layout, &main.cols, &ch[0], &ch[1], &ch[2])) })
    }

    pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
        m.add("TraceBuildError", m.py().get_type::<TraceBuildError>())?;
        m.add_class::<CurveConstants>()?;
        m.add_function(wrap_pyfunction!(cairo_main_trace, m)?)?;
        m.add_function(wrap_pyfunction!(pedersen_lane, m)?)?;
        m.add_function(wrap_pyfunction!(ecdsa_lane, m)?)?;
        m.add_function(wrap_pyfunction!(cairo_aux_trace, m)?)?;
        Ok(())
    }
}

#[cfg(feature = "python")]
pub use python::register;
