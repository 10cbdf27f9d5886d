#!/usr/bin/env bash
# The newcomer's second command, as CI runs it after `make test`: `make demo` from the
# repository root with the default data folder (data/demo), stopped with Ctrl-C once the
# hall has issued tickets and made a call; then the same with the embedded broker.
# Exits non-zero when the demo fails to start, never gets that far, or stops uncleanly.
#
#   bash scripts/try-demo.sh            # Mosquitto when installed, then embedded amqtt
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1

WAIT_S=${WAIT_S:-120}
say() { printf '[try-demo] %s\n' "$*"; }

# A summary line with tickets issued and a call made: "[08:05] issued 13 ... last call A-002"
progress='^\[[0-9:]+\] issued [1-9][0-9]* .* last call [A-Z]{1,2}-[0-9]{3} -> '

try_once() {
    local label=$1 log
    log=$(mktemp)
    say "make demo ($label)"
    # its own session, so Ctrl-C (SIGINT) reaches the demo and make as from a terminal
    setsid make --no-print-directory demo DEMO_ARGS="--plain --apps off" >"$log" 2>&1 &
    local leader=$! waited=0
    until grep -Eq "$progress" "$log"; do
        if ! kill -0 "$leader" 2>/dev/null || ((waited >= WAIT_S * 2)); then
            break
        fi
        sleep 0.5
        waited=$((waited + 1))
    done
    local called=0
    grep -Eq "$progress" "$log" && called=1
    pkill -INT -s "$leader" -f 'mpp demo' 2>/dev/null
    wait "$leader"
    local rc=$?
    cat "$log"
    if ((called == 0)); then
        say "FAILED ($label): no ticket issued and called within ${WAIT_S} s"
        rm -f "$log"; return 1
    fi
    if ((rc != 0)) || ! grep -q "stopped cleanly" "$log"; then
        say "FAILED ($label): make demo exited with $rc"
        rm -f "$log"; return 1
    fi
    rm -f "$log"
    say "ok ($label)"
}

failed=0
try_once "default broker" || failed=1
MPP_BROKER=amqtt try_once "embedded broker" || failed=1
exit $failed
