//! The native NTT (branch-free additions, `ntt::Twiddles`) against lambdaworks' own radix-2 and
//! radix-4 transforms, single-threaded, in butterflies per CPU second (a profiling aid; the
//! figures behind ntt.rs's choice): cargo run --release --no-default-features --example ntt_sizes
use lambdaworks_math::fft::cpu::bit_reversing::in_place_bit_reverse_permute;
use lambdaworks_math::fft::cpu::fft::{in_place_nr_2radix_fft, in_place_nr_4radix_fft};
use lambdaworks_math::fft::cpu::roots_of_unity::get_twiddles;
use lambdaworks_math::field::fields::fft_friendly::stark_252_prime_field::Stark252PrimeField;
use lambdaworks_math::field::traits::RootsConfig;
use stark_native::field::Fe;
use stark_native::ntt::Twiddles;
use stark_native::thread_cpu_seconds as cpu;

fn rate(log_n: usize, mut transform: impl FnMut()) -> f64 {
    let reps = ((1usize << 21) >> log_n).max(1);
    let start = cpu();
    for _ in 0..reps {
        transform();
    }
    ((1usize << log_n) / 2 * log_n) as f64 * reps as f64 / (cpu() - start) / 1e6
}

fn main() {
    println!("{:>5} {:>12} {:>16} {:>16}", "size", "native M/s", "lambdaworks r2", "lambdaworks r4");
    for log_n in [12usize, 14, 16, 18, 19] {
        let n = 1 << log_n;
        let input: Vec<Fe> = (0..n).map(|i| Fe::from((i * 31 + 1) as u64).square()).collect();
        let twiddles = get_twiddles::<Stark252PrimeField>(log_n as u64, RootsConfig::BitReverse).unwrap();
        let ours = Twiddles::new(n);
        let mut a = input.clone();
        let native = rate(log_n, || ours.ntt(&mut a));
        let mut b = input.clone();
        let radix2 = rate(log_n, || {
            in_place_nr_2radix_fft(&mut b, &twiddles);
            in_place_bit_reverse_permute(&mut b);
        });
        assert_eq!(a, b, "the transforms agree");
        let radix4 = if log_n % 2 == 0 {
            let mut c = input.clone();
            format!("{:.1}", rate(log_n, || {
                in_place_nr_4radix_fft(&mut c, &twiddles);
                in_place_bit_reverse_permute(&mut c);
            }))
        } else {
            "-".into()
        };
        println!("{:>5} {native:>12.1} {radix2:>16.1} {radix4:>16}", format!("2^{log_n}"));
    }
}
