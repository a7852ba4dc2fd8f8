#!/usr/bin/env bash
# Installs Debian's Dovecot IMAP server for the email connector's tests (tests/support/dovecot.ts),
# once per machine. Test files run in parallel and may all find it missing at the same moment:
# the flock makes them queue, and the second one finds it installed. Tests run their own private
# instance, so the package's system service is kept from starting (a policy-rc.d that denies
# service starts, only for the install and only when the machine has none of its own).
set -euo pipefail
exec 9>/tmp/leadwire-dovecot-install.lock
flock 9
if command -v dovecot >/dev/null 2>&1; then exit 0; fi
export DEBIAN_FRONTEND=noninteractive
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
apt-get update -qq
apt-get install -y -qq --no-install-recommends dovecot-imapd >/dev/null
command -v dovecot >/dev/null
