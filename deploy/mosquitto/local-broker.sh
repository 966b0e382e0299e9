#!/usr/bin/env bash
# A Mosquitto on this box for the fleet link: one broker user for the box (mqtt.username, its
# password in mqtt.passwordFile, generated when missing) that may write only its own topics and
# read only its own commands, and a 'fleet' user (password in <service.secretsDir>/mqtt-fleet-password)
# for `deskline fleet watch/send`. Idempotent. Usage: local-broker.sh SITE_FILE   (as root)
set -euo pipefail
cd "$(dirname "$0")/../.."
site=${1:?usage: local-broker.sh SITE_FILE}
[ -x /opt/deskline/node/bin/node ] && export PATH=/opt/deskline/node/bin:$PATH
# The site's names, read by Deskline's own loader (DESKLINE_* overrides apply as for the service).
eval "$(node --import tsx -e "
  const { loadConfig } = await import('./src/config/load.ts');
  const c = await loadConfig(process.argv[1]);
  const q = (s) => \"'\" + String(s).replace(/'/g, \"'\\\\''\") + \"'\";
  console.log('url=' + q(c.mqtt.url), 'prefix=' + q(c.mqtt.topicPrefix), 'siteid=' + q(c.site.id), 'box=' + q(c.site.applianceId),
    'user=' + q(c.mqtt.username || c.site.id + '-' + c.site.applianceId), 'pwfile=' + q(c.mqtt.passwordFile || c.service.secretsDir + '/mqtt-password'),
    'secrets=' + q(c.service.secretsDir), 'svcuser=' + q(c.service.user));
" "$site")"
case "$url" in mqtt://127.0.0.1*|mqtt://localhost*) ;; *) echo "local-broker: warning: mqtt.url is '$url', not this box's broker (mqtt://127.0.0.1:1883)" >&2 ;; esac
command -v mosquitto >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends mosquitto >/dev/null
install -d -m 0700 "$secrets" "$(dirname "$pwfile")"
secret() { [ -s "$1" ] || (umask 077; head -c 18 /dev/urandom | base64 | tr '+/' '-_' > "$1"); cat "$1"; }
box_pw=$(secret "$pwfile"); fleet_pw=$(secret "$secrets/mqtt-fleet-password")
id "$svcuser" >/dev/null 2>&1 && chown "$svcuser" "$pwfile"
passwd=/etc/mosquitto/deskline.passwd
rm -f "$passwd.new"; touch "$passwd.new"; chmod 0640 "$passwd.new"
mosquitto_passwd -b "$passwd.new" "$user" "$box_pw"
mosquitto_passwd -b "$passwd.new" fleet "$fleet_pw"
chown root:mosquitto "$passwd.new" 2>/dev/null || true
mv "$passwd.new" "$passwd"
base="$prefix/$siteid/$box"
cat > /etc/mosquitto/deskline.acl <<ACL
# Written by deploy/mosquitto/local-broker.sh: a box writes only its own topics and reads only its commands.
user $user
topic write $base/status
topic write $base/telemetry
topic write $base/events
topic write $base/cmd-result
topic read $base/cmd/#

user fleet
topic read $prefix/#
topic write $prefix/+/+/cmd/#
ACL
install -m 0644 deploy/mosquitto/deskline.conf /etc/mosquitto/conf.d/deskline.conf
if [ -d /run/systemd/system ]; then systemctl enable mosquitto >/dev/null 2>&1 || true; systemctl restart mosquitto; fi
echo "local-broker: $user may publish under $base/; fleet user password in $secrets/mqtt-fleet-password"
