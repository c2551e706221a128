#!/usr/bin/env bash
# Installs the solcjs wrapper as `solc-v<version>` in $SOLCX_BINARY_PATH, where py-solc-x
# (and so ape-solidity) looks for installed compilers. Idempotent.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest=${SOLCX_BINARY_PATH:?SOLCX_BINARY_PATH must be set}
version=$(node -p "require('$root/node_modules/solc/package.json').version")
mkdir -p "$dest"
target="$dest/solc-v$version"
cat > "$target.tmp" <<SH
#!/usr/bin/env bash
exec node "$root/tools/solc-wrapper.js" "\$@"
SH
chmod +x "$target.tmp"
mv "$target.tmp" "$target"
"$target" --version | tail -n 1
