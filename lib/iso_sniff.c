/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What a file that is not an ISO 9660 image is, when its first bytes make
 * it easy to tell: a saved web page, a disk image, a compressed file, an
 * empty one. Only for the message the user reads: "not an ISO 9660 image:
 * an HTML page (a download that failed?)" says what to do where "unexpected
 * PVD type 111" did not.
 */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "iso_int.h"

/* s at p (after a UTF-8 BOM and blanks), without regard to case. */
static bool
starts_with(const unsigned char *p, size_t n, const char *s)
{
	size_t i = 0, len = strlen(s);

	if (n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < n &&
	    (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	return n - i >= len && strncasecmp((const char *)p + i, s, len) == 0;
}

/* Whether the n bytes are text: printable ASCII, blanks, UTF-8. */
static bool
is_text(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' &&
		        p[i] != '\r') ||
		    p[i] == 0x7f)
			return false;
	return n > 0;
}

const char *
ib_iso_sniff(const unsigned char *p, size_t n, uint64_t size)
{
	if (size == 0)
		return "an empty file";
	if (starts_with(p, n, "<!doctype html") || starts_with(p, n, "<html") ||
	    starts_with(p, n, "<head"))
		return "an HTML page (a download that failed?)";
	if (starts_with(p, n, "<?xml"))
		return "an XML document";
	if (n >= 4 && memcmp(p, "QFI\xfb", 4) == 0)
		return "a qcow2 disk image";
	if (n >= 520 && memcmp(p + 512, "EFI PART", 8) == 0)
		return "a disk image (GPT partition table)";
	if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
		return "gzip data that does not hold an ISO 9660 image";
	if (n >= 6 &&
	    memcmp(p,
	        "\xfd"
	        "7zXZ\0",
	        6) == 0)
		return "xz data that does not hold an ISO 9660 image";
	if (n >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0)
		return "zstd data that does not hold an ISO 9660 image";
	if (n >= 3 && memcmp(p, "BZh", 3) == 0)
		return "bzip2 data that does not hold an ISO 9660 image";
	if (n >= 4 && memcmp(p, "PK\x03\x04", 4) == 0)
		return "a zip archive";
	if (n >= 262 && memcmp(p + 257, "ustar", 5) == 0)
		return "a tar archive";
	if (n >= 4 &&
	    memcmp(p,
	        "\x7f"
	        "ELF",
	        4) == 0)
		return "an ELF program";
	if (n >= 512 && p[510] == 0x55 && p[511] == 0xaa)
		return "a disk image or boot sector (MBR)";
	if (is_text(p, n))
		return "a text file";
	return NULL;
}
