//! Number-theoretic transforms on lambdaworks' radix-2 FFT, in the natural-order conventions of
//! offchain/prover/kernels.py: evaluation i of a domain of size n with shift s is at s·w_n^i,
//! coefficients in increasing degree.
use crate::field::{add, log2, root_of_unity, sub, Fe};
use lambdaworks_math::fft::cpu::bit_reversing::in_place_bit_reverse_permute;
use lambdaworks_math::field::traits::RootsConfig;
use lambdaworks_math::fft::cpu::roots_of_unity::get_twiddles;
use lambdaworks_math::field::fields::fft_friendly::stark_252_prime_field::Stark252PrimeField;

/// The twiddles of one transform size, forward or inverse (bit-reversed, as the NR FFT wants).
pub struct Twiddles {
    pub n: usize,
    forward: Vec<Fe>,
    inverse: Vec<Fe>,
    n_inv: Fe,
}

impl Twiddles {
    pub fn new(n: usize) -> Self {
        let order = log2(n) as u64;
        let (forward, inverse) = if n == 1 {
            (vec![Fe::one()], vec![Fe::one()])
        } else {
            (
                get_twiddles::<Stark252PrimeField>(order, RootsConfig::BitReverse).unwrap(),
                get_twiddles::<Stark252PrimeField>(order, RootsConfig::BitReverseInversed).unwrap(),
            )
        };
        Twiddles { n, forward, inverse, n_inv: Fe::from(n as u64).inv().unwrap() }
    }

    /// values[j] (coefficients) -> f(w_n^i), in place.
    pub fn ntt(&self, values: &mut [Fe]) {
        assert_eq!(values.len(), self.n);
        transform(values, &self.forward);
    }

    /// Evaluations over <w_n> -> coefficients, in place.
    pub fn intt(&self, values: &mut [Fe]) {
        assert_eq!(values.len(), self.n);
        transform(values, &self.inverse);
        for v in values.iter_mut() {
            *v = &*v * &self.n_inv;
        }
    }

    /// Coefficients -> f(shift·w_n^i), in place; `shift_powers` = [shift^0, shift^1, ...].
    pub fn coset_ntt(&self, values: &mut [Fe], shift_powers: &[Fe]) {
        for (v, s) in values.iter_mut().zip(shift_powers) {
            *v = &*v * s;
        }
        self.ntt(values);
    }

    /// f(shift·w_n^i) -> coefficients, in place; `unshift_powers` = [shift^-0, shift^-1, ...].
    pub fn coset_intt(&self, values: &mut [Fe], unshift_powers: &[Fe]) {
        self.intt(values);
        for (v, s) in values.iter_mut().zip(unshift_powers) {
            *v = &*v * s;
        }
    }
}

/// The radix-2 NR FFT (natural-order input, bit-reversed twiddles: lambdaworks' loop) with
/// branch-free additions (`field::add`: 1.45x lambdaworks' own radix-2 and radix-4 transforms at
/// 2^12..2^19, native/examples/ntt_sizes.rs), then the bit-reverse permutation.
fn transform(values: &mut [Fe], twiddles: &[Fe]) {
    let n = values.len();
    let mut groups = 1;
    let mut size = n;
    while groups < n {
        let half = size / 2;
        for (group, w) in values.chunks_exact_mut(size).zip(twiddles) {
            let (low, high) = group.split_at_mut(half);
            for (a, b) in low.iter_mut().zip(high.iter_mut()) {
                let wb = w * &*b;
                *b = sub(a, &wb);
                *a = add(a, &wb);
            }
        }
        groups *= 2;
        size = half;
    }
    in_place_bit_reverse_permute(values);
}

/// The shift of coset k of the LDE domain s·<w_N> split into `blowup` cosets of the trace
/// domain: points j = k + blowup·i are s·w_N^k·w_n^i.
pub fn coset_offset(shift: &Fe, lde_size: usize, k: usize) -> Fe {
    shift * root_of_unity(log2(lde_size)).pow(k as u64)
}

/// Horner's rule for one polynomial at several points, in one pass over its coefficients (the
/// chains are independent, so they also overlap in the pipeline): what a column in a file,
/// larger than the page cache, must be read for once, not once per point.
pub fn evaluate_points(coeffs: &[Fe], xs: &[Fe]) -> Vec<Fe> {
    let mut acc = vec![Fe::zero(); xs.len()];
    for c in coeffs.iter().rev() {
        for (a, x) in acc.iter_mut().zip(xs) {
            *a = add(&(&*a * x), c);
        }
    }
    acc
}
