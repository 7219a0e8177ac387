#!/usr/bin/env bash
# Install the Debian packages the test suite needs and that a fresh machine may lack: the test
# S3 server (radosgw, through radosgw.sh) and zsh (the CLI's zsh completion is tested in it).
set -euo pipefail
here=$(dirname "$0")
bash "$here/radosgw.sh" install
if ! command -v zsh >/dev/null; then
  if [ "$(id -u)" != 0 ]; then
    echo "zsh is missing; run this as root to install it with apt-get" >&2
    exit 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends zsh >/dev/null \
    || { apt-get update >/dev/null && DEBIAN_FRONTEND=noninteractive \
         apt-get install -y --no-install-recommends zsh >/dev/null; }
fi
