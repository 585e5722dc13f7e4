/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The NoCloud seed: YAML written with quoting, keys checked, the volume
 * made by libarchive's ISO 9660 writer with fixed dates. */
#include "config.h"

#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bounds.h"
#include "place.h"
#include "seed.h"

/* The date every seed carries: 2000-01-01 00:00:00 UTC. */
#define SEED_TIME ((time_t)946684800)

int
ib_seed_yaml_quote(ib_strbuf *b, const char *s, ib_err *err)
{
	const unsigned char *p = (const unsigned char *)s;
	int rc;

	rc = ib_strbuf_addc(b, '"', err);
	for (; rc == 0 && *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			rc = ib_strbuf_addc(b, '\\', err) ||
			    ib_strbuf_addc(b, (char)*p, err);
		else if (*p < 0x20 || *p == 0x7f)
			rc = ib_strbuf_addf(b, err, "\\x%02x", *p);
		/* YAML 1.1's other line breaks: NEL, LS, PS. */
		else if (p[0] == 0xc2 && p[1] == 0x85) {
			rc = ib_strbuf_adds(b, "\\N", err);
			p++;
		} else if (p[0] == 0xe2 && p[1] == 0x80 &&
		    (p[2] == 0xa8 || p[2] == 0xa9)) {
			rc = ib_strbuf_adds(b, p[2] == 0xa8 ? "\\L" : "\\P",
			    err);
			p += 2;
		} else
			rc = ib_strbuf_addc(b, (char)*p, err);
	}
	return rc || ib_strbuf_addc(b, '"', err) ? -1 : 0;
}

int
ib_seed_name_check(const char *what, const char *s, ib_err *err)
{
	const unsigned char *p;

	if (s == NULL || s[0] == '\0')
		return ib_err_set(err, EINVAL, "%s: empty", what);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\n' || *p == '\r')
			return ib_err_set(err, EINVAL,
			    "%s: contains a line break, which no %s holds",
			    what, what);
		if (*p < 0x20 || *p == 0x7f)
			return ib_err_set(err, EINVAL,
			    "%s: contains the control character \\x%02x", what,
			    *p);
	}
	return 0;
}

/* The value of a base64 digit, or -1. */
static int
b64(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decode the first bytes of base64 s (n digits) into out (at most max
 * bytes); returns how many were decoded, or -1 when s is not base64. */
static long
b64_decode(const char *s, size_t n, unsigned char *out, size_t max)
{
	size_t i, o = 0, pad = 0;
	uint32_t acc = 0;
	int v, bits = 0;

	if (n == 0 || n % 4 != 0)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] == '=') {
			if (++pad > 2 || i < n - 2)
				return -1;
			continue;
		}
		if (pad > 0)
			return -1;
		v = b64((unsigned char)s[i]);
		if (v < 0)
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o < max)
				out[o] = (unsigned char)(acc >> bits);
			o++;
		}
	}
	return (long)(o < max ? o : max);
}

static bool
key_type_ok(const char *t, size_t n)
{
	return (n == 11 && memcmp(t, "ssh-ed25519", 11) == 0) ||
	    (n == 7 && memcmp(t, "ssh-rsa", 7) == 0) ||
	    (n > 11 && memcmp(t, "ecdsa-sha2-", 11) == 0) ||
	    (n > 3 && memcmp(t, "sk-", 3) == 0);
}

char *
ib_seed_key_parse(const char *text, size_t len, ib_err *err)
{
	const char *p, *end, *type, *blob;
	unsigned char head[64];
	size_t tn, bn, i, n;
	long got;
	char *line;

	if (memchr(text, '\0', len) != NULL)
		return ib_err_set(err, IB_EFORMAT,
		           "not a public key: it holds a NUL byte"),
		       NULL;
	for (i = 0; i + 11 <= len; i++)
		if (memcmp(text + i, "PRIVATE KEY", 11) == 0)
			return ib_err_set(err, IB_EFORMAT,
			           "a private key, refused (it is not copied "
			           "anywhere): give the public key, the .pub "
			           "file beside it"),
			       NULL;
	/* One line, with an optional final newline (and CR). */
	end = text + len;
	while (end > text && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	for (p = text; p < end; p++)
		if (*p == '\n' || *p == '\r')
			return ib_err_set(err, IB_EFORMAT,
			           "not a public key: more than one line (give "
			           "one key)"),
			       NULL;
		else if ((unsigned char)*p < 0x20 && *p != '\t')
			return ib_err_set(err, IB_EFORMAT,
			           "not a public key: a control character"),
			       NULL;
	p = text;
	type = p;
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	tn = (size_t)(p - type);
	if (!key_type_ok(type, tn))
		return ib_err_set(err, IB_EFORMAT,
		           "not a public key: it does not start with "
		           "ssh-ed25519, ssh-rsa, ecdsa-sha2-* or sk-*"),
		       NULL;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	blob = p;
	while (p < end && *p != ' ' && *p != '\t')
		p++;
	bn = (size_t)(p - blob);
	/* The blob starts with its own type: uint32 length, then it. */
	got = b64_decode(blob, bn, head, sizeof(head));
	if (got < 4)
		return ib_err_set(err, IB_EFORMAT,
		           "not a public key: no base64 key after the type"),
		       NULL;
	n = (size_t)head[0] << 24 | (size_t)head[1] << 16 |
	    (size_t)head[2] << 8 | head[3];
	if (n != tn || (size_t)got < 4 + n || memcmp(head + 4, type, n) != 0)
		return ib_err_set(err, IB_EFORMAT,
		           "not a public key: the key's data is not of its "
		           "type '%.*s'",
		           (int)(tn < 40 ? tn : 40), type),
		       NULL;
	line = malloc((size_t)(end - text) + 1);
	if (line == NULL)
		return ib_err_errno(err, ENOMEM, "key"), NULL;
	memcpy(line, text, (size_t)(end - text));
	line[end - text] = '\0';
	return line;
}

/* path whole into a NUL-terminated *buf, at most IB_MAX_SEED_INPUT. */
static int
read_small(const char *path, char **buf, size_t *len, ib_err *err)
{
	struct stat st;
	ssize_t n;
	size_t got = 0;
	char *b;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return ib_err_errno(err, errno, "%s", path);
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		n = errno;
		close(fd);
		return ib_err_set(err, S_ISREG(st.st_mode) ? (int)n : EINVAL,
		    "%s: not a regular file", path);
	}
	if ((uint64_t)st.st_size > IB_MAX_SEED_INPUT) {
		close(fd);
		return ib_err_set(err, IB_ELIMIT,
		    "%s: larger than %u bytes (IB_MAX_SEED_INPUT)", path,
		    IB_MAX_SEED_INPUT);
	}
	b = malloc(IB_MAX_SEED_INPUT + 1);
	if (b == NULL) {
		close(fd);
		return ib_err_errno(err, ENOMEM, "%s", path);
	}
	while (got < IB_MAX_SEED_INPUT) {
		n = read(fd, b + got, IB_MAX_SEED_INPUT - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ib_err_errno(err, errno, "%s", path);
			close(fd);
			free(b);
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	b[got] = '\0';
	*buf = b;
	*len = got;
	return 0;
}

char *
ib_seed_key_read(const char *path, ib_err *err)
{
	size_t len;
	char *buf, *line;

	if (read_small(path, &buf, &len, err) == -1)
		return NULL;
	line = ib_seed_key_parse(buf, len, err);
	/* A private key's bytes go no further than this buffer. */
	memset(buf, 0, len);
	free(buf);
	if (line == NULL)
		ib_err_prefix(err, "%s: ", path);
	return line;
}

int
ib_seed_user_data_check(const char *buf, size_t len, ib_err *err)
{
	static const char cc[] = "#cloud-config";
	size_t n = sizeof(cc) - 1;

	if (memchr(buf, '\0', len) != NULL)
		return ib_err_set(err, IB_EFORMAT,
		    "not a cloud-config nor a script: it holds a NUL byte");
	if (len >= 2 && buf[0] == '#' && buf[1] == '!')
		return 0;
	if (len >= n && memcmp(buf, cc, n) == 0 &&
	    (len == n || buf[n] == '\n' || buf[n] == '\r' || buf[n] == ' ' ||
	        buf[n] == '\t'))
		return 0;
	return ib_err_set(err, IB_EFORMAT,
	    "not a cloud-config (a first line '#cloud-config') nor a script "
	    "(a first line '#!')");
}

int
ib_seed_user_data_read(const char *path, char **buf, size_t *len, ib_err *err)
{
	if (read_small(path, buf, len, err) == -1)
		return -1;
	if (ib_seed_user_data_check(*buf, *len, err) == -1) {
		free(*buf);
		*buf = NULL;
		return ib_err_prefix(err, "%s: ", path);
	}
	return 0;
}

/* FNV-1a, 64 bits, of n bytes from a given start. */
static uint64_t
fnv1a(const char *s, size_t n, uint64_t h)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= UINT64_C(0x100000001b3);
	}
	return h;
}

/* isoboot's own #cloud-config. */
static int
cloud_config(ib_strbuf *b, const ib_seed_opts *o, ib_err *err)
{
	return ib_strbuf_adds(b,
	           "#cloud-config\n"
	           "# isoboot's NoCloud seed: the account to log into.\n"
	           "hostname: ",
	           err) ||
	        ib_seed_yaml_quote(b, o->hostname, err) ||
	        ib_strbuf_adds(b, "\nusers:\n  - name: ", err) ||
	        ib_seed_yaml_quote(b, o->user, err) ||
	        ib_strbuf_adds(b,
	            "\n    shell: \"/bin/bash\"\n"
	            "    sudo: \"ALL=(ALL) NOPASSWD:ALL\"\n"
	            "    lock_passwd: true\n",
	            err) ||
	        (o->key != NULL &&
	            (ib_strbuf_adds(b, "    ssh_authorized_keys:\n      - ",
	                 err) ||
	                ib_seed_yaml_quote(b, o->key, err) ||
	                ib_strbuf_addc(b, '\n', err))) ?
	    -1 :
	    0;
}

char *
ib_seed_user_data_new(const ib_seed_opts *o, ib_err *err)
{
	ib_strbuf b = { 0 };
	char boundary[64];
	int rc;

	if (ib_seed_name_check("user", o->user, err) == -1 ||
	    ib_seed_name_check("hostname", o->hostname, err) == -1 ||
	    (o->key != NULL && ib_seed_name_check("key", o->key, err) == -1))
		return NULL;
	if (o->user_data == NULL) {
		rc = cloud_config(&b, o, err);
		goto out;
	}
	/* RFC 2046: a boundary the parts do not hold; cloud-init runs each
	 * part by its type. */
	snprintf(boundary, sizeof(boundary), "isoboot-seed-%016llx",
	    (unsigned long long)fnv1a(o->user_data, o->user_data_len,
	        UINT64_C(0xcbf29ce484222325)));
	if (o->user_data_len >= strlen(boundary) &&
	    strstr(o->user_data, boundary) != NULL)
		return ib_err_set(err, IB_EFORMAT,
		           "user-data: holds the MIME boundary %s", boundary),
		       NULL;
	rc = ib_strbuf_addf(&b, err,
	         "Content-Type: multipart/mixed; boundary=\"%s\"\n"
	         "MIME-Version: 1.0\n\n--%s\n"
	         "Content-Type: text/cloud-config; charset=\"utf-8\"\n"
	         "MIME-Version: 1.0\n\n",
	         boundary, boundary) ||
	    cloud_config(&b, o, err) ||
	    ib_strbuf_addf(&b, err,
	        "\n--%s\nContent-Type: %s; charset=\"utf-8\"\n"
	        "MIME-Version: 1.0\n\n",
	        boundary,
	        o->user_data[0] == '#' && o->user_data[1] == '!' ?
	            "text/x-shellscript" :
	            "text/cloud-config") ||
	    ib_strbuf_add(&b, o->user_data, o->user_data_len, err) ||
	    ib_strbuf_addf(&b, err, "%s--%s--\n",
	        o->user_data_len > 0 &&
	                o->user_data[o->user_data_len - 1] == '\n' ?
	            "\n" :
	            "\n\n",
	        boundary);
out:
	if (rc != 0) {
		ib_strbuf_release(&b);
		return NULL;
	}
	return ib_strbuf_take(&b, err);
}

char *
ib_seed_meta_data_new(const ib_seed_opts *o, const char *ud, ib_err *err)
{
	ib_strbuf b = { 0 };

	if (ib_strbuf_addf(&b, err, "instance-id: \"iid-isoboot-%016llx\"\n",
	        (unsigned long long)fnv1a(ud, strlen(ud),
	            UINT64_C(0xcbf29ce484222325))) ||
	    ib_strbuf_adds(&b, "local-hostname: ", err) ||
	    ib_seed_yaml_quote(&b, o->hostname, err) ||
	    ib_strbuf_addc(&b, '\n', err)) {
		ib_strbuf_release(&b);
		return NULL;
	}
	return ib_strbuf_take(&b, err);
}

/* The 7-byte directory record date (ECMA-119 9.1.5) of tm, gmtoff. */
static void
date7(unsigned char d[7], const struct tm *tm, long gmtoff)
{
	d[0] = (unsigned char)tm->tm_year;
	d[1] = (unsigned char)(tm->tm_mon + 1);
	d[2] = (unsigned char)tm->tm_mday;
	d[3] = (unsigned char)tm->tm_hour;
	d[4] = (unsigned char)tm->tm_min;
	d[5] = (unsigned char)tm->tm_sec;
	d[6] = (unsigned char)(signed char)(gmtoff / (15 * 60));
}

/* The host zone's offset from UTC at t, whose local time is *lt. */
static long
gmt_offset(time_t t, const struct tm *lt)
{
	struct tm gt;
	long days;

	if (gmtime_r(&t, &gt) == NULL)
		return 0;
	days = lt->tm_year != gt.tm_year ? (lt->tm_year > gt.tm_year ? 1 : -1) :
	                                   lt->tm_yday - gt.tm_yday;
	return ((days * 24 + lt->tm_hour - gt.tm_hour) * 60 + lt->tm_min -
	           gt.tm_min) *
	    60;
}

/* Replace every n-byte from in buf[0..len) with to; returns how many. */
static size_t
replace(unsigned char *buf, size_t len, const unsigned char *from,
    const unsigned char *to, size_t n)
{
	size_t i, count = 0;

	for (i = 0; i + n <= len; i++)
		if (memcmp(buf + i, from, n) == 0) {
			memcpy(buf + i, to, n);
			count++;
			i += n - 1;
		}
	return count;
}

/*
 * libarchive's writer dates the volume and its directories with the
 * time it starts (no option sets it) and every date in the host's time
 * zone: the dates it wrote are made SEED_TIME in UTC, in the metadata
 * blocks only (the files' data are the last blocks, as no padding is
 * asked); so is the ctime(3) of its information block. The volume
 * descriptor's 17-byte date (ECMA-119 8.4.26.1) says which time it
 * took.
 */
static int
fix_dates(unsigned char *buf, size_t len, size_t meta, ib_err *err)
{
	static const unsigned char fixed17[17] = "2000010100000000";
	unsigned char from17[17], from7[7], to7[7], file7[7];
	const unsigned char *pvd = buf + 16 * 2048;
	struct tm tm, ft;
	time_t ftime = SEED_TIME;
	long off;
	int i;

	if (len < 17 * 2048 || pvd[0] != 1 || memcmp(pvd + 1, "CD001", 5) != 0)
		return ib_err_set(err, IB_EFORMAT,
		    "libarchive wrote no primary volume descriptor");
	memcpy(from17, pvd + 813, 17);
	memset(&tm, 0, sizeof(tm));
	for (i = 0; i < 16; i++)
		if (from17[i] < '0' || from17[i] > '9')
			return ib_err_set(err, IB_EFORMAT,
			    "libarchive's volume date is not digits");
	tm.tm_year = ((from17[0] - '0') * 1000 + (from17[1] - '0') * 100 +
	                 (from17[2] - '0') * 10 + (from17[3] - '0')) -
	    1900;
	tm.tm_mon = (from17[4] - '0') * 10 + (from17[5] - '0') - 1;
	tm.tm_mday = (from17[6] - '0') * 10 + (from17[7] - '0');
	tm.tm_hour = (from17[8] - '0') * 10 + (from17[9] - '0');
	tm.tm_min = (from17[10] - '0') * 10 + (from17[11] - '0');
	tm.tm_sec = (from17[12] - '0') * 10 + (from17[13] - '0');
	off = (long)(signed char)from17[16] * 15 * 60;
	date7(from7, &tm, off);
	memset(&ft, 0, sizeof(ft));
	ft.tm_year = 100;
	ft.tm_mon = 0;
	ft.tm_mday = 1;
	date7(to7, &ft, 0);
	/* The files' dates: SEED_TIME in the host's zone. */
	if (localtime_r(&ftime, &tm) == NULL)
		return ib_err_errno(err, errno, "localtime");
	off = gmt_offset(ftime, &tm);
	date7(file7, &tm, off);
	/* The information block: "INFO " and ctime(3)'s 24 characters. */
	for (i = 0; (size_t)i + 5 + 24 <= meta; i++)
		if (memcmp(buf + i, "INFO ", 5) == 0 &&
		    buf[i + 5 + 24] == '\n') {
			memcpy(buf + i + 5, "Sat Jan  1 00:00:00 2000", 24);
			break;
		}
	memcpy(buf + 16 * 2048 + 813, fixed17, 17);
	replace(buf, meta, from17, fixed17, 17);
	replace(buf, meta, from7, to7, 7);
	replace(buf, meta, file7, to7, 7);
	return 0;
}

/* One file of the seed into a. */
static int
add_file(struct archive *a, const char *name, const char *text, ib_err *err)
{
	struct archive_entry *e;
	size_t n = strlen(text);
	int rc = 0;

	e = archive_entry_new();
	if (e == NULL)
		return ib_err_errno(err, ENOMEM, "seed");
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)n);
	archive_entry_set_mtime(e, SEED_TIME, 0);
	archive_entry_set_atime(e, SEED_TIME, 0);
	archive_entry_set_ctime(e, SEED_TIME, 0);
	if (archive_write_header(a, e) != ARCHIVE_OK ||
	    (n > 0 && archive_write_data(a, text, n) != (la_ssize_t)n))
		rc = ib_err_set(err, EIO, "seed: %s: %s", name,
		    archive_error_string(a));
	archive_entry_free(e);
	return rc;
}

int
ib_seed_image_new(const ib_seed_opts *o, unsigned char **out, size_t *outlen,
    ib_err *err)
{
	struct archive *a = NULL;
	unsigned char *buf = NULL;
	char *ud, *md;
	size_t cap, used = 0, data;
	int rc = -1;

	ud = ib_seed_user_data_new(o, err);
	md = ud != NULL ? ib_seed_meta_data_new(o, ud, err) : NULL;
	if (md == NULL)
		goto out;
	/* Room: the data in whole blocks, and 1 MiB of descriptors, path
	 * tables and directories for three files. */
	data = (strlen(ud) + 2047) / 2048 * 2048 +
	    (strlen(md) + 2047) / 2048 * 2048;
	cap = data + 1024 * 1024;
	buf = malloc(cap);
	a = archive_write_new();
	if (buf == NULL || a == NULL) {
		ib_err_errno(err, ENOMEM, "seed");
		goto out;
	}
	/* cidata: the label NoCloud looks for; no padding, so that the
	 * files' data are the last blocks (fix_dates). */
	if (archive_write_set_format_iso9660(a) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(a, 1) != ARCHIVE_OK ||
	    archive_write_set_options(a,
	        "iso9660:volume-id=cidata,iso9660:rockridge,"
	        "iso9660:joliet,iso9660:!pad") != ARCHIVE_OK ||
	    archive_write_open_memory(a, buf, cap, &used) != ARCHIVE_OK) {
		ib_err_set(err, EIO, "seed: %s", archive_error_string(a));
		goto out;
	}
	if (add_file(a, "meta-data", md, err) == -1 ||
	    add_file(a, "user-data", ud, err) == -1)
		goto out;
	if (archive_write_close(a) != ARCHIVE_OK) {
		ib_err_set(err, EIO, "seed: %s", archive_error_string(a));
		goto out;
	}
	if (used < data || fix_dates(buf, used, used - data, err) == -1)
		goto out;
	*out = buf;
	*outlen = used;
	buf = NULL;
	rc = 0;
out:
	if (a != NULL)
		archive_write_free(a);
	free(buf);
	free(ud);
	free(md);
	return rc;
}

int
ib_seed_write(const ib_seed_opts *o, int dirfd, const char *name, bool *changed,
    size_t *size, ib_err *err)
{
	unsigned char *buf;
	size_t len;
	int rc;

	if (ib_seed_image_new(o, &buf, &len, err) == -1)
		return -1;
	rc = ib_place_bytes(dirfd, name, buf, len, 0644, changed, err);
	free(buf);
	*size = len;
	return rc;
}
