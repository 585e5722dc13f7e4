#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# isoboot-extract's options on one Rock Ridge + Joliet image built here:
# long and JSON listings, patterns, --strip-components, -j, -O, times,
# -k, atomic replacement, the name layers, usage errors, --help,
# --version and a failing standard output.
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
need xorriso cmp awk od iconv
umask 022



# no_temps DESC DIR: no temporary file of the tool is left in DIR.
no_temps() {
	find "$2" -name '.ib*' -print >"$T/temps"
	check_eq "$1: no .ib*.tmp file left" "" "$(cat "$T/temps")"
}

# json_field PATH FIELD: FIELD of PATH's line in $T/out (--json).
json_field() {
	awk -v p="\"path\":\"$1\"," -v f="\"$2\":" '
	index($0, "{" p) == 1 {
		s = substr($0, index($0, f) + length(f))
		sub(/[,}].*/, "", s)
		print s
	}' "$T/out"
}

src=$T/src
mkdir -p "$src/boot/grub" "$src/isolinux" "$src/deep/x" "$src/emptydir" \
    "$src/docs"
printf 'boot kernel\n' >"$src/boot/vmlinuz"
head -c 200000 /dev/urandom >"$src/boot/initrd.img"
printf 'set timeout=5\n' >"$src/boot/grub/grub.cfg"
printf 'isolinux kernel\n' >"$src/isolinux/vmlinuz"
printf 'deep kernel\n' >"$src/deep/x/vmlinuz"
printf 'readme\n' >"$src/docs/readme.txt"
printf '#!/bin/sh\n' >"$src/run.sh"
chmod 0755 "$src/run.sh"
long80=$(awk 'BEGIN { for (i = 0; i < 8; i++) printf "longname%02d", i }')
printf 'long\n' >"$src/$long80"
ln -s boot/vmlinuz "$src/link"
# Old times: 2000-01-01 12:00 UTC (lib.sh sets TZ=UTC).
old=946728000
find "$src" -type f -exec touch -t 200001011200 {} \;
find "$src" -type d -exec touch -t 200001011200 {} \;
# touch -h (not POSIX, but in GNU, BSD and macOS touch): the link's own.
touch -h -t 200001011200 "$src/link" 2>/dev/null
img=$T/o.iso
if ! xorriso -as mkisofs -R -J -o "$img" "$src" >"$T/mk.log" 2>&1; then
	fail "building the image failed"
	sed 's/^/#   /' "$T/mk.log" | tail -n 5
	done_testing
fi

# --- listings -------------------------------------------------------
expect_exit 0 "-t exits 0" isoboot-extract -t "$img"
sort "$T/out" >"$T/plain.list"
check_grep "-t lists boot/vmlinuz" '^boot/vmlinuz$' "$T/plain.list"

expect_exit 0 "-tv exits 0" isoboot-extract -tv "$img"
cp "$T/out" "$T/long.list"
check_eq "-tv: one line per member" "$(lines "$T/plain.list")" \
    "$(lines "$T/long.list")"
check_grep "-tv: mode string of a 0644 file" \
    '^-rw-r--r-- .* boot/vmlinuz$' "$T/long.list"
check_grep "-tv: mode string of a 0755 file" '^-rwxr-xr-x .* run\.sh$' \
    "$T/long.list"
check_grep "-tv: directory mode string" '^drwxr-xr-x .* boot$' \
    "$T/long.list"
check_grep "-tv: symlink shows '-> target'" \
    '^lrwxrwxrwx .* link -> boot/vmlinuz$' "$T/long.list"
check_eq "-tv: size of boot/initrd.img" 200000 \
    "$(awk '$1 ~ /^-/ && $NF == "boot/initrd.img" { print $5 }' \
    "$T/long.list")"
check_eq "-tv: size of boot/vmlinuz" 12 \
    "$(awk '$1 ~ /^-/ && $NF == "boot/vmlinuz" { print $5 }' \
    "$T/long.list")"
check_grep "-tv: the year of an old file" ' 2000 boot/vmlinuz$' \
    "$T/long.list"

expect_exit 0 "--json exits 0" isoboot-extract -t --json "$img"
check_eq "--json: one line per member" "$(lines "$T/plain.list")" \
    "$(lines "$T/out")"
check_eq "--json: every line is an object with a path first" 0 \
    "$(grep -c -v '^{"path":"[^"]*",.*}$' "$T/out")"
check_eq "--json: the paths are those of -t" "$(cat "$T/plain.list")" \
    "$(sed 's/^{"path":"\([^"]*\)".*/\1/' "$T/out" | sort)"
check_eq "--json: size" 200000 "$(json_field boot/initrd.img size)"
check_eq "--json: type of a file" '"file"' "$(json_field boot/vmlinuz type)"
check_eq "--json: mode" '"0755"' "$(json_field run.sh mode)"
check_eq "--json: symlink target" '"boot/vmlinuz"' \
    "$(json_field link target)"
check_eq "--json: mtime" "$old" "$(json_field boot/vmlinuz mtime)"
cp "$T/out" "$T/json.list"

# --- patterns -------------------------------------------------------
expect_exit 0 "an exact path exits 0" isoboot-extract -t "$img" boot/vmlinuz
check_eq "an exact path lists that member only" boot/vmlinuz \
    "$(cat "$T/out")"
expect_exit 0 "a leading / in a pattern is dropped" \
    isoboot-extract -t "$img" /boot/vmlinuz
check_eq "/boot/vmlinuz lists boot/vmlinuz" boot/vmlinuz "$(cat "$T/out")"
expect_exit 0 "glob boot/* exits 0" isoboot-extract -t "$img" 'boot/*'
check_eq "glob boot/* lists boot's members, recursively" \
    "boot/grub boot/grub/grub.cfg boot/initrd.img boot/vmlinuz" \
    "$(sort "$T/out" | tr '\n' ' ' | sed 's/ $//')"
expect_exit 0 "glob */vmlinuz exits 0" isoboot-extract -t "$img" '*/vmlinuz'
check_eq "'*' does not match '/'" "boot/vmlinuz isolinux/vmlinuz" \
    "$(sort "$T/out" | tr '\n' ' ' | sed 's/ $//')"
expect_exit 0 "--wildcards-match-slash exits 0" \
    isoboot-extract -t --wildcards-match-slash "$img" '*/vmlinuz'
check_eq "--wildcards-match-slash: '*' matches '/'" \
    "boot/vmlinuz deep/x/vmlinuz isolinux/vmlinuz" \
    "$(sort "$T/out" | tr '\n' ' ' | sed 's/ $//')"
expect_exit 1 "'*.cfg' matches nothing without --wildcards-match-slash" \
    isoboot-extract -t "$img" '*.cfg'
check_eq "'*.cfg': the message" \
    "isoboot-extract: $img: *.cfg: not found in image" "$(cat "$T/err")"

d=$T/x-dir
expect_exit 0 "-x with a directory pattern exits 0" \
    isoboot-extract -x -C "$d" "$img" boot
check_files "directory pattern: boot/grub/grub.cfg extracted" \
    "$src/boot/grub/grub.cfg" "$d/boot/grub/grub.cfg"
check_files "directory pattern: boot/initrd.img extracted" \
    "$src/boot/initrd.img" "$d/boot/initrd.img"
check_eq "directory pattern: nothing outside boot" "boot" "$(ls "$d")"
no_temps "directory pattern" "$d"

d=$T/x-missing
expect_exit 1 "-x with a pattern matching nothing exits 1" \
    isoboot-extract -x -C "$d" "$img" boot/vmlinuz nosuch docs
check_eq "missing pattern: the message" \
    "isoboot-extract: $img: nosuch: not found in image" "$(cat "$T/err")"
check_files "missing pattern: the other patterns are extracted" \
    "$src/boot/vmlinuz" "$d/boot/vmlinuz"
check_files "missing pattern: docs extracted too" \
    "$src/docs/readme.txt" "$d/docs/readme.txt"

# --- --strip-components, -j -----------------------------------------
d=$T/x-strip
expect_exit 0 "--strip-components 1 exits 0" \
    isoboot-extract -x --strip-components 1 -C "$d" "$img" boot
check_files "--strip-components 1: boot/vmlinuz is DIR/vmlinuz" \
    "$src/boot/vmlinuz" "$d/vmlinuz"
check_files "--strip-components 1: boot/grub/grub.cfg is DIR/grub/grub.cfg" \
    "$src/boot/grub/grub.cfg" "$d/grub/grub.cfg"
check_eq "--strip-components 1: no boot directory" no \
    "$([ -e "$d/boot" ] && echo yes || echo no)"
# The man page: "members with no more are skipped"; tar and bsdtar skip
# them silently (only device nodes are skipped "with a note").
check_eq "--strip-components 1: nothing on stderr" "" "$(cat "$T/err")"
expect_exit 2 "--strip-components x is a usage error" \
    isoboot-extract -x --strip-components x -C "$d" "$img"

d=$T/x-flat
expect_exit 0 "-j exits 0" isoboot-extract -x -j -C "$d" "$img" boot/vmlinuz
check_files "-j: boot/vmlinuz is DIR/vmlinuz" "$src/boot/vmlinuz" \
    "$d/vmlinuz"
check_eq "-j: nothing else" vmlinuz "$(ls -A "$d")"
d=$T/x-flat2
expect_exit 1 "-j with two vmlinuz exits 1" \
    isoboot-extract -x --flat -C "$d" "$img" boot/vmlinuz isolinux/vmlinuz
check_grep "-j: the error names isolinux/vmlinuz" 'isolinux/vmlinuz' \
    "$T/err"
check_grep "-j: the error names boot/vmlinuz" 'boot/vmlinuz' "$T/err"
check_grep "-j: the error starts with the tool's name" \
    '^isoboot-extract: ' "$T/err"
check_files "-j: the first vmlinuz is kept" "$src/boot/vmlinuz" \
    "$d/vmlinuz"
no_temps "-j" "$d"

# --- -O -------------------------------------------------------------
expect_exit 0 "-O exits 0" isoboot-extract -x -O "$img" boot/initrd.img
check_files "-O writes the exact bytes" "$src/boot/initrd.img" "$T/out"
check_eq "-O: nothing on stderr" "" "$(cat "$T/err")"
expect_exit 2 "-O without a path is a usage error" \
    isoboot-extract -x -O "$img"

# --- times ----------------------------------------------------------
d=$T/x-now
before=$(date +%s)
expect_exit 0 "-x exits 0" isoboot-extract -x -C "$d" "$img"
m=$(mtime "$d/boot/vmlinuz")
if [ "$m" -ge "$before" ] && [ "$m" -gt $((old + 86400 * 365)) ]; then
	ok "default: extracted files get the current time"
else
	fail "default: mtime $m, expected >= $before"
fi
no_temps "-x" "$d"
d=$T/x-old
expect_exit 0 "--preserve-times exits 0" \
    isoboot-extract -x --preserve-times -C "$d" "$img"
check_eq "--preserve-times: the file's mtime from the image" "$old" \
    "$(mtime "$d/boot/vmlinuz")"
check_eq "--preserve-times: the same as --json says" \
    "$(awk -v p='{"path":"boot/initrd.img",' 'index($0, p) == 1' \
    "$T/json.list" | sed 's/.*"mtime":\([0-9-]*\),.*/\1/')" \
    "$(mtime "$d/boot/initrd.img")"
check_eq "--preserve-times: a directory's mtime from the image" "$old" \
    "$(mtime "$d/boot/grub")"
if [ "$(mtime "$src/link")" = "$old" ]; then
	check_eq "--preserve-times: a symlink's own mtime from the image" \
	    "$old" "$(mtime "$d/link")"
else
	echo "# touch -h did not work: symlink times not tested"
fi

# --- -k, replacing, atomicity ---------------------------------------
d=$T/x-keep
mkdir -p "$d/boot"
printf 'local\n' >"$d/boot/vmlinuz"
expect_exit 0 "-k exits 0" isoboot-extract -x -k -C "$d" "$img"
check_eq "-k: the existing file is untouched" local "$(cat "$d/boot/vmlinuz")"
check_files "-k: the other files are extracted" "$src/boot/initrd.img" \
    "$d/boot/initrd.img"
no_temps "-k" "$d"
# A hard link to the old file keeps the old bytes when the file is
# replaced by rename, not truncated and rewritten in place.
ln "$d/boot/vmlinuz" "$T/old-vmlinuz"
ino=$(inode_of "$d/boot/vmlinuz")
expect_exit 0 "without -k exits 0" isoboot-extract -x -C "$d" "$img"
check_files "without -k: the file is replaced" "$src/boot/vmlinuz" \
    "$d/boot/vmlinuz"
check_eq "without -k: replaced by a new file, not rewritten" local \
    "$(cat "$T/old-vmlinuz")"
if [ "$(inode_of "$d/boot/vmlinuz")" != "$ino" ]; then
	ok "without -k: a new inode"
else
	fail "without -k: the old inode was rewritten"
fi
no_temps "replace" "$d"
expect_exit 0 "extracting again exits 0" isoboot-extract -x -C "$d" "$img"
check_files "extracting again: same bytes" "$src/boot/initrd.img" \
    "$d/boot/initrd.img"
check_eq "extracting again: the symlink" boot/vmlinuz "$(readlink "$d/link")"
check_eq "extracting again: modes" -rwxr-xr-x "$(mode_of "$d/run.sh")"
no_temps "extracting again" "$d"

# --- name layers ----------------------------------------------------
j64=$(printf '%.64s' "$long80")
expect_exit 0 "default listing exits 0" isoboot-extract -t "$img"
check_grep "default: the Rock Ridge name (80 bytes)" "^$long80\$" "$T/out"
expect_exit 0 "--no-joliet exits 0" isoboot-extract -t --no-joliet "$img"
check_grep "--no-joliet: still the Rock Ridge name" "^$long80\$" "$T/out"
expect_exit 0 "--no-rockridge exits 0" isoboot-extract -t --no-rockridge "$img"
check_grep "--no-rockridge: the Joliet name (64 characters)" "^$j64\$" \
    "$T/out"
check_eq "--no-rockridge: no 80-byte name" 0 \
    "$(grep -c "^$long80\$" "$T/out")"
check_eq "--no-rockridge: no symlink (not in the Joliet tree)" 0 \
    "$(grep -c '^link$' "$T/out")"
expect_exit 0 "--no-rockridge --no-joliet exits 0" \
    isoboot-extract -t --no-rockridge --no-joliet "$img"
check_grep "--no-rockridge --no-joliet: ECMA-119 names" '^BOOT/VMLINUZ$' \
    "$T/out"
check_eq "--no-rockridge --no-joliet: no lower-case names" 0 \
    "$(grep -c '[a-z]' "$T/out")"

# --- names that need quoting ------------------------------------------
# -t escapes control characters and backslashes (one member, one line);
# --json escapes them as JSON does and stays valid UTF-8 even for a
# Rock Ridge name that is not UTF-8 (RFC 8259 8.1); -x writes the real
# names.
qs=$T/qsrc
mkdir -p "$qs"
nl_name=$(printf 'new\nline')
tab_name=$(printf 'a\tb')
latin1=$(printf 'caf\351.txt')
printf 'nl\n' >"$qs/$nl_name"
printf 'tab\n' >"$qs/$tab_name"
printf 'bs\n' >"$qs/back\\slash"
printf 'quote\n' >"$qs/quo\"te"
printf 'latin-1\n' >"$qs/$latin1"
if xorriso -as mkisofs -R -o "$T/q.iso" "$qs" >"$T/mkq.log" 2>&1; then
	expect_exit 0 "quoting: -t exits 0" isoboot-extract -t "$T/q.iso"
	check_eq "quoting: one line per member" 5 "$(lines "$T/out")"
	check_grep "quoting: a newline is shown as backslash-n" '^new\\nline$' \
	    "$T/out"
	check_grep "quoting: a tab is shown as backslash-t" '^a\\tb$' "$T/out"
	check_grep "quoting: backslash doubled" '^back\\\\slash$' "$T/out"
	expect_exit 0 "quoting: --json exits 0" \
	    isoboot-extract -t --json "$T/q.iso"
	check_eq "quoting: --json one line per member" 5 "$(lines "$T/out")"
	check_grep "quoting: --json escapes the newline" \
	    '^{"path":"new\\nline",' "$T/out"
	check_grep "quoting: --json escapes the quote" \
	    '^{"path":"quo\\"te",' "$T/out"
	if iconv -f UTF-8 -t UTF-8 <"$T/out" >/dev/null 2>&1; then
		ok "quoting: --json is valid UTF-8 with a Latin-1 name"
	else
		fail "quoting: --json is not valid UTF-8 (raw 0xE9 of a Latin-1 name)"
	fi
	expect_exit 0 "quoting: -x exits 0" \
	    isoboot-extract -x -C "$T/x-q" "$T/q.iso"
	bad=0
	for f in "$nl_name" "$tab_name" 'back\slash' 'quo"te' "$latin1"; do
		cmp -s "$qs/$f" "$T/x-q/$f" || bad=$((bad + 1))
	done
	check_eq "quoting: -x writes the real names" 0 "$bad"
	expect_exit 0 "quoting: -O with a newline in PATH exits 0" \
	    isoboot-extract -x -O "$T/q.iso" "$nl_name"
	check_files "quoting: -O of the newline name" "$qs/$nl_name" "$T/out"
else
	fail "building the quoting image failed"
	sed 's/^/#   /' "$T/mkq.log" | tail -n 5
fi

# --- usage, help, version, output errors ----------------------------
expect_exit 2 "no arguments: exit 2" isoboot-extract
check_grep "no arguments: usage on stderr" '^usage: isoboot-extract' "$T/err"
check_eq "no arguments: nothing on stdout" "" "$(cat "$T/out")"
expect_exit 2 "-t and -x together: exit 2" isoboot-extract -t -x "$img"
check_grep "-t and -x together: message" '^isoboot-extract: ' "$T/err"
expect_exit 2 "an unknown option: exit 2" isoboot-extract --bogus "$img"
check_grep "an unknown option: usage on stderr" '^usage: isoboot-extract' \
    "$T/err"
check_grep "an unknown option: named" 'bogus' "$T/err"
expect_exit 2 "no image: exit 2" isoboot-extract -t
expect_exit 2 "--json with -x: exit 2" isoboot-extract -x --json "$img"
expect_exit 0 "--help exits 0" isoboot-extract --help
check_grep "--help: usage on stdout" '^usage: isoboot-extract' "$T/out"
check_grep "--help: lists --preserve-times" '--preserve-times' "$T/out"
check_eq "--help: nothing on stderr" "" "$(cat "$T/err")"
expect_exit 0 "--version exits 0" isoboot-extract --version
check_grep "--version: name and version on stdout" \
    '^isoboot-extract [0-9][0-9.]*' "$T/out"
check_eq "--version: nothing on stderr" "" "$(cat "$T/err")"
if [ -w /dev/full ]; then
	isoboot-extract -t "$img" >/dev/full 2>"$T/err"
	check_eq "-t >/dev/full exits 1" 1 "$?"
	check_grep "-t >/dev/full: says so" '^isoboot-extract: .*write' \
	    "$T/err"
	isoboot-extract --help >/dev/full 2>"$T/err"
	check_eq "--help >/dev/full exits 1" 1 "$?"
	isoboot-extract -x -O "$img" boot/initrd.img >/dev/full 2>"$T/err"
	check_eq "-x -O >/dev/full exits 1" 1 "$?"
	check_grep "-x -O >/dev/full: says so" '^isoboot-extract: ' "$T/err"
else
	echo "# no /dev/full here: write errors on stdout not tested"
fi

# -C with a missing parent: only the last directory is made, and the
# message says so (was: "No such file or directory").
expect_exit 1 "-C with a missing parent: exit 1" \
    isoboot-extract -x -C "$T/no/dir" "$img"
check_eq "-C with a missing parent: says parents are not made" \
    "isoboot-extract: $T/no/dir: its parent directory does not exist (only the last directory of a path is made)" \
    "$(cat "$T/err")"

done_testing
