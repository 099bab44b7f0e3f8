# tests/helpers/corpus-guest.sh: the guest side of the patch corpus runner
# (busybox sh).  Run as: sh corpus-guest.sh DIR ENTRY; DIR holds one
# directory per corpus entry with its check.sh and its module NAME.ko.  It
# sources the entry's check.sh and runs run_entry, or the default sequence
# check_unpatched, apply, check_patched, revert, check_unpatched, then checks
# the kernel log written meanwhile, and prints one line:
#   CORPUS-RESULT ENTRY ok
#   CORPUS-RESULT ENTRY not ok: REASON
# Helpers an entry's check.sh may use:
#   apply_entry     applies the entry's module (fails the entry on error)
#   revert_entry    reverts it (fails the entry on error)
#   say TEXT        logs a line naming the entry
#   log_mark        remembers where the kernel log ends now
#   log_since       prints the kernel log lines written after log_mark
#   probe ARGS      tests/helpers/corpus-probe (system calls, fixed output)

dir=$1
entry=$2
num=${entry%%-*}
patch_name=corpus_$num
ko=$dir/$entry/$patch_name.ko

say() { echo "  $entry: $*"; }

finish() {
	echo "CORPUS-RESULT $entry $*"
	exit 0
}

entry_fail() {
	# Leave nothing of this entry behind for the next one.
	if [ -d /sys/kernel/livepatch/$patch_name ]; then
		klive revert "$patch_name" >/dev/null 2>&1 ||
			say "could not revert $patch_name after the failure"
	fi
	finish "not ok: $*"
}

apply_entry() {
	klive apply "$ko" >/tmp/corpus.apply 2>&1 ||
		{ cat /tmp/corpus.apply; entry_fail "klive apply: $(tail -n 1 /tmp/corpus.apply)"; }
	say "applied"
}

revert_entry() {
	klive revert "$patch_name" >/tmp/corpus.revert 2>&1 ||
		{ cat /tmp/corpus.revert; entry_fail "klive revert: $(tail -n 1 /tmp/corpus.revert)"; }
	say "reverted"
}

probe() { "$dir/corpus-probe" "$@"; }

# The kernel log is told apart by its timestamps ([    12.345678]).
log_last_stamp() {
	dmesg | sed -n 's/^\[ *\([0-9]*\.[0-9]*\)\].*/\1/p' | tail -n 1
}

log_mark() {
	log_mark_stamp=$(log_last_stamp)
	: "${log_mark_stamp:=0}"
}

log_since() {
	dmesg | awk -v t="$log_mark_stamp" '{
		s = $0; sub(/^\[ */, "", s); sub(/\].*/, "", s)
		if (s + 0 > t + 0) print
	}'
}

# Kernel trouble written while the entry ran (what tools/guest would also
# catch, but attributed to the entry here).
bad_log_re='(^|\] |: )(BUG: |kernel BUG at |WARNING: CPU: |Kernel panic - |general protection fault|Oops[:-] |UBSAN: )'

check_log() {
	log_since | grep -E "$bad_log_re" | head -n 1
}

. "$dir/$entry/check.sh" || finish "not ok: check.sh does not load"
command -v check_unpatched >/dev/null && command -v check_patched >/dev/null ||
	finish "not ok: check.sh defines no check_unpatched/check_patched"

log_mark
entry_mark=$log_mark_stamp
if command -v run_entry >/dev/null; then
	run_entry || entry_fail "run_entry failed"
else
	check_unpatched || entry_fail "the original behaviour is not seen before apply"
	apply_entry
	check_patched || entry_fail "the patched behaviour is not seen after apply"
	revert_entry
	check_unpatched || entry_fail "the original behaviour is not back after revert"
fi
[ -d /sys/kernel/livepatch/$patch_name ] && entry_fail "the patch is still applied at the end"
log_mark_stamp=$entry_mark
bad=$(check_log)
[ -z "$bad" ] || finish "not ok: kernel log: $bad"
finish ok
