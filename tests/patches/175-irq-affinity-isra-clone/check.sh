# An interrupt whose affinity can be set (the first in /proc/irq taking a
# write of CPU 0): an empty CPU set, "0" to smp_affinity or an empty line
# to smp_affinity_list, is taken (the default affinity) before the patch
# and refused with EINVAL after it; a real CPU set is taken in both.  Both
# handlers go through write_irq_affinity.constprop.0.isra.0.  The
# interrupt gets its first affinity back after each check.

# pick_irq: sets $irq to a directory /proc/irq/N whose affinity can be
# written, and $orig to its smp_affinity.
pick_irq() {
	local d
	for d in /proc/irq/[0-9]*; do
		[ -e "$d/smp_affinity" ] || continue
		orig=$(cat "$d/smp_affinity")
		if (echo 1 >"$d/smp_affinity") 2>/dev/null; then
			irq=$d
			echo "$orig" >"$irq/smp_affinity"
			return 0
		fi
	done
	say "no interrupt takes an affinity"
	return 1
}

# put FILE TEXT: writes TEXT, prints "ok" or the error's reason.
put() {
	if (echo "$2" >"$1") 2>/tmp/175.err; then
		echo ok
	else
		sed 's/.*: //' /tmp/175.err
	fi
}

expect_put() {
	local got
	got=$(put "$1" "$2")
	[ "$got" = "$3" ] && return 0
	say "$1: write '$2' gave '$got', want '$3'"
	return 1
}

# affinity EMPTY_RESULT: the writes of an empty set give EMPTY_RESULT,
# those of CPU 0 are taken.
affinity() {
	pick_irq || return 1
	expect_put "$irq/smp_affinity" 1 ok &&
		expect_put "$irq/smp_affinity" 0 "$1" &&
		expect_put "$irq/smp_affinity_list" 0 ok &&
		expect_put "$irq/smp_affinity_list" "" "$1" || return 1
	echo "$orig" >"$irq/smp_affinity"
}

check_unpatched() {
	affinity ok
}

check_patched() {
	affinity "Invalid argument"
}
