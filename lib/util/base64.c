/* Standard base64 decoding (RFC 4648), whitespace tolerated. */
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

static int b64_value(unsigned char c)
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

unsigned char *osmdiag__base64_decode(const char *in, size_t *outlen)
{
	size_t len, n = 0, pad = 0;
	unsigned char *out;
	unsigned int acc = 0;
	int bits = 0;

	if (!in)
		return NULL;
	len = strlen(in);
	out = malloc(len / 4 * 3 + 4);
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];
		int v;

		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (pad) /* data after padding */
			goto bad;
		v = b64_value(c);
		if (v < 0)
			goto bad;
		acc = (acc << 6) | (unsigned int)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (unsigned char)((acc >> bits) & 0xff);
		}
	}
	if (pad > 2 || bits >= 6)
		goto bad;
	out[n] = '\0';
	if (outlen)
		*outlen = n;
	return out;
bad:
	free(out);
	return NULL;
}
