# Sourced by .ci/run: starts a software TPM for the device-key tests (docs/hardware-keys.md) and registers how to stop
# it in the caller's `stops` array. swtpm serves TPM 2.0 on 127.0.0.1, tpm2-abrmd (on a private D-Bus session bus)
# multiplexes it, and tpm2-pkcs11 reaches it through TPM2_PKCS11_TCTI; all state lives in one temporary folder.
# Without tpm2-abrmd swtpm runs out of object slots on the second key, so the tests always go through it.

start_software_tpm() {
  local port=${SIGNET_CI_TPM_PORT:-2321}
  local work
  work=$(mktemp -d /tmp/signet-ci-tpm.XXXXXX)
  mkdir -p "$work/state"
  stops+=("rm -rf '$work'")

  swtpm socket --tpm2 --server "type=tcp,port=$port,bindaddr=127.0.0.1" --ctrl "type=tcp,port=$((port + 1)),bindaddr=127.0.0.1" \
    --tpmstate "dir=$work/state" --flags not-need-init,startup-clear --pid "file=$work/swtpm.pid" --daemon
  stops+=("kill \$(cat '$work/swtpm.pid') 2>/dev/null || true")

  dbus-daemon --session --address="unix:path=$work/dbus.sock" --fork --print-pid=1 >"$work/dbus.pid"
  stops+=("kill \$(cat '$work/dbus.pid') 2>/dev/null || true")
  export DBUS_SESSION_BUS_ADDRESS="unix:path=$work/dbus.sock"

  tpm2-abrmd --session --allow-root --flush-all --tcti="swtpm:host=127.0.0.1,port=$port" >"$work/abrmd.log" 2>&1 &
  echo $! >"$work/abrmd.pid"
  stops+=("kill \$(cat '$work/abrmd.pid') 2>/dev/null || true")

  export TPM2TOOLS_TCTI=tabrmd:bus_type=session TPM2_PKCS11_TCTI=tabrmd:bus_type=session
  for _ in $(seq 1 30); do
    tpm2_getrandom 8 >/dev/null 2>&1 && break
    sleep 1
  done
  if ! tpm2_getrandom 8 >/dev/null 2>&1; then
    echo "ci: the software TPM did not answer; tpm2-abrmd said:" >&2
    cat "$work/abrmd.log" >&2
    return 1
  fi
  echo "ci: software TPM on 127.0.0.1:$port behind tpm2-abrmd ($work)"
}
