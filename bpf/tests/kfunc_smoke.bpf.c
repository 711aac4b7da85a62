// SPDX-License-Identifier: GPL-2.0
/* Smallest use of the XDP kfuncs: get a field by id, set it, get it back. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"

__u32 id;		/* in: the field to use */
__u64 value = 0x1122334455667788ULL;
int get_before = 1;	/* out: get before the set */
int set_ret = 1;	/* out */
int get_after = 1;	/* out */
__u64 got;		/* out: the value read back */

SEC("xdp")
int get_set_get(struct xdp_md *ctx)
{
	__u64 v = 0;

	get_before = bpf_xdp_pktmeta_get(ctx, id, &v, sizeof(v));
	set_ret = bpf_xdp_pktmeta_set(ctx, id, &value, sizeof(value));
	get_after = bpf_xdp_pktmeta_get(ctx, id, &v, sizeof(v));
	got = v;
	return XDP_PASS;
}

/* The same through the names of the original proposal. */
SEC("xdp")
int wrappers(struct xdp_md *ctx)
{
	__u64 v = 0;

	get_before = bpf_get_packet_metadata_field(ctx, id, &v, sizeof(v));
	set_ret = bpf_set_packet_metadata_field(ctx, id, &value, sizeof(value));
	get_after = bpf_get_packet_metadata_field(ctx, id, &v, sizeof(v));
	got = v;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
