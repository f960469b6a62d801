#!/usr/bin/env bash
# Makes a fresh Debian machine ready for the integration tests: kernel firewall tools, Docker (dockerd started by
# hand: there is no systemd here), the testbed image and the image that boots systemd. Fails with one clear line
# when something can't be had.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "setup: $*"; }
die() { echo "setup: FAILED: $*" >&2; exit 1; }

need=()
# rpm: Debian's rpm tools read and install the RPM in RpmPackageIT (no RPM distribution is reachable).
for pkg in docker.io nftables iptables ipset iproute2 debootstrap systemd postgresql rpm; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  apt-get update -qq || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/tmp/ci-apt.log 2>&1 \
    || { tail -20 /tmp/ci-apt.log >&2; die "apt-get install ${need[*]} failed"; }
else
  say "packages present"
fi
for tool in nft iptables ip6tables iptables-restore ipset ip dockerd debootstrap systemd-analyze; do
  command -v "$tool" >/dev/null || die "$tool is missing after install"
done
# The cluster tests start a throwaway PostgreSQL server of their own from these binaries.
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || die "postgresql is installed but no /usr/lib/postgresql/*/bin/initdb"

if docker info >/dev/null 2>&1; then
  say "dockerd is running"
else
  say "starting dockerd"
  setsid dockerd >/tmp/dockerd.log 2>&1 </dev/null &
  for _ in $(seq 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || { tail -20 /tmp/dockerd.log >&2; die "dockerd did not start"; }
  say "dockerd is running"
fi

bash deploy/testbed/build-image.sh || die "could not build the testbed image"
# The image SystemdBootIT boots a real systemd in (Debian 12, systemd 252 as PID 1).
bash deploy/testbed/build-systemd-image.sh || die "could not build the systemd image"

say "checking the kernel tools inside the testbed"
docker run --rm --cap-add NET_ADMIN feishu-ipsync-testbed:1 sh -c \
  'nft list ruleset >/dev/null && iptables -w -S >/dev/null && ip6tables -w -S >/dev/null && ipset list >/dev/null' \
  || die "nft/iptables/ipset do not work inside the testbed container"
say "ready"
