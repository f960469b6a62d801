# Sourced by build-image.sh and build-systemd-image.sh (not run on its own): what both do to make an image from
# Debian packages without any container registry. The caller sets LABEL (its log prefix), IMAGE, SUITE and
# PACKAGES, and `set -euo pipefail`.

# Exits the calling script when $IMAGE exists already (FORCE=1 rebuilds); $1 is the line to print then.
skip_when_built() {
  if [ "${FORCE:-0}" != 1 ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
    echo "$1"
    exit 0
  fi
}

# Sets ROOTFS to a minimal $SUITE with $PACKAGES, debootstrapped from the Debian mirror this machine's apt already
# uses, in a work directory (named after $1) that is removed when the calling script exits.
debootstrap_rootfs() {
  local mirror
  mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  if [ -z "$mirror" ]; then
    mirror=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
  fi
  [ -n "$mirror" ] || { echo "$LABEL: cannot find the Debian mirror in the apt sources" >&2; exit 1; }
  command -v debootstrap >/dev/null || { echo "$LABEL: debootstrap is not installed" >&2; exit 1; }

  WORK=$(mktemp -d "/var/tmp/$1.XXXXXX")
  trap 'rm -rf "$WORK"' EXIT
  ROOTFS=$WORK/rootfs

  echo "$LABEL: debootstrap $SUITE from the configured mirror (about 2 minutes)"
  if ! debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$ROOTFS" "$mirror" >"$WORK/debootstrap.log" 2>&1; then
    echo "$LABEL: debootstrap failed; last lines of its log:" >&2
    tail -20 "$WORK/debootstrap.log" >&2
    exit 1
  fi
  # Keep the image small: no package lists or caches.
  rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/*
}
