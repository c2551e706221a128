/*
 * Arithmetic kernels for the STARK prover over the Stark field
 * P = 2^251 + 17 * 2^192 + 1.
 *
 * Interface convention: every element crossing the interface is 4 little-endian 64-bit limbs,
 * canonical (< P). Montgomery form (x * 2^256 mod P) is used only inside, and for constant
 * multipliers: mont_mul(x, y * R) = x * y, so data can stay canonical while twiddles, shifts and
 * scalars are handed over pre-multiplied by R.
 *
 * P's limbs are (1, 0, 0, 0x0800000000000011): P = 1 mod 2^192, so the Montgomery quotient for
 * the low 192 bits is just their negation and the whole reduction costs four 64x64 products (see
 * mont_mul). 4P < 2^256, so sums of two canonical values never overflow four limbs.
 *
 * Written for gcc on x86-64 (unsigned __int128, <x86intrin.h> carry intrinsics); build.py adds
 * -mbmi2 -madx where the CPU has them, which switches the product to mulx/adcx/adox.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <x86intrin.h>

typedef uint64_t u64;
typedef unsigned __int128 u128;

#define P3 0x0800000000000011ULL

typedef struct { u64 v[4]; } fe;

/* gcc's inliner gives up on the bigger kernels otherwise, and a call per field operation costs
 * a third of the NTT's time. */
#define INLINE static inline __attribute__((always_inline))

/* R^2 mod P with R = 2^256: mont_mul(x, R2) converts x into Montgomery form. */
static const fe FE_R2 = {{0xfffffd737e000401ULL, 0x00000001330fffffULL,
                          0xffffffffff6f8000ULL, 0x07ffd4ab5e008810ULL}};
static const fe FE_ONE = {{1ULL, 0ULL, 0ULL, 0ULL}};
/* R mod P: Montgomery form of 1. */
static const fe FE_R = {{0xffffffffffffffe1ULL, 0xffffffffffffffffULL,
                         0xffffffffffffffffULL, 0x07fffffffffffdf0ULL}};

/* Subtract P when t >= P; t < 2P on entry. Branch-free so random data costs no mispredictions. */
INLINE fe reduce_once(u64 t0, u64 t1, u64 t2, u64 t3) {
    unsigned long long s0, s1, s2, s3;
    unsigned char borrow;
    borrow = _subborrow_u64(0, t0, 1ULL, &s0);
    borrow = _subborrow_u64(borrow, t1, 0ULL, &s1);
    borrow = _subborrow_u64(borrow, t2, 0ULL, &s2);
    borrow = _subborrow_u64(borrow, t3, P3, &s3);
    u64 keep = -(u64)borrow; /* all ones when t < P: keep t */
    fe r;
    r.v[0] = (t0 & keep) | (s0 & ~keep);
    r.v[1] = (t1 & keep) | (s1 & ~keep);
    r.v[2] = (t2 & keep) | (s2 & ~keep);
    r.v[3] = (t3 & keep) | (s3 & ~keep);
    return r;
}

INLINE fe fe_add(fe a, fe b) {
    unsigned long long t0, t1, t2, t3;
    unsigned char carry;
    carry = _addcarry_u64(0, a.v[0], b.v[0], &t0);
    carry = _addcarry_u64(carry, a.v[1], b.v[1], &t1);
    carry = _addcarry_u64(carry, a.v[2], b.v[2], &t2);
    _addcarry_u64(carry, a.v[3], b.v[3], &t3);
    return reduce_once(t0, t1, t2, t3);
}

INLINE fe fe_sub(fe a, fe b) {
    unsigned long long t0, t1, t2, t3;
    unsigned char borrow;
    borrow = _subborrow_u64(0, a.v[0], b.v[0], &t0);
    borrow = _subborrow_u64(borrow, a.v[1], b.v[1], &t1);
    borrow = _subborrow_u64(borrow, a.v[2], b.v[2], &t2);
    borrow = _subborrow_u64(borrow, a.v[3], b.v[3], &t3);
    u64 mask = -(u64)borrow; /* add P back only when a < b */
    unsigned char carry;
    carry = _addcarry_u64(0, t0, 1ULL & mask, &t0);
    carry = _addcarry_u64(carry, t1, 0ULL, &t1);
    carry = _addcarry_u64(carry, t2, 0ULL, &t2);
    _addcarry_u64(carry, t3, P3 & mask, &t3);
    fe r = {{t0, t1, t2, t3}};
    return r;
}

/* The 512-bit product a * b as t0..t7. */
#if defined(__BMI2__) && defined(__ADX__)
/* mulx leaves the flags alone, so adcx (CF) and adox (OF) run two carry chains at once: the
 * low halves of row i go down one chain, the high halves down the other. */
INLINE void product4(fe a, fe b, u64 *r0, u64 *r1, u64 *r2, u64 *r3, u64 *r4, u64 *r5,
                            u64 *r6, u64 *r7) {
    u64 t0, t1, t2, t3, t4, t5, t6, t7, lo, hi, zero;
    __asm__(
        "movq %[b0], %%rdx\n\t"
        "mulx %[a0], %[t0], %[t1]\n\t"
        "mulx %[a1], %[lo], %[t2]\n\t"
        "addq %[lo], %[t1]\n\t"
        "mulx %[a2], %[lo], %[t3]\n\t"
        "adcq %[lo], %[t2]\n\t"
        "mulx %[a3], %[lo], %[t4]\n\t"
        "adcq %[lo], %[t3]\n\t"
        "adcq $0, %[t4]\n\t"
#define ROW(B, X0, X1, X2, X3, X4)                    \
        "movq " B ", %%rdx\n\t"                      \
        "xorl %k[zero], %k[zero]\n\t"                \
        "mulx %[a0], %[lo], %[hi]\n\t"               \
        "adoxq %[lo], " X0 "\n\t"                    \
        "adcxq %[hi], " X1 "\n\t"                    \
        "mulx %[a1], %[lo], %[hi]\n\t"               \
        "adoxq %[lo], " X1 "\n\t"                    \
        "adcxq %[hi], " X2 "\n\t"                    \
        "mulx %[a2], %[lo], %[hi]\n\t"               \
        "adoxq %[lo], " X2 "\n\t"                    \
        "adcxq %[hi], " X3 "\n\t"                    \
        "mulx %[a3], %[lo], " X4 "\n\t"              \
        "adoxq %[lo], " X3 "\n\t"                    \
        "adcxq %[zero], " X4 "\n\t"                  \
        "adoxq %[zero], " X4 "\n\t"
        ROW("%[b1]", "%[t1]", "%[t2]", "%[t3]", "%[t4]", "%[t5]")
        ROW("%[b2]", "%[t2]", "%[t3]", "%[t4]", "%[t5]", "%[t6]")
        ROW("%[b3]", "%[t3]", "%[t4]", "%[t5]", "%[t6]", "%[t7]")
#undef ROW
        : [t0] "=&r"(t0), [t1] "=&r"(t1), [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4),
          [t5] "=&r"(t5), [t6] "=&r"(t6), [t7] "=&r"(t7), [lo] "=&r"(lo), [hi] "=&r"(hi),
          [zero] "=&r"(zero)
        : [a0] "m"(a.v[0]), [a1] "m"(a.v[1]), [a2] "m"(a.v[2]), [a3] "m"(a.v[3]),
          [b0] "m"(b.v[0]), [b1] "m"(b.v[1]), [b2] "m"(b.v[2]), [b3] "m"(b.v[3])
        : "rdx", "cc");
    *r0 = t0; *r1 = t1; *r2 = t2; *r3 = t3; *r4 = t4; *r5 = t5; *r6 = t6; *r7 = t7;
}
#else
INLINE void product4(fe a, fe b, u64 *r0, u64 *r1, u64 *r2, u64 *r3, u64 *r4, u64 *r5,
                            u64 *r6, u64 *r7) {
    u64 t0, t1, t2, t3, t4, t5, t6, t7;
    u128 acc;
    /* row 0 */
    acc = (u128)a.v[0] * b.v[0]; t0 = (u64)acc;
    acc = (u128)a.v[1] * b.v[0] + (acc >> 64); t1 = (u64)acc;
    acc = (u128)a.v[2] * b.v[0] + (acc >> 64); t2 = (u64)acc;
    acc = (u128)a.v[3] * b.v[0] + (acc >> 64); t3 = (u64)acc; t4 = (u64)(acc >> 64);
    /* rows 1..3 */
    acc = (u128)a.v[0] * b.v[1] + t1; t1 = (u64)acc;
    acc = (u128)a.v[1] * b.v[1] + t2 + (acc >> 64); t2 = (u64)acc;
    acc = (u128)a.v[2] * b.v[1] + t3 + (acc >> 64); t3 = (u64)acc;
    acc = (u128)a.v[3] * b.v[1] + t4 + (acc >> 64); t4 = (u64)acc; t5 = (u64)(acc >> 64);
    acc = (u128)a.v[0] * b.v[2] + t2; t2 = (u64)acc;
    acc = (u128)a.v[1] * b.v[2] + t3 + (acc >> 64); t3 = (u64)acc;
    acc = (u128)a.v[2] * b.v[2] + t4 + (acc >> 64); t4 = (u64)acc;
    acc = (u128)a.v[3] * b.v[2] + t5 + (acc >> 64); t5 = (u64)acc; t6 = (u64)(acc >> 64);
    acc = (u128)a.v[0] * b.v[3] + t3; t3 = (u64)acc;
    acc = (u128)a.v[1] * b.v[3] + t4 + (acc >> 64); t4 = (u64)acc;
    acc = (u128)a.v[2] * b.v[3] + t5 + (acc >> 64); t5 = (u64)acc;
    acc = (u128)a.v[3] * b.v[3] + t6 + (acc >> 64); t6 = (u64)acc; t7 = (u64)(acc >> 64);
    *r0 = t0; *r1 = t1; *r2 = t2; *r3 = t3; *r4 = t4; *r5 = t5; *r6 = t6; *r7 = t7;
}
#endif

/*
 * a * b / 2^256 mod P, canonical, for canonical a and b. Schoolbook product, then the
 * Montgomery reduction in two steps that P's shape makes cheap: P = 1 + P3 * 2^192, so adding
 * m * P with m = -t mod 2^192 clears the low three limbs for three 64x64 products, and one more
 * step with m = -u0 clears the next limb. The result is < 2P, then reduced once.
 */
INLINE fe mont_mul(fe a, fe b) {
    u64 t0, t1, t2, t3, t4, t5, t6, t7;
    u128 acc;
    product4(a, b, &t0, &t1, &t2, &t3, &t4, &t5, &t6, &t7);
    /* divide by 2^192: m = -(t0,t1,t2) mod 2^192; t + m*P = t + m + m*P3*2^192 */
    unsigned long long m0, m1, m2;
    unsigned char br;
    br = _subborrow_u64(0, 0, t0, &m0);
    br = _subborrow_u64(br, 0, t1, &m1);
    _subborrow_u64(br, 0, t2, &m2);
    u64 c = (t0 | t1 | t2) != 0;
    unsigned long long u0, u1, u2, u3, u4;
    u64 p0, p1, p2, p3;
    acc = (u128)m0 * P3; p0 = (u64)acc;
    acc = (u128)m1 * P3 + (acc >> 64); p1 = (u64)acc;
    acc = (u128)m2 * P3 + (acc >> 64); p2 = (u64)acc; p3 = (u64)(acc >> 64);
    unsigned char cy;
    /* the carry c out of the cleared low limbs enters as the chain's carry-in */
    cy = _addcarry_u64((unsigned char)c, t3, p0, &u0);
    cy = _addcarry_u64(cy, t4, p1, &u1);
    cy = _addcarry_u64(cy, t5, p2, &u2);
    cy = _addcarry_u64(cy, t6, p3, &u3);
    _addcarry_u64(cy, t7, 0, &u4);
    /* divide by 2^64: m = -u0 */
    u64 m = -(u64)u0;
    unsigned long long r0, r1, r2, r3;
    acc = (u128)m * P3;
    cy = _addcarry_u64(u0 != 0, u1, 0, &r0);
    cy = _addcarry_u64(cy, u2, 0, &r1);
    cy = _addcarry_u64(cy, u3, (u64)acc, &r2);
    _addcarry_u64(cy, u4, (u64)(acc >> 64), &r3);
    return reduce_once(r0, r1, r2, r3);
}

INLINE fe load(const u64 *p) { fe r = {{p[0], p[1], p[2], p[3]}}; return r; }
INLINE void store(u64 *p, fe x) {
    p[0] = x.v[0]; p[1] = x.v[1]; p[2] = x.v[2]; p[3] = x.v[3];
}
INLINE fe to_mont(fe x) { return mont_mul(x, FE_R2); }
INLINE fe from_mont(fe x) { return mont_mul(x, FE_ONE); }

/* base^(P-2) in Montgomery form (base given in Montgomery form): Fermat inversion. */
static fe mont_inverse(fe base) {
    /* P - 2 = (1, 0, 0, P3) - 2 = (0xff..ff, 0xff..ff, 0xff..ff, P3 - 1) */
    const u64 e[4] = {0xffffffffffffffffULL, 0xffffffffffffffffULL, 0xffffffffffffffffULL, P3 - 1};
    fe acc = FE_R;
    for (int limb = 3; limb >= 0; limb--) {
        for (int bit = 63; bit >= 0; bit--) {
            acc = mont_mul(acc, acc);
            if ((e[limb] >> bit) & 1) acc = mont_mul(acc, base);
        }
    }
    return acc;
}

/* ---------- elementwise ---------- */

void f_add(const u64 *a, const u64 *b, u64 *out, size_t n) {
    for (size_t i = 0; i < n; i++) store(out + 4 * i, fe_add(load(a + 4 * i), load(b + 4 * i)));
}

void f_sub(const u64 *a, const u64 *b, u64 *out, size_t n) {
    for (size_t i = 0; i < n; i++) store(out + 4 * i, fe_sub(load(a + 4 * i), load(b + 4 * i)));
}

void f_mul(const u64 *a, const u64 *b, u64 *out, size_t n) {
    for (size_t i = 0; i < n; i++)
        store(out + 4 * i, mont_mul(mont_mul(load(a + 4 * i), load(b + 4 * i)), FE_R2));
}

void f_scalar_mul(const u64 *a, const u64 *scalar, u64 *out, size_t n) {
    fe s = to_mont(load(scalar));
    for (size_t i = 0; i < n; i++) store(out + 4 * i, mont_mul(load(a + 4 * i), s));
}

/* Montgomery's trick: one inversion and three multiplications per element.
 * Returns -1 on success, else the index of the first zero (out is then unspecified). */
long f_batch_inverse(const u64 *a, u64 *out, size_t n) {
    if (n == 0) return -1;
    /* out[i] holds the Montgomery-form prefix product a_0 ... a_i. */
    fe acc = FE_R;
    for (size_t i = 0; i < n; i++) {
        fe x = load(a + 4 * i);
        if ((x.v[0] | x.v[1] | x.v[2] | x.v[3]) == 0) return (long)i;
        acc = mont_mul(acc, to_mont(x));
        store(out + 4 * i, acc);
    }
    fe inv = mont_inverse(acc); /* Montgomery form of (a_0 ... a_{n-1})^-1 */
    for (size_t i = n - 1; i > 0; i--) {
        fe prev = load(out + 4 * (i - 1));
        /* (a_0..a_i)^-1 * (a_0..a_{i-1}) = a_i^-1, leaving Montgomery form by one plain mul */
        store(out + 4 * i, from_mont(mont_mul(inv, prev)));
        inv = mont_mul(inv, to_mont(load(a + 4 * i)));
    }
    store(out, from_mont(inv));
    return -1;
}

/* out[i] = base^i, canonical. */
void f_powers(const u64 *base, u64 *out, size_t n) {
    fe b = to_mont(load(base));
    fe acc = FE_ONE;
    for (size_t i = 0; i < n; i++) {
        store(out + 4 * i, acc);
        acc = mont_mul(acc, b);
    }
}

/* In place: a[j] <- a[j] * start * base^j, both factors in Montgomery form. */
void f_scale_by_powers(u64 *a, size_t n, const u64 *base_mont, const u64 *start_mont) {
    fe base = load(base_mont), factor = load(start_mont);
    for (size_t j = 0; j < n; j++) {
        store(a + 4 * j, mont_mul(load(a + 4 * j), factor));
        factor = mont_mul(factor, base);
    }
}

/* ---------- NTT ---------- */

/*
 * Twiddle table for an n-point transform with root w (canonical), stage by stage: the stage
 * that merges blocks of length 2h reads its h twiddles w_{2h}^j contiguously from offset h - 1,
 * in Montgomery form. n - 1 entries in all; contiguous per stage keeps the inner loop streaming.
 */
void f_ntt_twiddles(const u64 *root, size_t n, u64 *tw) {
    if (n < 2) return;
    /* The last stage (h = n/2) uses w^j; each earlier stage uses every other entry of the next. */
    size_t h = n / 2;
    fe w = to_mont(load(root));
    fe acc = FE_R;
    u64 *last = tw + 4 * (h - 1);
    for (size_t j = 0; j < h; j++) {
        store(last + 4 * j, acc);
        acc = mont_mul(acc, w);
    }
    for (h = n / 4; h >= 1; h /= 2) {
        u64 *stage = tw + 4 * (h - 1);
        const u64 *next = tw + 4 * (2 * h - 1);
        for (size_t j = 0; j < h; j++) memcpy(stage + 4 * j, next + 8 * j, 32);
    }
}

static inline size_t bit_reverse(size_t x, int bits) {
    uint64_t v = x;
    v = ((v >> 1) & 0x5555555555555555ULL) | ((v & 0x5555555555555555ULL) << 1);
    v = ((v >> 2) & 0x3333333333333333ULL) | ((v & 0x3333333333333333ULL) << 2);
    v = ((v >> 4) & 0x0f0f0f0f0f0f0f0fULL) | ((v & 0x0f0f0f0f0f0f0f0fULL) << 4);
    v = __builtin_bswap64(v);
    return bits ? (size_t)(v >> (64 - bits)) : 0;
}

static int log2_exact(size_t n) {
    int k = 0;
    while (((size_t)1 << k) < n) k++;
    return k;
}

static void bit_reverse_permute(u64 *a, size_t n) {
    int bits = log2_exact(n);
    for (size_t i = 0; i < n; i++) {
        size_t j = bit_reverse(i, bits);
        if (i < j) {
            u64 tmp[4];
            memcpy(tmp, a + 4 * i, 32);
            memcpy(a + 4 * i, a + 4 * j, 32);
            memcpy(a + 4 * j, tmp, 32);
        }
    }
}

/* DIT stages with half-lengths h_from <= h < h_to over a[0, len): each stage merges aligned
 * blocks of 2h elements with the twiddles w_{2h}^j. */
INLINE void ntt_stages(u64 *a, size_t len, size_t h_from, size_t h_to, const u64 *tw) {
    for (size_t h = h_from; h < h_to; h *= 2) {
        if (h == 1) { /* twiddle 1: no multiplication */
            for (size_t i = 0; i + 1 < len; i += 2) {
                fe u = load(a + 4 * i), v = load(a + 4 * i + 4);
                store(a + 4 * i, fe_add(u, v));
                store(a + 4 * i + 4, fe_sub(u, v));
            }
            continue;
        }
        const u64 *stage = tw + 4 * (h - 1);
        for (size_t start = 0; start < len; start += 2 * h) {
            u64 *lo = a + 4 * start, *hi = a + 4 * (start + h);
            fe u = load(lo), v = load(hi); /* j = 0: twiddle 1 */
            store(lo, fe_add(u, v));
            store(hi, fe_sub(u, v));
            for (size_t j = 1; j < h; j++) {
                u = load(lo + 4 * j);
                v = mont_mul(load(hi + 4 * j), load(stage + 4 * j));
                store(lo + 4 * j, fe_add(u, v));
                store(hi + 4 * j, fe_sub(u, v));
            }
        }
    }
}

/* Elements per cache tile: 128 KiB of data plus as much of twiddles stays in L2. */
#define NTT_TILE 4096

/*
 * Iterative radix-2 decimation in time over bit-reversed input, natural-order output. The early
 * stages only mix elements within aligned tiles, so each tile runs all of them while it is in
 * cache; only the last log2(n / NTT_TILE) stages sweep the whole array.
 */
static void ntt_from_bitrev(u64 *a, size_t n, const u64 *tw) {
    size_t tile = n < NTT_TILE ? n : NTT_TILE;
    for (size_t start = 0; start < n; start += tile) ntt_stages(a + 4 * start, tile, 1, tile, tw);
    ntt_stages(a, n, tile, n, tw);
}

/* In place: a <- (sum_j a_j w^(ij))_i, times scale (Montgomery form, or NULL for 1). */
void f_ntt(u64 *a, size_t n, const u64 *tw, const u64 *scale_mont) {
    if (n < 2) {
        if (n == 1 && scale_mont) store(a, mont_mul(load(a), load(scale_mont)));
        return;
    }
    bit_reverse_permute(a, n);
    ntt_from_bitrev(a, n, tw);
    if (scale_mont) {
        fe s = load(scale_mont);
        for (size_t i = 0; i < n; i++) store(a + 4 * i, mont_mul(load(a + 4 * i), s));
    }
}

/*
 * Low-degree extension on a coset: evaluations of sum_j c_j X^j at shift * W^i, i < n * blowup,
 * W a primitive (n * blowup)-th root. Splits into blowup cosets of the n-point subgroup:
 * shift * W^(k + blowup * i) = g_k * w^i with g_k = shift * W^k and w = W^blowup, so
 * out[k + blowup * i] = NTT_n(c_j * g_k^j)[i]. coset_mont[k] = g_k in Montgomery form.
 * scratch holds n elements.
 */
void f_coset_lde(const u64 *coeffs, size_t n, size_t blowup, const u64 *coset_mont,
                 const u64 *tw, u64 *out, u64 *scratch) {
    int bits = log2_exact(n);
    for (size_t k = 0; k < blowup; k++) {
        fe g = load(coset_mont + 4 * k);
        fe power = FE_R;
        /* Scale and scatter into bit-reversed positions in one pass. */
        for (size_t j = 0; j < n; j++) {
            store(scratch + 4 * bit_reverse(j, bits), mont_mul(load(coeffs + 4 * j), power));
            power = mont_mul(power, g);
        }
        if (n >= 2) ntt_from_bitrev(scratch, n, tw);
        for (size_t i = 0; i < n; i++) memcpy(out + 4 * (k + blowup * i), scratch + 4 * i, 32);
    }
}

/* Horner for each of cols polynomials of n coefficients; coefficient j of column c is at
 * coeffs + 4 * (c * col_stride + j * coef_stride), so row-major tables need no transpose. */
void f_eval_columns(const u64 *coeffs, size_t cols, size_t n, size_t col_stride,
                    size_t coef_stride, const u64 *x, u64 *out) {
    fe xm = to_mont(load(x));
    for (size_t c = 0; c < cols; c++) {
        const u64 *col = coeffs + 4 * c * col_stride;
        fe acc = {{0, 0, 0, 0}};
        for (size_t j = n; j-- > 0;)
            acc = fe_add(mont_mul(acc, xm), load(col + 4 * j * coef_stride));
        store(out + 4 * c, acc);
    }
}

/* out[i] = sum_c weights[c] * column_c[i], weights in Montgomery form; the random linear
 * combinations of the composition and DEEP polynomials without temporaries. */
void f_linear_combination(const u64 *columns, size_t cols, size_t n, size_t col_stride,
                          size_t elem_stride, const u64 *weights_mont, u64 *out) {
    memset(out, 0, 32 * n);
    for (size_t c = 0; c < cols; c++) {
        const u64 *col = columns + 4 * c * col_stride;
        fe w = load(weights_mont + 4 * c);
        for (size_t i = 0; i < n; i++)
            store(out + 4 * i,
                  fe_add(load(out + 4 * i), mont_mul(load(col + 4 * i * elem_stride), w)));
    }
}

/* ---------- Keccak-256 (the original Keccak padding, as Ethereum uses) ---------- */

static const u64 KECCAK_RC[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL};

static inline u64 rotl(u64 x, unsigned r) { return (x << r) | (x >> ((64 - r) & 63)); }

/* Rho offsets indexed by lane x + 5y. */
static const unsigned KECCAK_RHO[25] = {0,  1,  62, 28, 27, 36, 44, 6,  55, 20, 3,  10, 43,
                                        25, 39, 41, 45, 15, 21, 8,  18, 2,  61, 56, 14};

static void keccak_f1600(u64 s[25]) {
    for (int round = 0; round < 24; round++) {
        u64 c[5], d[5], b[25];
        for (int x = 0; x < 5; x++) c[x] = s[x] ^ s[x + 5] ^ s[x + 10] ^ s[x + 15] ^ s[x + 20];
        for (int x = 0; x < 5; x++) d[x] = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
        /* theta, then rho and pi: lane (x, y) moves to (y, 2x + 3y). */
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 5; x++)
                b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(s[x + 5 * y] ^ d[x], KECCAK_RHO[x + 5 * y]);
        for (int y = 0; y < 5; y++)
            for (int x = 0; x < 5; x++)
                s[x + 5 * y] = b[x + 5 * y] ^ (~b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y]);
        s[0] ^= KECCAK_RC[round];
    }
}

#define KECCAK_RATE_LANES 17

/* Absorbs 64-bit lanes (already in little-endian lane order) one at a time. */
typedef struct {
    u64 s[25];
    int pos;
} sponge;

static inline void sponge_init(sponge *sp) { memset(sp, 0, sizeof *sp); }

static inline void sponge_lane(sponge *sp, u64 lane) {
    sp->s[sp->pos++] ^= lane;
    if (sp->pos == KECCAK_RATE_LANES) { keccak_f1600(sp->s); sp->pos = 0; }
}

static inline void sponge_finish(sponge *sp, uint8_t *digest) {
    /* Input is whole lanes, so the pad10*1 bits fall at the start of lane pos and the top of
     * the last rate lane (the same lane when pos == 16). */
    sp->s[sp->pos] ^= 0x01ULL;
    sp->s[KECCAK_RATE_LANES - 1] ^= 0x8000000000000000ULL;
    keccak_f1600(sp->s);
    memcpy(digest, sp->s, 32);
}

/*
 * keccak256 of each row's field elements, each as a 32-byte big-endian word, concatenated.
 * Element (r, c) is at data + 4 * (r * row_stride + c * col_stride), strides in elements, so a
 * (cols, rows) column-major view hashes without a transpose.
 */
void f_keccak_rows(const u64 *data, size_t rows, size_t cols, size_t row_stride,
                   size_t col_stride, uint8_t *digests) {
    for (size_t r = 0; r < rows; r++) {
        sponge sp;
        sponge_init(&sp);
        for (size_t c = 0; c < cols; c++) {
            const u64 *e = data + 4 * (r * row_stride + c * col_stride);
            /* big-endian bytes of limb k, read as a little-endian lane, are bswap(limb k) */
            sponge_lane(&sp, __builtin_bswap64(e[3]));
            sponge_lane(&sp, __builtin_bswap64(e[2]));
            sponge_lane(&sp, __builtin_bswap64(e[1]));
            sponge_lane(&sp, __builtin_bswap64(e[0]));
        }
        sponge_finish(&sp, digests + 32 * r);
    }
}

/* keccak256 of a 64-byte input: one block, no sponge loop. */
static void keccak_pair(const uint8_t *left, const uint8_t *right, uint8_t *digest) {
    u64 s[25] = {0};
    memcpy(s, left, 32);
    memcpy(s + 4, right, 32);
    s[8] ^= 0x01ULL;
    s[KECCAK_RATE_LANES - 1] ^= 0x8000000000000000ULL;
    keccak_f1600(s);
    memcpy(digest, s, 32);
}

/* keccak256 of arbitrary bytes (used by tests against eth_utils and by small callers). */
void f_keccak_bytes(const uint8_t *data, size_t len, uint8_t *digest) {
    u64 s[25] = {0};
    const size_t rate = 8 * KECCAK_RATE_LANES;
    while (len >= rate) {
        for (int i = 0; i < KECCAK_RATE_LANES; i++) {
            u64 lane;
            memcpy(&lane, data + 8 * i, 8);
            s[i] ^= lane;
        }
        keccak_f1600(s);
        data += rate;
        len -= rate;
    }
    uint8_t block[8 * KECCAK_RATE_LANES];
    memset(block, 0, sizeof block);
    memcpy(block, data, len);
    block[len] ^= 0x01;
    block[rate - 1] ^= 0x80;
    for (int i = 0; i < KECCAK_RATE_LANES; i++) {
        u64 lane;
        memcpy(&lane, block + 8 * i, 8);
        s[i] ^= lane;
    }
    keccak_f1600(s);
    memcpy(digest, s, 32);
}

/* parents[i] = keccak256(children[2i] || children[2i + 1]) for i < count: one Merkle layer (or a
 * slice of one, so that threads can share a layer). */
void f_hash_pairs(const uint8_t *children, uint8_t *parents, size_t count) {
    for (size_t i = 0; i < count; i++)
        keccak_pair(children + 64 * i, children + 64 * i + 32, parents + 32 * i);
}
