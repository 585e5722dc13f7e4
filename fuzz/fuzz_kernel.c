/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_kernel: kernel inspection on arbitrary bytes and an arbitrary file
 * size, then the description, the kexec check and the command line limit.
 * Input: 8 bytes of size and memory choice, 2 of describe buffer size,
 * then the head of the file. Properties: a head longer than the file is
 * refused and no other; a kept version string or compression name is
 * printable ASCII, terminated inside its field; the description always
 * ends with a NUL inside its buffer and is as long as the call says.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bytes.h"
#include "kernel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_string(const char *s, size_t size)
{
	const char *end = memchr(s, '\0', size);
	const char *p;

	if (end == NULL)
		__builtin_trap();
	for (p = s; p < end; p++)
		if (*p < 0x20 || *p > 0x7e)
			__builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t mems[4] = { 0, 64u << 20, 1u << 30, UINT64_MAX };
	ib_kernel_info ki;
	ib_err err;
	const unsigned char *head;
	uint64_t ctl, filesize, mem;
	size_t len, n, want;
	char *buf;
	int rc, r;

	if (size < 10)
		return 0;
	ctl = ib_le64(data);
	n = ib_le16(data + 8) % 1024;
	head = data + 10;
	len = size - 10;
	/* Mostly a file a little longer than its head; sometimes any size,
	 * smaller than the head included. */
	if (ctl & 1)
		filesize = ctl >> 1;
	else
		filesize = len + (ctl >> 1) % (1ull << 33);

	rc = ib_kernel_inspect(head, len, filesize, &ki, &err);
	if (rc == -1) {
		if (len <= filesize)
			__builtin_trap();
		return 0;
	}
	if (len > filesize)
		__builtin_trap();
	check_string(ki.version, sizeof(ki.version));
	if (ki.has_version != (ki.version[0] != '\0'))
		__builtin_trap();
	if (ki.is_linux && !ki.has_version)
		__builtin_trap();
	check_string(ki.zboot.comp, sizeof(ki.zboot.comp));

	buf = malloc(n > 0 ? n : 1);
	if (buf == NULL)
		return 0;
	r = ib_kernel_describe(&ki, (ctl & 2) ? "boot/ipxe.lkrn" : NULL, buf,
	    n);
	if (r <= 0)
		__builtin_trap();
	if (n > 0) {
		want = (size_t)r < n - 1 ? (size_t)r : n - 1;
		if (memchr(buf, '\0', n) == NULL || strlen(buf) != want)
			__builtin_trap();
	}
	free(buf);

	mem = (ctl & 4) ? mems[(ctl >> 3) & 3] : ctl >> 5;
	if (ib_kernel_check_kexec(&ki, mem, &err) == -1 &&
	    (memchr(err.msg, '\0', sizeof(err.msg)) == NULL ||
	        err.msg[0] == '\0' || err.code == 0))
		__builtin_trap();
	if (ki.kind != IB_KERNEL_BZIMAGE && ib_kernel_cmdline_max(&ki) != 0)
		__builtin_trap();
	return 0;
}
