/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * iso_names: turn the name bytes of a directory record into the name isoboot
 * shows and extracts: Joliet UTF-16BE decoded to UTF-8 (surrogate pairs
 * included, no normalisation), plain ECMA-119 names with the ";1" version
 * and a trailing "." removed and their case kept. Rock Ridge NM names need
 * no conversion and are not handled here. Any name an image gives is
 * checked here before it is made part of a path.
 */
#ifndef IB_ISO_NAMES_H
#define IB_ISO_NAMES_H

#include <stddef.h>

/*
 * Decode len bytes of Joliet UTF-16BE into UTF-8 in out (size outsz,
 * terminated), dropping a ";N" version suffix and trailing dots as Linux
 * does. An unpaired surrogate or an odd final byte becomes U+FFFD.
 * Returns the UTF-8 length, or -1 if out is too small.
 */
int ib_iso_name_joliet(const unsigned char *in, size_t len, char *out,
    size_t outsz);

/*
 * Copy an ECMA-119 file identifier into out, without its ";N" version and
 * a final "." (ECMA-119 7.5.1: "NAME.;1" is the file "NAME"), case kept.
 * Returns the length, or -1 if out is too small.
 */
int ib_iso_name_9660(const unsigned char *in, size_t len, char *out,
    size_t outsz);

/*
 * Why a name from an image's directory (len bytes, untrusted: an ISO's
 * or a disk filesystem's) can be no component of a path: empty, a NUL or
 * '/' in it, "." or "..", longer than IB_MAX_NAME; NULL when it can. A
 * static string, for an ib_entry's problem.
 */
const char *ib_iso_name_problem(const char *name, size_t len);

#endif
