# An interrupt's own CPU set written back to /proc/irq/N/smp_affinity (as
# a mask) and to smp_affinity_list (as a list): taken in every state, and
# logged ("irq N: affinity set to LIST by sh (PID)", PID a subshell's)
# only while the patch is applied.  Both handlers go through
# write_irq_affinity.constprop.0.isra.0.
#
# Only the interrupt's own set is written: a set without the CPU it is on
# would start a vector move that a quiet interrupt never finishes.

# pick_irq: sets $irq to /proc/irq/N of the first interrupt that takes its
# own CPU set, $n to N, $mask and $list to that set.
pick_irq() {
	local d
	for d in /proc/irq/[0-9]*; do
		[ -e "$d/smp_affinity" ] || continue
		mask=$(cat "$d/smp_affinity")
		list=$(cat "$d/smp_affinity_list")
		if (echo "$mask" >"$d/smp_affinity") 2>/dev/null; then
			irq=$d
			n=${d#/proc/irq/}
			return 0
		fi
	done
	say "no interrupt takes an affinity"
	return 1
}

# write_set FILE TEXT: writes TEXT (must be taken); the kernel's affinity
# lines about it go to /tmp/175.log.
write_set() {
	log_mark
	(echo "$2" >"$1") 2>/dev/null || { say "$1: write '$2' refused"; return 1; }
	log_since | grep -o "irq $n: affinity set to .*" | sed "s/ ([0-9]*)\$//" >/tmp/175.log
	return 0
}

expect_log() {
	[ "$(cat /tmp/175.log)" = "$1" ] && return 0
	say "logged '$(cat /tmp/175.log)', want '$1'"
	return 1
}

check_unpatched() {
	pick_irq || return 1
	write_set "$irq/smp_affinity" "$mask" && expect_log "" &&
		write_set "$irq/smp_affinity_list" "$list" && expect_log ""
}

check_patched() {
	pick_irq || return 1
	write_set "$irq/smp_affinity" "$mask" &&
		expect_log "irq $n: affinity set to $list by sh" &&
		write_set "$irq/smp_affinity_list" "$list" &&
		expect_log "irq $n: affinity set to $list by sh"
}
