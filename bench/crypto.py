"""Pedersen hashes, ECDSA signs and verifies per second: fast-stark-crypto vs cairo-lang."""
import time

import fast_stark_crypto as fsc
from starkware.crypto.signature.fast_pedersen_hash import pedersen_hash as cairo_lang_pedersen


def rate(fn, seconds: float = 1.0) -> float:
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn(n)
        n += 1
    return n / (time.perf_counter() - start)


def main() -> None:
    key = 0x3C1E9550E66958296D11B60F8E8E7A7AD990D07FA65D5F7652C4A6C87D4E3CC
    public = fsc.get_public_key(key)
    msg = 0x1234
    r, s = fsc.sign(private_key=key, msg_hash=msg)
    assert fsc.pedersen_hash(1, 2) == cairo_lang_pedersen(1, 2)
    rows = [
        ("pedersen_hash fast-stark-crypto", rate(lambda i: fsc.pedersen_hash(i, 7))),
        ("pedersen_hash cairo-lang (python)", rate(lambda i: cairo_lang_pedersen(i, 7))),
        ("ecdsa sign fast-stark-crypto", rate(lambda i: fsc.sign(private_key=key, msg_hash=msg + i))),
        ("ecdsa verify fast-stark-crypto", rate(lambda i: fsc.verify(public_key=public, msg_hash=msg, r=r, s=s))),
    ]
    print(f"{'operation':40} {'per second':>12}")
    for name, per_second in rows:
        print(f"{name:40} {per_second:12,.0f}")
