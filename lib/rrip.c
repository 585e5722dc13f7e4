/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "bytes.h"
#include "rrip.h"

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), any year. */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * ((int64_t)m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int64_t
to_epoch(int64_t year, unsigned mon, unsigned day, unsigned h, unsigned mi,
    unsigned s, signed char gmtoff)
{
	if (mon < 1 || mon > 12)
		mon = 1;
	if (day < 1 || day > 31)
		day = 1;
	return days_from_civil(year, mon, day) * 86400 + h * 3600 + mi * 60 +
	    s - (int64_t)gmtoff * 15 * 60;
}

int64_t
ib_rrip_date7(const unsigned char *p)
{
	return to_epoch(1900 + (int64_t)p[0], p[1], p[2], p[3], p[4], p[5],
	    (signed char)p[6]);
}

static unsigned
digits(const unsigned char *p, unsigned n)
{
	unsigned v, i;

	v = 0;
	for (i = 0; i < n; i++)
		v = v * 10 +
		    (p[i] >= '0' && p[i] <= '9' ? (unsigned)(p[i] - '0') : 0u);
	return v;
}

int64_t
ib_rrip_date17(const unsigned char *p, long *nsec)
{
	*nsec = (long)digits(p + 14, 2) * 10000000L;
	return to_epoch(digits(p, 4), digits(p + 4, 2), digits(p + 6, 2),
	    digits(p + 8, 2), digits(p + 10, 2), digits(p + 12, 2),
	    (signed char)p[16]);
}

struct sl_state {
	bool slash; /* a '/' is due before the next component */
};

static void
append(char *dst, size_t *len, size_t max, bool *overflow, const void *src,
    size_t n)
{
	if (*overflow || *len + n > max) {
		*overflow = true;
		return;
	}
	memcpy(dst + *len, src, n);
	*len += n;
	dst[*len] = '\0';
}

/* RRIP 4.1.3: SL component records; '/' between finished components. */
static void
parse_sl(ib_rr *rr, struct sl_state *st, const unsigned char *p, size_t len)
{
	size_t pos, clen;
	unsigned cflags;

	pos = 0;
	while (pos + 2 <= len) {
		cflags = p[pos];
		clen = p[pos + 1];
		if (pos + 2 + clen > len)
			break;
		if (cflags & 0x08) {
			/* ROOT writes its own '/', after any pending one:
			 * ".", ROOT, ROOT, "file" is ".///file" (Linux). */
			if (st->slash)
				append(rr->link, &rr->link_len, IB_MAX_LINK,
				    &rr->link_too_long, "/", 1);
			append(rr->link, &rr->link_len, IB_MAX_LINK,
			    &rr->link_too_long, "/", 1);
			st->slash = false;
		} else {
			if (st->slash)
				append(rr->link, &rr->link_len, IB_MAX_LINK,
				    &rr->link_too_long, "/", 1);
			if (cflags & 0x02)
				append(rr->link, &rr->link_len, IB_MAX_LINK,
				    &rr->link_too_long, ".", 1);
			else if (cflags & 0x04)
				append(rr->link, &rr->link_len, IB_MAX_LINK,
				    &rr->link_too_long, "..", 2);
			else
				append(rr->link, &rr->link_len, IB_MAX_LINK,
				    &rr->link_too_long, p + pos + 2, clen);
			st->slash = !(cflags & 0x01);
		}
		pos += 2 + clen;
	}
}

static void
parse_tf(ib_rr *rr, const unsigned char *p, size_t len)
{
	static const unsigned order[] = { 0x01, 0x02, 0x04, 0x08 };
	ib_rrtime *dst[4];
	unsigned flags, i;
	size_t pos, step;

	dst[0] = &rr->crtime;
	dst[1] = &rr->mtime;
	dst[2] = &rr->atime;
	dst[3] = &rr->ctime;
	if (len < 1)
		return;
	flags = p[0];
	step = (flags & 0x80) ? 17 : 7;
	pos = 1;
	for (i = 0; i < 4; i++) {
		if (!(flags & order[i]))
			continue;
		if (pos + step > len)
			return;
		if (step == 7) {
			dst[i]->sec = ib_rrip_date7(p + pos);
			dst[i]->nsec = 0;
		} else {
			dst[i]->sec = ib_rrip_date17(p + pos, &dst[i]->nsec);
		}
		rr->tf_seen |= order[i];
		pos += step;
	}
}

/* ZF (v1) and ZF/Z2 (v2): fixtures/isos/ISO-READERS.md, "zisofs on-disk
 * format". */
static void
parse_zf(ib_rr *rr, const unsigned char *e, size_t elen, bool z2)
{
	unsigned ver;

	if (elen < 16)
		return;
	ver = z2 ? 2 : e[3];
	if (ver != 1 && ver != 2)
		return;
	/* A ZF whose block size or header size no zisofs writer produces
	 * is not believed: the file is listed and read as stored (libarchive
	 * test_read_format_iso_zisofs_overflow: log2 = 2 must not give a
	 * size of 0xFFFFFFF9). */
	if (e[7] < 15 || e[7] > 17 || e[6] != (ver == 1 ? 4 : 6))
		return;
	rr->zf.version = ver;
	rr->zf.alg[0] = (char)e[4];
	rr->zf.alg[1] = (char)e[5];
	rr->zf.hdr_size = e[6] * 4u;
	rr->zf.log2_bs = e[7];
	rr->zf.size = ver == 1 ? ib_le32(e + 8) : ib_le64(e + 8);
	rr->seen |= IB_RR_ZF;
}

static void
parse_entry(ib_rr *rr, struct sl_state *st, const unsigned char *e, size_t elen)
{
	unsigned sig;

	sig = (unsigned)e[0] << 8 | e[1];
	switch (sig) {
	case 'S' << 8 | 'P':
		if (elen >= 7 && e[4] == 0xbe && e[5] == 0xef) {
			rr->seen |= IB_RR_SP;
			rr->sp_skip = e[6];
		}
		break;
	case 'P' << 8 | 'X':
		if (elen >= 36) {
			rr->mode = ib_le32(e + 4);
			rr->nlink = ib_le32(e + 12);
			rr->uid = ib_le32(e + 20);
			rr->gid = ib_le32(e + 28);
			rr->seen |= IB_RR_PX;
		}
		break;
	case 'P' << 8 | 'N':
		if (elen >= 20) {
			rr->dev_hi = ib_le32(e + 4);
			rr->dev_lo = ib_le32(e + 12);
			rr->seen |= IB_RR_PN;
		}
		break;
	case 'N' << 8 | 'M':
		if (elen < 5)
			break;
		rr->seen |= IB_RR_NM;
		if (e[4] & 0x02)
			rr->seen |= IB_RR_NM_DOT;
		else if (e[4] & 0x04)
			rr->seen |= IB_RR_NM_DOTDOT;
		else
			append(rr->name, &rr->name_len, IB_MAX_NAME,
			    &rr->name_too_long, e + 5, elen - 5);
		break;
	case 'S' << 8 | 'L':
		if (elen < 5)
			break;
		rr->seen |= IB_RR_SL;
		parse_sl(rr, st, e + 5, elen - 5);
		break;
	case 'T' << 8 | 'F':
		rr->seen |= IB_RR_TF;
		parse_tf(rr, e + 4, elen - 4);
		break;
	case 'C' << 8 | 'L':
		if (elen >= 12) {
			rr->cl_lsn = ib_le32(e + 4);
			rr->seen |= IB_RR_CL;
		}
		break;
	case 'P' << 8 | 'L':
		if (elen >= 12) {
			rr->pl_lsn = ib_le32(e + 4);
			rr->seen |= IB_RR_PL;
		}
		break;
	case 'R' << 8 | 'E':
		rr->seen |= IB_RR_RE;
		break;
	case 'Z' << 8 | 'F':
		parse_zf(rr, e, elen, false);
		break;
	case 'Z' << 8 | '2':
		parse_zf(rr, e, elen, true);
		break;
	case 'E' << 8 | 'R':
		rr->seen |= IB_RR_ER;
		break;
	case 'R' << 8 | 'R':
		rr->seen |= IB_RR_RR;
		break;
	default:
		break; /* ST is handled by the caller; others are ignored */
	}
}

int
ib_rrip_parse(const unsigned char *su, size_t len, size_t skip,
    ib_rrip_read_fn rd, void *rctx, ib_rr *rr, ib_err *err)
{
	unsigned char block[IB_SECTOR];
	struct sl_state st;
	const unsigned char *p;
	size_t pos, elen;
	uint32_t ce_lsn, ce_off, ce_len;
	unsigned hops;
	bool have_ce;

	memset(rr, 0, sizeof(*rr));
	st.slash = false;
	p = su;
	pos = skip;
	hops = 0;
	for (;;) {
		have_ce = false;
		ce_lsn = ce_off = ce_len = 0;
		while (pos + 4 <= len) {
			elen = p[pos + 2];
			if (elen < 4 || pos + elen > len)
				break; /* malformed: the area ends here */
			if (p[pos] == 'S' && p[pos + 1] == 'T')
				break;
			if (p[pos] == 'C' && p[pos + 1] == 'E' && elen >= 28) {
				have_ce = true;
				ce_lsn = ib_le32(p + pos + 4);
				ce_off = ib_le32(p + pos + 12);
				ce_len = ib_le32(p + pos + 20);
			} else {
				parse_entry(rr, &st, p + pos, elen);
			}
			pos += elen;
		}
		if (!have_ce)
			break;
		if (++hops > IB_MAX_CE)
			return ib_err_set(err, IB_ELIMIT,
			    "rock ridge: more than %u continuation areas "
			    "(CE loop?)",
			    IB_MAX_CE);
		if (ce_off >= IB_MAX_CE_LEN || ce_len > IB_MAX_CE_LEN - ce_off)
			return ib_err_set(err, IB_EFORMAT,
			    "rock ridge: continuation area at block %lu "
			    "offset %lu length %lu crosses its block",
			    (unsigned long)ce_lsn, (unsigned long)ce_off,
			    (unsigned long)ce_len);
		if (rd(rctx, ce_lsn, block, err) == -1)
			return ib_err_prefix(err,
			    "rock ridge continuation area: ");
		p = block;
		pos = ce_off;
		len = (size_t)ce_off + ce_len;
	}
	return 0;
}
