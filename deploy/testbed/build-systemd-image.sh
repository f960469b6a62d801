#!/usr/bin/env bash
# Builds feishu-ipsync-systemd:2, the image in which SystemdBootIT boots a real systemd (Debian 12, systemd 252) as
# PID 1 and runs the packaged unit unchanged: debootstrap a minimal bookworm with systemd, a JRE, the kernel firewall
# tools (iptables in both flavours: bookworm's iptables ships iptables-nft and iptables-legacy) and python3 for the
# fake Feishu, and firewalld (masked: a test unmasks it to reload it under the daemon), then `docker import` it. Idempotent: does nothing when the image exists (FORCE=1 rebuilds).
set -euo pipefail

IMAGE=${IMAGE:-feishu-ipsync-systemd:2}
SUITE=bookworm
PACKAGES=systemd,systemd-sysv,dbus,openjdk-17-jre-headless,nftables,iptables,ipset,iproute2,python3,procps
LABEL="systemd image"
# shellcheck source=deploy/testbed/debootstrap.sh
. "$(dirname "${BASH_SOURCE[0]}")/debootstrap.sh"

skip_when_built "systemd image: $IMAGE exists"
debootstrap_rootfs feishu-ipsync-systemd
# firewalld's polkitd does not configure inside debootstrap; apt in the finished root file system installs it.
echo "systemd image: installing firewalld"
printf '#!/bin/sh\nexit 101\n' >"$ROOTFS/usr/sbin/policy-rc.d" && chmod +x "$ROOTFS/usr/sbin/policy-rc.d"
mount -t proc proc "$ROOTFS/proc"
# Never leave /proc mounted under the work directory that the exit trap removes.
trap 'umount "$ROOTFS/proc" 2>/dev/null; rm -rf "$WORK"' EXIT
if ! { chroot "$ROOTFS" apt-get update -qq && DEBIAN_FRONTEND=noninteractive chroot "$ROOTFS" apt-get install -y -qq \
    --no-install-recommends firewalld; } >"$WORK/firewalld.log" 2>&1; then
  umount "$ROOTFS/proc"
  tail -20 "$WORK/firewalld.log" >&2
  echo "systemd image: cannot install firewalld" >&2
  exit 1
fi
umount "$ROOTFS/proc"
rm -f "$ROOTFS/usr/sbin/policy-rc.d"
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/*
# An empty machine-id makes systemd create one at each boot.
: >"$ROOTFS/etc/machine-id"
# Nothing in the container needs a login prompt; without this, getty units wait on consoles that are not there.
# firewalld would filter every test's traffic: masked, started only by the test that reloads it.
for unit in getty@tty1.service console-getty.service firewalld.service; do
  ln -sf /dev/null "$ROOTFS/etc/systemd/system/$unit"
done

echo "systemd image: importing $IMAGE"
# container=docker tells systemd it runs in a container (it then skips what only a machine has).
tar -C "$ROOTFS" -c . | docker import --change 'ENV container=docker' --change 'CMD ["/lib/systemd/systemd"]' \
  - "$IMAGE" >/dev/null
docker run --rm --entrypoint sh "$IMAGE" -c \
  '/lib/systemd/systemd --version | head -1 && iptables-nft -V && iptables-legacy -V && nft --version && java -version 2>&1 | head -1'
echo "systemd image: built $IMAGE"
