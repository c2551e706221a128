"""The rules of a Spot batch: each transaction applied to a SpotState, or refused by name.

Names and semantics are those of docs/spot/batch-input.md (*Rules*), which follow StarkEx Spot's
Cairo program (starkex-for-spot-trading `src/starkware/cairo/dex/`): the Cairo Spot program fails
with the same rule name. Vault updates are applied in StarkEx's order (sell, buy, fee source, fee
destination; party A before party B), each seeing the previous one, so a vault emptied by one
update may be refilled with another asset by the next.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from offchain.crypto.constants import FIELD_PRIME
from offchain.crypto.messages import order_id
from offchain.crypto.signature import Signature, verify
from offchain.crypto import spot_messages
from offchain.spot.state import BALANCE_BOUND, EMPTY_VAULT, MAX_VAULT_TREE_HEIGHT, \
    ORDER_TREE_HEIGHT, SpotState, Vault

NONCE_BOUND = 2**31
EXPIRATION_TIMESTAMP_BOUND = 2**22
AMOUNT_BOUND = BALANCE_BOUND
VAULT_ID_BITS_31 = 31
FULL_WITHDRAWAL_SHIFT = 2**128
VAULT_SHIFT = 2**64
BALANCE_SHIFT = 2**64
MODIFICATION_BIAS = 2**63
CONDITION_BOUND = 2**250


class SpotRuleError(Exception):
    """A transaction (or the batch) breaks `rule`, one of docs/spot/batch-input.md's names."""

    def __init__(self, rule: str, detail: str = ""):
        super().__init__(f"{rule}: {detail}" if detail else rule)
        self.rule = rule
        self.detail = detail


@dataclass(frozen=True)
class Modification:
    stark_key: int
    asset_id: int
    vault_id: int
    diff: int  # balance after - balance before
    full_withdrawal: bool = False

    def words(self) -> list[int]:
        action = ((int(self.full_withdrawal) * VAULT_SHIFT + self.vault_id) * BALANCE_SHIFT
                  + self.diff + MODIFICATION_BIAS)
        return [self.stark_key, self.asset_id, action]


@dataclass
class Effects:
    """What a batch writes besides the state: modifications and conditions, in order."""
    modifications: list[Modification] = field(default_factory=list)
    conditions: list[int] = field(default_factory=list)


def felt(obj: dict, name: str) -> int:
    """A field as the program reads it: an integer modulo P (a negative amount fails its range)."""
    try:
        value = obj[name]
    except KeyError:
        raise SpotRuleError("malformed", f"missing field {name!r}") from None
    if not isinstance(value, int) or isinstance(value, bool):
        raise SpotRuleError("malformed", f"{name} must be an integer, got {value!r}")
    return value % FIELD_PRIME


def check_config(config) -> None:
    for name in ("validium_vault_tree_height", "rollup_vault_tree_height"):
        height = getattr(config, name)
        if not 1 <= height <= MAX_VAULT_TREE_HEIGHT:
            raise SpotRuleError("config_height", f"{name} {height} outside [1, 31]")
    if config.order_tree_height != ORDER_TREE_HEIGHT:
        raise SpotRuleError("config_height", f"order_tree_height {config.order_tree_height} != 64")
    if config.unique_minting_enforced not in (0, 1):
        raise SpotRuleError("config_height", "unique_minting_enforced is not 0 or 1")


def check_expiration_bound(global_expiration_timestamp: int) -> None:
    if not 0 <= global_expiration_timestamp < EXPIRATION_TIMESTAMP_BOUND:
        raise SpotRuleError("expiration_bound",
                            f"global expiration {global_expiration_timestamp} not below 2^22")


def _amount(value: int, what: str, minimum: int = 0) -> int:
    if not minimum <= value < AMOUNT_BOUND:
        raise SpotRuleError("amount_bound", f"{what} {value} outside [{minimum}, 2^63)")
    return value


def _vault_id(state: SpotState, vault_id: int) -> int:
    if state.config.tree_of(vault_id) is None:
        raise SpotRuleError("vault_id", f"vault id {vault_id} is in neither vault tree")
    return vault_id


def update_vault(state: SpotState, vault_id: int, stark_key: int, asset_id: int, diff: int) -> Vault:
    """Add diff to a vault of (stark_key, asset_id); returns the vault before."""
    _vault_id(state, vault_id)
    before = state.vault(vault_id)
    if not before.is_empty and (before.stark_key, before.asset_id) != (stark_key, asset_id):
        raise SpotRuleError("vault_owner", f"vault {vault_id} holds another key or asset")
    balance = before.balance + diff
    if not 0 <= balance < BALANCE_BOUND:
        raise SpotRuleError("balance_bound",
                            f"vault {vault_id}: balance {before.balance} + {diff} outside [0, 2^63)")
    state.set_vault(vault_id, Vault(stark_key, asset_id, balance))
    return before


def _check_nonce_expiration(nonce: int, expiration: int, global_expiration: int) -> None:
    if not 0 <= nonce < NONCE_BOUND:
        raise SpotRuleError("nonce_bound", f"nonce {nonce} not below 2^31")
    if not global_expiration <= expiration < EXPIRATION_TIMESTAMP_BOUND:
        raise SpotRuleError("expired", f"expiration {expiration} not in "
                            f"[{global_expiration}, 2^22)")


def _check_signature(public_key: int, message_hash: int, signature: dict) -> None:
    sig = Signature(r=felt(signature, "r"), s=felt(signature, "s"))
    if not verify(public_key, message_hash, sig):
        raise SpotRuleError("signature", f"signature of key {public_key:#x} does not verify")


def _message(fn, **fields):
    try:
        return fn(**fields)
    except ValueError as e:
        raise SpotRuleError("message_bound", str(e)) from None


def _fee_user(obj: dict) -> tuple[int, int, int] | None:
    fee = obj.get("fee_info") if "fee_info" in obj else obj.get("fee_info_user")
    if fee is None:
        return None
    return felt(fee, "token_id"), felt(fee, "fee_limit"), felt(fee, "source_vault_id")


def _fee_exchange(fee: dict | None) -> tuple[int, int, int] | None:
    if fee is None:
        return None
    return felt(fee, "fee_taken"), felt(fee, "destination_vault_id"), \
        felt(fee, "destination_stark_key")


def _fill(state: SpotState, message_hash: int, before_check, new_amount) -> None:
    oid = order_id(message_hash)
    filled = state.filled(oid)
    before_check(filled)
    state.set_filled(oid, new_amount(filled))


def _pay_fee(state: SpotState, payer_key: int, fee_user, fee_exchange) -> None:
    token_id, _, source_vault_id = fee_user
    fee_taken, destination_vault_id, destination_stark_key = fee_exchange
    update_vault(state, source_vault_id, payer_key, token_id, -fee_taken)
    update_vault(state, destination_vault_id, destination_stark_key, token_id, fee_taken)


def _check_fee_presence(fee_user, fee_exchange, who: str) -> None:
    if (fee_user is None) != (fee_exchange is None):
        raise SpotRuleError("fee_info", f"{who}: a fee taken goes with a signed fee, and only then")


def execute_limit_order(state: SpotState, order: dict, sold: int, bought: int, fee_exchange,
                        global_expiration: int) -> None:
    public_key = felt(order, "public_key")
    amount_sell = _amount(felt(order, "amount_sell"), "amount_sell")
    amount_buy = _amount(felt(order, "amount_buy"), "amount_buy")
    nonce, expiration = felt(order, "nonce"), felt(order, "expiration_timestamp")
    _check_nonce_expiration(nonce, expiration, global_expiration)
    if amount_sell * bought < sold * amount_buy:
        raise SpotRuleError("order_ratio", f"sold {sold} for {bought}, asked {amount_sell} for "
                            f"{amount_buy}")
    fee_user = _fee_user(order)
    _check_fee_presence(fee_user, fee_exchange, "order")
    vault_sell, vault_buy = felt(order, "vault_id_sell"), felt(order, "vault_id_buy")
    token_sell, token_buy = felt(order, "token_sell"), felt(order, "token_buy")
    if fee_user is not None:
        fee_token, fee_limit, fee_vault = fee_user
        fee_taken = fee_exchange[0]
        _amount(fee_taken, "fee_taken")
        _amount(fee_limit, "fee_limit")
        if fee_taken * amount_buy > fee_limit * bought:
            raise SpotRuleError("order_fee", f"fee {fee_taken} above {fee_limit} per {amount_buy}"
                                f" for {bought} bought")
        message_hash = _message(spot_messages.limit_order_hash, vault_id_sell=vault_sell,
                                vault_id_buy=vault_buy, amount_sell=amount_sell,
                                amount_buy=amount_buy, token_sell=token_sell, token_buy=token_buy,
                                nonce=nonce, expiration_timestamp=expiration,
                                fee_token_id=fee_token, fee_limit=fee_limit,
                                fee_source_vault_id=fee_vault)
    else:
        message_hash = _message(spot_messages.limit_order_hash, vault_id_sell=vault_sell,
                                vault_id_buy=vault_buy, amount_sell=amount_sell,
                                amount_buy=amount_buy, token_sell=token_sell, token_buy=token_buy,
                                nonce=nonce, expiration_timestamp=expiration)

    def check_fill(filled):
        if filled + sold > amount_sell:
            raise SpotRuleError("order_overfill", f"filled {filled} + sold {sold} above "
                                f"{amount_sell}")
    _fill(state, message_hash, check_fill, lambda filled: filled + sold)
    update_vault(state, vault_sell, public_key, token_sell, -sold)
    update_vault(state, vault_buy, public_key, token_buy, bought)
    _check_signature(public_key, message_hash, order.get("signature") or {})
    if fee_user is not None:
        _pay_fee(state, public_key, fee_user, fee_exchange)


def execute_settlement(state: SpotState, tx: dict, global_expiration: int) -> None:
    a, b = tx.get("party_a_order"), tx.get("party_b_order")
    info = tx.get("settlement_info")
    if not isinstance(a, dict) or not isinstance(b, dict) or not isinstance(info, dict):
        raise SpotRuleError("malformed", "a settlement needs two orders and settlement_info")
    a_sold = _amount(felt(info, "party_a_sold"), "party_a_sold")
    b_sold = _amount(felt(info, "party_b_sold"), "party_b_sold")
    if (felt(a, "token_buy"), felt(b, "token_buy")) != (felt(b, "token_sell"),
                                                        felt(a, "token_sell")):
        raise SpotRuleError("asset_mismatch", "the orders do not trade the same two assets")
    execute_limit_order(state, a, a_sold, b_sold, _fee_exchange(info.get("party_a_fee_info")),
                        global_expiration)
    execute_limit_order(state, b, b_sold, a_sold, _fee_exchange(info.get("party_b_fee_info")),
                        global_expiration)


def execute_transfer(state: SpotState, tx: dict, global_expiration: int,
                     effects: Effects, conditional: bool) -> None:
    sender_key = felt(tx, "sender_public_key")
    amount = _amount(felt(tx, "amount"), "amount", minimum=1)
    nonce, expiration = felt(tx, "nonce"), felt(tx, "expiration_timestamp")
    _check_nonce_expiration(nonce, expiration, global_expiration)
    sender_vault, receiver_vault = felt(tx, "sender_vault_id"), felt(tx, "receiver_vault_id")
    receiver_key, token = felt(tx, "receiver_public_key"), felt(tx, "token")
    condition = 0
    if conditional:
        # keccak256(registry ‖ fact) & (2^250 - 1), computed by the operator (which keeps the
        # registry and fact for the application data); L1 checks the two agree.
        condition = felt(tx, "condition")
        if not 0 < condition < CONDITION_BOUND:
            raise SpotRuleError("condition", f"condition {condition} outside (0, 2^250)")
    fee_user = _fee_user(tx)
    fee_exchange = _fee_exchange(tx.get("fee_info_exchange"))
    _check_fee_presence(fee_user, fee_exchange, "transfer")
    fee_fields = {}
    if fee_user is not None:
        fee_taken, fee_limit = fee_exchange[0], fee_user[1]
        if not 0 <= fee_taken <= fee_limit < AMOUNT_BOUND:
            raise SpotRuleError("order_fee", f"fee {fee_taken} above the limit {fee_limit} "
                                "(or the limit not below 2^63)")
        fee_fields = dict(fee_token_id=fee_user[0], fee_limit=fee_limit,
                          fee_source_vault_id=fee_user[2])
    update_vault(state, sender_vault, sender_key, token, -amount)
    update_vault(state, receiver_vault, receiver_key, token, amount)
    if fee_user is not None:
        _pay_fee(state, sender_key, fee_user, fee_exchange)
    message_hash = _message(spot_messages.transfer_hash, sender_vault_id=sender_vault,
                            receiver_vault_id=receiver_vault, receiver_public_key=receiver_key,
                            token=token, amount=amount, nonce=nonce,
                            expiration_timestamp=expiration, condition=condition, **fee_fields)
    _check_signature(sender_key, message_hash, tx.get("signature") or {})

    def check_unfilled(filled):
        if filled != 0:
            raise SpotRuleError("transfer_replay", f"order already filled with {filled}")
    _fill(state, message_hash, check_unfilled, lambda _: amount)
    if conditional:
        effects.conditions.append(condition)


def execute_modification(state: SpotState, tx: dict, effects: Effects, sign: int) -> None:
    vault_id, stark_key = felt(tx, "vault_id"), felt(tx, "stark_key")
    token_id = felt(tx, "token_id")
    amount = _amount(felt(tx, "amount"), "amount", minimum=1)
    update_vault(state, vault_id, stark_key, token_id, sign * amount)
    effects.modifications.append(Modification(stark_key, token_id, vault_id, sign * amount))


def execute_full_withdrawal(state: SpotState, tx: dict, effects: Effects) -> None:
    vault_id, stark_key = _vault_id(state, felt(tx, "vault_id")), felt(tx, "stark_key")
    vault = state.vault(vault_id)
    if not vault.is_empty and vault.stark_key != stark_key:
        raise SpotRuleError("full_withdrawal", f"vault {vault_id} is not the requester's")
    state.set_vault(vault_id, EMPTY_VAULT)
    effects.modifications.append(
        Modification(stark_key, vault.asset_id, vault_id, -vault.balance, full_withdrawal=True))


def execute_false_full_withdrawal(state: SpotState, tx: dict, effects: Effects) -> None:
    vault_id = _vault_id(state, felt(tx, "vault_id"))
    requester = felt(tx, "requester_stark_key")
    if state.vault(vault_id).stark_key == requester:
        raise SpotRuleError("false_full_withdrawal", f"vault {vault_id} is the requester's")
    effects.modifications.append(Modification(requester, 0, vault_id, 0, full_withdrawal=True))


TRANSACTION_TYPES = ("DEPOSIT", "WITHDRAWAL", "SETTLEMENT", "TRANSFER", "CONDITIONAL_TRANSFER",
                     "FULL_WITHDRAWAL", "FALSE_FULL_WITHDRAWAL")


def apply_transaction(state: SpotState, tx: dict, global_expiration: int,
                      effects: Effects | None = None) -> Effects:
    """Apply tx to state in place, or raise SpotRuleError leaving state and effects unchanged."""
    effects = effects if effects is not None else Effects()
    work = state.copy()
    local = Effects()
    kind = tx.get("type")
    if kind == "DEPOSIT":
        execute_modification(work, tx, local, +1)
    elif kind == "WITHDRAWAL":
        execute_modification(work, tx, local, -1)
    elif kind == "SETTLEMENT":
        execute_settlement(work, tx, global_expiration)
    elif kind in ("TRANSFER", "CONDITIONAL_TRANSFER"):
        execute_transfer(work, tx, global_expiration, local, kind == "CONDITIONAL_TRANSFER")
    elif kind == "FULL_WITHDRAWAL":
        execute_full_withdrawal(work, tx, local)
    elif kind == "FALSE_FULL_WITHDRAWAL":
        execute_false_full_withdrawal(work, tx, local)
    else:
        raise SpotRuleError("transaction_type", f"unsupported transaction type {kind!r}")
    state.vaults, state.orders = work.vaults, work.orders
    effects.modifications += local.modifications
    effects.conditions += local.conditions
    return effects
