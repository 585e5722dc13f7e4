/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_vm: the VM description, its per-target checks and the argv of
 * each hypervisor. Every hyperkit and xhyve argv goes through a model of
 * hyperkit's own option handling (src/hyperkit.c): BSD getopt with
 * "behvuwxMACHPWY:f:F:g:c:s:m:l:U:" that stops at the first operand
 * (so nothing may follow the options), -f split at its first three
 * commas only, PCI slots 0-31 used once, the lpc bridge and a com1
 * backend together, and a UUID whose fourth group does not start with e
 * or f.
 */
#include <string.h>

#include <check.h>

#include "kernel.h"
#include "testutil.h"
#include "vm.h"
#include "vm_prep.h"

#define MIB (UINT64_C(1) << 20)

static ib_vm
base_vm(ib_target t)
{
	ib_vm vm;

	memset(&vm, 0, sizeof(vm));
	vm.target = t;
	vm.kernel = "/k/vmlinuz-virt";
	vm.initrd = "/k/initramfs-virt";
	vm.cmdline = "console=ttyS0 modules=loop,squashfs,sd-mod,usb-storage";
	vm.mem = 1024 * MIB;
	vm.cpus = 2;
	vm.disks[0] = "/d/alpine.img";
	vm.ndisks = 1;
	vm.cdrom = "/d/alpine.iso";
	vm.net = t == IB_TARGET_QEMU ? IB_NET_USER : IB_NET_NONE;
	vm.state_dir = "/s";
	ib_vm_uuid("alpine", vm.uuid);
	return vm;
}

/* What hyperkit makes of an argv. */
struct hk {
	char fw[64], kernel[256], initrd[256], cmdline[4096];
	bool has_f, lpc, com1, has_u;
	int slots[32];
};

static bool
in(const char *set, int c)
{
	return c != 0 && strchr(set, c) != NULL;
}

/* A model of BSD getopt over argv[1..] with hyperkit's option string;
 * fails the test on anything hyperkit would reject or ignore. */
static void
hyperkit_parse(const ib_argv *a, struct hk *h)
{
	static const char *const flags = "behvuwxMACHPWY";
	static const char *const with_arg = "fFgcsmlU";
	const char *w, *v, *c1, *c2, *c3;
	size_t i, j;
	int slot;

	memset(h, 0, sizeof(*h));
	for (i = 1; i < a->n; i++) {
		w = a->v[i];
		/* getopt stops at the first operand: hyperkit would
		 * silently ignore everything from here on. */
		ck_assert_msg(w[0] == '-' && w[1] != '\0',
		    "argv[%zu] '%s' is an operand: getopt stops there", i, w);
		for (j = 1; w[j] != '\0'; j++) {
			if (in(flags, w[j]))
				continue;
			ck_assert_msg(in(with_arg, w[j]),
			    "'-%c' is not a hyperkit option", w[j]);
			v = w[j + 1] != '\0' ? w + j + 1 : a->v[++i];
			ck_assert_msg(v != NULL, "-%c without its argument",
			    w[j]);
			switch (w[j]) {
			case 'f':
				ck_assert_msg(!h->has_f, "two -f");
				h->has_f = true;
				c1 = strchr(v, ',');
				ck_assert_ptr_nonnull(c1);
				c2 = strchr(c1 + 1, ',');
				c3 = c2 != NULL ? strchr(c2 + 1, ',') : NULL;
				/* xhyve needs all three commas */
				ck_assert_msg(c2 != NULL && c3 != NULL,
				    "-f '%s' has fewer than three commas", v);
				snprintf(h->fw, sizeof(h->fw), "%.*s",
				    (int)(c1 - v), v);
				snprintf(h->kernel, sizeof(h->kernel), "%.*s",
				    (int)(c2 - c1 - 1), c1 + 1);
				snprintf(h->initrd, sizeof(h->initrd), "%.*s",
				    (int)(c3 - c2 - 1), c2 + 1);
				snprintf(h->cmdline, sizeof(h->cmdline), "%s",
				    c3 + 1);
				break;
			case 's':
				slot = 0;
				ck_assert_msg(v[0] >= '0' && v[0] <= '9',
				    "-s '%s' has no slot", v);
				for (; *v >= '0' && *v <= '9'; v++)
					slot = slot * 10 + (*v - '0');
				ck_assert_msg(slot < 32, "slot %d > 31", slot);
				ck_assert_msg(h->slots[slot] == 0,
				    "slot %d used twice", slot);
				h->slots[slot] = 1;
				if (strcmp(v, ",lpc") == 0)
					h->lpc = true;
				break;
			case 'l':
				if (strncmp(v, "com1,", 5) == 0)
					h->com1 = true;
				break;
			case 'U':
				ck_assert_msg(ib_vm_uuid_ok(v),
				    "hyperkit aborts on UUID '%s'", v);
				h->has_u = true;
				break;
			}
			break; /* the rest of the word was the argument */
		}
	}
	ck_assert_msg(h->has_f, "no -f: hyperkit needs firmware");
	ck_assert_msg(h->lpc == h->com1, "com1 needs -s 31,lpc and -l com1");
}

static ib_argv
argv_ok(const ib_vm *vm)
{
	ib_argv a = { 0 };
	ib_err err;

	ck_assert_msg(ib_vm_argv(vm, &a, &err) == 0, "refused: %s", err.msg);
	ck_assert_ptr_null(a.v[a.n]);
	return a;
}

static void
expect_refused(const ib_vm *vm, const char *sub)
{
	ib_argv a = { 0 };
	ib_err err;

	ck_assert_int_eq(ib_vm_argv(vm, &a, &err), -1);
	ck_assert_uint_eq(a.n, 0);
	ck_assert_msg(strstr(err.msg, sub) != NULL,
	    "message '%s' does not say '%s'", err.msg, sub);
}

static bool
has_word(const ib_argv *a, const char *w)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i], w) == 0)
			return true;
	return false;
}

START_TEST(test_hyperkit_alpine)
{
	ib_vm vm = base_vm(IB_TARGET_HYPERKIT);
	struct hk h;
	ib_argv a;

	vm.net = IB_NET_VPNKIT;
	a = argv_ok(&vm);
	hyperkit_parse(&a, &h);
	ck_assert_str_eq(a.v[0], "hyperkit");
	ck_assert_str_eq(h.fw, "kexec");
	ck_assert_str_eq(h.kernel, vm.kernel);
	ck_assert_str_eq(h.initrd, vm.initrd);
	/* the commas of the command line survive the three-comma split */
	ck_assert_str_eq(h.cmdline, vm.cmdline);
	ck_assert(h.lpc && h.com1 && h.has_u);
	ck_assert(has_word(&a, "-H")); /* no 100% vCPU spin */
	ck_assert(has_word(&a, "com1,stdio"));
	ck_assert(has_word(&a, "1024M"));
	ck_assert(has_word(&a, "3:0,ahci-cd,/d/alpine.iso"));
	ck_assert(has_word(&a, "4:0,virtio-blk,/d/alpine.img"));
	/* a stable MAC behind vpnkit: its uuid= is the VM's */
	{
		char want[256];

		snprintf(want, sizeof(want),
		    "2:0,virtio-vpnkit,path=/s/vpnkit.eth.sock,uuid=%s",
		    vm.uuid);
		ck_assert(has_word(&a, want));
	}
	ib_argv_free(&a);
}
END_TEST

/* Every shape of hyperkit/xhyve line passes the model: no initrd (two
 * commas kept), no command line, several disks, pty serial, vmnet. */
START_TEST(test_kexec_shapes)
{
	static const ib_target targets[] = { IB_TARGET_HYPERKIT,
		IB_TARGET_XHYVE };
	struct hk h;
	ib_argv a;
	size_t t, k;

	for (t = 0; t < 2; t++)
		for (k = 0; k < 5; k++) {
			ib_vm vm = base_vm(targets[t]);

			if (k == 1)
				vm.initrd = NULL;
			if (k == 2)
				vm.cmdline = NULL;
			if (k == 3) {
				vm.disks[1] = "/d/b.img";
				vm.disks[2] = "/d/c.img";
				vm.ndisks = 3;
				vm.cdrom = NULL;
			}
			if (k == 4) {
				vm.net = IB_NET_VMNET;
				if (targets[t] == IB_TARGET_HYPERKIT)
					vm.serial = IB_SERIAL_PTY;
			}
			a = argv_ok(&vm);
			hyperkit_parse(&a, &h);
			ck_assert_str_eq(h.initrd, k == 1 ? "" : vm.initrd);
			ck_assert_str_eq(h.cmdline, k == 2 ? "" : vm.cmdline);
			ck_assert_str_eq(a.v[0], ib_vm_target_name(targets[t]));
			ib_argv_free(&a);
		}
}
END_TEST

START_TEST(test_kexec_refusals)
{
	ib_vm vm;

	vm = base_vm(IB_TARGET_HYPERKIT);
	vm.kernel = "/k/a,b";
	expect_refused(&vm, "kernel path contains a comma");
	vm = base_vm(IB_TARGET_XHYVE);
	vm.initrd = "/k/i,rd";
	expect_refused(&vm, "initrd path contains a comma");
	vm = base_vm(IB_TARGET_HYPERKIT);
	vm.initrd_size = 600 * MIB;
	vm.mem = 1024 * MIB;
	expect_refused(&vm, "use at least -m 1456m");
	vm = base_vm(IB_TARGET_HYPERKIT);
	snprintf(vm.uuid, sizeof(vm.uuid),
	    "12345678-1234-1234-e234-123456789abc");
	expect_refused(&vm, "fourth group not starting with e or f");
	snprintf(vm.uuid, sizeof(vm.uuid), "not-a-uuid");
	expect_refused(&vm, "is not one hyperkit takes");
	vm = base_vm(IB_TARGET_HYPERKIT);
	vm.net = IB_NET_VPNKIT;
	/* 88 bytes + "/vpnkit.eth.sock" = 104 and a NUL: one too many */
	vm.state_dir = "/Users/someone/Library/Application Support/isoboot/"
	               "alpine-virt-3.20.3-x86_64.boot/states";
	ck_assert_uint_eq(strlen(vm.state_dir), 88);
	expect_refused(&vm, "must be shorter than 104");
	vm.state_dir = "/Users/someone/Library/Application Support/isoboot/"
	               "alpine-virt-3.20.3-x86_64.boot/state";
	{
		ib_argv a = argv_ok(&vm); /* 103 bytes and a NUL fit */

		ib_argv_free(&a);
	}
	vm = base_vm(IB_TARGET_XHYVE);
	vm.serial = IB_SERIAL_PTY;
	expect_refused(&vm, "xhyve's serial port takes only stdio");
	vm = base_vm(IB_TARGET_HYPERKIT);
	vm.serial = IB_SERIAL_FILE;
	vm.serial_path = "/tmp/log";
	expect_refused(&vm, "memory-mapped ring");
	vm = base_vm(IB_TARGET_HYPERKIT);
	vm.net = IB_NET_USER;
	expect_refused(&vm, "no user-mode network");
	vm = base_vm(IB_TARGET_HYPERKIT);
	vm.cpus = 0;
	expect_refused(&vm, "vCPUs");
}
END_TEST

/* The memory rule: 2 x initrd + 256 MiB on hyperkit/xhyve only. */
START_TEST(test_memory_rule)
{
	ib_vm vm = base_vm(IB_TARGET_HYPERKIT);

	vm.initrd_size = 40810276;
	ck_assert_uint_eq(ib_vm_min_mem(&vm), 334 * MIB);
	ck_assert_uint_eq(ib_vm_default_mem(&vm), 1024 * MIB);
	vm.initrd_size = 500 * MIB;
	ck_assert_uint_eq(ib_vm_min_mem(&vm), 1256 * MIB);
	ck_assert_uint_eq(ib_vm_default_mem(&vm), 1256 * MIB);
	vm.target = IB_TARGET_QEMU;
	ck_assert_uint_eq(ib_vm_default_mem(&vm), 1024 * MIB);
}
END_TEST

START_TEST(test_uuid)
{
	char u1[37], u2[37], u3[37];
	int seed;

	ib_vm_uuid("alpine", u1);
	ib_vm_uuid("alpine", u2);
	ib_vm_uuid("debian", u3);
	ck_assert_str_eq(u1, u2); /* stable */
	ck_assert_str_ne(u1, u3);
	for (seed = 0; seed < 1000; seed++) {
		char name[16];

		snprintf(name, sizeof(name), "vm%d", seed);
		ib_vm_uuid(name, u1);
		ck_assert_msg(ib_vm_uuid_ok(u1), "'%s' -> '%s'", name, u1);
		ck_assert_int_eq(u1[14], '8'); /* version 8 */
	}
	ck_assert(ib_vm_uuid_ok("12345678-1234-1234-8234-123456789ABC"));
	ck_assert(!ib_vm_uuid_ok("12345678-1234-1234-f234-123456789abc"));
	ck_assert(!ib_vm_uuid_ok("12345678-1234-1234-8234-123456789abcd"));
	ck_assert(!ib_vm_uuid_ok("12345678+1234-1234-8234-123456789abc"));
	ck_assert(!ib_vm_uuid_ok("1234567g-1234-1234-8234-123456789abc"));
}
END_TEST

START_TEST(test_vfkit)
{
	ib_vm vm = base_vm(IB_TARGET_VFKIT);
	ib_kernel_info ki;
	ib_argv a;

	vm.cmdline = "console=hvc0 a=1,2";
	a = argv_ok(&vm);
	ck_assert_str_eq(a.v[0], "vfkit");
	/* the quotes must reach vfkit, which splits at commas outside them */
	ck_assert(has_word(&a,
	    "linux,kernel=/k/vmlinuz-virt,initrd=/k/"
	    "initramfs-virt,cmdline=\"console=hvc0 a=1,2\""));
	ck_assert(has_word(&a, "virtio-blk,path=/d/alpine.img"));
	ck_assert(has_word(&a, "virtio-serial,stdio"));
	ib_argv_free(&a);
	vm.cmdline = "say=\"hi\"";
	expect_refused(&vm, "double quote");
	vm = base_vm(IB_TARGET_VFKIT);
	vm.disks[0] = "/d/a,b.img";
	expect_refused(&vm, "disk path contains a comma");
	vm = base_vm(IB_TARGET_VFKIT);
	vm.arm64 = true;
	memset(&ki, 0, sizeof(ki));
	ki.kind = IB_KERNEL_GZIP;
	vm.kernel_info = &ki;
	expect_refused(&vm, "uncompressed arm64 Image");
	ck_assert_str_eq(ib_vm_target_console(IB_TARGET_VFKIT), "hvc0");
}
END_TEST

START_TEST(test_qemu)
{
	ib_vm vm = base_vm(IB_TARGET_QEMU);
	ib_argv a;

	vm.disks[0] = "/d/a,b.img";
	vm.disk_qcow2[0] = true;
	a = argv_ok(&vm);
	ck_assert_str_eq(a.v[0], "qemu-system-x86_64");
	ck_assert(has_word(&a, "q35,accel=kvm:tcg"));
	ck_assert(has_word(&a, "file=/d/a,,b.img,format=qcow2,if=virtio"));
	ck_assert(has_word(&a, "file=/d/alpine.iso,media=cdrom,readonly=on"));
	ck_assert(has_word(&a, vm.cmdline)); /* -append takes it whole */
	ck_assert(has_word(&a, "user,model=virtio-net-pci"));
	ib_argv_free(&a);
	vm.macos = true;
	vm.disk_qcow2[0] = false;
	a = argv_ok(&vm);
	ck_assert(has_word(&a, "q35,accel=hvf:tcg"));
	ck_assert(has_word(&a, "file=/d/a,,b.img,format=raw,if=virtio"));
	ib_argv_free(&a);
	vm.net = IB_NET_VPNKIT;
	expect_refused(&vm, "vpnkit");
}
END_TEST

/* The NoCloud seed: a second read-only CD on every target. */
START_TEST(test_seed)
{
	static const struct {
		ib_target t;
		const char *word;
	} want[] = {
		{ IB_TARGET_QEMU,
		    "file=/d/seed.iso,format=raw,media=cdrom,readonly=on" },
		{ IB_TARGET_HYPERKIT, "12:0,ahci-cd,/d/seed.iso" },
		{ IB_TARGET_XHYVE, "12:0,ahci-cd,/d/seed.iso" },
		{ IB_TARGET_VFKIT, "virtio-blk,path=/d/seed.iso,readonly" },
	};
	ib_vm vm;
	ib_argv a;
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		vm = base_vm(want[i].t);
		vm.seed = "/d/seed.iso";
		a = argv_ok(&vm);
		ck_assert_msg(has_word(&a, want[i].word), "%s: no %s",
		    ib_vm_target_name(want[i].t), want[i].word);
		ib_argv_free(&a);
	}
	vm = base_vm(IB_TARGET_VFKIT);
	vm.seed = "/d/a,seed.iso";
	expect_refused(&vm, "seed path contains a comma");
}
END_TEST

/* The rendered line is POSIX sh words that give back the argv. */
START_TEST(test_render)
{
	ib_argv a = { 0 };
	ib_err err;
	char *line;

	ck_assert_int_eq(ib_argv_add(&a, "hyperkit", &err), 0);
	ck_assert_int_eq(ib_argv_add(&a, "-f", &err), 0);
	ck_assert_int_eq(ib_argv_add(&a, "kexec,k,i,it's \"x\" $HOME", &err),
	    0);
	ck_assert_int_eq(ib_argv_add(&a, "", &err), 0);
	line = ib_argv_render(&a, 1, &err);
	ck_assert_str_eq(line,
	    "hyperkit \\\n    -f 'kexec,k,i,it'\\''s \"x\" $HOME' ''\n");
	free(line);
	line = ib_argv_render(&a, 0, &err);
	ck_assert_str_eq(line,
	    "hyperkit -f 'kexec,k,i,it'\\''s \"x\" $HOME' ''\n");
	free(line);
	ib_argv_free(&a);
	ck_assert_ptr_null(a.v);
}
END_TEST

START_TEST(test_option_parsers)
{
	uint64_t mem;
	unsigned cpus;
	ib_err err;

	ck_assert_int_eq(ib_vm_mem_parse("512", &mem, &err), 0);
	ck_assert_uint_eq(mem, UINT64_C(512) << 20);
	ck_assert_int_eq(ib_vm_mem_parse("1g", &mem, &err), 0);
	ck_assert_uint_eq(mem, UINT64_C(1) << 30);
	ck_assert_int_eq(ib_vm_mem_parse("1.5g", &mem, &err), 0);
	ck_assert_uint_eq(mem, UINT64_C(1536) << 20);
	ck_assert_int_eq(ib_vm_mem_parse("1000k", &mem, &err), -1);
	ck_assert_ptr_nonnull(strstr(ib_err_text(&err), "not whole MiB"));
	ck_assert_int_eq(ib_vm_mem_parse("", &mem, &err), -1);
	ck_assert_int_eq(ib_vm_mem_parse("0", &mem, &err), -1);
	ck_assert_int_eq(
	    ib_vm_mem_parse("123456789012345678901234", &mem, &err), -1);
	ck_assert_int_eq(ib_vm_mem_parse("2x", &mem, &err), -1);

	ck_assert_int_eq(ib_vm_cpus_parse("1", &cpus, &err), 0);
	ck_assert_uint_eq(cpus, 1);
	ck_assert_int_eq(ib_vm_cpus_parse("64", &cpus, &err), 0);
	ck_assert_uint_eq(cpus, 64);
	ck_assert_int_eq(ib_vm_cpus_parse("0", &cpus, &err), -1);
	ck_assert_int_eq(ib_vm_cpus_parse("65", &cpus, &err), -1);
	ck_assert_int_eq(ib_vm_cpus_parse("+2", &cpus, &err), -1);
	ck_assert_int_eq(ib_vm_cpus_parse("2 ", &cpus, &err), -1);

	ck_assert_int_eq(ib_vm_net_parse("vpnkit"), IB_NET_VPNKIT);
	ck_assert_int_eq(ib_vm_net_parse("user"), IB_NET_USER);
	ck_assert_int_eq(ib_vm_net_parse("none"), IB_NET_NONE);
	ck_assert_int_eq(ib_vm_net_parse("vmnet"), IB_NET_VMNET);
	ck_assert_int_eq(ib_vm_net_parse("VPNKIT"), -1);
	ck_assert_str_eq(ib_vm_net_name(IB_NET_VMNET), "vmnet");
}
END_TEST

/* The command line edits isoboot and isoboot-cmd share. */
START_TEST(test_cmdline_edits)
{
	ib_err err;
	char *s;

	s = ib_vm_prep_cmdline("modules=loop,squashfs quiet console=tty0 "
	                       "console=ttyS0,115200",
	    IB_TARGET_HYPERKIT, true, true, &err);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s,
	    "earlyprintk=serial,ttyS0 console=ttyS0 modules=loop,squashfs,sr-mod");
	free(s);
	s = ib_vm_prep_cmdline("quiet", IB_TARGET_VFKIT, true, false, &err);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_nonnull(strstr(s, "console=hvc0"));
	ck_assert_ptr_null(strstr(s, "ttyS0"));
	ck_assert_ptr_null(strstr(s, "earlyprintk")); /* x86's 8250 only */
	free(s);
	/* No modules= list: nothing to add sr-mod to. */
	s = ib_vm_prep_cmdline("boot=live", IB_TARGET_QEMU, false, true, &err);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, "boot=live");
	free(s);
	s = ib_vm_prep_cmdline(NULL, IB_TARGET_QEMU, false, false, &err);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

START_TEST(test_vm_name)
{
	char *s;

	s = ib_vm_prep_name("/isos/alpine-virt-3.20.3-x86_64.iso");
	ck_assert_str_eq(s, "alpine-virt-3.20.3-x86_64");
	free(s);
	s = ib_vm_prep_name("MINI.ISO");
	ck_assert_str_eq(s, "MINI");
	free(s);
	s = ib_vm_prep_name("image.img");
	ck_assert_str_eq(s, "image");
	free(s);
	s = ib_vm_prep_name("/c/debian-12-nocloud-amd64.raw.xz");
	ck_assert_str_eq(s, "debian-12-nocloud-amd64");
	free(s);
	s = ib_vm_prep_name("Fedora.QCOW2.ZST");
	ck_assert_str_eq(s, "Fedora");
	free(s);
	s = ib_vm_prep_name("disk");
	ck_assert_str_eq(s, "disk");
	free(s);
	s = ib_vm_prep_name("x.xz");
	ck_assert_str_eq(s, "x");
	free(s);
	s = ib_vm_prep_name(".img.gz");
	ck_assert_str_eq(s, ".img");
	free(s);
	s = ib_vm_prep_name(".iso");
	ck_assert_str_eq(s, ".iso");
	free(s);
}
END_TEST

static Suite *
vm_suite(void)
{
	Suite *s = suite_create("vm");

	tu_add(s, "hyperkit_alpine", test_hyperkit_alpine);
	tu_add(s, "kexec_shapes", test_kexec_shapes);
	tu_add(s, "kexec_refusals", test_kexec_refusals);
	tu_add(s, "memory_rule", test_memory_rule);
	tu_add(s, "uuid", test_uuid);
	tu_add(s, "vfkit", test_vfkit);
	tu_add(s, "qemu", test_qemu);
	tu_add(s, "seed", test_seed);
	tu_add(s, "render", test_render);
	tu_add(s, "option_parsers", test_option_parsers);
	tu_add(s, "cmdline_edits", test_cmdline_edits);
	tu_add(s, "vm_name", test_vm_name);
	return s;
}

int
main(void)
{
	return tu_run(vm_suite());
}
