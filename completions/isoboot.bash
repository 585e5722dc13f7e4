# SPDX-License-Identifier: GPL-3.0-or-later
# bash completion for isoboot's tools: isoboot, isoboot-extract,
# syslinux2cmdline, mkdisk, isoboot-cmd. Options come from each tool's --help, so they never disagree;
# --label completes the labels of the ISO or tree on the command line
# (syslinux2cmdline --list). Installed once per command name, as
# bash-completion loads them.

# _isoboot_options TOOL: the options its --help lists.
_isoboot_options() {
	"$1" --help 2>/dev/null |
	    grep -oE '(^|[ ,])--?[A-Za-z][A-Za-z0-9-]*(\[?=)?' |
	    sed -e 's/^[ ,]*//' -e 's/\[=$//' | sort -u
}

# _isoboot_image: the ISO (or -r DIR) named on the command line, as
# "-i PATH" or "-r PATH" for syslinux2cmdline.
_isoboot_image() {
	local i w prev=
	for ((i = 1; i < ${#COMP_WORDS[@]}; i++)); do
		w=${COMP_WORDS[i]}
		[[ $i -eq $COMP_CWORD ]] && continue
		case $prev in
		-i | --iso) printf -- '-i\n%s\n' "$w"; return ;;
		-r | --root) printf -- '-r\n%s\n' "$w"; return ;;
		esac
		case $w in
		*.iso | *.ISO | *.img) [[ -f $w ]] && {
			printf -- '-i\n%s\n' "$w"
			return
		} ;;
		esac
		prev=$w
	done
}

# _isoboot_labels: the labels of that image's boot menu.
_isoboot_labels() {
	local -a img
	mapfile -t img < <(_isoboot_image)
	[[ ${#img[@]} -eq 2 ]] || return
	syslinux2cmdline "${img[0]}" "${img[1]}" --list 2>/dev/null |
	    awk -F '\t' '$1 != "" && $1 !~ /^on timeout/ {
		l = substr($1, 3); if (l != "-") print l }'
}

_isoboot_complete() {
	local cur prev tool
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	tool=${COMP_WORDS[0]}
	case $prev in
	-l | --label)
		mapfile -t COMPREPLY < <(compgen -W "$(_isoboot_labels)" -- "$cur")
		return ;;
	--format)
		case ${tool##*/} in
		isoboot-extract | syslinux2cmdline)
			mapfile -t COMPREPLY < <(compgen -W 'plain shell make json' \
			    -- "$cur") ;;
		esac
		return ;;
	-f)
		if [[ ${tool##*/} = mkdisk ]]; then
			mapfile -t COMPREPLY < <(compgen -W 'raw qcow2' -- "$cur")
			return
		fi ;;
	-t | --target)
		if [[ ${tool##*/} = isoboot-cmd || ${tool##*/} = isoboot ]]; then
			mapfile -t COMPREPLY < <(compgen -W 'hyperkit xhyve vfkit qemu' \
			    -- "$cur")
			return
		fi ;;
	--net)
		mapfile -t COMPREPLY < <(compgen -W 'none vpnkit vmnet user' \
		    -- "$cur")
		return ;;
	--serial)
		mapfile -t COMPREPLY < <(compgen -W 'stdio pty file:' -- "$cur")
		return ;;
	--kernel | --initrd | --disk | --cdrom | --bootrom | --ssh-key | \
	    --user-data)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return ;;
	--user)
		mapfile -t COMPREPLY < <(compgen -u -- "$cur")
		return ;;
	--platform)
		mapfile -t COMPREPLY < <(compgen -W 'bios efi' -- "$cur")
		return ;;
	--firmware)
		mapfile -t COMPREPLY < <(compgen -W 'kexec efi' -- "$cur")
		return ;;
	-C | -r | --root | -o | --output)
		mapfile -t COMPREPLY < <(compgen -d -- "$cur")
		return ;;
	-i | --iso)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return ;;
	esac
	case $cur in
	--preallocate=*)
		mapfile -t COMPREPLY < <(compgen -P --preallocate= \
		    -W 'off falloc full' -- "${cur#--preallocate=}")
		return ;;
	--serial=*)
		mapfile -t COMPREPLY < <(compgen -P --serial= \
		    -W 'ttyS0 ttyS0,115200 ttyS1 hvc0' -- "${cur#--serial=}")
		return ;;
	-*)
		mapfile -t COMPREPLY < <(compgen -W "$(_isoboot_options "$tool")" \
		    -- "$cur")
		return ;;
	esac
	mapfile -t COMPREPLY < <(compgen -f -- "$cur")
}

complete -o filenames -F _isoboot_complete isoboot isoboot-extract \
    syslinux2cmdline mkdisk isoboot-cmd
