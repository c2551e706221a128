"""The Fiat-Shamir channel: a keccak256 hash chain the prover and verifier both run.

State is 32 bytes. Conventions (the Solidity verifier must follow them word for word):
- init(seed_words):  state = keccak256(w_0 || w_1 || ...), each a 32-byte big-endian word;
                     counter = 0.
- absorb(words):     state = keccak256(state || w_0 || w_1 || ...); counter = 0. Commitments
                     (Merkle roots) are absorbed as one word each.
- draw_word():       keccak256(state || counter as a 32-byte word); counter += 1.
- draw_felt():       draw_word() as a big-endian integer, mod P. (2^256 / P < 32, so no element
                     is more than 32 times likelier than another: a set of B bad elements is hit
                     with probability < 32 B / 2^256 ~ B / 2^251.)
- draw_queries(n, domain_size): n DISTINCT positions, each from one draw_word() taken mod
                     domain_size (a power of two, so unbiased), repeats discarded, in draw order.
- proof of work:     nonce (u64) is valid if keccak256(state || nonce as 8 bytes big-endian)
                     has `bits` leading zero bits; then the nonce is absorbed as one word.
"""
from offchain.prover.field import P
from offchain.prover.kernels import keccak256


def _words(values: list[int]) -> bytes:
    return b"".join(int(v).to_bytes(32, "big") for v in values)


class Channel:
    def __init__(self, seed_words: list[int]):
        self.state = keccak256(_words(seed_words))
        self.counter = 0

    def absorb(self, words: list[int]) -> None:
        self.state = keccak256(self.state + _words(words))
        self.counter = 0

    def absorb_root(self, root: bytes) -> None:
        self.absorb([int.from_bytes(root, "big")])

    def draw_word(self) -> int:
        out = keccak256(self.state + self.counter.to_bytes(32, "big"))
        self.counter += 1
        return int.from_bytes(out, "big")

    def draw_felt(self) -> int:
        return self.draw_word() % P

    def draw_felts(self, count: int) -> list[int]:
        return [self.draw_felt() for _ in range(count)]

    def draw_queries(self, count: int, domain_size: int) -> list[int]:
        if count > domain_size // 2:
            raise ValueError(f"{count} distinct queries do not fit a domain of {domain_size}")
        seen: set[int] = set()
        out: list[int] = []
        while len(out) < count:
            q = self.draw_word() % domain_size
            if q not in seen:
                seen.add(q)
                out.append(q)
        return out

    def pow_ok(self, nonce: int, bits: int) -> bool:
        digest = keccak256(self.state + nonce.to_bytes(8, "big"))
        return int.from_bytes(digest, "big") >> (256 - bits) == 0 if bits else True

    def grind(self, bits: int) -> int:
        """The smallest valid proof-of-work nonce for the current state."""
        nonce = 0
        prefix = self.state
        limit = 256 - bits
        while bits and int.from_bytes(keccak256(prefix + nonce.to_bytes(8, "big")), "big") >> limit:
            nonce += 1
        return nonce
