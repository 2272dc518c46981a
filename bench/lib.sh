# Sourced by the benchmarks once they have set their defaults and
# BENCH_NAME: finds the programs and starts networks (tests/network.sh),
# makes the temporary folder $T, and offers what every bench's teardown
# needs.  Everything binds to 127.0.0.1.

export FEIRA_LISTEN=127.0.0.1
. "$FEIRA_SRCDIR/tests/network.sh"
NGINX=${FEIRA_NGINX:-$(sed -n "s|^NGINX=\${FEIRA_NGINX:-'\(.*\)'}$|\1|p" \
    "$FEIRACTL" 2>/dev/null)}
NGINX=${NGINX:-nginx}

T=$(mktemp -d "/tmp/feira-$BENCH_NAME.XXXXXX") || exit 1
PASSWORD=bench-$$-secret
FAILED=1

die() {
	echo "$BENCH_NAME: $*" >&2
	exit 1
}

# stop_pid PID [TENTHS]: TERM, then KILL if it still runs after TENTHS
# tenths of a second (70).
stop_pid() {
	local n=0
	kill -0 "$1" 2>/dev/null || return 0
	kill -TERM "$1"
	while kill -0 "$1" 2>/dev/null && [ "$n" -lt "${2:-70}" ]; do
		sleep 0.1
		n=$((n + 1))
	done
	kill -0 "$1" 2>/dev/null && kill -KILL "$1"
	return 0
}

# bench_cleanup: remove $T, unless the run failed or BENCH_KEEP=1.
bench_cleanup() {
	if [ "$FAILED" = 1 ] || [ "${BENCH_KEEP:-0}" = 1 ]; then
		echo "$BENCH_NAME: logs kept in $T" >&2
	else
		rm -rf "$T"
	fi
}
# bench_build_ref: build the reference FastCGI program into $T when REF
# names none, and point REF at it.
bench_build_ref() {
	[ -x "$REF" ] && return 0
	REF=$T/ref-fcgi
	echo "$BENCH_NAME: no bench/ref-fcgi; building it with ${CC:-cc} -O2"
	"${CC:-cc}" -O2 -I"$FEIRA_BUILDDIR" -I"$FEIRA_SRCDIR/lib" \
	    $(pkg-config --cflags json-c 2>/dev/null) \
	    "$FEIRA_SRCDIR/bench/ref-fcgi.c" -o "$REF" -lfcgi -ldb-5.3 ||
	    die "cannot build the reference"
}

# The teardown of a bench with a reference program (REF_PID) beside the
# marketplaces of NET: the reference first, for it uses their store.
bench_ref_teardown() {
	[ -n "${REF_PID:-}" ] && stop_pid "$REF_PID"
	"$FEIRACTL" stop "$NET" >/dev/null 2>&1
	bench_cleanup
}
trap 'exit 130' INT TERM
