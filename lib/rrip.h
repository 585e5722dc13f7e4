/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * rrip: parse a directory record's System Use area (SUSP, IEEE P1281) and
 * the Rock Ridge entries in it (RRIP, IEEE P1282): NM, SL, PX, PN, TF, CE,
 * RE, CL, PL, plus ZF/Z2 (zisofs). CE continuation areas are followed, at
 * most IB_MAX_CE hops, through a caller-supplied block reader. Names and
 * symlink targets are assembled across entries (NM/SL CONTINUE flags).
 *
 * Not for: reading directories (iso does that) or decoding zisofs data.
 */
#ifndef IB_RRIP_H
#define IB_RRIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bounds.h"
#include "errors.h"
#include "zisofs.h"

/* Bits of ib_rr.seen: which entries the area held. */
enum {
	IB_RR_SP = 1u << 0,
	IB_RR_PX = 1u << 1,
	IB_RR_NM = 1u << 2,
	IB_RR_SL = 1u << 3,
	IB_RR_TF = 1u << 4,
	IB_RR_PN = 1u << 5,
	IB_RR_CL = 1u << 6,
	IB_RR_PL = 1u << 7,
	IB_RR_RE = 1u << 8,
	IB_RR_ZF = 1u << 9,
	IB_RR_ER = 1u << 10,
	IB_RR_RR = 1u << 11,       /* RRIP 1.09 "RR" flags entry */
	IB_RR_NM_DOT = 1u << 12,   /* NM CURRENT flag: "." */
	IB_RR_NM_DOTDOT = 1u << 13 /* NM PARENT flag: ".." */
};

/* A time from TF: seconds since the epoch (UTC) and nanoseconds. */
typedef struct ib_rrtime {
	int64_t sec;
	long nsec;
} ib_rrtime;

typedef struct ib_rr {
	unsigned seen;
	uint32_t mode, nlink, uid, gid; /* PX */
	uint32_t dev_hi, dev_lo;        /* PN */
	uint32_t cl_lsn, pl_lsn;        /* CL, PL */
	unsigned sp_skip;               /* SP: bytes to skip in later areas */
	ib_rrtime mtime, atime, ctime, crtime; /* TF */
	unsigned tf_seen;                      /* TF flag bits present */
	ib_zf zf;
	bool name_too_long, link_too_long;
	size_t name_len, link_len;
	char name[IB_MAX_NAME + 1];
	char link[IB_MAX_LINK + 1];
} ib_rr;

/* Read one 2048-byte block lsn into buf; 0, or -1 and *err. */
typedef int (
    *ib_rrip_read_fn)(void *ctx, uint32_t lsn, unsigned char *buf, ib_err *err);

/*
 * Parse the System Use area su[0..len) into *rr (cleared first), skipping
 * skip bytes (the SP LEN_SKP of the root) and following CE areas with rd.
 * Malformed entries end the area as Linux does; a CE chain longer than
 * IB_MAX_CE or a CE outside one block is an error.
 * Returns 0, or -1 with *err.
 */
int ib_rrip_parse(const unsigned char *su, size_t len, size_t skip,
    ib_rrip_read_fn rd, void *rctx, ib_rr *rr, ib_err *err);

/* Convert a 7-byte ECMA-119 9.1.5 date; returns seconds since the epoch. */
int64_t ib_rrip_date7(const unsigned char *p);

/* Convert a 17-byte ECMA-119 8.4.26.1 date; *nsec gets the hundredths. */
int64_t ib_rrip_date17(const unsigned char *p, long *nsec);

#endif
