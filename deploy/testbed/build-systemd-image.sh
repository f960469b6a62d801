#!/usr/bin/env bash
# Builds feishu-ipsync-systemd:1, the image in which SystemdBootIT boots a real systemd (Debian 12, systemd 252) as
# PID 1 and runs the packaged unit unchanged: debootstrap a minimal bookworm with systemd, a JRE, the kernel firewall
# tools (iptables in both flavours: bookworm's iptables ships iptables-nft and iptables-legacy) and python3 for the
# fake Feishu, then `docker import` it. Idempotent: does nothing when the image exists (FORCE=1 rebuilds).
set -euo pipefail

IMAGE=${IMAGE:-feishu-ipsync-systemd:1}
SUITE=bookworm
PACKAGES=systemd,systemd-sysv,dbus,openjdk-17-jre-headless,nftables,iptables,ipset,iproute2,python3,procps
LABEL="systemd image"
# shellcheck source=deploy/testbed/debootstrap.sh
. "$(dirname "${BASH_SOURCE[0]}")/debootstrap.sh"

skip_when_built "systemd image: $IMAGE exists"
debootstrap_rootfs feishu-ipsync-systemd
# An empty machine-id makes systemd create one at each boot.
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
