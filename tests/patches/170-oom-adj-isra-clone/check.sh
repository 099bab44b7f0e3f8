# Making the shell exempt from the OOM killer, through oom_score_adj (-1000)
# and through the legacy oom_adj (-17): no log line before, one naming the
# file after.  Both writes go through the patched clone
# __set_oom_adj.isra.0.  The shell's oom_score_adj is back at 0 after each.

# exempt FILE VALUE: writes VALUE to the shell's FILE, then 0 to its
# oom_score_adj; keeps the log lines about exemptions in /tmp/170.log.
exempt() {
	log_mark
	echo "$2" >/proc/$$/$1 || { say "write $2 to $1 failed"; return 1; }
	[ "$(cat /proc/$$/oom_score_adj)" = -1000 ] ||
		{ say "oom_score_adj is $(cat /proc/$$/oom_score_adj) after $1=$2"; return 1; }
	echo 0 >/proc/$$/oom_score_adj || return 1
	log_since | grep -o "): pid [0-9]* is now exempt from the OOM killer.*" >/tmp/170.log
	return 0
}

expect_log() {
	[ "$(cat /tmp/170.log)" = "$1" ] && return 0
	say "logged '$(cat /tmp/170.log)', want '$1'"
	return 1
}

check_unpatched() {
	exempt oom_score_adj -1000 && expect_log "" &&
		exempt oom_adj -17 && expect_log ""
}

check_patched() {
	exempt oom_score_adj -1000 &&
		expect_log "): pid $$ is now exempt from the OOM killer (oom_score_adj)" &&
		exempt oom_adj -17 &&
		expect_log "): pid $$ is now exempt from the OOM killer (oom_adj)"
}
