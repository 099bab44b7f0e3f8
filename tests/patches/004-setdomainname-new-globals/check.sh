# An empty domain name is accepted before and refused (EINVAL) after; each
# change after the patch is logged as change 1, change 2.
check_unpatched() {
	r=$(probe setdomainname "")
	probe setdomainname "(none)" >/dev/null
	[ "$r" = 0 ] || { say "setdomainname(\"\"): $r"; return 1; }
	log_mark
	r=$(probe setdomainname corpus4)
	[ "$r" = 0 ] && [ "$(cat /proc/sys/kernel/domainname)" = corpus4 ] ||
		{ say "setdomainname(corpus4): $r"; return 1; }
	probe setdomainname "(none)" >/dev/null
	! log_since | grep -q "domain name set by" || { say "logged before the patch"; return 1; }
}

check_patched() {
	r=$(probe setdomainname "")
	[ "$r" = "-1 EINVAL" ] || { say "setdomainname(\"\"): $r"; return 1; }
	log_mark
	r1=$(probe setdomainname corpus4)
	d=$(cat /proc/sys/kernel/domainname)
	r2=$(probe setdomainname "(none)")
	[ "$r1 $r2 $d" = "0 0 corpus4" ] || { say "setdomainname: $r1 $r2 $d"; return 1; }
	log_since | grep -o "domain name set by .*" >/tmp/004.log
	printf 'domain name set by corpus-probe (change 1)\ndomain name set by corpus-probe (change 2)\n' >/tmp/004.want
	cmp -s /tmp/004.log /tmp/004.want || { say "log: $(cat /tmp/004.log)"; return 1; }
}
