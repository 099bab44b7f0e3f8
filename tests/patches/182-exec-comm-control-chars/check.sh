# A script whose file name holds a tab: the task running it is named
# "k<tab>live" before, "k?live" after (its /proc/PID/comm, read by a
# child).  A name set through prctl keeps its tab in both states (the
# probe prints the tab of the Name field of /proc/PID/status as <09>).
tab=$(printf '\t')
script="/tmp/k${tab}live"

exec_name() {
	printf '#!/bin/sh\ncat /proc/$$/comm\n' >"$script" && chmod +x "$script" ||
		{ say "cannot write $script"; return 1; }
	"$script"
}

check_names() {
	local got status
	got=$(exec_name)
	[ "$got" = "$1" ] || { say "script named '$got', want '$1'"; return 1; }
	status=$(probe comm-status "k${tab}live")
	[ "$status" = 'k<09>live' ] && return 0
	say "Name after prctl: '$status', want 'k<09>live'"
	return 1
}

check_unpatched() {
	check_names "k${tab}live"
}

check_patched() {
	check_names 'k?live'
}

# The loaded module's sections (/sys/module/corpus_182/sections): those the
# kernel rewrote in the patched begin_new_exec.  Which ones the function
# has depends on the kernel's configuration, told by its symbols:
# PREEMPT_DYNAMIC (the __SCK__preempt_schedule static call key) brings the
# scheduler's static calls, XEN_PV (xen_start_kernel, which selects
# PARAVIRT_XXL and comes with PARAVIRT_SPINLOCKS here) the paravirt sites
# and their alternatives.
has_symbol() {
	grep -q " $1\$" /proc/kallsyms
}

check_sections() {
	local want=".smp_locks" s
	has_symbol __SCK__preempt_schedule && want="$want .static_call_sites"
	has_symbol xen_start_kernel &&
		want="$want .parainstructions .altinstructions .altinstr_replacement"
	for s in $want; do
		[ -e "/sys/module/corpus_182/sections/$s" ] && continue
		say "the module has no $s section: $(ls -A /sys/module/corpus_182/sections | tr '\n' ' ')"
		return 1
	done
	say "module sections: $want"
}

run_entry() {
	check_unpatched || return 1
	apply_entry
	check_sections && check_patched || return 1
	revert_entry
	check_unpatched
}
