// Python helpers the Spot program's hints use, defined once in the hint scope. Every hint copies
// from the program input (docs/spot/batch-input.md) or calls one of the helpers below for what it
// computes (a transaction's type code, a stored vault or filled amount, tree roots and their node
// preimages, the on-chain data tables and indices), and Cairo checks what they write. A port to
// another VM implements these helpers once; a malicious prover (tests/spot) redefines them.
func define_hint_helpers() {
    %{
        from fast_stark_crypto import pedersen_hash as _H

        _TX_TYPES = {
            "DEPOSIT": 0, "WITHDRAWAL": 1, "SETTLEMENT": 2, "TRANSFER": 3,
            "CONDITIONAL_TRANSFER": 4, "FULL_WITHDRAWAL": 5, "FALSE_FULL_WITHDRAWAL": 6,
        }
        _ZERO_VAULT = _H(_H(0, 0), 0)

        def _felt(value):
            return int(value) % PRIME

        def _tx_type(tx):
            return _TX_TYPES.get(tx["type"], -1) % PRIME

        def _filled(orders, order_id):
            return orders[order_id]

        def _table(values):
            return sorted(values)

        def _index(table, value):
            return table.index(value)

        def _load(ref, obj, names):
            for name in names:
                setattr(ref, name, _felt(obj[name]))

        def _load_optional(ref, obj, key, names):
            # A present object sets `has` to 1 and copies its fields; an absent one leaves 0s.
            sub = obj.get(key)
            ref.has = int(sub is not None)
            for name in names:
                setattr(ref, name, _felt(sub[name]) if sub is not None else 0)

        def _vault_fields(vault):
            # As stored: an empty vault (balance 0) is (0, 0, 0).
            if _felt(vault["balance"]) == 0:
                return [0, 0, 0]
            return [_felt(vault["stark_key"]), _felt(vault["asset_id"]), _felt(vault["balance"])]

        def _vault_leaf(fields):
            key, asset, balance = fields
            return _ZERO_VAULT if balance == 0 else _H(_H(key, asset), balance)

        class _LazyVaults(dict):
            def __missing__(self, key):
                stored = program_input["previous_state"]["vaults"].get(str(key))
                value = segments.gen_arg(_vault_fields(stored) if stored else [0, 0, 0])
                self[key] = value
                return value

        def _sparse_root(leaves, height, empty_leaf, preimage):
            # Root of a height-`height` tree whose leaves are `empty_leaf` except `leaves`
            # (index -> value); records every internal node's children in `preimage`.
            empty = [empty_leaf]
            for _ in range(height):
                node = _H(empty[-1], empty[-1])
                preimage[node] = (empty[-1], empty[-1])
                empty.append(node)
            level = dict(leaves)
            for depth in range(height):
                parents = {}
                for index in {i >> 1 for i in level}:
                    left = level.get(2 * index, empty[depth])
                    right = level.get(2 * index + 1, empty[depth])
                    node = _H(left, right)
                    preimage[node] = (left, right)
                    parents[index] = node
                level = parents
            return level.get(0, empty[height])
    %}
    return ();
}
