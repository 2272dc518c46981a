#!/bin/bash
#
# Run the tests named on the command line, a few at a time.  Each one
# speaks TAP, read by automake's tap-driver.sh, which writes its .log and
# .trs files under the build folder.  A line per test tells how it went;
# a failed test's log is shown; the last line sums every result of every
# test as "N passed, N failed".  Exits 1 if anything failed.
#
# Environment: FEIRA_SRCDIR and FEIRA_BUILDDIR (set by make check),
# FEIRA_TEST_JOBS (default 2), FEIRA_TEST_TIMEOUT in seconds (default 300).

set -u
src=${FEIRA_SRCDIR:?}
build=${FEIRA_BUILDDIR:?}
export src build
export AM_TAP_AWK=${AWK:-awk}
export FEIRA_TEST_TIMEOUT=${FEIRA_TEST_TIMEOUT:-300}
mkdir -p "$build/tests"

# Run one test through the TAP driver and print how it went.
run_one() {
	local t=$1 base start secs pass fail
	base=$build/${t%.sh}
	rm -f "$base.log" "$base.trs"
	case $t in
	*.sh) set -- bash "$src/$t" ;;
	*) set -- "$build/$t" ;;
	esac
	start=$(date +%s)
	bash "$src/build-aux/tap-driver.sh" --test-name "$t" \
	    --log-file "$base.log" --trs-file "$base.trs" --color-tests no \
	    --enable-hard-errors yes --expect-failure no -- \
	    timeout "$FEIRA_TEST_TIMEOUT" "$@" >"$base.out" 2>&1
	secs=$(($(date +%s) - start))
	pass=$(grep -c '^:test-result: \(PASS\|SKIP\|XFAIL\)' "$base.trs")
	fail=$(grep -c '^:test-result: \(FAIL\|XPASS\|ERROR\)' "$base.trs")
	if [ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]; then
		printf 'PASS %-34s %4d passed (%ds)\n' "$t" "$pass" "$secs"
	else
		{
			printf 'FAIL %-34s %4d passed, %d failed (%ds)\n' \
			    "$t" "$pass" "$fail" "$secs"
			grep -v '^PASS' "$base.out" | sed 's/^/    /'
			sed -n '/^#/p' "$base.log" | tail -40 | sed 's/^/    /'
		} | head -120
	fi
	rm -f "$base.out"
}
export -f run_one

printf '%s\n' "$@" | xargs -P "${FEIRA_TEST_JOBS:-2}" -I{} \
    bash -c 'run_one "$1"' _ {}

for t in "$@"; do
	trs=$build/${t%.sh}.trs
	if [ ! -s "$trs" ]; then
		echo ":test-result: ERROR $t did not run"
	else
		cat "$trs"
	fi
done | awk '
	/^:test-result: (PASS|XFAIL|SKIP)/ { pass++ }
	/^:test-result: (FAIL|XPASS|ERROR)/ { fail++ }
	END {
		printf "%d passed, %d failed\n", pass, fail
		exit fail > 0 || pass == 0
	}'
