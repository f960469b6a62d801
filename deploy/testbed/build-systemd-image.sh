#!/usr/bin/env bash
# Builds feishu-ipsync-systemd:1, the image in which SystemdBootIT boots a real systemd (Debian 12, systemd 252) as
# PID 1 and runs the packaged unit unchanged: debootstrap a minimal bookworm with systemd, a JRE, the kernel firewall
# tools (iptables in both flavours: bookworm's iptables ships iptables-nft and iptables-legacy) and python3 for the
# fake Feishu, then `docker import` it. Idempotent: does nothing when the image exists (FORCE=1 rebuilds).
set -euo pipefail

IMAGE=${IMAGE:-feishu-ipsync-systemd:1}
SUITE=bookworm
PACKAGES=systemd,systemd-sysv,dbus,openjdk-17-jre-headless,nftables,iptables,ipset,iproute2,python3,procps

if [ "${FORCE:-0}" != 1 ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "systemd image: $IMAGE exists"
  exit 0
fi

# The Debian mirror this machine's apt already uses.
MIRROR=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
if [ -z "$MIRROR" ]; then
  MIRROR=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
fi
[ -n "$MIRROR" ] || { echo "systemd image: cannot find the Debian mirror in the apt sources" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "systemd image: debootstrap is not installed" >&2; exit 1; }

WORK=$(mktemp -d /var/tmp/feishu-ipsync-systemd.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
ROOTFS=$WORK/rootfs

echo "systemd image: debootstrap $SUITE from the configured mirror (about 2 minutes)"
if ! debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$ROOTFS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1; then
  echo "systemd image: debootstrap failed; last lines of its log:" >&2
  tail -20 "$WORK/debootstrap.log" >&2
  exit 1
fi
# Keep the image small: no package lists or caches. An empty machine-id makes systemd create one at each boot.
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/*
: >"$ROOTFS/etc/machine-id"
# Nothing in the container needs a login prompt; without this, getty units wait on consoles that are not there.
for unit in getty@tty1.service console-getty.service; do
  ln -sf /dev/null "$ROOTFS/etc/systemd/system/$unit"
done

echo "systemd image: importing $IMAGE"
# container=docker tells systemd it runs in a container (it then skips what only a machine has).
tar -C "$ROOTFS" -c . | docker import --change 'ENV container=docker' --change 'CMD ["/lib/systemd/systemd"]' \
  - "$IMAGE" >/dev/null
docker run --rm --entrypoint sh "$IMAGE" -c \
  '/lib/systemd/systemd --version | head -1 && iptables-nft -V && iptables-legacy -V && nft --version && java -version 2>&1 | head -1'
echo "systemd image: built $IMAGE"
