#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char *progname = "isoboot";

void
cli_init(const char *argv0)
{
	const char *s;

	if (argv0 == NULL || argv0[0] == '\0')
		return;
	s = strrchr(argv0, '/');
	progname = s != NULL ? s + 1 : argv0;
}

const char *
cli_progname(void)
{
	return progname;
}

void
cli_warn(const char *file, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	if (file != NULL)
		fprintf(stderr, "%s: %s: ", progname, file);
	else
		fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
cli_warn_err(const char *file, const ib_err *err)
{
	cli_warn(file, "%s", ib_err_text(err));
}

void
cli_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s", usage);
	exit(IB_EXIT_USAGE);
}

void
cli_version(void)
{
	printf("%s %s\n", progname, IB_VERSION);
}

void
cli_put_name(FILE *f, const char *s)
{
	unsigned char c;

	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c == '\\')
			fputs("\\\\", f);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\%03o", c);
		else
			putc(c, f);
	}
}

/* Length of the valid UTF-8 sequence at s, or 0 (RFC 3629). */
static size_t
utf8_seq(const unsigned char *s)
{
	size_t n, i;
	unsigned long cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;
	cp = s[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void
cli_put_json(FILE *f, const char *s)
{
	const unsigned char *p;
	size_t n;

	putc('"', f);
	for (p = (const unsigned char *)s; *p != '\0'; p += n) {
		n = utf8_seq(p);
		if (n == 0) {
			/* JSON text is UTF-8 (RFC 8259 8.1): a byte that is
			 * not becomes U+FFFD. */
			fputs("\\ufffd", f);
			n = 1;
		} else if (*p == '"' || *p == '\\') {
			fprintf(f, "\\%c", *p);
		} else if (*p == '\n') {
			fputs("\\n", f);
		} else if (*p == '\t') {
			fputs("\\t", f);
		} else if (*p < 0x20 || *p == 0x7f) {
			fprintf(f, "\\u%04x", *p);
		} else {
			fwrite(p, 1, n, f);
		}
	}
	putc('"', f);
}

int
cli_close_stdout(void)
{
	int bad;

	bad = ferror(stdout) != 0;
	if (fclose(stdout) != 0)
		bad = 1;
	if (bad) {
		cli_warn(NULL, "write error on standard output: %s",
		    strerror(errno != 0 ? errno : EIO));
		return IB_EXIT_FAIL;
	}
	return IB_EXIT_OK;
}
