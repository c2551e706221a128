//! The Stark field P = 2^251 + 17·2^192 + 1 (lambdaworks' Montgomery `Stark252PrimeField`) and the
//! conventions of offchain/prover/kernels.py: elements cross the Python boundary as 32-byte
//! big-endian words, the 2^k-th root of unity is 3^((P-1)/2^k), natural evaluation order.
use lambdaworks_math::field::element::FieldElement;
use lambdaworks_math::field::fields::fft_friendly::stark_252_prime_field::Stark252PrimeField;
use lambdaworks_math::field::traits::IsFFTField;
use lambdaworks_math::unsigned_integer::element::U256;
use rayon::prelude::*;

pub type Fe = FieldElement<Stark252PrimeField>;

/// P's limbs, most significant first (lambdaworks' order).
const MODULUS: [u64; 4] = [0x0800000000000011, 0, 0, 1];

/// a + b without a data-dependent branch. lambdaworks' `+` and `-` compare and branch, and on
/// the prover's (random) values the branch mispredicts half the time: with these the NTT runs
/// ~1.45x faster (native/examples/ntt_sizes.rs). Both operate on the Montgomery forms, which add
/// and subtract as the values do; P < 2^252, so a + b never overflows 256 bits.
#[inline(always)]
pub fn add(a: &Fe, b: &Fe) -> Fe {
    let (sum, _) = add_limbs(&a.value().limbs, &b.value().limbs);
    let (reduced, below_p) = sub_limbs(&sum, &MODULUS);
    let keep = 0u64.wrapping_sub(below_p as u64); // sum < P: keep the sum
    Fe::from_raw(U256 { limbs: std::array::from_fn(|i| (sum[i] & keep) | (reduced[i] & !keep)) })
}

/// a − b without a data-dependent branch (see `add`).
#[inline(always)]
pub fn sub(a: &Fe, b: &Fe) -> Fe {
    let (diff, borrow) = sub_limbs(&a.value().limbs, &b.value().limbs);
    let mask = 0u64.wrapping_sub(borrow as u64); // add P back when it went below zero
    let (out, _) = add_limbs(&diff, &MODULUS.map(|limb| limb & mask));
    Fe::from_raw(U256 { limbs: out })
}

/// x + y over most-significant-first limbs, and the carry out.
#[inline(always)]
fn add_limbs(x: &[u64; 4], y: &[u64; 4]) -> ([u64; 4], bool) {
    let mut out = [0u64; 4];
    let mut carry = false;
    for i in (0..4).rev() {
        let (v, c1) = x[i].overflowing_add(y[i]);
        let (v, c2) = v.overflowing_add(carry as u64);
        out[i] = v;
        carry = c1 | c2;
    }
    (out, carry)
}

/// x − y over most-significant-first limbs, and the borrow out (x < y).
#[inline(always)]
fn sub_limbs(x: &[u64; 4], y: &[u64; 4]) -> ([u64; 4], bool) {
    let mut out = [0u64; 4];
    let mut borrow = false;
    for i in (0..4).rev() {
        let (v, b1) = x[i].overflowing_sub(y[i]);
        let (v, b2) = v.overflowing_sub(borrow as u64);
        out[i] = v;
        borrow = b1 | b2;
    }
    (out, borrow)
}

/// The coset shift of every low-degree extension (offchain/prover/field.py COSET_SHIFT).
pub fn coset_shift() -> Fe {
    Fe::from(3u64)
}

/// A 32-byte big-endian word as a field element; None unless canonical (< P).
pub fn from_be_bytes(bytes: &[u8]) -> Option<Fe> {
    let mut limbs = [0u64; 4];
    for (k, limb) in limbs.iter_mut().enumerate() {
        *limb = u64::from_be_bytes(bytes[8 * k..8 * k + 8].try_into().unwrap());
    }
    if limbs >= MODULUS {
        return None;
    }
    Some(Fe::new(U256 { limbs }))
}

pub fn to_be_bytes(x: &Fe) -> [u8; 32] {
    let limbs = x.representative().limbs;
    let mut out = [0u8; 32];
    for k in 0..4 {
        out[8 * k..8 * k + 8].copy_from_slice(&limbs[k].to_be_bytes());
    }
    out
}

/// The primitive 2^log_n-th root of unity 3^((P-1)/2^log_n).
pub fn root_of_unity(log_n: u32) -> Fe {
    Stark252PrimeField::get_primitive_root_of_unity(log_n as u64).expect("log_n <= 192")
}

pub fn log2(n: usize) -> u32 {
    assert!(n.is_power_of_two(), "{n} is not a power of two");
    n.trailing_zeros()
}

/// [start, start·base, start·base², ...], `count` of them, computed in parallel blocks.
pub fn powers(base: &Fe, start: &Fe, count: usize) -> Vec<Fe> {
    const BLOCK: usize = 1 << 12;
    let mut out = vec![Fe::zero(); count];
    out.par_chunks_mut(BLOCK).enumerate().for_each(|(b, chunk)| {
        let mut acc = start * base.pow((b * BLOCK) as u64);
        for v in chunk.iter_mut() {
            *v = acc.clone();
            acc = &acc * base;
        }
    });
    out
}

/// 1/x for every x (Montgomery's trick per block, blocks in parallel); Err(index) of a zero.
pub fn batch_inverse(values: &mut [Fe]) -> Result<(), usize> {
    if let Some(i) = values.iter().position(|v| *v == Fe::zero()) {
        return Err(i);
    }
    values.par_chunks_mut(1 << 12).for_each(|chunk| {
        Fe::inplace_batch_inverse(chunk).expect("no zero");
    });
    Ok(())
}
