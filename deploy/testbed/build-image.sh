#!/usr/bin/env bash
# Builds the integration-test image feishu-ipsync-testbed:1 from Debian packages, without any container registry:
# debootstrap a minimal trixie (it packages moto, the AWS API emulator) with the kernel firewall tools and a JRE,
# then `docker import` it. Idempotent: does nothing when the image exists (FORCE=1 rebuilds).
set -euo pipefail

IMAGE=${IMAGE:-feishu-ipsync-testbed:1}
SUITE=${SUITE:-trixie}
PACKAGES=nftables,iptables,ipset,iproute2,ca-certificates,curl,procps,util-linux,python3,python3-moto,python3-flask-cors,python3-cffi-backend,openjdk-21-jre-headless

if [ "${FORCE:-0}" != 1 ] && docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "testbed: image $IMAGE exists"
  exit 0
fi

# The Debian mirror this machine's apt already uses.
MIRROR=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
if [ -z "$MIRROR" ]; then
  MIRROR=$(awk '$1 == "deb" {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
fi
[ -n "$MIRROR" ] || { echo "testbed: cannot find the Debian mirror in the apt sources" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "testbed: debootstrap is not installed" >&2; exit 1; }

WORK=$(mktemp -d /var/tmp/feishu-ipsync-testbed.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
ROOTFS=$WORK/rootfs

echo "testbed: debootstrap $SUITE from the configured mirror (about 2 minutes)"
if ! debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$ROOTFS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1; then
  echo "testbed: debootstrap failed; last lines of its log:" >&2
  tail -20 "$WORK/debootstrap.log" >&2
  exit 1
fi
# Keep the image small: no package lists or caches.
rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/*

echo "testbed: importing $IMAGE"
tar -C "$ROOTFS" -c . | docker import --change 'CMD ["/bin/bash"]' - "$IMAGE" >/dev/null
docker run --rm --cap-add NET_ADMIN "$IMAGE" sh -c 'nft --version && iptables -V && ipset -v && java -version 2>&1 | head -1 && python3 -c "import moto; print(\"moto\", moto.__version__)"'
echo "testbed: built $IMAGE"
