# getdents64 of /root/corpus into an unaligned buffer works before and
# fails with EINVAL after; into a read-only or unmapped buffer it fails
# with EFAULT, before and after.
efault_checks() {
	for how in readonly unmapped; do
		r=$(probe getdents /root/corpus $how)
		[ "$r" = "-1 EFAULT" ] || { say "getdents64 into a $how buffer: $r"; return 1; }
	done
	r=$(probe getdents /root/corpus ok)
	[ "$r" -gt 0 ] 2>/dev/null || { say "getdents64: $r"; return 1; }
}

check_unpatched() {
	r=$(probe getdents /root/corpus unaligned)
	[ "$r" -gt 0 ] 2>/dev/null || { say "getdents64 into an unaligned buffer: $r"; return 1; }
	efault_checks
}

check_patched() {
	r=$(probe getdents /root/corpus unaligned)
	[ "$r" = "-1 EINVAL" ] || { say "getdents64 into an unaligned buffer: $r"; return 1; }
	efault_checks
}
