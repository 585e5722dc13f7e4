/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bounds: every limit libisoboot puts on untrusted input, with its reason.
 * A limit that is hit is an IB_ELIMIT error that names it.
 */
#ifndef IB_BOUNDS_H
#define IB_BOUNDS_H

/* ECMA-119 logical block size; every extent is addressed in these. */
#define IB_SECTOR 2048u

/* Volume descriptors read after LBA 16 before giving up on a terminator. */
#define IB_MAX_VDS 64u

/*
 * Directory nesting. ECMA-119 allows 8 levels, Rock Ridge relocation lifts
 * that; libarchive stops at 1000. Each level holds one directory buffer.
 */
#define IB_MAX_DEPTH 1024u

/* One directory extent: 64 MiB holds ~400,000 records of 160 bytes. */
#define IB_MAX_DIR_SIZE (64u * 1024 * 1024)

/* Sum of the directory buffers held by one walk (all ancestors). */
#define IB_MAX_WALK_MEM (256u * 1024 * 1024)

/* Entries in one image: stops endless output from crafted trees. */
#define IB_MAX_ENTRIES 20000000u

/* Directories remembered to detect cycles (one per directory). */
#define IB_MAX_DIRS 4000000u

/* CE continuation hops per System Use area (Linux RR_MAX_CE_ENTRIES). */
#define IB_MAX_CE 32u

/* Bytes of one CE continuation area: it must fit one block (SUSP 5.1). */
#define IB_MAX_CE_LEN IB_SECTOR

/* Extents of one multi-extent file: 64 TiB in 4 GiB pieces, or 8k ones. */
#define IB_MAX_EXTENTS 65536u

/* Bytes of one path inside an image (PATH_MAX on Linux). */
#define IB_MAX_PATH 4096u

/* Bytes of one name component (NAME_MAX). */
#define IB_MAX_NAME 255u

/* Bytes of a Rock Ridge symlink target (PATH_MAX). */
#define IB_MAX_LINK 4096u

/* zisofs block pointers (v1: 4 GiB / 32 KiB; v2 allows more, bounded). */
#define IB_MAX_ZF_BLOCKS (1u << 22)

/*
 * Bytes a zisofs block may be longer than zlib's compressBound(block size),
 * the most compress2() ever writes: room for a writer with other deflate
 * settings. A longer block is malformed, and a block's input buffer stays
 * near one block size whatever its pointers claim.
 */
#define IB_ZF_BLOCK_SLACK 64u

/*
 * A kernel command line we handle: syslinux refuses 2048 bytes and more,
 * x86 kernels take 2047; edits may grow it, so keep room (64 KiB).
 */
#define IB_MAX_CMDLINE (64u * 1024)

/* A boot config file (real ones are a few KiB). */
#define IB_MAX_CONFIG (1024u * 1024)

/* INCLUDE / CONFIG / source nesting (SEMANTICS.md 1.10: syslinux 4.x's
 * documented 16; 6.x has no limit and hangs on a cycle). */
#define IB_MAX_INCLUDE 16u

/* One syslinux config line: ldlinux reads 4096-byte buffers and parses
 * the rest of a longer line as a new one; we refuse it. */
#define IB_MAX_CFG_LINE 4095u

/* Entries in one boot menu. */
#define IB_MAX_ENTRIES_MENU 4096u

/* Words in one command line. */
#define IB_MAX_ARGS 4096u

/* One GRUB config line, and one word or variable value after expansion:
 * GRUB has no limit (grub-core/lib/getline.c grows its buffer); 64 KiB is
 * far above any real grub.cfg line and the x86 command line (2047). */
#define IB_MAX_GRUB_LINE (64u * 1024)

/* if/for/while/{ } nesting in a GRUB script, and submenu depth. Bison's
 * default stack (YYMAXDEPTH 10000) is GRUB's only bound; real configs
 * nest fewer than 5 levels. Each level is one recursive call. */
#define IB_MAX_GRUB_NEST 64u

/* GRUB commands running inside one another (if, for, function calls,
 * source): GRUB recurses until its stack runs out; real configs stay under
 * 10. Each level is a few recursive calls. */
#define IB_MAX_GRUB_CALLS 256u

/* Commands one GRUB parse may run, menu entry bodies included: stops
 * nested for loops and recursive functions from running forever. Real
 * configs run a few hundred. */
#define IB_MAX_GRUB_STEPS 1000000u

/* Names one GRUB wildcard may expand to (a `for` over a directory). */
#define IB_MAX_GRUB_GLOB 4096u

/* Variables in one GRUB context, and functions defined. */
#define IB_MAX_GRUB_VARS 4096u

/* Bytes of parsed GRUB script held at once (all files sourced, each
 * parsed once): 64 configs of the largest size allowed. */
#define IB_MAX_GRUB_MEM (64u * 1024 * 1024)

/* Notes one GRUB parse adds; a loop could otherwise add millions. */
#define IB_MAX_GRUB_NOTES 1000u

/* Initrds one boot entry loads: more than any loader line holds in
 * practice (real entries load 1 to 3); each is a file to extract. */
#define IB_MAX_INITRDS 64u

/* Disks one VM gets: hyperkit's PCI slots 4 to 11 (0 host bridge, 2 net,
 * 3 cd, 31 lpc). */
#define IB_MAX_DISKS 8u

/* Files the recipe makes in one directory: the kernel, IB_MAX_INITRDS
 * initrds, and its own few (joined initrd, Image, cmdline, disk, run,
 * boot.json). */
#define IB_MAX_OUTPUTS (IB_MAX_INITRDS + 8u)

/* El Torito boot catalog blocks read: one block of 64 entries is the
 * norm; 4 hold 256. */
#define IB_MAX_CATALOG_BLOCKS 4u

/* The largest arm64 Image unpacked for vfkit: real kernels are tens of
 * MiB; a gzip bomb stops here. */
#define IB_MAX_KERNEL_IMAGE (512u * 1024 * 1024)

/* The recipe's stamp: a few lines per boot file. */
#define IB_MAX_STAMP 65536u

/* Backing files below a qcow2 image: qemu has no limit but its stack;
 * real chains (base, snapshot overlays) are 1 to 5 deep. Each level holds
 * an open file and its caches. */
#define IB_MAX_BACKING_DEPTH 16u

/* Links of an MBR's EBR chain (logical partitions): Linux gives a disk at
 * most 256 partitions (DISK_MAX_PARTS); each link is one sector read. */
#define IB_MAX_EBR 256u

/* Entries of a GPT array: tools write 128; 8192 is 1 MiB of 128-byte
 * entries, and Linux numbers no more than 256 partitions. */
#define IB_MAX_GPT_ENTRIES 8192u

/* Bytes of a GPT entry array read at once (count times entry size): the
 * spec's minimum is 16 KiB; 1 MiB holds IB_MAX_GPT_ENTRIES of 128 bytes. */
#define IB_MAX_GPT_ARRAY (1024u * 1024)

/* Symbolic links followed in one lookup on a disk's filesystem: Linux
 * allows 40 (MAXSYMLINKS); more is a loop. */
#define IB_MAX_SYMLINKS 40u

/* Bytes of a FAT read into memory to follow cluster chains (one copy,
 * the entries of the volume's clusters): 64 MiB is a FAT32 of 16 Mi
 * clusters, 64 GiB in 4 KiB clusters; an EFI system partition's FAT is
 * a few hundred KiB. */
#define IB_MAX_FAT (64u * 1024 * 1024)

/* Entry files read from one BLS directory (loader/entries): systemd-boot
 * holds at most 32767 entries (IDX_MAX), blscfg has no bound; a system
 * keeps a few kernels, an image a handful of entries. */
#define IB_MAX_BLS_ENTRIES 1024u

/* Bytes of all the BLS entry files read for one menu: real entries are
 * a few hundred bytes each; the files' own bound is IB_MAX_CONFIG. */
#define IB_MAX_BLS_BYTES (16u * 1024 * 1024)

/* Bytes of a file the seed takes whole (an SSH public key, the user's
 * user-data): keys are under 1 KiB, cloud-configs a few KiB; cloud-init
 * reads a NoCloud seed into memory. */
#define IB_MAX_SEED_INPUT (1024u * 1024)

#endif
