#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# deps.sh: make sure what isoboot needs is installed. On Debian/Ubuntu as
# root, install exactly the missing packages with apt-get; elsewhere print
# the exact command. Exit 1 only when the build itself cannot work (or,
# under CI=true, when anything the tests need is missing).
set -u

# Debian packages: to build, then to run the tests and benchmarks.
BUILD_DEBS="gcc make pkg-config libcdio-dev libiso9660-dev libarchive-dev \
zlib1g-dev check libext2fs-dev"
TEST_DEBS="xorriso genisoimage libarchive-tools ipxe grub-rescue-pc \
memtest86+ debian-installer-12-netboot-amd64 debian-installer-12-netboot-arm64 \
isolinux mandoc shellcheck \
xz-utils gzip \
bzip2 zstd coreutils hyperfine \
clang time grub-common qemu-utils jq zsh ruby qemu-system-x86 busybox-static \
cpio \
fdisk gdisk dosfstools e2fsprogs xfsprogs btrfs-progs squashfs-tools \
cryptsetup-bin mtools debootstrap debian-archive-keyring ovmf systemd-boot-efi \
syslinux-common grub-pc-bin grub-efi-amd64-bin \
openssh-client python3-yaml"
BREW="libcdio libarchive check pkgconf e2fsprogs xorriso cdrtools mandoc shellcheck \
xz zstd hyperfine qemu jq"

missing_debs() {
	for p in "$@"; do
		s=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
		case $s in
		*" installed") ;;
		*) printf '%s ' "$p" ;;
		esac
	done
}

if command -v dpkg-query >/dev/null 2>&1 &&
    command -v apt-get >/dev/null 2>&1; then
	# shellcheck disable=SC2086 # the lists are split on purpose
	build=$(missing_debs $BUILD_DEBS)
	# shellcheck disable=SC2086
	test=$(missing_debs $TEST_DEBS)
	all="$build$test"
	if [ -z "$all" ]; then
		exit 0
	fi
	if [ "$(id -u)" = 0 ]; then
		echo "deps: installing: $all"
		export DEBIAN_FRONTEND=noninteractive
		# shellcheck disable=SC2086
		if apt-get update -qq &&
		    apt-get install -y -qq --no-install-recommends $all \
		    >/dev/null; then
			exit 0
		fi
		echo "deps: apt-get failed" >&2
		exit 1
	fi
	echo "deps: missing packages; install them with:" >&2
	echo "  sudo apt-get install $all" >&2
	if [ -n "$build" ] || [ "${CI:-}" = true ]; then
		exit 1
	fi
	echo "deps: (tests that need them will be skipped)" >&2
	exit 0
fi

# Not Debian: check what pkg-config finds, print the Homebrew command.
if pkg-config --exists libiso9660 libcdio libarchive zlib check \
    2>/dev/null; then
	exit 0
fi
echo "deps: libcdio, libarchive, zlib or check not found by pkg-config." >&2
if [ "$(uname -s)" = Darwin ]; then
	echo "Install them with:" >&2
	echo "  brew install $BREW" >&2
	echo "and make libarchive visible to pkg-config:" >&2
	# shellcheck disable=SC2016 # printed for the user to run
	echo '  export PKG_CONFIG_PATH="$(brew --prefix libarchive)/lib/pkgconfig"' >&2
else
	echo "Install the development packages of libcdio (libiso9660)," >&2
	echo "libarchive, zlib and check with your package manager." >&2
fi
exit 1
