# /proc/meminfo has no CommitHeadroom line before; after, one that equals
# CommitLimit - Committed_AS of the same read.
check_unpatched() {
	cat /proc/meminfo >/tmp/003.meminfo
	grep -q '^CommitLimit: ' /tmp/003.meminfo || { say "no CommitLimit"; return 1; }
	! grep -q '^CommitHeadroom:' /tmp/003.meminfo || { say "CommitHeadroom before the patch"; return 1; }
}

check_patched() {
	cat /proc/meminfo >/tmp/003.meminfo
	awk '
		/^CommitLimit:/ { limit = $2; nl++ }
		/^Committed_AS:/ { used = $2; nu++ }
		/^CommitHeadroom:/ { room = $2; nr++; unit = $3 }
		END {
			want = limit > used ? limit - used : 0
			if (nl != 1 || nu != 1 || nr != 1 || unit != "kB" || room != want) {
				printf "CommitHeadroom %s %s, want %d (limit %d, committed %d)\n", room, unit, want, limit, used
				exit 1
			}
		}' /tmp/003.meminfo
}
