"""Constants of the Stark field and the Stark curve y^2 = x^3 + ALPHA*x + BETA over FIELD_PRIME."""

FIELD_PRIME = 2**251 + 17 * 2**192 + 1
ALPHA = 1
BETA = 0x6F21413EFBE40DE150E596D72F7A8C5609AD26C15C915C1F4CDFCB99CEE9E89
EC_ORDER = 0x800000000000010FFFFFFFFFFFFFFFFB781126DCAE7B2321E66A241ADC64D2F
# ECDSA on the Stark curve signs only messages below 2^251.
SIGNED_MESSAGE_BOUND = 2**251
GENERATOR = (
    0x1EF15C18599971B7BECED415A40F0C7DEACFD9B0D1819E03D723D8BC943CFCA,
    0x5668060AA49730B7BE4801DF46EC62DE53ECD11ABE43A32873000C36E8DC1F,
)


def to_field(x: int) -> int:
    """A signed integer as a field element (negative x becomes P - |x|)."""
    return x % FIELD_PRIME


def from_field(x: int) -> int:
    """A field element read as a signed integer in (-P/2, P/2)."""
    x %= FIELD_PRIME
    return x - FIELD_PRIME if x > FIELD_PRIME // 2 else x
