#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Cross-check with GRUB's own converter: grub-syslinux2cfg (grub-common)
# turns each syslinux config of fixtures/bootcfg into a grub.cfg, which
# our GRUB reader lists; every Linux entry must have the kernel, initrds
# and arguments our syslinux reader gives (initrd= words and runs of
# blanks aside: GRUB passes initrd= on, and splits words). Where the
# converter is wrong, grub-syslinux2cfg.known says so and why.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
corpus=$IB_SHARED/bootcfg
known=$(dirname "$0")/grub-syslinux2cfg.known
need grub-syslinux2cfg
need_file "$corpus/README.md"

field() { sed -n "s/^$1=//p" "$2" | head -n 1; }

# The --list lines: "M LABEL<TAB>TITLE<TAB>KIND<TAB>KERNEL<TAB>INITRDS<TAB>
# ARGS"; print "LABEL#N<TAB>KERNEL<TAB>INITRDS<TAB>ARGS" of Linux entries
# (N: the how-manieth entry with that label: labels may repeat), the
# arguments without initrd= words and with single blanks.
linux_entries() {
	awk -F '\t' '$3 == "linux" {
		n = split($6, w, /[ \t]+/); a = ""
		for (i = 1; i <= n; i++)
			if (w[i] != "" && w[i] !~ /^initrd=/)
				a = a (a == "" ? "" : " ") w[i]
		l = substr($1, 3); k = l "#" (++seen[l])
		print k "\t" $4 "\t" $5 "\t" a
	}' "$1"
}

: >"$T/diffs"
n=0 agree=0
for exp in "$corpus"/*/EXPECTED; do
	dir=$(dirname "$exp")
	name=$(basename "$dir")
	cfg=$(field config "$exp")
	case $cfg in
	*grub*) continue ;;
	esac
	cwd=$(dirname "$cfg")
	mkdir "$T/$name"
	# grub-syslinux2cfg wants the input and -c relative to the current
	# directory, -r with a trailing slash, and -T for the runtime cwd.
	if ! (cd "$dir" && grub-syslinux2cfg -r "$(pwd)/" -c "$cwd" \
	    -T "/$cwd" -i "$cfg") >"$T/$name/grub.cfg" 2>"$T/err"; then
		fail "$name: grub-syslinux2cfg failed: $(head -n 1 "$T/err")"
		continue
	fi
	expect_exit 0 "$name: our list of the syslinux menu" \
	    syslinux2cmdline --list -r "$dir"
	linux_entries "$T/out" >"$T/$name.ours"
	# Exit 1 is fine here: a converted menu may have no default.
	syslinux2cmdline --list "$T/$name/grub.cfg" >"$T/out" 2>"$T/err"
	linux_entries "$T/out" >"$T/$name.theirs"
	while IFS='	' read -r label kernel initrd args; do
		n=$((n + 1))
		theirs=$(awk -F '\t' -v l="$label" '$1 == l' "$T/$name.theirs" |
		    head -n 1)
		if [ -z "$theirs" ]; then
			echo "$name $label missing" >>"$T/diffs"
			continue
		fi
		same=1
		for f in kernel initrd args; do
			case $f in
			kernel) i=2 v=$kernel ;;
			initrd) i=3 v=$initrd ;;
			args) i=4 v=$args ;;
			esac
			if [ "$(printf '%s\n' "$theirs" | cut -f "$i")" != "$v" ]
			then
				echo "$name $label $f" >>"$T/diffs"
				same=0
			fi
		done
		agree=$((agree + same))
	done <"$T/$name.ours"
done
# Differences in a corpus directory nobody has reviewed yet are shown,
# not failed: they may be the converter's bugs (see the known file).
grep '^reviewed ' "$known" | cut -d ' ' -f 2 | sort >"$T/reviewed"
grep -v -e '^#' -e '^reviewed ' "$known" | sed '/^$/d' | sort >"$T/known"
sort "$T/diffs" >"$T/all"
awk 'NR == FNR { r[$1] = 1; next } r[$1]' "$T/reviewed" "$T/all" \
    >"$T/found"
awk 'NR == FNR { r[$1] = 1; next } !r[$1] { print "# unreviewed: " $0 }' \
    "$T/reviewed" "$T/all"
check_eq "Linux entries compared" 1 "$([ "$n" -ge 20 ] && echo 1)"
check_eq "every difference is a documented converter bug" "" \
    "$(comm -23 "$T/found" "$T/known" | tr '\n' ';')"
check_eq "every documented difference still happens" "" \
    "$(comm -13 "$T/found" "$T/known" | tr '\n' ';')"
echo "# $agree of $n Linux entries agree with grub-syslinux2cfg"
done_testing
