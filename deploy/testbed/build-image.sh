#!/usr/bin/env bash
# Builds the integration-test image feishu-ipsync-testbed:1 from Debian packages, without any container registry:
# debootstrap a minimal trixie (it packages moto, the AWS API emulator) with the kernel firewall tools and a JRE,
# then `docker import` it. Idempotent: does nothing when the image exists (FORCE=1 rebuilds).
set -euo pipefail

IMAGE=${IMAGE:-feishu-ipsync-testbed:1}
SUITE=${SUITE:-trixie}
PACKAGES=nftables,iptables,ipset,iproute2,ca-certificates,curl,procps,util-linux,python3,python3-moto,python3-flask-cors,python3-cffi-backend,openjdk-21-jre-headless
LABEL=testbed
# shellcheck source=deploy/testbed/debootstrap.sh
. "$(dirname "${BASH_SOURCE[0]}")/debootstrap.sh"

skip_when_built "testbed: image $IMAGE exists"
debootstrap_rootfs feishu-ipsync-testbed

echo "testbed: importing $IMAGE"
tar -C "$ROOTFS" -c . | docker import --change 'CMD ["/bin/bash"]' - "$IMAGE" >/dev/null
docker run --rm --cap-add NET_ADMIN "$IMAGE" sh -c 'nft --version && iptables -V && ipset -v && java -version 2>&1 | head -1 && python3 -c "import moto; print(\"moto\", moto.__version__)"'
echo "testbed: built $IMAGE"
