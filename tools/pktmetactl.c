// SPDX-License-Identifier: GPL-2.0
/*
 * pktmetactl: show and manage the pktmeta field registry (see pktmetactl(8)).
 *
 *   pktmetactl [OPTIONS] { list | register NAME SIZE [owned] [sockets] |
 *                          unregister { NAME | ID | name NAME | id ID } |
 *                          lookup NAME | stats [ on | off ] | help }
 *   OPTIONS := { -j[son] | -p[retty] | -V[ersion] | -h[elp] }
 *
 * Exit status: 0 success, 1 the kernel refused or an error occurred,
 * 2 bad usage, 3 the pktmeta module is not loaded.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "pktmeta.h"

#ifndef PKTMETA_VERSION
#define PKTMETA_VERSION "unknown"
#endif

enum { EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_NOMODULE };

static bool json, pretty;
static struct pktmeta *pm;

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: pktmetactl [OPTIONS] COMMAND\n"
		"where  COMMAND := { list | register NAME SIZE [ owned ] [ sockets ] |\n"
		"                    unregister { NAME | ID | name NAME | id ID } |\n"
		"                    lookup NAME | stats [ on | off ] | help }\n"
		"       OPTIONS := { -j[son] | -p[retty] | -V[ersion] | -h[elp] }\n"
		"NAME: 1 to 31 characters of [a-z0-9_.-]; SIZE: bytes, 1 to the area's capacity.\n"
		"'register ... owned' holds the field until pktmetactl is stopped (Ctrl-C, SIGTERM).\n"
		"'register ... sockets' lets sockets receive the field (when this creates it).\n"
		"'stats on' counts sets, gets and clears too (errors always are); 'stats off' stops.\n"
		"See pktmetactl(8).\n");
}

/* iproute2's matches(): @arg is a non-empty prefix of @word. */
static bool matches(const char *arg, const char *word)
{
	size_t n = strlen(arg);

	return n && !strncmp(arg, word, n);
}

static bool name_valid(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 1 || n > PKTMETA_NAME_MAX - 1)
		return false;
	for (i = 0; i < n; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '_' || s[i] == '.' || s[i] == '-'))
			return false;
	}
	return true;
}

static bool parse_u32(const char *s, __u32 *v)
{
	unsigned long long x;
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno || *end || x > 0xffffffffULL)
		return false;
	*v = x;
	return true;
}

static int bad_name(const char *s)
{
	fprintf(stderr,
		"pktmetactl: invalid field name \"%s\": use 1 to 31 characters of [a-z0-9_.-]\n",
		s);
	return EXIT_USAGE;
}

/* The capacity the module was loaded with, from its info reply; 0 if unknown. */
static __u32 loaded_capacity(void)
{
	struct pktmeta_registry_info r;

	if (!pm && pktmeta_open(&pm))
		return 0;
	return pktmeta_registry(pm, &r) ? 0 : r.capacity;
}

/*
 * A size that is no number, 0 or more than fits: name the range of the
 * loaded module (its capacity parameter), or the largest one if it is not
 * loaded.
 */
static int bad_size(const char *s)
{
	__u32 capacity = loaded_capacity();

	if (capacity)
		fprintf(stderr,
			"pktmetactl: invalid size \"%s\": give bytes, 1 to %u (the loaded module's capacity)\n",
			s, capacity);
	else
		fprintf(stderr,
			"pktmetactl: invalid size \"%s\": give bytes, 1 to the module's capacity (at most %u)\n",
			s, PKTMETA_MAX_CAPACITY);
	return EXIT_USAGE;
}

/* Report a failed request: errno, the kernel's message, what to do. */
static int fail(const char *what, int err)
{
	const char *msg = pktmeta_errmsg(pm);
	const char *hint = "";

	switch (-err) {
	case EPERM:
		if (!*msg)
			hint = "changing the registry needs CAP_NET_ADMIN: run as root";
		break;
	case ENOENT:
		hint = "see 'pktmetactl list' for the registered fields";
		break;
	case ENOSPC:
		hint = "see 'pktmetactl stats' for the capacity in use; unregister unused fields";
		break;
	}
	fprintf(stderr, "pktmetactl: %s: %s%s%s%s%s\n", what, strerror(-err),
		*msg ? ": " : "", msg, *hint ? "; " : "", hint);
	return EXIT_FAIL;
}

/* Connect to the family, once arguments are known to be good. */
static int need_pm(void)
{
	int err = pktmeta_open(&pm);

	if (err == -ENOENT) {
		fprintf(stderr,
			"pktmetactl: the pktmeta module is not loaded (no generic netlink family \"%s\"): run 'modprobe pktmeta'\n",
			PKTMETA_GENL_NAME);
		return EXIT_NOMODULE;
	}
	if (err) {
		fprintf(stderr, "pktmetactl: cannot open a generic netlink socket: %s\n",
			strerror(-err));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/* JSON output: objects and arrays with "pretty" indentation on -p. */
static int depth;
static bool first_in_level = true;

static void json_nl(void)
{
	int i;

	if (!pretty)
		return;
	putchar('\n');
	for (i = 0; i < depth; i++)
		fputs("    ", stdout);
}

static void json_sep(void)
{
	if (!first_in_level)
		putchar(',');
	first_in_level = false;
	json_nl();
}

static void json_open(const char *key, char c)
{
	if (depth)
		json_sep();
	if (key)
		printf(pretty ? "\"%s\": %c" : "\"%s\":%c", key, c);
	else
		putchar(c);
	depth++;
	first_in_level = true;
}

static void json_close(char c)
{
	depth--;
	if (!first_in_level)
		json_nl();
	putchar(c);
	first_in_level = false;
	if (!depth)
		putchar('\n');
}

static void json_u64(const char *key, unsigned long long v)
{
	json_sep();
	printf(pretty ? "\"%s\": %llu" : "\"%s\":%llu", key, v);
}

static void json_str(const char *key, const char *v)
{
	/* Names are [a-z0-9_.-]: nothing to escape. */
	json_sep();
	printf(pretty ? "\"%s\": \"%s\"" : "\"%s\":\"%s\"", key, v);
}

static void json_bool(const char *key, bool v)
{
	json_sep();
	printf(pretty ? "\"%s\": %s" : "\"%s\":%s", key, v ? "true" : "false");
}

static void json_null(const char *key)
{
	json_sep();
	printf(pretty ? "\"%s\": null" : "\"%s\":null", key);
}

static void print_field(const struct pktmeta_field_info *f)
{
	if (json) {
		json_open(NULL, '{');
		json_u64("id", f->id);
		json_str("name", f->name);
		json_u64("size", f->size);
		json_u64("offset", f->offset);
		json_u64("refs", f->refs);
		json_u64("owned_refs", f->owned_refs);
		json_u64("born", f->born);
		json_bool("hint", f->hint);
		json_bool("sockets", f->sockets);
		json_close('}');
		return;
	}
	printf("id %u name %s size %u offset %u refs %u", f->id, f->name,
	       f->size, f->offset, f->refs);
	if (f->owned_refs)
		printf(" owned %u", f->owned_refs);
	if (f->hint)
		printf(" hint");
	if (f->sockets)
		printf(" sockets");
	putchar('\n');
}

static int list_cb(const struct pktmeta_field_info *f, void *arg)
{
	(void)arg;
	print_field(f);
	return 0;
}

static int do_list(int argc, char **argv)
{
	int err;

	if (argc) {
		fprintf(stderr, "pktmetactl: list takes no arguments, not \"%s\"\n", argv[0]);
		return EXIT_USAGE;
	}
	err = need_pm();
	if (err)
		return err;
	if (json)
		json_open(NULL, '[');
	err = pktmeta_dump(pm, list_cb, NULL);
	if (json)
		json_close(']');
	return err ? fail("list", err) : EXIT_OK;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int do_register(int argc, char **argv)
{
	struct pktmeta_field_info f, old;
	char what[80];
	__u32 size, capacity, flags = 0;
	long long id;
	int ret;

	if (argc < 2 || argc > 4) {
		fprintf(stderr, "pktmetactl: usage: register NAME SIZE [ owned ] [ sockets ]\n");
		return EXIT_USAGE;
	}
	if (!name_valid(argv[0]))
		return bad_name(argv[0]);
	if (!parse_u32(argv[1], &size) || !size || size > PKTMETA_MAX_CAPACITY)
		return bad_size(argv[1]);
	for (int i = 2; i < argc; i++) {
		__u32 flag = matches(argv[i], "owned") ? PKTMETA_F_OWNED :
			     matches(argv[i], "sockets") ? PKTMETA_F_SOCKETS : 0;

		if (!flag || (flags & flag)) {
			fprintf(stderr,
				"pktmetactl: register: unknown or repeated flag \"%s\", try \"owned\" or \"sockets\"\n",
				argv[i]);
			return EXIT_USAGE;
		}
		flags |= flag;
	}

	snprintf(what, sizeof(what), "register %s", argv[0]);
	ret = need_pm();
	if (ret)
		return ret;
	capacity = loaded_capacity();
	if (capacity && size > capacity)
		return bad_size(argv[1]);
	id = pktmeta_register(pm, argv[0], size, flags, &f);
	if (id == -EEXIST && pktmeta_lookup(pm, argv[0], &old) >= 0 &&
	    old.size == size) {
		fprintf(stderr,
			"pktmetactl: %s: field \"%s\" exists (id %u) and its creator did not offer it to sockets: register it without \"sockets\"\n",
			what, argv[0], old.id);
		return EXIT_FAIL;
	}
	if (id == -EEXIST && pktmeta_lookup(pm, argv[0], &old) >= 0) {
		fprintf(stderr,
			"pktmetactl: %s: field \"%s\" exists with size %u (id %u): use that size, or unregister it first\n",
			what, argv[0], old.size, old.id);
		return EXIT_FAIL;
	}
	if (id < 0)
		return fail(what, id);
	print_field(&f);
	fflush(stdout);

	if (flags & PKTMETA_F_OWNED) {
		/*
		 * The reference lives as long as our socket: wait to be
		 * stopped. The signals stay blocked but inside sigsuspend(),
		 * so one that arrives between the test of stop and the wait
		 * is not lost (pause() would sleep through it).
		 */
		struct sigaction sa = { .sa_handler = on_signal };
		sigset_t block, wait;

		sigemptyset(&block);
		sigaddset(&block, SIGINT);
		sigaddset(&block, SIGTERM);
		sigaddset(&block, SIGHUP);
		sigprocmask(SIG_BLOCK, &block, &wait);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGHUP, &sa, NULL);
		sigdelset(&wait, SIGINT);
		sigdelset(&wait, SIGTERM);
		sigdelset(&wait, SIGHUP);
		while (!stop)
			sigsuspend(&wait);
	}
	return EXIT_OK;
}

static int do_unregister(int argc, char **argv)
{
	const char *arg;
	char what[80];
	bool by_id;
	__u32 id;
	int err;

	if (argc == 2 && (!strcmp(argv[0], "id") || !strcmp(argv[0], "name"))) {
		by_id = !strcmp(argv[0], "id");
		arg = argv[1];
	} else if (argc == 1) {
		arg = argv[0];
		by_id = parse_u32(arg, &id);
	} else {
		fprintf(stderr,
			"pktmetactl: usage: unregister { NAME | ID | name NAME | id ID }\n");
		return EXIT_USAGE;
	}
	snprintf(what, sizeof(what), "unregister %s", arg);
	if (by_id && !parse_u32(arg, &id)) {
		fprintf(stderr, "pktmetactl: invalid id \"%s\"\n", arg);
		return EXIT_USAGE;
	}
	if (!by_id && !name_valid(arg))
		return bad_name(arg);
	err = need_pm();
	if (err)
		return err;
	if (by_id)
		err = pktmeta_unregister(pm, id);
	else
		err = pktmeta_unregister_name(pm, arg);
	return err ? fail(what, err) : EXIT_OK;
}

static int do_lookup(int argc, char **argv)
{
	struct pktmeta_field_info f;
	char what[80];
	long long id;
	int ret;

	if (argc != 1) {
		fprintf(stderr, "pktmetactl: usage: lookup NAME\n");
		return EXIT_USAGE;
	}
	if (!name_valid(argv[0]))
		return bad_name(argv[0]);
	snprintf(what, sizeof(what), "lookup %s", argv[0]);
	ret = need_pm();
	if (ret)
		return ret;
	id = pktmeta_lookup(pm, argv[0], &f);
	if (id < 0)
		return fail(what, id);
	print_field(&f);
	return EXIT_OK;
}

/* Are sets, gets and clears counted (pktmetactl stats on)? */
static bool counting;

/* The counters; sets, gets and clears as "-" (JSON: null) when not counted. */
static void print_stats(const __u64 *stats)
{
	int i;

	for (i = 1; i < PKTMETA_NR_STATS; i++) {
		bool shown = counting || i > PKTMETA_STATS_A_CLEAR;

		if (json && shown)
			json_u64(pktmeta_stat_name(i), stats[i]);
		else if (json)
			json_null(pktmeta_stat_name(i));
		else if (shown)
			printf(" %s %llu", pktmeta_stat_name(i),
			       (unsigned long long)stats[i]);
		else
			printf(" %s -", pktmeta_stat_name(i));
	}
}

static int stats_cb(const struct pktmeta_field_info *f, void *arg)
{
	(void)arg;
	if (json) {
		json_open(NULL, '{');
		json_u64("id", f->id);
		json_str("name", f->name);
		print_stats(f->stats);
		json_close('}');
	} else {
		printf("id %u name %s", f->id, f->name);
		print_stats(f->stats);
		putchar('\n');
	}
	return 0;
}

/* stats on|off: count sets, gets and clears, or stop. */
static int do_stats_switch(const char *arg)
{
	bool on = !strcmp(arg, "on");
	int err;

	if (!on && strcmp(arg, "off")) {
		fprintf(stderr, "pktmetactl: stats takes on, off or nothing, not \"%s\"\n", arg);
		return EXIT_USAGE;
	}
	err = need_pm();
	if (err)
		return err;
	err = pktmeta_set_stats(pm, on);
	return err ? fail(on ? "stats on" : "stats off", err) : EXIT_OK;
}

static int do_stats(int argc, char **argv)
{
	struct pktmeta_registry_info r;
	int err;

	if (argc > 1) {
		fprintf(stderr, "pktmetactl: stats takes on, off or nothing, not \"%s %s\"\n",
			argv[0], argv[1]);
		return EXIT_USAGE;
	}
	if (argc)
		return do_stats_switch(argv[0]);
	err = need_pm();
	if (err)
		return err;
	err = pktmeta_registry(pm, &r);
	if (err)
		return fail("stats", err);
	err = pktmeta_stats_on(pm);
	if (err < 0)
		return fail("stats", err);
	counting = err;
	if (json) {
		json_open(NULL, '{');
		json_open("registry", '{');
		json_u64("capacity", r.capacity);
		json_u64("used", r.used);
		json_u64("fields", r.fields);
		json_u64("max_fields", r.max_fields);
		json_u64("generation", r.generation);
		json_bool("counting", counting);
		json_close('}');
		json_open("fields", '[');
	} else {
		printf("capacity %u used %u fields %u max_fields %u generation %llu\n",
		       r.capacity, r.used, r.fields, r.max_fields,
		       (unsigned long long)r.generation);
		if (!counting)
			printf("sets, gets and clears are not counted (-): 'pktmetactl stats on' counts them\n");
	}
	err = pktmeta_dump(pm, stats_cb, NULL);
	if (json) {
		json_close(']');
		json_open("unknown_id", '{');
		print_stats(r.unknown_stats);
		json_close('}');
		json_close('}');
	} else if (!err) {
		printf("unknown_id");
		print_stats(r.unknown_stats);
		putchar('\n');
	}
	return err ? fail("stats", err) : EXIT_OK;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} commands[] = {
	{ "list", do_list },
	{ "show", do_list },
	{ "register", do_register },
	{ "unregister", do_unregister },
	{ "lookup", do_lookup },
	{ "stats", do_stats },
};

int main(int argc, char **argv)
{
	int (*fn)(int argc, char **argv) = NULL;
	unsigned int i;
	int ret;

	while (argc > 1 && argv[1][0] == '-' && argv[1][1]) {
		const char *opt = argv[1] + 1;

		if (opt[0] == '-')
			opt++;
		if (matches(opt, "json")) {
			json = true;
		} else if (matches(opt, "pretty")) {
			pretty = true;
		} else if (matches(opt, "Version")) {
			printf("pktmetactl, pktmeta %s\n", PKTMETA_VERSION);
			return EXIT_OK;
		} else if (matches(opt, "help")) {
			usage(stdout);
			return EXIT_OK;
		} else {
			fprintf(stderr,
				"pktmetactl: option \"%s\" is unknown, try \"pktmetactl -help\".\n",
				argv[1]);
			return EXIT_USAGE;
		}
		argc--;
		argv++;
	}
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (matches(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	/* Abbreviations as in iproute2, first match in table order. */
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (matches(argv[1], commands[i].name)) {
			fn = commands[i].fn;
			break;
		}
	}
	if (!fn) {
		fprintf(stderr, "pktmetactl: command \"%s\" is unknown, try \"pktmetactl help\".\n",
			argv[1]);
		return EXIT_USAGE;
	}

	ret = fn(argc - 2, argv + 2);
	pktmeta_close(pm);
	return ret;
}
