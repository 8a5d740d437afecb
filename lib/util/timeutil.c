/* Clocks, RFC 3339 timestamps and Go durations. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/util.h"

double osmdiag__now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

int osmdiag__parse_rfc3339(const char *s, time_t *out)
{
	struct tm tm;
	int y, mo, d, h, mi, sec, n = 0;
	long off = 0;
	const char *p;

	if (!s || sscanf(s, "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || !n)
		return -1;
	p = s + n;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om;

		if (sscanf(p + 1, "%2d:%2d", &oh, &om) != 2)
			return -1;
		off = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
		p += 6;
	} else {
		return -1;
	}
	if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = timegm(&tm) - off;
	return 0;
}

const char *osmdiag__format_rfc3339(time_t t, char *buf, size_t len)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "?");
	return buf;
}

int osmdiag__parse_go_duration(const char *s, double *seconds)
{
	static const struct {
		const char *unit;
		double scale;
	} units[] = {
		{ "ns", 1e-9 }, { "us", 1e-6 }, { "\xc2\xb5s", 1e-6 }, { "\xce\xbcs", 1e-6 },
		{ "ms", 1e-3 }, { "s", 1 }, { "m", 60 }, { "h", 3600 },
	};
	double total = 0;
	int neg = 0;

	if (!s || !*s)
		return -1;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (strcmp(s, "0") == 0) {
		*seconds = 0;
		return 0;
	}
	if (!*s)
		return -1;
	while (*s) {
		char *end;
		double v;
		size_t best = 0;
		double scale = 0;

		if (!isdigit((unsigned char)*s) && *s != '.')
			return -1;
		v = strtod(s, &end);
		if (end == s || (end[-1] == '.' && end - s == 1))
			return -1;
		s = end;
		/* longest unit match ("ms" before "m") */
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			size_t ul = strlen(units[i].unit);

			if (strncmp(s, units[i].unit, ul) == 0 && ul > best) {
				best = ul;
				scale = units[i].scale;
			}
		}
		if (!best)
			return -1; /* Go: "missing unit in duration" */
		s += best;
		total += v * scale;
	}
	if (!isfinite(total) || total > 9223372036.854775807)
		return -1;
	*seconds = neg ? -total : total;
	return 0;
}
