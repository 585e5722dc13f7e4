/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * seed: a cloud-init NoCloud seed, the small ISO 9660 volume labelled
 * "cidata" that holds user-data and meta-data, written with libarchive's
 * ISO 9660 writer (Rock Ridge and Joliet, as genisoimage -volid cidata
 * -joliet -rock makes it). The user-data is YAML isoboot writes itself:
 * every name the user gives is a YAML double-quoted scalar with escapes,
 * never raw text, and names with line breaks are refused. A public key
 * is checked before it is used; a private key is refused and never
 * copied. The same inputs give the same bytes (fixed dates), and the
 * instance-id is a hash of the user-data, so cloud-init runs again
 * exactly when the user-data changes. Not a YAML parser: the user's own
 * user-data is checked only for its first line.
 */
#ifndef IB_SEED_H
#define IB_SEED_H

#include <stdbool.h>
#include <stddef.h>

#include "errors.h"
#include "strbuf.h"

typedef struct ib_seed_opts {
	const char *user;     /* the account cloud-init makes */
	const char *hostname; /* meta-data's local-hostname */
	const char *key;      /* one public key line, ib_seed_key_read()'s;
	                       * NULL: none */
	/* The user's own user-data (a #cloud-config or a #! script), sent
	 * after isoboot's as a second MIME part; NULL: none. */
	const char *user_data;
	size_t user_data_len;
} ib_seed_opts;

/* Append s to b as a YAML double-quoted scalar: ", \ and control
 * characters escaped, YAML's other line breaks (NEL, LS, PS) too.
 * Returns 0, or -1 with *err. */
int ib_seed_yaml_quote(ib_strbuf *b, const char *s, ib_err *err);

/* Whether s may be a name in the seed (what names it: "user",
 * "hostname"): not empty, no line break or other control character.
 * Returns 0, or -1 with *err saying why. */
int ib_seed_name_check(const char *what, const char *s, ib_err *err);

/* Check text (len bytes) as an OpenSSH public key file: one line
 * "TYPE BASE64 [COMMENT]", TYPE ssh-ed25519, ssh-rsa, ecdsa-sha2-* or
 * sk-*, the base64 blob naming the same type. A private key is refused
 * by name. Returns the line (no newline) the caller frees, or NULL with
 * *err. */
char *ib_seed_key_parse(const char *text, size_t len, ib_err *err);

/* ib_seed_key_parse() of the file at path (at most IB_MAX_SEED_INPUT
 * bytes). Returns a line the caller frees, or NULL with *err. */
char *ib_seed_key_read(const char *path, ib_err *err);

/* Check the user's own user-data: a "#cloud-config" first line or a
 * "#!" script, no NUL byte. Returns 0, or -1 with *err. */
int ib_seed_user_data_check(const char *buf, size_t len, ib_err *err);

/* Read path whole (at most IB_MAX_SEED_INPUT bytes) into *buf (the
 * caller frees it; NUL-terminated) and check it as user-data. Returns
 * 0, or -1 with *err. */
int ib_seed_user_data_read(const char *path, char **buf, size_t *len,
    ib_err *err);

/* The seed's user-data for o: isoboot's #cloud-config, or with
 * o->user_data a MIME multipart of it and the user's. Returns a string
 * the caller frees, or NULL with *err. */
char *ib_seed_user_data_new(const ib_seed_opts *o, ib_err *err);

/* The meta-data for user-data ud: instance-id (a hash of ud) and
 * local-hostname. Returns a string the caller frees, or NULL with
 * *err. */
char *ib_seed_meta_data_new(const ib_seed_opts *o, const char *ud, ib_err *err);

/* The seed volume's bytes for o. Returns 0 with *buf (the caller frees
 * it) and *len, or -1 with *err. */
int ib_seed_image_new(const ib_seed_opts *o, unsigned char **buf, size_t *len,
    ib_err *err);

/* Write the seed for o as name in dirfd, atomically and only when its
 * bytes differ (*changed says whether they did); *size gets its size.
 * Returns 0, or -1 with *err. */
int ib_seed_write(const ib_seed_opts *o, int dirfd, const char *name,
    bool *changed, size_t *size, ib_err *err);

#endif
