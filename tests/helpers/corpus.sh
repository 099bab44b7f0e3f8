# tests/helpers/corpus.sh: the host side of the patch corpus runner, shared
# by t0500 (test kernel) and t0510 (Debian's stock kernel); sourced after
# tests/lib.sh.  See tests/patches/README.md for the entry format.
#
# corpus_run KIND IMAGE TARGET MODULES_FN
#   KIND        test | stock (matched against an entry's kernels:)
#   IMAGE       the kernel image the guest boots
#   TARGET      the klive target the entries are built for
#   MODULES_FN  a function called as MODULES_FN DIR MODULE... that puts the
#               named kernel modules (and what they depend on) under
#               DIR/lib/modules/RELEASE for the guest
# KLIVE_CORPUS (e.g. "012" or "012 150-syscall"): run only the entries whose
# directory name starts with one of the words.  KLIVE_CORPUS_DIR: another
# directory of entries (default tests/patches).

CORPUS=${KLIVE_CORPUS_DIR:-$TESTS/patches}

# expect_get FILE KEY: the value of "KEY: value" in FILE (empty if none).
expect_get() {
	sed -n "s/^$2:[[:space:]]*//p" "$1" | head -n 1 | sed 's/[[:space:]]*$//'
}

corpus_selected() {
	local name=$1 w
	[ -n "${KLIVE_CORPUS:-}" ] || return 0
	for w in ${KLIVE_CORPUS//,/ }; do
		case $name in "$w"*) return 0 ;; esac
	done
	return 1
}

# word_in_output NAME FILE: NAME (func or mod:func) appears in FILE as a
# whole symbol name.
word_in_output() {
	local re
	re=$(printf '%s' "$1" | sed 's/[.[\*^$]/\\&/g')
	grep -qE "(^|[^A-Za-z0-9_.])$re([^A-Za-z0-9_.]|\$)" "$2"
}

corpus_run() {
	local kind=$1 image=$2 target=$3 modules_fn=$4
	local d name num out outcome kernels reason funcs mods f rc t0 secs
	local -a entries=() guest_entries=() results=() files=()
	local all_mods="" failed=0 xfailed=0 total=0 build_start=$SECONDS known xfail

	for d in "$CORPUS"/[0-9][0-9][0-9]-*/; do
		name=$(basename "$d")
		corpus_selected "$name" || continue
		if [ -f "$d/expect" ]; then
			kernels=$(expect_get "$d/expect" kernels)
			[ -n "$kernels" ] || kernels="test stock"
			case " $kernels " in
			*" $kind "*) ;;
			*) echo "   skip $name (kernels: $kernels)"; continue ;;
			esac
		fi
		entries+=("$name")
	done
	[ ${#entries[@]} -gt 0 ] || fail "no corpus entry selected (KLIVE_CORPUS=${KLIVE_CORPUS:-})"
	total=${#entries[@]}

	gcc -static -O2 -Wall -Wextra -Werror -o "$TMP/corpus-probe" \
		"$TESTS/helpers/corpus-probe.c" || fail "cannot compile corpus-probe"
	mkdir -p "$TMP/guest"
	cp "$TMP/corpus-probe" "$TESTS/helpers/corpus-guest.sh" "$TMP/guest/"

	local i=0
	for name in "${entries[@]}"; do
		i=$((i + 1))
		d=$CORPUS/$name
		num=${name%%-*}
		out=$TMP/build/$name
		mkdir -p "$out"
		printf '   [%d/%d] %s: ' "$i" "$total" "$name"
		if [ ! -f "$d/patch" ] || [ ! -f "$d/expect" ]; then
			echo "no patch or expect file"
			results+=("not ok $name: the entry has no patch or no expect file")
			continue
		fi
		outcome=$(expect_get "$d/expect" outcome)
		reason=$(expect_get "$d/expect" reason)
		funcs=$(expect_get "$d/expect" functions)
		mods=$(expect_get "$d/expect" modules)
		# xfail: KIND...: WHY -- a klive bug known to fail the entry there.
		xfail=$(expect_get "$d/expect" xfail)
		known=0
		case " ${xfail%%:*} " in *" $kind "*) known=1 ;; esac
		t0=$SECONDS
		rc=0
		"$KLIVE" build --target "$target" -o "$out/corpus_$num.ko" "$d/patch" \
			>"$out/build.out" 2>"$out/build.err" || rc=$?
		secs=$((SECONDS - t0))
		case $outcome in
		refused)
			local stray
			stray=$(cd "$out" && ls -A | { grep -vxE 'build\.(out|err)' || true; } | tr '\n' ' ')
			if [ $known = 1 ] && { [ $rc -eq 0 ] ||
				! grep -qF -- "$reason" "$out/build.err"; }; then
				results+=("xfail $name: known bug:${xfail#*:} ($(tail -n 1 "$out/build.err"))")
			elif [ $known = 1 ]; then
				results+=("not ok $name: refused as expected although marked xfail: remove its xfail line")
			elif [ $rc -eq 0 ]; then
				results+=("not ok $name: built, but should be refused ($reason)")
			elif [ -z "$reason" ]; then
				results+=("not ok $name: expect has no reason:")
			elif ! grep -qF -- "$reason" "$out/build.err"; then
				results+=("not ok $name: refused without '$reason': $(tail -n 1 "$out/build.err")")
			elif [ -n "$stray" ]; then
				results+=("not ok $name: refused, but left files at the output path: $stray")
			else
				results+=("ok $name: refused ($(tail -n 1 "$out/build.err"))")
			fi
			if [ $rc -eq 0 ]; then
				echo "built, but should be refused (${secs} s)"
			else
				echo "refused, exit status $rc (${secs} s): $(tail -n 1 "$out/build.err")"
			fi
			;;
		builds)
			if [ $rc -ne 0 ] && [ $known = 1 ]; then
				echo "build failed, a known bug (${secs} s): $(tail -n 1 "$out/build.err")"
				results+=("xfail $name: known bug:${xfail#*:} ($(tail -n 1 "$out/build.err"))")
				continue
			elif [ $known = 1 ]; then
				echo "built (${secs} s), although marked xfail"
				results+=("not ok $name: builds although marked xfail: remove its xfail line")
				continue
			fi
			if [ $rc -ne 0 ]; then
				echo "build FAILED (${secs} s): $(tail -n 1 "$out/build.err")"
				results+=("not ok $name: klive build failed: $(tail -n 1 "$out/build.err")")
				continue
			fi
			cat "$out/build.out" "$out/build.err" >"$out/build.all"
			local missing=""
			for f in $funcs; do
				word_in_output "$f" "$out/build.all" || missing="$missing $f"
			done
			echo "built (${secs} s):" $(sed -n 's/^patches \([^ ]*\).*/\1/p' "$out/build.out")
			if [ -n "$missing" ]; then
				sed 's/^/      /' "$out/build.out"
				results+=("not ok $name: the build does not patch:$missing")
				continue
			fi
			if [ ! -f "$d/check.sh" ]; then
				results+=("not ok $name: outcome builds but no check.sh")
				continue
			fi
			mkdir -p "$TMP/guest/$name"
			cp "$d/check.sh" "$out/corpus_$num.ko" "$TMP/guest/$name/"
			guest_entries+=("$name")
			all_mods="$all_mods $mods"
			;;
		*)
			echo "unknown outcome '$outcome'"
			results+=("not ok $name: expect: unknown outcome '$outcome'")
			;;
		esac
	done
	echo "   builds: $((SECONDS - build_start)) s"

	if [ ${#guest_entries[@]} -gt 0 ]; then
		local -a gopts=()
		all_mods=$(echo $all_mods | tr ' ' '\n' | sort -u | tr '\n' ' ')
		if [ -n "${all_mods// /}" ]; then
			"$modules_fn" "$TMP/mods" $all_mods || fail "cannot stage the modules:$all_mods"
			gopts+=(--modules "$TMP/mods")
		fi
		{
			echo "cd /root/corpus"
			for name in "${guest_entries[@]}"; do
				echo "echo '== $name'"
				echo "timeout 180 sh /root/corpus/corpus-guest.sh /root/corpus $name ||" \
				     "echo 'CORPUS-RESULT $name not ok: the guest runner ended with status '\$?"
			done
			echo "echo CORPUS-DONE"
		} >"$TMP/guest.sh"
		echo "   guest: ${#guest_entries[@]} entries in one boot of $image"
		local gstart=$SECONDS grc=0
		"$KLIVE_ROOT/tools/guest" --kernel "$image" --timeout $((240 + 120 * ${#guest_entries[@]})) \
			--log "$TMP/console.log" --append "corpus.secret=hunter2" \
			--file "$TMP/guest:/root/corpus" "${gopts[@]}" "$TMP/guest.sh" \
			>"$TMP/guest.out" 2>&1 || grc=$?
		echo "   guest run: $((SECONDS - gstart)) s, exit status $grc"
		for name in "${guest_entries[@]}"; do
			local line
			line=$(grep -a "^CORPUS-RESULT $name " "$TMP/guest.out" | head -n 1 || true)
			if [ -z "$line" ]; then
				results+=("not ok $name: no result from the guest (guest exit status $grc)")
			else
				case $line in
				"CORPUS-RESULT $name ok") results+=("ok $name") ;;
				*) results+=("not ok $name: ${line#CORPUS-RESULT $name not ok: }") ;;
				esac
			fi
		done
		if [ $grc -ne 0 ]; then
			results+=("not ok guest: tools/guest exit status $grc (126: kernel log trouble, 124: timeout, 125: crash)")
		fi
		if grep -q '^not ok' <(printf '%s\n' "${results[@]}") || [ $grc -ne 0 ]; then
			echo "   --- guest output:"
			sed 's/^/   | /' "$TMP/guest.out" | tail -n 400
		fi
	fi

	echo "   results ($kind kernel, target $target):"
	for name in "${entries[@]}" guest; do
		for f in "${results[@]}"; do
			case $f in
			"ok $name" | "ok $name:"* | "not ok $name:"* | "xfail $name:"*) ;;
			*) continue ;;
			esac
			echo "   $f"
			case $f in
			"not ok"*) failed=$((failed + 1)) ;;
			xfail*) xfailed=$((xfailed + 1)) ;;
			esac
		done
	done
	echo "   $((${#results[@]} - failed - xfailed)) ok, $xfailed known failures (xfail), $failed not ok"
	[ $failed -eq 0 ] || fail "$failed corpus result(s) not ok"
}
