// SPDX-License-Identifier: GPL-2.0
/*
 * pmrun: load a BPF object with libbpf, set its global variables, run one of
 * its programs (BPF_PROG_TEST_RUN, or attached to an interface while a
 * command runs) and print global variables afterwards. The guest tests use
 * it so that each test states inputs and expected outputs in bats.
 *
 * usage: pmrun [options] OBJECT PROGRAM
 *   -s VAR=VALUE  set a global (.data/.bss/.rodata) before load: an integer,
 *                 or a string for a char array (NUL-padded)
 *   -r N          test run: repeat the program N times (default 1)
 *   -l LEN        test run: packet length in bytes (default 64)
 *   -F            test run with BPF_F_TEST_XDP_LIVE_FRAMES (needs -r)
 *   -i IFNAME     test run: ingress interface (xdp_md.ingress_ifindex)
 *   -a IFNAME     attach to IFNAME (XDP native; with -g generic) instead of
 *                 a test run, run -c CMD, then detach; repeatable (up to 8
 *                 interfaces, the same program on each)
 *   -b            with -a: load the program bound to the (first) -a device
 *                 (BPF_F_XDP_DEV_BOUND_ONLY), as the XDP RX metadata kfuncs
 *                 require
 *   -t TCPROG     with -a: also load TCPROG from the object and attach it at
 *                 TC ingress of the (first) -a device, sharing maps and
 *                 globals with PROGRAM
 *   -m MAP:KEY:TARGET[:PROG]  after load, fill entry KEY of the DEVMAP or
 *                 CPUMAP MAP: TARGET is an interface name (devmap) or a
 *                 queue size (cpumap); PROG, a program of the object
 *                 (SEC("xdp/devmap") or SEC("xdp/cpumap")), runs on the
 *                 entry's frames; repeatable (up to 4)
 *   -E            with -t: attach TCPROG at TC egress instead
 *   -X            with -t: attach no XDP program (PROGRAM is only loaded)
 *   -c CMD        the command to run while attached (sh -c)
 *   -w VAR        test run in a thread while a command runs: once the
 *                 integer global VAR reads 1, run -c CMD (sh -c) and, with
 *                 -o OUT, store the integer CMD prints in global OUT (the
 *                 program sees it on its next run); once VAR reads 2 or
 *                 more, stop the run (a signal interrupts a long -r; that
 *                 is not an error). Each wait gives up after 60 s. For a
 *                 program that must observe the world change between two
 *                 runs on the same packet (-r replays one xdp_buff).
 *   -o OUT        with -w: the global that receives CMD's output
 *   -e PROG       also load PROG of the object, sharing maps and globals
 *                 (repeatable); with -P DIR it is pinned at DIR/PROG while
 *                 CMD runs, for tc, ip route or bpftool to attach
 *   -P DIR        pin the -e programs under DIR (bpffs) while CMD runs
 *   -u PORT       open a UDP socket bound to PORT (any address) while CMD
 *                 runs, for -S and -K; it lives in pmrun's cgroup
 *   -S PROG       attach socket filter PROG to the -u socket (SO_ATTACH_BPF)
 *   -K MAP:PROG   attach sk_skb PROG as the verdict program of sockmap MAP
 *                 and put the -u socket at key 0
 *   -G CG:PROG:DIR  attach cgroup_skb PROG to the cgroup v2 directory CG,
 *                 DIR ingress or egress
 *   -N PROG       attach netfilter PROG at IPv4 LOCAL_IN (a BPF_NETFILTER
 *                 link); a program in SEC("netfilter") gets its type here
 *                 when libbpf does not know the section
 *   -a, -t and these options may be combined; CMD runs once all are
 *   attached, with or without -a.
 *   -p VAR        print VAR=value after the run (repeatable)
 *   -L            expect the load to fail: exit 0 if it does, 1 if not
 * A test run prints retval=N and duration_ns=N (per repeat); a -w run
 * prints retval=N and interrupted=0|1.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define MAX_VARS 32

#ifndef BPF_F_XDP_DEV_BOUND_ONLY
#define BPF_F_XDP_DEV_BOUND_ONLY (1U << 6)
#endif
#define MAX_IFS 8
#define MAX_EXTRAS 8

/* Not in older uapi headers: netfilter programs and links (6.4). */
#define PMRUN_PROG_TYPE_NETFILTER	32
#define PMRUN_ATTACH_NETFILTER		45
#define PMRUN_NFPROTO_IPV4		2
#define PMRUN_NF_INET_LOCAL_IN		1

/* A program loaded besides PROGRAM (-e, -S, -K, -G, -N) and where it goes. */
struct extra {
	char kind;		/* the option */
	const char *prog;
	const char *arg;	/* -K: MAP; -G: CG; NULL otherwise */
	const char *dir;	/* -G: ingress or egress */
	struct bpf_program *p;
	int fd;			/* what to undo: a link, a cgroup, a map */
	bool pinned;
};

struct var_ref {
	struct bpf_map *map;
	__u32 offset;
	__u32 size;
	bool is_signed;
	bool is_string;		/* an array of char */
};

static int find_var(struct bpf_object *obj, const char *name, struct var_ref *ref)
{
	struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj) {
		const struct btf_var_secinfo *vs;
		const struct btf_type *sec;
		int sec_id, i;

		if (!bpf_map__is_internal(map))
			continue;
		sec_id = btf__find_by_name_kind(btf, strchr(bpf_map__name(map), '.') ?: "",
						BTF_KIND_DATASEC);
		if (sec_id < 0)
			continue;
		sec = btf__type_by_id(btf, sec_id);
		vs = btf_var_secinfos(sec);
		for (i = 0; i < btf_vlen(sec); i++, vs++) {
			const struct btf_type *var = btf__type_by_id(btf, vs->type);
			const struct btf_type *t;

			if (strcmp(btf__name_by_offset(btf, var->name_off), name))
				continue;
			t = btf__type_by_id(btf, btf__resolve_type(btf, var->type));
			ref->is_string = btf_is_array(t) &&
				btf__resolve_size(btf, btf_array(t)->type) == 1;
			ref->map = map;
			ref->offset = vs->offset;
			ref->size = vs->size;
			ref->is_signed = btf_is_int(t) && (btf_int_encoding(t) & BTF_INT_SIGNED);
			return 0;
		}
	}
	fprintf(stderr, "pmrun: no global variable %s\n", name);
	return -ENOENT;
}

static int set_var(struct bpf_object *obj, const char *assign)
{
	char name[64];
	const char *eq = strchr(assign, '=');
	struct var_ref ref;
	size_t size;
	char *data;
	long long v;

	if (!eq || eq - assign >= (long)sizeof(name))
		return -EINVAL;
	memcpy(name, assign, eq - assign);
	name[eq - assign] = 0;
	if (find_var(obj, name, &ref))
		return -ENOENT;
	data = (char *)bpf_map__initial_value(ref.map, &size);
	if (!data || ref.offset + ref.size > size)
		return -EINVAL;
	if (ref.is_string) {
		memset(data + ref.offset, 0, ref.size);
		strncpy(data + ref.offset, eq + 1, ref.size);
		return 0;
	}
	if (ref.size > 8)
		return -EINVAL;
	v = strtoll(eq + 1, NULL, 0);
	memcpy(data + ref.offset, &v, ref.size); /* little endian */
	return 0;
}

static int print_var(struct bpf_object *obj, const char *name)
{
	struct var_ref ref;
	unsigned char *buf;
	long long v = 0;
	__u32 zero = 0;
	size_t size;

	if (find_var(obj, name, &ref) || ref.size > 8)
		return -EINVAL;
	size = bpf_map__value_size(ref.map);
	buf = calloc(1, size);
	if (!buf || bpf_map_lookup_elem(bpf_map__fd(ref.map), &zero, buf)) {
		fprintf(stderr, "pmrun: cannot read %s\n", name);
		free(buf);
		return -EIO;
	}
	memcpy(&v, buf + ref.offset, ref.size);
	if (ref.is_signed && ref.size < 8 && (v >> (ref.size * 8 - 1)) & 1)
		v = (long long)((unsigned long long)v | (~0ULL << (ref.size * 8)));
	if (ref.is_signed)
		printf("%s=%lld\n", name, v);
	else
		printf("%s=%llu\n", name, (unsigned long long)v);
	free(buf);
	return 0;
}

/*
 * A global's bytes in the loaded object, shared with the kernel: the map of
 * its section mmapped (libbpf maps it only for skeletons), or NULL.
 */
static void *live_var(struct bpf_object *obj, const char *name, __u32 *size)
{
	struct var_ref ref;
	size_t sz;
	char *data;

	if (find_var(obj, name, &ref) || ref.size > 8)
		return NULL;
	sz = bpf_map__value_size(ref.map);
	if (ref.offset + ref.size > sz)
		return NULL;
	data = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED,
		    bpf_map__fd(ref.map), 0);
	if (data == MAP_FAILED) {
		fprintf(stderr, "pmrun: cannot mmap the map of %s: %s\n", name, strerror(errno));
		return NULL;
	}
	*size = ref.size;
	return data + ref.offset;
}

static long long live_read(const volatile void *p, __u32 size)
{
	long long v = 0;

	__sync_synchronize();
	switch (size) {
	case 1: v = *(const volatile __u8 *)p; break;
	case 2: v = *(const volatile __u16 *)p; break;
	case 4: v = *(const volatile __u32 *)p; break;
	default: v = *(const volatile __s64 *)p; break;
	}
	return v;
}

static void live_write(volatile void *p, __u32 size, long long v)
{
	switch (size) {
	case 1: *(volatile __u8 *)p = v; break;
	case 2: *(volatile __u16 *)p = v; break;
	case 4: *(volatile __u32 *)p = v; break;
	default: *(volatile __s64 *)p = v; break;
	}
	__sync_synchronize();
}

/* Wait up to 60 s for the global at @p to reach at least @min. */
static int live_wait(const volatile void *p, __u32 size, long long min,
		     volatile int *finished)
{
	struct timespec ts = { 0, 1000000 };
	int i;

	for (i = 0; i < 60000; i++) {
		if (live_read(p, size) >= min)
			return 0;
		if (*finished)
			return live_read(p, size) >= min ? 0 : -ECANCELED;
		nanosleep(&ts, NULL);
	}
	return -ETIMEDOUT;
}

struct bg_run {
	int prog_fd;
	struct bpf_test_run_opts *opts;
	int err;
	volatile int finished;
};

static void *bg_run_fn(void *arg)
{
	struct bg_run *bg = arg;

	bg->err = bpf_prog_test_run_opts(bg->prog_fd, bg->opts) ? -errno : 0;
	bg->finished = 1;
	return NULL;
}

static void on_sigusr1(int sig)
{
	(void)sig;
}

/* -w: the test run in a thread while CMD runs; see the header comment. */
#define MAX_ENTRIES 4

/*
 * Fill a devmap or cpumap entry from "MAP:KEY:TARGET[:PROG]" (see usage).
 */
static int fill_entry(struct bpf_object *obj, const char *spec)
{
	char buf[256], *map_name, *key_s, *target, *prog_name;
	struct bpf_map *map;
	__u32 key, val[2] = {};
	int prog_fd = 0;

	snprintf(buf, sizeof(buf), "%s", spec);
	map_name = strtok(buf, ":");
	key_s = strtok(NULL, ":");
	target = strtok(NULL, ":");
	prog_name = strtok(NULL, ":");
	if (!map_name || !key_s || !target)
		return -1;
	map = bpf_object__find_map_by_name(obj, map_name);
	if (!map)
		return -1;
	if (prog_name) {
		struct bpf_program *prog = bpf_object__find_program_by_name(obj, prog_name);

		if (!prog || (prog_fd = bpf_program__fd(prog)) < 0)
			return -1;
	}
	key = strtoul(key_s, NULL, 0);
	if (bpf_map__type(map) == BPF_MAP_TYPE_DEVMAP) {
		val[0] = if_nametoindex(target);
		if (!val[0])
			return -1;
	} else {
		val[0] = strtoul(target, NULL, 0);
	}
	val[1] = prog_fd;
	return bpf_map_update_elem(bpf_map__fd(map), &key, val, 0);
}

/* The PROG of a -m spec, or NULL. */
static const char *entry_prog(const char *spec)
{
	const char *p = spec;
	int colons = 0;

	for (; *p; p++)
		if (*p == ':' && ++colons == 3)
			return p + 1;
	return NULL;
}

static int run_concurrent(struct bpf_object *obj, int prog_fd,
			  struct bpf_test_run_opts *opts, const char *wait_var,
			  const char *cmd, const char *out_var)
{
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	__u32 wsize, osize = 0;
	volatile void *w = live_var(obj, wait_var, &wsize);
	volatile void *o = out_var ? live_var(obj, out_var, &osize) : NULL;
	struct bg_run bg = { .prog_fd = prog_fd, .opts = opts };
	int interrupted = 0, err = 0;
	pthread_t thread;
	char line[64] = "";
	long long v;
	FILE *f;

	if (!w || (out_var && !o) || !cmd) {
		fprintf(stderr, "pmrun: -w needs a live integer global, -c CMD and a valid -o\n");
		return 1;
	}
	sigaction(SIGUSR1, &sa, NULL);
	if (pthread_create(&thread, NULL, bg_run_fn, &bg)) {
		fprintf(stderr, "pmrun: cannot start the run thread\n");
		return 1;
	}
	err = live_wait(w, wsize, 1, &bg.finished);
	if (err) {
		fprintf(stderr, "pmrun: %s never became 1: %s\n", wait_var, strerror(-err));
		goto stop;
	}
	f = popen(cmd, "r");
	if (!f) {
		err = -errno;
		goto stop;
	}
	while (fgets(line, sizeof(line), f))
		;
	if (pclose(f)) {
		fprintf(stderr, "pmrun: command failed\n");
		err = -EIO;
		goto stop;
	}
	if (o) {
		v = strtoll(line, NULL, 0);
		live_write(o, osize, v);
	}
	err = live_wait(w, wsize, 2, &bg.finished);
	if (err)
		fprintf(stderr, "pmrun: %s never became 2: %s\n", wait_var, strerror(-err));
stop:
	while (!bg.finished) {
		pthread_kill(thread, SIGUSR1);
		usleep(10000);
	}
	pthread_join(thread, NULL);
	if (bg.err == -EINTR)
		interrupted = 1;
	else if (bg.err) {
		fprintf(stderr, "pmrun: test run failed: %s\n", strerror(-bg.err));
		return 1;
	}
	printf("retval=%d\ninterrupted=%d\n", (int)opts->retval, interrupted);
	return err ? 1 : 0;
}

/* Parse an -e/-S/-K/-G/-N argument into @e. */
static int parse_extra(struct extra *e, char kind, char *arg)
{
	char *c;

	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->fd = -1;
	e->prog = arg;
	if (kind == 'K') {
		c = strchr(arg, ':');
		if (!c)
			return -1;
		*c = 0;
		e->arg = arg;
		e->prog = c + 1;
	} else if (kind == 'G') {
		c = strrchr(arg, ':');
		if (!c)
			return -1;
		*c = 0;
		e->dir = c + 1;
		c = strrchr(arg, ':');
		if (!c || (strcmp(e->dir, "ingress") && strcmp(e->dir, "egress")))
			return -1;
		*c = 0;
		e->arg = arg;
		e->prog = c + 1;
	}
	return 0;
}

/*
 * A BPF_NETFILTER link of @prog_fd at IPv4 LOCAL_IN: libbpf 1.1 (Debian
 * 12) has no netfilter options for bpf_link_create(), so the attribute is
 * laid out here as in include/uapi/linux/bpf.h (6.4+): link_create's
 * prog_fd, target_fd, attach_type, flags, then netfilter's pf, hooknum,
 * priority, flags.
 */
static int netfilter_link(int prog_fd)
{
	union {
		struct {
			__u32 prog_fd, target_fd, attach_type, flags;
			__u32 pf, hooknum;
			__s32 priority;
			__u32 nf_flags;
		} lc;
		char pad[128];
	} attr;

	memset(&attr, 0, sizeof(attr));
	attr.lc.prog_fd = prog_fd;
	attr.lc.attach_type = PMRUN_ATTACH_NETFILTER;
	attr.lc.pf = PMRUN_NFPROTO_IPV4;
	attr.lc.hooknum = PMRUN_NF_INET_LOCAL_IN;
	attr.lc.priority = 10;
	return syscall(__NR_bpf, BPF_LINK_CREATE, &attr, sizeof(attr));
}

/* Attach every extra program (see usage); on failure undo nothing here. */
static int attach_extras(struct bpf_object *obj, struct extra *ex, int nex,
			 int sock, const char *pin_dir)
{
	char path[512];
	int i, fd, map_fd, zero = 0;

	for (i = 0; i < nex; i++) {
		struct extra *e = &ex[i];
		int prog_fd = bpf_program__fd(e->p);

		switch (e->kind) {
		case 'e':
			if (!pin_dir)
				break;
			snprintf(path, sizeof(path), "%s/%s", pin_dir, e->prog);
			if (bpf_program__pin(e->p, path))
				goto fail;
			e->pinned = true;
			break;
		case 'S':
			if (sock < 0 || setsockopt(sock, SOL_SOCKET, SO_ATTACH_BPF,
						   &prog_fd, sizeof(prog_fd)))
				goto fail;
			break;
		case 'K':
			map_fd = bpf_object__find_map_fd_by_name(obj, e->arg);
			if (sock < 0 || map_fd < 0 ||
			    bpf_prog_attach(prog_fd, map_fd, BPF_SK_SKB_VERDICT, 0))
				goto fail;
			e->fd = map_fd;
			if (bpf_map_update_elem(map_fd, &zero, &sock, BPF_ANY))
				goto fail;
			break;
		case 'G':
			fd = open(e->arg, O_RDONLY | O_DIRECTORY);
			if (fd < 0)
				goto fail;
			if (bpf_prog_attach(prog_fd, fd, strcmp(e->dir, "egress") ?
					    BPF_CGROUP_INET_INGRESS : BPF_CGROUP_INET_EGRESS, 0)) {
				close(fd);
				goto fail;
			}
			e->fd = fd;
			break;
		case 'N':
			fd = netfilter_link(prog_fd);
			if (fd < 0)
				goto fail;
			e->fd = fd;
			break;
		}
	}
	return 0;
fail:
	fprintf(stderr, "pmrun: cannot attach %s (-%c): %s\n", ex[i].prog, ex[i].kind,
		strerror(errno));
	return -1;
}

static void detach_extras(struct extra *ex, int nex)
{
	int i;

	for (i = 0; i < nex; i++) {
		struct extra *e = &ex[i];

		if (e->pinned)
			bpf_program__unpin(e->p, NULL);
		if (e->fd < 0)
			continue;
		if (e->kind == 'K')
			bpf_prog_detach2(bpf_program__fd(e->p), e->fd, BPF_SK_SKB_VERDICT);
		else if (e->kind == 'G')
			bpf_prog_detach2(bpf_program__fd(e->p), e->fd,
					 strcmp(e->dir, "egress") ? BPF_CGROUP_INET_INGRESS :
					 BPF_CGROUP_INET_EGRESS);
		if (e->kind != 'K')
			close(e->fd);	/* a link goes with its fd */
	}
}

/* A UDP socket bound to @port on any address, with a large receive buffer. */
static int udp_socket(int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), buf = 4 << 20;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin))) {
		close(fd);
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	const char *sets[MAX_VARS], *prints[MAX_VARS], *ifnames[MAX_IFS], *cmd = NULL;
	const char *wait_var = NULL, *out_var = NULL, *ingress = NULL, *tc_name = NULL;
	const char *entries[MAX_ENTRIES];
	struct extra extras[MAX_EXTRAS];
	const char *pin_dir = NULL;
	int nentries = 0, nextras = 0, udp_port = 0, sock = -1;
	struct bpf_program *tc_prog = NULL;
	bool dev_bound = false;
	int nsets = 0, nprints = 0, nifs = 0, repeat = 1, len = 64, opt, i, err, prog_fd;
	__u32 run_flags = 0;
	__u32 xdp_flags = XDP_FLAGS_DRV_MODE;
	bool expect_load_failure = false, tc_egress = false, no_xdp = false;
	struct bpf_program *prog;
	struct bpf_object *obj;

	while ((opt = getopt(argc, argv, "s:r:l:a:gc:p:LFi:w:o:bt:EXm:e:P:u:S:K:G:N:")) != -1) {
		switch (opt) {
		case 's': if (nsets < MAX_VARS) sets[nsets++] = optarg; break;
		case 'p': if (nprints < MAX_VARS) prints[nprints++] = optarg; break;
		case 'r': repeat = atoi(optarg); break;
		case 'l': len = atoi(optarg); break;
		case 'a': if (nifs < MAX_IFS) ifnames[nifs++] = optarg; break;
		case 'F': run_flags |= BPF_F_TEST_XDP_LIVE_FRAMES; break;
		case 'i': ingress = optarg; break;
		case 'w': wait_var = optarg; break;
		case 'o': out_var = optarg; break;
		case 'g': xdp_flags = XDP_FLAGS_SKB_MODE; break;
		case 'c': cmd = optarg; break;
		case 'L': expect_load_failure = true; break;
		case 'b': dev_bound = true; break;
		case 't': tc_name = optarg; break;
		case 'E': tc_egress = true; break;
		case 'X': no_xdp = true; break;
		case 'm': if (nentries < MAX_ENTRIES) entries[nentries++] = optarg; break;
		case 'P': pin_dir = optarg; break;
		case 'u': udp_port = atoi(optarg); break;
		case 'e': case 'S': case 'K': case 'G': case 'N':
			if (nextras == MAX_EXTRAS || parse_extra(&extras[nextras++], opt, optarg)) {
				fprintf(stderr, "pmrun: bad or too many -%c\n", opt);
				return 2;
			}
			break;
		default:
			fprintf(stderr, "usage: pmrun [-s VAR=VAL] [-r N] [-l LEN] [-F] [-i IF] [-a IF [-g] -c CMD] [-w VAR -c CMD [-o OUT]] [-p VAR] [-L] [-e PROG] [-P DIR] [-u PORT] [-S PROG] [-K MAP:PROG] [-G CG:PROG:DIR] [-N PROG] OBJ PROG\n");
			return 2;
		}
	}
	if (optind + 2 != argc) {
		fprintf(stderr, "pmrun: need OBJECT and PROGRAM\n");
		return 2;
	}
	obj = bpf_object__open_file(argv[optind], NULL);
	if (!obj) {
		fprintf(stderr, "pmrun: cannot open %s: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	prog = bpf_object__find_program_by_name(obj, argv[optind + 1]);
	if (!prog) {
		fprintf(stderr, "pmrun: no program %s\n", argv[optind + 1]);
		return 1;
	}
	/* Load only the programs named: others may be meant to fail. */
	bpf_object__for_each_program(prog, obj) {
		const char *name = bpf_program__name(prog);
		bool load = !strcmp(name, argv[optind + 1]) || (tc_name && !strcmp(name, tc_name));

		for (i = 0; i < nentries; i++)
			load |= entry_prog(entries[i]) && !strcmp(entry_prog(entries[i]), name);
		for (i = 0; i < nextras; i++)
			load |= !strcmp(extras[i].prog, name);
		bpf_program__set_autoload(prog, load);
		/* libbpf 1.1 does not know SEC("netfilter") */
		if (load && bpf_program__type(prog) == BPF_PROG_TYPE_UNSPEC &&
		    !strcmp(bpf_program__section_name(prog), "netfilter")) {
			bpf_program__set_type(prog, PMRUN_PROG_TYPE_NETFILTER);
			bpf_program__set_expected_attach_type(prog, PMRUN_ATTACH_NETFILTER);
		}
	}
	for (i = 0; i < nextras; i++) {
		extras[i].p = bpf_object__find_program_by_name(obj, extras[i].prog);
		if (!extras[i].p) {
			fprintf(stderr, "pmrun: no program %s\n", extras[i].prog);
			return 2;
		}
	}
	prog = bpf_object__find_program_by_name(obj, argv[optind + 1]);
	if (tc_name && (!nifs || !(tc_prog = bpf_object__find_program_by_name(obj, tc_name)))) {
		fprintf(stderr, "pmrun: -t needs -a and a program %s\n", tc_name);
		return 2;
	}
	if (dev_bound) {
		if (!nifs || !if_nametoindex(ifnames[0])) {
			fprintf(stderr, "pmrun: -b needs an existing -a device\n");
			return 2;
		}
		bpf_program__set_ifindex(prog, if_nametoindex(ifnames[0]));
		bpf_program__set_flags(prog, bpf_program__flags(prog) | BPF_F_XDP_DEV_BOUND_ONLY);
	}
	for (i = 0; i < nsets; i++)
		if (set_var(obj, sets[i])) {
			fprintf(stderr, "pmrun: cannot set %s\n", sets[i]);
			return 1;
		}
	err = bpf_object__load(obj);
	if (expect_load_failure) {
		printf("load=%s\n", err ? "rejected" : "accepted");
		return err ? 0 : 1;
	}
	if (err) {
		fprintf(stderr, "pmrun: load failed: %s\n", strerror(-err));
		return 1;
	}
	prog_fd = bpf_program__fd(prog);
	for (i = 0; i < nentries; i++)
		if (fill_entry(obj, entries[i])) {
			fprintf(stderr, "pmrun: cannot fill map entry %s: %s\n", entries[i], strerror(errno));
			return 1;
		}

	if (udp_port) {
		sock = udp_socket(udp_port);
		if (sock < 0) {
			fprintf(stderr, "pmrun: cannot bind UDP port %d: %s\n", udp_port, strerror(errno));
			return 1;
		}
	}
	if (attach_extras(obj, extras, nextras, sock, pin_dir)) {
		detach_extras(extras, nextras);
		return 1;
	}
	if (nextras && !nifs) {
		int status = cmd ? system(cmd) : 0;

		detach_extras(extras, nextras);
		if (status) {
			fprintf(stderr, "pmrun: command failed (%d)\n", status);
			return 1;
		}
	} else if (nifs) {
		int ifindex[MAX_IFS], status;

		for (i = 0; i < nifs; i++) {
			ifindex[i] = if_nametoindex(ifnames[i]);
			if (!ifindex[i] || (!no_xdp &&
					    bpf_xdp_attach(ifindex[i], prog_fd, xdp_flags, NULL))) {
				fprintf(stderr, "pmrun: cannot attach to %s: %s\n", ifnames[i], strerror(errno));
				while (i-- && !no_xdp)
					bpf_xdp_detach(ifindex[i], xdp_flags, NULL);
				detach_extras(extras, nextras);
				return 1;
			}
		}
		LIBBPF_OPTS(bpf_tc_hook, tc_hook, .ifindex = ifindex[0],
			    .attach_point = tc_egress ? BPF_TC_EGRESS : BPF_TC_INGRESS);
		LIBBPF_OPTS(bpf_tc_opts, tc_opts);
		if (tc_prog) {
			bpf_tc_hook_create(&tc_hook); /* -EEXIST is fine */
			tc_opts.prog_fd = bpf_program__fd(tc_prog);
			if (bpf_tc_attach(&tc_hook, &tc_opts)) {
				fprintf(stderr, "pmrun: cannot attach %s at TC\n", tc_name);
				for (i = 0; i < nifs && !no_xdp; i++)
					bpf_xdp_detach(ifindex[i], xdp_flags, NULL);
				detach_extras(extras, nextras);
				return 1;
			}
		}
		status = cmd ? system(cmd) : 0;
		detach_extras(extras, nextras);
		if (tc_prog)
			bpf_tc_hook_destroy(&tc_hook);
		for (i = 0; i < nifs && !no_xdp; i++)
			bpf_xdp_detach(ifindex[i], xdp_flags, NULL);
		if (status) {
			fprintf(stderr, "pmrun: command failed (%d)\n", status);
			return 1;
		}
	} else {
		unsigned char *pkt = calloc(1, len);
		struct xdp_md ctx_in = {};
		LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = pkt, .data_size_in = len,
			    .repeat = repeat, .flags = run_flags);

		if (ingress) {
			ctx_in.ingress_ifindex = if_nametoindex(ingress);
			if (!ctx_in.ingress_ifindex) {
				fprintf(stderr, "pmrun: no interface %s\n", ingress);
				return 1;
			}
			ctx_in.data_end = len;	/* the kernel wants the packet's length */
			run.ctx_in = &ctx_in;
			run.ctx_size_in = sizeof(ctx_in);
		}
		if (bpf_program__type(prog) == BPF_PROG_TYPE_SYSCALL) {
			run.data_in = NULL;
			run.data_size_in = 0;
			run.repeat = 0;
		}
		if (wait_var) {
			err = run_concurrent(obj, prog_fd, &run, wait_var, cmd, out_var);
			if (err)
				return err;
		} else {
			err = bpf_prog_test_run_opts(prog_fd, &run);
			if (err) {
				fprintf(stderr, "pmrun: test run failed: %s\n", strerror(errno));
				return 1;
			}
			printf("retval=%d\nduration_ns=%u\n", (int)run.retval, run.duration);
		}
		free(pkt);
	}
	for (i = 0; i < nprints; i++)
		if (print_var(obj, prints[i]))
			return 1;
	bpf_object__close(obj);
	return 0;
}
