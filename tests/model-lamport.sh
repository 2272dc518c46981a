#!/bin/bash
# Proves, with spin, that the lock protocol of tests/lamport.pml, which is
# peerd's, keeps mutual exclusion and never deadlocks with three
# marketplaces whose messages overtake each other, whose checkouts give
# up, and one of which crashes and restarts; and that both checks can
# fail: without acknowledgements that carry pending requests (case A),
# spin finds two marketplaces holding one product, and without floors
# (case B), a request left in a queue for ever.
#
# The state space is too large to store whole on this machine, so pan
# runs in bitstate mode (supertrace) with a 2^26-bit table: a very wide
# but not exhaustive search, whose hash factor is printed.

set -u
: "${FEIRA_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
T=$(mktemp -d /tmp/feira-spin.XXXXXX)
trap 'rm -rf "$T"' EXIT
N=0
FAILED=0

check() {
	N=$((N + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $N - $1"
	else
		FAILED=$((FAILED + 1))
		echo "not ok $N - $1"
		echo "# got: $2"
		echo "# want: $3"
	fi
}

# run NAME [SPIN-FLAGS]: build and run the verifier; its output in $T/NAME.
run() {
	local name=$1
	shift
	mkdir -p "$T/$name"
	(
		cd "$T/$name" || exit 1
		cp "$FEIRA_SRCDIR/tests/lamport.pml" . &&
		    spin -a "$@" lamport.pml >spin.out 2>&1 &&
		    cc -O2 -w -DSAFETY -DBITSTATE -DVECTORSZ=2048 -o pan pan.c &&
		    timeout 600 ./pan -w26 -m100000 >pan.out 2>&1
	)
	cat "$T/$name/pan.out" 2>/dev/null
}

command -v spin >/dev/null || { echo "Bail out! spin is not installed"; exit 1; }

OUT=$(run model)
check "spin checks the model for assertions and invalid end states" \
    "$(printf '%s\n' "$OUT" | grep -c -e 'assertion violations	+' \
    -e 'invalid end states	+')" 2
check "no two marketplaces ever hold one product, and nothing deadlocks" \
    "$(printf '%s\n' "$OUT" | sed -n 's/.*errors: \([0-9]*\).*/\1/p')" 0
echo "# $(printf '%s\n' "$OUT" | grep -E 'states, stored|hash factor' | tr -s ' \n' ' ')"

# The smaller searches: one checkout each, of one product, no crash.
SMALL="-DNO_CRASH -DONE_PRODUCT -DREQUESTS=1"
OUT=$(run without-a -DWITHOUT_A -DNO_GIVE_UP $SMALL)
check "without acks that carry pending requests, mutual exclusion fails" \
    "$(printf '%s\n' "$OUT" | grep -c 'assertion violated ((k==me)')" 1
OUT=$(run without-b -DWITHOUT_B $SMALL)
check "without floors, a release that overtakes its request leaves it for ever" \
    "$(printf '%s\n' "$OUT" | grep -c 'assertion violated (((done\[0\]')" 1

echo "1..$N"
[ "$FAILED" -eq 0 ]
