#!/usr/bin/env bash
# Installs feishu-ipsync on a host without dpkg, the way the .deb does; safe to run again (an existing config and
# secret are kept). Usage: sudo deploy/install.sh [path/to/feishu-ipsync.jar]
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=${1:-target/feishu-ipsync.jar}
PREFIX=${PREFIX:-}
[ "$(id -u)" = 0 ] || { echo "install: run as root" >&2; exit 1; }
[ -f "$JAR" ] || { echo "install: $JAR not found; build it with 'mvn package' first" >&2; exit 1; }
command -v java >/dev/null || echo "install: warning: no java on PATH; feishu-ipsync needs Java 17 or newer" >&2

if ! getent group feishu-ipsync >/dev/null; then
  groupadd --system feishu-ipsync
fi
if ! getent passwd feishu-ipsync >/dev/null; then
  useradd --system --gid feishu-ipsync --home-dir /var/lib/feishu-ipsync --no-create-home \
    --shell /usr/sbin/nologin --comment "feishu-ipsync daemon" feishu-ipsync
fi

install -D -m 0644 "$JAR" "$PREFIX/usr/share/feishu-ipsync/feishu-ipsync.jar"
# The cloud SDKs that run in class loaders of their own (README, "Huawei Cloud"): replaced whole, root's.
rm -rf "$PREFIX/usr/share/feishu-ipsync/bundles"
for dir in "$(dirname "$JAR")"/bundles/*/; do
  [ -d "$dir" ] || continue
  name=$(basename "$dir")
  install -d -m 0755 "$PREFIX/usr/share/feishu-ipsync/bundles/$name"
  install -m 0644 "$dir"*.jar "$PREFIX/usr/share/feishu-ipsync/bundles/$name/"
done
install -D -m 0755 deploy/debian/feishu-ipsync "$PREFIX/usr/bin/feishu-ipsync"
install -D -m 0644 systemd/feishu-ipsync.service "$PREFIX/lib/systemd/system/feishu-ipsync.service"
install -D -m 0644 systemd/feishu-ipsync-restore.service "$PREFIX/lib/systemd/system/feishu-ipsync-restore.service"
install -D -m 0755 deploy/debian/feishu-ipsync-restore "$PREFIX/usr/lib/feishu-ipsync/feishu-ipsync-restore"
install -D -m 0644 README.md "$PREFIX/usr/share/doc/feishu-ipsync/README.md"
install -D -m 0644 deploy/polkit/50-feishu-ipsync-firewalld.rules \
  "$PREFIX/usr/share/polkit-1/rules.d/50-feishu-ipsync-firewalld.rules"
install -d -m 0750 -o root -g feishu-ipsync "$PREFIX/etc/feishu-ipsync"
if [ ! -e "$PREFIX/etc/feishu-ipsync/config.yaml" ]; then
  install -m 0640 -o root -g feishu-ipsync config/feishu-ipsync.yaml "$PREFIX/etc/feishu-ipsync/config.yaml"
else
  echo "install: keeping the existing /etc/feishu-ipsync/config.yaml"
fi
install -d -m 0700 -o feishu-ipsync -g feishu-ipsync "$PREFIX/var/lib/feishu-ipsync"
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
fi
echo "install: done. Edit /etc/feishu-ipsync/config.yaml, put the app secret in /etc/feishu-ipsync/app_secret"
echo "  (mode 0600, root), run 'feishu-ipsync sync --dry-run', then 'systemctl enable --now feishu-ipsync'."
