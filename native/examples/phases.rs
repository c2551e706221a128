//! Times the native core's NTT and commitment on random columns of a Cairo-like shape
//! (a profiling aid): cargo run --release --example phases -- LOG_N WIDTH BLOWUP
use stark_native::field::Fe;
use stark_native::ntt::Twiddles;
use stark_native::stark::Segment;
use stark_native::store::Col;
use stark_native::thread_cpu_seconds as cpu;
use std::time::Instant;

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).map(|a| a.parse().unwrap()).collect();
    let (log_n, width, blowup) = (args[0], args[1], args[2]);
    let n = 1 << log_n;
    let columns: Vec<Col> = (0..width).map(|c| Col::from_vec((0..n).map(|i| Fe::from((i * 31 + c * 7 + 1) as u64).square()).collect())).collect();
    let tw = Twiddles::new(n);
    let mut one = columns[0].to_vec();
    let t = cpu();
    for _ in 0..32 {
        tw.ntt(&mut one);
    }
    let dt = (cpu() - t) / 32.0;
    println!("one NTT 2^{log_n}: {:.1} ms, {:.1} M butterflies/s", dt * 1e3, (n / 2 * log_n) as f64 / dt / 1e6);
    let t = Instant::now();
    let segment = Segment::from_evaluations(&columns, blowup);
    println!("commit {width} columns 2^{log_n} blowup {blowup}: {:.2} s, root {:02x?}", t.elapsed().as_secs_f64(), &segment.tree.root()[..4]);
}
