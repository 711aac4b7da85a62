// SPDX-License-Identifier: GPL-2.0
/*
 * Fields declared in a BPF program: no ids in the source. The loader
 * (bpf/examples/declared_fields_loader.c) registers the declared fields with
 * pktmeta_bpf_object_register() before loading, which writes their ids into
 * this object's .rodata.
 *
 * The program stamps each packet with a flow tag, a load-balancer decision
 * and a trace id, reads them back and records what it saw.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "pktmeta.bpf.h"

PKTMETA_FIELD(flow_tag, __u32);
PKTMETA_FIELD(lb_backend, __u16);
PKTMETA_FIELD_NAMED(trace, "example.trace-id", __u64);

/* Out: the ids the program was given, the kfunc results, the values read. */
__u32 seen_id_flow_tag, seen_id_lb_backend, seen_id_trace;
int set_ret[3] = { 1, 1, 1 };
int get_ret[3] = { 1, 1, 1 };
__u32 got_flow_tag;
__u16 got_lb_backend;
__u64 got_trace;
__u64 packets;

SEC("xdp")
int stamp(struct xdp_md *ctx)
{
	__u32 tag = 0xf10a7a90;
	__u16 backend = 42;
	__u64 trace = 0x7ace0000000000ddULL + packets;

	seen_id_flow_tag = pktmeta_field_id(flow_tag);
	seen_id_lb_backend = pktmeta_field_id(lb_backend);
	seen_id_trace = pktmeta_field_id(trace);

	set_ret[0] = pktmeta_field_set(ctx, flow_tag, &tag);
	set_ret[1] = pktmeta_field_set(ctx, lb_backend, &backend);
	set_ret[2] = pktmeta_field_set(ctx, trace, &trace);

	get_ret[0] = pktmeta_field_get(ctx, flow_tag, &got_flow_tag);
	get_ret[1] = pktmeta_field_get(ctx, lb_backend, &got_lb_backend);
	get_ret[2] = pktmeta_field_get(ctx, trace, &got_trace);
	packets++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
