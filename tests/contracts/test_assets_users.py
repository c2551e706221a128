import ape
import pytest

from .conftest import ETH_ASSET_INFO, QUANTUM, asset_type, erc20_asset_info, stark_key

PRIME = 2**251 + 17 * 2**192 + 1
BETA = 0x6F21413EFBE40DE150E596D72F7A8C5609AD26C15C915C1F4CDFCB99CEE9E89


def not_on_curve(start: int) -> int:
    x = start
    while pow((x**3 + x + BETA) % PRIME, (PRIME - 1) // 2, PRIME) == 1:
        x += 1
    return x


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
    with ape.reverts(c.NotCollateralAsset):
        c.fromQuantized(t + 1, 1)


def test_register_stark_key(exchange, alice, outsider):
    c = exchange.contract
    key = stark_key(123456789)
    assert c.isValidStarkKey(key)
    receipt = c.registerStarkKey(key, sender=alice)
    assert c.getEthKey(key) == alice.address
    assert receipt.events[0].starkKey == key
    with ape.reverts(c.StarkKeyAlreadyRegistered):
        c.registerStarkKey(key, sender=outsider)


@pytest.mark.parametrize("bad", [0, PRIME, not_on_curve(1000)])
def test_invalid_stark_keys(exchange, alice, bad):
    c = exchange.contract
    assert not c.isValidStarkKey(bad)
    with ape.reverts(c.InvalidStarkKey):
        c.registerStarkKey(bad, sender=alice)


def test_unregistered_key(exchange):
    with ape.reverts(exchange.contract.StarkKeyNotRegistered):
        exchange.contract.getEthKey(stark_key(99))
