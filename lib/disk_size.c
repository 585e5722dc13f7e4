/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "disk_size.h"

struct unit {
	const char *name;
	unsigned shift; /* the unit is 2^shift bytes */
};

/* mkfile's b k m g, plus t, and the IEC spellings. */
static const struct unit units[] = { { "", 0 }, { "b", 9 }, { "k", 10 },
	{ "kib", 10 }, { "m", 20 }, { "mib", 20 }, { "g", 30 }, { "gib", 30 },
	{ "t", 40 }, { "tib", 40 } };

/* SI-looking units: 10^3 or 2^10? Refused with the two spellings. */
static const char *const ambiguous[] = { "kb", "mb", "gb", "tb" };

static const struct unit *
find_unit(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcasecmp(s, units[i].name) == 0)
			return &units[i];
	return NULL;
}

/* size for a message: bytes, and its unit form when that is shorter. */
static void
say(uint64_t size, char *buf, size_t n)
{
	char u[24];

	ib_disk_size_format(size, u, sizeof(u));
	if (size < 1024)
		snprintf(buf, n, "%llu", (unsigned long long)size);
	else
		snprintf(buf, n, "%llu (%s)", (unsigned long long)size, u);
}

/* The nearest multiples of 512 around a byte count that is not one. */
static int
not_whole(const char *s, uint64_t bytes, ib_err *err)
{
	char lo[48], hi[48];
	uint64_t down;

	down = bytes & ~(uint64_t)(IB_DISK_SECTOR - 1);
	if (down == 0)
		return ib_err_set(err, IB_ELIMIT,
		    "size '%s' is %llu bytes, less than one 512-byte sector: "
		    "use 512",
		    s, (unsigned long long)bytes);
	say(down, lo, sizeof(lo));
	if (down > IB_DISK_MAX_SIZE - IB_DISK_SECTOR)
		return ib_err_set(err, IB_ELIMIT,
		    "size '%s' is not a whole number of 512-byte sectors: "
		    "use %s",
		    s, lo);
	say(down + IB_DISK_SECTOR, hi, sizeof(hi));
	return ib_err_set(err, IB_ELIMIT,
	    "size '%s' is %llu bytes, not a whole number of 512-byte "
	    "sectors: use %s or %s",
	    s, (unsigned long long)bytes, lo, hi);
}

int
ib_disk_size_parse(const char *s, uint64_t *size, ib_err *err)
{
	uint64_t whole, frac, den, unit, d, g, part, bytes;
	const struct unit *u;
	const char *p;
	unsigned fdigits, i;
	char big[32];

	snprintf(big, sizeof(big), "%llu bytes",
	    (unsigned long long)IB_DISK_MAX_SIZE);
	p = s;
	if (*p == '-')
		return ib_err_set(err, IB_EFORMAT,
		    "size '%s' is negative: a disk has a positive size", s);
	if (*p == '+')
		p++;
	if ((*p < '0' || *p > '9') && *p != '.')
		return ib_err_set(err, IB_EFORMAT,
		    "size '%s' is not a number with an optional unit "
		    "(b, k, m, g, t; e.g. 1g)",
		    s);
	whole = 0;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (whole > (UINT64_MAX - 9) / 10)
			return ib_err_set(err, IB_ELIMIT,
			    "size '%s' is too large (at most %s)", s, big);
		whole = whole * 10 + (uint64_t)(*p - '0');
	}
	frac = 0;
	den = 1;
	fdigits = 0;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return ib_err_set(err, IB_EFORMAT,
			    "size '%s': no digits after the decimal point", s);
		for (; *p >= '0' && *p <= '9'; p++) {
			/* 19 digits fit; more must be zeros to matter. */
			if (fdigits == 19) {
				if (*p != '0')
					return ib_err_set(err, IB_ELIMIT,
					    "size '%s' is not a whole number "
					    "of bytes",
					    s);
				continue;
			}
			frac = frac * 10 + (uint64_t)(*p - '0');
			den *= 10;
			fdigits++;
		}
	}
	u = find_unit(p);
	if (u == NULL) {
		for (i = 0; i < sizeof(ambiguous) / sizeof(ambiguous[0]); i++)
			if (strcasecmp(p, ambiguous[i]) == 0)
				return ib_err_set(err, IB_EFORMAT,
				    "size '%s': unit '%s' could mean powers of "
				    "1000 or of 1024; write %c (or %ciB) for "
				    "powers of 1024",
				    s, p, p[0] | 0x20, p[0] & ~0x20);
		return ib_err_set(err, IB_EFORMAT,
		    "size '%s': unknown unit '%s' (use b for 512-byte "
		    "blocks, k, m, g or t for powers of 1024, or none for "
		    "bytes)",
		    s, p);
	}
	unit = UINT64_C(1) << u->shift;
	if (whole > IB_DISK_MAX_SIZE >> u->shift)
		return ib_err_set(err, IB_ELIMIT,
		    "size '%s' is too large (at most %s)", s, big);
	bytes = whole << u->shift;
	if (frac != 0) {
		/* frac/den of a unit is a whole number of bytes only if
		 * den/gcd(unit, den) divides frac; then the product is below
		 * one unit and cannot overflow. */
		g = 1;
		for (d = den; (d & 1) == 0 && g < unit; d >>= 1)
			g <<= 1;
		if (frac % (den / g) != 0)
			return ib_err_set(err, IB_ELIMIT,
			    "size '%s' is not a whole number of bytes", s);
		part = frac / (den / g) * (unit / g);
		if (bytes > IB_DISK_MAX_SIZE - part)
			return ib_err_set(err, IB_ELIMIT,
			    "size '%s' is too large (at most %s)", s, big);
		bytes += part;
	}
	if (bytes == 0)
		return ib_err_set(err, IB_ELIMIT,
		    "size '%s' is zero: a disk needs at least one 512-byte "
		    "sector (512)",
		    s);
	if (bytes % IB_DISK_SECTOR != 0)
		return not_whole(s, bytes, err);
	*size = bytes;
	return 0;
}

void
ib_disk_size_format(uint64_t size, char *buf, size_t n)
{
	static const struct {
		char c;
		unsigned shift;
	} f[] = { { 't', 40 }, { 'g', 30 }, { 'm', 20 }, { 'k', 10 },
		{ 'b', 9 } };
	size_t i;

	for (i = 0; size != 0 && i < sizeof(f) / sizeof(f[0]); i++) {
		if ((size & ((UINT64_C(1) << f[i].shift) - 1)) == 0) {
			snprintf(buf, n, "%llu%c",
			    (unsigned long long)(size >> f[i].shift), f[i].c);
			return;
		}
	}
	snprintf(buf, n, "%llu", (unsigned long long)size);
}
