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
 *   -a IFNAME     attach to IFNAME (XDP native; with -g generic) instead of
 *                 a test run, run -c CMD, then detach
 *   -c CMD        the command to run while attached (sh -c)
 *   -p VAR        print VAR=value after the run (repeatable)
 *   -L            expect the load to fail: exit 0 if it does, 1 if not
 * A test run prints retval=N and duration_ns=N (per repeat).
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#define MAX_VARS 32

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

int main(int argc, char **argv)
{
	const char *sets[MAX_VARS], *prints[MAX_VARS], *ifname = NULL, *cmd = NULL;
	int nsets = 0, nprints = 0, repeat = 1, len = 64, opt, i, err, prog_fd;
	__u32 xdp_flags = XDP_FLAGS_DRV_MODE;
	bool expect_load_failure = false;
	struct bpf_program *prog;
	struct bpf_object *obj;

	while ((opt = getopt(argc, argv, "s:r:l:a:gc:p:L")) != -1) {
		switch (opt) {
		case 's': if (nsets < MAX_VARS) sets[nsets++] = optarg; break;
		case 'p': if (nprints < MAX_VARS) prints[nprints++] = optarg; break;
		case 'r': repeat = atoi(optarg); break;
		case 'l': len = atoi(optarg); break;
		case 'a': ifname = optarg; break;
		case 'g': xdp_flags = XDP_FLAGS_SKB_MODE; break;
		case 'c': cmd = optarg; break;
		case 'L': expect_load_failure = true; break;
		default:
			fprintf(stderr, "usage: pmrun [-s VAR=VAL] [-r N] [-l LEN] [-a IF [-g] -c CMD] [-p VAR] [-L] OBJ PROG\n");
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
	/* Load only the program under test: others may be meant to fail. */
	bpf_object__for_each_program(prog, obj)
		bpf_program__set_autoload(prog, !strcmp(bpf_program__name(prog), argv[optind + 1]));
	prog = bpf_object__find_program_by_name(obj, argv[optind + 1]);
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

	if (ifname) {
		int ifindex = if_nametoindex(ifname), status;

		if (!ifindex || bpf_xdp_attach(ifindex, prog_fd, xdp_flags, NULL)) {
			fprintf(stderr, "pmrun: cannot attach to %s: %s\n", ifname, strerror(errno));
			return 1;
		}
		status = cmd ? system(cmd) : 0;
		bpf_xdp_detach(ifindex, xdp_flags, NULL);
		if (status) {
			fprintf(stderr, "pmrun: command failed (%d)\n", status);
			return 1;
		}
	} else {
		unsigned char *pkt = calloc(1, len);
		LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = pkt, .data_size_in = len,
			    .repeat = repeat);

		if (bpf_program__type(prog) == BPF_PROG_TYPE_SYSCALL) {
			run.data_in = NULL;
			run.data_size_in = 0;
			run.repeat = 0;
		}
		err = bpf_prog_test_run_opts(prog_fd, &run);
		if (err) {
			fprintf(stderr, "pmrun: test run failed: %s\n", strerror(errno));
			return 1;
		}
		printf("retval=%d\nduration_ns=%u\n", (int)run.retval, run.duration);
		free(pkt);
	}
	for (i = 0; i < nprints; i++)
		if (print_var(obj, prints[i]))
			return 1;
	bpf_object__close(obj);
	return 0;
}
