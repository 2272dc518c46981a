# Sourced by the shell tests and the benchmarks: where the built programs
# and the source files are, for feiractl, and how to start marketplaces on
# free loopback ports.

: "${FEIRA_SRCDIR:=$(cd "$(dirname "$0")/.." && pwd)}"
: "${FEIRA_BUILDDIR:=$FEIRA_SRCDIR}"
export FEIRA_FCGI=$FEIRA_BUILDDIR/feira-fcgi
export FEIRA_PEERD=$FEIRA_BUILDDIR/feira-peerd
export FEIRA_TEMPLATES=$FEIRA_SRCDIR/html/templates
export FEIRA_STATIC=$FEIRA_SRCDIR/html/static
export FEIRA_NGINX_TEMPLATES=$FEIRA_SRCDIR/nginx
export FEIRA_DEMO=$FEIRA_SRCDIR/html/demo
export FEIRA_LOCALEDIR=$FEIRA_BUILDDIR/locale
export FEIRA_WORKERS=${FEIRA_WORKERS:-4}
FEIRACTL=$FEIRA_BUILDDIR/feiractl

# Are the ports from $1 to $1 + $2 - 1 free on this machine?
ports_free() {
	local used p
	used=$(ss -Htan 2>/dev/null | awk '{ n = split($4, a, ":"); print a[n] }')
	for ((p = $1; p < $1 + $2; p++)); do
		if printf '%s\n' "$used" | grep -qx "$p"; then
			return 1
		fi
	done
	return 0
}

# network_start DIR COUNT PASSWORD LOG: start COUNT marketplaces in DIR on
# consecutive free ports, trying a few random bases; sets BASE.  feiractl's
# output goes to LOG.  Returns 1 when no try worked.  The ports are below
# the kernel's range of ephemeral ports, so that no client's connection
# can take the port of a marketplace that a test stops and starts again;
# the 300 ports above them are left for relays.
network_start() {
	local dir=$1 count=$2 password=$3 log=$4 try low
	low=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range \
	    2>/dev/null)
	[ "${low:-0}" -gt 12000 ] 2>/dev/null || low=32768
	for try in 1 2 3 4 5 6 7 8; do
		BASE=$((10000 + (RANDOM * 32768 + RANDOM) % (low - 10400)))
		ports_free "$BASE" "$count" || continue
		rm -rf "$dir"
		if "$FEIRACTL" start -n "$count" -p "$BASE" -P "$password" \
		    "$dir" >"$log" 2>&1; then
			return 0
		fi
		"$FEIRACTL" stop "$dir" >/dev/null 2>&1
	done
	return 1
}
