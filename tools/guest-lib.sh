# tools/guest-lib.sh: shell functions shared by the QEMU guest runners
# (tools/guest, tools/sysguest), sourced by them: the markers a guest prints
# on its console and the judging of a console log (the script's exit status,
# signs of a kernel in trouble).

# Markers printed by a guest around its kernel log dump and with the test
# script's exit status.
M_BEGIN='===KLIVE-DMESG-BEGIN==='
M_END='===KLIVE-DMESG-END==='
M_EXIT_RE='===KLIVE-EXIT=([0-9]+)==='

# Lines of a console log that show the kernel in trouble.  Each pattern is
# anchored at a line start or right after a printk timestamp/prefix so that
# ordinary boot messages (e.g. "RETBleed: WARNING: ...") and test output
# quoting such words do not match.
KERNEL_BAD_RE='(^|\] |: )(BUG: |kernel BUG at |WARNING: CPU: [0-9]+ PID: [0-9]+ |WARNING: (possible|suspicious|inconsistent|bad unlock)|Kernel panic - |general protection fault|Oops[:-] |UBSAN: )|[a-z ]+: [0-9a-f]{4} \[#[0-9]+\]'

# Print the first line of the console log $1 that shows a kernel problem;
# fail if there is none.
kernel_trouble()
{
	local line

	line=$(grep -a -m1 -E "$KERNEL_BAD_RE" "$1") || return 1
	# Drop the carriage return and the printk timestamp.
	printf '%s\n' "$line" |
		sed -E -e 's/\r//g' -e 's/^\[ *[0-9]+\.[0-9]+\] //'
}

# Print the exit status reported by the guest in the console log $1; fail
# if the guest reported none.
guest_status()
{
	local line

	line=$(grep -a -o -E "$M_EXIT_RE" "$1" | tail -n1) || return 1
	[ -n "$line" ] || return 1
	line=${line#===KLIVE-EXIT=}
	printf '%s\n' "${line%===}"
}
