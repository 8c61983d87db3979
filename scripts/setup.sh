#!/usr/bin/env bash
# Installs what Arbiter needs outside npm: bubblewrap for the code sandbox. Idempotent: it
# says what it found and only installs what is missing.
set -euo pipefail

say() { printf 'setup: %s\n' "$*"; }

if command -v bwrap >/dev/null 2>&1; then
  say "bubblewrap present ($(bwrap --version 2>/dev/null || echo 'version unknown')), nothing to do"
else
  if ! command -v apt-get >/dev/null 2>&1; then
    say "bubblewrap missing and apt-get not found: install the 'bubblewrap' package with your package manager"
    exit 1
  fi
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      say "bubblewrap missing; run as root or install sudo (apt-get install bubblewrap)"
      exit 1
    fi
  fi
  say "installing bubblewrap with apt-get"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq bubblewrap
  say "installed $(bwrap --version)"
fi

if command -v python3 >/dev/null 2>&1; then
  say "python3 present: $(python3 -c 'import sys; print(sys.executable, sys.version.split()[0])')"
else
  say "python3 missing: the code sandbox runs Python; install python3"
  exit 1
fi

# Unprivileged bwrap needs user namespaces; some distributions (Ubuntu 24.04 AppArmor) restrict them.
if [ "$(id -u)" -ne 0 ] && ! bwrap --unshare-all --ro-bind /usr /usr --symlink usr/bin /bin --symlink usr/lib /lib --symlink usr/lib64 /lib64 /usr/bin/true 2>/dev/null; then
  say "warning: bwrap cannot create a sandbox as $(id -un); check kernel.unprivileged_userns_clone or the AppArmor userns restriction"
fi
say "done"
