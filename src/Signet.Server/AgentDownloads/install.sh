#!/bin/sh
# Installs the Signet agent on this computer (macOS or Linux), enrolls it and installs its daemon.
#
#   sh install.sh --invitation CODE --ca-fingerprint 5D:F5:... [--server URL] [--prefix DIR] [--root DIR]
#
# Trust: nothing the server says is believed until its CA certificate matches the fingerprint given here (SHA-256,
# with or without colons, any case). That certificate is then the only trust anchor for every later download, the
# build's SHA-256 is checked before it is installed, and `signet enroll` pins the same fingerprint again.
# --root DIR installs under DIR (the binary, the keychain, the launchd plist or systemd unit) and starts nothing:
# for trying it out and for tests.
set -eu

server='@SIGNET_SERVER_URL@'
invitation=''
fingerprint=''
prefix='/usr/local'
root=''

fail() {
  echo "signet install: $*" >&2
  exit 1
}

usage() {
  echo "usage: install.sh --invitation CODE --ca-fingerprint SHA256 [--server URL] [--prefix DIR] [--root DIR]" >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --invitation) [ $# -ge 2 ] || usage; invitation=$2; shift 2 ;;
    --ca-fingerprint) [ $# -ge 2 ] || usage; fingerprint=$2; shift 2 ;;
    --server) [ $# -ge 2 ] || usage; server=$2; shift 2 ;;
    --prefix) [ $# -ge 2 ] || usage; prefix=$2; shift 2 ;;
    --root) [ $# -ge 2 ] || usage; root=$2; shift 2 ;;
    -h|--help) usage ;;
    *) echo "signet install: unknown option $1" >&2; usage ;;
  esac
done

[ -n "$fingerprint" ] || fail "--ca-fingerprint is required: copy it from the console's invitation page or the server's start-up log."
[ -n "$invitation" ] || fail "--invitation is required: create one in the console (Invitations) or with POST /api/v1/invitations."
pin=$(printf '%s' "$fingerprint" | tr -d ':' | tr 'A-F' 'a-f')
case "$pin" in
  *[!0-9a-f]*) fail "--ca-fingerprint must be a SHA-256 in hex (64 digits, colons allowed)." ;;
esac
[ ${#pin} -eq 64 ] || fail "--ca-fingerprint must be a SHA-256 in hex (64 digits, colons allowed)."
server=${server%/}
case "$server" in
  https://*) ;;
  http://127.0.0.1:*|http://127.0.0.1|http://localhost:*|http://localhost|http://\[::1\]*) ;;
  *) fail "--server must be an https:// address (http:// only to this computer's loopback address)." ;;
esac
command -v curl >/dev/null 2>&1 || fail "curl is needed to download the agent: install it and run this again."

case "$(uname -s)" in
  Darwin) os=osx ;;
  Linux) os=linux ;;
  *) fail "this computer's system ($(uname -s)) has no Signet agent build; macOS and Linux do." ;;
esac
case "$(uname -m)" in
  x86_64|amd64) arch=x64 ;;
  arm64|aarch64) arch=arm64 ;;
  *) fail "this computer's processor ($(uname -m)) has no Signet agent build; x86-64 and arm64 do." ;;
esac
rid="$os-$arch"

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum | cut -c1-64
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 | cut -c1-64
  else openssl dgst -sha256 -r | cut -c1-64
  fi
}

work=$(mktemp -d "${TMPDIR:-/tmp}/signet-install.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

# 1. The CA certificate, fetched without TLS validation (nothing is trusted yet) and accepted only if its DER bytes
#    hash to the pinned fingerprint.
curl -fsS --proto '=https,http' -k -o "$work/ca-chain.pem" "$server/agent/v1/ca" \
  || fail "cannot reach $server/agent/v1/ca: check the address and that this computer can reach the server."
sed -n '1,/-----END CERTIFICATE-----/p' "$work/ca-chain.pem" > "$work/ca.pem"
# The PEM body is the DER in base64 (macOS before 13 spells the decoder's option -D).
if printf 'YQ==' | base64 -d >/dev/null 2>&1; then decode='base64 -d'; else decode='base64 -D'; fi
actual=$(sed -e '/-----/d' "$work/ca.pem" | tr -d ' \r\n' | $decode | sha256)
[ "$actual" = "$pin" ] || fail "the server's CA certificate has fingerprint $actual, not the pinned $pin: refusing to trust it. Check the fingerprint with your administrator."
echo "signet install: CA fingerprint matches the pin."

# 2. The build for this computer, over TLS that trusts that CA alone, checked against the SHA-256 the server sent.
tls="--cacert $work/ca.pem"
case "$server" in http://*) tls='' ;; esac
# shellcheck disable=SC2086 # $tls is one option and its argument, or nothing
curl -fsS --proto '=https,http' $tls -D "$work/headers" -o "$work/signet" "$server/agent/v1/download/$rid" \
  || fail "cannot download the agent for $rid from $server: is a build for $rid published on the server?"
expected=$(tr -d '\r' < "$work/headers" | sed -n 's/^[Ss]ignet-[Ss]ha256: *\([0-9a-fA-F]\{64\}\).*/\1/p' | tail -n 1 | tr 'A-F' 'a-f')
[ -n "$expected" ] || fail "the server sent no Signet-Sha256 header with the build: refusing to install it."
actual=$(sha256 < "$work/signet")
[ "$actual" = "$expected" ] || fail "the downloaded agent's SHA-256 is $actual, not $expected: refusing to install it."
echo "signet install: downloaded signet for $rid (SHA-256 $actual)."

# 3. Install it.
bin="$root$prefix/bin"
mkdir -p "$bin"
chmod 0755 "$work/signet"
mv -f "$work/signet" "$bin/signet.new"
mv -f "$bin/signet.new" "$bin/signet"
echo "signet install: installed $bin/signet."

# 4. Enroll (the agent pins the same fingerprint), then the daemon.
keychain=''
if [ -n "$root" ]; then
  keychain="$root/var/lib/signet"
  "$bin/signet" enroll --server "$server" --invitation "$invitation" --ca-fingerprint "$pin" --keychain "$keychain"
else
  "$bin/signet" enroll --server "$server" --invitation "$invitation" --ca-fingerprint "$pin"
fi

if [ -n "$root" ]; then
  if [ "$os" = osx ]; then daemon="$root/Library/LaunchDaemons/com.signet.agent.plist"; else daemon="$root/etc/systemd/system/signet-agent.service"; fi
  mkdir -p "$(dirname "$daemon")"
  "$bin/signet" install-daemon --print --keychain "$keychain" > "$daemon"
  echo "signet install: wrote $daemon (nothing started under --root)."
else
  "$bin/signet" install-daemon
  if [ "$os" = osx ]; then
    launchctl bootstrap system /Library/LaunchDaemons/com.signet.agent.plist
  elif command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl daemon-reload && systemctl enable --now signet-agent.service
  else
    echo "signet install: systemd is not running here; start \`signet daemon\` with this system's service manager." >&2
  fi
fi
echo "signet install: done."
