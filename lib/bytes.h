/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bytes: decode on-disk integers from byte buffers, and checked arithmetic
 * on sizes taken from untrusted input. Header-only; no struct is ever cast
 * onto a buffer.
 */
#ifndef IB_BYTES_H
#define IB_BYTES_H

#include <stdbool.h>
#include <stdint.h>

static inline uint16_t
ib_le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint16_t
ib_be16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
ib_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static inline uint32_t
ib_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline uint64_t
ib_le64(const unsigned char *p)
{
	return (uint64_t)ib_le32(p) | (uint64_t)ib_le32(p + 4) << 32;
}

static inline uint64_t
ib_be64(const unsigned char *p)
{
	return (uint64_t)ib_be32(p) << 32 | (uint64_t)ib_be32(p + 4);
}

static inline void
ib_put_le32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static inline void
ib_put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static inline void
ib_put_be16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static inline void
ib_put_be64(unsigned char *p, uint64_t v)
{
	ib_put_be32(p, (uint32_t)(v >> 32));
	ib_put_be32(p + 4, (uint32_t)v);
}

/* *out = a + b; false on overflow (then *out is unspecified). */
static inline bool
ib_add_u64(uint64_t a, uint64_t b, uint64_t *out)
{
#if defined(__GNUC__) || defined(__clang__)
	return !__builtin_add_overflow(a, b, out);
#else
	*out = a + b;
	return *out >= a;
#endif
}

/* *out = a * b; false on overflow. */
static inline bool
ib_mul_u64(uint64_t a, uint64_t b, uint64_t *out)
{
#if defined(__GNUC__) || defined(__clang__)
	return !__builtin_mul_overflow(a, b, out);
#else
	if (a != 0 && b > UINT64_MAX / a)
		return false;
	*out = a * b;
	return true;
#endif
}

#endif
