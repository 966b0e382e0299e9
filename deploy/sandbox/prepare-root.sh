#!/usr/bin/env bash
# Builds (once) the Debian sid root that holds the sandbox Asterisk 22 used by the demo, the
# integration tests and CI. Idempotent: a finished root is marked with .deskline-ready and reused.
# Usage: prepare-root.sh [ROOT]   (default: .cache/asterisk-root in the checkout)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=${1:-${DESKLINE_ASTERISK_ROOT:-$here/../../.cache/asterisk-root}}
mkdir -p "$(dirname "$root")"
root=$(cd "$(dirname "$root")" && pwd)/$(basename "$root")
marker="$root/.deskline-ready"
if [ -f "$marker" ]; then
  echo "asterisk sandbox: reusing $root ($(cat "$marker"))"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then echo "asterisk sandbox: must run as root (debootstrap, chroot, mount)" >&2; exit 1; fi
command -v debootstrap >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap; }
mirror=${DESKLINE_DEBIAN_MIRROR:-$(awk '/^deb / && $2 ~ /^http/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)}
if [ -z "$mirror" ]; then
  mirror=$(sed -n 's/^URIs: *\(http[^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -1)
fi
mirror=${mirror:-http://deb.debian.org/debian}
partial="$root.partial"
rm -rf "$partial"
echo "asterisk sandbox: [1/3] debootstrap --variant=minbase sid from $mirror (about a minute)"
debootstrap --variant=minbase sid "$partial" "$mirror" >"$partial.log" 2>&1 || { tail -20 "$partial.log" >&2; exit 1; }
echo "asterisk sandbox: [2/3] apt-get install asterisk in the chroot"
cp /etc/resolv.conf "$partial/etc/resolv.conf" 2>/dev/null || true
mount -t proc proc "$partial/proc"
trap 'umount "$partial/proc" 2>/dev/null || true' EXIT
chroot "$partial" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  asterisk asterisk-core-sounds-en-wav asterisk-moh-opsound-wav >>"$partial.log" 2>&1 || { tail -20 "$partial.log" >&2; exit 1; }
chroot "$partial" apt-get clean
umount "$partial/proc"; trap - EXIT
echo "asterisk sandbox: [3/3] finishing"
# Asterisk does not need its system service inside the chroot; our helper starts it per instance.
mkdir -p "$partial/var/spool/asterisk/recording" "$partial/run/deskline"
version=$(chroot "$partial" /usr/sbin/asterisk -V 2>/dev/null || echo unknown)
echo "$version" > "$partial/.deskline-ready"
rm -rf "$root"; mv "$partial" "$root"; mv "$partial.log" "$root.log"
echo "asterisk sandbox: ready at $root ($version)"
