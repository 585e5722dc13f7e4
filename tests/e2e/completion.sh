#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Shell completion: completions/isoboot.bash loaded in bash completes each
# tool's options (every option of its man page), option values, and the
# labels of the boot menu of the ISO or tree on the command line;
# completions/_isoboot parses in zsh and defines the same.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need bash zsh
comp=$IB_TOP/completions

# complete LINE: what bash offers for the last word of LINE (a trailing
# space starts an empty word), sorted, on one line.
complete_line() {
	bash -c '
		. "$1"
		line=$2
		read -r -a COMP_WORDS <<<"$line"
		case $line in *" ") COMP_WORDS+=("") ;; esac
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_isoboot_complete
		printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort | tr "\n" " " |
		    sed "s/ $//"
	' sh "$comp/isoboot.bash" "$1"
}

check_eq "mkdisk --pre: --preallocate=" "--preallocate=" \
    "$(complete_line 'mkdisk --pre')"
check_eq "mkdisk --preallocate=f: falloc, full" \
    "--preallocate=falloc --preallocate=full" \
    "$(complete_line 'mkdisk --preallocate=f')"
check_eq "mkdisk -f q: qcow2" qcow2 "$(complete_line 'mkdisk -f q')"
check_eq "syslinux2cmdline --pla: --platform" --platform \
    "$(complete_line 'syslinux2cmdline --pla')"
check_eq "syslinux2cmdline --platform: bios efi" "bios efi" \
    "$(complete_line 'syslinux2cmdline --platform ')"
check_eq "isoboot-cmd -t: the four targets" "hyperkit qemu vfkit xhyve" \
    "$(complete_line 'isoboot-cmd -t ')"
check_eq "isoboot -t: the four targets" "hyperkit qemu vfkit xhyve" \
    "$(complete_line 'isoboot -t ')"
check_eq "isoboot --net u: user" user "$(complete_line 'isoboot --net u')"
check_eq "isoboot-cmd --net u: user" user "$(complete_line 'isoboot-cmd --net u')"
check_eq "isoboot-extract --format: the four formats" \
    "json make plain shell" "$(complete_line 'isoboot-extract --format ')"

# Every option in a tool's man page is offered after "-".
for page in "$IB_TOP"/man/*.1; do
	tool=$(basename "$page" .1)
	offered=" $(complete_line "$tool -") "
	missing=$(grep -oE '^\.It Fl -?[A-Za-z][A-Za-z0-9-]*|, Fl -?[A-Za-z][A-Za-z0-9-]*' \
	    "$page" | sed -e 's/.*Fl //' -e 's/^/-/' | sort -u |
	    while read -r o; do
		case $offered in
		*" $o "* | *" $o="*) ;;
		*) printf ' %s' "$o" ;;
		esac
	    done)
	check_eq "$tool -: every option of the man page is offered" "" \
	    "$missing"
done

# Labels of the menu on the command line.
di=/usr/lib/debian-installer/images/12/amd64/text
need_file "$di" /usr/lib/ipxe/ipxe.iso
labels=" $(complete_line "syslinux2cmdline -r $di -l ") "
for l in install expert rescue; do
	case $labels in
	*" $l "*) ok "syslinux2cmdline -r d-i -l: offers $l" ;;
	*) fail "syslinux2cmdline -r d-i -l: offers $l (got:$labels)" ;;
	esac
done
check_eq "syslinux2cmdline -r d-i -l ex: the labels starting ex" \
    "expert" "$(complete_line "syslinux2cmdline -r $di -l exp" |
        tr ' ' '\n' | grep -x expert)"
check_eq "isoboot-extract ISO --label: ipxe.iso's label" ipxe.lkrn \
    "$(complete_line "isoboot-extract /usr/lib/ipxe/ipxe.iso --label ")"

# zsh: the function parses and is the completion of all three tools.
expect_exit 0 "zsh: _isoboot parses" zsh -n "$comp/_isoboot"
check_eq "zsh: #compdef names the five tools" \
    "#compdef isoboot isoboot-extract syslinux2cmdline mkdisk isoboot-cmd" \
    "$(head -n 1 "$comp/_isoboot")"
done_testing
