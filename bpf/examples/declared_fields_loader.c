// SPDX-License-Identifier: GPL-2.0
/*
 * Loader of bpf/examples/declared_fields.bpf.c: registers the fields the
 * object declares (pktmeta_bpf_object_register), loads it through its
 * libbpf skeleton, runs the XDP program once on a test packet
 * (BPF_PROG_TEST_RUN) and checks that the program used the ids the
 * registry gave, then drops its references.
 *
 * usage: declared_fields_loader [-o] [-k] [-c CMD]
 *   -o      register the fields owned by this process's netlink socket
 *   -k      keep the references at exit (without -o)
 *   -c CMD  run CMD (sh -c) after the test run, while the fields are held
 * Prints VAR=value lines; exits 0 when every check passed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "pktmeta.h"
#include "declared_fields.skel.h"

static int failed;

static void check(const char *what, bool ok)
{
	printf("%s=%s\n", what, ok ? "ok" : "FAIL");
	if (!ok)
		failed = 1;
}

/* The id the registry has for @name: it must be what the program saw. */
static void check_id(struct pktmeta *pm, const char *name, __u32 seen,
		     __u32 given)
{
	long long id = pktmeta_lookup(pm, name, NULL);
	char what[64];

	printf("id.%s=%u\n", name, seen);
	snprintf(what, sizeof(what), "check.id.%s", name);
	check(what, id >= 0 && (__u32)id == seen && seen == given);
}

int main(int argc, char **argv)
{
	LIBBPF_OPTS(bpf_test_run_opts, run);
	struct declared_fields_bpf *skel;
	const char *cmd = NULL;
	bool keep = false;
	__u32 flags = 0;
	char pkt[64] = { 0 };
	struct pktmeta *pm;
	int opt, n, err, i;

	while ((opt = getopt(argc, argv, "okc:")) != -1) {
		switch (opt) {
		case 'o':
			flags |= PKTMETA_F_OWNED;
			break;
		case 'k':
			keep = true;
			break;
		case 'c':
			cmd = optarg;
			break;
		default:
			fprintf(stderr, "usage: %s [-o] [-k] [-c CMD]\n", argv[0]);
			return 2;
		}
	}

	err = pktmeta_open(&pm);
	if (err) {
		fprintf(stderr, "pktmeta: %s%s\n", strerror(-err),
			err == -ENOENT ? " (is the module loaded? modprobe pktmeta)" : "");
		return 1;
	}
	skel = declared_fields_bpf__open();
	if (!skel) {
		fprintf(stderr, "cannot open the BPF object: %s\n", strerror(errno));
		return 1;
	}

	/* Before load: register the declared fields, ids into .rodata. */
	n = pktmeta_bpf_object_register(pm, skel->obj, flags);
	if (n < 0) {
		fprintf(stderr, "cannot register the declared fields: %s: %s\n",
			strerror(-n), pktmeta_errmsg(pm));
		return 1;
	}
	printf("declared=%d\n", n);

	err = declared_fields_bpf__load(skel);
	if (err) {
		fprintf(stderr, "cannot load the BPF object: %s\n", strerror(-err));
		pktmeta_bpf_object_unregister(pm, skel->obj);
		return 1;
	}

	run.data_in = pkt;
	run.data_size_in = sizeof(pkt);
	run.repeat = 1;
	err = bpf_prog_test_run_opts(bpf_program__fd(skel->progs.stamp), &run);
	printf("test_run=%d retval=%u\n", err, run.retval);
	check("check.run", !err && run.retval == XDP_PASS);

	check_id(pm, "flow_tag", skel->bss->seen_id_flow_tag,
		 skel->rodata->pktmeta_id_flow_tag);
	check_id(pm, "lb_backend", skel->bss->seen_id_lb_backend,
		 skel->rodata->pktmeta_id_lb_backend);
	check_id(pm, "example.trace-id", skel->bss->seen_id_trace,
		 skel->rodata->pktmeta_id_trace);
	for (i = 0; i < 3; i++)
		printf("set_ret.%d=%d get_ret.%d=%d\n", i, skel->data->set_ret[i],
		       i, skel->data->get_ret[i]);
	printf("flow_tag=0x%x lb_backend=%u trace=0x%llx\n",
	       skel->bss->got_flow_tag, skel->bss->got_lb_backend,
	       (unsigned long long)skel->bss->got_trace);
	check("check.values",
	      !skel->data->set_ret[0] && !skel->data->set_ret[1] &&
	      !skel->data->set_ret[2] && !skel->data->get_ret[0] &&
	      !skel->data->get_ret[1] && !skel->data->get_ret[2] &&
	      skel->bss->got_flow_tag == 0xf10a7a90 &&
	      skel->bss->got_lb_backend == 42 &&
	      skel->bss->got_trace == 0x7ace0000000000ddULL);

	if (cmd) {
		fflush(stdout);
		err = system(cmd);
		printf("cmd=%d\n", err);
	}

	if (!keep && !(flags & PKTMETA_F_OWNED)) {
		err = pktmeta_bpf_object_unregister(pm, skel->obj);
		check("check.unregister", !err);
	}
	declared_fields_bpf__destroy(skel);
	pktmeta_close(pm);
	return failed;
}
