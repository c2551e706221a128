import ape
import pytest

from offchain.crypto.constants import EC_ORDER
from offchain.crypto.signature import sign
from offchain.core.l1.users import encode_stark_signature, register_user, stark_public_point, user_registration_hash

from .conftest import (
    ALICE_STARK_PRIVATE as ALICE_PRIVATE, BOB_STARK_PRIVATE as BOB_PRIVATE, ETH_ASSET_INFO, QUANTUM, asset_type,
    erc20_asset_info, off_curve, stark_key,
)

ZERO_ADDRESS = "0x" + "00" * 20

PRIME = 2**251 + 17 * 2**192 + 1


def test_register_eth_collateral(bare_exchange, governor):
    c = bare_exchange.contract
    receipt = c.registerCollateralAsset(ETH_ASSET_INFO, QUANTUM, sender=governor)
    expected = asset_type(ETH_ASSET_INFO, QUANTUM)
    assert c.collateralAssetType() == expected == c.calculateAssetType(ETH_ASSET_INFO, QUANTUM)
    assert c.getQuantum(expected) == QUANTUM
    assert bytes(c.getAssetInfo(expected)) == ETH_ASSET_INFO
    assert receipt.events[0].assetType == expected
    with ape.reverts(c.CollateralAlreadyRegistered):
        c.registerCollateralAsset(ETH_ASSET_INFO, 1, sender=governor)


def test_register_erc20_collateral(bare_exchange, governor, project):
    token = governor.deploy(project.MintableERC20)
    c = bare_exchange.contract
    info = erc20_asset_info(token.address)
    c.registerCollateralAsset(info, 1000, sender=governor)
    assert c.collateralAssetType() == asset_type(info, 1000)


@pytest.mark.parametrize("quantum", [0, 2**128])
def test_quantum_bounds(bare_exchange, governor, quantum):
    c = bare_exchange.contract
    with ape.reverts(c.InvalidQuantum):
        c.registerCollateralAsset(ETH_ASSET_INFO, quantum, sender=governor)


def test_asset_info_checked(bare_exchange, governor, outsider):
    c = bare_exchange.contract
    with ape.reverts(c.NotGovernor):
        c.registerCollateralAsset(ETH_ASSET_INFO, 1, sender=outsider)
    with ape.reverts(c.InvalidAssetInfo):
        c.registerCollateralAsset(b"\x01\x02\x03\x04", 1, sender=governor)
    # An ERC-20 asset info pointing at an address without code.
    with ape.reverts(c.InvalidAssetInfo):
        c.registerCollateralAsset(erc20_asset_info(outsider.address), 1, sender=governor)
    with ape.reverts(c.InvalidAssetInfo):
        c.registerCollateralAsset(erc20_asset_info(outsider.address)[:-1], 1, sender=governor)


def test_quantization(exchange):
    c, t = exchange.contract, exchange.collateral
    assert c.fromQuantized(t, 7) == 7 * QUANTUM
    assert c.toQuantized(t, 7 * QUANTUM) == 7
    with ape.reverts(c.AmountNotDivisibleByQuantum):
        c.toQuantized(t, 7 * QUANTUM + 1)
    with ape.reverts(c.QuantizedAmountOverflow):
        c.fromQuantized(t, 2**256 // QUANTUM + 1)
    with ape.reverts(c.AssetNotRegistered):
        c.fromQuantized(t + 1, 1)


def _signed(eth_address: str, private_key: int, signer_private_key: int | None = None) -> bytes:
    """registerEthAddress's signature over (eth_address, key of private_key), by signer_private_key,
    with the y of private_key's public key."""
    msg_hash = user_registration_hash(eth_address, stark_key(private_key))
    return encode_stark_signature(sign(signer_private_key or private_key, msg_hash), stark_public_point(private_key)[1])


def _raw(r: int, s: int, private_key: int = ALICE_PRIVATE) -> bytes:
    return r.to_bytes(32, "big") + s.to_bytes(32, "big") + stark_public_point(private_key)[1].to_bytes(32, "big")


def test_registration_hash_matches_contract(exchange, alice, bob):
    c = exchange.contract
    for account, private_key in ((alice, ALICE_PRIVATE), (bob, 2**250 + 7)):
        key = stark_key(private_key)
        assert c.userRegistrationHash(account.address, key) == user_registration_hash(account.address, key)
        assert user_registration_hash(account.address, key) != user_registration_hash(account.address, key + 1)


@pytest.mark.parametrize("negate", [False, True], ids=["y", "minus-y"])
def test_register_eth_address(exchange, alice, negate):
    # k and EC_ORDER - k have the same stark key with opposite y: both signers must be accepted.
    private_key = EC_ORDER - ALICE_PRIVATE if negate else ALICE_PRIVATE
    c = exchange.contract
    key = stark_key(private_key)
    assert key == stark_key(ALICE_PRIVATE) and c.isValidStarkKey(key)
    receipt = register_user(c, alice, private_key)
    assert c.getEthKey(key) == alice.address
    event = receipt.events[0]
    assert (event.event_name, event.ethKey, event.starkKey) == ("LogUserRegistered", alice.address, key)
    assert 100_000 < receipt.gas_used < 600_000


def test_already_registered(exchange, alice, outsider):
    c = exchange.contract
    register_user(c, alice, ALICE_PRIVATE)
    with ape.reverts(c.StarkKeyAlreadyRegistered):
        register_user(c, outsider, ALICE_PRIVATE)
    with ape.reverts(c.StarkKeyAlreadyRegistered):
        register_user(c, alice, ALICE_PRIVATE)
    assert c.getEthKey(stark_key(ALICE_PRIVATE)) == alice.address


def test_front_runner_gains_nothing(exchange, alice, outsider):
    c = exchange.contract
    key, signature = stark_key(ALICE_PRIVATE), _signed(alice.address, ALICE_PRIVATE)
    # Replaying alice's signature for the front-runner's own address fails the signature check...
    with ape.reverts(c.InvalidStarkSignature):
        c.registerEthAddress(outsider.address, key, signature, sender=outsider)
    # ...and submitting it as signed only does alice's registration for her.
    receipt = c.registerEthAddress(alice.address, key, signature, sender=outsider)
    assert receipt.events[0].ethKey == alice.address
    assert c.getEthKey(key) == alice.address


def test_signature_must_match(exchange, alice, bob):
    c = exchange.contract
    key = stark_key(ALICE_PRIVATE)
    good = _signed(alice.address, ALICE_PRIVATE)
    r, s = int.from_bytes(good[:32], "big"), int.from_bytes(good[32:64], "big")
    cases = {
        "tampered s": _raw(r, s + 1),
        "tampered r": _raw(r + 1, s),
        "other signer": _signed(alice.address, ALICE_PRIVATE, signer_private_key=BOB_PRIVATE),
        "other eth address": _signed(bob.address, ALICE_PRIVATE),
    }
    for signature in cases.values():
        with ape.reverts(c.InvalidStarkSignature):
            c.registerEthAddress(alice.address, key, signature, sender=alice)
    with ape.reverts(c.InvalidStarkSignatureLength):
        c.registerEthAddress(alice.address, key, good + b"\x00", sender=alice)
    with ape.reverts(c.InvalidEthKey):
        c.registerEthAddress(ZERO_ADDRESS, key, _signed(ZERO_ADDRESS, ALICE_PRIVATE), sender=alice)
    with ape.reverts(c.StarkKeyNotRegistered):
        c.getEthKey(key)


@pytest.mark.parametrize("r, s, error", [
    (0, 1, "StarkSignatureROutOfRange"),
    (2**251, 1, "StarkSignatureROutOfRange"),
    (1, 0, "StarkSignatureSOutOfRange"),
    (1, EC_ORDER, "StarkSignatureSOutOfRange"),
    # s whose inverse w = 2^251 + 1 is below EC_ORDER but not below 2^251.
    (1, pow(2**251 + 1, -1, EC_ORDER), "StarkSignatureWOutOfRange"),
])
def test_signature_ranges(exchange, alice, r, s, error):
    c = exchange.contract
    with ape.reverts(getattr(c, error)):
        c.registerEthAddress(alice.address, stark_key(ALICE_PRIVATE), _raw(r, s), sender=alice)


@pytest.mark.parametrize("bad", [0, PRIME, off_curve(1000)])
def test_invalid_stark_keys(exchange, alice, bad):
    c = exchange.contract
    assert not c.isValidStarkKey(bad)
    # A well-formed signature by some key: the curve check must reject first.
    with ape.reverts(c.InvalidStarkKey):
        c.registerEthAddress(alice.address, bad, _signed(alice.address, ALICE_PRIVATE), sender=alice)


def test_unregistered_key(exchange):
    with ape.reverts(exchange.contract.StarkKeyNotRegistered):
        exchange.contract.getEthKey(stark_key(99))
